//! A listing's page as residents see it: its tags, each a search; its
//! dates in the territory's zone (published, changed, ends or ended); its
//! place on a small map; and a card of its author with the open listings
//! of theirs the visitor may see. In Chromium at a phone's and a desktop's
//! width, in both languages.

use std::time::Duration;

use crate::harness;

use harness::form_browser::FormBrowser;
use harness::webdriver::Browser;
use harness::{client, TestNode, TestUser};
use maillage_core::i18n::Lang;
use maillage_core::time::Timestamp;
use reqwest::Method;
use serde_json::{json, Value};

async fn page(node: &TestNode, path: &str) -> (u16, String) {
    let r = client().get(node.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The listing's path on its node.
fn path_of(node: &TestNode, listing: &Value) -> String {
    listing["url"].as_str().unwrap().trim_start_matches(&node.base).to_owned()
}

/// A moment of the API (RFC 3339) as the page shows it in `lang`.
fn shown(node: &TestNode, rfc3339: &Value, lang: Lang) -> String {
    let at = Timestamp::parse_rfc3339(rfc3339.as_str().unwrap()).unwrap();
    lang.date_time(at.as_micros(), node.config.territory.zone())
}

async fn publish(alice: &TestUser, title: &str, visibility: &str, tags: &[&str]) -> Value {
    let until = Timestamp::now().saturating_add(Duration::from_secs(12 * 86_400));
    alice
        .listing(&json!({
            "kind": "offer", "category": "services", "title": title,
            "description": "Le samedi matin, **outils fournis**.", "tags": tags,
            "place": { "name": "Atelier de Die", "lat": 44.7536, "lon": 5.3703 }, "radius_km": 8.0,
            "terms": { "mode": "gift" }, "visibility": visibility, "available_until": until.to_rfc3339()
        }))
        .await
}

#[actix_web::test]
async fn a_listing_page_shows_its_tags_dates_place_and_author() {
    let a = TestNode::start_with(|c| {
        c.web.tile_url = "https://tiles.example/{z}/{x}/{y}.png".into();
        c.territory.timezone = "Europe/Paris".into();
    })
    .await;
    let alice = a.user("alice").await;
    let (status, _) = alice
        .json(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            &json!({ "display_name": "Alice Martin" }),
        )
        .await;
    assert_eq!(status, 200);
    let repair = publish(&alice, "Je répare les vélos", "public", &["velo", "reparation"]).await;
    publish(&alice, "Prêt de remorque", "public", &[]).await;
    publish(&alice, "Pour mes abonné·es", "followers", &[]).await;
    let path = path_of(&a, &repair);

    let (status, fr) = page(&a, &path).await;
    assert_eq!(status, 200, "{fr}");
    for tag in ["velo", "reparation"] {
        assert!(
            fr.contains(&format!(r#"<a href="/listings?q=%23{tag}" rel="tag">#{tag}</a>"#)),
            "{tag}: {fr}"
        );
    }
    let published = shown(&a, &repair["created_at"], Lang::Fr);
    let ends = shown(&a, &repair["expires_at"], Lang::Fr);
    assert!(fr.contains("Publiée le") && fr.contains(&published), "{published}: {fr}");
    assert!(fr.contains("Se termine le") && fr.contains(&ends), "{ends}: {fr}");
    assert!(!fr.contains(r#"id="updated""#), "never changed: {fr}");
    assert!(fr.contains(r#"<dd id="published"><time datetime="20"#), "{fr}");
    assert!(fr.contains(r#"data-lat="44.7536""#) && fr.contains(r#"data-radius-km="8""#), "{fr}");
    assert!(fr.contains(r#"src="/static/place_map.js""#) && fr.contains("Carte du lieu : Atelier de Die"));
    // The author: name, handle, and what an anonymous visitor may see.
    assert!(fr.contains("Publiée par") && fr.contains("Alice Martin"), "{fr}");
    assert!(fr.contains(&format!("@alice@{}", a.domain)), "{fr}");
    assert!(fr.contains("2 annonces ouvertes"), "the followers-only one is not counted: {fr}");
    assert!(fr.contains(&format!(r#"<p class="author-name"><a href="{}/@alice">"#, a.base)), "{fr}");

    // A tag leads to the listings that carry it.
    let (_, tagged) = page(&a, "/listings?q=%23reparation").await;
    assert!(tagged.contains("Je répare les vélos") && !tagged.contains("Prêt de remorque"), "{tagged}");

    // Changed three days after it was published (moved back here): the
    // date of the change too, in English.
    let id = repair["id"].as_str().unwrap();
    let listing_id: i64 = id.parse().unwrap();
    a.with_db(move |c| {
        let mut row = maillage_db::listings::find_by_id(c, maillage_core::id::Id::from_i64(listing_id))
            .unwrap()
            .unwrap();
        row.published_at -= 3 * 86_400 * 1_000_000;
        maillage_db::listings::update(c, &row).unwrap();
    })
    .await;
    let (_, earlier) = alice.get(&format!("/api/v1/listings/{id}")).await;
    let (status, changed) = alice
        .json(Method::PATCH, &format!("/api/v1/listings/{id}"), &json!({ "title": "Je répare vos vélos" }))
        .await;
    assert_eq!(status, 200, "{changed}");
    let (_, en) = page(&a, &format!("{path}?lang=en")).await;
    assert!(en.contains("Posted by") && en.contains("2 open listings") && en.contains("Ends"), "{en}");
    assert!(en.contains("Je répare vos vélos"), "{en}");
    let (published, updated) =
        (shown(&a, &earlier["created_at"], Lang::En), shown(&a, &changed["updated_at"], Lang::En));
    assert_ne!(published, updated);
    assert!(en.contains(&format!(">{published}</time></dd>")), "{published}: {en}");
    assert!(en.contains("Updated") && en.contains(&format!(">{updated}</time></dd>")), "{updated}: {en}");

    // Its author sees all three counted; once done, no end date is shown.
    let mut own = FormBrowser::new();
    own.log_in(&a, "alice").await;
    let (_, mine) = own.get(a.url(&path)).await;
    assert!(mine.contains("3 annonces ouvertes"), "{mine}");
    let (status, _) = alice
        .json(Method::POST, &format!("/api/v1/listings/{id}/status"), &json!({ "status": "fulfilled" }))
        .await;
    assert_eq!(status, 200);
    let (_, done) = page(&a, &path).await;
    assert!(done.contains("Réalisée") && !done.contains(r#"id="ends""#), "{done}");
    assert!(done.contains("1 annonce ouverte"), "the remaining public one: {done}");

    let r = client().get(a.url("/static/place_map.js")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "text/javascript; charset=utf-8");
}

#[actix_web::test]
async fn a_listing_page_reads_well_on_a_phone_and_a_desktop() {
    let a = TestNode::start_with(|c| c.web.tile_url = String::new()).await;
    let alice = a.user("alice").await;
    let (status, _) = alice
        .json(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            &json!({ "display_name": "Alice Martin-Delacroix de la Vallée de la Drôme" }),
        )
        .await;
    assert_eq!(status, 200);
    let listing = publish(
        &alice,
        "Réparation de vélos, remorques et trottinettes électriques",
        "public",
        &["velo", "reparation", "mobilite-douce", "atelier_partage", "outils"],
    )
    .await;
    a.user("bob").await;
    let path = path_of(&a, &listing);
    let browser = Browser::start().await;
    for (width, lang, who) in
        [(390, "fr", None), (1280, "en", None), (390, "en", Some("bob")), (1280, "fr", Some("bob"))]
    {
        browser.resize(width, 900).await;
        match who {
            Some(login) => browser.log_in(&a, login, lang).await,
            None => browser.forget_cookies().await,
        }
        browser.open(&a.url(&format!("{path}?lang={lang}"))).await;
        browser.arrive(&path, "#place-map[data-shown=true] .leaflet-marker-icon").await;
        let tabbable = browser
            .execute(
                "return document.querySelector('#place-map .leaflet-marker-icon').getAttribute('tabindex')",
            )
            .await;
        assert!(tabbable.is_null() || tabbable == json!("-1"), "the pin is no stop for Tab: {tabbable}");
        assert!(browser.text("#author").await.contains(&format!("@alice@{}", a.domain)));
        let scroll = browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
        assert!(scroll.as_i64().unwrap_or(1) <= 0, "no sideways scroll at {width} px ({lang}): {scroll}");
        let who = who.unwrap_or("anonymous");
        browser.screenshot(&format!("listing-{width}-{lang}-{who}")).await;
        browser.execute("document.getElementById('author').scrollIntoView()").await;
        browser.screenshot(&format!("listing-{width}-{lang}-{who}-author")).await;
    }
    // A tag, clicked, is a search.
    browser.click("ul.tags a[href$='%23outils']").await;
    browser.arrive("/listings?q=%23outils", ".results .card").await;
    assert!(browser.text(".results").await.contains("Réparation de vélos"));
}
