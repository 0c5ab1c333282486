//! The admin page's forms: one handler per action, each calling one use
//! case; a problem comes back on the admin page next to its field, with
//! what was typed.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::policy::{FederationMode, Severity};
use maillage_core::Error;
use maillage_db::DbConnection;
use maillage_service::links;
use maillage_service::policy::{self as cases, BlockInput};

use super::{render_page, Typed};
use crate::forms::{self, field, Form};
use crate::i18n::Lang;
use crate::or_respond;
use crate::WebState;

const NOTICES: &[&str] = &[
    "mode",
    "block",
    "unblock",
    "allow",
    "disallow",
    "import",
    "link",
    "approve_link",
    "end_link",
    "approve_user",
    "disable_user",
    "enable_user",
];

/// What the last action did, from the `?done=` its redirect set.
pub fn notice_of(req: &HttpRequest, lang: Lang) -> &'static str {
    req.query_string()
        .split('&')
        .find_map(|kv| kv.strip_prefix("done="))
        .and_then(|done| NOTICES.iter().find(|n| **n == done))
        .map(|n| lang.t(&format!("done_{n}")))
        .unwrap_or("")
}

/// A policy change, then this process's policy reloaded so that the next
/// request obeys it (other processes within `policy_refresh_millis`).
async fn change_policy<T: Send + 'static>(
    state: &WebState,
    change: impl FnOnce(&mut DbConnection) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let handle = state.policy.clone();
    state
        .db
        .run(move |conn| {
            let out = change(conn)?;
            handle.refresh(conn)?;
            Ok(out)
        })
        .await
}

fn id_of(sent: &[(String, String)]) -> Result<i64, Error> {
    field(sent, "id").parse::<Id>().map(Id::as_i64).map_err(|_| Error::unprocessable("no such entry"))
}

/// Runs the action; `Err((field, error))` names the field it is about.
async fn run(action: &str, sent: &Form, state: &WebState) -> Result<(), (&'static str, Error)> {
    let local = state.config.instance.domain.clone();
    let text = |name: &str| field(sent, name).trim().to_owned();
    match action {
        "mode" => {
            let mode = text("mode").parse::<FederationMode>().map_err(|e| ("mode", e))?;
            change_policy(state, move |conn| cases::set_mode(conn, mode)).await.map_err(|e| ("mode", e))
        }
        "block" => {
            let severity = text("severity").parse::<Severity>().map_err(|e| ("severity", e))?;
            let input = BlockInput {
                domain: text("domain"),
                severity,
                reject_media: field(sent, "reject_media") == "on",
                reject_reports: field(sent, "reject_reports") == "on",
                private_comment: text("private_comment"),
                public_comment: text("public_comment"),
                obfuscate: false,
            };
            change_policy(state, move |conn| cases::upsert_block(conn, &local, &input).map(|_| ()))
                .await
                .map_err(|e| ("domain", e))
        }
        "unblock" => {
            let id = id_of(sent).map_err(|e| ("domain", e))?;
            change_policy(state, move |conn| cases::delete_block(conn, id).map(|_| ()))
                .await
                .map_err(|e| ("domain", e))
        }
        "allow" => {
            let domain = text("allow");
            change_policy(state, move |conn| cases::allow(conn, &domain).map(|_| ()))
                .await
                .map_err(|e| ("allow", e))
        }
        "disallow" => {
            let id = id_of(sent).map_err(|e| ("allow", e))?;
            change_policy(state, move |conn| cases::delete_allow(conn, id).map(|_| ()))
                .await
                .map_err(|e| ("allow", e))
        }
        "import" => {
            let csv = field(sent, "csv").to_owned();
            change_policy(state, move |conn| cases::import_blocks(conn, &local, &csv).map(|_| ()))
                .await
                .map_err(|e| ("csv", e))
        }
        "link" => {
            let level = links::parse_level(field(sent, "level")).map_err(|e| ("partner", e))?;
            let partner = state.directory.territory(&text("partner")).await.map_err(|e| ("partner", e))?;
            let (outbound, urls) = (state.outbound.clone(), state.urls.clone());
            state
                .db
                .run(move |conn| links::propose(conn, outbound.as_ref(), &urls, &partner, level).map(|_| ()))
                .await
                .map_err(|e| ("partner", e))
        }
        "approve_link" | "end_link" => {
            let (name, end) = (text("domain"), action == "end_link");
            let (outbound, urls) = (state.outbound.clone(), state.urls.clone());
            state
                .db
                .run(move |conn| {
                    let link = links::find_named(conn, &name)?;
                    if end {
                        links::end(conn, outbound.as_ref(), &link.partner).map(|_| ())
                    } else {
                        links::approve(conn, outbound.as_ref(), &urls, &link.partner).map(|_| ())
                    }
                })
                .await
                .map_err(|e| ("partner", e))
        }
        "approve_user" | "disable_user" | "enable_user" => {
            let (username, action) = (text("username"), action.to_owned());
            state
                .db
                .run(move |conn| match action.as_str() {
                    "approve_user" => maillage_service::accounts::approve(conn, &username).map(|_| ()),
                    "disable_user" => maillage_service::accounts::disable(conn, &username).map(|_| ()),
                    _ => maillage_service::accounts::enable(conn, &username).map(|_| ()),
                })
                .await
                .map_err(|e| ("username", e))
        }
        "resolve_report" => {
            let id = Id::from_i64(id_of(sent).map_err(|e| ("report", e))?);
            state
                .db
                .run(move |conn| maillage_service::reports::resolve(conn, id))
                .await
                .map_err(|e| ("report", e))
        }
        _ => Err(("action", Error::not_found("no such action"))),
    }
}

pub async fn act(
    req: HttpRequest,
    action: web::Path<String>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, _) = or_respond!(forms::posted_by_admin(&req, &state, &sent).await);
    match run(&action, &sent, &state).await {
        Ok(()) => forms::see_other(&format!("/admin?done={action}")),
        Err((_, e)) if !e.kind().is_client_error() => forms::refused(frame, &e),
        Err(("action", _)) => crate::security::not_found(frame.lang),
        Err((name, e)) => {
            let typed = Typed {
                domain: field(&sent, "domain").to_owned(),
                severity: field(&sent, "severity").to_owned(),
                public_comment: field(&sent, "public_comment").to_owned(),
                allow: field(&sent, "allow").to_owned(),
                csv: field(&sent, "csv").to_owned(),
                partner: field(&sent, "partner").to_owned(),
            };
            // The use case's own words, which name what is wrong (a
            // domain, a CSV line); the field's label says where.
            let message = format!("{} {}", frame.lang.t("err_admin"), e.message());
            render_page(&req, &state, e.kind().http_status(), typed, vec![(name, message)]).await
        }
    }
}
