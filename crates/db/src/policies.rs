//! Federation policies: domain blocks and allows, content filters, the
//! small run-time settings (federation mode, policy version), and the purge
//! of what was cached from a suspended domain.

use diesel::prelude::*;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{actors, content_filters, deliveries, domain_allows, domain_blocks, node_settings};

pub const POLICY_VERSION: &str = "policy_version";
pub const FEDERATION_MODE: &str = "federation_mode";

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = domain_blocks)]
pub struct DomainBlockRow {
    pub id: i64,
    pub domain: String,
    pub severity: String,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_comment: String,
    pub public_comment: String,
    pub obfuscate: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = domain_allows)]
pub struct DomainAllowRow {
    pub id: i64,
    pub domain: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = content_filters)]
pub struct ContentFilterRow {
    pub id: i64,
    pub kind: String,
    pub value: String,
    pub domain: Option<String>,
    pub action: String,
    pub created_at: i64,
}

pub fn blocks(conn: &mut DbConnection) -> Result<Vec<DomainBlockRow>, Error> {
    domain_blocks::table
        .order(domain_blocks::id.asc())
        .select(DomainBlockRow::as_select())
        .load(conn)
        .map_err(db_error)
}

pub fn find_block(conn: &mut DbConnection, id: i64) -> Result<Option<DomainBlockRow>, Error> {
    domain_blocks::table.find(id).select(DomainBlockRow::as_select()).first(conn).optional().map_err(db_error)
}

