//! `/admin`: the node's admins run federation from here: the mode, domain
//! blocks and allows (with Mastodon's CSV, to import and export), links
//! with other territories (propose, approve, end), reports, people and
//! their registrations, and a summary of the territory's settings
//! ([`territory`] changes them). Each form
//! posts to one handler of [`actions`], which calls one use case and comes
//! back here.

pub mod actions;
pub mod territory;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::account::User;
use maillage_core::policy::Severity;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::DbConnection;
use maillage_service::policy as cases;

use crate::forms;
use crate::frame::Frame;
use crate::framed;
use crate::i18n::Lang;
use crate::listings::{error_in, FieldErrors};
use crate::WebState;

pub struct BlockView {
    pub id: i64,
    pub domain: String,
    pub severity: &'static str,
    pub public_comment: String,
}

pub struct AllowView {
    pub id: i64,
    pub domain: String,
}

pub struct LinkView {
    pub partner: String,
    pub domain: String,
    pub state: String,
    pub state_label: &'static str,
    pub level: String,
}

pub struct ReportView {
    pub id: i64,
    pub reporter: String,
    pub target: String,
    pub objects: Vec<String>,
    pub comment: String,
    pub when: String,
}

pub struct UserView {
    pub username: String,
    pub email: String,
    pub role: String,
    pub state: String,
    pub since: String,
}

/// What the admin typed in the form that failed, to fill it again.
#[derive(Default)]
pub struct Typed {
    pub domain: String,
    pub severity: String,
    pub public_comment: String,
    pub allow: String,
    pub csv: String,
    pub partner: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub frame: Frame,
    pub mode: String,
    pub blocks: Vec<BlockView>,
    pub allows: Vec<AllowView>,
    pub links: Vec<LinkView>,
    pub users: Vec<UserView>,
    pub reports: Vec<ReportView>,
    pub settings: Vec<(&'static str, String)>,
    pub typed: Typed,
    pub errors: FieldErrors,
    pub notice: &'static str,
}
framed!(AdminPage);

impl AdminPage {
    pub fn error_for(&self, name: &str) -> Option<&str> {
        error_in(&self.errors, name)
    }
}

fn severity_label(lang: Lang, severity: &str) -> &'static str {
    let s = severity.parse::<Severity>().map(Severity::as_str).unwrap_or("noop");
    lang.t(&format!("sev_{s}"))
}

struct Lists {
    current: maillage_service::territory_settings::TerritorySettings,
    reports: Vec<ReportView>,
    mode: String,
    blocks: Vec<BlockView>,
    allows: Vec<AllowView>,
    links: Vec<LinkView>,
    users: Vec<UserView>,
}

fn lists(
    conn: &mut DbConnection,
    lang: Lang,
    zone: maillage_core::zone::Zone,
    config: &maillage_core::config::Config,
) -> Result<Lists, Error> {
    let blocks = cases::list_blocks(conn)?
        .into_iter()
        .map(|b| BlockView {
            id: b.id,
            severity: severity_label(lang, &b.severity),
            domain: b.domain,
            public_comment: b.public_comment,
        })
        .collect();
    let allows =
        cases::list_allows(conn)?.into_iter().map(|a| AllowView { id: a.id, domain: a.domain }).collect();
    let links = maillage_service::links::list(conn)?
        .into_iter()
        .map(|l| LinkView {
            partner: if l.partner.display_name.is_empty() {
                l.partner.username.clone()
            } else {
                l.partner.display_name.clone()
            },
            domain: l.partner.domain.clone(),
            state_label: lang.t(&format!("link_{}", l.row.state)),
            state: l.row.state,
            level: lang.t(&format!("level_{}", l.row.level)).to_owned(),
        })
        .collect();
    let users = maillage_service::accounts::list(conn)?
        .into_iter()
        .map(|u: User| UserView {
            username: u.username,
            email: u.email,
            role: u.role.as_str().to_owned(),
            state: u.state.as_str().to_owned(),
            since: lang.date_time(u.created_at.as_micros(), zone),
        })
        .collect();
    let handle = |a: &Option<maillage_db::actors::ActorRow>| {
        a.as_ref().map(|a| format!("@{}@{}", a.username, a.domain)).unwrap_or_else(|| "?".into())
    };
    let reports = maillage_service::reports::list(conn, false)?
        .into_iter()
        .map(|r| ReportView {
            id: r.row.id,
            reporter: handle(&r.reporter),
            target: handle(&r.target),
            objects: r.objects,
            comment: r.row.comment,
            when: lang.date_time(r.row.created_at, zone),
        })
        .collect();
    let current = maillage_service::territory_settings::current(conn, config)?;
    Ok(Lists { current, reports, mode: cases::mode(conn)?.as_str().to_owned(), blocks, allows, links, users })
}

