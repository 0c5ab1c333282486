//! A browser of our own for the page tests: plain HTTP, no redirect
//! followed, cookies kept by hand, the CSRF token read from the page.

/// A browser of our own: no redirects followed, cookies kept by hand.
pub struct FormBrowser {
    http: reqwest::Client,
    cookies: Vec<(String, String)>,
}

impl FormBrowser {
    pub fn new() -> Self {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        FormBrowser { http, cookies: Vec::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, r: &reqwest::Response) -> Vec<String> {
        let set: Vec<String> =
            r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        for c in &set {
            let (kv, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = kv.split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            if !v.is_empty() {
                self.cookies.push((k.to_owned(), v.to_owned()));
            }
        }
        set
    }

    pub async fn get(&mut self, url: String) -> (u16, String) {
        let r = self.http.get(url).header("Cookie", self.cookie_header()).send().await.unwrap();
        self.keep(&r);
        (r.status().as_u16(), r.text().await.unwrap())
    }

    pub async fn post(&mut self, url: String, form: &[(&str, &str)]) -> (u16, Vec<String>, String) {
        let r = self.http.post(url).header("Cookie", self.cookie_header()).form(form).send().await.unwrap();
        let set = self.keep(&r);
        (r.status().as_u16(), set, r.text().await.unwrap())
    }

    /// A form sent; the status, where it redirects (if it does) and the body.
    pub async fn post_to(&mut self, url: String, form: &[(&str, &str)]) -> (u16, Option<String>, String) {
        let r = self.http.post(url).header("Cookie", self.cookie_header()).form(form).send().await.unwrap();
        self.keep(&r);
        let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
        (r.status().as_u16(), location, r.text().await.unwrap())
    }

    /// Whether a cookie named `name` is held.
    pub fn has_cookie(&self, name: &str) -> bool {
        self.cookies.iter().any(|(k, _)| k == name)
    }
}

pub fn csrf_of(page: &str) -> String {
    let at = page.find(r#"name="csrf" value=""#).unwrap_or_else(|| panic!("no CSRF field: {page}"));
    page[at + 19..].split('"').next().unwrap().to_owned()
}

impl Default for FormBrowser {
    fn default() -> Self {
        Self::new()
    }
}

impl FormBrowser {
    /// Logs in on `node` with the harness's password.
    pub async fn log_in(&mut self, node: &super::TestNode, login: &str) {
        let (_, page) = self.get(node.url("/login")).await;
        let csrf = csrf_of(&page);
        let (status, _, body) = self
            .post(node.url("/login"), &[("csrf", &csrf), ("login", login), ("password", "a good password")])
            .await;
        assert_eq!(status, 303, "{body}");
    }

    /// The CSRF token of the page at `path` of `node`.
    pub async fn csrf(&mut self, node: &super::TestNode, path: &str) -> String {
        let (_, page) = self.get(node.url(path)).await;
        csrf_of(&page)
    }
}
