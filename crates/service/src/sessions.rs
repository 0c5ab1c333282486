//! Knowledge-exchange sessions: an organizer sets a time, a place and a
//! capacity; people say they come; past the capacity they wait, first come
//! first served, and the first waiting is promoted when someone leaves.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::session::{CAPACITY_MAX, DESCRIPTION_MAX, TITLE_MAX};
use maillage_core::time::Timestamp;
use maillage_core::urls::{AnsweredKind, LocalUrls};
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::sessions::{self, ParticipationRow, SessionRow};
use maillage_db::{transaction, DbConnection};

use crate::actors::actor_of_user;
use crate::federation::{Outbound, Outgoing};
use crate::text::render_markdown;

mod edit;
mod read;
pub use edit::{own, update};
pub use read::{
    attendance, can_see, find_visible, get_visible, mine, participants, place_of, status_html, upcoming,
    Attendance,
};

#[derive(Debug, Clone, Default)]
pub struct NewSession {
    pub title: String,
    pub description: String,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    pub timezone: Option<String>,
    pub place_name: String,
    pub place_address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub capacity: Option<i32>,
    /// A local group the organizer belongs to, which then announces it.
    pub group: Option<Id>,
    /// Photos (uploaded media ids) in order; `None` keeps a changed
    /// session's.
    pub media_ids: Option<Vec<Id>>,
}

pub(crate) fn check(new: &NewSession) -> Result<Timestamp, Error> {
    let mut problems = Vec::new();
    let title = new.title.trim();
    if title.is_empty() || title.chars().count() > TITLE_MAX {
        problems.push(format!("title: must be 1 to {TITLE_MAX} characters"));
    }
    if new.description.chars().count() > DESCRIPTION_MAX {
        problems.push(format!("description: must be at most {DESCRIPTION_MAX} characters"));
    }
    let Some(starts) = new.starts_at else {
        return Err(Error::unprocessable("Validation failed: starts_at: is required"));
    };
    if new.ends_at.is_some_and(|e| e <= starts) {
        problems.push("ends_at: must be after starts_at".into());
    }
    if new.timezone.as_deref().is_some_and(|z| maillage_core::zone::Zone::parse(z).is_none()) {
        problems.push("timezone: must be an IANA time zone such as Europe/Paris".into());
    }
    if new.capacity.is_some_and(|c| !(1..=CAPACITY_MAX).contains(&c)) {
        problems.push(format!("capacity: must be from 1 to {CAPACITY_MAX}"));
    }
    match (new.latitude, new.longitude) {
        (Some(lat), Some(lon)) if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) => {
            problems.push("place: latitude or longitude out of range".into())
        }
        (Some(_), None) | (None, Some(_)) => {
            problems.push("place: latitude and longitude go together".into())
        }
        _ => {}
    }
    if problems.is_empty() {
        Ok(starts)
    } else {
        Err(Error::unprocessable(format!("Validation failed: {}", problems.join("; "))))
    }
}

pub fn create(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    new: &NewSession,
) -> Result<SessionRow, Error> {
    let starts = check(new)?;
    transaction::write(conn, |conn| {
        let organizer = actor_of_user(conn, user.id)?;
        let (latitude, longitude) =
            crate::places::point_or_town(conn, (new.latitude, new.longitude), &new.place_name)?;
        if let Some(group) = new.group {
            let member = maillage_db::groups::find_membership(conn, group, organizer.id())?
                .is_some_and(|m| m.is_accepted());
            if !member {
                return Err(Error::unprocessable(
                    "Validation failed: group_id: you are not a member of this group",
                ));
            }
        }
        let now = Timestamp::now();
        let id = Id::generate_at(now);
        let row = SessionRow {
            id: id.as_i64(),
            ap_id: urls.object(id),
            organizer_id: organizer.id,
            group_id: new.group.map(Id::as_i64),
            title: String::new(),
            description_html: String::new(),
            starts_at: starts.as_micros(),
            ends_at: None,
            timezone: None,
            place_name: String::new(),
            place_address: None,
            latitude: None,
            longitude: None,
            capacity: None,
            join_mode: "free".into(),
            local: true,
            url: organizer.url.as_ref().map(|u| format!("{u}/sessions/{id}")),
            published_at: now.as_micros(),
            updated_at: None,
            deleted_at: None,
        };
        let row = described(row, new, starts, (latitude, longitude));
        sessions::insert_or_ignore(conn, &row)?;
        if let Some(media) = &new.media_ids {
            crate::media::attach(conn, organizer.id, row.id, media, crate::media::MAX_STATUS_MEDIA)?;
        }
        outbound.publish(conn, Outgoing::CreateSession { session: &row, organizer: &organizer })?;
        Ok(row)
    })
}

