//! # maillage-mail
//!
//! The sender of outgoing e-mail: it claims due rows of the mail outbox
//! (`maillage_db::mail_outbox`, written by `maillage_service::mail`),
//! hands each to the SMTP server through `lettre`, and records the
//! outcome. Several processes may run it against one PostgreSQL: claims
//! use `FOR UPDATE SKIP LOCKED` and a lease.
//!
//! At least once, as close to once as SMTP allows: a row is marked sent
//! right after the server accepted the message. A process killed between
//! the server's acceptance and that mark (a few milliseconds) leaves the
//! row claimed; when its lease runs out it is sent again, with the same
//! Message-ID (derived from the row's unique (recipient, event) key), so
//! that the receiving side may drop the copy. Nothing queued is ever lost:
//! the row stays until it is sent or given up.

mod direct;
pub mod message;

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use maillage_core::config::MailConfig;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::mail_outbox::{self, MailRow};
use maillage_db::DbPool;
use tokio::sync::watch;

/// How long a claimed row is ours before another sender may take it: far
/// longer than one SMTP exchange may take ([`SMTP_TIMEOUT`] per step).
const LEASE: Duration = Duration::from_secs(120);
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);
/// How often an idle sender looks for due rows.
const IDLE_POLL: Duration = Duration::from_millis(250);
const PRUNE_EVERY: Duration = Duration::from_secs(600);

/// What became of one attempt.
#[derive(Debug)]
pub enum Outcome {
    Sent,
    /// Worth trying again later (server down, 4xx).
    Retry(String),
    /// Never worth trying again (5xx, an address the builder refuses).
    Permanent(String),
}

/// How mails leave: our own connections (`smtp://`), or lettre's pooled
/// transport (`smtps://`).
enum Transport {
    Direct(Box<direct::DirectPool>),
    Lettre(AsyncSmtpTransport<Tokio1Executor>),
}

/// The SMTP client and the sender's address.
pub struct Mailer {
    transport: Transport,
    from: lettre::message::Mailbox,
}

impl Mailer {
    /// Builds the client from a validated `[mail]` section; `hello` is the
    /// name given in EHLO (the node's host).
    pub fn new(config: &MailConfig, hello: &str) -> Result<Mailer, Error> {
        let from = message::mailbox_of(&config.from)?;
        let url = maillage_core::config::SmtpUrl::parse(&config.smtp_url)
            .map_err(|e| Error::internal(format!("mail.smtp_url: {e}")))?;
        if !url.implicit_tls {
            let pool = direct::DirectPool::new(url, hello, SMTP_TIMEOUT, config.concurrency);
            return Ok(Mailer { transport: Transport::Direct(Box::new(pool)), from });
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(config.smtp_url.trim())
            .map_err(|e| Error::internal(format!("mail.smtp_url: {e}")))?
            .hello_name(lettre::transport::smtp::extension::ClientId::Domain(hello.to_owned()))
            .timeout(Some(SMTP_TIMEOUT))
            .pool_config(
                lettre::transport::smtp::PoolConfig::new()
                    .max_size(config.concurrency.clamp(1, 256) as u32)
                    .idle_timeout(Duration::from_secs(30)),
            )
            .build();
        Ok(Mailer { transport: Transport::Lettre(transport), from })
    }

    /// Sends one row's message.
    pub async fn send(&self, row: &MailRow) -> Outcome {
        let built = match message::build(&self.from, row) {
            Ok(m) => m,
            Err(e) => return Outcome::Permanent(e),
        };
        let sent = match &self.transport {
            Transport::Direct(pool) => pool.send(built.envelope(), &built.formatted()).await,
            Transport::Lettre(transport) => transport
                .send(built)
                .await
                .map(drop)
                .map_err(|e| direct::Failure { permanent: e.is_permanent(), message: e.to_string() }),
        };
        match sent {
            Ok(()) => Outcome::Sent,
            Err(e) if e.permanent => Outcome::Permanent(e.message),
            Err(e) => Outcome::Retry(e.message),
        }
    }
}

/// The delay before attempt `attempt + 1`: doubling from the base, capped,
/// with up to 10% of jitter.
pub fn retry_delay(config: &MailConfig, attempt: u32) -> Duration {
    let base = config.retry_base_secs.max(1);
    let exp = base.saturating_mul(1u64 << attempt.saturating_sub(1).min(30));
    let capped = exp.min(config.retry_max_delay_secs.max(1));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or(0);
    Duration::from_secs(capped) + Duration::from_millis(nanos % (capped * 100 + 1))
}

/// The loop draining the outbox.
pub struct MailWorker {
    pool: DbPool,
    mailer: Arc<Mailer>,
    config: MailConfig,
}

impl MailWorker {
    pub fn new(pool: DbPool, mailer: Mailer, config: MailConfig) -> MailWorker {
        MailWorker { pool, mailer: Arc::new(mailer), config }
    }

