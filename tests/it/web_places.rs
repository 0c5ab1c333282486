//! Places typed in the forms as residents type them: a town's name puts a
//! listing, a session or a group where the gazetteer has it (with or
//! without JavaScript), suggestions come as one types and fill the map
//! picker, another name keeps no point of its own, and "around me" takes
//! where the phone is.

use std::path::Path;

use crate::common::{maillage, run, stderr};
use crate::harness;

use harness::form_browser::FormBrowser;
use harness::webdriver::Browser;
use harness::{eventually, TestNode};
use serde_json::json;

const DIE: (f64, f64) = (44.7540, 5.3720);
const SAILLANS: (f64, f64) = (44.6966, 5.1950);

/// A node centred on Crest, in the Drôme, with the Drôme's towns.
async fn drome() -> TestNode {
    let a = TestNode::start_with(|c| {
        (c.territory.latitude, c.territory.longitude) = (44.7284, 5.0220);
        c.web.tile_url = "http://127.0.0.1:9/{z}/{x}/{y}.png".into();
    })
    .await;
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geonames_drome.txt");
    let mut cmd = maillage(&a.db.url_string());
    cmd.args(["admin", "places", "import"]).arg(file);
    let out = run(cmd, None);
    assert!(out.status.success(), "{}", stderr(&out));
    a
}

fn near(point: (Option<f64>, Option<f64>), to: (f64, f64)) -> bool {
    matches!(point, (Some(lat), Some(lon)) if (lat - to.0).abs() < 0.02 && (lon - to.1).abs() < 0.02)
}

