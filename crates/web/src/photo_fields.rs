//! The photos of a form (a listing's, a session's, a group's): those it
//! has, each with its alt text, its place in the order and a box to remove
//! it, and a file input per photo that may be added — no JavaScript
//! needed. Photos chosen with a form that comes back with problems are
//! kept (uploaded already), so nobody chooses them twice.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_db::media::MediaRow;
use maillage_service::media::{self, MediaError, Upload, UploadError};

use crate::forms::field;
use crate::i18n::Lang;
use crate::listings::FieldErrors;
use crate::uploads::Sent;
use crate::WebState;

/// A listing's photos; a session has fewer (`media::MAX_STATUS_MEDIA`).
pub const MAX_PHOTOS: usize = media::MAX_LISTING_MEDIA;
/// The names of the file inputs (field errors need `'static` names).
const NEW_FIELDS: [&str; MAX_PHOTOS] = [
    "new_photo_0",
    "new_photo_1",
    "new_photo_2",
    "new_photo_3",
    "new_photo_4",
    "new_photo_5",
    "new_photo_6",
    "new_photo_7",
];
/// File inputs shown before "More photos".
const SHOWN_SLOTS: usize = 2;

/// A photo the form has.
pub struct KeptPhoto {
    pub index: usize,
    pub id: String,
    pub preview: String,
    pub alt: String,
    pub position: usize,
}

/// A file input for one more photo.
pub struct NewSlot {
    pub name: &'static str,
    /// "Photo 3: file"
    pub label: String,
    pub alt_label: String,
    pub error: Option<String>,
    /// The first of those behind "More photos".
    pub opens_more: bool,
}

pub struct PhotoFields {
    pub kept: Vec<KeptPhoto>,
    pub slots: Vec<NewSlot>,
    /// "JPEG, PNG, WebP or GIF, at most 16 MB each…"
    pub hint: String,
}

impl PhotoFields {
    pub fn of(
        rows: &[MediaRow],
        state: &WebState,
        lang: Lang,
        errors: &FieldErrors,
        max: usize,
    ) -> PhotoFields {
        let kept: Vec<KeptPhoto> = rows
            .iter()
            .enumerate()
            .map(|(index, m)| KeptPhoto {
                index,
                id: m.id.to_string(),
                preview: media::preview_url(m, &state.urls).unwrap_or_default(),
                alt: m.description.clone(),
                position: index + 1,
            })
            .collect();
        let slots = NEW_FIELDS
            .iter()
            .take(max.min(MAX_PHOTOS).saturating_sub(kept.len()))
            .enumerate()
            .map(|(i, name)| NewSlot {
                name,
                label: lang.fill("f_photo_new", &[&(kept.len() + i + 1).to_string()]),
                alt_label: lang.fill("f_photo_new_alt", &[&(kept.len() + i + 1).to_string()]),
                error: errors.iter().find(|(f, _)| f == name).map(|(_, e)| e.clone()),
                opens_more: i == SHOWN_SLOTS,
            })
            .collect();
        let mb = (state.media.config.max_upload_bytes / (1024 * 1024)).to_string();
        PhotoFields { kept, slots, hint: lang.fill("f_photos_hint", &[&max.to_string(), &mb]) }
    }

    pub fn has_more(&self) -> bool {
        self.slots.len() > SHOWN_SLOTS
    }
}

/// What a person is told of a file that is not kept, naming it.
fn refusal(lang: Lang, file: &str, why: &MediaError) -> String {
    match why {
        MediaError::TooLarge(max) => {
            lang.fill("lerr_photo_size", &[file, &(max / (1024 * 1024)).to_string()])
        }
        MediaError::Unsupported => lang.fill("lerr_photo_type", &[file]),
        MediaError::TooManyPixels { pixels, max } => lang.fill(
            "lerr_photo_pixels",
            &[file, &(pixels / 1_000_000).to_string(), &(max / 1_000_000).to_string()],
        ),
        MediaError::Unreadable(_) => lang.fill("lerr_photo_unreadable", &[file]),
    }
}

