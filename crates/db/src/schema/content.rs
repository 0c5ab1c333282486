//! What people publish: posts and their tags, likes and boosts, reports,
//! media, polls, conversations.

diesel::table! {
    posts (id) {
        id -> BigInt,
        ap_id -> Text,
        author_id -> BigInt,
        kind -> Text,
        content_html -> Text,
        source -> Nullable<Text>,
        summary -> Text,
        sensitive -> Bool,
        visibility -> Text,
        in_reply_to -> Nullable<Text>,
        url -> Nullable<Text>,
        language -> Nullable<Text>,
        to_json -> Text,
        cc_json -> Text,
        local -> Bool,
        published_at -> BigInt,
        updated_at -> Nullable<BigInt>,
        deleted_at -> Nullable<BigInt>,
        conversation_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    post_tags (id) {
        id -> BigInt,
        post_id -> BigInt,
        kind -> Text,
        name -> Text,
        href -> Nullable<Text>,
    }
}

diesel::table! {
    announces (id) {
        id -> BigInt,
        ap_id -> Text,
        actor_id -> BigInt,
        post_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    likes (id) {
        id -> BigInt,
        ap_id -> Text,
        actor_id -> BigInt,
        post_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    reports (id) {
        id -> BigInt,
        ap_id -> Nullable<Text>,
        reporter_id -> BigInt,
        target_actor_id -> Nullable<BigInt>,
        object_ids_json -> Text,
        comment -> Text,
        created_at -> BigInt,
        resolved_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    conversations (id) {
        id -> BigInt,
        ap_context -> Text,
        listing_id -> Nullable<BigInt>,
        session_id -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    conversation_members (id) {
        id -> BigInt,
        conversation_id -> BigInt,
        actor_id -> BigInt,
        last_post_id -> BigInt,
        unread -> Bool,
        hidden -> Bool,
    }
}

diesel::table! {
    media (id) {
        id -> BigInt,
        owner_id -> BigInt,
        post_id -> Nullable<BigInt>,
        actor_id -> Nullable<BigInt>,
        position -> Integer,
        kind -> Text,
        description -> Text,
        focus_x -> Double,
        focus_y -> Double,
        content_type -> Text,
        file_key -> Nullable<Text>,
        file_size -> BigInt,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        preview_key -> Nullable<Text>,
        preview_content_type -> Nullable<Text>,
        preview_width -> Nullable<Integer>,
        preview_height -> Nullable<Integer>,
        blurhash -> Nullable<Text>,
        remote_url -> Nullable<Text>,
        cached_at -> Nullable<BigInt>,
        secret -> Text,
        removed_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    polls (post_id) {
        post_id -> BigInt,
        multiple -> Bool,
        options_json -> Text,
        voters_count -> Nullable<BigInt>,
        expires_at -> Nullable<BigInt>,
        closed_at -> Nullable<BigInt>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    poll_votes (id) {
        id -> BigInt,
        post_id -> BigInt,
        voter_id -> BigInt,
        choice -> Integer,
        created_at -> BigInt,
    }
}
