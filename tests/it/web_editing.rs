//! Organisers change what they created, from the pages: a session's time,
//! place and capacity (those who come are told when the time or the place
//! moves, more places go to the waiting list, another server hears of it),
//! and a group's name and description (its admins only).

use crate::harness;

use harness::form_browser::{csrf_of, FormBrowser};
use harness::webdriver::Browser;
use harness::{eventually, TestNode};
use serde_json::json;

#[actix_web::test]
async fn an_organiser_changes_her_session_and_those_who_come_are_told() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let (lou, zoe) = (a.user("lou").await, a.user("zoe").await);
    let bob = b.user("bob").await;
    bob.follow_accepted(&format!("alice@{}", a.domain)).await;
    let (status, event) = alice
        .json(
            reqwest::Method::POST,
            "/api/v1/events",
            &json!({"title": "Réparer son vélo", "starts_at": "2027-04-10T12:30:00Z", "capacity": 1,
                    "timezone": "Europe/Paris", "place": {"name": "Atelier", "lat": 44.75, "lon": 5.37}}),
        )
        .await;
    assert_eq!(status, 200, "{event}");
    let (id, uri) = (event["id"].as_str().unwrap().to_owned(), event["uri"].as_str().unwrap().to_owned());
    let (_, going) = lou.json(reqwest::Method::POST, &format!("/api/v1/events/{id}/join"), &json!({})).await;
    assert_eq!(going["state"], "going");
    let (_, waiting) =
        zoe.json(reqwest::Method::POST, &format!("/api/v1/events/{id}/join"), &json!({})).await;
    assert_eq!(waiting["state"], "waiting");

    // Alice, on her phone, moves it an hour later, elsewhere, with one
    // more place.
    let browser = Browser::start().await;
    browser.resize(390, 844).await;
    browser.log_in(&a, "alice", "fr").await;
    browser.open(&a.url(&format!("/sessions/{id}"))).await;
    browser.click("#edit-session").await;
    browser.arrive("/edit", "#f-starts").await;
    assert_eq!(browser.value("#f-starts").await, "2027-04-10T14:30", "in the session's zone");
    assert_eq!(browser.value("#f-place_name").await, "Atelier");
    browser.execute("document.querySelector('#f-starts').value = '2027-04-10T15:30'").await;
    browser.execute("document.querySelector('#f-place_name').value = ''").await;
    browser.type_into("#f-place_name", "Salle des fêtes").await;
    browser.execute("document.querySelector('#f-capacity').value = '2'").await;
    browser.screenshot("session-edit-390-fr").await;
    browser.submit("form.session-form button[type=submit]").await;
    browser.arrive("?saved", "#saved").await;
    assert!(browser.text("time").await.contains("15:30"), "{}", browser.text("main").await);
    assert!(browser.text("main").await.contains("Salle des fêtes"));
    let scroll = browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
    assert!(scroll.as_i64().unwrap_or(1) <= 0, "no sideways scroll: {scroll}");
    browser.screenshot("session-edited-390-fr").await;

    // The waiting one got the new place; both are told it moved.
    let (_, shown) = alice.get(&format!("/api/v1/events/{id}")).await;
    assert_eq!((shown["participants_count"].as_i64(), shown["waiting_count"].as_i64()), (Some(2), Some(0)));
    assert_eq!(shown["starts_at"], "2027-04-10T13:30:00.000Z", "15:30 in Paris: {shown}");
    for who in ["lou", "zoe"] {
        let mut page = FormBrowser::new();
        page.log_in(&a, who).await;
        let (_, html) = page.get(a.url("/me/notifications?lang=en")).await;
        assert!(html.contains("changed the time or place of a session"), "{who}: {html}");
    }

    // Bob's server, following Alice, hears of the change.
    eventually(30, "the change reaches b", || async {
        let uri = uri.clone();
        b.with_db(move |c| {
            maillage_db::sessions::find_by_ap_id(c, &uri)
                .unwrap()
                .filter(|s| s.place_name == "Salle des fêtes" && s.capacity == Some(2))
        })
        .await
    })
    .await;

    // Fewer places than people who have one is refused; nobody else may
    // change it.
    let mut org = FormBrowser::new();
    org.log_in(&a, "alice").await;
    let (_, form) = org.get(a.url(&format!("/sessions/{id}/edit?lang=en"))).await;
    let csrf = csrf_of(&form);
    let (status, _, html) = org
        .post_to(
            a.url(&format!("/sessions/{id}/edit?lang=en")),
            &[
                ("csrf", &csrf),
                ("title", "Réparer son vélo"),
                ("starts", "2027-04-10T15:30"),
                ("capacity", "1"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains(r#"id="e-capacity""#) && html.contains(r#"value="1""#), "{html}");
    let mut other = FormBrowser::new();
    other.log_in(&a, "lou").await;
    let (status, _) = other.get(a.url(&format!("/sessions/{id}/edit"))).await;
    assert_eq!(status, 404);
    let csrf = other.csrf(&a, "/me/settings").await;
    let (status, _, _) =
        other.post_to(a.url(&format!("/sessions/{id}/edit")), &[("csrf", &csrf), ("title", "Pris")]).await;
    assert_eq!(status, 404);
    let (_, shown) = alice.get(&format!("/api/v1/events/{id}")).await;
    assert_eq!((shown["title"].as_str(), shown["capacity"].as_i64()), (Some("Réparer son vélo"), Some(2)));
}

#[actix_web::test]
async fn a_group_admin_changes_the_group_and_members_cannot() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let lou = a.user("lou").await;
    let (status, group) = alice
        .json(
            reqwest::Method::POST,
            "/api/v1/groups",
            &json!({"username": "jardins", "display_name": "Jardins", "description": "Des parcelles",
                    "kind": "collective", "goals": "", "join_policy": "open"}),
        )
        .await;
    assert_eq!(status, 200, "{group}");
    let gid = group["id"].as_str().unwrap().to_owned();
    let (status, _) = lou.post(&format!("/api/v1/groups/{gid}/join"), &[]).await;
    assert_eq!(status, 200);

    let mut admin = FormBrowser::new();
    admin.log_in(&a, "alice").await;
    let (_, page) = admin.get(a.url("/@jardins?lang=fr")).await;
    assert!(page.contains(r#"href="/@jardins/edit""#), "{page}");
    let (status, form) = admin.get(a.url("/@jardins/edit?lang=fr")).await;
    assert_eq!(status, 200);
    assert!(form.contains("Des parcelles") && form.contains("@jardins"), "{form}");
    let csrf = csrf_of(&form);
    let sent = |name: &'static str, policy: &'static str| {
        [
            ("display_name", name),
            ("kind", "initiative"),
            ("description", "Des parcelles et des outils en commun."),
            ("goals", "Nourrir le quartier"),
            ("place_name", "Le Bourg"),
            ("join_policy", policy),
            ("website", ""),
        ]
    };
    let mut wrong = vec![("csrf", csrf.as_str())];
    wrong.extend(sent("", "lottery"));
    let (status, _, html) = admin.post_to(a.url("/@jardins/edit?lang=fr"), &wrong).await;
    assert_eq!(status, 422);
    assert!(html.contains("Un nom de 1 à 100") && html.contains("Nourrir le quartier"), "{html}");
    let mut right = vec![("csrf", csrf.as_str())];
    right.extend(sent("Jardins partagés du Bourg", "approval"));
    let (status, location, _) = admin.post_to(a.url("/@jardins/edit"), &right).await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some("/@jardins?saved"));
    let (_, page) = admin.get(a.url("/@jardins?lang=fr")).await;
    assert!(page.contains("Jardins partagés du Bourg") && page.contains("Nourrir le quartier"), "{page}");
    assert!(page.contains("Initiative") && page.contains("Le Bourg"), "{page}");

    // Roles are given from the group's page too.
    let (_, page) = admin.get(a.url("/@jardins?lang=en")).await;
    let lou_id = lou_account_id(&page);
    let csrf = csrf_of(&page);
    let (status, _, body) = admin
        .post_to(a.url("/@jardins/role"), &[("csrf", &csrf), ("member", &lou_id), ("role", "moderator")])
        .await;
    assert_eq!(status, 303, "{lou_id}: {body}");
    let (_, page) = admin.get(a.url("/@jardins?lang=en")).await;
    assert!(page.contains("@lou") && page.contains("moderator"), "{page}");

    // A member is not an admin: no link, and 403.
    let mut member = FormBrowser::new();
    member.log_in(&a, "lou").await;
    let (_, page) = member.get(a.url("/@jardins")).await;
    assert!(!page.contains("/@jardins/edit"));
    let (status, _) = member.get(a.url("/@jardins/edit")).await;
    assert_eq!(status, 403);
    let csrf = member.csrf(&a, "/me/settings").await;
    let mut taken = vec![("csrf", csrf.as_str())];
    taken.extend(sent("Pris", "open"));
    let (status, _, _) = member.post_to(a.url("/@jardins/edit"), &taken).await;
    assert_eq!(status, 403);
    let (_, g) = alice.get(&format!("/api/v1/groups/{gid}")).await;
    assert_eq!(g["display_name"], "Jardins partagés du Bourg");
    let csrf = member.csrf(&a, "/me/settings").await;
    let (status, _, _) = member
        .post_to(a.url("/@jardins/role"), &[("csrf", &csrf), ("member", &lou_id), ("role", "admin")])
        .await;
    assert_eq!(status, 403, "a moderator does not make herself admin");
}

/// The member id in the role form of lou's line on a group's page.
fn lou_account_id(page: &str) -> String {
    let line = page.split("<li>").find(|l| l.contains("@lou")).expect("lou's line");
    line.split(r#"name="member" value=""#).nth(1).expect("a role form").split('"').next().unwrap().to_owned()
}