pub fn find_block_by_domain(conn: &mut DbConnection, domain: &str) -> Result<Option<DomainBlockRow>, Error> {
    domain_blocks::table
        .filter(domain_blocks::domain.eq(domain))
        .select(DomainBlockRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn insert_block(conn: &mut DbConnection, row: &DomainBlockRow) -> Result<(), Error> {
    diesel::insert_into(domain_blocks::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn update_block(conn: &mut DbConnection, row: &DomainBlockRow) -> Result<(), Error> {
    diesel::update(domain_blocks::table.find(row.id)).set(row).execute(conn).map(drop).map_err(db_error)
}

pub fn delete_block(conn: &mut DbConnection, id: i64) -> Result<bool, Error> {
    diesel::delete(domain_blocks::table.find(id)).execute(conn).map(|n| n > 0).map_err(db_error)
}

pub fn allows(conn: &mut DbConnection) -> Result<Vec<DomainAllowRow>, Error> {
    domain_allows::table
        .order(domain_allows::id.asc())
        .select(DomainAllowRow::as_select())
        .load(conn)
        .map_err(db_error)
}

pub fn find_allow(conn: &mut DbConnection, id: i64) -> Result<Option<DomainAllowRow>, Error> {
    domain_allows::table.find(id).select(DomainAllowRow::as_select()).first(conn).optional().map_err(db_error)
}

pub fn find_allow_by_domain(conn: &mut DbConnection, domain: &str) -> Result<Option<DomainAllowRow>, Error> {
    domain_allows::table
        .filter(domain_allows::domain.eq(domain))
        .select(DomainAllowRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn insert_allow(conn: &mut DbConnection, row: &DomainAllowRow) -> Result<(), Error> {
    diesel::insert_into(domain_allows::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn delete_allow(conn: &mut DbConnection, id: i64) -> Result<bool, Error> {
    diesel::delete(domain_allows::table.find(id)).execute(conn).map(|n| n > 0).map_err(db_error)
}

pub fn filters(conn: &mut DbConnection) -> Result<Vec<ContentFilterRow>, Error> {
    content_filters::table
        .order(content_filters::id.asc())
        .select(ContentFilterRow::as_select())
        .load(conn)
        .map_err(db_error)
}

pub fn insert_filter(conn: &mut DbConnection, row: &ContentFilterRow) -> Result<(), Error> {
    diesel::insert_into(content_filters::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn delete_filter(conn: &mut DbConnection, id: i64) -> Result<bool, Error> {
    diesel::delete(content_filters::table.find(id)).execute(conn).map(|n| n > 0).map_err(db_error)
}

pub fn setting(conn: &mut DbConnection, key: &str) -> Result<Option<String>, Error> {
    node_settings::table
        .filter(node_settings::key.eq(key))
        .select(node_settings::value)
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Every setting whose key starts with `prefix` (letters and dots, no
/// LIKE wildcard), as `(key, value)`.
pub fn settings_starting_with(conn: &mut DbConnection, prefix: &str) -> Result<Vec<(String, String)>, Error> {
    debug_assert!(!prefix.contains(['%', '_']), "a prefix without wildcards");
    node_settings::table
        .filter(node_settings::key.like(format!("{prefix}%")))
        .select((node_settings::key, node_settings::value))
        .order(node_settings::key)
        .load(conn)
        .map_err(db_error)
}

pub fn set_setting(conn: &mut DbConnection, key: &str, value: &str, now: Timestamp) -> Result<(), Error> {
    let updated = diesel::update(node_settings::table.filter(node_settings::key.eq(key)))
        .set((node_settings::value.eq(value), node_settings::updated_at.eq(now.as_micros())))
        .execute(conn)
        .map_err(db_error)?;
    if updated == 0 {
        diesel::insert_into(node_settings::table)
            .values((
                node_settings::key.eq(key),
                node_settings::value.eq(value),
                node_settings::updated_at.eq(now.as_micros()),
            ))
            .execute(conn)
            .map_err(db_error)?;
    }
    Ok(())
}

/// The version every process compares with its snapshot's.
pub fn policy_version(conn: &mut DbConnection) -> Result<i64, Error> {
    Ok(setting(conn, POLICY_VERSION)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Marks the policies changed, inside the transaction that changed them.
/// The row is locked by the update, so concurrent changes get distinct
/// versions.
pub fn bump_policy_version(conn: &mut DbConnection, now: Timestamp) -> Result<i64, Error> {
    let next = policy_version(conn)? + 1;
    set_setting(conn, POLICY_VERSION, &next.to_string(), now)?;
    Ok(next)
}

/// Removes the remote actors of `domains` and, by cascade, their follows
/// both ways, posts, boosts, likes, listings, sessions, memberships and
/// participations.
pub fn delete_remote_actors_of(conn: &mut DbConnection, domains: &[String]) -> Result<(), Error> {
    for chunk in domains.chunks(500) {
        diesel::delete(actors::table.filter(actors::domain.eq_any(chunk)).filter(actors::local.eq(false)))
            .execute(conn)
            .map_err(db_error)?;
    }
    Ok(())
}

/// Hosts something is still waiting to be sent to.
pub fn pending_delivery_hosts(conn: &mut DbConnection) -> Result<Vec<String>, Error> {
    deliveries::table
        .filter(deliveries::state.eq(crate::deliveries::PENDING))
        .select(deliveries::host)
        .distinct()
        .load(conn)
        .map_err(db_error)
}

/// Drops what was waiting to be sent to `hosts`.
pub fn drop_pending_deliveries_to(conn: &mut DbConnection, hosts: &[String]) -> Result<(), Error> {
    for chunk in hosts.chunks(500) {
        diesel::delete(
            deliveries::table
                .filter(deliveries::host.eq_any(chunk))
                .filter(deliveries::state.eq(crate::deliveries::PENDING)),
        )
        .execute(conn)
        .map_err(db_error)?;
    }
    Ok(())
}

/// Every domain remote actors are stored under.
pub fn remote_domains(conn: &mut DbConnection) -> Result<Vec<String>, Error> {
    actors::table
        .filter(actors::local.eq(false))
        .select(actors::domain)
        .distinct()
        .load(conn)
        .map_err(db_error)
}

/// Remote actors of `domains` that no local person or group follows.
pub fn unfollowed_remote_actors_of(conn: &mut DbConnection, domains: &[String]) -> Result<Vec<i64>, Error> {
    use crate::schema::follows;
    let mut out = Vec::new();
    for chunk in domains.chunks(500) {
        let ids: Vec<i64> = actors::table
            .filter(actors::local.eq(false))
            .filter(actors::domain.eq_any(chunk))
            .select(actors::id)
            .load(conn)
            .map_err(db_error)?;
        out.extend(ids);
    }
    if out.is_empty() {
        return Ok(out);
    }
    let mut followed: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for chunk in out.chunks(500) {
        let rows: Vec<i64> = follows::table
            .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
            .filter(follows::followed_id.eq_any(chunk))
            .filter(follows::state.eq(crate::follows::ACCEPTED))
            .filter(actors::local.eq(true))
            .filter(actors::purpose.is_null())
            .select(follows::followed_id)
            .load(conn)
            .map_err(db_error)?;
        followed.extend(rows);
    }
    out.retain(|id| !followed.contains(id));
    Ok(out)
}

/// Sets `key` to `new` only if it still holds `expected`: a
/// compare-and-set, so that of several processes exactly one wins.
pub fn compare_and_set(
    conn: &mut DbConnection,
    key: &str,
    expected: &str,
    new: &str,
    now: Timestamp,
) -> Result<bool, Error> {
    diesel::update(
        node_settings::table.filter(node_settings::key.eq(key)).filter(node_settings::value.eq(expected)),
    )
    .set((node_settings::value.eq(new), node_settings::updated_at.eq(now.as_micros())))
    .execute(conn)
    .map(|n| n == 1)
    .map_err(db_error)
}
