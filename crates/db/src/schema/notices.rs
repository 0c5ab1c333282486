//! What people are told: notifications, mail, push.

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
