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
    }
}

diesel::joinable!(access_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, access_tokens);
