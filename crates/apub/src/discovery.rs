//! WebFinger, host-meta and NodeInfo 2.1: how other servers find our actors
//! and learn what this node is.

use maillage_core::account::{AccountState, RegistrationMode};
use maillage_core::config::Config;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::{posts, users, DbConnection};
use maillage_service::actors::PURPOSE_INSTANCE;
use serde_json::{json, Value};

/// The local actor a WebFinger `resource` names: `acct:name@our.domain`
/// (with or without `acct:`), or the actor's own URL.
pub fn webfinger_actor(conn: &mut DbConnection, urls: &LocalUrls, resource: &str) -> Result<ActorRow, Error> {
    let not_found = || Error::not_found(format!("no actor here for {resource}"));
    if resource.starts_with("https://") || resource.starts_with("http://") {
        if !urls.is_local(resource) {
            return Err(not_found());
        }
        let by_id = actors::find_by_ap_id(conn, resource)?.filter(|a| a.local);
        let by_profile = match resource.rsplit_once("/@") {
            Some((_, name)) if by_id.is_none() => actors::find_local_by_username(conn, &name.to_lowercase())?,
            _ => None,
        };
        return by_id.or(by_profile).ok_or_else(not_found);
    }
    let acct = resource.strip_prefix("acct:").unwrap_or(resource).trim_start_matches('@');
    let (name, domain) =
        acct.rsplit_once('@').ok_or_else(|| Error::bad_request("resource must be acct:user@domain"))?;
    if !domain.eq_ignore_ascii_case(urls.domain()) {
        return Err(not_found());
    }
    if name.eq_ignore_ascii_case(urls.domain()) {
        return actors::find_by_purpose(conn, PURPOSE_INSTANCE)?.ok_or_else(not_found);
    }
    actors::find_local_by_username(conn, &name.to_lowercase())?.ok_or_else(not_found)
}

/// The JRD document for a local actor.
pub fn webfinger_document(actor: &ActorRow, urls: &LocalUrls) -> Value {
    let mut links = vec![json!({ "rel": "self", "type": "application/activity+json", "href": actor.ap_id })];
    let mut aliases = vec![json!(actor.ap_id)];
    if let Some(profile) = &actor.url {
        links.push(
            json!({ "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": profile }),
        );
        aliases.push(json!(profile));
    }
    json!({
        "subject": format!("acct:{}@{}", actor.username, urls.domain()),
        "aliases": aliases,
        "links": links,
    })
}

pub fn host_meta(urls: &LocalUrls) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  \
         <Link rel=\"lrdd\" template=\"{}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n",
        urls.base()
    )
}

/// `/.well-known/nodeinfo`: the NodeInfo document and, per FEP-2677, the
/// instance actor.
pub fn nodeinfo_links(urls: &LocalUrls) -> Value {
    json!({
        "links": [
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": format!("{}/nodeinfo/2.1", urls.base()) },
            { "rel": "https://www.w3.org/ns/activitystreams#Application", "href": urls.instance_actor() }
        ]
    })
}

pub fn nodeinfo(conn: &mut DbConnection, config: &Config) -> Result<Value, Error> {
    let total = users::count_by_state(conn, AccountState::Active)?;
    let local_posts = posts::count_local(conn)?;
    let settings = maillage_service::territory_settings::current(conn, config)?;
    let t = &settings.territory;
    Ok(json!({
        "version": "2.1",
        "software": {
            "name": "maillage",
            "version": env!("CARGO_PKG_VERSION"),
            "repository": "https://example.invalid/maillage",
        },
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": [] },
        "openRegistrations": settings.registration_mode != RegistrationMode::Closed,
        "usage": {
            "users": { "total": total, "activeMonth": total, "activeHalfyear": total },
            "localPosts": local_posts
        },
        "metadata": {
            "nodeName": t.name,
            "nodeDescription": t.description,
            "territory": {
                "name": t.name,
                "latitude": t.latitude,
                "longitude": t.longitude,
                "radiusKm": t.radius_km,
                "languages": t.languages,
                "actor": config.local_urls().actor(&t.handle),
            }
        }
    }))
}
