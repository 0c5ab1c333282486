//! Create, Update, Delete, Announce, Like and Flag.

use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::interactions::{self, AnnounceRow, LikeRow, ReportRow};
use maillage_db::{follows, listings, posts};
use serde_json::Value;
use url::Url;

use super::outcome::{apply, Outcome};
use crate::context::Data;
use crate::fetch::{fetch_content, fetch_content_of, same_host, Content};
use crate::objects::actor::ap_to_actor;
use crate::objects::listing::{is_listing, upsert_remote_listing};
use crate::objects::note::upsert_remote_post;
use crate::objects::session::upsert_remote_session;
use crate::policy::{content_verdict, file_automatic_report};
use crate::protocol::activity::Envelope;
use crate::protocol::actor::{ApActor, ACTOR_TYPES};
use crate::protocol::note::{type_of, ApNote, POST_TYPES};
use crate::protocol::same_origin;
use crate::protocol::values::{first_id, ids_of};
use maillage_core::policy::ContentVerdict;

/// Create or Update of a post, or Update of the sender's own actor.
pub async fn create_or_update(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let object = match env.object.clone() {
        Some(Value::String(id)) => {
            // Given by reference: fetch it from its origin, which vouches for it.
            let url = Url::parse(&id).map_err(|_| Error::bad_request("the object is not a URL"))?;
            same_host(url.as_str(), &Url::parse(&actor.ap_id).map_err(|_| Error::internal("bad actor id"))?)?;
            fetch_content(data, &url).await?;
            return apply(data, &env.id, |_| Ok(Outcome::Applied)).await;
        }
        Some(obj @ Value::Object(_)) => obj,
        _ => return Err(Error::bad_request("Create or Update without object")),
    };
    let kind = type_of(&object).unwrap_or_default().to_owned();
    if env.kind == "Update" && ACTOR_TYPES.contains(&kind.as_str()) {
        let ap = ApActor::parse(object).map_err(Error::bad_request)?;
        if ap.id.as_str() != actor.ap_id {
            return Err(Error::forbidden("an actor can only update itself"));
        }
        let row = ap_to_actor(&ap, Some(&actor), Timestamp::now());
        data.actor_cache.put(&row, data.policy.version());
        return apply(data, &env.id, move |conn| {
            actors::update(conn, &row)?;
            Ok(Outcome::Applied)
        })
        .await;
    }
    if is_listing(&object) {
        let id = object.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let author = object.get("attributedTo").and_then(first_id).unwrap_or_default();
        if !same_origin(&id, &actor.ap_id) {
            return Err(Error::forbidden("a listing must come from its author's host"));
        }
        if author != actor.ap_id {
            return Err(Error::forbidden("only the author can create or update a listing"));
        }
        let flag = match screen(data, &actor, &object, true) {
            Ok(flag) => flag,
            Err(reason) => return ignore_filtered(data, &env, reason).await,
        };
        return apply(data, &env.id, move |conn| {
            let row = upsert_remote_listing(conn, &object, &actor)?;
            if let Some(reason) = flag {
                file_automatic_report(conn, &object, row.author_id, &reason)?;
            }
            Ok(Outcome::Applied)
        })
        .await;
    }
    if kind == "Event" {
        let id = object.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        if !same_origin(&id, &actor.ap_id) {
            return Err(Error::forbidden("an event must come from its organizer's host"));
        }
        let flag = match screen(data, &actor, &object, false) {
            Ok(flag) => flag,
            Err(reason) => return ignore_filtered(data, &env, reason).await,
        };
        return apply(data, &env.id, move |conn| {
            upsert_remote_session(conn, &object, &actor)?;
            if let Some(reason) = flag {
                file_automatic_report(conn, &object, actor.id, &reason)?;
            }
            Ok(Outcome::Applied)
        })
        .await;
    }
    if !POST_TYPES.contains(&kind.as_str()) {
        return Ok(Outcome::Ignored(format!("{} of a {kind} is not handled", env.kind)));
    }
    let note = ApNote::parse(object.clone()).map_err(Error::bad_request)?;
    if !same_origin(note.id.as_str(), &actor.ap_id) {
        return Err(Error::forbidden("a post must come from its author's host"));
    }
    if note.author() != actor.ap_id {
        return Err(Error::forbidden("only the author can create or update a post"));
    }
    let flag = match screen(data, &actor, &object, false) {
        Ok(flag) => flag,
        Err(reason) => return ignore_filtered(data, &env, reason).await,
    };
    let urls = data.urls.clone();
    apply(data, &env.id, move |conn| {
        if let Some(parent) = note.in_reply_to_id().filter(|p| urls.is_local(p)) {
            if let Some(parent) = posts::find_by_ap_id(conn, &parent)? {
                if !maillage_service::posts::can_see(conn, &parent, Some(&actor))? {
                    return Ok(Outcome::Ignored("a reply to a post its author cannot see".into()));
                }
            }
        }
        let post = upsert_remote_post(conn, &urls, &note, &actor)?;
        if let Some((need, offer)) = note.pairing() {
            maillage_service::mediation::receive_approval(conn, &urls, &actor, &need, &offer, Some(post.id))?;
        }
        if let Some(reason) = flag {
            file_automatic_report(conn, &object, actor.id, &reason)?;
        }
        Ok(Outcome::Applied)
    })
    .await
}

