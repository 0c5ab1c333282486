//! Actors: `actor_to_ap` for our own, `ap_to_actor` for others', and the
//! library's `Object`/`Actor` traits over the stored row.

use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::{Actor, Object};
use chrono::{DateTime, Utc};
use maillage_core::account::{DISPLAY_NAME_MAX_CHARS, NOTE_MAX_CHARS};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::{Error, ErrorKind};
use maillage_db::actors::{self, ActorRow};
use maillage_db::transaction;
use maillage_service::actors::PURPOSE_TERRITORY;
use maillage_service::text::sanitize_capped;
use serde_json::Value;
use url::Url;

use super::{parse_time, rfc3339, to_chrono};
use crate::context::Data;
use crate::error::ApubError;
use crate::protocol::actor::{ApActor, ApImage, Endpoints, PublicKey, IMAGE};
use crate::protocol::place::{ApPlace, PLACE};

#[derive(Debug, Clone)]
pub struct DbActor {
    pub row: ActorRow,
    ap_id: Url,
}

impl DbActor {
    pub fn new(row: ActorRow) -> Result<DbActor, Error> {
        let ap_id =
            Url::parse(&row.ap_id).map_err(|e| Error::internal(format!("actor {}: {e}", row.ap_id)))?;
        Ok(DbActor { row, ap_id })
    }
}

/// Our actor as ActivityPub JSON, with what Mastodon reads.
pub fn actor_to_ap(row: &ActorRow) -> Value {
    actor_to_wire(row).to_document()
}

/// Our actor as the wire struct. The row is taken apart field by field,
/// each either sent or said not to be.
pub fn actor_to_wire(row: &ActorRow) -> ApActor {
    let ActorRow {
        id: _, // our key, not federated
        ap_id,
        kind,
        username,
        username_lower: _, // for lookups
        domain: _,         // in the id
        display_name,
        summary_html,
        inbox_url,
        shared_inbox_url,
        outbox_url,
        followers_url,
        following_url,
        url,
        icon_url,
        image_url,
        public_key_pem,
        private_key_pem: _, // never leaves the node
        manually_approves_followers,
        local: _,
        purpose,
        user_id: _, // the account behind a person, not federated
        published_at,
        updated_at: _, // an Update is sent instead
        fetched_at: _,
        latitude,
        longitude,
    } = row;
    let link = |u: &Option<String>| u.as_deref().and_then(|u| Url::parse(u).ok());
    let name = if display_name.is_empty() { username.clone() } else { display_name.clone() };
    let location = match (latitude, longitude) {
        (Some(lat), Some(lon)) => Some(ApPlace {
            kind: PLACE.to_owned(),
            name: Some(name.clone()),
            latitude: Some(*lat),
            longitude: Some(*lon),
            address: None,
        }),
        _ => None,
    };
    ApActor {
        id: ap_id.clone(),
        kind: kind.clone(),
        preferred_username: username.clone(),
        name: Some(name),
        summary: Some(summary_html.clone()),
        inbox: inbox_url.clone(),
        outbox: link(outbox_url),
        followers: link(followers_url),
        following: link(following_url),
        endpoints: link(shared_inbox_url).map(|shared| Endpoints { shared_inbox: Some(shared) }),
        public_key: PublicKey {
            id: format!("{ap_id}#main-key"),
            owner: ap_id.clone(),
            public_key_pem: public_key_pem.clone(),
        },
        manually_approves_followers: Some(*manually_approves_followers),
        discoverable: Some(purpose.is_none() || purpose.as_deref() == Some(PURPOSE_TERRITORY)),
        indexable: Some(false),
        url: url.clone(),
        icon: icon_url.clone().map(|u| ApImage { kind: IMAGE.to_owned(), url: Some(u) }),
        image: image_url.clone().map(|u| ApImage { kind: IMAGE.to_owned(), url: Some(u) }),
        published: Some(rfc3339(Timestamp::from_micros(*published_at))),
        location,
    }
}

