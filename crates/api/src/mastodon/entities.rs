//! Mastodon's Account, Status and Relationship entities, built from our
//! rows (`account_to_api`, `status_to_api`): the rows themselves are never
//! serialized.

use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::media::MediaRow;
use maillage_db::posts::PostRow;
use maillage_db::DbConnection;
use maillage_service::actors::account_facts;
use maillage_service::follows::Relationship;
use maillage_service::media;
use maillage_service::polls::PollView;
use maillage_service::posts::status_facts;
use serde_json::{json, Value};

use crate::state::Showing;

pub fn avatar_url(urls: &LocalUrls) -> String {
    format!("{}/static/avatar.png", urls.base())
}

pub fn header_url(urls: &LocalUrls) -> String {
    format!("{}/static/header.png", urls.base())
}

/// `user` for local accounts, `user@domain` for remote ones.
pub fn acct(actor: &ActorRow) -> String {
    if actor.local {
        actor.username.clone()
    } else {
        format!("{}@{}", actor.username, actor.domain)
    }
}

pub fn account_to_api(conn: &mut DbConnection, actor: &ActorRow, urls: &LocalUrls) -> Result<Value, Error> {
    let avatar = actor.icon_url.clone().unwrap_or_else(|| avatar_url(urls));
    let header = actor.image_url.clone().unwrap_or_else(|| header_url(urls));
    let facts = account_facts(conn, actor)?;
    let last = facts
        .last_status_at
        .map(|t| Timestamp::from_micros(t).to_rfc3339().chars().take(10).collect::<String>());
    Ok(json!({
        "id": actor.id.to_string(),
        "username": actor.username,
        "acct": acct(actor),
        "display_name": actor.display_name,
        "locked": actor.manually_approves_followers,
        "bot": matches!(actor.kind.as_str(), "Service" | "Application"),
        "discoverable": true,
        "group": actor.kind == "Group",
        "created_at": Timestamp::from_micros(actor.published_at).to_rfc3339(),
        "note": actor.summary_html,
        "url": actor.url.clone().unwrap_or_else(|| actor.ap_id.clone()),
        "uri": actor.ap_id,
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": facts.followers,
        "following_count": facts.following,
        "statuses_count": facts.statuses,
        "last_status_at": last,
        "emojis": [],
        "fields": [],
    }))
}

/// A media as Mastodon's MediaAttachment: our URLs for what we keep or
/// copy (a remote picture is copied when an app first asks for it), the
/// origin's in `remote_url`.
pub fn media_to_api(m: &MediaRow, urls: &LocalUrls) -> Value {
    let size = |w: Option<i32>, h: Option<i32>| match (w, h) {
        (Some(w), Some(h)) if h > 0 => json!({
            "width": w, "height": h, "size": format!("{w}x{h}"), "aspect": f64::from(w) / f64::from(h),
        }),
        _ => Value::Null,
    };
    json!({
        "id": m.id.to_string(),
        "type": m.kind,
        "url": media::file_url(m, urls),
        "preview_url": media::preview_url(m, urls),
        "remote_url": m.remote_url,
        "preview_remote_url": null,
        "text_url": null,
        "meta": {
            "original": size(m.width, m.height),
            "small": size(m.preview_width, m.preview_height),
            "focus": { "x": m.focus_x, "y": m.focus_y },
        },
        "description": if m.description.is_empty() { Value::Null } else { json!(m.description) },
        "blurhash": m.blurhash,
    })
}

/// A poll as Mastodon's Poll entity; its id is its status's.
pub fn poll_to_api(p: &PollView) -> Value {
    let votes: i64 = p.options.iter().map(|o| o.votes).sum();
    json!({
        "id": p.row.post_id.to_string(),
        "expires_at": p.row.expires_at.map(|t| Timestamp::from_micros(t).to_rfc3339()),
        "expired": p.expired,
        "multiple": p.row.multiple,
        "votes_count": votes,
        "voters_count": p.row.voters_count,
        "options": p.options.iter().map(|o| json!({ "title": o.title, "votes_count": o.votes })).collect::<Vec<_>>(),
        "emojis": [],
        "voted": !p.own_votes.is_empty(),
        "own_votes": p.own_votes,
    })
}

pub fn relationship_to_api(target: &ActorRow, rel: Relationship) -> Value {
    json!({
        "id": target.id.to_string(),
        "following": rel.following,
        "showing_reblogs": rel.following,
        "notifying": false,
        "languages": null,
        "followed_by": rel.followed_by,
        "blocking": rel.blocking,
        "blocked_by": false,
        "muting": rel.muting,
        "muting_notifications": rel.muting,
        "requested": rel.requested,
        "requested_by": false,
        "domain_blocking": false,
        "endorsed": false,
        "note": "",
    })
}

/// A post as a Status, seen by `viewer` (for `favourited`, `reblogged`,
/// `bookmarked`). Listings and sessions come through their status views.
pub fn status_to_api(
    conn: &mut DbConnection,
    post: &PostRow,
    viewer: Option<&ActorRow>,
    urls: &Showing,
) -> Result<Value, Error> {
    let facts = status_facts(conn, post, viewer, &urls.lang)?;
    let mentions: Vec<Value> = facts
        .mentions
        .iter()
        .map(|a| json!({ "id": a.id.to_string(), "username": a.username, "acct": acct(a), "url": a.url.clone().unwrap_or(a.ap_id.clone()) }))
        .collect();
    let hashtags: Vec<Value> =
        facts.hashtags.iter().map(|name| json!({ "name": name, "url": urls.tag(name) })).collect();
    let parent = facts.parent.as_ref();
    let facts_media = maillage_service::media::of_post(conn, post.id)?;
    Ok(json!({
        "id": post.id.to_string(),
        "uri": post.ap_id,
        "url": post.url.clone().unwrap_or_else(|| post.ap_id.clone()),
        "created_at": Timestamp::from_micros(post.published_at).to_rfc3339(),
        "edited_at": post.updated_at.map(|t| Timestamp::from_micros(t).to_rfc3339()),
        "account": account_to_api(conn, &facts.author, urls)?,
        "content": facts.content_html,
        "visibility": post.visibility.mastodon_name(),
        "sensitive": post.sensitive,
        "spoiler_text": post.summary,
        "media_attachments": facts_media.iter().map(|m| media_to_api(m, urls)).collect::<Vec<_>>(),
        "application": null,
        "mentions": mentions,
        "tags": hashtags,
        "emojis": [],
        "reblogs_count": facts.reblogs,
        "favourites_count": facts.favourites,
        "replies_count": facts.replies,
        "in_reply_to_id": parent.map(|p| p.id.to_string()),
        "in_reply_to_account_id": parent.map(|p| p.author_id.to_string()),
        "reblog": null,
        "poll": maillage_service::polls::of_post(conn, post.id, viewer)?.map(|p| poll_to_api(&p)),
        "card": null,
        "language": post.language,
        "text": post.source,
        "favourited": facts.favourited,
        "reblogged": facts.reblogged,
        "muted": false,
        "bookmarked": facts.bookmarked,
        "pinned": false,
        "filtered": [],
    }))
}
