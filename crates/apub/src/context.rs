//! What the federation code needs at hand, and the federation library's
//! configuration built from it.

use std::sync::Arc;
use std::time::Duration;

use activitypub_federation::config::FederationConfig;
use activitypub_federation::resolver::ValidatingDnsResolver;
use maillage_core::config::Config;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::DbPool;
use maillage_service::policy::PolicyHandle;
use url::Url;

use crate::objects::actor::DbActor;

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
    pub actor_cache: Arc<crate::objects::actor::ActorCache>,
    /// The federation policies in force; reloaded when an admin changes
    /// them, in this process or another.
    pub policy: Arc<PolicyHandle>,
}

pub type Data = activitypub_federation::config::Data<ApubContext>;

/// Timeout of one outgoing request (fetch or delivery).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

pub fn user_agent(urls: &LocalUrls) -> String {
    format!("Maillage/{} (+{})", env!("CARGO_PKG_VERSION"), urls.base())
}

/// The HTTP client for fetches and deliveries. In production the resolver
/// refuses hosts that resolve to loopback, private or link-local addresses
/// (SSRF); only federation debug mode lets `localhost:PORT` peers through.
pub fn http_client(urls: &LocalUrls, debug: bool) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .user_agent(user_agent(urls))
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::limited(3))
        .dns_resolver(Arc::new(ValidatingDnsResolver::new(Vec::new(), !debug)))
        .build()
        .map_err(|e| Error::internal(format!("cannot build the HTTP client: {e}")))
}

/// Builds the library's configuration: our domain, the debug switch, the
/// client above, Mastodon-compatible signatures, and the instance actor to
/// sign fetches (secure-mode servers refuse unsigned ones).
pub async fn federation_config(
    ctx: ApubContext,
    instance_actor: &DbActor,
) -> Result<FederationConfig<ApubContext>, Error> {
    let debug = ctx.config.federation.debug;
    let client = http_client(&ctx.urls, debug)?;
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
        let centre = (config.territory.latitude, config.territory.longitude);
        let local_domain = config.instance.domain.clone();
        let (instance, policy) = db
            .run(move |conn| {
                let (instance, _territory) = maillage_service::actors::ensure_node_actors(conn, &cfg)?;
                Ok((instance, PolicyHandle::load(conn, centre, &local_domain)?))
            })
            .await?;
        let ctx = ApubContext {
            db,
            config,
            urls,
            alive_hosts: Arc::default(),
            actor_cache: Arc::default(),
            policy,
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

    pub fn outbound(&self) -> crate::outbound::ApubOutbound {
        let language = self.context().config.territory.default_language();
        crate::outbound::ApubOutbound::new((*self.context().urls).clone()).with_language(language)
    }

    pub fn delivery_worker(&self) -> Result<crate::delivery::DeliveryWorker, Error> {
        crate::delivery::DeliveryWorker::new(self.config.clone(), self.context().config.federation.clone())
    }
}
