//! A W3C WebDriver client for the browser scenarios: Debian's
//! `chromedriver` started on a free port, driving headless Chromium. Only
//! what the scenarios use: open a page, find elements by CSS, type, click,
//! read text and the page's source.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

/// The key W3C WebDriver names an element reference with.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// WebDriver's Tab and Enter keys, for [`Browser::press`].
pub const TAB: &str = "\u{E004}";
pub const ENTER: &str = "\u{E007}";

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
}

fn binary(var: &str, default: &str) -> String {
    let path = std::env::var(var).unwrap_or_else(|_| default.into());
    assert!(
        std::path::Path::new(&path).exists(),
        "no {path}: run scripts/test, which installs Debian's chromium and chromium-driver, or set {var}"
    );
    path
}

impl Browser {
    pub async fn start() -> Browser {
        let driver_path = binary("MAILLAGE_CHROMEDRIVER", "/usr/bin/chromedriver");
        let chromium = binary("MAILLAGE_CHROMIUM", "/usr/bin/chromium");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                         "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let mut session = None;
        for _ in 0..100 {
            if let Ok(r) = http.post(format!("{base}/session")).json(&caps).send().await {
                let body: Value = r.json().await.unwrap();
                let id = body["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {body}"));
                session = Some(id.to_owned());
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let session = session.expect("chromedriver did not start");
        Browser { driver, base, session, http, _profile: profile }
    }

    async fn try_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, Value> {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let body: Value = req.send().await.unwrap().json().await.unwrap();
        if body["value"].get("error").is_some() {
            return Err(body["value"].clone());
        }
        Ok(body["value"].clone())
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        match self.try_call(method, path, body).await {
            Ok(v) => v,
            Err(e) => panic!("webdriver {path}: {e}"),
        }
    }

    /// `op` on the element `css` selects, found again while the page is
    /// still being replaced (after a form was sent).
    async fn on_element(&self, css: &str, method: reqwest::Method, op: &str, body: Option<Value>) -> Value {
        for _ in 0..50 {
            if let Some(el) = self.try_find(css).await {
                match self.try_call(method.clone(), &format!("/element/{el}{op}"), body.clone()).await {
                    Ok(v) => return v,
                    Err(e) if e["error"] == "stale element reference" => {}
                    Err(e) => panic!("webdriver {op} on {css}: {e}"),
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no element {css} on {}: {}", self.url().await, self.source().await)
    }

    /// Makes the device say it stands at (`lat`, `lon`) to the pages of
    /// `origin`, allowed to ask, as a phone's location would (a DevTools
    /// command, through ChromeDriver).
    pub async fn stand_at(&self, origin: &str, lat: f64, lon: f64) {
        let cdp = |cmd: &str, params: Value| json!({ "cmd": cmd, "params": params });
        let grant =
            cdp("Browser.grantPermissions", json!({ "origin": origin, "permissions": ["geolocation"] }));
        self.call(reqwest::Method::POST, "/goog/cdp/execute", Some(grant)).await;
        let at = cdp(
            "Emulation.setGeolocationOverride",
            json!({ "latitude": lat, "longitude": lon, "accuracy": 20 }),
        );
        self.call(reqwest::Method::POST, "/goog/cdp/execute", Some(at)).await;
    }

    /// Sets the window's size, as a phone's or a desktop's screen.
    pub async fn resize(&self, width: u32, height: u32) {
        self.call(reqwest::Method::POST, "/window/rect", Some(json!({ "width": width, "height": height })))
            .await;
    }

    /// Saves what the window shows as a PNG under `MAILLAGE_SCREENSHOTS`,
    /// when that folder is named (for looking at the pages by eye).
    pub async fn screenshot(&self, name: &str) {
        use base64::Engine;
        let Ok(dir) = std::env::var("MAILLAGE_SCREENSHOTS") else { return };
        let shot = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png =
            base64::engine::general_purpose::STANDARD.decode(shot.as_str().unwrap_or_default()).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }

    pub async fn open(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url }))).await;
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or("").to_owned()
    }

