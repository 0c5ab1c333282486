//! The territory's settings its admins change from the admin page: its
//! name, description, centre, radius, languages, time zone and currency,
//! and how people register. Stored in `node_settings` (`territory.*` and
//! `registration.mode`); the configuration gives the values until an admin
//! changes them. Use cases read them where they are used; pages and the
//! API read a per-process snapshot ([`TerritoryHandle`]) that follows a
//! change made by any process.

use std::sync::{Arc, RwLock};

use maillage_core::account::RegistrationMode;
use maillage_core::config::{Config, TerritoryChange, TerritoryConfig, TERRITORY_SETTING_PREFIX};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::{policies, transaction, DbConnection};

use crate::federation::{Outbound, Outgoing};

const REGISTRATIONS: &str = "registration.mode";

#[derive(Debug, Clone, PartialEq)]
pub struct TerritorySettings {
    pub territory: TerritoryConfig,
    pub registration_mode: RegistrationMode,
}

/// The territory in force: the configuration's, with an admin's changes.
pub fn territory(conn: &mut DbConnection, config: &Config) -> Result<TerritoryConfig, Error> {
    territory_over(conn, &config.territory)
}

/// `configured` with an admin's changes.
pub fn territory_over(
    conn: &mut DbConnection,
    configured: &TerritoryConfig,
) -> Result<TerritoryConfig, Error> {
    let stored = policies::settings_starting_with(conn, TERRITORY_SETTING_PREFIX)?;
    Ok(configured.with_settings(stored.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
}

/// The settings in force: an admin's choice, else the configuration's.
pub fn current(conn: &mut DbConnection, config: &Config) -> Result<TerritorySettings, Error> {
    let registration_mode = policies::setting(conn, REGISTRATIONS)?
        .and_then(|m| m.parse().ok())
        .unwrap_or(config.registration.mode);
    Ok(TerritorySettings { territory: territory(conn, config)?, registration_mode })
}

/// Checks and stores the change; nothing changes when one value is wrong,
/// and the refusal names every wrong field (`Validation failed: latitude:
/// …; timezone: …`). A new name, description or centre is sent to the
/// territory actor's followers as an `Update`.
pub fn update(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    config: &Config,
    change: &TerritoryChange,
    registration_mode: Option<&str>,
) -> Result<TerritorySettings, Error> {
    let before = current(conn, config)?;
    let changed = before.territory.changed(change);
    let mode = registration_mode.map(|m| m.trim().parse::<RegistrationMode>().ok());
    let mut problems: Vec<String> = match &changed {
        Ok(_) => Vec::new(),
        Err(list) => list
            .iter()
            .map(|(key, message)| format!("{}: {message}", key.trim_start_matches(TERRITORY_SETTING_PREFIX)))
            .collect(),
    };
    if let Some(None) = mode {
        problems.push("registration_mode: must be one of open, approval, closed".to_owned());
    }
    let (Ok(territory), true) = (changed, problems.is_empty()) else {
        return Err(Error::unprocessable(format!("Validation failed: {}", problems.join("; "))));
    };
    let registration_mode = mode.flatten().unwrap_or(before.registration_mode);
    transaction::write(conn, |conn| {
        let now = Timestamp::now();
        for (key, value) in territory.settings() {
            policies::set_setting(conn, key, &value, now)?;
        }
        policies::set_setting(conn, REGISTRATIONS, registration_mode.as_str(), now)?;
        // Every process reloads its snapshots (this one's territory, the
        // policy's centre that distances are measured from).
        policies::bump_policy_version(conn, now)?;
        if let Some(actor) = crate::actors::sync_territory_actor(conn, &territory, now)? {
            outbound.publish(conn, Outgoing::UpdateActor { actor: &actor })?;
        }
        Ok(TerritorySettings { territory, registration_mode })
    })
}

/// The territory in force in one process, reloaded when any process
/// changed it (the policy version moves with every change).
pub struct TerritoryHandle {
    configured: TerritoryConfig,
    snapshot: RwLock<(i64, Arc<TerritoryConfig>)>,
}

impl TerritoryHandle {
    pub fn load(conn: &mut DbConnection, config: &Config) -> Result<Arc<TerritoryHandle>, Error> {
        let version = policies::policy_version(conn)?;
        let territory = territory(conn, config)?;
        Ok(Arc::new(TerritoryHandle {
            configured: config.territory.clone(),
            snapshot: RwLock::new((version, Arc::new(territory))),
        }))
    }

    /// The configured territory, for tools that run without a database.
    pub fn configured(config: &Config) -> Arc<TerritoryHandle> {
        Arc::new(TerritoryHandle {
            configured: config.territory.clone(),
            snapshot: RwLock::new((-1, Arc::new(config.territory.clone()))),
        })
    }

    pub fn current(&self) -> Arc<TerritoryConfig> {
        match self.snapshot.read() {
            Ok(s) => s.1.clone(),
            Err(poisoned) => poisoned.into_inner().1.clone(),
        }
    }

    /// Reloads when the settings changed since this snapshot; one small
    /// query otherwise. Returns whether it reloaded.
    pub fn refresh(&self, conn: &mut DbConnection) -> Result<bool, Error> {
        let version = policies::policy_version(conn)?;
        let known = match self.snapshot.read() {
            Ok(s) => s.0,
            Err(poisoned) => poisoned.into_inner().0,
        };
        if version == known {
            return Ok(false);
        }
        let territory = territory_over(conn, &self.configured)?;
        *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) = (version, Arc::new(territory));
        Ok(true)
    }
}