/// The content filters on an object: `Ok(None)` to keep it, `Ok(Some)` to
/// keep and report it, `Err` with the reason to drop it.
fn screen(data: &Data, actor: &ActorRow, object: &Value, is_listing: bool) -> Result<Option<String>, String> {
    match content_verdict(&data.policy.current(), &actor.domain, object, is_listing) {
        ContentVerdict::Accept => Ok(None),
        ContentVerdict::Flag(reason) => Ok(Some(reason)),
        ContentVerdict::Reject(reason) => Err(reason),
    }
}

/// A filtered object is acknowledged (202, as Mastodon does) but not kept;
/// its activity id is recorded so that a redelivery is not screened again.
async fn ignore_filtered(data: &Data, env: &Envelope, reason: String) -> Result<Outcome, Error> {
    tracing::info!(activity = %env.id, %reason, "dropped by a content filter");
    apply(data, &env.id, move |_| Ok(Outcome::Ignored(format!("dropped by a content filter: {reason}"))))
        .await
}

/// Delete of a post (only by its author) or of the sender itself, which
/// ends its follows and removes its posts.
pub async fn delete(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let target = env.object_id().ok_or_else(|| Error::bad_request("Delete without object"))?;
    apply(data, &env.id, move |conn| {
        let now = Timestamp::now();
        if target == actor.ap_id {
            follows::delete_with_actor(conn, actor.id())?;
            posts::mark_all_deleted_by(conn, actor.id(), now)?;
            return Ok(Outcome::Applied);
        }
        if let Some(listing) = listings::find_by_ap_id(conn, &target)? {
            if listing.author_id != actor.id {
                return Err(Error::forbidden("only the author can delete a listing"));
            }
            if !listing.is_deleted() {
                listings::mark_deleted(conn, listing.id(), now)?;
                maillage_service::media::remove_of_post(conn, listing.id)?;
            }
            return Ok(Outcome::Applied);
        }
        if let Some(session) = maillage_db::sessions::find_by_ap_id(conn, &target)? {
            if session.organizer_id != actor.id {
                return Err(Error::forbidden("only the organizer can delete a session"));
            }
            if session.deleted_at.is_none() {
                maillage_db::sessions::mark_deleted(conn, session.id(), now)?;
                maillage_service::media::remove_of_post(conn, session.id)?;
            }
            return Ok(Outcome::Applied);
        }
        let Some(post) = posts::find_by_ap_id(conn, &target)? else {
            return Ok(Outcome::Ignored("delete of an unknown object".into()));
        };
        if post.author_id != actor.id {
            return Err(Error::forbidden("only the author can delete a post"));
        }
        if !post.is_deleted() {
            posts::mark_deleted(conn, post.id(), now)?;
            maillage_service::media::remove_of_post(conn, post.id)?;
        }
        Ok(Outcome::Applied)
    })
    .await
}

