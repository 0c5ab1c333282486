//! One module per command; [`run`] dispatches and turns errors into exit
//! codes and a message on standard error.

mod admin;
mod federation;
mod media;
mod places;
mod serve;

use std::process::ExitCode;

use maillage_core::config::Config;
use maillage_db::connection::ConnectError;
use maillage_db::{migrations, DbPool, PoolOptions};

use crate::cli::{Cli, Command};
use crate::exit::CommandError;
use crate::{logging, settings};

pub use serve::serve;

pub fn run(cli: Cli) -> ExitCode {
    let result = settings::load(cli.config.as_deref()).and_then(|config| match cli.command {
        Command::Serve => serve::run(config),
        Command::Migrate => migrate(&config),
        Command::CheckConfig => check_config(&config),
        Command::Admin(cmd) => {
            logging::init_quiet();
            admin::run(&config, cmd)
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("maillage: {e}");
            e.exit_code()
        }
    }
}

/// Opens the configured database and applies pending migrations.
pub fn open_database(config: &Config) -> Result<DbPool, CommandError> {
    let url =
        config.database.parsed_url().ok_or_else(|| CommandError::Other("invalid database URL".into()))?;
    let options = PoolOptions {
        max_connections: config.database.max_connections,
        connect_timeout: std::time::Duration::from_secs(config.database.connect_timeout_secs),
    };
    Ok(DbPool::open_and_migrate(&url, &options)?)
}

fn migrate(config: &Config) -> Result<(), CommandError> {
    logging::init_quiet();
    let url =
        config.database.parsed_url().ok_or_else(|| CommandError::Other("invalid database URL".into()))?;
    let pool = DbPool::open(&url, &PoolOptions::default()).map_err(|e| match e {
        // A database deleted under a running node: refused like bad
        // configuration (exit code 2).
        e @ ConnectError::SqliteMissing { .. } => CommandError::from(e.into_error()),
        e => CommandError::Other(e.to_string()),
    })?;
    let mut conn = pool.get()?;
    let applied = migrations::run_pending(&mut conn)?;
    if applied.is_empty() {
        println!("{url}: the schema is up to date");
    } else {
        for version in &applied {
            println!("{url}: applied {version}");
        }
    }
    Ok(())
}

fn check_config(config: &Config) -> Result<(), CommandError> {
    let mail = match maillage_core::config::SmtpUrl::parse(&config.mail.smtp_url) {
        Ok(smtp) if config.mail.enabled() => format!("mail through {}:{}", smtp.host, smtp.port),
        _ => "no mail".to_owned(),
    };
    println!(
        "configuration is valid: {} ({}) at {}, database {}, {mail}",
        config.territory.name,
        config.instance.domain,
        config.http.bind,
        config.database.parsed_url().map(|u| u.to_string()).unwrap_or_default()
    );
    Ok(())
}
