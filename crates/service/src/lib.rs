//! # maillage-service
//!
//! The use cases. Each public function takes a connection, checks its input
//! with the rules of `maillage-core`, and does its writes in one transaction
//! (later, with the activities to deliver). HTTP handlers and CLI commands
//! call exactly one of them and convert the result.
//!
//! - [`accounts`]: creating, registering, listing and changing local
//!   accounts (each with its Person actor); logging in with a password.
//! - [`actors`]: local actors, and the node's instance and territory actors.
//! - [`federation`]: [`federation::Outbound`], through which use cases
//!   queue what other servers must hear, inside their own transaction.
//! - [`keys`]: RSA key pairs for local actors.
//! - [`text`]: Markdown rendering, hashtags and mentions, HTML sanitizing.
//! - [`tokens`]: issuing bearer tokens and authenticating requests with them.
//! - [`password`]: argon2id hashing.
//!
//! Invariant: this crate never imports the federation library or actix-web.

pub mod accounts;
pub mod actors;
pub mod federation;
pub mod keys;
pub mod password;
pub mod text;
pub mod tokens;
