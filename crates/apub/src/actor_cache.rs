//! The cache of remote actors, so that verifying a signature does not cost
//! a database round trip per activity.

use maillage_db::actors::ActorRow;

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
