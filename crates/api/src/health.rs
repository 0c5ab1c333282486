//! `GET /healthz`: 200 when the database answers a real query, 503
//! otherwise, for load balancers and orchestrators.

use std::time::Duration;

use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::state::AppState;

const DATABASE_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Serialize)]
struct Health<'a> {
    status: &'a str,
    database: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.db.check_health(DATABASE_TIMEOUT).await {
        Ok(()) => HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(Health {
            status: "ok",
            database: "ok",
            error: None,
        }),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable().insert_header(("Cache-Control", "no-store")).json(Health {
                status: "unavailable",
                database: "unavailable",
                error: Some(e.message()),
            })
        }
    }
}
