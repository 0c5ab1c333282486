//! # maillage (the binary and its library)
//!
//! Wires the crates together: command-line parsing, configuration loading,
//! logging, and the HTTP server. The library part lets tests start complete
//! nodes in-process.
//!
//! - [`cli`]: the commands and their arguments (clap).
//! - [`settings`]: reads the configuration file and the environment.
//! - [`logging`]: tracing set-up (text or JSON, level from `RUST_LOG` or the
//!   configuration).
//! - [`server`]: builds the actix-web application and runs it until
//!   SIGTERM/SIGINT.
//! - [`commands`]: one module per command.
//! - [`exit`]: exit codes (2 for bad input, 1 for failures).
//! - [`media`]: the media desk and its housekeeping loop.

pub mod cli;
pub mod commands;
pub mod exit;
pub mod logging;
pub mod media;
pub mod server;
pub mod settings;
