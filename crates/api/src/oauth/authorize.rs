//! `/oauth/authorize`: the page where a person logs in and lets an app act
//! for them. `GET` shows it; `POST` checks the login, then sends the
//! browser back to the app with a code (or shows the code, out of band).
//! French or English after `lang`, then `Accept-Language`.

use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::Error;
use maillage_service::oauth::{self as cases, AuthorizeRequest, OUT_OF_BAND};
use serde::Deserialize;

use crate::error::ApiError;
use crate::html::escape;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/oauth/authorize", web::get().to(show)).route("/oauth/authorize", web::post().to(submit));
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
struct Params {
    response_type: Option<String>,
    client_id: String,
    redirect_uri: String,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    lang: Option<String>,
    login: Option<String>,
    password: Option<String>,
}

impl Params {
    fn request(&self) -> AuthorizeRequest {
        AuthorizeRequest {
            client_id: self.client_id.clone(),
            redirect_uri: self.redirect_uri.clone(),
            scope: self.scope.clone(),
            code_challenge: self.code_challenge.clone(),
            code_challenge_method: self.code_challenge_method.clone(),
        }
    }

    fn french(&self, req: &HttpRequest) -> bool {
        match self.lang.as_deref() {
            Some(l) => l.starts_with("fr"),
            None => req
                .headers()
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim_start().starts_with("fr")),
        }
    }
}

fn page(status: u16, french: bool, title: &str, body: &str) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::OK);
    let html = format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{t}</title><style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}\
         label{{display:block;margin-top:1rem}}input{{font-size:1rem;width:100%;padding:.4rem}}button{{margin-top:1.5rem;font-size:1rem;padding:.5rem 1rem}}\
         .error{{color:#a00000}}code{{font-size:1.2rem;word-break:break-all}}</style></head><body><main><h1>{t}</h1>{body}</main></body></html>",
        if french { "fr" } else { "en" },
        t = escape(title),
    );
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ))
        .body(html)
}

fn hidden(p: &Params) -> String {
    let fields = [
        ("response_type", p.response_type.clone().unwrap_or_else(|| "code".into())),
        ("client_id", p.client_id.clone()),
        ("redirect_uri", p.redirect_uri.clone()),
        ("scope", p.scope.clone().unwrap_or_default()),
        ("state", p.state.clone().unwrap_or_default()),
        ("code_challenge", p.code_challenge.clone().unwrap_or_default()),
        ("code_challenge_method", p.code_challenge_method.clone().unwrap_or_default()),
        ("lang", p.lang.clone().unwrap_or_default()),
    ];
    fields
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!(r#"<input type="hidden" name="{k}" value="{}">"#, escape(v)))
        .collect()
}

fn login_form(p: &Params, french: bool, app_name: &str, scopes: &str, error: Option<&str>) -> String {
    let (intro, login_label, password_label, button) = if french {
        (
            "demande à agir en votre nom, avec ces droits :",
            "Adresse e-mail ou nom d'utilisateur",
            "Mot de passe",
            "Autoriser",
        )
    } else {
        ("asks to act for you, with these rights:", "E-mail address or username", "Password", "Authorize")
    };
    let error_html = error
        .map(|e| format!(r#"<p class="error" id="login-error" role="alert">{}</p>"#, escape(e)))
        .unwrap_or_default();
    let described =
        if error.is_some() { r#" aria-describedby="login-error" aria-invalid="true""# } else { "" };
    format!(
        r#"<p><strong>{app}</strong> {intro} <code>{scopes}</code></p>
<form method="post" action="/oauth/authorize">{hidden}
<label for="login">{login_label}</label><input id="login" name="login" autocomplete="username" required value="{login}"{described}>
{error_html}<label for="password">{password_label}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{button}</button></form>"#,
        app = escape(app_name),
        scopes = escape(scopes),
        hidden = hidden(p),
        login = escape(p.login.as_deref().unwrap_or_default()),
    )
}

fn refused(french: bool, e: &Error) -> HttpResponse {
    let title = if french { "Demande refusée" } else { "Request refused" };
    page(400, french, title, &format!("<p class=\"error\">{}</p>", escape(e.message())))
}

async fn show(
    req: HttpRequest,
    q: web::Query<Params>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let p = q.into_inner();
    let french = p.french(&req);
    if p.response_type.as_deref().is_some_and(|r| r != "code") {
        return Ok(refused(french, &Error::bad_request("response_type must be code")));
    }
    let request = p.request();
    let checked = state.db.run(move |conn| Ok(cases::check_authorize(conn, &request))).await?;
    Ok(match checked {
        Ok((app, scopes)) => {
            let title =
                if french { format!("Autoriser {}", app.name) } else { format!("Authorize {}", app.name) };
            page(200, french, &title, &login_form(&p, french, &app.name, &scopes.to_string(), None))
        }
        Err(e) => refused(french, &e),
    })
}

async fn submit(
    req: HttpRequest,
    form: web::Form<Params>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let p = form.into_inner();
    let french = p.french(&req);
    let (request, login, password) =
        (p.request(), p.login.clone().unwrap_or_default(), p.password.clone().unwrap_or_default());
    let outcome = state
        .db
        .run(move |conn| {
            let (app, scopes) = match cases::check_authorize(conn, &request) {
                Ok(checked) => checked,
                Err(e) => return Ok(Err((None, e))),
            };
            let user = match maillage_service::accounts::login(conn, &login, &password) {
                Ok(user) => user,
                Err(e) => return Ok(Err((Some((app.name, scopes.to_string())), e))),
            };
            Ok(cases::authorize(conn, &request, &user).map_err(|e| (None, e)))
        })
        .await?;
    let code = match outcome {
        Ok(code) => code,
        Err((Some((name, scopes)), e)) => {
            let title = if french { format!("Autoriser {name}") } else { format!("Authorize {name}") };
            let message = if e.kind() == maillage_core::ErrorKind::Unauthorized {
                if french {
                    "Adresse, nom d'utilisateur ou mot de passe incorrect."
                } else {
                    "Wrong login or password."
                }
            } else {
                e.message()
            };
            return Ok(page(401, french, &title, &login_form(&p, french, &name, &scopes, Some(message))));
        }
        Err((None, e)) => return Ok(refused(french, &e)),
    };
    if p.redirect_uri == OUT_OF_BAND {
        let (title, text) = if french {
            ("Code d'autorisation", "Copiez ce code dans l'application :")
        } else {
            ("Authorization code", "Copy this code into the app:")
        };
        return Ok(page(
            200,
            french,
            title,
            &format!("<p>{text}</p><p><code id=\"code\">{}</code></p>", escape(&code)),
        ));
    }
    let mut target =
        url::Url::parse(&p.redirect_uri).map_err(|_| Error::bad_request("redirect_uri is not a URL"))?;
    target.query_pairs_mut().append_pair("code", &code);
    if let Some(s) = p.state.as_deref().filter(|s| !s.is_empty()) {
        target.query_pairs_mut().append_pair("state", s);
    }
    Ok(HttpResponse::Found()
        .insert_header(("Location", target.to_string()))
        .insert_header(("Cache-Control", "no-store"))
        .finish())
}
