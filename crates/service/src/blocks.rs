//! Blocking and muting a person. A block hides their posts, messages,
//! matches and notifications from the one who blocked; a mute hides their
//! notifications and matches, and their messages no longer count as
//! unread. Neither is told to the person (writing to someone who blocked
//! you looks the same as writing to anyone).

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::blocks::{self, BlockRow, BLOCK, MUTE};
use maillage_db::{transaction, DbConnection};

use crate::actors::actor_of_user;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Block,
    Mute,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Block => BLOCK,
            Kind::Mute => MUTE,
        }
    }
}

/// What `viewer` holds against `other`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relation {
    pub blocking: bool,
    pub muting: bool,
}

impl Relation {
    /// Whether `other`'s notifications and matches stay away from `viewer`.
    pub fn silences(self) -> bool {
        self.blocking || self.muting
    }
}

pub fn relation(conn: &mut DbConnection, viewer: i64, other: i64) -> Result<Relation, Error> {
    if viewer == other {
        return Ok(Relation::default());
    }
    let kinds = blocks::kinds(conn, viewer, other)?;
    Ok(Relation { blocking: kinds.iter().any(|k| k == BLOCK), muting: kinds.iter().any(|k| k == MUTE) })
}

/// Whether local `viewer` blocked `other`.
pub fn is_blocked(conn: &mut DbConnection, viewer: i64, other: i64) -> Result<bool, Error> {
    Ok(relation(conn, viewer, other)?.blocking)
}

/// `user` blocks or mutes actor `target` (idempotent); 404 for an unknown
/// actor, 422 for oneself.
pub fn set(
    conn: &mut DbConnection,
    user: &User,
    target: Id,
    kind: Kind,
    on: bool,
) -> Result<ActorRow, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let other = actors::find_by_id(conn, target)?.ok_or_else(|| Error::not_found("Record not found"))?;
        if other.id == me.id {
            return Err(Error::unprocessable(
                "Validation failed: account: you cannot block or mute yourself",
            ));
        }
        if on {
            let now = Timestamp::now();
            blocks::insert(
                conn,
                &BlockRow {
                    id: Id::generate_at(now).as_i64(),
                    actor_id: me.id,
                    target_id: other.id,
                    kind: kind.name().into(),
                    created_at: now.as_micros(),
                },
            )?;
        } else {
            blocks::delete(conn, me.id, other.id, kind.name())?;
        }
        Ok(other)
    })
}

/// The actors `user` blocked (or muted), newest first.
pub fn list(conn: &mut DbConnection, user: &User, kind: Kind, limit: i64) -> Result<Vec<ActorRow>, Error> {
    let me = actor_of_user(conn, user.id)?;
    let mut out = Vec::new();
    for row in blocks::targets(conn, me.id, kind.name(), limit)? {
        if let Some(actor) = actors::find_by_id(conn, Id::from_i64(row.target_id))? {
            out.push(actor);
        }
    }
    Ok(out)
}

/// Everyone `viewer` blocked or muted, to filter lists (matches,
/// notifications) in one go.
pub fn silenced_by(conn: &mut DbConnection, viewer: i64) -> Result<std::collections::HashSet<i64>, Error> {
    Ok(blocks::all_targets(conn, viewer)?.into_iter().collect())
}
