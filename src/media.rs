//! The node's media desk (store, processor, limits) and its housekeeping
//! loop: uploads never attached and old copies of remote media removed.

use std::sync::Arc;
use std::time::Duration;

use maillage_core::config::Config;
use maillage_core::time::Timestamp;
use maillage_db::DbPool;
use maillage_media::store::Layered;
use maillage_media::{DiskStore, MediaStore, S3Settings, S3Store};
use maillage_service::media::{self, MediaDesk};
use maillage_service::policy::PolicyHandle;
use tokio::sync::watch;

use crate::exit::CommandError;

const SWEEP_EVERY: Duration = Duration::from_secs(600);
const COPY_EVERY: Duration = Duration::from_secs(2);

/// The desk for `config`, fetching remote media with the federation's
/// client rules (no private addresses outside debug mode, policy-checked
/// redirects).
pub fn desk(config: &Config, policy: Arc<PolicyHandle>) -> Result<MediaDesk, CommandError> {
    let client = maillage_apub::http::http_client(&config.local_urls(), config.federation.debug, policy)?;
    Ok(MediaDesk::new(store(config)?, config.media.clone(), client)
        .allowing_private_hosts(config.federation.debug))
}

/// The store `[media]` names: the disk, or S3 in front of the disk.
pub fn store(config: &Config) -> Result<Arc<dyn MediaStore>, CommandError> {
    let disk = DiskStore::new(&config.media.path);
    if config.media.storage != "s3" {
        return Ok(Arc::new(disk));
    }
    Ok(Arc::new(Layered { primary: Box::new(s3_store(config)?), previous: Box::new(disk) }))
}

pub fn s3_store(config: &Config) -> Result<S3Store, CommandError> {
    let m = &config.media;
    if let Some((key, problem)) = m.s3_problems().into_iter().next() {
        return Err(CommandError::ConfigFile(format!("{key}: {problem}")));
    }
    let settings = S3Settings {
        endpoint: m.s3_endpoint.clone(),
        region: m.s3_region.clone(),
        bucket: m.s3_bucket.clone(),
        access_key_id: m.s3_access_key_id.clone(),
        secret_access_key: m.s3_secret_access_key.clone(),
    };
    S3Store::new(&settings).map_err(|e| CommandError::Other(e.to_string()))
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

/// Copies other nodes' listing photos as they arrive (each process from
/// what arrives after it started; two processes copying the same picture
/// write the same files).
pub async fn copy_loop(
    pool: DbPool,
    desk: MediaDesk,
    policy: Arc<PolicyHandle>,
    mut stop: watch::Receiver<bool>,
) {
    // From what arrived in the hour before start-up (a restart misses
    // nothing recent; older pictures are copied when shown).
    let hour_ago = Timestamp::from_micros(Timestamp::now().as_micros() - 3_600_000_000);
    let mut after = maillage_core::id::Id::lowest_at(hour_ago).as_i64();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(COPY_EVERY) => {}
            _ = stop.changed() => return,
        }
        match media::copy_new_listing_photos(&pool, &desk, &policy.current(), after).await {
            Ok(last) => after = last,
            Err(e) => tracing::warn!(error = %e, "cannot copy new listing photos; they will be tried again"),
        }
    }
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