    /// Runs until `stop` turns true; what it had claimed and not sent then
    /// waits for its lease (a clean stop gives it back at once).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut last_prune = tokio::time::Instant::now();
        loop {
            if *stop.borrow() {
                return;
            }
            let sent = tokio::select! {
                n = self.drain_once() => n,
                _ = stop.changed() => return,
            };
            match sent {
                Ok(0) => {
                    tokio::select! {
                        _ = tokio::time::sleep(IDLE_POLL) => {}
                        _ = stop.changed() => return,
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the mail outbox; trying again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
            if last_prune.elapsed() > PRUNE_EVERY {
                last_prune = tokio::time::Instant::now();
                self.prune().await;
            }
        }
    }

    /// Claims one batch of due mails and sends them, `concurrency` at a
    /// time; returns how many were claimed.
    pub async fn drain_once(&self) -> Result<usize, Error> {
        let limit = (self.config.concurrency * 4) as i64;
        let rows =
            self.pool.run(move |conn| mail_outbox::claim(conn, Timestamp::now(), LEASE, limit)).await?;
        let claimed = rows.len();
        futures::stream::iter(rows)
            .for_each_concurrent(self.config.concurrency, |row| async move {
                let outcome = self.mailer.send(&row).await;
                if let Err(e) = self.record(row, outcome).await {
                    tracing::warn!(error = %e, "cannot record a mail's outcome; its lease will run out");
                }
            })
            .await;
        Ok(claimed)
    }

    async fn record(&self, row: MailRow, outcome: Outcome) -> Result<(), Error> {
        let attempts = row.attempts.saturating_add(1);
        let claim = row.claimed_by.clone().unwrap_or_default();
        let id = row.id;
        let now = Timestamp::now();
        match outcome {
            Outcome::Sent => {
                tracing::debug!(message_id = %row.message_id, "mail sent");
                self.pool.write_batched(move |conn| mail_outbox::mark_sent(conn, id, &claim, now)).await
            }
            Outcome::Retry(e) if (attempts as u32) < self.config.retry_max_attempts => {
                let next = now.saturating_add(retry_delay(&self.config, attempts as u32));
                tracing::info!(message_id = %row.message_id, attempts, error = %e, "mail not sent; will retry");
                self.pool
                    .write_batched(move |conn| mail_outbox::mark_retry(conn, id, attempts, next, &e))
                    .await
            }
            Outcome::Retry(e) | Outcome::Permanent(e) => {
                tracing::warn!(message_id = %row.message_id, attempts, error = %e, "mail given up");
                self.pool
                    .write_batched(move |conn| mail_outbox::mark_failed(conn, id, attempts, &e, now))
                    .await
            }
        }
    }

    async fn prune(&self) {
        let hours = self.config.retention_hours;
        let before = Timestamp::from_micros(Timestamp::now().as_micros() - hours as i64 * 3_600_000_000);
        let pruned = self
            .pool
            .run(move |conn| maillage_db::transaction::write(conn, |conn| mail_outbox::prune(conn, before)))
            .await;
        if let Err(e) = pruned {
            tracing::warn!(error = %e, "cannot prune the mail outbox");
        }
    }
}
