//! `/@{name}/listings/{id}`: one listing's page: what it is, its tags
//! (each a search), its dates in the visitor's zone, its place on a small
//! map, and a card of its author with their other open listings.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::listing::ListingStatus;
use maillage_core::time::Timestamp;
use maillage_core::zone::Zone;
use maillage_db::actors::ActorRow;
use maillage_db::listings::ListingRow;
use maillage_service::listings::Shown;

use crate::forms;
use crate::frame::Frame;
use crate::framed;
use crate::group_pages::display_name;
use crate::home::{listing_to_card, ListingCard};
use crate::i18n::Lang;
use crate::photos::{photos_of, Photo};
use crate::session::Visitor;
use crate::{security, WebState};

/// A moment on the page: as people read it, and for `<time datetime>`.
pub struct When {
    pub text: String,
    pub iso: String,
}

impl When {
    fn of(micros: i64, lang: Lang, zone: Zone) -> When {
        When { text: lang.date_time(micros, zone), iso: zone.local(Timestamp::from_micros(micros)).rfc3339() }
    }
}

/// A tag, and the search of the listings that carry it.
pub struct TagLink {
    pub name: String,
    pub search: String,
}

/// The place on a map, drawn by `place_map.js`.
pub struct PlaceMap {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
    /// "Map of the place: Die", for screen readers.
    pub label: String,
    pub tiles: String,
    pub attribution: String,
}

pub struct AuthorCard {
    pub name: String,
    /// `@name@domain`, as other servers know them.
    pub handle: String,
    pub link: String,
    /// "3 open listings", or "" when none the visitor may see.
    pub open: String,
}

#[derive(Template)]
#[template(path = "listing.html")]
pub struct ListingPage {
    pub frame: Frame,
    pub card: ListingCard,
    pub description_html: String,
    pub terms: String,
    pub status: String,
    pub uri: String,
    pub tags: Vec<TagLink>,
    pub published: When,
    /// When it last changed, if after its publication's minute.
    pub updated: Option<When>,
    /// When it ends (while open or in progress) or ended (expired), with
    /// the label that says which.
    pub ends: Option<(&'static str, When)>,
    pub map: Option<PlaceMap>,
    pub author: AuthorCard,
    pub photos: Vec<Photo>,
    /// The visitor wrote it: an edit link instead of "I'm interested".
    pub own: bool,
    pub open: bool,
    pub edit_link: String,
    pub interest_action: String,
    pub report_action: String,
    pub login_next: String,
    pub write_link: String,
}
framed!(ListingPage);

fn terms_of(l: &ListingRow, lang: Lang) -> String {
    let mut terms = lang.t(&format!("terms_{}", l.terms_mode)).to_owned();
    if let Some(h) = l.terms_hours {
        terms = format!("{terms} ({} h)", lang.number(h));
    }
    if let (Some(a), Some(c)) = (&l.terms_amount, &l.terms_currency) {
        terms = format!("{terms} : {a} {c}");
    }
    terms
}

fn tag_links(l: &ListingRow) -> Vec<TagLink> {
    l.tag_list()
        .into_iter()
        .map(|name| {
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("q", &format!("#{name}"))
                .finish();
            TagLink { search: format!("/listings?{query}"), name }
        })
        .collect()
}

fn author_card(author: &ActorRow, open: i64, lang: Lang) -> AuthorCard {
    AuthorCard {
        name: display_name(author),
        handle: format!("@{}@{}", author.username, author.domain),
        link: author.url.clone().unwrap_or_else(|| author.ap_id.clone()),
        open: match open {
            0 => String::new(),
            1 => lang.t("author_open_one").to_owned(),
            n => lang.fill("author_open_many", &[&n.to_string()]),
        },
    }
}

fn listing_to_page(shown: Shown, frame: Frame, state: &WebState, visitor: &Visitor) -> ListingPage {
    let Shown { listing: l, author, author_open, photos } = shown;
    let (lang, zone) = (frame.lang, frame.zone);
    let published = When::of(l.published_at, lang, zone);
    let updated = l.updated_at.map(|u| When::of(u, lang, zone)).filter(|u| u.text != published.text);
    let ends = match l.status {
        s if s.is_active() => Some(("listing_ends", When::of(l.expires_at, lang, zone))),
        ListingStatus::Expired => Some(("listing_ended", When::of(l.expires_at, lang, zone))),
        _ => None,
    };
    let map = (l.latitude.is_finite() && l.longitude.is_finite()).then(|| PlaceMap {
        lat: l.latitude,
        lon: l.longitude,
        radius_km: l.radius_km,
        label: lang.fill("place_map_label", &[&l.place_name]),
        tiles: state.config.web.tile_url.clone(),
        attribution: state.config.web.tile_attribution.clone(),
    });
    ListingPage {
        card: listing_to_card(&l, lang),
        // Sanitized when stored (local Markdown and remote HTML alike).
        description_html: l.description_html.clone(),
        terms: terms_of(&l, lang),
        status: lang.t(&format!("status_{}", l.status)).to_owned(),
        uri: l.ap_id.clone(),
        tags: tag_links(&l),
        published,
        updated,
        ends,
        map,
        author: author_card(&author, author_open, lang),
        photos: photos_of(&photos, &state.urls, lang),
        own: visitor.user.as_ref().is_some_and(|u| author.user_id == Some(u.id.as_i64())),
        open: l.status == ListingStatus::Open,
        edit_link: format!("/@{}/listings/{}/edit", author.username, l.id),
        write_link: format!("/me/write?to={}&listing={}", author.id, l.id),
        interest_action: format!("/@{}/listings/{}/interest", author.username, l.id),
        report_action: format!("/@{}/listings/{}/report", author.username, l.id),
        login_next: if l.local {
            format!("/%40{}/listings/{}", author.username, l.id)
        } else {
            format!("/listings/{}", l.id)
        },
        frame,
    }
}

pub async fn listing_page(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, visitor) = Frame::of(&req, &state).await;
    let (name, id) = path.into_inner();
    let Ok(id) = id.parse() else { return security::not_found(frame.lang) };
    let user = visitor.user.clone();
    let found = state
        .db
        .run(move |conn| {
            let viewer = maillage_service::actors::of_visitor(conn, user.as_ref())?;
            maillage_service::listings::local_listing(conn, id, &name, viewer.as_ref())
        })
        .await;
    render_found(found, frame, &state, &visitor)
}

fn render_found(
    found: Result<Option<Shown>, maillage_core::Error>,
    frame: Frame,
    state: &WebState,
    visitor: &Visitor,
) -> HttpResponse {
    match found {
        Ok(Some(shown)) => forms::render(200, &listing_to_page(shown, frame, state, visitor)),
        Ok(None) => security::not_found(frame.lang),
        Err(e) => security::render_failed(&e),
    }
}

/// `/listings/{id}`: any listing the visitor may see, a neighbour node's
/// too, read here with its photos (copied here when first shown).
pub async fn any_listing_page(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, visitor) = Frame::of(&req, &state).await;
    let Ok(id) = path.parse() else { return security::not_found(frame.lang) };
    let user = visitor.user.clone();
    let found = state
        .db
        .run(move |conn| {
            let viewer = maillage_service::actors::of_visitor(conn, user.as_ref())?;
            maillage_service::listings::any_listing(conn, id, viewer.as_ref())
        })
        .await;
    render_found(found, frame, &state, &visitor)
}
