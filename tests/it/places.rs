//! The gazetteer as residents and admins meet it: `maillage admin places
//! import` with the real binary (GeoNames and communes files, again, and
//! refused), then `/listings?near=Die` and `near=26150` sorted by distance
//! with the distance on each card, paged, an unknown town refused beside
//! its field, and `/places` suggestions.

use std::path::{Path, PathBuf};

use crate::common::{self, maillage, run, stderr, stdout};
use crate::harness::{client, TestNode};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn import(node: &TestNode, file: &Path) -> std::process::Output {
    let mut cmd = maillage(&node.db.url_string());
    cmd.args(["admin", "places", "import"]).arg(file);
    run(cmd, None)
}

async fn count(node: &TestNode) -> i64 {
    node.with_db(|c| maillage_db::places::count(c).unwrap()).await
}

async fn die_population(node: &TestNode) -> Vec<i64> {
    node.with_db(|c| maillage_db::places::exact(c, "die", 10).unwrap())
        .await
        .iter()
        .map(|p| p.population)
        .collect()
}

async fn page(node: &TestNode, path: &str, lang: &str) -> (u16, String) {
    let r = client().get(node.url(path)).header("Accept-Language", lang).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The titles of `wanted` in the order the page shows them, each checked
/// to carry its distance inside its own card.
fn order_with_distances(html: &str, wanted: &[&str]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for title in wanted {
        if let Some(at) = html.find(&format!(">{title}</a>")) {
            let card = &html[at..];
            let card = &card[..card.find("</article>").expect("the card closes")];
            assert!(card.contains(r#"class="meta distance""#) && card.contains("km"), "{title}: {card}");
            found.push((at, (*title).to_owned()));
        }
    }
    found.sort();
    found.into_iter().map(|(_, t)| t).collect()
}

#[actix_web::test]
async fn towns_are_found_by_name_and_postcode_and_listings_come_nearest_first() {
    // A territory centred on Crest, in the Drôme.
    let a = TestNode::start_with(|c| {
        (c.territory.latitude, c.territory.longitude, c.territory.radius_km) = (44.7284, 5.0220, 20.0);
    })
    .await;

    let out = import(&a, &fixture("geonames_drome.txt"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("16 places imported from a GeoNames file (20 lines, 4 skipped, 0 malformed)"),
        "{}",
        stdout(&out)
    );
    let out = import(&a, &fixture("communes_drome.csv"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("10 places imported from a communes file"), "{}", stdout(&out));
    assert_eq!(count(&a).await, 26);
    // Again: the same places, updated, none twice.
    let out = import(&a, &fixture("geonames_drome.txt"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(count(&a).await, 26);

    let alice = a.user("alice").await;
    // Published in an order that is not the order of distance from Die.
    alice.offer("Vélo cargo", 44.9334, 4.8924).await; // Valence, 45 km away
    alice.offer("Scie circulaire", 44.6966, 5.1950).await; // Saillans, 15 km
    alice.offer("Perceuse", 44.7540, 5.3720).await; // Die
    alice.offer("Ruches", 44.6936, 5.4850).await; // Châtillon-en-Diois, 11 km
    let titles = ["Vélo cargo", "Scie circulaire", "Perceuse", "Ruches"];

    for near in ["Die", "die", "26150", "Die (26150)", "DIE "] {
        let (status, html) = page(&a, &format!("/listings?near={}&km=20", url_encode(near)), "fr").await;
        assert_eq!(status, 200, "{near}: {html}");
        assert_eq!(order_with_distances(&html, &titles), ["Perceuse", "Ruches", "Scie circulaire"], "{near}");
        assert!(
            html.contains("Autour de Die (26150), les plus proches d&#39;abord")
                || html.contains("Autour de Die (26150), les plus proches d'abord"),
            "{html}"
        );
        assert!(html.contains("à 0,1\u{a0}km") && html.contains("à 11,"), "{html}");
    }
    // Coordinates still work, nearest first too.
    let (_, html) = page(&a, "/listings?near=44.7536%2C+5.3703&km=20", "en").await;
    assert_eq!(order_with_distances(&html, &titles), ["Perceuse", "Ruches", "Scie circulaire"]);
    assert!(html.contains("0.1\u{a0}km away"), "{html}");

    // Pages of two, with links either way that keep the search.
    let (_, first) = page(&a, "/listings?near=Die&km=20&limit=2", "fr").await;
    assert_eq!(order_with_distances(&first, &titles), ["Perceuse", "Ruches"]);
    assert!(!first.contains(r#"rel="prev""#));
    let next = first.split(r#"rel="next" href=""#).nth(1).expect("a next link").split('"').next().unwrap();
    let next = next.replace("&#38;", "&").replace("&amp;", "&");
    assert!(next.contains("near=Die") && next.contains("limit=2") && next.contains("page=2"), "{next}");
    let (_, second) = page(&a, &next, "fr").await;
    assert_eq!(order_with_distances(&second, &titles), ["Scie circulaire"]);
    assert!(second.contains(r#"rel="prev""#) && !second.contains(r#"rel="next""#), "{second}");

    // An unknown town: 422, the message beside the field, in each language.
    let (status, html) = page(&a, "/listings?near=Atlantide&km=20", "fr").await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="e-near""#) && html.contains("Ce lieu est inconnu"), "{html}");
    assert!(html.contains(r#"value="Atlantide""#), "what was typed stays");
    let (status, html) = page(&a, "/listings?near=Atlantide", "en").await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="e-near""#) && html.contains("This place is unknown"), "{html}");
    let (status, _) = page(&a, "/listings?near=99999", "en").await;
    assert_eq!(status, 422, "a postcode nobody has");

    // Suggestions: the name in full first, then the territory's own.
    let suggest = |q: &'static str| {
        let url = a.url(&format!("/places?q={}", url_encode(q)));
        async move {
            let r = client().get(url).send().await.unwrap();
            assert_eq!(r.status(), 200);
            assert!(r.headers().get("cache-control").unwrap().to_str().unwrap().contains("max-age"));
            let body: serde_json::Value = r.json().await.unwrap();
            body.as_array()
                .unwrap()
                .iter()
                .map(|p| p["label"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let die = suggest("die").await;
    assert_eq!(die.first().map(String::as_str), Some("Die (26150)"), "{die:?}");
    assert!(die.contains(&"Dieulefit".to_owned()) && die.contains(&"Dieppe".to_owned()), "{die:?}");
    assert_eq!(die.iter().filter(|l| l.starts_with("Die (")).count(), 1, "one Die from two files: {die:?}");
    let saint_jean = suggest("saint jean").await;
    assert_eq!(
        saint_jean.first().map(String::as_str),
        Some("Saint-Jean-en-Royans (26190)"),
        "{saint_jean:?}"
    );
    assert_eq!(suggest("st-jean").await.first(), saint_jean.first());
    let valence = suggest("Valence").await;
    assert_eq!(valence.first().map(String::as_str), Some("Valence (26000)"), "{valence:?}");
    assert_eq!(suggest("chatillon").await.first().map(String::as_str), Some("Châtillon-en-Diois (26410)"));
    assert!(suggest("d").await.is_empty(), "one letter is too little");
}

#[actix_web::test]
async fn a_bad_file_is_refused_whole_and_loses_nothing() {
    let a = TestNode::start().await;
    let out = import(&a, &fixture("geonames_drome.txt"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!((count(&a).await, die_population(&a).await), (16, vec![4230]));

    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("geonames_drome.txt")).unwrap();
    let die = good.lines().next().unwrap().replace("\t4230\t", "\t1\t");
    let broken = common::write_file(
        dir.path(),
        "FR.txt",
        &format!("{die}\n3022530\tCrest\tCrest\n2971053\tValence\tValence\t\t44.93\tfour\n"),
    );
    let out = import(&a, &broken);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let message = stderr(&out);
    assert!(
        message.contains("FR.txt")
            && message.contains("2 of its 3 lines are malformed")
            && message.contains("line 2: 3 fields")
            && message.contains("line 3:")
            && message.contains("nothing was imported"),
        "{message}"
    );
    assert_eq!((count(&a).await, die_population(&a).await), (16, vec![4230]), "Die kept its population");

    let other = common::write_file(dir.path(), "list.csv", "name,lat,lon\nDie,44.75,5.37\n");
    let out = import(&a, &other);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("neither a GeoNames dump"), "{}", stderr(&out));

    let out = import(&a, &dir.path().join("missing.txt"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot open") && stderr(&out).contains("missing.txt"), "{}", stderr(&out));
    assert_eq!(count(&a).await, 16);

    let mut cmd = maillage(&a.db.url_string());
    cmd.args(["admin", "places", "import", "--help"]);
    assert!(stdout(&run(cmd, None)).contains("geonames.org"));
}

fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
