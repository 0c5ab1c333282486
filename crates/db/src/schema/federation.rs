//! Actors and what travels between servers: follows, received activities,
//! deliveries, instances, policies, territory links, node settings and
//! secrets.

diesel::table! {
    actors (id) {
        id -> BigInt,
        ap_id -> Text,
        kind -> Text,
        username -> Text,
        username_lower -> Text,
        domain -> Text,
        display_name -> Text,
        summary_html -> Text,
        inbox_url -> Text,
        shared_inbox_url -> Nullable<Text>,
        outbox_url -> Nullable<Text>,
        followers_url -> Nullable<Text>,
        following_url -> Nullable<Text>,
        url -> Nullable<Text>,
        icon_url -> Nullable<Text>,
        image_url -> Nullable<Text>,
        public_key_pem -> Text,
        private_key_pem -> Nullable<Text>,
        manually_approves_followers -> Bool,
        local -> Bool,
        purpose -> Nullable<Text>,
        user_id -> Nullable<BigInt>,
        published_at -> BigInt,
        updated_at -> BigInt,
        fetched_at -> Nullable<BigInt>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
    }
}

diesel::table! {
    follows (id) {
        id -> BigInt,
        ap_id -> Text,
        follower_id -> BigInt,
        followed_id -> BigInt,
        state -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    received_activities (ap_id) {
        ap_id -> Text,
        received_at -> BigInt,
    }
}

diesel::table! {
    deliveries (id) {
        id -> BigInt,
        activity_ap_id -> Text,
        payload -> Text,
        signer_id -> BigInt,
        inbox_url -> Text,
        host -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        finished_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    instances (id) {
        id -> BigInt,
        host -> Text,
        failure_count -> Integer,
        first_failure_at -> Nullable<BigInt>,
        last_success_at -> Nullable<BigInt>,
        dead_since -> Nullable<BigInt>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    domain_blocks (id) {
        id -> BigInt,
        domain -> Text,
        severity -> Text,
        reject_media -> Bool,
        reject_reports -> Bool,
        private_comment -> Text,
        public_comment -> Text,
        obfuscate -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    domain_allows (id) {
        id -> BigInt,
        domain -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    content_filters (id) {
        id -> BigInt,
        kind -> Text,
        value -> Text,
        domain -> Nullable<Text>,
        action -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    node_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    territory_links (id) {
        id -> BigInt,
        partner_id -> BigInt,
        level -> Text,
        state -> Text,
        initiated_here -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
        ended_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    node_secrets (name) {
        name -> Text,
        value -> Text,
    }
}
