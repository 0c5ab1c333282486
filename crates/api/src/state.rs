use std::sync::Arc;

use maillage_apub::outbound::ApubOutbound;
use maillage_apub::Federation;
use maillage_core::config::Config;
use maillage_core::urls::LocalUrls;
use maillage_db::DbPool;
use maillage_service::limits::Limiters;
use maillage_service::media::MediaDesk;

/// Shared by every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DbPool,
    pub config: Arc<Config>,
    pub federation: Federation,
    pub urls: Arc<LocalUrls>,
    /// This process's rate limits (the pages share them).
    pub limits: Arc<Limiters>,
    /// Where media are processed and kept.
    pub media: MediaDesk,
}

impl AppState {
    pub fn new(db: DbPool, config: Arc<Config>, federation: Federation, media: MediaDesk) -> Self {
        let urls = Arc::new(config.local_urls());
        let limits = Arc::new(Limiters::new(&config.rate_limits));
        AppState { db, config, federation, urls, limits, media }
    }

    /// The federation policy in force in this process.
    pub fn policy(&self) -> Arc<maillage_core::policy::FederationPolicy> {
        self.federation.context().policy.current()
    }

    /// The handle that reloads it; admin changes refresh it at once.
    pub fn policy_handle(&self) -> Arc<maillage_service::policy::PolicyHandle> {
        self.federation.context().policy.clone()
    }

    /// The territory in force, as admins changed it.
    pub fn territory(&self) -> Arc<maillage_core::config::TerritoryConfig> {
        self.federation.context().territory.current()
    }

    /// What statuses are rendered with: local URLs, and the territory's
    /// language for the text of listings and sessions.
    pub fn showing(&self) -> Showing {
        let lang = self.territory().default_language().to_owned();
        Showing { urls: self.urls.clone(), lang }
    }

    /// What use cases publish through.
    pub fn outbound(&self) -> ApubOutbound {
        self.federation.outbound()
    }
}

/// Local URLs plus the language listings and sessions are written in when
/// shown as statuses; derefs to the URLs, which is what most entities need.
#[derive(Clone)]
pub struct Showing {
    urls: Arc<LocalUrls>,
    pub lang: String,
}

impl std::ops::Deref for Showing {
    type Target = LocalUrls;

    fn deref(&self) -> &LocalUrls {
        &self.urls
    }
}
