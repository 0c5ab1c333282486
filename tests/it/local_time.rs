//! Times as residents read and type them: in the territory's zone (or
//! their own), with the offset of the day, on the pages, in every app's
//! status text, across a DST change; sessions proposed from the pages.

use crate::harness;

use harness::webdriver::Browser;
use harness::TestNode;

/// Proposes a session from the page; the date and time are set as a
/// phone's picker would set them.
async fn propose(browser: &Browser, node: &TestNode, title: &str, starts: &str, capacity: &str) -> String {
    browser.open(&node.url("/sessions/new")).await;
    browser.arrive("/sessions/new", "#f-title").await;
    browser.type_into("#f-title", title).await;
    browser.type_into("#f-description", "Apportez vos outils.").await;
    browser.execute(&format!("document.querySelector('#f-starts').value = '{starts}'")).await;
    browser.type_into("#f-place_name", "Salle des fêtes").await;
    browser.type_into("#f-place_address", "2 place de la Mairie, 26150 Die").await;
    browser.type_into("#f-capacity", capacity).await;
    browser.submit("form.session-form button[type=submit]").await;
    browser.arrive("/sessions/", "#places").await;
    browser.url().await
}

fn fits(overflow: &serde_json::Value) -> bool {
    overflow.as_i64().unwrap_or(1) <= 0
}

#[actix_web::test]
async fn a_session_proposed_at_half_past_nine_in_paris_shows_half_past_nine_everywhere() {
    let node = TestNode::start().await;
    node.user("alice").await;
    let bob = node.user("bob").await;
    let browser = Browser::start().await;
    for (width, lang) in [(390, "fr"), (1280, "en")] {
        browser.resize(width, 900).await;
        browser.log_in(&node, "alice", lang).await;
        // The brand and every link of the header on one line at 1280px; on a
        // phone they wrap between links, never inside one.
        let rows = browser
            .execute(
                "const brand = document.querySelector('header .brand').getBoundingClientRect();\
                 const tops = new Set([...document.querySelectorAll('.nav > li')]\
                   .map(e => Math.round(e.getBoundingClientRect().top)));\
                 return document.querySelector('.nav').getBoundingClientRect().top < brand.bottom ? tops.size : 0",
            )
            .await;
        if width == 1280 {
            assert_eq!(rows.as_i64(), Some(1), "the header is one line at 1280px");
        }
        let broken = browser
            .execute("return [...document.querySelectorAll('.nav > li > a')].filter(a => a.getClientRects().length > 1).length")
            .await;
        assert_eq!(broken.as_i64(), Some(0), "no link of the header breaks over two lines at {width}px");
        let overflow =
            browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
        assert!(fits(&overflow), "the header fits at {width}px: {overflow}");

        // Winter (CET, +01:00) and summer (CEST, +02:00).
        for (starts, shown, abbreviation, utc) in [
            ("2026-12-12T09:30", "09:30", "CET", "2026-12-12T08:30:00.000Z"),
            ("2027-07-03T09:30", "09:30", "CEST", "2027-07-03T07:30:00.000Z"),
        ] {
            let url =
                propose(&browser, &node, &format!("Atelier vélo {lang} {abbreviation}"), starts, "2").await;
            browser.screenshot(&format!("session-{width}-{lang}-{abbreviation}")).await;
            let when = browser.text("time").await;
            assert!(when.contains(shown), "the page shows the hour typed: {when}");
            assert!(browser.text("#address").await.contains("26150 Die"), "the address is shown");
            assert!(browser.try_find("form.rsvp").await.is_none(), "the organiser is not offered a place");
            let overflow =
                browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
            assert!(fits(&overflow), "the session page fits at {width}px: {overflow}");
            let id = url.rsplit('/').next().unwrap().to_owned();

            let (status, session) = bob.get(&format!("/api/v1/events/{id}")).await;
            assert_eq!(status, 200, "{session}");
            assert!(session.to_string().contains(utc), "stored and given in UTC: {session}");
            let (status, seen) = bob.get(&format!("/api/v1/statuses/{id}")).await;
            assert_eq!(status, 200, "{seen}");
            let content = seen["content"].as_str().unwrap();
            assert!(
                content.contains(&format!("{shown} {abbreviation}")),
                "an app's status text gives the local hour and its zone: {content}"
            );
        }
    }
}

