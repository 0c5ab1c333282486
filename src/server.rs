//! A running node: the HTTP server (one actix-web application per worker
//! thread, sharing the state) and the delivery worker. actix-web stops
//! accepting on SIGTERM/SIGINT and lets requests in flight finish within
//! `http.shutdown_timeout_secs`; the delivery worker stops after it, and
//! whatever it had not sent stays queued in the database. Background
//! tasks beside them: listing expiry, and the reload of the federation
//! policies when an admin changes them (in any process).

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{from_fn, NormalizePath, TrailingSlash};
use actix_web::{web, App, HttpServer};
use maillage_api::middleware::{request_context, BodyLimit};
use maillage_api::rate_limit::api_writes;
use maillage_api::AppState;
use maillage_apub::Federation;
use maillage_core::config::Config;
use maillage_db::DbPool;
use tokio::sync::watch;

use crate::exit::CommandError;

pub struct RunningNode {
    server: Server,
    pub addrs: Vec<SocketAddr>,
    worker: tokio::task::JoinHandle<()>,
    stop_worker: watch::Sender<bool>,
}

impl RunningNode {
    /// A handle to stop the HTTP server from elsewhere.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the server stops, then stops the delivery worker.
    pub async fn wait(self) -> Result<(), CommandError> {
        let result = self.server.await;
        let _ = self.stop_worker.send(true);
        let _ = self.worker.await;
        result.map_err(|e| CommandError::Other(format!("server error: {e}")))
    }
}

/// How often listings whose time is up are marked expired.
const EXPIRY_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Expires listings whose window has ended (and tells peers), every minute
/// until the node stops. Safe with several processes: each listing changes
/// status once.
async fn expire_listings(pool: DbPool, federation: Federation, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(EXPIRY_EVERY) => {}
            _ = stop.changed() => return,
        }
        let outbound = federation.outbound();
        let now = maillage_core::time::Timestamp::now();
        match pool.run(move |conn| maillage_service::listings::expire_due(conn, &outbound, now)).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "listings expired"),
            Err(e) => tracing::warn!(error = %e, "cannot expire listings"),
        }
    }
}

/// Turns filed notifications into mails, at once or as digests when
/// they are due (without SMTP, drops them, less often).
async fn mail_notifications(pool: DbPool, config: Arc<Config>, mut stop: watch::Receiver<bool>) {
    let every = std::time::Duration::from_secs(if config.mail.enabled() { 1 } else { 60 });
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        let config = config.clone();
        let now = maillage_core::time::Timestamp::now();
        match pool.run(move |conn| maillage_service::notification_mail::send_due(conn, &config, now)).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(mails = n, "notification mails queued"),
            Err(e) => tracing::warn!(error = %e, "cannot mail notifications; they will be tried again"),
        }
    }
}

/// Reloads this process's federation policy and territory settings
/// whenever an admin changed them, here or in another process sharing the
/// database: one small read per tick each, a full reload only when the
/// version moved.
async fn refresh_snapshots(
    pool: DbPool,
    policy: Arc<maillage_service::policy::PolicyHandle>,
    territory: Arc<maillage_service::territory_settings::TerritoryHandle>,
    every: std::time::Duration,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        let (policy, territory) = (policy.clone(), territory.clone());
        match pool.run(move |conn| Ok((policy.refresh(conn)?, territory.refresh(conn)?))).await {
            Ok((reloaded, moved)) => {
                if reloaded {
                    tracing::info!("federation policies reloaded");
                }
                if moved {
                    tracing::info!("territory settings reloaded");
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot read the federation policies"),
        }
    }
}

/// Keeps this node's matches current: one process at a time (a lease in
/// the database) holds the index and follows the listing change log.
async fn run_matcher(
    pool: DbPool,
    policy: Arc<maillage_service::policy::PolicyHandle>,
    config: Arc<Config>,
    mut stop: watch::Receiver<bool>,
) {
    use maillage_service::matching::{claim_lease, Matcher};
    let holder = format!("{}-{}", std::process::id(), maillage_core::id::Id::generate().as_i64());
    let every = std::time::Duration::from_millis(config.matching.poll_millis);
    let ttl = (every.as_micros() as i64 * 20).max(10_000_000);
    let matcher: Arc<std::sync::Mutex<Option<Matcher>>> = Arc::default();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        let (matcher, policy, holder, km) =
            (matcher.clone(), policy.clone(), holder.clone(), config.matching.max_between_territories_km);
        let urls = config.local_urls();
        let digest_every = config.matching.digest_interval_secs as i64 * 1_000_000;
        let result = pool
            .run(move |conn| {
                let mut slot = matcher.lock().unwrap_or_else(|p| p.into_inner());
                if !claim_lease(conn, &holder, ttl)? {
                    *slot = None;
                    return Ok(None);
                }
                if slot.is_none() {
                    let started = std::time::Instant::now();
                    let built = Matcher::rebuild(conn, km, urls.clone())?;
                    tracing::info!(
                        listings = built.len(),
                        ms = started.elapsed().as_millis() as u64,
                        "matching index built"
                    );
                    *slot = Some(built);
                }
                let changed = match slot.as_mut() {
                    Some(m) => m.catch_up(conn, &policy.current())?,
                    None => 0,
                };
                maillage_service::notices::send_due_digests(conn, &urls, digest_every)?;
                Ok(Some(changed))
            })
            .await;
        match result {
            Ok(Some(n)) if n > 0 => tracing::debug!(listings = n, "matches updated"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "matching failed; it will be tried again"),
        }
    }
}

