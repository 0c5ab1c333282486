//! Scenarios in a real browser (Debian's headless Chromium through
//! ChromeDriver) against real nodes: a person signs up, offers something
//! with a place picked on the map, finds it in search and on the map; a
//! person on a linked node sees the match and responds, the first accepts.
//! An admin blocks a domain and links a territory through the pages. The
//! home page in French and in English. A form with bad input keeps what
//! was typed and names the field.

use crate::harness;

use harness::webdriver::Browser;
use harness::{eventually, link_territories, TestNode};
use serde_json::json;

async fn log_in(browser: &Browser, node: &TestNode, login: &str) {
    browser.forget_cookies().await;
    browser.open(&node.url("/login")).await;
    browser.type_into("#f-login", login).await;
    browser.type_into("#f-password", "a good password").await;
    browser.submit("main form button[type=submit]").await;
    assert!(!browser.url().await.contains("/login"), "logged in: {}", browser.source().await);
}

#[actix_web::test]
async fn an_offer_made_in_the_browser_meets_a_need_on_a_linked_node_and_is_accepted() {
    let a = TestNode::start_with(|c| {
        c.web.tile_url = "http://127.0.0.1:9/{z}/{x}/{y}.png".into();
        c.registration.mode = maillage_core::account::RegistrationMode::Open;
    })
    .await;
    let b = TestNode::start().await;
    let (admin_a, admin_b) = (a.admin("gaston").await, b.admin("louise").await);
    link_territories(&a, &admin_a, &b, &admin_b).await;
    let browser = Browser::start().await;

    // Alice signs up and logs in on a.
    browser.open(&a.url("/signup")).await;
    browser.type_into("#f-username", "alice").await;
    browser.type_into("#f-email", "alice@example.org").await;
    browser.type_into("#f-password", "a good password").await;
    browser.submit("main form button[type=submit]").await;
    log_in(&browser, &a, "alice").await;

    // She offers bicycle repairs, placing it with a click on the map.
    browser.open(&a.url("/listings/new")).await;
    browser.select("#f-category", "services").await;
    browser.type_into("#f-title", "Je répare les vélos").await;
    browser.type_into("#f-description", "Petit atelier de réparation de vélos le samedi matin").await;
    browser.type_into("#f-tags", "velo reparation").await;
    browser.type_into("#f-place_name", "Atelier du centre").await;
    browser.type_into("#f-radius_km", "15").await;
    assert_eq!(browser.value("#f-latitude").await, "", "nothing placed yet");
    browser.click_at("#picker", 0, 0).await;
    let (lat, lon) = (browser.value("#f-latitude").await, browser.value("#f-longitude").await);
    let lat: f64 = lat.parse().unwrap_or_else(|_| panic!("the click filled the latitude: {lat:?}"));
    let lon: f64 = lon.parse().unwrap();
    let (clat, clon) = (a.config.territory.latitude, a.config.territory.longitude);
    assert!(
        (lat - clat).abs() < 0.25 && (lon - clon).abs() < 0.25,
        "{lat},{lon} on the map around the centre"
    );
    browser.submit("form.listing-form button[type=submit]").await;
    assert!(browser.url().await.contains("/me/listings?created"), "{}", browser.source().await);
    assert!(browser.text("#mine").await.contains("Je répare les vélos"));

    // It is found in search, and on the map, even with no tiles.
    browser.open(&a.url("/listings?q=vélos")).await;
    assert!(browser.text(".results").await.contains("Je répare les vélos"));
    eventually(10, "the marker on the map", || async {
        (browser.attribute("#map", "data-markers").await.as_deref() == Some("1")).then_some(())
    })
    .await;

    // Bob, on the linked node, needs just that.
    let bob = b.user("bob").await;
    bob.listing(&json!({
        "kind": "need", "category": "services", "title": "Réparation de vélo",
        "description": "Mon vélo a un pneu crevé et les freins à régler", "tags": ["velo", "reparation"],
        "place": { "name": "Centre", "lat": clat, "lon": clon }, "radius_km": 15.0,
        "terms": { "mode": "gift" }, "visibility": "public"
    }))
    .await;
    log_in(&browser, &b, "bob").await;
    browser.wait_for(&b.url("/me/matches"), ".matches li[data-state] form", 60).await;
    let shown = browser.text(".matches").await;
    assert!(shown.contains("Je répare les vélos"), "{shown}");
    assert!(
        browser.text(".reasons").await.to_lowercase().contains("vélo") || shown.contains("reparation"),
        "{shown}"
    );
    browser.submit(".matches form[action$='/respond'] button").await;
    assert!(browser.url().await.contains("/me/matches?responded"));

    // Alice sees Bob's interest on her listings page, and accepts.
    log_in(&browser, &a, "alice").await;
    browser
        .wait_for(&a.url("/me/listings"), "#received li[data-state=proposed] button[value=accept]", 60)
        .await;
    assert!(browser.text("#received").await.contains("bob"), "from Bob");
    browser.submit("#received button[value=accept]").await;
    assert!(browser.url().await.contains("/me/listings?answered"));
    assert!(browser.source().await.contains(r#"data-state="accepted""#));
    assert!(browser.source().await.contains(r#"data-status="in_progress""#), "the offer is in progress");

    // And Bob's node learns it.
    log_in(&browser, &b, "bob").await;
    browser.wait_for(&b.url("/me/listings"), "#sent li[data-state=accepted]", 60).await;
}

#[actix_web::test]
async fn an_admin_blocks_a_domain_and_links_a_territory_through_the_pages() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let (_admin_a, admin_b) = (a.admin("gaston").await, b.admin("louise").await);
    let browser = Browser::start().await;
    log_in(&browser, &a, "gaston").await;
    browser.open(&a.url("/admin?lang=en")).await;

    // A bad domain comes back with what was typed and the reason.
    browser.type_into("#f-domain", "not a domain!").await;
    browser.type_into("#f-public_comment", "spam").await;
    browser.submit("form[action='/admin/block'] button").await;
    assert_eq!(browser.value("#f-domain").await, "not a domain!");
    assert_eq!(browser.value("#f-public_comment").await, "spam");
    assert_eq!(browser.attribute("#f-domain", "aria-invalid").await.as_deref(), Some("true"));
    assert!(!browser.text("#e-domain").await.is_empty());

    browser.type_into("#f-domain", "spam.example").await;
    browser.select("#f-severity", "suspend").await;
    browser.submit("form[action='/admin/block'] button").await;
    assert!(browser.text("#blocks").await.contains("spam.example"));
    let (_, blocks) = _admin_a.get("/api/v1/admin/domain_blocks").await;
    assert_eq!(blocks[0]["domain"], "spam.example", "{blocks}");

    // The link, proposed here, approved there.
    browser.type_into("#f-partner", &b.domain).await;
    browser.submit("form[action='/admin/link'] button").await;
    assert!(browser.source().await.contains(r#"data-state="proposed""#), "{}", browser.source().await);
    log_in(&browser, &b, "louise").await;
    browser
        .wait_for(
            &b.url("/admin"),
            "#links tr[data-state=requested] form[action='/admin/approve_link'] button",
            30,
        )
        .await;
    browser.submit("#links form[action='/admin/approve_link'] button").await;
    eventually(30, "the link active on both sides", || async {
        let (_, on_a) = _admin_a.get("/api/v1/territory/links").await;
        let (_, on_b) = admin_b.get("/api/v1/territory/links").await;
        (on_a[0]["state"] == "active" && on_b[0]["state"] == "active").then_some(())
    })
    .await;
    browser.open(&b.url("/admin")).await;
    assert!(browser.source().await.contains(r#"data-state="active""#));
}

#[actix_web::test]
async fn the_home_page_in_french_and_in_english() {
    let a = TestNode::start().await;
    let browser = Browser::start().await;
    browser.open(&a.url("/?lang=fr")).await;
    assert_eq!(browser.attribute("html", "lang").await.as_deref(), Some("fr"));
    assert!(browser.text("nav").await.contains("Chercher"));
    browser.submit("nav a[hreflang=en]").await;
    assert_eq!(browser.attribute("html", "lang").await.as_deref(), Some("en"));
    browser.open(&a.url("/")).await;
    assert_eq!(browser.attribute("html", "lang").await.as_deref(), Some("en"), "the choice is kept");
    assert!(browser.text("nav").await.contains("Log in"), "{}", browser.text("nav").await);
}

#[actix_web::test]
async fn a_listing_form_with_bad_input_keeps_what_was_typed_and_names_the_field() {
    let a = TestNode::start().await;
    a.user("alice").await;
    let browser = Browser::start().await;
    log_in(&browser, &a, "alice").await;
    browser.open(&a.url("/listings/new?lang=en")).await;
    browser.type_into("#f-description", "Une grelinette à prêter").await;
    browser.type_into("#f-latitude", "nord").await;
    browser.type_into("#f-longitude", "2.4").await;
    browser.submit("form.listing-form button[type=submit]").await;
    assert_eq!(browser.value("#f-description").await, "Une grelinette à prêter");
    assert_eq!(browser.value("#f-latitude").await, "nord");
    assert_eq!(browser.attribute("#f-title", "aria-invalid").await.as_deref(), Some("true"));
    assert!(browser.text("#e-title").await.contains("title"));
    assert!(browser.text("#e-latitude").await.contains("latitude"));
    assert!(browser.text("#e-category").await.contains("category"));
    assert!(browser.text("[role=alert]").await.contains("title"));
    let stored = a
        .with_db(|conn| {
            let f = maillage_db::listings::ListingFilter { limit: 10, ..Default::default() };
            maillage_db::listings::search(conn, &f).unwrap().len()
        })
        .await;
    assert_eq!(stored, 0, "nothing stored");
}

#[actix_web::test]
async fn the_publish_form_takes_a_french_price_and_shows_the_terms_of_the_exchange_chosen() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let browser = Browser::start().await;
    browser.resize(390, 900).await;
    browser.log_in(&a, "alice", "fr").await;
    browser.open(&a.url("/listings/new?lang=fr")).await;
    browser.arrive("/listings/new", "#f-terms_mode").await;
    let shown = |css: &'static str| {
        let browser = &browser;
        async move {
            browser.execute(&format!("return document.querySelector('{css}').offsetParent !== null")).await
        }
    };
    assert_eq!(shown("#f-terms_amount").await, serde_json::json!(false), "a gift asks no price");
    assert_eq!(shown("#f-terms_hours").await, serde_json::json!(false));
    browser.select("#f-terms_mode", "price").await;
    assert_eq!(shown("#f-terms_amount").await, serde_json::json!(true), "a sale asks a price");
    assert_eq!(browser.value("#f-terms_currency").await, "EUR", "in the territory's currency");
    browser.type_into("#f-title", "Confiture de coings").await;
    browser.select("#f-category", "food").await;
    browser.type_into("#f-tags", "circuit-court, fait-maison").await;
    browser.type_into("#f-terms_amount", "12,50").await;
    browser.screenshot("publish-price-390-fr").await;
    let overflow = browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "the form fits a phone: {overflow}");
    browser.submit("form.listing-form button[type=submit]").await;
    browser.arrive("/me/listings", "main").await;
    let mine = alice.get("/api/v1/listings?q=coings").await.1;
    let text = mine.to_string();
    assert!(text.contains("12.50") && text.contains("circuit-court"), "{text}");
}
