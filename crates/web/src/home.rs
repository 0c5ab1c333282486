//! `/`: what the territory is, its latest offers and needs, upcoming
//! sessions, its projects and the territories linked with it.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::listing::ListingKind;
use maillage_core::time::Timestamp;
use maillage_db::listings::ListingRow;
use maillage_service::territory_home::{self, Home};

use crate::i18n::{Lang, RequestLang};
use crate::security;
use crate::WebState;

pub struct ListingCard {
    pub link: String,
    pub title: String,
    pub kind: &'static str,
    pub category: String,
    pub place: String,
    pub reach: String,
    /// How far it is from the place searched ("à 3,2 km"); empty elsewhere.
    pub distance: String,
    /// When it ends ("Jusqu'au 5 déc. 2026, 14:00"), in a search of those
    /// ending soon first; empty elsewhere.
    pub ends: String,
    /// Its first photo, where the page shows it.
    pub thumb: Option<crate::photos::Photo>,
}

pub struct SessionCard {
    pub link: String,
    pub title: String,
    pub starts: String,
    pub starts_iso: String,
    pub place: String,
    pub places_left: Option<i64>,
}

pub struct LinkCard {
    pub link: String,
    pub name: String,
    pub kind: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub lang: Lang,
    pub me: Option<String>,
    pub is_admin: bool,
    pub unread: i64,
    pub unseen: i64,
    pub csrf: String,
    pub territory: String,
    pub description: String,
    pub handle: String,
    pub offers: Vec<ListingCard>,
    pub needs: Vec<ListingCard>,
    pub sessions: Vec<SessionCard>,
    pub groups: Vec<LinkCard>,
    pub links: Vec<LinkCard>,
}

/// Cards of `listings`, each with its first photo (one query for all).
pub fn cards_with_photos(
    conn: &mut maillage_db::DbConnection,
    listings: &[ListingRow],
    lang: Lang,
    urls: &maillage_core::urls::LocalUrls,
) -> Result<Vec<ListingCard>, maillage_core::Error> {
    let ids: Vec<i64> = listings.iter().map(|l| l.id).collect();
    let first = maillage_service::media::first_photos(conn, &ids)?;
    Ok(listings
        .iter()
        .map(|l| ListingCard {
            thumb: first.get(&l.id).and_then(|m| crate::photos::photo_of(m, urls)),
            ..listing_to_card(l, lang)
        })
        .collect())
}

pub fn listing_to_card(l: &ListingRow, lang: Lang) -> ListingCard {
    ListingCard {
        // A neighbour's listing is read here, with its photos copied here.
        link: if l.local {
            l.url.clone().unwrap_or_else(|| l.ap_id.clone())
        } else {
            format!("/listings/{}", l.id)
        },
        title: l.title.clone(),
        kind: lang.t(if l.kind == ListingKind::Need { "kind_need" } else { "kind_offer" }),
        category: lang.t(&format!("cat_{}", l.category)).to_owned(),
        place: l.place_name.clone(),
        reach: if l.radius_km > 0.0 { lang.km(l.radius_km) } else { String::new() },
        distance: String::new(),
        ends: String::new(),
        thumb: None,
    }
}

fn home_to_page(
    home: Home,
    (offers, needs): (Vec<ListingCard>, Vec<ListingCard>),
    lang: Lang,
    state: &WebState,
    visitor: &crate::session::Visitor,
) -> HomePage {
    let t = &state.territory();
    let zone = visitor.zone(&state.territory());
    HomePage {
        lang,
        me: visitor.name(),
        is_admin: visitor.is_admin(),
        unread: visitor.unread,
        unseen: visitor.unseen,
        csrf: visitor.csrf.clone(),
        territory: t.name.clone(),
        description: t.description.clone(),
        handle: format!("{}@{}", t.handle, state.config.instance.domain),
        offers,
        needs,
        sessions: home
            .sessions
            .iter()
            .map(|(s, going)| SessionCard {
                link: if s.local {
                    format!("/sessions/{}", s.id)
                } else {
                    s.url.clone().unwrap_or_else(|| s.ap_id.clone())
                },
                title: s.title.clone(),
                starts: lang.date_time(s.starts_at, zone),
                starts_iso: zone.local(Timestamp::from_micros(s.starts_at)).rfc3339(),
                place: s.place_name.clone(),
                places_left: s.capacity.map(|c| (i64::from(c) - going).max(0)),
            })
            .collect(),
        groups: home
            .groups
            .iter()
            .map(|(g, a)| LinkCard {
                link: a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
                name: if a.display_name.is_empty() { a.username.clone() } else { a.display_name.clone() },
                kind: g.kind.clone(),
            })
            .collect(),
        links: home
            .links
            .iter()
            .map(|a| LinkCard {
                link: a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
                name: if a.display_name.is_empty() { a.domain.clone() } else { a.display_name.clone() },
                kind: String::new(),
            })
            .collect(),
    }
}

pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let lang = state.lang(&req);
    let visitor = crate::session::visitor(&req, &state).await;
    let (config, urls) = (state.config.clone(), state.urls.clone());
    let found = state
        .db
        .run(move |conn| {
            let settings = maillage_service::territory_settings::current(conn, &config)?;
            let home = territory_home::home(conn, Timestamp::now())?;
            let cards = (
                cards_with_photos(conn, &home.offers, lang, &urls)?,
                cards_with_photos(conn, &home.needs, lang, &urls)?,
            );
            Ok::<_, maillage_core::Error>((home, cards, settings.territory.description))
        })
        .await;
    let (home, cards, description) = match found {
        Ok(found) => found,
        Err(e) => return security::render_failed(&e),
    };
    let mut page = home_to_page(home, cards, lang, &state, &visitor);
    page.description = description;
    match page.render() {
        Ok(html) => security::page(html, Lang::chosen_in_query(&req).map(Lang::code)),
        Err(e) => security::render_failed(&e),
    }
}
