//! `/media/{id}/{file|preview}-{secret}[.ext]`: the files of media, served by the
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

fn parse<'a>(id: &str, name: &'a str) -> Option<(i64, Variant, &'a str)> {
    let (variant, secret) = Variant::parse(name)?;
    Some((id.parse().ok()?, variant, secret))
}

async fn serve(
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (id, variant, secret) =
        parse(&path.0, &path.1).ok_or_else(|| Error::not_found("Record not found"))?;
    let policy = state.policy();
    let (bytes, content_type) = cases::read(&state.db, &state.media, &policy, id, variant, secret).await?;
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
        assert_eq!(parse("12", "file-ab12.jpg"), Some((12, Variant::File, "ab12")));
        assert_eq!(parse("12", "preview-ab12"), Some((12, Variant::Preview, "ab12")));
        assert_eq!(parse("12", "file.jpg"), None);
        assert_eq!(parse("12", "../etc"), None);
        assert_eq!(parse("x", "file-ab12.jpg"), None);
    }
}
