//! The delivery worker: claims due rows of the queue, signs and sends them,
//! and records the outcome. Many hosts are served in parallel, each with a
//! small limit of its own, so one slow or dead server cannot hold up the
//! others (a strictly sequential queue per instance is the weakness this
//! avoids). Several processes may run it against one PostgreSQL: claims
//! use `FOR UPDATE SKIP LOCKED` and a lease.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use activitypub_federation::config::FederationConfig;
use maillage_core::config::FederationConfig as Settings;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::deliveries::{self, DeliveryRow};
use maillage_db::{actors, instances};
use tokio::sync::{watch, Notify};
use url::Url;

use crate::context::{ApubContext, Data};
use crate::http::http_client;
use crate::signing::SigningKey;

/// How long a claimed row is ours before another worker may take it.
const LEASE: Duration = Duration::from_secs(60);
/// How often an idle worker looks for due rows.
const IDLE_POLL: Duration = Duration::from_millis(200);
const PRUNE_EVERY: Duration = Duration::from_secs(600);

/// The delay before attempt `attempt + 1`: exponential, capped, with up to
/// 10% of jitter so that retries to a host that came back do not arrive all
/// at once.
pub fn retry_delay(settings: &Settings, attempt: u32) -> Duration {
    let base = settings.retry_base_secs.max(1);
    let exp = base.saturating_mul(1u64 << attempt.saturating_sub(1).min(30));
    let capped = exp.min(settings.retry_max_delay_secs.max(1));
    let jitter = rand::random::<u64>() % (capped / 10 + 1);
    Duration::from_secs(capped + jitter)
}

#[derive(Default)]
struct InFlight {
    per_host: HashMap<String, usize>,
    total: usize,
}

pub struct DeliveryWorker {
    federation: FederationConfig<ApubContext>,
    settings: Settings,
    in_flight: Arc<Mutex<InFlight>>,
    finished: Arc<Notify>,
    sender: Arc<Sender>,
}

impl DeliveryWorker {
    pub fn new(federation: FederationConfig<ApubContext>, settings: Settings) -> Result<Self, Error> {
        let client = http_client(&federation.urls, settings.debug, federation.policy.clone())?;
        let sender = Arc::new(Sender { client, keys: Mutex::default(), debug: settings.debug });
        Ok(DeliveryWorker {
            federation,
            settings,
            in_flight: Arc::default(),
            finished: Arc::default(),
            sender,
        })
    }