#[actix_web::test]
async fn a_town_typed_without_javascript_is_where_the_gazetteer_has_it() {
    let a = drome().await;
    let alice = a.user("alice").await;
    let mut page = FormBrowser::new();
    page.log_in(&a, "alice").await;
    let csrf = page.csrf(&a, "/listings/new").await;
    let listing = |title: &'static str, place: &'static str| {
        vec![
            ("kind", "offer"),
            ("category", "goods"),
            ("title", title),
            ("description", "Prêt pour le week-end, à venir chercher."),
            ("place_name", place),
            ("latitude", ""),
            ("longitude", ""),
            ("terms_mode", "gift"),
            ("visibility", "public"),
        ]
    };
    for (title, place) in [("Perceuse", "Die"), ("Scie", "Saillans (26340)"), ("Établi", "Atelier du Moulin")]
    {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend(listing(title, place));
        let (status, _, html) = page.post_to(a.url("/listings/new"), &form).await;
        assert_eq!(status, 303, "{title}: {html}");
    }
    let points = a
        .with_db(|c| {
            use diesel::prelude::*;
            use maillage_db::schema::listings;
            listings::table
                .select((listings::title, listings::latitude, listings::longitude))
                .load::<(String, f64, f64)>(c)
                .unwrap()
        })
        .await;
    let at = |t: &str| points.iter().find(|p| p.0 == t).map(|p| (Some(p.1), Some(p.2))).unwrap();
    assert!(near(at("Perceuse"), DIE), "{points:?}");
    assert!(near(at("Scie"), SAILLANS), "{points:?}");
    assert!(near(at("Établi"), (44.7284, 5.0220)), "not a town: the territory's centre {points:?}");
    // Words and a place together: only what has the words, nearest first.
    let (_, html) = page.get(a.url("/listings?q=scie&near=Die&km=40")).await;
    let results = &html[html.find(r#"class="results""#).expect("results")..];
    assert!(results.contains(">Scie</a>") && !results.contains(">Perceuse</a>"), "{results}");
    let (_, html) = page.get(a.url("/listings?q=e&near=Die&km=40")).await;
    let results = &html[html.find(r#"class="results""#).expect("results")..];
    let order: Vec<usize> = [">Perceuse</a>", ">Scie</a>", ">Établi</a>"]
        .iter()
        .map(|t| results.find(t).unwrap_or_else(|| panic!("{t} in {results}")))
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "nearest Die first: {order:?}");

    // A session and a group in a town are there too; a venue has no point.
    let (_, session) = alice
        .json(
            reqwest::Method::POST,
            "/api/v1/events",
            &json!({"title": "Semis", "starts_at": "2027-04-10T12:00:00Z"}),
        )
        .await;
    let id = session["id"].as_str().unwrap().to_owned();
    let csrf = page.csrf(&a, &format!("/sessions/{id}/edit")).await;
    let (status, _, html) = page
        .post_to(
            a.url(&format!("/sessions/{id}/edit")),
            &[("csrf", &csrf), ("title", "Semis"), ("starts", "2027-04-10T14:00"), ("place_name", "Die")],
        )
        .await;
    assert_eq!(status, 303, "{html}");
    let (_, shown) = alice.get(&format!("/api/v1/events/{id}")).await;
    assert!(near((shown["place"]["lat"].as_f64(), shown["place"]["lon"].as_f64()), DIE), "{shown}");
    let csrf = page.csrf(&a, "/groups/new").await;
    let (status, _, _) = page
        .post_to(
            a.url("/groups/new"),
            &[
                ("csrf", &csrf),
                ("display_name", "Jardins"),
                ("username", "jardins"),
                ("kind", "collective"),
                ("join_policy", "open"),
                ("place_name", "Saillans"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let group = a
        .with_db(|c| {
            let actor = maillage_service::groups::find_local(c, "jardins").unwrap().unwrap();
            maillage_db::groups::find_group(c, actor.id()).unwrap().unwrap()
        })
        .await;
    assert!(near((group.latitude, group.longitude), SAILLANS), "{group:?}");
}

#[actix_web::test]
async fn suggestions_fill_the_picker_and_around_me_takes_where_the_phone_is() {
    let a = drome().await;
    a.user("alice").await.offer("Perceuse à Die", DIE.0, DIE.1).await;
    let browser = Browser::start().await;
    browser.resize(390, 844).await;
    browser.log_in(&a, "alice", "fr").await;
    browser.open(&a.url("/listings/new")).await;
    browser.type_into("#f-place_name", "Di").await;
    eventually(10, "suggestions for Di", || async {
        let n = browser.attribute("#place-names", "data-count").await?;
        (n.parse::<i64>().ok()? > 0).then_some(())
    })
    .await;
    let first = browser.execute("return document.querySelector('#place-names option').value").await;
    assert_eq!(first, json!("Die"), "the nearest Die first");
    // Picking it, as a phone's list would: the field gets its label.
    browser
        .execute("var f = document.querySelector('#f-place_name'); f.value = 'Die'; f.dispatchEvent(new Event('input'))")
        .await;
    let lat: f64 = browser.value("#f-latitude").await.parse().expect("the latitude filled");
    let lon: f64 = browser.value("#f-longitude").await.parse().expect("and the longitude");
    assert!(near((Some(lat), Some(lon)), DIE), "{lat},{lon}");
    assert!(browser.attribute("#picker", "data-picked").await.is_some(), "the marker moved there");
    browser.screenshot("listing-place-suggested-390-fr").await;

    // "Around me" on the search page, from a phone standing in Saillans.
    browser.stand_at(&a.base, SAILLANS.0, SAILLANS.1).await;
    browser.open(&a.url("/listings")).await;
    browser.click("#around-me").await;
    browser.arrive("near=", "#f-near").await;
    let typed = browser.value("#f-near").await;
    let (lat, lon) = typed.split_once(", ").expect("latitude, longitude");
    assert!(near((lat.parse().ok(), lon.parse().ok()), SAILLANS), "{typed}");
    let results = browser.text(".results").await;
    assert!(
        results.contains("Perceuse à Die") && results.contains("km"),
        "by distance from there: {results}"
    );
    browser.screenshot("search-around-me-390-fr").await;
}