    pub async fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", None).await.as_str().unwrap_or("").to_owned()
    }

    /// The element `css` selects; panics naming it when there is none.
    pub async fn find(&self, css: &str) -> String {
        let found = self.try_find(css).await;
        match found {
            Some(e) => e,
            None => panic!("no element {css} on {}: {}", self.url().await, self.source().await),
        }
    }

    pub async fn try_find(&self, css: &str) -> Option<String> {
        let url = format!("{}/session/{}/element", self.base, self.session);
        let body: Value = self
            .http
            .post(url)
            .json(&json!({"using": "css selector", "value": css}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["value"][ELEMENT].as_str().map(str::to_owned)
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{el}/clear"), Some(json!({}))).await;
        self.call(reqwest::Method::POST, &format!("/element/{el}/value"), Some(json!({ "text": text })))
            .await;
    }

    /// Chooses the file at `path` in the file input `css`, as a person
    /// picking a photo does.
    pub async fn choose_file(&self, css: &str, path: &std::path::Path) {
        let el = self.find(css).await;
        let text = path.display().to_string();
        self.call(reqwest::Method::POST, &format!("/element/{el}/value"), Some(json!({ "text": text })))
            .await;
    }

    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{el}/click"), Some(json!({}))).await;
    }

    /// Runs `script` in the page; returns what it returns.
    pub async fn execute(&self, script: &str) -> Value {
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({ "script": script, "args": [] }))).await
    }

    /// Clicks what sends a form, and waits until the next page replaced
    /// this one (so that what is read next is the answer's).
    pub async fn submit(&self, css: &str) {
        self.execute("window.__before_submit = true;").await;
        self.click(css).await;
        for _ in 0..100 {
            let replaced = self.try_call(reqwest::Method::POST, "/execute/sync",
                Some(json!({ "script": "return document.readyState === 'complete' && window.__before_submit === undefined;", "args": [] }))).await;
            if replaced == Ok(Value::Bool(true)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("sending {css} led nowhere: {}", self.source().await);
    }

    /// Presses `key` where the focus is: a character, or one of
    /// WebDriver's keys ([`TAB`], [`ENTER`]).
    pub async fn press(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
        ]}]});
        self.call(reqwest::Method::POST, "/actions", Some(actions)).await;
    }

    /// What has the focus, described for an assertion: its tag, id and
    /// classes (`a#skip-map`, `img.leaflet-marker-icon…`).
    pub async fn focused(&self) -> String {
        let script = "var e = document.activeElement; if (!e) { return ''; } \
            return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + \
            (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '');";
        self.execute(script).await.as_str().unwrap_or_default().to_owned()
    }

    /// Picks the `<option>` with `value` of the select `css`.
    pub async fn select(&self, css: &str, value: &str) {
        self.click(&format!("{css} option[value=\"{value}\"]")).await;
    }

    pub async fn text(&self, css: &str) -> String {
        let el = self.find(css).await;
        self.call(reqwest::Method::GET, &format!("/element/{el}/text"), None)
            .await
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    pub async fn value(&self, css: &str) -> String {
        let el = self.find(css).await;
        let v = self.call(reqwest::Method::GET, &format!("/element/{el}/property/value"), None).await;
        v.as_str().unwrap_or("").to_owned()
    }

    pub async fn attribute(&self, css: &str, name: &str) -> Option<String> {
        let el = self.find(css).await;
        self.call(reqwest::Method::GET, &format!("/element/{el}/attribute/{name}"), None)
            .await
            .as_str()
            .map(str::to_owned)
    }

    /// Clicks at (`x`, `y`) pixels inside the element `css`, from its centre.
    pub async fn click_at(&self, css: &str, x: i64, y: i64) {
        let el = self.find(css).await;
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
        "actions": [
            {"type": "pointerMove", "duration": 0, "origin": {ELEMENT: el}, "x": x, "y": y},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerUp", "button": 0}
        ]}]});
        self.call(reqwest::Method::POST, "/actions", Some(actions)).await;
    }

    /// Waits for `css` to appear, reloading `url` between tries.
    pub async fn wait_for(&self, url: &str, css: &str, secs: u64) {
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        loop {
            self.open(url).await;
            if self.try_find(css).await.is_some() {
                return;
            }
            if std::time::Instant::now() > deadline {
                panic!("{css} never appeared on {url}: {}", self.source().await);
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    /// Logs `login` in on `node` (cookies of earlier people forgotten) and
    /// keeps `lang` for the pages that follow.
    pub async fn log_in(&self, node: &super::TestNode, login: &str, lang: &str) {
        self.forget_cookies().await;
        self.open(&node.url(&format!("/login?lang={lang}"))).await;
        self.type_into("#f-login", login).await;
        self.type_into("#f-password", "a good password").await;
        self.submit("main form button[type=submit]").await;
        self.arrive("/", "#nav-notifications").await;
        self.open(&node.url(&format!("/?lang={lang}"))).await;
    }

    /// Waits until the browser is on a page whose address holds `path` and
    /// which shows `css` (after a click or a form sent), without reloading.
    pub async fn arrive(&self, path: &str, css: &str) {
        for _ in 0..100 {
            if self.url().await.contains(path) && self.try_find(css).await.is_some() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("never reached {path} with {css}: {} {}", self.url().await, self.source().await);
    }

    /// Logs out of everything: a fresh session would cost a second
    /// browser, cookies are enough.
    pub async fn forget_cookies(&self) {
        self.call(reqwest::Method::DELETE, "/cookie", None).await;
    }
}

impl Drop for Browser {
    /// Ends the session (which closes Chromium) with a plain blocking
    /// request, since a drop cannot await, then stops the driver.
    fn drop(&mut self) {
        use std::io::{Read, Write};
        let addr = self.base.trim_start_matches("http://").to_owned();
        if let Ok(mut stream) = std::net::TcpStream::connect(&addr) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let request = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.session
            );
            let _ = stream.write_all(request.as_bytes());
            let _ = stream.read(&mut [0u8; 256]);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
