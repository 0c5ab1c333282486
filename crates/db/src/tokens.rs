//! The `access_tokens` table: bearer tokens, stored as SHA-256 digests.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::access_tokens;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = access_tokens)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub token_hash: String,
    pub scopes: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub app_id: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = access_tokens)]
pub struct NewToken<'a> {
    pub id: i64,
    pub user_id: Option<i64>,
    pub token_hash: &'a str,
    pub scopes: &'a str,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub app_id: Option<i64>,
}

pub fn insert(conn: &mut DbConnection, token: &NewToken<'_>) -> Result<(), Error> {
    diesel::insert_into(access_tokens::table).values(token).execute(conn).map(drop).map_err(db_error)
}

pub fn find_by_hash(conn: &mut DbConnection, hash: &str) -> Result<Option<TokenRow>, Error> {
    access_tokens::table
        .filter(access_tokens::token_hash.eq(hash))
        .select(TokenRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Revokes one token; returns whether it was live before.
pub fn revoke(conn: &mut DbConnection, id: Id, now: Timestamp) -> Result<bool, Error> {
    diesel::update(access_tokens::table.find(id.as_i64()).filter(access_tokens::revoked_at.is_null()))
        .set(access_tokens::revoked_at.eq(now.as_micros()))
        .execute(conn)
        .map(|n| n > 0)
        .map_err(db_error)
}

/// Revokes every live token of a user (password change, disabling).
pub fn revoke_all_for_user(conn: &mut DbConnection, user_id: Id, now: Timestamp) -> Result<usize, Error> {
    diesel::update(
        access_tokens::table
            .filter(access_tokens::user_id.eq(user_id.as_i64()))
            .filter(access_tokens::revoked_at.is_null()),
    )
    .set(access_tokens::revoked_at.eq(now.as_micros()))
    .execute(conn)
    .map_err(db_error)
}

pub fn touch(conn: &mut DbConnection, id: Id, now: Timestamp) -> Result<(), Error> {
    diesel::update(access_tokens::table.find(id.as_i64()))
        .set(access_tokens::last_used_at.eq(now.as_micros()))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}
