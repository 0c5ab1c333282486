//! Mastodon's Account, Status and Relationship entities, built from our
//! rows (`account_to_api`, `status_to_api`): the rows themselves are never
//! serialized.

use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::posts::{self, PostRow};
use maillage_db::{client_state, follows, interactions, listings, sessions, status_views, DbConnection};
use maillage_service::follows::Relationship;
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
    let last = posts::last_published(conn, actor.id())?
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
        "header": header_url(urls),
        "header_static": header_url(urls),
        "followers_count": follows::count_followers(conn, actor.id())?,
        "following_count": follows::count_following(conn, actor.id())?,
        "statuses_count": posts::count_by_author(conn, actor.id(), &["public", "unlisted"])?,
        "last_status_at": last,
        "emojis": [],
        "fields": [],
    }))
}

pub fn relationship_to_api(target: &ActorRow, rel: Relationship) -> Value {
    json!({
        "id": target.id.to_string(),
        "following": rel.following,
        "showing_reblogs": rel.following,
        "notifying": false,
        "languages": null,
        "followed_by": rel.followed_by,
        "blocking": false,
        "blocked_by": false,
        "muting": false,
        "muting_notifications": false,
        "requested": rel.requested,
        "requested_by": false,
        "domain_blocking": false,
        "endorsed": false,
        "note": "",
    })
}

/// Our visibilities in Mastodon's words: followers-only and territory-only
/// are both `private` (a limited audience).
pub fn visibility_to_api(visibility: &str) -> &str {
    match visibility {
        "followers" | "territory" => "private",
        other => other,
    }
}

/// The text of a listing's or session's status view, rendered now so that
/// it always says the current status and places left.
fn view_content(conn: &mut DbConnection, post: &PostRow, lang: &str) -> Result<Option<String>, Error> {
    Ok(match post.kind.as_str() {
        status_views::LISTING_KIND => listings::find_by_id(conn, post.id())?
            .map(|l| maillage_service::status_text::listing_html(&l, lang)),
        status_views::SESSION_KIND => match sessions::find_by_id(conn, post.id())? {
            Some(s) => {
                let going = sessions::count_in_state(conn, s.id(), "going")?;
                Some(maillage_service::status_text::session_html(&s, going, lang))
            }
            None => None,
        },
        _ => None,
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
    let author = actors::find_by_id(conn, Id::from_i64(post.author_id))?
        .ok_or_else(|| Error::internal("post without author"))?;
    let tags = posts::tags(conn, post.id())?;
    let mut mentions = Vec::new();
    for t in tags.iter().filter(|t| t.kind == "mention") {
        if let Some(a) = t.href.as_deref().map(|h| actors::find_by_ap_id(conn, h)).transpose()?.flatten() {
            mentions.push(json!({ "id": a.id.to_string(), "username": a.username, "acct": acct(&a), "url": a.url.clone().unwrap_or(a.ap_id.clone()) }));
        }
    }
    let hashtags: Vec<Value> = tags
        .iter()
        .filter(|t| t.kind == "hashtag")
        .map(|t| json!({ "name": t.name, "url": urls.tag(&t.name) }))
        .collect();
    let parent = match &post.in_reply_to {
        Some(ap) => posts::find_by_ap_id(conn, ap)?,
        None => None,
    };
    let (favourited, reblogged, bookmarked) = match viewer {
        Some(v) => (
            interactions::find_like(conn, v.id, post.id)?.is_some(),
            interactions::find_announce(conn, v.id, post.id)?.is_some(),
            client_state::is_bookmarked(conn, v.id, post.id)?,
        ),
        None => (false, false, false),
    };
    let content = match view_content(conn, post, &urls.lang)? {
        Some(html) => html,
        None => post.content_html.clone(),
    };
    Ok(json!({
        "id": post.id.to_string(),
        "uri": post.ap_id,
        "url": post.url.clone().unwrap_or_else(|| post.ap_id.clone()),
        "created_at": Timestamp::from_micros(post.published_at).to_rfc3339(),
        "edited_at": post.updated_at.map(|t| Timestamp::from_micros(t).to_rfc3339()),
        "account": account_to_api(conn, &author, urls)?,
        "content": content,
        "visibility": visibility_to_api(&post.visibility),
        "sensitive": post.sensitive,
        "spoiler_text": post.summary,
        "media_attachments": [],
        "application": null,
        "mentions": mentions,
        "tags": hashtags,
        "emojis": [],
        "reblogs_count": interactions::count_announces(conn, post.id)?,
        "favourites_count": interactions::count_likes(conn, post.id)?,
        "replies_count": posts::count_replies(conn, &post.ap_id)?,
        "in_reply_to_id": parent.as_ref().map(|p| p.id.to_string()),
        "in_reply_to_account_id": parent.as_ref().map(|p| p.author_id.to_string()),
        "reblog": null,
        "poll": null,
        "card": null,
        "language": post.language,
        "text": post.source,
        "favourited": favourited,
        "reblogged": reblogged,
        "muted": false,
        "bookmarked": bookmarked,
        "pinned": false,
        "filtered": [],
    }))
}
