//! Start-up wiring: the node's own actors, the federation library's
//! configuration, and the handles (outbound, delivery worker) the binary
//! and the API take from it.

use std::sync::Arc;

use activitypub_federation::config::FederationConfig;
use maillage_core::config::Config;
use maillage_core::Error;
use maillage_db::DbPool;
use maillage_service::policy::PolicyHandle;
use maillage_service::territory_settings::TerritoryHandle;
use url::Url;

use crate::context::{ApubContext, Data};
use crate::delivery::DeliveryWorker;
use crate::http::{http_client, REQUEST_TIMEOUT};
use crate::objects::actor::DbActor;
use crate::outbound::ApubOutbound;

/// Builds the library's configuration: our domain, the debug switch, the
/// HTTP client, Mastodon-compatible signatures, and the instance actor to
/// sign fetches (secure-mode servers refuse unsigned ones).
pub async fn federation_config(
    ctx: ApubContext,
    instance_actor: &DbActor,
) -> Result<FederationConfig<ApubContext>, Error> {
    let debug = ctx.config.federation.debug;
    let client = http_client(&ctx.urls, debug, ctx.policy.clone())?;
    FederationConfig::builder()
        .domain(ctx.urls.domain().to_owned())
        .app_data(ctx.clone())
        .client(reqwest_middleware::ClientWithMiddleware::from(client))
        .debug(debug)
        .http_signature_compat(true)
        .request_timeout(REQUEST_TIMEOUT)
        .signed_fetch_actor(instance_actor)
        .url_verifier(Box::new(PolicyUrlVerifier { policy: ctx.policy.clone() }))
        .build()
        .await
        .map_err(|e| Error::internal(format!("federation configuration: {e}")))
}

/// Refuses fetches from domains the federation policy refuses.
#[derive(Clone)]
struct PolicyUrlVerifier {
    policy: Arc<PolicyHandle>,
}

#[async_trait::async_trait]
impl activitypub_federation::config::UrlVerifier for PolicyUrlVerifier {
    async fn verify(&self, url: &Url) -> Result<(), activitypub_federation::error::Error> {
        if self.policy.current().federates_with_url(url.as_str()) {
            Ok(())
        } else {
            Err(activitypub_federation::error::Error::Other(format!(
                "{} is refused by this node's federation policy",
                url.host_str().unwrap_or_default()
            )))
        }
    }
}

/// The federation side of a running node, built once at start-up.
#[derive(Clone)]
pub struct Federation {
    config: FederationConfig<ApubContext>,
}

impl Federation {
    /// Makes sure the node's own actors exist, then configures the library.
    pub async fn start(db: DbPool, config: Arc<Config>) -> Result<Federation, Error> {
        let urls = Arc::new(config.local_urls());
        let cfg = config.clone();
        let local_domain = config.instance.domain.clone();
        let (instance, policy, territory) = db
            .run(move |conn| {
                let (instance, _territory) = maillage_service::actors::ensure_node_actors(conn, &cfg)?;
                let policy = PolicyHandle::load(conn, &cfg.territory, &local_domain)?;
                Ok((instance, policy, TerritoryHandle::load(conn, &cfg)?))
            })
            .await?;
        let ctx = ApubContext {
            db,
            config,
            urls,
            alive_hosts: Arc::default(),
            actor_cache: Arc::default(),
            policy,
            territory,
        };
        let instance = DbActor::new(instance)?;
        Ok(Federation { config: federation_config(ctx, &instance).await? })
    }

    /// The request data the library's calls take.
    pub fn data(&self) -> Data {
        self.config.to_request_data()
    }

    pub fn context(&self) -> &ApubContext {
        &self.config
    }

    pub fn outbound(&self) -> ApubOutbound {
        ApubOutbound::new((*self.context().urls).clone()).with_territory(self.context().territory.clone())
    }

    pub fn delivery_worker(&self) -> Result<DeliveryWorker, Error> {
        DeliveryWorker::new(self.config.clone(), self.context().config.federation.clone())
    }
}
