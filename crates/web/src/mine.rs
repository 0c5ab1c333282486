//! A signed-in person's own pages: their listings and the agreements on
//! them (`/me/listings`), their matches with the reasons
//! (`/me/matches`); with the forms that act on them.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::listing::ListingStatus;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::agreements::AgreementRow;
use maillage_db::DbConnection;
use maillage_service::actors::actor_of_user;

use crate::forms::{self, field, Form};
use crate::frame::Frame;
use crate::framed;
use crate::home::{listing_to_card, ListingCard};
use crate::i18n::Lang;
use crate::or_respond;
use crate::WebState;

pub struct MyListing {
    pub id: i64,
    pub card: ListingCard,
    pub status: String,
    pub status_label: &'static str,
    pub edit_link: String,
}

pub struct AgreementView {
    pub id: i64,
    pub listing: String,
    pub listing_link: String,
    pub other: String,
    pub state: String,
    pub state_label: &'static str,
    pub message: String,
    /// The conversation with the other side about it, when there is one.
    pub conversation: String,
}

#[derive(Template)]
#[template(path = "my_listings.html")]
pub struct MyListingsPage {
    pub frame: Frame,
    pub listings: Vec<MyListing>,
    pub received: Vec<AgreementView>,
    pub sent: Vec<AgreementView>,
    pub notice: &'static str,
}

pub struct MatchView {
    pub id: i64,
    pub mine: ListingCard,
    pub theirs: ListingCard,
    pub author: String,
    pub reasons: Vec<String>,
    pub score: String,
    /// The person's own side: `new`, `responded`, `dismissed`…
    pub state: String,
    /// What they are told of it: their side, or that the other answered.
    pub state_label: &'static str,
    /// The other side is interested in the person's listing: the answer
    /// waits on their listings' page.
    pub answered: bool,
}

#[derive(Template)]
#[template(path = "my_matches.html")]
pub struct MyMatchesPage {
    pub frame: Frame,
    pub matches: Vec<MatchView>,
    pub notice: &'static str,
}

framed!(MyListingsPage, MyMatchesPage);

fn handle(a: &ActorRow) -> String {
    let name = if a.display_name.is_empty() { &a.username } else { &a.display_name };
    format!("{name} (@{}@{})", a.username, a.domain)
}

