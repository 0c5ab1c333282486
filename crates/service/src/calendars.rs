//! Sessions as calendars (iCalendar, `core::ical`): one session, a
//! group's, the territory's, and a person's own through a private address
//! they can revoke. Only sessions anyone may see go into the shared ones.

use maillage_core::account::User;
use maillage_core::config::Config;
use maillage_core::ical::{self, IcsEvent};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::zone::Zone;
use maillage_core::Error;
use maillage_db::actors;
use maillage_db::sessions::{self, SessionRow};
use maillage_db::{transaction, users, DbConnection};

/// How far back a calendar reaches: last month's sessions stay in it.
const PAST_MICROS: i64 = 31 * 86_400 * 1_000_000;
const MAX_EVENTS: i64 = 500;

fn event_of(conn: &mut DbConnection, s: &SessionRow) -> Result<IcsEvent, Error> {
    let organizer = actors::find_by_id(conn, Id::from_i64(s.organizer_id))?
        .map(|a| if a.display_name.is_empty() { a.username } else { a.display_name })
        .unwrap_or_default();
    let location = match s.place_address.as_deref().filter(|a| !a.is_empty()) {
        Some(address) if !s.place_name.is_empty() => format!("{}, {address}", s.place_name),
        Some(address) => address.to_owned(),
        None => s.place_name.clone(),
    };
    Ok(IcsEvent {
        uid: s.ap_id.clone(),
        starts: Timestamp::from_micros(s.starts_at),
        ends: s.ends_at.map(Timestamp::from_micros),
        zone: s.timezone.as_deref().and_then(Zone::parse).unwrap_or(Zone::UTC),
        summary: s.title.clone(),
        description: crate::text::html_to_text(&s.description_html),
        location,
        geo: s.latitude.zip(s.longitude),
        url: s.url.clone().unwrap_or_else(|| s.ap_id.clone()),
        organizer,
        cancelled: s.deleted_at.is_some(),
        updated: Timestamp::from_micros(s.updated_at.unwrap_or(s.published_at)),
    })
}

fn calendar_of(conn: &mut DbConnection, name: &str, rows: &[SessionRow]) -> Result<String, Error> {
    let mut events = Vec::with_capacity(rows.len());
    for s in rows.iter().filter(|s| crate::sessions::can_see(s, None)) {
        events.push(event_of(conn, s)?);
    }
    Ok(ical::calendar(name, &events, Timestamp::now()))
}

fn since() -> i64 {
    Timestamp::now().as_micros() - PAST_MICROS
}

/// Session `id` as a calendar of one event; 404 when there is none to see.
pub fn of_session(conn: &mut DbConnection, id: Id) -> Result<String, Error> {
    let s = sessions::find_by_id(conn, id)?
        .filter(|s| s.deleted_at.is_none() && crate::sessions::can_see(s, None))
        .ok_or_else(|| Error::not_found("Record not found"))?;
    let name = s.title.clone();
    calendar_of(conn, &name, &[s])
}

/// The sessions of local group `name`; 404 when there is no such group.
pub fn of_group(conn: &mut DbConnection, name: &str) -> Result<String, Error> {
    let group = crate::groups::find_local(conn, name)?.ok_or_else(|| Error::not_found("Record not found"))?;
    let rows = sessions::upcoming_of(conn, None, Some(group.id), since(), MAX_EVENTS)?;
    let title =
        if group.display_name.is_empty() { group.username.clone() } else { group.display_name.clone() };
    calendar_of(conn, &title, &rows)
}

/// Every session of the territory.
pub fn of_territory(conn: &mut DbConnection, config: &Config) -> Result<String, Error> {
    let rows = sessions::upcoming(conn, since(), MAX_EVENTS)?;
    let territory = crate::territory_settings::territory(conn, config)?;
    calendar_of(conn, &territory.name, &rows)
}

/// The sessions the person whose private address holds `token` organises
/// or has a place in; 404 for a token revoked or never given.
pub fn of_token(conn: &mut DbConnection, config: &Config, token: &str) -> Result<String, Error> {
    let user =
        users::find_by_calendar_token(conn, token)?.ok_or_else(|| Error::not_found("Record not found"))?;
    let me = crate::actors::actor_of_user(conn, user.id())?;
    let rows = sessions::upcoming_with(conn, me.id, since(), MAX_EVENTS)?;
    let mut events = Vec::with_capacity(rows.len());
    for s in &rows {
        events.push(event_of(conn, s)?);
    }
    let name = format!("{} · {}", crate::territory_settings::territory(conn, config)?.name, user.username);
    Ok(ical::calendar(&name, &events, Timestamp::now()))
}

/// The secret of `user`'s private calendar address, once they asked for
/// one ([`renew_token`]).
pub fn token_of(conn: &mut DbConnection, user: &User) -> Result<Option<String>, Error> {
    let row = users::find_by_id(conn, user.id)?.ok_or_else(|| Error::not_found("Record not found"))?;
    Ok(Some(row.calendar_token).filter(|t| !t.is_empty()))
}

/// A new secret, the first or in place of one: the old address stops
/// working at once.
pub fn renew_token(conn: &mut DbConnection, user: &User) -> Result<String, Error> {
    let token = crate::tokens::new_secret();
    transaction::write(conn, |conn| users::set_calendar_token(conn, user.id, &token))?;
    Ok(token)
}
