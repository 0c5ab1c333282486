//! The territory's settings its admins change from the admin page: the
//! description people read on the home page and in apps, and how people
//! register. Stored in `node_settings` and read where they are used, so
//! every process sharing the database follows a change at once; the
//! configuration file gives the values until an admin changes them.

use maillage_core::account::RegistrationMode;
use maillage_core::config::Config;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::{policies, transaction, DbConnection};

const DESCRIPTION: &str = "territory.description";
const REGISTRATIONS: &str = "registration.mode";
pub const DESCRIPTION_MAX: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerritorySettings {
    pub description: String,
    pub registration_mode: RegistrationMode,
}

/// The settings in force: an admin's choice, else the configuration's.
pub fn current(conn: &mut DbConnection, config: &Config) -> Result<TerritorySettings, Error> {
    let description =
        policies::setting(conn, DESCRIPTION)?.unwrap_or_else(|| config.territory.description.clone());
    let registration_mode = policies::setting(conn, REGISTRATIONS)?
        .and_then(|m| m.parse().ok())
        .unwrap_or(config.registration.mode);
    Ok(TerritorySettings { description, registration_mode })
}

/// Checks and stores both settings; nothing changes when one is wrong.
pub fn update(
    conn: &mut DbConnection,
    description: &str,
    registration_mode: &str,
) -> Result<TerritorySettings, Error> {
    let mut problems = Vec::new();
    let description = description.trim();
    if description.chars().count() > DESCRIPTION_MAX {
        problems.push(format!("description: must be at most {DESCRIPTION_MAX} characters"));
    }
    let mode = registration_mode.parse::<RegistrationMode>().ok();
    if mode.is_none() {
        problems.push("registration_mode: must be one of open, approval, closed".to_owned());
    }
    let (Some(mode), true) = (mode, problems.is_empty()) else {
        return Err(Error::unprocessable(format!("Validation failed: {}", problems.join("; "))));
    };
    transaction::write(conn, |conn| {
        let now = Timestamp::now();
        policies::set_setting(conn, DESCRIPTION, description, now)?;
        policies::set_setting(conn, REGISTRATIONS, mode.as_str(), now)?;
        Ok(TerritorySettings { description: description.to_owned(), registration_mode: mode })
    })
}