/// What the page says happened, from the query its redirect set
/// (`?created`), in the page's language; "" when nothing.
fn notice_of(req: &HttpRequest, lang: Lang, keys: &[&'static str]) -> &'static str {
    let q = req.query_string();
    keys.iter()
        .copied()
        .find(|k| q.split('&').any(|kv| kv.split('=').next() == Some(k)))
        .map(|k| lang.t(&format!("notice_{k}")))
        .unwrap_or("")
}

fn agreement_view(
    conn: &mut DbConnection,
    a: &AgreementRow,
    me: i64,
    lang: Lang,
) -> Result<AgreementView, Error> {
    let listing = maillage_service::agreements::listing_of(conn, a)?;
    let other_id = if a.initiator_id == me { a.responder_id } else { a.initiator_id };
    let other =
        maillage_service::actors::find(conn, Id::from_i64(other_id))?.map(|o| handle(&o)).unwrap_or_default();
    Ok(AgreementView {
        id: a.id,
        listing: listing.as_ref().map(|l| l.title.clone()).unwrap_or_default(),
        listing_link: listing.map(|l| l.url.unwrap_or(l.ap_id)).unwrap_or_default(),
        other,
        state: a.state.clone(),
        state_label: lang.t(&format!("agreement_{}", a.state)),
        message: a.message.clone(),
        conversation: maillage_service::conversations::of_agreement(conn, me, a)?
            .map(|c| format!("/me/conversations/{c}"))
            .unwrap_or_default(),
    })
}

type MyListingsData = (Vec<MyListing>, Vec<AgreementView>, Vec<AgreementView>);

fn my_listings(
    conn: &mut DbConnection,
    user: &User,
    lang: Lang,
    urls: &maillage_core::urls::LocalUrls,
) -> Result<MyListingsData, Error> {
    let me = actor_of_user(conn, user.id)?;
    let own = maillage_service::listings::own_listings(conn, &me, 100)?;
    let cards = crate::home::cards_with_photos(conn, &own, lang, urls)?;
    let mine = own
        .iter()
        .zip(cards)
        .map(|(l, card)| MyListing {
            id: l.id,
            card,
            status: l.status.to_string(),
            status_label: lang.t(&format!("status_{}", l.status)),
            edit_link: format!("/@{}/listings/{}/edit", me.username, l.id),
        })
        .collect();
    let (mut received, mut sent) = (Vec::new(), Vec::new());
    for a in maillage_service::agreements::mine(conn, user)? {
        let view = agreement_view(conn, &a, me.id, lang)?;
        if a.responder_id == me.id {
            received.push(view);
        } else {
            sent.push(view);
        }
    }
    Ok((mine, received, sent))
}

pub async fn listings_page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let lang = frame.lang;
    let urls = state.urls.clone();
    match state.db.run(move |conn| my_listings(conn, &user, lang, &urls)).await {
        Ok((listings, received, sent)) => {
            let notice = notice_of(&req, lang, &["created", "interested", "answered", "changed"]);
            forms::render(200, &MyListingsPage { frame, listings, received, sent, notice })
        }
        Err(e) => forms::refused(frame, &e),
    }
}

/// Withdraw, mark fulfilled, or open again one of one's listings.
pub async fn set_status(
    req: HttpRequest,
    id: web::Path<String>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let (Ok(id), Ok(to)) = (id.parse::<Id>(), field(&sent, "status").parse::<ListingStatus>()) else {
        return forms::message(frame, 422, "refused_title", "err_status");
    };
    if to == ListingStatus::Withdrawn && !forms::confirmed(&sent) {
        let lang = frame.lang;
        let page = forms::ConfirmPage {
            title: lang.t("withdraw_title").to_owned(),
            text: lang.t("withdraw_text").to_owned(),
            action: format!("/me/listings/{id}/status"),
            fields: vec![("status".into(), "withdrawn".into())],
            yes: lang.t("withdraw_yes").to_owned(),
            back: "/me/listings".into(),
            frame,
        };
        return forms::render(200, &page);
    }
    let outbound = state.outbound.clone();
    match state
        .db
        .run(move |conn| maillage_service::listings::set_status(conn, outbound.as_ref(), &user, id, to))
        .await
    {
        Ok(_) => forms::see_other("/me/listings?changed"),
        Err(e) => forms::refused(frame, &e),
    }
}

/// "I'm interested", from a listing's page.
pub async fn interest(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let Ok(id) = path.1.parse::<Id>() else { return crate::security::not_found(frame.lang) };
    let message = field(&sent, "message").to_owned();
    let (outbound, urls) = (state.outbound.clone(), state.urls.clone());
    let done = state
        .db
        .run(move |conn| {
            maillage_service::agreements::express_interest(
                conn,
                outbound.as_ref(),
                &urls,
                &user,
                id,
                &message,
            )
        })
        .await;
    forms::then_go(frame, done, "/me/listings?interested")
}

/// The author accepts or refuses someone's interest.
pub async fn answer(
    req: HttpRequest,
    id: web::Path<String>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let accept = match field(&sent, "answer") {
        "accept" => true,
        "reject" => false,
        _ => return forms::message(frame, 422, "refused_title", "err_answer"),
    };
    let Ok(id) = id.parse::<Id>() else { return crate::security::not_found(frame.lang) };
    let (outbound, urls) = (state.outbound.clone(), state.urls.clone());
    match state
        .db
        .run(move |conn| {
            maillage_service::agreements::answer(conn, outbound.as_ref(), &urls, &user, id, accept)
        })
        .await
    {
        Ok(_) => forms::see_other("/me/listings?answered"),
        Err(e) => forms::refused(frame, &e),
    }
}

fn match_views(conn: &mut DbConnection, user: &User, lang: Lang) -> Result<Vec<MatchView>, Error> {
    let me = actor_of_user(conn, user.id)?;
    let found = maillage_service::my_matches::list(conn, &me, false, 100)?;
    let mut out = Vec::new();
    for m in found {
        let reasons: serde_json::Value = serde_json::from_str(&m.pair.reasons).unwrap_or_default();
        let author =
            maillage_service::actors::find(conn, Id::from_i64(m.theirs.author_id))?.map(|a| handle(&a));
        out.push(MatchView {
            id: m.pair.id,
            mine: listing_to_card(&m.mine, lang),
            theirs: listing_to_card(&m.theirs, lang),
            author: author.unwrap_or_default(),
            reasons: reasons
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r[lang.code()].as_str().map(str::to_owned))
                .collect(),
            score: lang.number((m.pair.score * 100.0).round()),
            state: m.state().to_owned(),
            state_label: lang.t(&format!("match_{}", m.shown_state())),
            answered: m.they_answered,
        });
    }
    Ok(out)
}

pub async fn matches_page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let lang = frame.lang;
    match state.db.run(move |conn| match_views(conn, &user, lang)).await {
        Ok(matches) => {
            let notice = notice_of(&req, lang, &["responded", "dismissed"]);
            forms::render(200, &MyMatchesPage { frame, matches, notice })
        }
        Err(e) => forms::refused(frame, &e),
    }
}

/// Respond to a match ("I'm interested" in the other listing) or dismiss it.
pub async fn act_on_match(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let (id, action) = path.into_inner();
    let Ok(id) = id.parse::<Id>() else { return crate::security::not_found(frame.lang) };
    let respond = match action.as_str() {
        "respond" => true,
        "dismiss" => false,
        _ => return crate::security::not_found(frame.lang),
    };
    let (outbound, urls) = (state.outbound.clone(), state.urls.clone());
    let done = state
        .db
        .run(move |conn| {
            let me = actor_of_user(conn, user.id)?;
            if respond {
                maillage_service::my_matches::respond(conn, outbound.as_ref(), &urls, &user, &me, id)
                    .map(|_| ())
            } else {
                maillage_service::my_matches::dismiss(conn, &me, id).map(|_| ())
            }
        })
        .await;
    match done {
        Ok(()) if respond => forms::see_other("/me/matches?responded"),
        Ok(()) => forms::see_other("/me/matches?dismissed"),
        Err(e) => forms::refused(frame, &e),
    }
}
