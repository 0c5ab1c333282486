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
//! - [`batch`]: group commit of small writes on SQLite.
//! - [`transaction`]: write transactions (`BEGIN IMMEDIATE` on SQLite, so
//!   that concurrent writers wait instead of failing).
//! - [`sqlite_file`]: the SQLite file watched on the write path (deleted,
//!   replaced or read-only: writes answer 503).
//! - [`schema`]: the tables, identical on both backends: ids and timestamps
//!   are `BIGINT`, everything else text, integers and booleans.
//! - One module per table (or group of small tables), with its row types and
//!   queries: [`users`], [`tokens`], [`actors`], [`follows`], [`posts`],
//!   [`login_attempts`] (failed log-ins, for the rate limits),
//!   [`interactions`] (boosts, likes, reports), [`received`] (activity ids
//!   already processed), [`deliveries`] (the outgoing queue), [`instances`]
//!   (health of other servers), [`policies`] (domain blocks and allows,
//!   content filters, run-time settings, purges), [`links`] (territory
//!   links), [`matches`] (matches and the listing change log),
//!   [`ledger`] (time-credit accounts, transfers, movements),
//!   [`contributions`] (hours given to projects), [`status_views`]
//!   (listings and sessions as statuses), [`client_state`]
//!   (markers and bookmarks of Mastodon apps), [`places`] (the gazetteer:
//!   towns and their postcodes, searched by name prefix).
//!
//! Invariant: models are never serialized to clients; the `api` and `web`
//! crates convert them into their own response types.

pub mod actors;
pub mod agreements;
pub mod batch;
pub mod blocks;
pub mod client_state;
pub mod connection;
pub mod contributions;
pub mod conversations;
pub mod deliveries;
pub mod error;
pub mod follows;
pub mod groups;
pub mod instances;
pub mod interactions;
pub mod ledger;
pub mod links;
pub mod listings;
pub mod login_attempts;
pub mod mail_outbox;
pub mod mail_tokens;
pub mod matches;
pub mod media;
pub mod migrations;
pub mod notification_settings;
pub mod notifications;
pub mod oauth;
pub mod places;
pub mod policies;
pub mod polls;
pub mod pool;
pub mod posts;
pub mod push;
pub mod received;
pub mod schema;
pub mod sessions;
pub mod sqlite_file;
pub mod status_views;
pub mod tokens;
pub mod transaction;
pub mod users;

pub use connection::{Backend, DbConnection};

/// Inserts many rows in one statement. The MultiConnection backend has no
/// batch insert, so this dispatches to the connection underneath.
macro_rules! batch_insert {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::DbConnection::Pg(c) => diesel::insert_into($table).values($rows).execute(c),
            $crate::DbConnection::Sqlite(c) => diesel::insert_into($table).values($rows).execute(c),
        }
        .map_err($crate::error::db_error)
    };
}
pub(crate) use batch_insert;

/// `INSERT … ON CONFLICT DO NOTHING`, returning how many rows went in. The
/// MultiConnection backend has no upsert, so this too dispatches to the
/// connection underneath. Unlike catching a unique violation, it leaves a
/// PostgreSQL transaction usable, and it is safe when several requests
/// insert the same row at once.
macro_rules! insert_or_ignore {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::DbConnection::Pg(c) => {
                diesel::insert_into($table).values($rows).on_conflict_do_nothing().execute(c)
            }
            $crate::DbConnection::Sqlite(c) => {
                diesel::insert_into($table).values($rows).on_conflict_do_nothing().execute(c)
            }
        }
        .map_err($crate::error::db_error)
    };
}
pub(crate) use insert_or_ignore;
pub use pool::{DbPool, PoolOptions};
