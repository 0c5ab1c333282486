//! Exit codes, as scripts and service managers read them.

use std::process::ExitCode;

use maillage_core::config::ConfigError;
use maillage_core::Error;

/// A wrong argument, a bad configuration or refused input.
pub const USAGE: u8 = 2;
/// Anything else that went wrong (database down, port taken…).
pub const FAILURE: u8 = 1;

/// Why a command stopped, with the code it exits with.
#[derive(Debug)]
pub enum CommandError {
    Config(ConfigError),
    /// A problem with the configuration file itself (missing, unreadable).
    ConfigFile(String),
    Domain(Error),
    Other(String),
}

impl CommandError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CommandError::Config(_) | CommandError::ConfigFile(_) => ExitCode::from(USAGE),
            CommandError::Domain(e) if e.kind().is_client_error() => ExitCode::from(USAGE),
            CommandError::Domain(_) | CommandError::Other(_) => ExitCode::from(FAILURE),
        }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::Config(e) => write!(f, "{e}"),
            CommandError::ConfigFile(msg) | CommandError::Other(msg) => f.write_str(msg),
            CommandError::Domain(e) => write!(f, "{e}"),
        }
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        CommandError::Domain(e)
    }
}

impl From<ConfigError> for CommandError {
    fn from(e: ConfigError) -> Self {
        CommandError::Config(e)
    }
}
