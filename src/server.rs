//! The HTTP server: one actix-web application per worker thread, sharing
//! the state. actix-web stops accepting on SIGTERM/SIGINT and lets requests
//! in flight finish within `http.shutdown_timeout_secs`.

use std::net::SocketAddr;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use maillage_api::middleware::{request_context, BodyLimit};
use maillage_api::AppState;
use maillage_core::config::Config;
use maillage_db::DbPool;

use crate::exit::CommandError;

/// A server bound to its address and ready to be awaited.
pub struct RunningServer {
    pub server: Server,
    pub addrs: Vec<SocketAddr>,
}

pub fn start(config: Config, pool: DbPool) -> Result<RunningServer, CommandError> {
    let bind = config
        .http
        .bind_addr()
        .ok_or_else(|| CommandError::Other(format!("invalid bind address {}", config.http.bind)))?;
    let max_body = config.http.max_body_bytes;
    let workers = match config.http.workers {
        0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        n => n,
    };
    let shutdown_timeout = config.http.shutdown_timeout_secs;
    let state = web::Data::new(AppState { db: pool, config: Arc::new(config) });

    let http = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(BodyLimit(max_body))
            .configure(|cfg| maillage_api::configure_extractors(cfg, max_body))
            .wrap(from_fn(request_context))
            .configure(maillage_api::configure)
            .default_service(web::to(maillage_api::not_found))
    })
    .workers(workers)
    .shutdown_timeout(shutdown_timeout)
    .bind(bind)
    .map_err(|e| CommandError::Other(format!("cannot listen on {bind}: {e}")))?;
    let addrs = http.addrs();
    for addr in &addrs {
        tracing::info!("listening on http://{addr}");
    }
    Ok(RunningServer { server: http.run(), addrs })
}