/// The photos a sent form keeps and adds, uploaded and in order, with
/// their alt text; problems go to `errors` under the file input's name.
pub async fn photos_sent(
    state: &WebState,
    user: &User,
    sent: &Sent,
    lang: Lang,
    errors: &mut FieldErrors,
    max: usize,
) -> Result<Vec<MediaRow>, maillage_core::Error> {
    let mut chosen: Vec<(usize, usize, usize, Id, String)> = Vec::new();
    for index in 0..MAX_PHOTOS {
        let Ok(id) = field(&sent.fields, &format!("photo_{index}")).parse::<Id>() else { continue };
        if !field(&sent.fields, &format!("photo_{index}_remove")).is_empty() {
            continue;
        }
        let position =
            field(&sent.fields, &format!("photo_{index}_position")).trim().parse().unwrap_or(index + 1);
        // Of two photos given the same place, the one moved there wins it.
        let moved = usize::from(position == index + 1);
        chosen.push((
            position,
            moved,
            index,
            id,
            field(&sent.fields, &format!("photo_{index}_alt")).to_owned(),
        ));
    }
    let mb = state.media.config.max_upload_bytes / (1024 * 1024);
    for (slot, name) in NEW_FIELDS.iter().enumerate() {
        let Some(file) =
            sent.files.iter().find(|f| f.field == *name && (f.too_large || !f.file_name.is_empty()))
        else {
            continue;
        };
        let file_name = file.file_name.clone();
        if file.too_large {
            errors.push((name, lang.fill("lerr_photo_size", &[&file_name, &mb.to_string()])));
            continue;
        }
        if file.bytes.is_empty() {
            errors.push((name, lang.fill("lerr_photo_empty", &[&file_name])));
            continue;
        }
        let alt = field(&sent.fields, &format!("{name}_alt")).to_owned();
        let upload = Upload { bytes: file.bytes.clone(), description: alt.clone(), focus: None };
        match media::upload(&state.db, &state.media, user, upload).await {
            Ok(row) => chosen.push((usize::MAX / 2 + slot, 1, MAX_PHOTOS + slot, Id::from_i64(row.id), alt)),
            Err(UploadError::Refused(why)) => errors.push((name, refusal(lang, &file_name, &why))),
            Err(UploadError::Failed(e)) if e.kind().is_client_error() => {
                errors.push((name, e.message().to_owned()))
            }
            Err(UploadError::Failed(e)) => return Err(e),
        }
    }
    chosen.sort_by_key(|(position, moved, index, _, _)| (*position, *moved, *index));
    if chosen.len() > max {
        errors.push((NEW_FIELDS[0], lang.fill("lerr_photos", &[&max.to_string()])));
    }
    let photos: Vec<(Id, String)> = chosen.into_iter().map(|(_, _, _, id, alt)| (id, alt)).collect();
    let user = user.clone();
    state.db.run(move |conn| media::describe_all(conn, &user, &photos)).await
}

/// The picture sent in the file input `field` (an avatar, a header),
/// uploaded: `Ok(None)` when none was chosen, `Err(Some(why))` for a
/// person to read beside the field, `Err(None)` when the node failed.
async fn picture_sent(
    state: &WebState,
    user: &User,
    sent: &Sent,
    field: &str,
    lang: Lang,
) -> Result<Option<Id>, Option<String>> {
    let Some(file) = sent.files.iter().find(|f| f.field == field && (f.too_large || !f.file_name.is_empty()))
    else {
        return Ok(None);
    };
    if file.too_large {
        let mb = state.media.config.max_upload_bytes / (1024 * 1024);
        return Err(Some(lang.fill("lerr_photo_size", &[&file.file_name, &mb.to_string()])));
    }
    if file.bytes.is_empty() {
        return Err(Some(lang.fill("lerr_photo_empty", &[&file.file_name])));
    }
    let upload = Upload { bytes: file.bytes.clone(), description: String::new(), focus: None };
    match media::upload(&state.db, &state.media, user, upload).await {
        Ok(row) => Ok(Some(Id::from_i64(row.id))),
        Err(UploadError::Refused(why)) => Err(Some(refusal(lang, &file.file_name, &why))),
        Err(UploadError::Failed(e)) if e.kind().is_client_error() => Err(Some(e.message().to_owned())),
        Err(UploadError::Failed(_)) => Err(None),
    }
}

/// The avatar and header a form sent (each optional), uploaded, with the
/// problems to show beside their fields; the answer itself when the node
/// failed.
pub async fn pictures_sent(
    state: &WebState,
    user: &User,
    sent: &Sent,
    lang: Lang,
) -> Result<((Option<Id>, Option<Id>), FieldErrors), actix_web::HttpResponse> {
    let mut errors: FieldErrors = Vec::new();
    let mut chosen = (None, None);
    for (name, slot) in [("avatar", &mut chosen.0), ("header", &mut chosen.1)] {
        match picture_sent(state, user, sent, name, lang).await {
            Ok(id) => *slot = id,
            Err(Some(message)) => errors.push((name, message)),
            Err(None) => {
                return Err(crate::security::render_failed(&maillage_core::Error::unavailable("media")))
            }
        }
    }
    Ok((chosen, errors))
}