/// `row` with what `new` describes (title, text, times, place, capacity);
/// a zone `new` does not name keeps the row's.
pub(crate) fn described(
    row: SessionRow,
    new: &NewSession,
    starts: Timestamp,
    (latitude, longitude): (Option<f64>, Option<f64>),
) -> SessionRow {
    let timezone = new.timezone.as_deref().and_then(maillage_core::zone::Zone::parse);
    SessionRow {
        title: new.title.trim().to_owned(),
        description_html: render_markdown(&new.description, &|_| None),
        starts_at: starts.as_micros(),
        ends_at: new.ends_at.map(Timestamp::as_micros),
        timezone: timezone.map(|z| z.name().to_owned()).or(row.timezone.clone()),
        place_name: new.place_name.trim().to_owned(),
        place_address: new.place_address.clone().filter(|a| !a.trim().is_empty()),
        latitude,
        longitude,
        capacity: new.capacity,
        ..row
    }
}

/// The session, locked for this transaction (see
/// [`sessions::lock_for_update`]).
pub(crate) fn lock(conn: &mut DbConnection, id: Id) -> Result<SessionRow, Error> {
    sessions::lock_for_update(conn, id, Timestamp::now())?
        .filter(|s| s.deleted_at.is_none())
        .ok_or_else(|| Error::not_found("Record not found"))
}

/// Gives `participant` a place in local `session`, or the waiting list;
/// tells a remote participant who got a place. Used for local people and
/// for Joins from other servers (`join_ap_id` is then their activity id).
pub fn admit(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    session: &SessionRow,
    participant: &ActorRow,
    join_ap_id: String,
) -> Result<ParticipationRow, Error> {
    if let Some(existing) = sessions::find_participation(conn, session.id(), participant.id())? {
        return Ok(existing);
    }
    let going = sessions::count_in_state(conn, session.id(), "going")?;
    let full = session.capacity.is_some_and(|c| going >= i64::from(c));
    let now = Timestamp::now();
    let row = ParticipationRow {
        id: Id::generate_at(now).as_i64(),
        session_id: session.id,
        participant_id: participant.id,
        state: if full { "waiting" } else { "going" }.into(),
        ap_id: Some(join_ap_id),
        created_at: now.as_micros(),
    };
    sessions::insert_participation_or_ignore(conn, &row)?;
    if !full {
        let organizer = organizer_of(conn, session)?;
        crate::notices::tell_event(conn, &organizer, participant, "session_joined", None)?;
    }
    if !full && !participant.local {
        let organizer = organizer_of(conn, session)?;
        outbound.publish(
            conn,
            Outgoing::AcceptSessionJoin { participation: &row, participant, session, organizer: &organizer },
        )?;
    }
    Ok(row)
}

fn organizer_of(conn: &mut DbConnection, session: &SessionRow) -> Result<ActorRow, Error> {
    maillage_db::actors::find_by_id(conn, Id::from_i64(session.organizer_id))?
        .ok_or_else(|| Error::internal("session without organizer"))
}

