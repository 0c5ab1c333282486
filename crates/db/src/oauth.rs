//! OAuth 2 clients and authorization codes.

use diesel::prelude::*;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{oauth_apps, oauth_codes};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_apps)]
pub struct AppRow {
    pub id: i64,
    pub client_id: String,
    pub client_secret_hash: String,
    pub name: String,
    pub redirect_uris: String,
    pub scopes: String,
    pub website: Option<String>,
    pub created_at: i64,
}

impl AppRow {
    pub fn redirect_uri_list(&self) -> Vec<&str> {
        self.redirect_uris.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_codes)]
pub struct CodeRow {
    pub code_hash: String,
    pub app_id: i64,
    pub user_id: i64,
    pub redirect_uri: String,
    pub scopes: String,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub fn insert_app(conn: &mut DbConnection, row: &AppRow) -> Result<(), Error> {
    diesel::insert_into(oauth_apps::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn find_app_by_client_id(conn: &mut DbConnection, client_id: &str) -> Result<Option<AppRow>, Error> {
    oauth_apps::table
        .filter(oauth_apps::client_id.eq(client_id))
        .select(AppRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn find_app(conn: &mut DbConnection, id: i64) -> Result<Option<AppRow>, Error> {
    oauth_apps::table.find(id).select(AppRow::as_select()).first(conn).optional().map_err(db_error)
}

pub fn insert_code(conn: &mut DbConnection, row: &CodeRow) -> Result<(), Error> {
    diesel::insert_into(oauth_codes::table).values(row).execute(conn).map(drop).map_err(db_error)
}

/// Takes a code for use: returns it when it existed, was unused and is
/// marked used by this call (a code is good once, even with two
/// concurrent exchanges).
pub fn take_code(conn: &mut DbConnection, code_hash: &str, now: i64) -> Result<Option<CodeRow>, Error> {
    let taken = diesel::update(oauth_codes::table.find(code_hash).filter(oauth_codes::used_at.is_null()))
        .set(oauth_codes::used_at.eq(now))
        .execute(conn)
        .map_err(db_error)?;
    if taken == 0 {
        return Ok(None);
    }
    oauth_codes::table.find(code_hash).select(CodeRow::as_select()).first(conn).optional().map_err(db_error)
}

/// Forgets codes that expired before `before`.
pub fn prune_codes(conn: &mut DbConnection, before: i64) -> Result<usize, Error> {
    diesel::delete(oauth_codes::table.filter(oauth_codes::expires_at.lt(before)))
        .execute(conn)
        .map_err(db_error)
}
