//! Finding actors and posts from what a person types: `user@domain`, an
//! actor URL or a post URL. Remote ones are fetched (signed) and stored.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::posts::{self, PostRow};
use url::Url;

use crate::context::{ApubContext, Data};
use crate::fetch::Content;
use crate::objects::actor::DbActor;

/// An actor by handle (`user@domain`, `@user@domain`) or URL.
pub async fn resolve_actor(data: &Data, query: &str) -> Result<ActorRow, Error> {
    let query = query.trim().trim_start_matches('@');
    if query.starts_with("https://") || query.starts_with("http://") {
        let url = Url::parse(query).map_err(|_| Error::bad_request("not a valid URL"))?;
        refuse_unfederated(data, url.as_str())?;
        return Ok(ObjectId::<DbActor>::from(url).dereference(data).await.map_err(Error::from)?.row);
    }
    let (name, domain) = match query.split_once('@') {
        Some((n, d)) => (n.to_owned(), d.to_lowercase()),
        None => (query.to_owned(), data.urls.domain().to_owned()),
    };
    if name.is_empty() || domain.is_empty() {
        return Err(Error::bad_request("expected user@domain"));
    }
    let lower = name.to_lowercase();
    let local_domain = data.urls.domain().to_owned();
    if domain != local_domain && !data.policy.current().federates_with(&domain) {
        return Err(not_federated(&domain));
    }
    let known = {
        let (lower, domain) = (lower.clone(), domain.clone());
        data.db.run(move |conn| actors::find_by_handle(conn, &lower, &domain)).await?
    };
    if let Some(actor) = known {
        return Ok(actor);
    }
    if domain == local_domain {
        return Err(Error::not_found("Record not found"));
    }
    let found: DbActor = webfinger_resolve_actor::<ApubContext, DbActor>(&format!("{name}@{domain}"), data)
        .await
        .map_err(|e| Error::not_found(format!("cannot resolve {name}@{domain}: {}", e.0.message())))?;
    Ok(found.row)
}

/// A post, listing or session by URL, fetched when unknown, as the post
/// that shows it (listings and sessions have a status view).
pub async fn resolve_post(data: &Data, url: &str) -> Result<PostRow, Error> {
    let url = Url::parse(url).map_err(|_| Error::bad_request("not a valid URL"))?;
    refuse_unfederated(data, url.as_str())?;
    if crate::policy::host_or_unknown(url.as_str()) == data.urls.domain() {
        let id = url.to_string();
        return data
            .db
            .run(move |conn| posts::find_by_ap_id(conn, &id))
            .await?
            .ok_or_else(|| Error::not_found("Record not found"));
    }
    let view_id = match crate::fetch::fetch_content(data, &url).await? {
        Content::Post(post) => return Ok(*post),
        Content::Listing(l) => l.id(),
        Content::Session(s) => s.id(),
    };
    data.db
        .run(move |conn| posts::find_by_id(conn, view_id))
        .await?
        .ok_or_else(|| Error::not_found("Record not found"))
}

/// Search and resolve never reach, nor return, what the federation policy
/// refuses (even when still stored): "not found", as for anything unknown.
fn refuse_unfederated(data: &Data, url: &str) -> Result<(), Error> {
    let host = crate::policy::host_or_unknown(url);
    if host == data.urls.domain() || data.policy.current().federates_with(&host) {
        Ok(())
    } else {
        Err(not_federated(&host))
    }
}

fn not_federated(host: &str) -> Error {
    Error::not_found(format!("this node does not federate with {host}"))
}

/// Another territory's actor, from what an admin typed: a domain (its
/// territory is `territory@DOMAIN`, Maillage's default handle), a handle
/// or an actor URL. Only Group actors can be territories.
pub async fn resolve_territory(data: &Data, input: &str) -> Result<ActorRow, Error> {
    let input = input.trim().trim_start_matches('@');
    if input.is_empty() {
        return Err(Error::unprocessable("name the other territory: a domain, a handle or an actor URL"));
    }
    let query = if input.contains('@') || input.contains("://") {
        input.to_owned()
    } else {
        let domain = maillage_core::policy::normalize_domain(input)?;
        format!("territory@{domain}")
    };
    let actor = resolve_actor(data, &query).await?;
    if actor.local {
        return Err(Error::unprocessable("this is this node's own territory"));
    }
    if actor.kind != "Group" {
        return Err(Error::unprocessable(format!("{} is a {}, not a territory", actor.ap_id, actor.kind)));
    }
    Ok(actor)
}

impl maillage_service::federation::Directory for crate::startup::Federation {
    fn territory<'a>(&'a self, input: &'a str) -> maillage_service::federation::Resolving<'a> {
        Box::pin(async move { resolve_territory(&self.data(), input).await })
    }
}