/// `user` comes: going while places remain, waiting after. For a remote
/// session the answer comes from its organizer's server.
pub fn join(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    id: Id,
) -> Result<ParticipationRow, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let session = lock(conn, id)?;
        let join_id = urls.answered_activity(AnsweredKind::Rsvp, Id::generate());
        if session.local {
            return admit(conn, outbound, &session, &me, join_id);
        }
        if let Some(existing) = sessions::find_participation(conn, session.id(), me.id())? {
            return Ok(existing);
        }
        let now = Timestamp::now();
        let row = ParticipationRow {
            id: Id::generate_at(now).as_i64(),
            session_id: session.id,
            participant_id: me.id,
            state: "pending".into(),
            ap_id: Some(join_id),
            created_at: now.as_micros(),
        };
        sessions::insert_participation_or_ignore(conn, &row)?;
        let organizer = organizer_of(conn, &session)?;
        outbound.publish(
            conn,
            Outgoing::JoinSession {
                participation: &row,
                participant: &me,
                session: &session,
                organizer: &organizer,
            },
        )?;
        Ok(row)
    })
}

/// `participant` leaves local `session`; if they had a place, the first
/// waiting gets it (and is told, when remote). Returns who was promoted.
pub fn release(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    session: &SessionRow,
    participant: &ActorRow,
) -> Result<Option<ParticipationRow>, Error> {
    let Some(mine) = sessions::find_participation(conn, session.id(), participant.id())? else {
        return Ok(None);
    };
    sessions::delete_participation(conn, mine.id)?;
    if mine.state != "going" {
        return Ok(None);
    }
    promote_first_waiting(conn, outbound, session)
}

/// The first on the waiting list of local `session` gets a place and is
/// told (and their server, when remote). Returns who, if anyone waited.
pub(crate) fn promote_first_waiting(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    session: &SessionRow,
) -> Result<Option<ParticipationRow>, Error> {
    let Some((first, first_actor)) =
        sessions::participants(conn, session.id(), "waiting")?.into_iter().next()
    else {
        return Ok(None);
    };
    sessions::set_participation_state(conn, first.id, "going")?;
    let promoted = ParticipationRow { state: "going".into(), ..first };
    let organizer = organizer_of(conn, session)?;
    crate::notices::tell_event(conn, &first_actor, &organizer, "session_promoted", None)?;
    if !first_actor.local {
        let organizer = organizer_of(conn, session)?;
        outbound.publish(
            conn,
            Outgoing::AcceptSessionJoin {
                participation: &promoted,
                participant: &first_actor,
                session,
                organizer: &organizer,
            },
        )?;
    }
    Ok(Some(promoted))
}

/// `user` no longer comes.
pub fn leave(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    user: &User,
    id: Id,
) -> Result<Option<ParticipationRow>, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let session = lock(conn, id)?;
        if sessions::find_participation(conn, session.id(), me.id())?.is_none() {
            return Err(Error::not_found("Record not found: you are not taking part"));
        }
        if session.local {
            return release(conn, outbound, &session, &me);
        }
        if let Some(mine) = sessions::find_participation(conn, session.id(), me.id())? {
            sessions::delete_participation(conn, mine.id)?;
        }
        let organizer = organizer_of(conn, &session)?;
        outbound.publish(
            conn,
            Outgoing::LeaveSession { participant: &me, session: &session, organizer: &organizer },
        )?;
        Ok(None)
    })
}

/// The organiser cancels local session `id`: it is deleted, everyone with
/// a place or waiting is told (as they chose to hear of sessions), and
/// other servers hear of it. 404 for someone else's session.
pub fn cancel(conn: &mut DbConnection, outbound: &dyn Outbound, user: &User, id: Id) -> Result<(), Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let session = lock(conn, id)?;
        if !session.local || session.organizer_id != me.id {
            return Err(Error::not_found("Record not found"));
        }
        let now = Timestamp::now();
        sessions::mark_deleted(conn, id, now)?;
        let cancelled = SessionRow { deleted_at: Some(now.as_micros()), ..session };
        for state in ["going", "waiting"] {
            for (_, who) in sessions::participants(conn, id, state)? {
                crate::notices::tell_event(conn, &who, &me, "session_cancelled", None)?;
            }
        }
        outbound.publish(conn, Outgoing::CancelSession { session: &cancelled, organizer: &me })
    })
}
