//! A session changed or cancelled by its organiser: an `Update` of the
//! Event, or a `Delete` (a Tombstone, `formerType: Event`, as Mobilizon
//! reads it), to the organiser's followers, the people with a place or
//! waiting on other servers, and through its group.

use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::sessions::{self, SessionRow};
use maillage_db::{follows, DbConnection};
use serde_json::json;

use super::ApubOutbound;
use crate::builders::*;
use crate::objects::note::tombstone;
use crate::objects::session::session_document;
use crate::protocol::PUBLIC;

impl ApubOutbound {
    pub(super) fn session_updated(
        &self,
        conn: &mut DbConnection,
        session: &SessionRow,
        organizer: &ActorRow,
    ) -> Result<(), Error> {
        let going = sessions::count_in_state(conn, session.id(), "going")?;
        let followers: Vec<String> = organizer.followers_url.clone().into_iter().collect();
        let activity = build_update(
            &self.new_activity_id(),
            &organizer.ap_id,
            session_document(conn, &self.urls, session, organizer, going)?,
            &[PUBLIC.to_owned()],
            &followers,
        );
        let inboxes = audience_inboxes(conn, session, organizer)?;
        self.enqueue(conn, &activity, organizer, inboxes)?;
        if let Some(group) = session.group_id.map(Id::from_i64) {
            self.group_announce(conn, group, &activity, &session.ap_id, "Update")?;
        }
        Ok(())
    }

    pub(super) fn session_cancelled(
        &self,
        conn: &mut DbConnection,
        session: &SessionRow,
        organizer: &ActorRow,
    ) -> Result<(), Error> {
        let mut object = tombstone(&session.ap_id, session.deleted_at.or(Some(Timestamp::now().as_micros())));
        object["formerType"] = json!("Event");
        let followers: Vec<String> = organizer.followers_url.clone().into_iter().collect();
        let activity = build_delete(
            &format!("{}#delete", session.ap_id),
            &organizer.ap_id,
            object,
            &[PUBLIC.to_owned()],
            &followers,
        );
        let inboxes = audience_inboxes(conn, session, organizer)?;
        self.enqueue(conn, &activity, organizer, inboxes)?;
        if let Some(group) = session.group_id.map(Id::from_i64) {
            self.group_announce(conn, group, &activity, &session.ap_id, "Delete")?;
        }
        Ok(())
    }
}

/// The organiser's followers' inboxes and those of the people with a place
/// or waiting on other servers.
fn audience_inboxes(
    conn: &mut DbConnection,
    session: &SessionRow,
    organizer: &ActorRow,
) -> Result<Vec<String>, Error> {
    let mut inboxes = follows::remote_follower_inboxes(conn, organizer.id())?;
    for state in ["going", "waiting"] {
        for (_, who) in sessions::participants(conn, session.id(), state)? {
            if !who.local {
                inboxes.push(who.delivery_inbox().to_owned());
            }
        }
    }
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}
