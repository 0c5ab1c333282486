//! An organiser creates a group and proposes a session in its name, all
//! from the pages.

use crate::harness;

use harness::webdriver::Browser;
use harness::TestNode;

#[actix_web::test]
async fn an_organiser_creates_a_group_then_a_session_in_its_name_from_the_pages() {
    let node = TestNode::start().await;
    node.user("alice").await;
    node.user("bob").await;
    let browser = Browser::start().await;
    browser.resize(1280, 900).await;
    browser.log_in(&node, "alice", "en").await;
    browser.open(&node.url("/me/groups?lang=en")).await;
    browser.click("#new-group").await;
    browser.arrive("/groups/new", "#f-display_name").await;
    browser.type_into("#f-display_name", "Jardins partagés de Die").await;
    browser.type_into("#f-username", "jardins_die").await;
    browser.click("input[name=kind][value=initiative]").await;
    browser.type_into("#f-description", "Des parcelles et des outils en commun.").await;
    browser.click("input[name=join_policy][value=approval]").await;
    browser.screenshot("group-form-1280-en").await;
    browser.submit("form.group-form button[type=submit]").await;
    browser.arrive("/@jardins_die", "#h-sessions").await;
    browser.screenshot("group-1280-en").await;
    assert!(browser.text("h1").await.contains("Jardins partagés de Die"));
    assert!(browser.text("main").await.contains("Initiative"));
    assert!(browser.source().await.contains("type=\"text/calendar\" href=\"/@jardins_die/calendar.ics\""));

    browser.click("a[href^='/sessions/new?group=']").await;
    browser.arrive("/sessions/new", "#f-group").await;
    assert_ne!(browser.value("#f-group").await, "", "the group is chosen");
    browser.type_into("#f-title", "Semis de printemps").await;
    browser.execute("document.querySelector('#f-starts').value = '2027-04-10T14:00'").await;
    browser.type_into("#f-place_name", "Jardin du Bourg").await;
    browser.submit("form.session-form button[type=submit]").await;
    browser.arrive("/sessions/", "#ics").await;
    assert!(browser.text("time").await.contains("14:00"));
    browser.open(&node.url("/@jardins_die")).await;
    assert!(browser.text("#h-sessions + ul").await.contains("Semis de printemps"), "the group lists it");

    // Joining it is a request, and says so; a pending request can be taken back.
    let mut bob = harness::form_browser::FormBrowser::new();
    bob.log_in(&node, "bob").await;
    let (_, page) = bob.get(node.url("/@jardins_die?lang=en")).await;
    assert!(page.contains("Ask to join") && page.contains("managers will accept"), "{page}");
    let csrf = harness::form_browser::csrf_of(&page);
    let (status, _, _) = bob.post(node.url("/@jardins_die/join"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    let (_, page) = bob.get(node.url("/@jardins_die?lang=en")).await;
    assert!(page.contains("Cancel my request") && !page.contains(">Leave<"), "{page}");
}

#[actix_web::test]
async fn a_group_form_with_every_field_wrong_says_so_at_once_in_french() {
    let node = TestNode::start().await;
    node.user("alice").await;
    let mut page = harness::form_browser::FormBrowser::new();
    page.log_in(&node, "alice").await;
    let (status, form) = page.get(node.url("/groups/new?lang=fr")).await;
    assert_eq!(status, 200);
    let csrf = harness::form_browser::csrf_of(&form);
    let (status, _, html) = page
        .post_to(
            node.url("/groups/new"),
            &[
                ("csrf", &csrf),
                ("display_name", ""),
                ("username", "jardins de die"),
                ("kind", "club"),
                ("join_policy", "open"),
                ("website", "ftp://jardins.example"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{html}");
    for message in ["Un nom de 1 à 100", "Un identifiant de lettres", "Choisissez collectif", "https://"] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(html.contains("value=\"jardins de die\""), "what was typed stays");
    let (status, _) = page.get(node.url("/@jardins_de_die")).await;
    assert_eq!(status, 404, "nothing created");
}