fn settings(
    state: &WebState,
    lang: Lang,
    current: &maillage_service::territory_settings::TerritorySettings,
) -> Vec<(&'static str, String)> {
    let t = &current.territory;
    vec![
        ("set_name", t.name.clone()),
        ("set_domain", state.config.instance.domain.clone()),
        ("set_centre", format!("{}, {}", lang.number(t.latitude), lang.number(t.longitude))),
        ("set_radius", lang.km(t.radius_km)),
        ("set_language", t.languages.join(", ")),
        ("set_timezone", t.timezone.clone()),
        ("set_currency", t.currency.clone()),
        ("set_registrations", lang.t(&format!("reg_{}", current.registration_mode.as_str())).to_owned()),
    ]
}

/// The admin page, with `errors` next to the fields of the form that
/// failed (and what was typed in it).
pub async fn render_page(
    req: &HttpRequest,
    state: &WebState,
    status: u16,
    typed: Typed,
    errors: FieldErrors,
) -> HttpResponse {
    let (frame, visitor) = Frame::of(req, state).await;
    if visitor.user.is_none() {
        return match forms::signed_in(req, state).await {
            Err(redirect) => redirect,
            Ok(_) => crate::security::not_found(frame.lang),
        };
    }
    if !frame.is_admin {
        return forms::message(frame, 403, "admin_only_title", "admin_only");
    }
    let (lang, zone, config) = (frame.lang, frame.zone, state.config.clone());
    match state.db.run(move |conn| lists(conn, lang, zone, &config)).await {
        Ok(l) => {
            let notice = actions::notice_of(req, lang);
            let page = AdminPage {
                settings: settings(state, lang, &l.current),
                frame,
                mode: l.mode,
                blocks: l.blocks,
                allows: l.allows,
                links: l.links,
                users: l.users,
                reports: l.reports,
                typed,
                errors,
                notice,
            };
            forms::render(status, &page)
        }
        Err(e) => forms::refused(frame, &e),
    }
}

pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    render_page(&req, &state, 200, Typed::default(), Vec::new()).await
}

/// `/admin/domain_blocks.csv`: the blocklist in Mastodon's CSV.
pub async fn export_csv(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, visitor) = Frame::of(&req, &state).await;
    if !visitor.user.as_ref().is_some_and(|u| u.role.is_admin()) {
        return forms::message(frame, 403, "admin_only_title", "admin_only");
    }
    match state.db.run(cases::export_blocks).await {
        Ok(csv) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!(
                    "attachment; filename=\"domain_blocks-{}.csv\"",
                    &Timestamp::now().to_rfc3339()[..10]
                ),
            ))
            .body(csv),
        Err(e) => forms::refused(frame, &e),
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(page))
        .route("/admin/territory", web::get().to(territory::settings_page))
        .route("/admin/territory", web::post().to(territory::save))
        .route("/admin/domain_blocks.csv", web::get().to(export_csv))
        .route("/admin/{action}", web::post().to(actions::act));
}
