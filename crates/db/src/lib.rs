//! # maillage-db
//!
//! Storage for both backends through one diesel `MultiConnection`.
//!
//! - [`connection`]: the [`DbConnection`] enum (SQLite or PostgreSQL) and how
//!   each kind of connection is opened and tuned.
//! - [`pool`]: the [`DbPool`], and [`DbPool::run`], which moves blocking
//!   diesel calls off the async executor.
//! - [`migrations`]: migrations embedded in the binary, one directory per
//!   backend, applied under a lock so that several processes may start at
//!   once.
//! - [`transaction`]: write transactions (`BEGIN IMMEDIATE` on SQLite, so
//!   that concurrent writers wait instead of failing).
//! - [`schema`]: the tables, identical on both backends: ids and timestamps
//!   are `BIGINT`, everything else text, integers and booleans.
//! - [`users`], [`tokens`]: models and queries, one module per table.
//!
//! Invariant: models are never serialized to clients; the `api` and `web`
//! crates convert them into their own response types.

pub mod connection;
pub mod error;
pub mod migrations;
pub mod pool;
pub mod schema;
pub mod tokens;
pub mod transaction;
pub mod users;

pub use connection::{Backend, DbConnection};
pub use pool::{DbPool, PoolOptions};