    /// Runs until `stop` turns true; deliveries in flight then finish or are
    /// left to their lease.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let data = self.federation.to_request_data();
        let mut last_prune = tokio::time::Instant::now();
        loop {
            if *stop.borrow() {
                break;
            }
            let claimed = match self.claim(&data).await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot claim deliveries");
                    Vec::new()
                }
            };
            let idle = claimed.is_empty();
            for row in claimed {
                self.start(row);
            }
            if last_prune.elapsed() > PRUNE_EVERY {
                last_prune = tokio::time::Instant::now();
                self.prune(&data).await;
            }
            if idle {
                tokio::select! {
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                    _ = self.finished.notified() => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }

    async fn claim(&self, data: &Data) -> Result<Vec<DeliveryRow>, Error> {
        let (free, busy) = {
            let f = self.in_flight.lock().map_err(|_| Error::internal("delivery state poisoned"))?;
            let busy: Vec<String> = f
                .per_host
                .iter()
                .filter(|(_, n)| **n >= self.settings.delivery_per_host)
                .map(|(h, _)| h.clone())
                .collect();
            (self.settings.delivery_concurrency.saturating_sub(f.total), busy)
        };
        if free == 0 {
            return Ok(Vec::new());
        }
        // Ask for no more per host than the host may still take: claim a
        // batch, then hand back what exceeds the per-host limit.
        let rows = data
            .db
            .run(move |conn| deliveries::claim(conn, Timestamp::now(), LEASE, free as i64, &busy))
            .await?;
        let mut taken = Vec::new();
        let mut over = Vec::new();
        {
            let mut f = self.in_flight.lock().map_err(|_| Error::internal("delivery state poisoned"))?;
            for row in rows {
                let n = f.per_host.entry(row.host.clone()).or_default();
                if *n >= self.settings.delivery_per_host {
                    over.push(row.id);
                } else {
                    *n += 1;
                    f.total += 1;
                    taken.push(row);
                }
            }
        }
        if !over.is_empty() {
            data.db.run(move |conn| deliveries::release(conn, &over)).await?;
        }
        Ok(taken)
    }

    fn start(&self, row: DeliveryRow) {
        let data = self.federation.to_request_data();
        let settings = self.settings.clone();
        let in_flight = self.in_flight.clone();
        let finished = self.finished.clone();
        let sender = self.sender.clone();
        tokio::spawn(async move {
            let host = row.host.clone();
            if let Err(e) = deliver(&data, &settings, &sender, row).await {
                tracing::warn!(error = %e, %host, "delivery bookkeeping failed");
            }
            if let Ok(mut f) = in_flight.lock() {
                f.total = f.total.saturating_sub(1);
                if let Some(n) = f.per_host.get_mut(&host) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        f.per_host.remove(&host);
                    }
                }
            }
            finished.notify_one();
        });
    }

    async fn prune(&self, data: &Data) {
        let before = Timestamp::now()
            .saturating_sub(Duration::from_secs(self.settings.delivery_retention_hours * 3600));
        match data.db.run(move |conn| deliveries::prune(conn, before)).await {
            Ok(n) if n > 0 => tracing::info!(pruned = n, "pruned finished deliveries"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot prune deliveries"),
        }
    }
}

/// Why a delivery did not go through: worth retrying, or never.
enum Failure {
    Temporary(String),
    Permanent(String),
}

/// Sends one row and records what happened to it and to its host.
async fn deliver(data: &Data, settings: &Settings, sender: &Sender, row: DeliveryRow) -> Result<(), Error> {
    let signer_id = Id::from_i64(row.signer_id);
    let host = row.host.clone();
    let (signer, dead) = data
        .db
        .run(move |conn| Ok((actors::find_by_id(conn, signer_id)?, instances::is_dead(conn, &host)?)))
        .await?;
    let attempts = row.attempts.saturating_add(1);
    let id = row.id;
    if !data.policy.current().federates_with(&row.host) {
        return data
            .db
            .run(move |conn| {
                deliveries::mark_failed(
                    conn,
                    id,
                    attempts,
                    "refused by the federation policy",
                    Timestamp::now(),
                )
            })
            .await;
    }
    let Some(signer) = signer else {
        return data
            .db
            .run(move |conn| {
                deliveries::mark_failed(conn, id, attempts, "the signer no longer exists", Timestamp::now())
            })
            .await;
    };
    if dead {
        // The inbox must check this host again the next time it writes to
        // us, so that it can be revived.
        if let Ok(mut alive) = data.alive_hosts.lock() {
            alive.remove(&row.host);
        }
        // Parked until the host answers or writes to us (see wake_host).
        let later = Timestamp::now().saturating_add(Duration::from_secs(settings.retry_max_delay_secs));
        return data
            .db
            .run(move |conn| deliveries::mark_retry(conn, id, row.attempts, later, "the host is marked dead"))
            .await;
    }
    let outcome = sender.send(data, &row, signer).await;
    if let Err(Failure::Permanent(reason)) = &outcome {
        let reason = reason.clone();
        return data
            .db
            .run(move |conn| deliveries::mark_failed(conn, id, attempts, &reason, Timestamp::now()))
            .await;
    }
    let host = row.host.clone();
    let now = Timestamp::now();
    match outcome {
        Ok(()) => {
            data.db
                .run(move |conn| {
                    deliveries::mark_delivered(conn, id, now)?;
                    instances::record_success(conn, &host, now).map(drop)
                })
                .await
        }
        Err(Failure::Permanent(_)) => Ok(()),
        Err(Failure::Temporary(error)) => {
            tracing::debug!(%error, inbox = %row.inbox_url, attempts, "delivery failed");
            let give_up = attempts as u32 >= settings.retry_max_attempts;
            let next = now.saturating_add(retry_delay(settings, attempts as u32));
            let dead_after = Duration::from_secs(settings.dead_after_hours * 3600);
            data.db
                .run(move |conn| {
                    instances::record_failure(conn, &host, now, dead_after)?;
                    if give_up {
                        deliveries::mark_failed(conn, id, attempts, &error, now)
                    } else {
                        deliveries::mark_retry(conn, id, attempts, next, &error)
                    }
                })
                .await
        }
    }
}

