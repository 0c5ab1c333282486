//! Listings as Atom feeds (`core::atom`): a search's ("tell me of new
//! offers of this kind near here"), a group's and a person's. Only what
//! anyone may see goes into a feed: feed readers fetch without a log-in.

use maillage_core::atom::AtomEntry;
use maillage_core::i18n::Lang;
use maillage_core::listing::{ListingKind, ListingStatus};
use maillage_core::policy::FederationPolicy;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::listings::ListingRow;
use maillage_db::DbConnection;

use crate::listings::ListingQuery;

/// How many entries a feed holds, newest first.
pub const FEED_SIZE: i64 = 40;

/// The entries of `rows`, in `lang` (the kind and the place lead the text).
pub fn entries(conn: &mut DbConnection, rows: &[ListingRow], lang: Lang) -> Result<Vec<AtomEntry>, Error> {
    let ids: Vec<i64> = rows.iter().map(|l| l.author_id).collect();
    let authors = actors::find_by_ids_or_ap_ids(conn, &ids, &[])?;
    Ok(rows
        .iter()
        .map(|l| {
            let author = authors
                .iter()
                .find(|a| a.id == l.author_id)
                .map(|a| if a.display_name.is_empty() { a.username.clone() } else { a.display_name.clone() })
                .unwrap_or_default();
            let kind = lang.t(if l.kind == ListingKind::Need { "kind_need" } else { "kind_offer" });
            let place = maillage_core::html::escape_html(&l.place_name);
            AtomEntry {
                id: l.ap_id.clone(),
                title: format!("{kind} · {}", l.title),
                url: l.url.clone().unwrap_or_else(|| l.ap_id.clone()),
                published: Timestamp::from_micros(l.published_at),
                updated: Timestamp::from_micros(l.updated_at.unwrap_or(l.published_at)),
                author,
                content_html: format!("<p>{kind} · {place}</p>{}", l.description_html),
                categories: std::iter::once(l.category.to_string()).chain(l.tag_list()).collect(),
            }
        })
        .collect())
}

/// The open listings `query` finds for a visitor who is not logged in,
/// newest first.
pub fn search(
    conn: &mut DbConnection,
    policy: &FederationPolicy,
    query: &ListingQuery,
) -> Result<Vec<ListingRow>, Error> {
    let query =
        ListingQuery { statuses: vec![ListingStatus::Open], limit: FEED_SIZE, max_id: None, ..query.clone() };
    let mut rows = crate::listings::search(conn, policy, None, &query)?;
    rows.sort_by_key(|l| std::cmp::Reverse(l.published_at));
    Ok(rows)
}

/// Local person or group `name` and their open public listings; `None`
/// when there is no such local actor.
pub fn of_actor(
    conn: &mut DbConnection,
    policy: &FederationPolicy,
    name: &str,
) -> Result<Option<(ActorRow, Vec<ListingRow>)>, Error> {
    let Some(actor) = crate::actors::find_local(conn, &name.to_lowercase())?
        .filter(|a| matches!(a.kind.as_str(), "Person" | "Group"))
    else {
        return Ok(None);
    };
    let rows = search(conn, policy, &ListingQuery::open_of(&actor, FEED_SIZE))?;
    Ok(Some((actor, rows)))
}
