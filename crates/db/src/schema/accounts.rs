//! People's accounts and what their apps and browsers hold: users, tokens,
//! OAuth, log-in attempts, markers, bookmarks, blocks, contact details.

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
    login_attempts (id) {
        id -> BigInt,
        ip -> Text,
        account -> Text,
        attempted_at -> BigInt,
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