/// A remote actor's row, from its document. Keeps the id of the row it
/// replaces, if any.
pub fn ap_to_actor(ap: &ApActor, existing: Option<&ActorRow>, now: Timestamp) -> ActorRow {
    let id = ap.id_url().ok();
    let domain = match (id.as_ref().and_then(Url::host_str), id.as_ref().and_then(Url::port)) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => String::new(),
    };
    ActorRow {
        id: existing.map(|e| e.id).unwrap_or_else(|| Id::generate_at(now).as_i64()),
        ap_id: ap.id.clone(),
        kind: ap.kind.clone(),
        username: ap.preferred_username.clone(),
        username_lower: ap.preferred_username.to_lowercase(),
        domain,
        display_name: ap.name.clone().unwrap_or_default().chars().take(DISPLAY_NAME_MAX_CHARS).collect(),
        summary_html: sanitize_capped(ap.summary.as_deref().unwrap_or_default(), NOTE_MAX_CHARS),
        inbox_url: ap.inbox.clone(),
        shared_inbox_url: ap.shared_inbox().map(Url::to_string),
        outbox_url: ap.outbox.as_ref().map(Url::to_string),
        followers_url: ap.followers.as_ref().map(Url::to_string),
        following_url: ap.following.as_ref().map(Url::to_string),
        url: ap.profile_url(),
        icon_url: ap.icon_url(),
        image_url: ap.image_url(),
        public_key_pem: ap.public_key.public_key_pem.clone(),
        private_key_pem: None,
        manually_approves_followers: ap.manually_approves_followers.unwrap_or(false),
        local: false,
        purpose: None,
        user_id: None,
        published_at: parse_time(ap.published.as_deref())
            .or(existing.map(|e| Timestamp::from_micros(e.published_at)))
            .unwrap_or(now)
            .as_micros(),
        updated_at: now.as_micros(),
        fetched_at: Some(now.as_micros()),
        latitude: ap.place().map(|p| p.0),
        longitude: ap.place().map(|p| p.1),
    }
}

/// Stores a remote actor, inserting or refreshing it. A document claiming
/// the id of a local actor is refused.
pub async fn store_remote_actor(data: &Data, ap: ApActor) -> Result<ActorRow, Error> {
    let row = store_remote_actor_row(data, ap).await?;
    data.actor_cache.put(&row, data.policy.version());
    Ok(row)
}

async fn store_remote_actor_row(data: &Data, ap: ApActor) -> Result<ActorRow, Error> {
    data.db
        .run(move |conn| {
            transaction::write(conn, |conn| {
                let existing = actors::find_by_ap_id(conn, ap.id.as_str())?;
                if existing.as_ref().is_some_and(|e| e.local) {
                    return Err(Error::forbidden("a remote document cannot replace a local actor"));
                }
                let row = ap_to_actor(&ap, existing.as_ref(), Timestamp::now());
                if existing.is_some() {
                    actors::update(conn, &row)?;
                    return Ok(row);
                }
                if actors::insert_or_ignore(conn, &row)? {
                    return Ok(row);
                }
                // Stored meanwhile by a concurrent request: refresh that row.
                let current = actors::find_by_ap_id(conn, ap.id.as_str())?
                    .ok_or_else(|| Error::conflict("another actor already has this handle"))?;
                let row = ap_to_actor(&ap, Some(&current), Timestamp::now());
                actors::update(conn, &row)?;
                Ok(row)
            })
        })
        .await
}

#[async_trait::async_trait]
impl Object for DbActor {
    type DataType = crate::context::ApubContext;
    type Kind = Value;
    type Error = ApubError;

    fn id(&self) -> &Url {
        &self.ap_id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        let at = self.row.fetched_at.unwrap_or(self.row.updated_at);
        to_chrono(Timestamp::from_micros(at))
    }

    async fn read_from_id(object_id: Url, data: &Data) -> Result<Option<Self>, ApubError> {
        if let Some(row) = data.actor_cache.get(object_id.as_str(), data.policy.version()) {
            return Ok(Some(DbActor::new(row)?));
        }
        let id = object_id.to_string();
        let row = data.db.run(move |conn| actors::find_by_ap_id(conn, &id)).await?;
        if let Some(row) = &row {
            data.actor_cache.put(row, data.policy.version());
        }
        Ok(row.map(DbActor::new).transpose()?)
    }

    async fn into_json(self, _data: &Data) -> Result<Value, ApubError> {
        Ok(actor_to_ap(&self.row))
    }

    async fn verify(json: &Value, expected_domain: &Url, _data: &Data) -> Result<(), ApubError> {
        let ap = ApActor::parse(json.clone()).map_err(|m| Error::new(ErrorKind::BadRequest, m))?;
        let bad = |m: String| Error::new(ErrorKind::BadRequest, m);
        verify_domains_match(&ap.id_url().map_err(bad)?, expected_domain)?;
        let inbox = Url::parse(&ap.inbox).map_err(|e| bad(format!("the actor's inbox is not a URL: {e}")))?;
        verify_domains_match(&inbox, expected_domain)?;
        Ok(())
    }

    async fn from_json(json: Value, data: &Data) -> Result<Self, ApubError> {
        let ap = ApActor::parse(json).map_err(|m| Error::new(ErrorKind::BadRequest, m))?;
        Ok(DbActor::new(store_remote_actor(data, ap).await?)?)
    }
}

impl Actor for DbActor {
    fn public_key_pem(&self) -> &str {
        &self.row.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.row.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        Url::parse(&self.row.inbox_url).unwrap_or_else(|_| self.ap_id.clone())
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.row.shared_inbox_url.as_deref().and_then(|u| Url::parse(u).ok())
    }
}

#[cfg(test)]
mod tests;
