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

use super::{check, described, lock, promote_first_waiting, NewSession};
use crate::actors::actor_of_user;
use crate::federation::{Outbound, Outgoing};

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
        let updated = SessionRow { updated_at: Some(Timestamp::now().as_micros()), ..session.clone() };
        let row = described(updated, new, starts, (latitude, longitude));
        sessions::update(conn, &row)?;
        if let Some(media) = &new.media_ids {
            crate::media::attach(conn, me.id, row.id, media, crate::media::MAX_STATUS_MEDIA)?;
        }
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
