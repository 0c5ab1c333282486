//! The organiser changes a session: its title, description, times, place
//! and capacity. People with a place or waiting are told when the time or
//! the place moves; more places go to the waiting list first come first
//! served; other servers receive an `Update` of the Event.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::sessions::{self, SessionRow};
use maillage_db::{transaction, DbConnection};

use super::{check, lock, promote_first_waiting, NewSession};
use crate::actors::actor_of_user;
use crate::federation::{Outbound, Outgoing};
use crate::text::render_markdown;

/// Local session `id` as its organiser `user` sees it to change it; 404
/// for someone else's, a cancelled one or another server's.
pub fn own(conn: &mut DbConnection, user: &User, id: Id) -> Result<SessionRow, Error> {
    let me = actor_of_user(conn, user.id)?;
    sessions::find_by_id(conn, id)?
        .filter(|s| s.local && s.deleted_at.is_none() && s.organizer_id == me.id)
        .ok_or_else(|| Error::not_found("Record not found"))
}

/// Changes local session `id` of `user`'s to `new` (its group stays);
/// 404 for someone else's. A capacity below the places already given is
/// refused.
pub fn update(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    user: &User,
    id: Id,
    new: &NewSession,
) -> Result<SessionRow, Error> {
    let starts = check(new)?;
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let session = lock(conn, id)?;
        if !session.local || session.organizer_id != me.id {
            return Err(Error::not_found("Record not found"));
        }
        let going = sessions::count_in_state(conn, id, "going")?;
        let (latitude, longitude) =
            crate::places::point_or_town(conn, (new.latitude, new.longitude), &new.place_name)?;
        if new.capacity.is_some_and(|c| i64::from(c) < going) {
            return Err(Error::unprocessable(format!(
                "Validation failed: capacity: {going} people already have a place"
            )));
        }
        let row = SessionRow {
            title: new.title.trim().to_owned(),
            description_html: render_markdown(&new.description, &|_| None),
            starts_at: starts.as_micros(),
            ends_at: new.ends_at.map(Timestamp::as_micros),
            timezone: new
                .timezone
                .as_deref()
                .and_then(maillage_core::zone::Zone::parse)
                .map(|z| z.name().to_owned())
                .or(session.timezone.clone()),
            place_name: new.place_name.trim().to_owned(),
            place_address: new.place_address.clone().filter(|a| !a.trim().is_empty()),
            latitude,
            longitude,
            capacity: new.capacity,
            updated_at: Some(Timestamp::now().as_micros()),
            ..session.clone()
        };
        sessions::update(conn, &row)?;
        let mut places = row.capacity.map_or(i64::MAX, |c| i64::from(c) - going);
        while places > 0 && promote_first_waiting(conn, outbound, &row)?.is_some() {
            places -= 1;
        }
        if moved(&session, &row) {
            for state in ["going", "waiting"] {
                for (_, who) in sessions::participants(conn, id, state)? {
                    crate::notices::tell_event(conn, &who, &me, "session_changed", None)?;
                }
            }
        }
        outbound.publish(conn, Outgoing::UpdateSession { session: &row, organizer: &me })?;
        Ok(row)
    })
}

/// Whether what people come by (when, where) changed.
fn moved(before: &SessionRow, after: &SessionRow) -> bool {
    (before.starts_at, before.ends_at) != (after.starts_at, after.ends_at)
        || (&before.place_name, &before.place_address) != (&after.place_name, &after.place_address)
        || (before.latitude, before.longitude) != (after.latitude, after.longitude)
}
