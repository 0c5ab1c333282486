//! Timelines, and the pagination every list endpoint shares (`max_id`,
//! `since_id`, `min_id`, `limit`, and a `Link` header).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::Error;
use maillage_db::posts::{Page, Timeline};
use maillage_service::posts::timeline;
use serde::Deserialize;

use maillage_db::actors::ActorRow;

use super::auth::{reader, require};
use super::entities::status_to_api;
use super::params::flexible_bool;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/timelines/home", web::get().to(home))
        .route("/api/v1/timelines/public", web::get().to(public))
        .route("/api/v1/timelines/tag/{tag}", web::get().to(tag));
}

#[derive(Debug, Deserialize, Default)]
pub struct PageParams {
    max_id: Option<String>,
    since_id: Option<String>,
    min_id: Option<String>,
    limit: Option<i64>,
}

impl PageParams {
    pub fn page(&self) -> Page {
        let id = |v: &Option<String>| v.as_deref().and_then(|s| s.parse::<i64>().ok());
        Page {
            max_id: id(&self.max_id),
            since_id: id(&self.since_id),
            min_id: id(&self.min_id),
            limit: self.limit.unwrap_or(20).clamp(1, 40),
        }
    }
}

/// The JSON list, with `Link` headers to the next (older) and previous
/// (newer) pages.
pub fn paged_response<T: serde::Serialize>(req: &HttpRequest, items: Vec<(i64, T)>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    if let (Some((newest, _)), Some((oldest, _))) = (items.first(), items.last()) {
        let info = req.connection_info();
        let base = format!("{}://{}{}", info.scheme(), info.host(), req.path());
        let keep: Vec<(String, String)> =
            serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
                .unwrap_or_default()
                .into_iter()
                .filter(|(k, _)| !matches!(k.as_str(), "max_id" | "min_id" | "since_id"))
                .collect();
        let with = |k: &str, v: i64| {
            let mut q = keep.clone();
            q.push((k.to_owned(), v.to_string()));
            format!("{base}?{}", serde_urlencoded::to_string(q).unwrap_or_default())
        };
        response.insert_header((
            "Link",
            format!(
                "<{}>; rel=\"next\", <{}>; rel=\"prev\"",
                with("max_id", *oldest),
                with("min_id", *newest)
            ),
        ));
    }
    response.json(items.into_iter().map(|(_, v)| v).collect::<Vec<_>>())
}

async fn home(
    req: HttpRequest,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["read:statuses"]).await?;
    let page = q.page();
    let urls = state.showing();
    let items = state
        .db
        .run(move |conn| {
            let rows = timeline(conn, Some(&me), Timeline::Home { viewer: me.id() }, page)?;
            rows.iter()
                .map(|p| Ok((p.id, status_to_api(conn, p, Some(&me), &urls)?)))
                .collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(paged_response(&req, items))
}

/// The reader of a public timeline: anyone when the node allows previews,
/// otherwise a signed-in person (422 as Mastodon answers).
async fn preview_reader(req: &HttpRequest, state: &AppState) -> Result<Option<ActorRow>, Error> {
    let viewer = reader(req, state, &["read:statuses"]).await?;
    if viewer.is_none() && !state.config.instance.public_timeline_preview {
        return Err(Error::unprocessable("This method requires an authenticated user"));
    }
    Ok(viewer)
}

#[derive(Deserialize)]
struct PublicParams {
    #[serde(default, deserialize_with = "flexible_bool")]
    local: bool,
    #[serde(default, deserialize_with = "flexible_bool")]
    remote: bool,
}

async fn public(
    req: HttpRequest,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let viewer = preview_reader(&req, &state).await?;
    let scope: PublicParams =
        serde_urlencoded::from_str(req.query_string()).map_err(|e| Error::unprocessable(e.to_string()))?;
    let local = match (scope.local, scope.remote) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    let page = q.page();
    let urls = state.showing();
    let policy = state.policy();
    let items = state
        .db
        .run(move |conn| {
            let hidden = maillage_service::policy::hidden_remote_authors(conn, &policy)?;
            let rows = timeline(conn, viewer.as_ref(), Timeline::Public { local, hidden: &hidden }, page)?;
            rows.iter()
                .map(|p| Ok((p.id, status_to_api(conn, p, viewer.as_ref(), &urls)?)))
                .collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(paged_response(&req, items))
}

/// Public posts with the hashtag, as the public timeline shows them.
async fn tag(
    req: HttpRequest,
    name: web::Path<String>,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let viewer = preview_reader(&req, &state).await?;
    let name = maillage_core::fold::fold(name.trim_start_matches('#'));
    let page = q.page();
    let urls = state.showing();
    let policy = state.policy();
    let items = state
        .db
        .run(move |conn| {
            let hidden = maillage_service::policy::hidden_remote_authors(conn, &policy)?;
            let rows = timeline(conn, viewer.as_ref(), Timeline::Tag { name: &name }, page)?;
            rows.iter()
                .filter(|p| !hidden.contains(&p.author_id))
                .map(|p| Ok((p.id, status_to_api(conn, p, viewer.as_ref(), &urls)?)))
                .collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(paged_response(&req, items))
}
