//! Web Push subscriptions (one per access token) and the notifications
//! waiting to be pushed.

use diesel::prelude::*;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{access_tokens, push_pending, push_subscriptions};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = push_subscriptions)]
pub struct SubscriptionRow {
    pub id: i64,
    pub token_id: i64,
    pub user_id: i64,
    pub endpoint: String,
    /// The browser's public key and auth secret, base64url.
    pub p256dh: String,
    pub auth: String,
    /// A JSON object of alert → bool.
    pub alerts: String,
    pub policy: String,
    pub created_at: i64,
    pub updated_at: i64,
}

pub fn of_token(conn: &mut DbConnection, token: i64) -> Result<Option<SubscriptionRow>, Error> {
    push_subscriptions::table
        .filter(push_subscriptions::token_id.eq(token))
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// The subscriptions of `user` whose token is still valid.
pub fn of_user(conn: &mut DbConnection, user: i64) -> Result<Vec<SubscriptionRow>, Error> {
    push_subscriptions::table
        .inner_join(access_tokens::table.on(access_tokens::id.eq(push_subscriptions::token_id)))
        .filter(push_subscriptions::user_id.eq(user))
        .filter(access_tokens::revoked_at.is_null())
        .select(SubscriptionRow::as_select())
        .load(conn)
        .map_err(db_error)
}

pub fn has_any(conn: &mut DbConnection, user: i64) -> Result<bool, Error> {
    diesel::select(diesel::dsl::exists(
        push_subscriptions::table.filter(push_subscriptions::user_id.eq(user)),
    ))
    .get_result(conn)
    .map_err(db_error)
}

/// Stores `row` as its token's subscription, replacing the one it had.
pub fn put(conn: &mut DbConnection, row: &SubscriptionRow) -> Result<(), Error> {
    remove_of_token(conn, row.token_id)?;
    diesel::insert_into(push_subscriptions::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn update_choices(
    conn: &mut DbConnection,
    id: i64,
    alerts: &str,
    policy: &str,
    now: i64,
) -> Result<(), Error> {
    diesel::update(push_subscriptions::table.find(id))
        .set((
            push_subscriptions::alerts.eq(alerts),
            push_subscriptions::policy.eq(policy),
            push_subscriptions::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

pub fn remove_of_token(conn: &mut DbConnection, token: i64) -> Result<usize, Error> {
    diesel::delete(push_subscriptions::table.filter(push_subscriptions::token_id.eq(token)))
        .execute(conn)
        .map_err(db_error)
}

pub fn remove(conn: &mut DbConnection, id: i64) -> Result<usize, Error> {
    diesel::delete(push_subscriptions::table.find(id)).execute(conn).map_err(db_error)
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = push_pending)]
pub struct PendingPushRow {
    pub id: i64,
    pub user_id: i64,
    pub notification_id: i64,
    pub created_at: i64,
}

pub fn add_pending(conn: &mut DbConnection, row: &PendingPushRow) -> Result<(), Error> {
    diesel::insert_into(push_pending::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn pending(conn: &mut DbConnection, limit: i64) -> Result<Vec<PendingPushRow>, Error> {
    push_pending::table
        .order(push_pending::id.asc())
        .limit(limit)
        .select(PendingPushRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// Takes one item: true when this call removed it (another process did
/// not take it first).
pub fn take(conn: &mut DbConnection, id: i64) -> Result<bool, Error> {
    diesel::delete(push_pending::table.find(id)).execute(conn).map(|n| n == 1).map_err(db_error)
}
