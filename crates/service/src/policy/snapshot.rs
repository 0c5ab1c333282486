//! The policy in force in one process, and what it hides.

use std::sync::{Arc, RwLock};

use maillage_core::config::TerritoryConfig;
use maillage_core::policy::{ContentFilter, ContentFilters, DomainPattern, FederationPolicy};
use maillage_core::Error;
use maillage_db::policies;
use maillage_db::DbConnection;

use super::{block_from_row, filter_from_row, mode};

/// The policy in force in this process, with the version it was read at.
pub struct PolicyHandle {
    snapshot: RwLock<(i64, Arc<FederationPolicy>)>,
    /// The configured territory; its centre, as admins moved it, is where
    /// content filters measure distances from.
    territory: TerritoryConfig,
    local_domain: String,
}

impl PolicyHandle {
    /// Reads the policies; `territory` is the configured territory,
    /// `local_domain` this node's, which no rule refuses.
    pub fn load(
        conn: &mut DbConnection,
        territory: &TerritoryConfig,
        local_domain: &str,
    ) -> Result<Arc<PolicyHandle>, Error> {
        let centre = territory_centre(conn, territory)?;
        let (version, policy) = read_policy(conn, centre, local_domain)?;
        let snapshot = RwLock::new((version, Arc::new(policy)));
        Ok(Arc::new(PolicyHandle {
            snapshot,
            territory: territory.clone(),
            local_domain: local_domain.to_owned(),
        }))
    }

    /// A handle that refuses nothing, for tools that run without a database.
    pub fn permissive() -> Arc<PolicyHandle> {
        Arc::new(PolicyHandle {
            snapshot: RwLock::new((-1, Arc::new(FederationPolicy::default()))),
            territory: TerritoryConfig::default(),
            local_domain: String::new(),
        })
    }

    pub fn current(&self) -> Arc<FederationPolicy> {
        match self.snapshot.read() {
            Ok(s) => s.1.clone(),
            Err(poisoned) => poisoned.into_inner().1.clone(),
        }
    }

    /// The policy version this snapshot was read at; caches of what a
    /// policy change may purge compare it.
    pub fn version(&self) -> i64 {
        match self.snapshot.read() {
            Ok(s) => s.0,
            Err(poisoned) => poisoned.into_inner().0,
        }
    }

    /// Reloads when another process (or this one) changed the policies;
    /// one small query otherwise. Returns whether it reloaded.
    pub fn refresh(&self, conn: &mut DbConnection) -> Result<bool, Error> {
        if policies::policy_version(conn)? == self.version() {
            return Ok(false);
        }
        let centre = territory_centre(conn, &self.territory)?;
        let (version, policy) = read_policy(conn, centre, &self.local_domain)?;
        let mut guard = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
        *guard = (version, Arc::new(policy));
        Ok(true)
    }
}

fn territory_centre(conn: &mut DbConnection, configured: &TerritoryConfig) -> Result<(f64, f64), Error> {
    Ok(crate::territory_settings::territory_over(conn, configured)?.centre())
}

pub(super) fn read_policy(
    conn: &mut DbConnection,
    centre: (f64, f64),
    local_domain: &str,
) -> Result<(i64, FederationPolicy), Error> {
    let version = policies::policy_version(conn)?;
    let mode = mode(conn)?;
    let blocks = policies::blocks(conn)?.iter().filter_map(|r| block_from_row(r).ok()).collect();
    let allows =
        policies::allows(conn)?.iter().filter_map(|r| DomainPattern::parse(&r.domain).ok()).collect();
    let filters: Vec<ContentFilter> = policies::filters(conn)?.iter().filter_map(filter_from_row).collect();
    let policy = FederationPolicy::new(mode, blocks, allows, ContentFilters::new(&filters, centre));
    Ok((version, policy.with_local_domain(local_domain)))
}

/// Remote authors whose content stays out of public timelines, listing
/// searches and matching under `policy`: those of limited (or no longer
/// federated) domains that no local person follows. Empty, without a
/// query, when the policy hides nothing.
pub fn hidden_remote_authors(conn: &mut DbConnection, policy: &FederationPolicy) -> Result<Vec<i64>, Error> {
    if !policy.hides_anything() {
        return Ok(Vec::new());
    }
    let domains: Vec<String> =
        policies::remote_domains(conn)?.into_iter().filter(|d| policy.keeps_out_of_public(d)).collect();
    if domains.is_empty() {
        return Ok(Vec::new());
    }
    policies::unfollowed_remote_actors_of(conn, &domains)
}
