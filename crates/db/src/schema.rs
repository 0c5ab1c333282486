//! Tables, written by hand to match `migrations/{sqlite,postgres}`: the
//! same column types on both backends.

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        username_lower -> Text,
        email -> Text,
        email_lower -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        state -> Text,
        registration_reason -> Text,
        locale -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        last_login_at -> Nullable<BigInt>,
        match_notifications -> Text,
        digest_sent_at -> Nullable<BigInt>,
        email_confirmed_at -> Nullable<BigInt>,
        timezone -> Text,
        calendar_token -> Text,
    }
}

diesel::table! {
    access_tokens (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        token_hash -> Text,
        scopes -> Text,
        created_at -> BigInt,
        expires_at -> Nullable<BigInt>,
        revoked_at -> Nullable<BigInt>,
        last_used_at -> Nullable<BigInt>,
        app_id -> Nullable<BigInt>,
    }
}

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
    listings (id) {
        id -> BigInt,
        ap_id -> Text,
        author_id -> BigInt,
        group_id -> Nullable<BigInt>,
        kind -> Text,
        category -> Text,
        direction -> Nullable<Text>,
        title -> Text,
        description_source -> Nullable<Text>,
        description_html -> Text,
        tags -> Text,
        place_name -> Text,
        place_address -> Nullable<Text>,
        latitude -> Double,
        longitude -> Double,
        radius_km -> Double,
        available_from -> Nullable<BigInt>,
        available_until -> Nullable<BigInt>,
        quantity_amount -> Nullable<Double>,
        quantity_unit -> Nullable<Text>,
        terms_mode -> Text,
        terms_hours -> Nullable<Double>,
        terms_amount -> Nullable<Text>,
        terms_currency -> Nullable<Text>,
        visibility -> Text,
        status -> Text,
        local -> Bool,
        url -> Nullable<Text>,
        published_at -> BigInt,
        updated_at -> Nullable<BigInt>,
        expires_at -> BigInt,
        deleted_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    agreements (id) {
        id -> BigInt,
        ap_id -> Text,
        offer_ap_id -> Text,
        listing_id -> BigInt,
        initiator_id -> BigInt,
        responder_id -> BigInt,
        message -> Text,
        state -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    groups (actor_id) {
        actor_id -> BigInt,
        kind -> Text,
        place_name -> Text,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        website -> Nullable<Text>,
        join_policy -> Text,
        project_status -> Nullable<Text>,
        goals -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    memberships (id) {
        id -> BigInt,
        group_id -> BigInt,
        member_id -> BigInt,
        role -> Text,
        state -> Text,
        ap_id -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        mediator -> Bool,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        ap_id -> Text,
        organizer_id -> BigInt,
        group_id -> Nullable<BigInt>,
        title -> Text,
        description_html -> Text,
        starts_at -> BigInt,
        ends_at -> Nullable<BigInt>,
        timezone -> Nullable<Text>,
        place_name -> Text,
        place_address -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        capacity -> Nullable<Integer>,
        join_mode -> Text,
        local -> Bool,
        url -> Nullable<Text>,
        published_at -> BigInt,
        updated_at -> Nullable<BigInt>,
        deleted_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    participations (id) {
        id -> BigInt,
        session_id -> BigInt,
        participant_id -> BigInt,
        state -> Text,
        ap_id -> Nullable<Text>,
        created_at -> BigInt,
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
    listing_changes (seq) {
        seq -> BigInt,
        listing_id -> BigInt,
    }
}

diesel::table! {
    matches (id) {
        id -> BigInt,
        need_id -> BigInt,
        offer_id -> BigInt,
        score -> Double,
        reasons -> Text,
        need_state -> Text,
        offer_state -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        review -> Text,
        review_group_id -> Nullable<BigInt>,
        reviewed_by -> Nullable<BigInt>,
        released_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    mediated_listings (listing_id) {
        listing_id -> BigInt,
        group_uri -> Text,
    }
}

diesel::table! {
    pairing_approvals (need_uri, offer_uri) {
        need_uri -> Text,
        offer_uri -> Text,
        group_uri -> Text,
        post_id -> Nullable<BigInt>,
        approved_at -> BigInt,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        recipient_id -> BigInt,
        kind -> Text,
        reason -> Text,
        from_actor_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        match_id -> Nullable<BigInt>,
        created_at -> BigInt,
        dismissed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    oauth_apps (id) {
        id -> BigInt,
        client_id -> Text,
        client_secret_hash -> Text,
        name -> Text,
        redirect_uris -> Text,
        scopes -> Text,
        website -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    oauth_codes (code_hash) {
        code_hash -> Text,
        app_id -> BigInt,
        user_id -> BigInt,
        redirect_uri -> Text,
        scopes -> Text,
        code_challenge -> Nullable<Text>,
        code_challenge_method -> Nullable<Text>,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::joinable!(territory_links -> actors (partner_id));
diesel::joinable!(access_tokens -> users (user_id));
diesel::joinable!(agreements -> listings (listing_id));
diesel::table! {
    markers (user_id, timeline) {
        user_id -> BigInt,
        timeline -> Text,
        last_read_id -> BigInt,
        version -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    bookmarks (id) {
        id -> BigInt,
        actor_id -> BigInt,
        post_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    ledger_accounts (id) {
        id -> BigInt,
        owner_id -> Nullable<BigInt>,
        peer_domain -> Nullable<Text>,
        lower_limit -> BigInt,
        upper_limit -> BigInt,
        balance -> BigInt,
        held_out -> BigInt,
        held_in -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    ledger_transfers (id) {
        id -> BigInt,
        from_account -> BigInt,
        to_account -> BigInt,
        minutes -> BigInt,
        reason -> Text,
        memo -> Text,
        agreement_uri -> Nullable<Text>,
        recorded_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    ledger_movements (id) {
        id -> BigInt,
        transfer_id -> BigInt,
        account_id -> BigInt,
        minutes -> BigInt,
        balance_after -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    agreement_confirmations (agreement_id, actor_id) {
        agreement_id -> BigInt,
        actor_id -> BigInt,
        minutes -> BigInt,
        activity_uri -> Nullable<Text>,
        held_from -> Nullable<BigInt>,
        held_to -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    contributions (id) {
        id -> BigInt,
        group_id -> BigInt,
        member_id -> BigInt,
        minutes -> BigInt,
        form -> Text,
        note -> Text,
        worked_on -> BigInt,
        state -> Text,
        decided_by -> Nullable<BigInt>,
        created_at -> BigInt,
        decided_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        ip -> Text,
        account -> Text,
        attempted_at -> BigInt,
    }
}

diesel::joinable!(listings -> actors (author_id));
diesel::joinable!(actors -> users (user_id));
diesel::joinable!(posts -> actors (author_id));
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
    contact_details (user_id) {
        user_id -> BigInt,
        share_email -> Bool,
        phone -> Text,
        other -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    blocks (id) {
        id -> BigInt,
        actor_id -> BigInt,
        target_id -> BigInt,
        kind -> Text,
        created_at -> BigInt,
    }
}

diesel::joinable!(post_tags -> posts (post_id));
diesel::joinable!(conversation_members -> conversations (conversation_id));
diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        recipient -> Text,
        event_key -> Text,
        message_id -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        unsubscribe_url -> Nullable<Text>,
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
    mail_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        new_email -> Nullable<Text>,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    notification_settings (user_id, kind) {
        user_id -> BigInt,
        kind -> Text,
        app -> Bool,
        email -> Text,
        updated_at -> BigInt,
        push -> Bool,
    }
}

diesel::table! {
    notification_mails (id) {
        id -> BigInt,
        user_id -> BigInt,
        reason -> Text,
        from_actor_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        match_id -> Nullable<BigInt>,
        period -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    mail_digests (user_id, period) {
        user_id -> BigInt,
        period -> Text,
        last_sent_at -> BigInt,
    }
}

diesel::table! {
    node_secrets (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    push_subscriptions (id) {
        id -> BigInt,
        token_id -> BigInt,
        user_id -> BigInt,
        endpoint -> Text,
        p256dh -> Text,
        auth -> Text,
        alerts -> Text,
        policy -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    push_pending (id) {
        id -> BigInt,
        user_id -> BigInt,
        notification_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::joinable!(deliveries -> actors (signer_id));
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

diesel::allow_tables_to_appear_in_same_query!(
    polls,
    poll_votes,
    media,
    push_subscriptions,
    conversations,
    conversation_members,
    contact_details,
    blocks,
    users,
    ledger_accounts,
    ledger_transfers,
    ledger_movements,
    agreement_confirmations,
    contributions,
    markers,
    bookmarks,
    access_tokens,
    actors,
    follows,
    posts,
    post_tags,
    announces,
    likes,
    reports,
    received_activities,
    deliveries,
    instances,
    listings,
    agreements,
    groups,
    memberships,
    sessions,
    participations,
    domain_blocks,
    domain_allows,
    content_filters,
    node_settings,
    territory_links,
    listing_changes,
    matches,
    mediated_listings,
    pairing_approvals,
    notifications,
    oauth_apps,
    oauth_codes,
    mail_outbox,
    mail_tokens,
);

diesel::table! {
    places (source, source_id) {
        source -> Text,
        source_id -> Text,
        name -> Text,
        folded -> Text,
        postcodes -> Text,
        latitude -> Double,
        longitude -> Double,
        population -> BigInt,
        country -> Text,
        region -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    place_postcodes (postcode, source, source_id) {
        postcode -> Text,
        source -> Text,
        source_id -> Text,
    }
}
