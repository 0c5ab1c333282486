//! Loads the configuration: the file named by `--config` (or
//! `MAILLAGE_CONFIG`), then the process environment.

use std::path::Path;

use maillage_core::config::{Config, ConfigFile};

use crate::exit::CommandError;

pub fn load(path: Option<&Path>) -> Result<Config, CommandError> {
    let text = match path {
        Some(p) => Some(std::fs::read_to_string(p).map_err(|e| {
            CommandError::ConfigFile(format!("cannot read the configuration file {}: {e}", p.display()))
        })?),
        None => None,
    };
    let name = path.map(|p| p.display().to_string()).unwrap_or_default();
    let file = text.as_deref().map(|text| ConfigFile { name: &name, text });
    Ok(Config::load(file, &|var| std::env::var(var).ok())?)
}
