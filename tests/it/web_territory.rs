//! The territory's settings from the admin page: the centre picked on the
//! map is where the listing form's picker opens and where a listing with
//! no place lands; a new name reaches the territory's followers on other
//! servers as an `Update`; every process follows; bad values are all told
//! at once, in French, and change nothing.

use crate::harness;

use harness::form_browser::{csrf_of, FormBrowser};
use harness::webdriver::Browser;
use harness::{eventually, TestNode};
use serde_json::json;

fn centre_of(attrs: (Option<String>, Option<String>)) -> (f64, f64) {
    let read = |v: Option<String>| v.and_then(|v| v.parse::<f64>().ok()).expect("a centre on the picker");
    (read(attrs.0), read(attrs.1))
}

async fn picker_centre(browser: &Browser) -> (f64, f64) {
    centre_of((
        browser.attribute("#picker", "data-centre-lat").await,
        browser.attribute("#picker", "data-centre-lon").await,
    ))
}

#[actix_web::test]
async fn the_admin_sets_the_centre_on_the_map_and_the_picker_opens_there() {
    let a = TestNode::start_with(|c| c.web.tile_url = "http://127.0.0.1:9/{z}/{x}/{y}.png".into()).await;
    let b = TestNode::start().await;
    a.admin("gaston").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let territory_on_b = bob.follow_accepted(&format!("territory@{}", a.domain)).await;
    let other = a.second_process().await;
    let configured = (a.config.territory.latitude, a.config.territory.longitude);

    let browser = Browser::start().await;
    for (width, lang) in [(390, "fr"), (1280, "en")] {
        browser.resize(width, 900).await;
        browser.log_in(&a, "gaston", lang).await;
        browser.click("#nav-me summary").await;
        browser.click("#nav-admin").await;
        browser.arrive("/admin", "#h-settings").await;
        browser.click("a[href='/admin/territory']").await;
        browser.arrive("/admin/territory", "#picker").await;
        browser.screenshot(&format!("admin-territory-{width}-{lang}")).await;
        // Leaflet keeps tiles beyond the map's edges, clipped by the map;
        // a closed menu's links are laid out, unseen.
        let overflow = browser
            .execute("return [...document.querySelectorAll('body *')].filter(e => !e.closest('.map, details:not([open]) > ul') && e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '#' + e.id + ' ' + e.getAttribute('href') + ' ' + e.className + ' ' + e.getBoundingClientRect().right)")
            .await;
        assert_eq!(overflow, json!([]), "nothing overflows at {width} px");
        let scroll = browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
        assert!(scroll.as_i64().unwrap_or(1) <= 0, "no sideways scroll at {width} px: {scroll}");
    }
    let before = picker_centre(&browser).await;
    assert!((before.0 - configured.0).abs() < 1e-9 && (before.1 - configured.1).abs() < 1e-9, "{before:?}");

    // A click up and to the right of the map's middle moves the centre there.
    browser.click_at("#picker", 80, -60).await;
    let lat: f64 = browser.value("#f-latitude").await.parse().expect("the click filled the latitude");
    let lon: f64 = browser.value("#f-longitude").await.parse().expect("and the longitude");
    assert!(lat > configured.0 && lon > configured.1, "{lat},{lon} north-east of {configured:?}");
    browser.execute("document.querySelector('#f-name').value = ''").await;
    browser.type_into("#f-name", "Vallée du Dourdou").await;
    browser.type_into("#f-radius_km", "").await;
    browser.execute("document.querySelector('#f-radius_km').value = '12,5'").await;
    browser.execute("document.querySelector('#f-currency').value = 'chf'").await;
    browser.submit("form.territory-form button[type=submit]").await;
    browser.arrive("/admin/territory?saved", "[role=status]").await;

    // The listing form's picker opens at the new centre, the currency is
    // the new one, and the header names the territory anew.
    browser.open(&a.url("/listings/new?lang=en")).await;
    let opened = picker_centre(&browser).await;
    assert!((opened.0 - lat).abs() < 1e-4 && (opened.1 - lon).abs() < 1e-4, "{opened:?} vs {lat},{lon}");
    assert_eq!(browser.value("#f-terms_currency").await, "CHF");
    assert!(browser.text("header").await.contains("Vallée du Dourdou"), "{}", browser.text("header").await);
    browser.screenshot("listing-form-new-centre-1280-en").await;

    // A listing given no place is put at the new centre.
    let (status, listing) = alice
        .json(
            reqwest::Method::POST,
            "/api/v1/listings",
            &json!({"kind": "offer", "category": "goods", "title": "Graines de tomates",
                    "description": "Des graines de tomates anciennes à donner", "terms": {"mode": "gift"}}),
        )
        .await;
    assert_eq!(status, 200, "{listing}");
    let (plat, plon) = (listing["place"]["lat"].as_f64().unwrap(), listing["place"]["lon"].as_f64().unwrap());
    assert!((plat - lat).abs() < 1e-4 && (plon - lon).abs() < 1e-4, "{listing}");

    // The other process, and the API, follow.
    eventually(10, "the other process reads the new territory", || async {
        let instance: serde_json::Value = harness::client()
            .get(format!("{}/api/v2/instance", other.base))
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        (instance["title"] == "Vallée du Dourdou" && instance["maillage"]["territory"]["radius_km"] == 12.5)
            .then_some(())
    })
    .await;

    // Bob, on another server, following the territory, is sent the update.
    eventually(30, "the territory's new name on b", || async {
        let (_, account) = bob.get(&format!("/api/v1/accounts/{territory_on_b}")).await;
        (account["display_name"] == "Vallée du Dourdou").then_some(())
    })
    .await;
}

#[actix_web::test]
async fn wrong_settings_are_all_told_in_french_and_change_nothing() {
    let a = TestNode::start().await;
    a.admin("gaston").await;
    let mut g = FormBrowser::new();
    g.log_in(&a, "gaston").await;
    let (status, page) = g.get(a.url("/admin/territory?lang=fr")).await;
    assert_eq!(status, 200);
    let csrf = csrf_of(&page);
    let (status, _, page) = g
        .post(
            a.url("/admin/territory?lang=fr"),
            &[
                ("csrf", &csrf),
                ("name", "  "),
                ("description", "Une vallée"),
                ("latitude", "nord"),
                ("longitude", "200"),
                ("radius_km", "0"),
                ("languages", "français"),
                ("timezone", "Europe/Lutece"),
                ("currency", "euros"),
                ("registration_mode", "tirage"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    for message in [
        "Donnez un nom",
        "La latitude est un nombre",
        "La longitude est un nombre",
        "Le rayon est un nombre",
        "Donnez au moins une langue",
        "Choisissez un fuseau",
        "La monnaie est un code",
        "Choisissez comment les gens",
    ] {
        assert!(page.contains(message), "{message} in {page}");
    }
    assert!(page.contains(r#"value="nord""#) && page.contains("Une vallée"), "what was typed is kept");
    let (_, page) = g.get(a.url("/admin/territory")).await;
    assert!(page.contains(&format!(r#"value="{}""#, a.config.territory.name)), "nothing changed: {page}");

    // Someone who is not an admin cannot see nor change them.
    a.user("alice").await;
    let mut alice = FormBrowser::new();
    alice.log_in(&a, "alice").await;
    let (status, _) = alice.get(a.url("/admin/territory")).await;
    assert_eq!(status, 403);
    let csrf = alice.csrf(&a, "/me/settings").await;
    let (status, _, _) = alice.post(a.url("/admin/territory"), &[("csrf", &csrf), ("name", "Pris")]).await;
    assert_eq!(status, 403);
}