#[actix_web::test]
async fn a_resident_takes_a_place_and_finds_it_in_my_sessions_in_her_own_zone() {
    let node = TestNode::start().await;
    node.user("alice").await;
    let bob = node.user("bob").await;
    let browser = Browser::start().await;
    browser.resize(390, 900).await;
    browser.log_in(&node, "alice", "fr").await;
    let url = propose(&browser, &node, "Taille des fruitiers", "2026-12-12T09:30", "1").await;
    let path = url.split_once("/sessions/").map(|(_, id)| format!("/sessions/{id}")).unwrap();

    browser.log_in(&node, "bob", "fr").await;
    browser.open(&node.url(&path)).await;
    browser.submit("form.rsvp button[type=submit]").await;
    browser.arrive(&path, "#my-place").await;
    browser.open(&node.url("/me/sessions")).await;
    browser.arrive("/me/sessions", "#my-sessions").await;
    browser.screenshot("my-sessions-390-fr").await;
    let mine = browser.text("#my-sessions").await;
    assert!(mine.contains("Taille des fruitiers") && mine.contains("09:30"), "{mine}");
    assert!(!mine.contains("@alice"), "a participant does not see who else comes: {mine}");

    // Bob lives in Montréal: the same session is at 03:30 for him.
    browser.open(&node.url("/me/settings")).await;
    browser.select("#f-timezone", "America/Montreal").await;
    browser.submit("main form button[type=submit]").await;
    browser.arrive("/me/settings", ".notice").await;
    browser.open(&node.url(&path)).await;
    assert!(browser.text("time").await.contains("03:30"), "{}", browser.text("time").await);

    // Alice cancels, after saying yes; Bob is told and the session is gone.
    browser.log_in(&node, "alice", "fr").await;
    browser.open(&node.url(&path)).await;
    browser.submit("#cancel-session button[type=submit]").await;
    browser.arrive(&path, "#confirm-form").await;
    browser.screenshot("session-cancel-confirm-390-fr").await;
    assert!(browser.text("main").await.contains("prévenue"), "says who will be told");
    browser.submit("#confirm-form button[type=submit]").await;
    browser.arrive("/me/sessions", "#cancelled").await;
    assert!(!browser.text("#my-sessions").await.contains("Taille des fruitiers"));
    let (_, notes) = bob.get("/api/v1/notifications").await;
    let told = notes.as_array().unwrap().iter().find(|n| n["maillage_reason"] == "session_cancelled");
    assert!(told.is_some(), "bob is told: {notes}");
    let gone = harness::client().get(node.url(&path)).send().await.unwrap();
    assert_eq!(gone.status().as_u16(), 404);
}

#[actix_web::test]
async fn a_session_form_with_every_field_wrong_says_so_at_once_in_french_and_stores_nothing() {
    let node = TestNode::start().await;
    let alice = node.user("alice").await;
    let mut page = harness::form_browser::FormBrowser::new();
    page.log_in(&node, "alice").await;
    let (_, form) = page.get(node.url("/sessions/new")).await;
    let csrf = harness::form_browser::csrf_of(&form);
    let (status, _, html) = page
        .post_to(
            node.url("/sessions/new"),
            &[
                ("csrf", &csrf),
                ("title", ""),
                ("starts", "demain 9h"),
                ("ends", "2026-12-12T08:00"),
                ("capacity", "0"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{html}");
    for message in ["Un titre de 1 à 200", "Une date et une heure de début", "Un nombre de places de 1"] {
        assert!(html.contains(message), "{message} in {html}");
    }
    for field in ["#f-title", "#f-starts", "#f-capacity"] {
        assert!(html.contains(&format!("href=\"{field}\"")), "the summary links to {field}");
    }
    let stored = node.with_db(|c| maillage_db::sessions::upcoming(c, 0, 10).unwrap().len()).await;
    assert_eq!(stored, 0, "nothing stored");

    // A time the clocks skip (29 March 2026, 02:00 → 03:00 in Paris) is read
    // as the hour after, not refused.
    let (status, location, _) = page
        .post_to(
            node.url("/sessions/new"),
            &[("csrf", &csrf), ("title", "Nuit des étoiles"), ("starts", "2026-03-29T02:30")],
        )
        .await;
    assert_eq!(status, 303);
    let id = location.unwrap().rsplit('/').next().unwrap().to_owned();
    let (_, session) = alice.get(&format!("/api/v1/events/{id}")).await;
    assert!(session.to_string().contains("2026-03-29T01:30:00"), "03:30 CEST: {session}");
}
