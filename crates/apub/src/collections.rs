//! Outbox, followers and following as paged `OrderedCollection`s with
//! `totalItems`, the way Mastodon pages them (`?page=true`, then `max_id`
//! or `min_id` cursors).

use maillage_core::id::Id;
use maillage_core::post::PostVisibility;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::{follows, posts, DbConnection};
use serde_json::{json, Value};

use crate::builders::build_create;
use crate::objects::note::post_to_ap;
use crate::protocol::context;

pub const PAGE_SIZE: i64 = 20;
const PUBLIC_VISIBILITIES: &[PostVisibility] = &[PostVisibility::Public, PostVisibility::Unlisted];

fn collection(id: &str, total: i64) -> Value {
    json!({ "@context": context(), "id": id, "type": "OrderedCollection", "totalItems": total, "first": format!("{id}?page=true") })
}

fn page(collection_id: &str, page_id: String, items: Vec<Value>, next: Option<String>) -> Value {
    let mut p = json!({
        "@context": context(),
        "id": page_id,
        "type": "OrderedCollectionPage",
        "partOf": collection_id,
        "orderedItems": items,
    });
    if let Some(next) = next {
        p["next"] = json!(next);
    }
    p
}

/// The outbox: `Create` activities of public and unlisted posts, newest
/// first. `page` is `None` for the collection itself.
pub fn outbox(
    conn: &mut DbConnection,
    urls: &maillage_core::urls::LocalUrls,
    actor: &ActorRow,
    page_of: Option<Option<i64>>,
) -> Result<Value, Error> {
    let id = actor.outbox_url.clone().unwrap_or_default();
    let Some(max_id) = page_of else {
        return Ok(collection(&id, posts::count_notes_by_author(conn, actor.id(), PUBLIC_VISIBILITIES)?));
    };
    let rows = posts::by_author(conn, actor.id(), PUBLIC_VISIBILITIES, max_id, PAGE_SIZE)?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let tags = posts::tags(conn, Id::from_i64(row.id))?;
        items.push(build_create(
            &format!("{}/activity", row.ap_id),
            &actor.ap_id,
            post_to_ap(row, actor, &tags, None, crate::objects::media::attachments_of(conn, urls, row.id)?),
        ));
    }
    let next = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|r| format!("{id}?page=true&max_id={}", r.id)))
        .flatten();
    let page_id = match max_id {
        Some(m) => format!("{id}?page=true&max_id={m}"),
        None => format!("{id}?page=true"),
    };
    Ok(page(&id, page_id, items, next))
}

/// Followers or following: actor ids, oldest first.
pub fn relations(
    conn: &mut DbConnection,
    actor: &ActorRow,
    followers: bool,
    page_of: Option<Option<i64>>,
) -> Result<Value, Error> {
    let id =
        if followers { actor.followers_url.clone() } else { actor.following_url.clone() }.unwrap_or_default();
    let Some(after) = page_of else {
        let total = if followers {
            follows::count_followers(conn, actor.id())?
        } else {
            follows::count_following(conn, actor.id())?
        };
        return Ok(collection(&id, total));
    };
    let direction = if followers { follows::Direction::Followers } else { follows::Direction::Following };
    let rows = follows::related(conn, actor.id(), direction, after, PAGE_SIZE)?;
    let items = rows.iter().map(|(_, a)| json!(a.ap_id)).collect();
    let next = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|(fid, _)| format!("{id}?page=true&min_id={fid}")))
        .flatten();
    let page_id = match after {
        Some(m) => format!("{id}?page=true&min_id={m}"),
        None => format!("{id}?page=true"),
    };
    Ok(page(&id, page_id, items, next))
}
