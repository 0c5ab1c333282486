//! `/media/{id}/{file|preview}[.ext]`: the files of media, served by the
//! node with the type it wrote them in and a year's cache (a media's files
//! never change under the same id). Remote pictures are copied on the first
//! request.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{web, HttpResponse};
use maillage_core::Error;
use maillage_service::media::{self as cases, Variant};

use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/media/{id}/{name}", web::get().to(serve));
}

fn parse(id: &str, name: &str) -> Option<(i64, Variant)> {
    let id = id.parse().ok()?;
    let stem = name.split_once('.').map_or(name, |(stem, _)| stem);
    let variant = match stem {
        "file" => Variant::File,
        "preview" => Variant::Preview,
        _ => return None,
    };
    Some((id, variant))
}

async fn serve(
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (id, variant) = parse(&path.0, &path.1).ok_or_else(|| Error::not_found("Record not found"))?;
    let policy = state.policy();
    let (bytes, content_type) = cases::read(&state.db, &state.media, &policy, id, variant).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type))
        .insert_header((CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_names_are_served() {
        assert_eq!(parse("12", "file.jpg"), Some((12, Variant::File)));
        assert_eq!(parse("12", "preview"), Some((12, Variant::Preview)));
        assert_eq!(parse("12", "../etc"), None);
        assert_eq!(parse("x", "file.jpg"), None);
    }
}
