//! Fetching an object whose kind we do not know yet (the object of an
//! Announce, or of a Create given by URL): a post or a listing.

use activitypub_federation::fetch::fetch_object_http;
use activitypub_federation::protocol::verification::verify_domains_match;
use maillage_core::Error;
use maillage_db::listings::{self, ListingRow};
use maillage_db::posts::{self, PostRow};
use serde_json::Value;
use url::Url;

use crate::context::Data;
use crate::objects::listing::{is_listing, upsert_remote_listing};
use crate::objects::note::{fetch_author, upsert_remote_post, verify_post_origin};
use crate::policy::{content_verdict, file_automatic_report};
use crate::protocol::note::ApNote;
use maillage_core::policy::ContentVerdict;

#[derive(Debug, Clone)]
pub enum Content {
    Post(Box<PostRow>),
    Listing(Box<ListingRow>),
    Session(Box<maillage_db::sessions::SessionRow>),
}

/// The post or listing at `url`: from the database when known, otherwise
/// fetched (signed), checked for origin, and stored.
pub async fn fetch_content(data: &Data, url: &Url) -> Result<Content, Error> {
    fetch_content_of(data, url, false).await?.ok_or_else(|| Error::internal("a post was wanted but not kept"))
}

/// The same; with `only_listings`, a post is neither fetched into the
/// database nor returned (`None`): links at the `listings` level carry
/// listings and sessions only.
pub async fn fetch_content_of(data: &Data, url: &Url, only_listings: bool) -> Result<Option<Content>, Error> {
    let id = url.to_string();
    let known = data
        .db
        .run(move |conn| {
            // Listings and sessions first: each also has a status view
            // among the posts.
            if let Some(l) = listings::find_by_ap_id(conn, &id)? {
                return Ok(Some(Content::Listing(Box::new(l))));
            }
            if let Some(s) = maillage_db::sessions::find_by_ap_id(conn, &id)? {
                return Ok(Some(Content::Session(Box::new(s))));
            }
            Ok(posts::find_by_ap_id(conn, &id)?.map(|p| Content::Post(Box::new(p))))
        })
        .await?;
    if let Some(content) = known {
        return Ok(match content {
            Content::Post(_) if only_listings => None,
            content => Some(content),
        });
    }
    let fetched = fetch_object_http::<_, Value>(url, data)
        .await
        .map_err(|e| Error::from(crate::error::ApubError::from(e)))?;
    let object = fetched.object;
    let host = maillage_core::policy::host_of_url(url.as_str()).unwrap_or_default();
    let listing = is_listing(&object);
    let flag = match content_verdict(&data.policy.current(), &host, &object, listing) {
        ContentVerdict::Accept => None,
        ContentVerdict::Flag(reason) => Some(reason),
        ContentVerdict::Reject(reason) => {
            return Err(Error::forbidden(format!("dropped by a content filter: {reason}")))
        }
    };
    if object.get("type").and_then(Value::as_str) == Some("Event") {
        return fetch_event(data, url, object, flag).await.map(Some);
    }
    if listing {
        // A proposal may be typed Proposal rather than Note: read its author
        // directly.
        let author_id = object
            .get("attributedTo")
            .and_then(crate::protocol::values::first_id)
            .ok_or_else(|| Error::bad_request("the listing has no author"))?;
        same_host(&author_id, url)?;
        let id = object.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        same_host(&id, url)?;
        let author_url = Url::parse(&author_id).map_err(|_| Error::bad_request("bad attributedTo"))?;
        let author =
            activitypub_federation::fetch::object_id::ObjectId::<crate::objects::actor::DbActor>::from(
                author_url,
            )
            .dereference(data)
            .await
            .map_err(Error::from)?;
        let row = data
            .db
            .write_batched(move |conn| {
                let row = upsert_remote_listing(conn, &object, &author.row)?;
                if let Some(reason) = flag {
                    file_automatic_report(conn, &object, row.author_id, &reason)?;
                }
                Ok(row)
            })
            .await?;
        return Ok(Some(Content::Listing(Box::new(row))));
    }
    if only_listings {
        return Ok(None);
    }
    let note = ApNote::parse(object.clone()).map_err(Error::bad_request)?;
    verify_post_origin(&note, url).map_err(Error::from)?;
    let author = fetch_author(data, &note).await?;
    let urls = data.urls.clone();
    let row = data
        .db
        .write_batched(move |conn| {
            let row = upsert_remote_post(conn, &urls, &note, &author.row)?;
            if let Some(reason) = flag {
                file_automatic_report(conn, &object, row.author_id, &reason)?;
            }
            Ok(row)
        })
        .await?;
    Ok(Some(Content::Post(Box::new(row))))
}

/// Stores a fetched Event, its organizer fetched when unknown and required
/// on the Event's host.
async fn fetch_event(data: &Data, url: &Url, object: Value, flag: Option<String>) -> Result<Content, Error> {
    use activitypub_federation::fetch::object_id::ObjectId;
    let organizer = crate::objects::session::organizer_id(&object)
        .ok_or_else(|| Error::bad_request("the Event has no organizer"))?;
    same_host(&organizer, url)?;
    let organizer_url = Url::parse(&organizer).map_err(|_| Error::bad_request("bad organizer"))?;
    let organizer = ObjectId::<crate::objects::actor::DbActor>::from(organizer_url)
        .dereference(data)
        .await
        .map_err(Error::from)?;
    let row = data
        .db
        .write_batched(move |conn| {
            let row = crate::objects::session::upsert_remote_session(conn, &object, &organizer.row)?;
            if let Some(reason) = flag {
                file_automatic_report(conn, &object, organizer.row.id, &reason)?;
            }
            Ok(row)
        })
        .await?;
    Ok(Content::Session(Box::new(row)))
}

/// Checks that `object`'s id is on the host of `expected`.
pub fn same_host(object_id: &str, expected: &Url) -> Result<(), Error> {
    let id = Url::parse(object_id).map_err(|_| Error::bad_request("the object id is not a URL"))?;
    verify_domains_match(&id, expected).map_err(|e| Error::from(crate::error::ApubError::from(e)))
}
