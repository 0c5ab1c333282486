//! The `mail_tokens` table: single-use links sent by e-mail (password
//! resets, sign-up and e-mail change confirmations), stored as the
//! secret's digest.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{mail_tokens, users};

pub const PASSWORD_RESET: &str = "password_reset";
pub const CONFIRM_SIGNUP: &str = "confirm_signup";
pub const CHANGE_EMAIL: &str = "change_email";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mail_tokens)]
pub struct MailTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub purpose: String,
    pub token_hash: String,
    pub new_email: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub fn insert(conn: &mut DbConnection, row: &MailTokenRow) -> Result<(), Error> {
    diesel::insert_into(mail_tokens::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn find_by_hash(conn: &mut DbConnection, hash: &str) -> Result<Option<MailTokenRow>, Error> {
    mail_tokens::table
        .filter(mail_tokens::token_hash.eq(hash))
        .select(MailTokenRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Uses a token once: `false` when it was used (or ended) already, so two
/// clicks racing each other cannot both go through.
pub fn use_once(conn: &mut DbConnection, id: i64, now: Timestamp) -> Result<bool, Error> {
    let changed = diesel::update(mail_tokens::table.find(id).filter(mail_tokens::used_at.is_null()))
        .set(mail_tokens::used_at.eq(Some(now.as_micros())))
        .execute(conn)
        .map_err(db_error)?;
    Ok(changed == 1)
}

/// Ends every unused token of `purpose` of a user (a newer one replaces
/// them, or what they were for is done).
pub fn end_all(conn: &mut DbConnection, user: Id, purpose: &str, now: Timestamp) -> Result<usize, Error> {
    diesel::update(
        mail_tokens::table
            .filter(mail_tokens::user_id.eq(user.as_i64()))
            .filter(mail_tokens::purpose.eq(purpose))
            .filter(mail_tokens::used_at.is_null()),
    )
    .set(mail_tokens::used_at.eq(Some(now.as_micros())))
    .execute(conn)
    .map_err(db_error)
}

/// Whether a user has a token of `purpose` not used yet (expired or not).
pub fn has_unused(conn: &mut DbConnection, user: Id, purpose: &str) -> Result<bool, Error> {
    diesel::select(diesel::dsl::exists(
        mail_tokens::table
            .filter(mail_tokens::user_id.eq(user.as_i64()))
            .filter(mail_tokens::purpose.eq(purpose))
            .filter(mail_tokens::used_at.is_null()),
    ))
    .get_result(conn)
    .map_err(db_error)
}

/// Deletes tokens that ended before `before`.
pub fn prune(conn: &mut DbConnection, before: Timestamp) -> Result<usize, Error> {
    diesel::delete(mail_tokens::table.filter(mail_tokens::expires_at.lt(before.as_micros())))
        .execute(conn)
        .map_err(db_error)
}

/// Records that the account's address was confirmed by a link.
pub fn set_email_confirmed(conn: &mut DbConnection, user: Id, now: Timestamp) -> Result<(), Error> {
    diesel::update(users::table.find(user.as_i64()))
        .set(users::email_confirmed_at.eq(Some(now.as_micros())))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

/// Changes an account's address (confirmed by the link that was sent to
/// it); a conflict when another account took it meanwhile.
pub fn set_email(conn: &mut DbConnection, user: Id, email: &str, now: Timestamp) -> Result<(), Error> {
    diesel::update(users::table.find(user.as_i64()))
        .set((
            users::email.eq(email),
            users::email_lower.eq(email.to_lowercase()),
            users::email_confirmed_at.eq(Some(now.as_micros())),
            users::updated_at.eq(now.as_micros()),
        ))
        .execute(conn)
        .map(drop)
        .map_err(|e| {
            if crate::error::is_unique_violation_on(&e, "email") {
                Error::conflict("this e-mail address is already used by another account")
            } else {
                db_error(e)
            }
        })
}
