//! Group and session pages over plain HTTP with the session cookie: a
//! group's page with members, needs and sessions, joining it and an admin
//! accepting; the mediators' queue; a session's places, "I'll come" and
//! the waiting list its organiser sees; forms without their CSRF token
//! refused.

use crate::harness;

use harness::form_browser::FormBrowser;
use harness::{TestNode, TestUser};
use serde_json::{json, Value};

async fn post_json(user: &TestUser, path: &str, body: &Value) -> Value {
    let (status, v) = user.json(reqwest::Method::POST, path, body).await;
    assert_eq!(status, 200, "{v}");
    v
}

#[actix_web::test]
async fn a_group_page_shows_members_needs_sessions_and_its_admins_accept_members() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let bruno = a.user("bruno").await;
    let group = post_json(
        &alice,
        "/api/v1/groups",
        &json!({
            "username": "atelier_velo", "display_name": "Atelier vélo du Rougier", "kind": "initiative",
            "description": "Réparer ensemble.", "place": { "name": "Camarès", "lat": 43.82, "lon": 2.88 },
            "join_policy": "approval", "goals": "Zéro vélo jeté"
        }),
    )
    .await;
    let gid = group["id"].as_str().unwrap().to_owned();
    post_json(&alice, "/api/v1/listings", &json!({
        "kind": "need", "category": "goods", "title": "Des chambres à air", "description": "Pour l'atelier",
        "terms": { "mode": "gift" }, "visibility": "public", "group_id": gid
    }))
    .await;
    post_json(&alice, "/api/v1/events", &json!({
        "title": "Atelier réparation", "description": "Apportez vos vélos", "starts_at": "2027-03-14T14:00:00Z",
        "place": { "name": "Camarès" }, "capacity": 8, "group_id": gid
    }))
    .await;

    let mut visitor = FormBrowser::new();
    let (status, page) = visitor.get(a.url("/@atelier_velo?lang=en")).await;
    assert_eq!(status, 200, "{page}");
    for part in [
        "Atelier vélo du Rougier",
        "Initiative",
        "Zéro vélo jeté",
        "Des chambres à air",
        "Atelier réparation",
        "8 places",
    ] {
        assert!(page.contains(part), "{part} in {page}");
    }
    assert!(page.contains("alice") && !page.contains("id=\"pending\""), "members, no approvals for visitors");

    let mut b = FormBrowser::new();
    b.log_in(&a, "bruno").await;
    let csrf = b.csrf(&a, "/@atelier_velo").await;
    let (status, _, _) = b.post(a.url("/@atelier_velo/join"), &[("csrf", "forged")]).await;
    assert_eq!(status, 403, "no CSRF token, nothing done");
    let (status, _, _) = b.post(a.url("/@atelier_velo/join"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    let (_, page) = b.get(a.url("/@atelier_velo?lang=en")).await;
    assert!(page.contains("Request pending."), "{page}");
    let (_, mine) = b.get(a.url("/me/groups?lang=en")).await;
    assert!(mine.contains("Atelier vélo du Rougier") && mine.contains("Request pending."), "{mine}");

    let mut admin = FormBrowser::new();
    admin.log_in(&a, "alice").await;
    let (_, page) = admin.get(a.url("/@atelier_velo?lang=en")).await;
    assert!(page.contains("id=\"pending\"") && page.contains("@bruno@"), "{page}");
    let bruno_id = bruno.account_id.clone();
    let csrf = harness::form_browser::csrf_of(&page);
    let own_csrf = b.csrf(&a, "/").await;
    let (status, _, body) =
        b.post(a.url("/@atelier_velo/accept"), &[("csrf", &own_csrf), ("member", &bruno_id)]).await;
    assert_eq!(status, 403, "a pending member cannot accept themselves: {body}");
    let (status, _, _) =
        admin.post(a.url("/@atelier_velo/accept"), &[("csrf", &csrf), ("member", &bruno_id)]).await;
    assert_eq!(status, 303);
    let (_, members) = alice.get(&format!("/api/v1/groups/{gid}/members")).await;
    assert!(members.to_string().contains("bruno"), "{members}");
    let (status, _) = b.get(a.url("/@atelier_velo/mediation")).await;
    assert_eq!(status, 403, "only mediators see the queue");
}

#[actix_web::test]
async fn a_session_page_gives_places_then_the_waiting_list_which_its_organiser_sees() {
    let a = TestNode::start().await;
    let org = a.user("orga").await;
    for name in ["ana", "ben"] {
        a.user(name).await;
    }
    let event = post_json(
        &org,
        "/api/v1/events",
        &json!({
            "title": "Greffer les pommiers", "description": "Au verger", "starts_at": "2027-03-14T14:00:00Z",
            "place": { "name": "Verger" }, "capacity": 1
        }),
    )
    .await;
    let path = format!("/sessions/{}", event["id"].as_str().unwrap());
    let mut anonymous = FormBrowser::new();
    let (status, page) = anonymous.get(a.url(&format!("{path}?lang=en"))).await;
    assert_eq!(status, 200);
    assert!(page.contains("1 places left of 1") && page.contains("Log in to take a place"), "{page}");
    let (status, _) = anonymous.get(a.url("/sessions/12345")).await;
    assert_eq!(status, 404);

    let mut ana = FormBrowser::new();
    ana.log_in(&a, "ana").await;
    let csrf = ana.csrf(&a, &path).await;
    assert_eq!(ana.post(a.url(&format!("{path}/join")), &[("csrf", &csrf)]).await.0, 303);
    let (_, page) = ana.get(a.url(&format!("{path}?lang=en"))).await;
    assert!(page.contains("You have a place.") && page.contains("full (waiting list)"), "{page}");
    let mut ben = FormBrowser::new();
    ben.log_in(&a, "ben").await;
    let csrf = ben.csrf(&a, &path).await;
    assert_eq!(ben.post(a.url(&format!("{path}/join")), &[("csrf", &csrf)]).await.0, 303);
    let (_, page) = ben.get(a.url(&format!("{path}?lang=en"))).await;
    assert!(page.contains("You are on the waiting list."), "{page}");
    assert!(!page.contains("id=\"waiting\""), "only the organiser sees the lists");

    let mut orga = FormBrowser::new();
    orga.log_in(&a, "orga").await;
    let (_, page) = orga.get(a.url(&format!("{path}?lang=en"))).await;
    let going = page.split("id=\"going\"").nth(1).unwrap().split("</ul>").next().unwrap();
    let waiting = page.split("id=\"waiting\"").nth(1).unwrap().split("</ol>").next().unwrap();
    assert!(going.contains("@ana@") && waiting.contains("@ben@"), "{page}");
    let (_, mine) = orga.get(a.url("/me/sessions?lang=en")).await;
    assert!(mine.contains("Greffer les pommiers") && mine.contains("Waiting list : 1"), "{mine}");

    // Ana leaves: Ben gets her place.
    let csrf = ana.csrf(&a, &path).await;
    assert_eq!(ana.post(a.url(&format!("{path}/leave")), &[("csrf", &csrf)]).await.0, 303);
    let (_, page) = ben.get(a.url(&format!("{path}?lang=en"))).await;
    assert!(page.contains("You have a place."), "{page}");
}

#[actix_web::test]
async fn a_mediator_approves_a_pairing_from_the_queue_page() {
    let a = TestNode::start().await;
    let (mona, leo, alice, bob) =
        (a.user("mona").await, a.user("leo").await, a.user("alice").await, a.user("bob").await);
    let group = post_json(
        &mona,
        "/api/v1/groups",
        &json!({
            "username": "savoirs", "display_name": "Réseau d'échanges de savoirs", "kind": "collective",
            "description": "On apprend les uns des autres.", "join_policy": "open"
        }),
    )
    .await;
    let gid = group["id"].as_str().unwrap().to_owned();
    for who in [&leo, &alice] {
        post_json(who, &format!("/api/v1/groups/{gid}/join"), &json!({})).await;
    }
    let mediator_path = format!("/api/v1/groups/{gid}/members/{}/mediator", leo.account_id);
    assert_eq!(mona.json(reqwest::Method::PUT, &mediator_path, &json!({ "mediator": true })).await.0, 200);
    alice.listing(&knowledge("need", "learn", "Apprendre la guitare", Some(&gid))).await;
    bob.listing(&knowledge("offer", "teach", "Cours de guitare", None)).await;

    let mut l = FormBrowser::new();
    l.log_in(&a, "leo").await;
    let (_, group_page) = l.get(a.url("/@savoirs?lang=en")).await;
    assert!(group_page.contains("/@savoirs/mediation") && group_page.contains("mediator"), "{group_page}");
    let page = harness::eventually(30, "the pairing on the queue page", || {
        let mut l2 = FormBrowser::new();
        let a = &a;
        async move {
            l2.log_in(a, "leo").await;
            let (_, page) = l2.get(a.url("/@savoirs/mediation?lang=en")).await;
            page.contains("/approve").then_some(page)
        }
    })
    .await;
    assert!(page.contains("Apprendre la guitare") && page.contains("Cours de guitare"), "{page}");
    assert!(alice.matches().await.is_empty(), "held until approved");
    let action = page
        .split("action=\"")
        .find(|p| p.contains("/approve"))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    // The page was read in another session: this session's own token.
    let csrf = l.csrf(&a, "/@savoirs/mediation").await;
    let mut a_browser = FormBrowser::new();
    a_browser.log_in(&a, "alice").await;
    let alice_csrf = a_browser.csrf(&a, "/").await;
    assert_eq!(a_browser.post(a.url(&action), &[("csrf", &alice_csrf)]).await.0, 403, "not a mediator");
    let (status, _, _) = l.post(a.url(&action), &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    harness::eventually(30, "the match released to Alice", || async {
        (!alice.matches().await.is_empty()).then_some(())
    })
    .await;
    let (_, matches) = a_browser.get(a.url("/me/matches?lang=en")).await;
    assert!(matches.contains("Cours de guitare") && matches.contains("class=\"reasons\""), "{matches}");
}

fn knowledge(kind: &str, direction: &str, title: &str, group: Option<&str>) -> Value {
    let mut l = json!({
        "kind": kind, "category": "skills_knowledge", "direction": direction, "title": title,
        "description": "Guitare acoustique, accords de base et rythmique", "tags": ["guitare"],
        "place": { "name": "Centre", "lat": 46.54, "lon": 2.43 }, "radius_km": 20.0,
        "terms": { "mode": "time_credit", "hours": 1.0 }, "visibility": "public"
    });
    if let Some(g) = group {
        l["group_id"] = json!(g);
    }
    l
}
