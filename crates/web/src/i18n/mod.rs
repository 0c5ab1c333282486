//! The language of a page: `?lang=`, then the `lang` cookie, then
//! Accept-Language by q-value, then the territory's own. The strings
//! themselves, numbers and dates are `maillage_core::i18n`'s, shared with
//! every crate that writes to people.

use actix_web::HttpRequest;
pub use maillage_core::i18n::{strings, Lang, TABLES};

/// What a request says of its language.
pub trait RequestLang {
    /// The page's language for this request.
    fn of_request(req: &HttpRequest, territory_default: &str) -> Lang;
    /// Whether the language was chosen in the query (and should be kept in
    /// a cookie).
    fn chosen_in_query(req: &HttpRequest) -> Option<Lang>;
}

impl RequestLang for Lang {
    fn of_request(req: &HttpRequest, territory_default: &str) -> Lang {
        let cookie = req
            .headers()
            .get("cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|c| c.split(';').find_map(|kv| kv.trim().strip_prefix("lang=")))
            .and_then(Lang::parse);
        let accept =
            req.headers().get("accept-language").and_then(|v| v.to_str().ok()).and_then(Lang::from_accept);
        Lang::chosen_in_query(req)
            .or(cookie)
            .or(accept)
            .or_else(|| Lang::parse(territory_default))
            .unwrap_or(Lang::Fr)
    }

    fn chosen_in_query(req: &HttpRequest) -> Option<Lang> {
        req.query_string().split('&').find_map(|kv| kv.strip_prefix("lang=")).and_then(Lang::parse)
    }
}
