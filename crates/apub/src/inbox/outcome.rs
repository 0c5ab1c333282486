//! What an accepted activity did, and the transaction every handler applies
//! it in.

use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::{received, DbConnection};
use url::Url;

use crate::context::Data;

/// What happened to an accepted activity (all answer 202).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    Duplicate,
    Ignored(String),
}

/// Applies `effect` in one write transaction that first records the
/// activity id; a second delivery of the same id changes nothing.
pub(crate) async fn apply<F>(data: &Data, activity_id: &Url, effect: F) -> Result<Outcome, Error>
where
    F: FnOnce(&mut DbConnection) -> Result<Outcome, Error> + Send + 'static,
{
    let id = activity_id.to_string();
    data.db
        .write_batched(move |conn| {
            if !received::mark_received(conn, &id, Timestamp::now())? {
                return Ok(Outcome::Duplicate);
            }
            effect(conn)
        })
        .await
}
