//! `maillage serve`.

use maillage_core::config::Config;

use super::open_database;
use crate::exit::CommandError;
use crate::{logging, server};

pub fn run(config: Config) -> Result<(), CommandError> {
    logging::init(&config.log);
    actix_web::rt::System::new().block_on(serve(config))
}

/// Opens (and migrates) the database, then serves until a signal arrives.
pub async fn serve(config: Config) -> Result<(), CommandError> {
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        domain = %config.instance.domain,
        territory = %config.territory.name,
        "starting maillage"
    );
    if config.federation.debug {
        tracing::warn!("federation debug mode is on: plain-http localhost peers are accepted; never use this in production");
    }
    let cfg = config.clone();
    let pool = tokio::task::spawn_blocking(move || open_database(&cfg))
        .await
        .map_err(|e| CommandError::Other(e.to_string()))??;
    tracing::info!(database = %pool.url(), "database ready");
    let running = server::start(config, pool, None).await?;
    running.wait().await?;
    tracing::info!("stopped");
    Ok(())
}