/// Starts the mail sender when `[mail]` names an SMTP server; says once
/// that no mail will be sent otherwise.
fn start_mail(pool: &DbPool, config: &Config, stop: watch::Receiver<bool>) -> Result<(), CommandError> {
    if !config.mail.enabled() {
        tracing::info!("mail.smtp_url is not set: no mail will be sent (password resets and e-mail notifications are off)");
        return Ok(());
    }
    let hello = config.instance.domain.split(':').next().unwrap_or("localhost");
    let mailer = maillage_mail::Mailer::new(&config.mail, hello)?;
    if let Ok(smtp) = maillage_core::config::SmtpUrl::parse(&config.mail.smtp_url) {
        tracing::info!(host = %smtp.host, port = smtp.port, tls = smtp.implicit_tls || smtp.starttls.is_some(), "mail goes through SMTP");
    }
    let worker = maillage_mail::MailWorker::new(pool.clone(), mailer, config.mail.clone());
    tokio::spawn(worker.run(stop));
    Ok(())
}

/// Starts a node on `listener` when given (tests pick their port first, so
/// that the domain can name it), on `http.bind` otherwise.
pub async fn start(
    config: Config,
    pool: DbPool,
    listener: Option<TcpListener>,
) -> Result<RunningNode, CommandError> {
    let config = Arc::new(config);
    let federation = Federation::start(pool.clone(), config.clone()).await?;
    let (stop_worker, stop_rx) = watch::channel(false);
    let worker = tokio::spawn(federation.delivery_worker()?.run(stop_rx.clone()));
    tokio::spawn(expire_listings(pool.clone(), federation.clone(), stop_rx.clone()));
    let refresh_every = std::time::Duration::from_millis(config.federation.policy_refresh_millis);
    tokio::spawn(refresh_snapshots(
        pool.clone(),
        federation.context().policy.clone(),
        federation.context().territory.clone(),
        refresh_every,
        stop_rx.clone(),
    ));
    start_mail(&pool, &config, stop_rx.clone())?;
    tokio::spawn(mail_notifications(pool.clone(), config.clone(), stop_rx.clone()));
    let push_client = maillage_apub::http::http_client(
        &config.local_urls(),
        config.federation.debug,
        federation.context().policy.clone(),
    )?;
    let pusher = maillage_push::Pusher::new(pool.clone(), push_client, config.clone()).await?;
    tokio::spawn(pusher.run(stop_rx.clone()));
    tokio::spawn(run_matcher(pool.clone(), federation.context().policy.clone(), config.clone(), stop_rx));

    let max_body = config.http.max_body_bytes;
    // A form may carry a listing's eight photos.
    let upload_max = max_body + config.media.max_upload_bytes * maillage_service::media::MAX_LISTING_MEDIA;
    let workers = match config.http.workers {
        0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        n => n,
    };
    let shutdown_timeout = config.http.shutdown_timeout_secs;
    let bind = config.http.bind.clone();
    let (policy, territory) = (federation.context().policy.clone(), federation.context().territory.clone());
    let (outbound, directory) = (Arc::new(federation.outbound()), Arc::new(federation.clone()));
    let media = crate::media::desk(&config, federation.context().policy.clone())?;
    tokio::spawn(crate::media::sweep_loop(pool.clone(), media.clone(), stop_worker.subscribe()));
    let policy_handle = federation.context().policy.clone();
    tokio::spawn(crate::media::copy_loop(
        pool.clone(),
        media.clone(),
        policy_handle,
        stop_worker.subscribe(),
    ));
    let state = web::Data::new(AppState::new(pool.clone(), config.clone(), federation, media.clone()));
    let pages = web::Data::new(maillage_web::WebState {
        db: pool,
        urls: Arc::new(config.local_urls()),
        config,
        policy,
        territory,
        outbound,
        directory,
        limits: state.limits.clone(),
        media,
    });

    let http = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(pages.clone())
            .app_data(BodyLimit { body: max_body, upload: upload_max })
            .configure(|cfg| maillage_api::configure_extractors(cfg, max_body))
            // Inside the request context, so that a refusal is logged
            // with its request id.
            .wrap(from_fn(api_writes))
            .wrap(from_fn(request_context))
            // Apps add a trailing slash to some paths (Mastodon.py asks
            // for `/api/v2/instance/`); Mastodon accepts both.
            .wrap(NormalizePath::new(TrailingSlash::Trim))
            .configure(maillage_api::configure)
            .configure(maillage_web::configure)
            .default_service(web::to(maillage_api::not_found))
    })
    .workers(workers)
    .shutdown_timeout(shutdown_timeout);
    let http = match listener {
        Some(l) => http.listen(l),
        None => {
            let addr: SocketAddr =
                bind.parse().map_err(|_| CommandError::Other(format!("invalid bind address {bind}")))?;
            http.bind(addr)
        }
    }
    .map_err(|e| CommandError::Other(format!("cannot listen on {bind}: {e}")))?;
    let addrs = http.addrs();
    for addr in &addrs {
        tracing::info!("listening on http://{addr}");
    }
    Ok(RunningNode { server: http.run(), addrs, worker, stop_worker })
}
