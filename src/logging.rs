//! Structured logs on standard error: human-readable text by default, one
//! JSON object per line with `log.format = "json"`. `RUST_LOG` wins over
//! `log.level`.

use std::io::IsTerminal;

use maillage_core::config::{LogConfig, LogFormat};
use tracing_subscriber::EnvFilter;

pub fn init(config: &LogConfig) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        // Our crates at the configured level, dependencies one step quieter
        // unless asked for: actix and diesel are chatty at info.
        EnvFilter::new(format!(
            "warn,maillage={0},maillage_api={0},maillage_db={0},maillage_service={0}",
            config.level
        ))
    });
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = match config.format {
        LogFormat::Json => builder.json().with_current_span(true).try_init(),
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
    };
    // A second init (tests starting several nodes) keeps the first one.
    drop(result);
}

/// For one-shot commands: warnings and errors only, so that their standard
/// output stays clean for scripts.
pub fn init_quiet() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
