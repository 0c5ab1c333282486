//! `maillage admin media …`: moving a node's files to S3-compatible
//! storage, and pruning what is no longer needed.

use maillage_core::config::Config;
use maillage_core::time::Timestamp;
use maillage_db::DbPool;
use maillage_media::DiskStore;

use crate::cli::MediaCommand;
use crate::exit::CommandError;

pub fn run(config: &Config, pool: DbPool, cmd: MediaCommand) -> Result<(), CommandError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CommandError::Other(format!("cannot start a runtime: {e}")))?;
    runtime.block_on(run_async(config, pool, cmd))
}

async fn run_async(config: &Config, pool: DbPool, cmd: MediaCommand) -> Result<(), CommandError> {
    match cmd {
        MediaCommand::Migrate => {
            let disk = DiskStore::new(&config.media.path);
            let s3 = crate::media::s3_store(config)?;
            let report = |m: maillage_service::media::Moved| eprintln!("{} files copied…", m.files);
            let moved = maillage_service::media::copy_all(&pool, &disk, &s3, &report).await?;
            println!(
                "{} files copied from {} to the bucket {}; {} named by the database were missing.",
                moved.files, config.media.path, config.media.s3_bucket, moved.missing
            );
            if config.media.storage != "s3" {
                println!("Set media.storage = \"s3\" (or MAILLAGE_MEDIA_STORAGE=s3) and restart the node to serve them from there.");
            }
            Ok(())
        }
        MediaCommand::Prune { older_than_days } => {
            let desk = crate::media::desk(config, maillage_service::policy::PolicyHandle::permissive())?;
            let days = older_than_days.unwrap_or(config.media.remote_cache_days);
            let days = i64::try_from(days).map_err(|_| CommandError::Other("too many days".into()))?;
            let now = Timestamp::now();
            let before =
                Timestamp::from_micros(now.as_micros().saturating_sub(days.saturating_mul(86_400_000_000)));
            let pruned = maillage_service::media::prune_remote(&pool, &desk, before).await?;
            let unattached = maillage_service::media::remove_unattached(&pool, &desk, now).await?;
            println!("{pruned} copies of remote media removed (copied again when shown), {unattached} unattached uploads removed.");
            Ok(())
        }
    }
}
