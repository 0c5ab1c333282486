//! Forms that may carry photos: read as `multipart/form-data` (each part
//! capped as it arrives) or, without a file, as an ordinary form.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest};
use bytes::{Bytes, BytesMut};
use futures::StreamExt;

use crate::forms::Form;

/// Longest text field of a multipart form.
const TEXT_MAX: usize = 64 * 1024;

/// One file sent with a form.
pub struct SentFile {
    pub field: String,
    /// The name the browser gave (empty when no file was chosen).
    pub file_name: String,
    pub bytes: Bytes,
    /// Larger than the node accepts: its bytes were dropped as they came.
    pub too_large: bool,
}

#[derive(Default)]
pub struct Sent {
    pub fields: Form,
    pub files: Vec<SentFile>,
}

/// Why a body could not be read.
#[derive(Debug)]
pub enum Unreadable {
    TooLarge,
    Malformed,
}

/// The page saying why a form could not be read (413 or 400).
pub fn unreadable_page(frame: crate::frame::Frame, why: Unreadable) -> actix_web::HttpResponse {
    match why {
        Unreadable::TooLarge => {
            crate::forms::message(frame, 413, "upload_too_large_title", "upload_too_large")
        }
        Unreadable::Malformed => {
            crate::forms::message(frame, 400, "form_unreadable_title", "form_unreadable")
        }
    }
}

/// Reads a form, of either encoding; files up to `max_file` bytes each,
/// ordinary fields up to `max_body` bytes in all.
pub async fn read_sent(
    req: &HttpRequest,
    mut payload: web::Payload,
    max_body: usize,
    max_file: usize,
) -> Result<Sent, Unreadable> {
    let content_type = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.starts_with("multipart/form-data") {
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| Unreadable::Malformed)?;
            if body.len() + chunk.len() > max_body {
                return Err(Unreadable::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        let fields = serde_urlencoded::from_bytes(&body).map_err(|_| Unreadable::Malformed)?;
        return Ok(Sent { fields, files: Vec::new() });
    }
    let mut parts = Multipart::new(req.headers(), payload);
    let mut sent = Sent::default();
    let mut text_total = 0;
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(|_| Unreadable::Malformed)?;
        let name = part.name().unwrap_or_default().to_owned();
        let file_name = part.content_disposition().and_then(|d| d.get_filename()).map(str::to_owned);
        let is_file = file_name.is_some();
        let cap = if is_file { max_file } else { TEXT_MAX };
        let mut data = BytesMut::new();
        let mut too_large = false;
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|_| Unreadable::Malformed)?;
            if too_large || data.len() + chunk.len() > cap {
                too_large = true;
                continue;
            }
            data.extend_from_slice(&chunk);
        }
        if is_file {
            let file_name = file_name.unwrap_or_default().chars().take(120).collect();
            sent.files.push(SentFile { field: name, file_name, bytes: data.freeze(), too_large });
        } else {
            text_total += data.len();
            if too_large || text_total > max_body {
                return Err(Unreadable::TooLarge);
            }
            sent.fields.push((name, String::from_utf8_lossy(&data).into_owned()));
        }
    }
    Ok(sent)
}

/// A sent form that may carry files, from a signed-in visitor, CSRF
/// checked: what every photo form handler starts with. Nobody signed out
/// gets a body of photos read into memory.
pub async fn posted_with_files(
    req: &HttpRequest,
    payload: web::Payload,
    state: &crate::WebState,
) -> Result<(crate::frame::Frame, maillage_core::account::User, Sent), actix_web::HttpResponse> {
    let (frame, visitor) = crate::frame::Frame::of(req, state).await;
    // The files of someone signed out are dropped as they come; the form
    // is then answered as any other (403 without its token, else the
    // log-in page).
    let max_file = if visitor.user.is_some() { state.media.config.max_upload_bytes } else { 0 };
    let sent = match read_sent(req, payload, state.config.http.max_body_bytes, max_file).await {
        Ok(sent) => sent,
        Err(why) => return Err(unreadable_page(frame, why)),
    };
    let (frame, _, user) = crate::forms::posted(req, state, &sent.fields).await?;
    Ok((frame, user, sent))
}
