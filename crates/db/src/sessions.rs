//! The `sessions` and `participations` tables: knowledge-exchange sessions
//! and who takes part (going, or waiting for a place).

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::Error;

use crate::actors::ActorRow;
use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{actors, participations, sessions};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sessions, treat_none_as_null = true)]
pub struct SessionRow {
    pub id: i64,
    pub ap_id: String,
    pub organizer_id: i64,
    pub group_id: Option<i64>,
    pub title: String,
    pub description_html: String,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub timezone: Option<String>,
    pub place_name: String,
    pub place_address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub capacity: Option<i32>,
    pub join_mode: String,
    pub local: bool,
    pub url: Option<String>,
    pub published_at: i64,
    pub updated_at: Option<i64>,
    pub deleted_at: Option<i64>,
}

impl SessionRow {
    pub fn id(&self) -> Id {
        Id::from_i64(self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = participations)]
pub struct ParticipationRow {
    pub id: i64,
    pub session_id: i64,
    pub participant_id: i64,
    pub state: String,
    pub ap_id: Option<String>,
    pub created_at: i64,
}

pub fn insert_or_ignore(conn: &mut DbConnection, row: &SessionRow) -> Result<bool, Error> {
    let inserted = crate::insert_or_ignore!(conn, sessions::table, row)? == 1;
    if inserted {
        crate::status_views::mirror_session(conn, row)?;
    }
    Ok(inserted)
}

/// Replaces a live session's columns; a deleted one stays deleted.
pub fn update(conn: &mut DbConnection, row: &SessionRow) -> Result<(), Error> {
    let live = diesel::update(sessions::table.find(row.id).filter(sessions::deleted_at.is_null()))
        .set(row)
        .execute(conn)
        .map_err(db_error)?;
    if live == 1 {
        crate::status_views::mirror_session(conn, row)?;
    }
    Ok(())
}

/// Keeps the row as a tombstone, with its status view.
pub fn mark_deleted(
    conn: &mut DbConnection,
    id: Id,
    now: maillage_core::time::Timestamp,
) -> Result<(), Error> {
    diesel::update(sessions::table.find(id.as_i64()))
        .set(sessions::deleted_at.eq(Some(now.as_micros())))
        .execute(conn)
        .map_err(db_error)?;
    crate::posts::mark_deleted(conn, id, now)
}

/// Live sessions starting from `from`, soonest first.
pub fn upcoming(conn: &mut DbConnection, from: i64, limit: i64) -> Result<Vec<SessionRow>, Error> {
    sessions::table
        .filter(sessions::deleted_at.is_null())
        .filter(sessions::starts_at.ge(from))
        .order(sessions::starts_at.asc())
        .limit(limit)
        .select(SessionRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// Live sessions organised by `organizer` or published in `group`, from
/// `from`, soonest first.
pub fn upcoming_of(
    conn: &mut DbConnection,
    organizer: Option<i64>,
    group: Option<i64>,
    from: i64,
    limit: i64,
) -> Result<Vec<SessionRow>, Error> {
    let mut q = sessions::table
        .filter(sessions::deleted_at.is_null())
        .filter(sessions::starts_at.ge(from))
        .into_boxed();
    if let Some(o) = organizer {
        q = q.filter(sessions::organizer_id.eq(o));
    }
    if let Some(g) = group {
        q = q.filter(sessions::group_id.eq(g));
    }
    q.order(sessions::starts_at.asc())
        .limit(limit)
        .select(SessionRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// Live sessions from `from` that `actor` organises or holds a place in
/// (going or waiting), soonest first.
pub fn upcoming_with(
    conn: &mut DbConnection,
    actor: i64,
    from: i64,
    limit: i64,
) -> Result<Vec<SessionRow>, Error> {
    let with_a_place = crate::schema::participations::table
        .filter(crate::schema::participations::participant_id.eq(actor))
        .select(crate::schema::participations::session_id);
    sessions::table
        .filter(sessions::deleted_at.is_null())
        .filter(sessions::starts_at.ge(from))
        .filter(sessions::organizer_id.eq(actor).or(sessions::id.eq_any(with_a_place)))
        .order(sessions::starts_at.asc())
        .limit(limit)
        .select(SessionRow::as_select())
        .load(conn)
        .map_err(db_error)
}

pub fn find_by_id(conn: &mut DbConnection, id: Id) -> Result<Option<SessionRow>, Error> {
    sessions::table.find(id.as_i64()).select(SessionRow::as_select()).first(conn).optional().map_err(db_error)
}

pub fn find_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> Result<Option<SessionRow>, Error> {
    sessions::table
        .filter(sessions::ap_id.eq(ap_id))
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn insert_participation_or_ignore(
    conn: &mut DbConnection,
    row: &ParticipationRow,
) -> Result<bool, Error> {
    Ok(crate::insert_or_ignore!(conn, participations::table, row)? == 1)
}

pub fn find_participation(
    conn: &mut DbConnection,
    session: Id,
    participant: Id,
) -> Result<Option<ParticipationRow>, Error> {
    participations::table
        .filter(participations::session_id.eq(session.as_i64()))
        .filter(participations::participant_id.eq(participant.as_i64()))
        .select(ParticipationRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn delete_participation(conn: &mut DbConnection, id: i64) -> Result<(), Error> {
    diesel::delete(participations::table.find(id)).execute(conn).map(drop).map_err(db_error)
}

pub fn set_participation_state(conn: &mut DbConnection, id: i64, state: &str) -> Result<(), Error> {
    diesel::update(participations::table.find(id))
        .set(participations::state.eq(state))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

pub fn count_in_state(conn: &mut DbConnection, session: Id, state: &str) -> Result<i64, Error> {
    participations::table
        .filter(participations::session_id.eq(session.as_i64()))
        .filter(participations::state.eq(state))
        .count()
        .get_result(conn)
        .map_err(db_error)
}

/// Participants in one state, first come first.
pub fn participants(
    conn: &mut DbConnection,
    session: Id,
    state: &str,
) -> Result<Vec<(ParticipationRow, ActorRow)>, Error> {
    participations::table
        .inner_join(actors::table.on(actors::id.eq(participations::participant_id)))
        .filter(participations::session_id.eq(session.as_i64()))
        .filter(participations::state.eq(state))
        .select((ParticipationRow::as_select(), ActorRow::as_select()))
        .order(participations::id.asc())
        .load(conn)
        .map_err(db_error)
}

/// Touches the session so that its row is locked until the transaction
/// ends (PostgreSQL); returns it. Two people taking the last place at once
/// are thus served one after the other.
pub fn lock_for_update(
    conn: &mut DbConnection,
    id: Id,
    now: maillage_core::time::Timestamp,
) -> Result<Option<SessionRow>, Error> {
    diesel::update(sessions::table.find(id.as_i64()))
        .set(sessions::updated_at.eq(Some(now.as_micros())))
        .execute(conn)
        .map_err(db_error)?;
    find_by_id(conn, id)
}

pub fn find_participation_by_ap_id(
    conn: &mut DbConnection,
    ap_id: &str,
) -> Result<Option<ParticipationRow>, Error> {
    participations::table
        .filter(participations::ap_id.eq(ap_id))
        .select(ParticipationRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}
