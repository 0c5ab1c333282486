//! Finding actors and posts from what a person types: `user@domain`, an
//! actor URL or a post URL. Remote ones are fetched (signed) and stored.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::posts::PostRow;
use url::Url;

use crate::context::{ApubContext, Data};
use crate::objects::actor::DbActor;
use crate::objects::note::DbPost;

/// An actor by handle (`user@domain`, `@user@domain`) or URL.
pub async fn resolve_actor(data: &Data, query: &str) -> Result<ActorRow, Error> {
    let query = query.trim().trim_start_matches('@');
    if query.starts_with("https://") || query.starts_with("http://") {
        let url = Url::parse(query).map_err(|_| Error::bad_request("not a valid URL"))?;
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

/// A post by URL, fetched when unknown.
pub async fn resolve_post(data: &Data, url: &str) -> Result<PostRow, Error> {
    let url = Url::parse(url).map_err(|_| Error::bad_request("not a valid URL"))?;
    Ok(ObjectId::<DbPost>::from(url).dereference(data).await.map_err(Error::from)?.row)
}
