//! The `actors` table: local actors (with private keys) and remote ones.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::actors;

/// An actor as stored. Never serialized to clients.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = actors, treat_none_as_null = true)]
pub struct ActorRow {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub username: String,
    pub username_lower: String,
    pub domain: String,
    pub display_name: String,
    pub summary_html: String,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub url: Option<String>,
    pub icon_url: Option<String>,
    /// The header picture of the profile.
    pub image_url: Option<String>,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub manually_approves_followers: bool,
    pub local: bool,
    pub purpose: Option<String>,
    pub user_id: Option<i64>,
    pub published_at: i64,
    pub updated_at: i64,
    pub fetched_at: Option<i64>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl ActorRow {
    pub fn id(&self) -> Id {
        Id::from_i64(self.id)
    }

    /// Where deliveries for this actor go: the shared inbox when it has one.
    pub fn delivery_inbox(&self) -> &str {
        self.shared_inbox_url.as_deref().unwrap_or(&self.inbox_url)
    }
}

/// Inserts unless an actor with the same id (or handle) exists; returns
/// whether it went in.
pub fn insert_or_ignore(conn: &mut DbConnection, actor: &ActorRow) -> Result<bool, Error> {
    Ok(crate::insert_or_ignore!(conn, actors::table, actor)? == 1)
}

pub fn insert(conn: &mut DbConnection, actor: &ActorRow) -> Result<(), Error> {
    diesel::insert_into(actors::table).values(actor).execute(conn).map(drop).map_err(db_error)
}

/// Replaces every column of an existing actor (used when a remote actor is
/// refreshed); the id and the local flag never change.
pub fn update(conn: &mut DbConnection, actor: &ActorRow) -> Result<(), Error> {
    diesel::update(actors::table.find(actor.id)).set(actor).execute(conn).map(drop).map_err(db_error)
}

pub fn find_by_id(conn: &mut DbConnection, id: Id) -> Result<Option<ActorRow>, Error> {
    actors::table.find(id.as_i64()).select(ActorRow::as_select()).first(conn).optional().map_err(db_error)
}

pub fn find_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> Result<Option<ActorRow>, Error> {
    actors::table
        .filter(actors::ap_id.eq(ap_id))
        .select(ActorRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// A local actor by its lower-case username.
pub fn find_local_by_username(conn: &mut DbConnection, lower: &str) -> Result<Option<ActorRow>, Error> {
    actors::table
        .filter(actors::local.eq(true))
        .filter(actors::username_lower.eq(lower))
        .select(ActorRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// An actor by `username@domain`, local or remote.
pub fn find_by_handle(conn: &mut DbConnection, lower: &str, domain: &str) -> Result<Option<ActorRow>, Error> {
    actors::table
        .filter(actors::username_lower.eq(lower))
        .filter(actors::domain.eq(domain))
        .select(ActorRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

diesel::define_sql_function!(#[sql_name = "lower"] fn sql_lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// People and groups whose username starts with `prefix` or whose display
/// name contains it (case-insensitive), local ones first; the node's own
/// instance actor is left out.
pub fn search(conn: &mut DbConnection, prefix: &str, limit: i64) -> Result<Vec<ActorRow>, Error> {
    let lower = prefix.to_lowercase().replace(['%', '_', '\\'], "");
    if lower.is_empty() {
        return Ok(Vec::new());
    }
    actors::table
        .filter(
            actors::username_lower
                .like(format!("{lower}%"))
                .or(sql_lower(actors::display_name).like(format!("%{lower}%"))),
        )
        .filter(actors::purpose.is_null().or(actors::purpose.eq("territory")))
        .select(ActorRow::as_select())
        .order((actors::local.desc(), actors::username_lower.asc()))
        .limit(limit)
        .load(conn)
        .map_err(db_error)
}

pub fn find_by_purpose(conn: &mut DbConnection, purpose: &str) -> Result<Option<ActorRow>, Error> {
    actors::table
        .filter(actors::local.eq(true))
        .filter(actors::purpose.eq(purpose))
        .select(ActorRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn find_by_user_id(conn: &mut DbConnection, user_id: Id) -> Result<Option<ActorRow>, Error> {
    actors::table
        .filter(actors::user_id.eq(user_id.as_i64()))
        .select(ActorRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn count_local_of_kind(conn: &mut DbConnection, kind: &str) -> Result<i64, Error> {
    actors::table
        .filter(actors::local.eq(true))
        .filter(actors::kind.eq(kind))
        .filter(actors::purpose.is_null())
        .count()
        .get_result(conn)
        .map_err(db_error)
}

/// The actors with one of `ids` or one of `ap_ids`, in one query.
pub fn find_by_ids_or_ap_ids(
    conn: &mut DbConnection,
    ids: &[i64],
    ap_ids: &[String],
) -> Result<Vec<ActorRow>, Error> {
    if ids.is_empty() && ap_ids.is_empty() {
        return Ok(Vec::new());
    }
    actors::table
        .filter(actors::id.eq_any(ids).or(actors::ap_id.eq_any(ap_ids)))
        .select(ActorRow::as_select())
        .load(conn)
        .map_err(db_error)
}
