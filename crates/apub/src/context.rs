//! What the federation code needs at hand: the data every module reaches
//! through the library's `Data`. Built at start-up (`startup`).

use std::sync::Arc;

use maillage_core::config::Config;
use maillage_core::urls::LocalUrls;
use maillage_db::DbPool;
use maillage_service::policy::PolicyHandle;
use maillage_service::territory_settings::TerritoryHandle;

use crate::actor_cache::ActorCache;

#[derive(Clone)]
pub struct ApubContext {
    pub db: DbPool,
    pub config: Arc<Config>,
    pub urls: Arc<LocalUrls>,
    /// Hosts recently seen alive, so that the inbox does not touch the
    /// database on every activity to say so.
    pub alive_hosts: Arc<std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>>,
    /// Remote actors recently read, so that verifying a signature does not
    /// cost a database round trip per activity.
    pub actor_cache: Arc<ActorCache>,
    /// The federation policies in force; reloaded when an admin changes
    /// them, in this process or another.
    pub policy: Arc<PolicyHandle>,
    /// The territory in force (name, centre, languages, time zone), as
    /// admins changed it; reloaded like the policies.
    pub territory: Arc<TerritoryHandle>,
}

pub type Data = activitypub_federation::config::Data<ApubContext>;
