//! The node's media desk (store, processor, limits) and its housekeeping
//! loop: uploads never attached and old copies of remote media removed.

use std::sync::Arc;
use std::time::Duration;

use maillage_core::config::Config;
use maillage_core::time::Timestamp;
use maillage_db::DbPool;
use maillage_media::DiskStore;
use maillage_service::media::{self, MediaDesk};
use maillage_service::policy::PolicyHandle;
use tokio::sync::watch;

use crate::exit::CommandError;

const SWEEP_EVERY: Duration = Duration::from_secs(600);

/// The desk for `config`, fetching remote media with the federation's
/// client rules (no private addresses outside debug mode, policy-checked
/// redirects).
pub fn desk(config: &Config, policy: Arc<PolicyHandle>) -> Result<MediaDesk, CommandError> {
    let client = maillage_apub::http::http_client(&config.local_urls(), config.federation.debug, policy)?;
    let store = Arc::new(DiskStore::new(&config.media.path));
    Ok(MediaDesk::new(store, config.media.clone(), client).allowing_private_hosts(config.federation.debug))
}

/// One pass of housekeeping; returns (uploads removed, copies pruned).
pub async fn sweep(
    pool: &DbPool,
    desk: &MediaDesk,
    now: Timestamp,
) -> Result<(usize, usize), maillage_core::Error> {
    let unattached = media::remove_unattached(pool, desk, now).await?;
    let days = i64::try_from(desk.config.remote_cache_days).unwrap_or(3650);
    let before = Timestamp::from_micros(now.as_micros() - days * 86_400_000_000);
    let pruned = media::prune_remote(pool, desk, before).await?;
    Ok((unattached, pruned))
}

pub async fn sweep_loop(pool: DbPool, desk: MediaDesk, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(SWEEP_EVERY) => {}
            _ = stop.changed() => return,
        }
        match sweep(&pool, &desk, Timestamp::now()).await {
            Ok((0, 0)) => {}
            Ok((unattached, pruned)) => tracing::info!(unattached, pruned, "media swept"),
            Err(e) => tracing::warn!(error = %e, "cannot sweep media; it will be tried again"),
        }
    }
}
