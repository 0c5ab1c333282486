//! The pusher: takes the notifications filed for Web Push
//! (`service::push`), encrypts each for the subscribing browser or app
//! (RFC 8291) and posts it to the subscription's push service with a
//! VAPID token (RFC 8292). A push service that answers 404 or 410 has
//! forgotten the subscription, so we forget it too. Pushes are best
//! effort, as in Mastodon: one try each; what matters is in the app.

pub mod encrypt;
pub mod vapid;

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use futures::StreamExt;
use maillage_core::config::Config;
use maillage_core::Error;
use maillage_db::DbPool;
use maillage_service::push::{self, PushJob};
use tokio::sync::watch;

pub use vapid::Vapid;

/// How often filed notifications are looked for.
const EVERY: Duration = Duration::from_millis(500);
/// Pushes sent at once.
const CONCURRENCY: usize = 8;
/// How long a push service keeps a message for an offline device.
const TTL_SECS: u32 = 48 * 3600;

pub struct Pusher {
    pool: DbPool,
    client: reqwest::Client,
    vapid: Arc<Vapid>,
    config: Arc<Config>,
}

impl Pusher {
    /// A pusher with the node's VAPID key pair (made on first start).
    pub async fn new(pool: DbPool, client: reqwest::Client, config: Arc<Config>) -> Result<Pusher, Error> {
        let vapid = pool.run(Vapid::load_or_make).await?;
        Ok(Pusher { pool, client, vapid: Arc::new(vapid), config })
    }

    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(EVERY) => {}
                _ = stop.changed() => return,
            }
            if let Err(e) = self.drain_once().await {
                tracing::warn!(error = %e, "cannot push notifications");
            }
        }
    }

    /// Sends what is filed now; returns how many pushes were tried.
    pub async fn drain_once(&self) -> Result<usize, Error> {
        let config = self.config.clone();
        let jobs = self.pool.run(move |conn| push::take_due(conn, &config, 100)).await?;
        let tried = jobs.len();
        futures::stream::iter(jobs).for_each_concurrent(CONCURRENCY, |job| self.send(job)).await;
        Ok(tried)
    }

    fn subject(&self) -> String {
        match self.config.instance.contact_email.trim() {
            "" => self.config.local_urls().base().to_owned(),
            email => format!("mailto:{email}"),
        }
    }

    async fn send(&self, job: PushJob) {
        let endpoint = match url::Url::parse(&job.endpoint) {
            Ok(u) => u,
            Err(_) => return,
        };
        let keys = (URL_SAFE_NO_PAD.decode(&job.p256dh), URL_SAFE_NO_PAD.decode(&job.auth));
        let (Ok(ua_public), Ok(auth)) = keys else { return };
        let body = match encrypt::encrypt(job.payload.as_bytes(), &ua_public, &auth) {
            Ok(b) => b,
            Err(e) => {
                tracing::info!(subscription = job.subscription_id, error = %e, "push not encrypted");
                return;
            }
        };
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs());
        let authorization = match self.vapid.authorization(&endpoint, &self.subject(), now.unwrap_or(0)) {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "cannot sign a push");
                return;
            }
        };
        let sent = self
            .client
            .post(endpoint)
            .header("Content-Encoding", "aes128gcm")
            .header("Content-Type", "application/octet-stream")
            .header("TTL", TTL_SECS.to_string())
            .header("Urgency", "normal")
            .header("Authorization", authorization)
            .body(body)
            .send()
            .await;
        match sent.map(|r| r.status().as_u16()) {
            Ok(200..=299) => tracing::debug!(subscription = job.subscription_id, "pushed"),
            Ok(404 | 410) => {
                let id = job.subscription_id;
                if let Err(e) = self.pool.run(move |conn| push::forget(conn, id)).await {
                    tracing::warn!(error = %e, "cannot forget a push subscription");
                }
            }
            Ok(status) => tracing::info!(subscription = job.subscription_id, status, "push refused"),
            Err(e) => tracing::info!(subscription = job.subscription_id, error = %e, "push not delivered"),
        }
    }
}
