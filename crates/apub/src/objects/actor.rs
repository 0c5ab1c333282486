//! Actors: `actor_to_ap` for our own, `ap_to_actor` for others', and the
//! library's `Object`/`Actor` traits over the stored row.

use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::{Actor, Object};
use chrono::{DateTime, Utc};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::{Error, ErrorKind};
use maillage_db::actors::{self, ActorRow};
use maillage_db::transaction;
use maillage_service::text::sanitize_html;
use serde_json::{json, Value};
use url::Url;

use super::{parse_time, rfc3339, to_chrono};
use crate::context::Data;
use crate::error::ApubError;
use crate::protocol::actor::ApActor;
use crate::protocol::context;

/// Remote actors read in the last minute. Every write of a remote actor in
/// this process goes through [`store_remote_actor`] or the Update handler,
/// which refresh the entry; another process's writes are seen within a
/// minute, and a key that no longer verifies is refetched anyway.
#[derive(Default)]
pub struct ActorCache {
    entries: std::sync::Mutex<CacheEntries>,
}

/// The entries, and the policy version they were read under: a policy
/// change may have purged actors, so a new version empties the cache.
#[derive(Default)]
struct CacheEntries {
    policy_version: i64,
    rows: std::collections::HashMap<String, (ActorRow, std::time::Instant)>,
}

impl CacheEntries {
    fn at_version(
        &mut self,
        version: i64,
    ) -> &mut std::collections::HashMap<String, (ActorRow, std::time::Instant)> {
        if self.policy_version != version {
            self.rows.clear();
            self.policy_version = version;
        }
        &mut self.rows
    }
}

const ACTOR_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(60);
const ACTOR_CACHE_MAX: usize = 50_000;

impl ActorCache {
    pub fn get(&self, ap_id: &str, policy_version: i64) -> Option<ActorRow> {
        let mut entries = self.entries.lock().ok()?;
        let entries = entries.at_version(policy_version);
        entries.get(ap_id).filter(|(_, at)| at.elapsed() < ACTOR_CACHE_TTL).map(|(row, _)| row.clone())
    }

    pub fn put(&self, row: &ActorRow, policy_version: i64) {
        if row.local {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            let entries = entries.at_version(policy_version);
            if entries.len() >= ACTOR_CACHE_MAX {
                entries.clear();
            }
            entries.insert(row.ap_id.clone(), (row.clone(), std::time::Instant::now()));
        }
    }
}

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
    let mut doc = json!({
        "@context": context(),
        "id": row.ap_id,
        "type": row.kind,
        "preferredUsername": row.username,
        "name": if row.display_name.is_empty() { &row.username } else { &row.display_name },
        "summary": row.summary_html,
        "inbox": row.inbox_url,
        "manuallyApprovesFollowers": row.manually_approves_followers,
        "discoverable": row.purpose.is_none() || row.purpose.as_deref() == Some("territory"),
        "indexable": false,
        "published": rfc3339(Timestamp::from_micros(row.published_at)),
        "publicKey": {
            "id": format!("{}#main-key", row.ap_id),
            "owner": row.ap_id,
            "publicKeyPem": row.public_key_pem,
        },
    });
    let optional = [
        ("outbox", &row.outbox_url),
        ("followers", &row.followers_url),
        ("following", &row.following_url),
        ("url", &row.url),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            doc[key] = json!(v);
        }
    }
    if let Some(shared) = &row.shared_inbox_url {
        doc["endpoints"] = json!({ "sharedInbox": shared });
    }
    if let Some(icon) = &row.icon_url {
        doc["icon"] = json!({ "type": "Image", "url": icon });
    }
    if let (Some(lat), Some(lon)) = (row.latitude, row.longitude) {
        doc["location"] = json!({ "type": "Place", "name": doc["name"], "latitude": lat, "longitude": lon });
    }
    doc
}

/// A remote actor's row, from its document. Keeps the id of the row it
/// replaces, if any.
pub fn ap_to_actor(ap: &ApActor, existing: Option<&ActorRow>, now: Timestamp) -> ActorRow {
    let domain = match (ap.id.host_str(), ap.id.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => String::new(),
    };
    ActorRow {
        id: existing.map(|e| e.id).unwrap_or_else(|| Id::generate_at(now).as_i64()),
        ap_id: ap.id.to_string(),
        kind: ap.kind.clone(),
        username: ap.preferred_username.clone(),
        username_lower: ap.preferred_username.to_lowercase(),
        domain,
        display_name: ap.name.clone().unwrap_or_default().chars().take(200).collect(),
        summary_html: sanitize_html(ap.summary.as_deref().unwrap_or_default()),
        inbox_url: ap.inbox.to_string(),
        shared_inbox_url: ap.shared_inbox().map(Url::to_string),
        outbox_url: ap.outbox.as_ref().map(Url::to_string),
        followers_url: ap.followers.as_ref().map(Url::to_string),
        following_url: ap.following.as_ref().map(Url::to_string),
        url: ap.profile_url(),
        icon_url: ap.icon_url(),
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
        verify_domains_match(&ap.id, expected_domain)?;
        verify_domains_match(&ap.inbox, expected_domain)?;
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