/// Signs and posts activities; keeps each signer's parsed key.
struct Sender {
    client: reqwest::Client,
    keys: Mutex<HashMap<i64, Arc<SigningKey>>>,
    debug: bool,
}

impl Sender {
    fn key_for(&self, signer: &ActorRow) -> Result<Arc<SigningKey>, Failure> {
        let mut keys = self.keys.lock().map_err(|_| Failure::Temporary("key cache poisoned".into()))?;
        if let Some(key) = keys.get(&signer.id) {
            return Ok(key.clone());
        }
        let pem = signer
            .private_key_pem
            .as_deref()
            .ok_or_else(|| Failure::Permanent("the signer has no private key".into()))?;
        let key = Arc::new(
            SigningKey::from_pem(format!("{}#main-key", signer.ap_id), pem)
                .map_err(|e| Failure::Permanent(e.to_string()))?,
        );
        keys.insert(signer.id, key.clone());
        Ok(key)
    }

    /// Signs (on a blocking thread: RSA is CPU work) and posts the
    /// activity. A 4xx answer other than 408 and 429 counts as delivered:
    /// the peer refused it, and retrying will not change its mind.
    async fn send(&self, data: &Data, row: &DeliveryRow, signer: ActorRow) -> Result<(), Failure> {
        let inbox = Url::parse(&row.inbox_url).map_err(|e| Failure::Permanent(format!("inbox URL: {e}")))?;
        verify_inbox(data, &inbox, self.debug).await?;
        let key = self.key_for(&signer)?;
        let body = row.payload.clone().into_bytes();
        let (url, payload) = (inbox.clone(), body.clone());
        let headers = tokio::task::spawn_blocking(move || key.sign_post(&url, &payload, SystemTime::now()))
            .await
            .map_err(|e| Failure::Temporary(e.to_string()))?
            .map_err(|e| Failure::Permanent(e.to_string()))?;
        let mut request = self.client.post(inbox).body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().await.map_err(|e| Failure::Temporary(e.to_string()))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
            tracing::debug!(%status, inbox = %row.inbox_url, "delivery refused by the peer");
            Ok(())
        } else {
            Err(Failure::Temporary(format!("HTTP {status}")))
        }
    }
}

/// Where deliveries may go: in production only `https` to a host name
/// (no address literal, no explicit port) that does not resolve to a
/// loopback, private or link-local address.
async fn verify_inbox(data: &Data, url: &Url, debug: bool) -> Result<(), Failure> {
    if debug {
        return match url.scheme() {
            "http" | "https" => Ok(()),
            other => Err(Failure::Permanent(format!("unsupported scheme {other}"))),
        };
    }
    if url.scheme() != "https" || url.domain().is_none() || url.port().is_some() {
        return Err(Failure::Permanent("the inbox was refused by URL verification".into()));
    }
    data.is_valid_ip(url).await.map_err(|e| Failure::Permanent(format!("the inbox was refused: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_grow_and_stop_at_the_cap() {
        let settings = Settings { retry_base_secs: 30, retry_max_delay_secs: 3600, ..Settings::default() };
        let first = retry_delay(&settings, 1).as_secs();
        assert!((30..=33).contains(&first), "{first}");
        let third = retry_delay(&settings, 3).as_secs();
        assert!((120..=132).contains(&third), "{third}");
        let late = retry_delay(&settings, 40).as_secs();
        assert!((3600..=3960).contains(&late), "{late}");
    }
}
