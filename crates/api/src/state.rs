use std::sync::Arc;

use maillage_core::config::Config;
use maillage_db::DbPool;

/// Shared by every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DbPool,
    pub config: Arc<Config>,
}
