//! # maillage-service
//!
//! The use cases. Each public function takes a connection, checks its input
//! with the rules of `maillage-core`, and does its writes in one transaction
//! (later, with the activities to deliver). HTTP handlers and CLI commands
//! call exactly one of them and convert the result.
//!
//! - [`accounts`]: creating, registering, listing and changing local
//!   accounts; logging in with a password.
//! - [`tokens`]: issuing bearer tokens and authenticating requests with them.
//! - [`password`]: argon2id hashing.
//!
//! Invariant: this crate never imports the federation library or actix-web.

pub mod accounts;
pub mod password;
pub mod tokens;