/// A boost: the post is fetched when we do not have it. Announces that
/// wrap an activity (group federation, FEP-1b12) are left to the groups
/// support.
pub async fn announce(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let object = env.object.clone().ok_or_else(|| Error::bad_request("Announce without object"))?;
    if object.get("actor").is_some() {
        // A group relaying an activity (FEP-1b12): the wrapped object is
        // fetched from its origin rather than trusted as relayed.
        let inner_kind = object.get("type").and_then(Value::as_str).unwrap_or_default();
        let Some(inner_id) =
            object.get("object").and_then(first_id).filter(|_| matches!(inner_kind, "Create" | "Update"))
        else {
            return Ok(Outcome::Ignored(format!("Announce of a {inner_kind} is not handled")));
        };
        let url = Url::parse(&inner_id).map_err(|_| Error::bad_request("the relayed object is not a URL"))?;
        fetch_content(data, &url).await?;
        return apply(data, &env.id, |_| Ok(Outcome::Applied)).await;
    }
    let id = env.object_id().ok_or_else(|| Error::bad_request("Announce without object id"))?;
    let url = Url::parse(&id).map_err(|_| Error::bad_request("the object is not a URL"))?;
    let only_listings = only_listings_from(data, &actor).await?;
    // A listing or session is boosted through its status view.
    let post_id = match fetch_content_of(data, &url, only_listings).await? {
        Some(Content::Post(post)) => post.id(),
        Some(Content::Listing(l)) => l.id(),
        Some(Content::Session(s)) => s.id(),
        None => return Ok(Outcome::Ignored("this territory link carries listings and sessions only".into())),
    };
    let ap_id = env.id.to_string();
    apply(data, &env.id, move |conn| {
        let Some(post) = posts::find_by_id(conn, post_id)? else {
            return Ok(Outcome::Ignored("the boosted object is gone".into()));
        };
        // Only what anyone may see can be boosted, as on Mastodon.
        if !maillage_service::posts::can_see(conn, &post, None)? {
            return Ok(Outcome::Ignored("a boost of a post that is not public".into()));
        }
        if interactions::find_announce(conn, actor.id, post.id)?.is_some() {
            return Ok(Outcome::Duplicate);
        }
        let now = Timestamp::now();
        interactions::insert_announce(
            conn,
            &AnnounceRow {
                id: Id::generate_at(now).as_i64(),
                ap_id,
                actor_id: actor.id,
                post_id: post.id,
                created_at: now.as_micros(),
            },
        )?;
        // Groups and territories relay what is published in them: the
        // author is not told of each relay.
        if actor.kind != "Group" {
            maillage_service::notices::tell_author(conn, &post, &actor, "reblog")?;
        }
        Ok(Outcome::Applied)
    })
    .await
}

/// Whether `actor` is a territory linked with ours at the `listings`
/// level, whose announced posts are not wanted (unless a local person
/// follows it, then its posts are wanted as from anyone).
async fn only_listings_from(data: &Data, actor: &ActorRow) -> Result<bool, Error> {
    if actor.kind != "Group" {
        return Ok(false);
    }
    let actor = actor.clone();
    data.db
        .run(move |conn| {
            let level = maillage_service::links::level_of(conn, &actor)?;
            if level.as_deref() != Some(maillage_service::links::LISTINGS) {
                return Ok(false);
            }
            Ok(!follows::has_local_follower_person(conn, actor.id())?)
        })
        .await
}

/// A like of a post we have; likes of unknown posts are not fetched.
pub async fn like(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let target = env.object_id().ok_or_else(|| Error::bad_request("Like without object"))?;
    let ap_id = env.id.to_string();
    apply(data, &env.id, move |conn| {
        let Some(post) = posts::find_by_ap_id(conn, &target)? else {
            return Ok(Outcome::Ignored("like of an unknown post".into()));
        };
        if !maillage_service::posts::can_see(conn, &post, Some(&actor))? {
            return Ok(Outcome::Ignored("a like of a post its sender cannot see".into()));
        }
        if interactions::find_like(conn, actor.id, post.id)?.is_some() {
            return Ok(Outcome::Duplicate);
        }
        let now = Timestamp::now();
        interactions::insert_like(
            conn,
            &LikeRow {
                id: Id::generate_at(now).as_i64(),
                ap_id,
                actor_id: actor.id,
                post_id: post.id,
                created_at: now.as_micros(),
            },
        )?;
        maillage_service::notices::tell_author(conn, &post, &actor, "favourite")?;
        Ok(Outcome::Applied)
    })
    .await
}

/// A report, stored for moderators: the reported account and posts are the
/// ones among the objects that we know.
pub async fn flag(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    if data.policy.current().rule_for(&actor.domain).reject_reports {
        return Ok(Outcome::Ignored(format!("reports from {} are rejected", actor.domain)));
    }
    let objects = env.object.as_ref().map(ids_of).unwrap_or_default();
    let comment: String = env.content.clone().unwrap_or_default().chars().take(5000).collect();
    let ap_id = env.id.to_string();
    apply(data, &env.id, move |conn| {
        let mut target = None;
        let mut reported_posts = Vec::new();
        for id in &objects {
            if let Some(a) = actors::find_by_ap_id(conn, id)?.filter(|a| a.local) {
                target.get_or_insert(a.id);
            } else if let Some(p) = posts::find_by_ap_id(conn, id)?.filter(|p| p.local) {
                target.get_or_insert(p.author_id);
                reported_posts.push(p.ap_id);
            }
        }
        if target.is_none() && reported_posts.is_empty() {
            return Ok(Outcome::Ignored("report about nothing of ours".into()));
        }
        let now = Timestamp::now();
        interactions::insert_report(
            conn,
            &ReportRow {
                id: Id::generate_at(now).as_i64(),
                ap_id: Some(ap_id),
                reporter_id: actor.id,
                target_actor_id: target,
                object_ids_json: serde_json::to_string(&reported_posts).unwrap_or_else(|_| "[]".into()),
                comment,
                created_at: now.as_micros(),
                resolved_at: None,
            },
        )?;
        Ok(Outcome::Applied)
    })
    .await
}
