//! A person's matches, as the API and the pages show them: which side of
//! each pair is theirs, only pairs whose other listing they may still see,
//! whether the other side answered, and the two things they can do:
//! dismiss one, or respond to it ("I'm interested" in the other listing).

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::agreements::{self, AgreementRow};
use maillage_db::listings::{self, ListingRow};
use maillage_db::matches::{self, MatchRow, DISMISSED, RESPONDED};
use maillage_db::DbConnection;

use crate::federation::Outbound;

/// One of a person's matches: the pair, and both listings seen from their
/// side.
pub struct MyMatch {
    pub pair: MatchRow,
    pub need_side: bool,
    pub mine: ListingRow,
    pub theirs: ListingRow,
    /// The other listing's author answered: they are interested in this
    /// person's listing (from the match, from the listing's page, or from
    /// their own node, whose interest arrives as an agreement here), or
    /// responded to the match on this node.
    pub they_answered: bool,
}

/// The state shown when the other side answered and this person has not.
pub const ANSWERED: &str = "answered";
/// The state shown when both sides answered.
pub const BOTH: &str = "both";

impl MyMatch {
    /// The state of the person's own side (`new`, `dismissed`, `responded`…).
    pub fn state(&self) -> &str {
        if self.need_side {
            &self.pair.need_state
        } else {
            &self.pair.offer_state
        }
    }

    /// The state of the other side, as this node keeps it.
    fn other_state(&self) -> &str {
        if self.need_side {
            &self.pair.offer_state
        } else {
            &self.pair.need_state
        }
    }

    /// What the person is shown: their own side's state, unless the other
    /// side answered: [`ANSWERED`] while they have not, [`BOTH`] once they
    /// responded too. Dismissed stays dismissed. Derived when read, from
    /// the pair and the interests, so nothing more is stored.
    pub fn shown_state(&self) -> &str {
        match self.state() {
            DISMISSED => DISMISSED,
            RESPONDED if self.they_answered => BOTH,
            RESPONDED => RESPONDED,
            _ if self.they_answered => ANSWERED,
            mine => mine,
        }
    }
}

/// Marks the matches whose other side answered, with one query for all
/// of them: who showed interest in each of the person's listings.
fn mark_answered(conn: &mut DbConnection, found: &mut [MyMatch]) -> Result<(), Error> {
    let mut mine: Vec<i64> = found.iter().map(|m| m.mine.id).collect();
    mine.sort_unstable();
    mine.dedup();
    let interested: std::collections::HashSet<(i64, i64)> =
        agreements::initiators_on(conn, &mine)?.into_iter().collect();
    for m in found {
        m.they_answered =
            m.other_state() == RESPONDED || interested.contains(&(m.mine.id, m.theirs.author_id));
    }
    Ok(())
}

/// Which side of `m` is `author`'s: `Some(true)` for the need.
fn my_side(conn: &mut DbConnection, m: &MatchRow, author: i64) -> Result<Option<bool>, Error> {
    let need = listings::find_by_id(conn, Id::from_i64(m.need_id))?;
    if need.is_some_and(|n| n.author_id == author) {
        return Ok(Some(true));
    }
    let offer = listings::find_by_id(conn, Id::from_i64(m.offer_id))?;
    Ok(offer.is_some_and(|o| o.author_id == author).then_some(false))
}

fn load(conn: &mut DbConnection, id: i64) -> Result<ListingRow, Error> {
    listings::find_by_id(conn, Id::from_i64(id))?.ok_or_else(|| Error::not_found("Record not found"))
}

fn seen_from(conn: &mut DbConnection, pair: MatchRow, need_side: bool) -> Result<MyMatch, Error> {
    let (mine, theirs) =
        if need_side { (pair.need_id, pair.offer_id) } else { (pair.offer_id, pair.need_id) };
    let (mine, theirs) = (load(conn, mine)?, load(conn, theirs)?);
    Ok(MyMatch { pair, need_side, mine, theirs, they_answered: false })
}

/// `me`'s matches, best first; dismissed ones only when asked.
pub fn list(
    conn: &mut DbConnection,
    me: &ActorRow,
    include_dismissed: bool,
    limit: i64,
) -> Result<Vec<MyMatch>, Error> {
    let silenced = crate::blocks::silenced_by(conn, me.id)?;
    let mut out = Vec::new();
    for m in matches::of_author(conn, me.id, limit)? {
        let Some(need_side) = my_side(conn, &m, me.id)? else { continue };
        let found = seen_from(conn, m, need_side)?;
        if silenced.contains(&found.theirs.author_id) {
            continue;
        }
        // The matcher drops a pair when a follow ends; this covers the
        // moment between.
        if !crate::listings::can_see(conn, &found.theirs, Some(me))? {
            continue;
        }
        if found.state() == DISMISSED && !include_dismissed {
            continue;
        }
        out.push(found);
    }
    mark_answered(conn, &mut out)?;
    Ok(out)
}

/// `me`'s released match `id`; someone else's is "not found".
pub fn own(conn: &mut DbConnection, me: &ActorRow, id: Id) -> Result<MyMatch, Error> {
    let m = matches::find(conn, id.as_i64())?
        .filter(MatchRow::is_released)
        .ok_or_else(|| Error::not_found("Record not found"))?;
    let side = my_side(conn, &m, me.id)?.ok_or_else(|| Error::not_found("Record not found"))?;
    let mut found = [seen_from(conn, m, side)?];
    mark_answered(conn, &mut found)?;
    let [found] = found;
    Ok(found)
}

pub fn dismiss(conn: &mut DbConnection, me: &ActorRow, id: Id) -> Result<MyMatch, Error> {
    let m = own(conn, me, id)?;
    matches::set_state(conn, m.pair.id, m.need_side, DISMISSED)?;
    own(conn, me, id)
}

/// "I'm interested" in the other listing of the match.
pub fn respond(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    me: &ActorRow,
    id: Id,
) -> Result<AgreementRow, Error> {
    let m = own(conn, me, id)?;
    let agreement = crate::agreements::express_interest(conn, outbound, urls, user, m.theirs.id(), "")?;
    matches::set_state(conn, m.pair.id, m.need_side, RESPONDED)?;
    Ok(agreement)
}
