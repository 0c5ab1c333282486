//! # maillage-apub
//!
//! Everything ActivityPub; the only crate that imports
//! `activitypub_federation`.
//!
//! - [`protocol`]: wire types parsed leniently from what peers send, and the
//!   `@context` of what we send.
//! - [`objects`]: our rows as the library's objects (`DbActor`, `DbPost`),
//!   with conversions named by direction (`actor_to_ap`, `ap_to_actor`,
//!   `post_to_ap`, `ap_to_post`).
//! - [`builders`]: pure builders of outgoing activities.
//! - [`outbound`]: [`outbound::ApubOutbound`], the implementation of the
//!   service crate's `Outbound`: recipients, activity, queued deliveries.
//! - [`signature`]: draft-cavage HTTP signature verification (aws-lc-rs).
//! - [`signing`]: signing deliveries (aws-lc-rs).
//! - [`signed_fetch`]: who signs a GET (authorized fetch), so that limited
//!   audiences can be served to the servers of the people in them.
//! - [`inbox`]: receiving activities: checks, then one handler per type.
//! - [`delivery`]: the worker that drains the persistent delivery queue.
//! - [`discovery`]: WebFinger, host-meta, NodeInfo.
//! - [`fetch`]: fetching an object that may be a post or a listing.
//! - [`resolve`]: finding remote actors and posts from a handle or a URL.
//! - [`collections`]: outbox, followers, following.
//! - [`context`]: the data every module needs ([`ApubContext`]).
//! - [`startup`]: start-up wiring: the node's actors, the library's
//!   configuration, the delivery worker ([`Federation`]).
//! - [`actor_cache`]: remote actors recently read.
//! - [`http`]: the HTTP client of fetches and deliveries.

pub mod actor_cache;
pub mod builders;
pub mod collections;
pub mod context;
pub mod delivery;
pub mod discovery;
pub mod error;
pub mod fetch;
pub mod http;
pub mod inbox;
pub mod objects;
pub mod outbound;
pub mod policy;
pub mod protocol;
pub mod resolve;
pub mod signature;
pub mod signed_fetch;
pub mod signing;
pub mod startup;

pub use context::{ApubContext, Data};
pub use startup::Federation;
