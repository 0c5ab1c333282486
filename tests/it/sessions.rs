//! Knowledge-exchange sessions: places, waiting list, and the Event that
//! other servers read.

use crate::harness;

use harness::{client, TestNode, TestUser};
use serde_json::{json, Value};

async fn post_json(user: &TestUser, path: &str, body: &Value) -> (u16, Value) {
    let r = client()
        .post(format!("{}{path}", user.base()))
        .bearer_auth(&user.token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[actix_web::test]
async fn a_session_of_two_places_makes_the_third_wait_and_promotes_them() {
    let a = TestNode::start().await;
    let org = a.user("organisatrice").await;
    let (status, event) = post_json(&org, "/api/v1/events", &json!({
        "title": "Apprendre à greffer les pommiers", "description": "Au verger **partagé**.",
        "starts_at": "2027-03-14T14:00:00+01:00", "ends_at": "2027-03-14T17:00:00+01:00", "timezone": "Europe/Paris",
        "place": { "name": "Verger de Broquiès", "address": "Route du Tarn", "lat": 44.0, "lon": 2.69 }, "capacity": 2
    })).await;
    assert_eq!(status, 200, "{event}");
    let id = event["id"].as_str().unwrap().to_owned();
    let mut people = Vec::new();
    for name in ["ana", "ben", "cle"] {
        people.push(a.user(name).await);
    }
    let mut states = Vec::new();
    for p in &people {
        let (status, joined) = post_json(p, &format!("/api/v1/events/{id}/join"), &json!({})).await;
        assert_eq!(status, 200, "{joined}");
        states.push(joined["state"].as_str().unwrap().to_owned());
    }
    assert_eq!(states, ["going", "going", "waiting"], "the third waits");
    let (_, shown) = org.get(&format!("/api/v1/events/{id}")).await;
    assert_eq!(shown["places_left"], 0);
    assert_eq!(shown["waiting_count"], 1);

    let (status, left) = post_json(&people[0], &format!("/api/v1/events/{id}/leave"), &json!({})).await;
    assert_eq!(status, 200, "{left}");
    assert!(left["promoted"].is_string(), "someone was promoted: {left}");
    let (_, list) = org.get(&format!("/api/v1/events/{id}/participants")).await;
    let going: Vec<&str> =
        list["going"].as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
    assert_eq!(going, ["ben", "cle"]);
    assert_eq!(list["waiting"].as_array().unwrap().len(), 0);

    let doc: Value = client()
        .get(event["uri"].as_str().unwrap())
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["type"], "Event");
    assert_eq!(doc["maximumAttendeeCapacity"], 2);
    assert_eq!(doc["remainingAttendeeCapacity"], 0);
    assert_eq!(doc["participantCount"], 2);
    assert_eq!(doc["location"]["address"]["type"], "PostalAddress");
    assert_eq!(doc["startTime"], "2027-03-14T13:00:00.000Z");
}

#[actix_web::test]
async fn bad_sessions_are_refused() {
    let a = TestNode::start().await;
    let org = a.user("org").await;
    for (body, field) in [
        (json!({ "title": "x" }), "starts_at"),
        (
            json!({ "title": "x", "starts_at": "2027-01-02T10:00:00Z", "ends_at": "2027-01-01T10:00:00Z" }),
            "ends_at",
        ),
        (json!({ "title": "x", "starts_at": "2027-01-02T10:00:00Z", "capacity": 0 }), "capacity"),
        (json!({ "title": "", "starts_at": "2027-01-02T10:00:00Z" }), "title"),
        (json!({ "title": "x", "starts_at": "soon" }), "starts_at"),
    ] {
        let (status, error) = post_json(&org, "/api/v1/events", &body).await;
        assert_eq!(status, 422, "{field}: {error}");
        assert!(error["error"].as_str().unwrap().contains(field), "{field}: {error}");
    }
    let (status, _) = post_json(&org, "/api/v1/events/999/join", &json!({})).await;
    assert_eq!(status, 404);
}

#[actix_web::test]
async fn a_session_reaches_a_node_that_follows_the_territory() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let org = a.user("org").await;
    let bob = b.user("bob").await;
    bob.follow_accepted(&format!("territory@{}", a.domain)).await;
    let (_, event) = post_json(
        &org,
        "/api/v1/events",
        &json!({
            "title": "Atelier compost", "starts_at": "2027-04-01T09:00:00Z", "capacity": 12,
            "place": { "name": "Jardin partagé", "lat": 43.95, "lon": 2.88 }
        }),
    )
    .await;
    let uri = event["uri"].as_str().unwrap().to_owned();
    let stored = harness::eventually(30, "the session reaches the other node", || async {
        let uri = uri.clone();
        b.with_db(move |c| maillage_db::sessions::find_by_ap_id(c, &uri).unwrap()).await
    })
    .await;
    assert_eq!(stored.title, "Atelier compost");
    assert_eq!(stored.capacity, Some(12));
    assert_eq!(stored.place_name, "Jardin partagé");
    assert!(!stored.local);
}

#[actix_web::test]
async fn people_on_another_node_take_places_and_wait_for_them() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let org = a.user("org").await;
    let local = a.user("lou").await;
    let bob = b.user("bob").await;
    let bea = b.user("bea").await;
    bob.follow_accepted(&format!("territory@{}", a.domain)).await;
    let (_, event) = post_json(
        &org,
        "/api/v1/events",
        &json!({
            "title": "Réparer son grille-pain", "starts_at": "2027-05-01T09:00:00Z", "capacity": 2
        }),
    )
    .await;
    let id = event["id"].as_str().unwrap().to_owned();
    let uri = event["uri"].as_str().unwrap().to_owned();
    let (_, first) = post_json(&local, &format!("/api/v1/events/{id}/join"), &json!({})).await;
    assert_eq!(first["state"], "going");
    let on_b = harness::eventually(30, "bob's node knows the session", || async {
        let uri = uri.clone();
        b.with_db(move |c| maillage_db::sessions::find_by_ap_id(c, &uri).unwrap().map(|s| s.id.to_string()))
            .await
    })
    .await;

    let (_, pending) = post_json(&bob, &format!("/api/v1/events/{on_b}/join"), &json!({})).await;
    assert_eq!(pending["state"], "pending", "the organizer's server decides");
    harness::eventually(30, "bob gets the last place", || async {
        let (_, shown) = org.get(&format!("/api/v1/events/{id}")).await;
        (shown["participants_count"] == 2).then_some(())
    })
    .await;
    let (_, waiting) = post_json(&bea, &format!("/api/v1/events/{on_b}/join"), &json!({})).await;
    assert_eq!(waiting["state"], "pending");
    harness::eventually(30, "bea waits on the organizer's server", || async {
        let (_, shown) = org.get(&format!("/api/v1/events/{id}")).await;
        (shown["waiting_count"] == 1).then_some(())
    })
    .await;
    let going_on_b = || async {
        b.with_db(|c| {
            use diesel::prelude::*;
            use maillage_db::schema::participations;
            participations::table
                .filter(participations::state.eq("going"))
                .count()
                .get_result::<i64>(c)
                .unwrap()
        })
        .await
    };
    harness::eventually(30, "bob hears he has a place", || async { (going_on_b().await == 1).then_some(()) })
        .await;

    // The local participant leaves: the first waiting (bea, remote) gets the place.
    post_json(&local, &format!("/api/v1/events/{id}/leave"), &json!({})).await;
    harness::eventually(30, "bea is promoted and told", || async { (going_on_b().await == 2).then_some(()) })
        .await;
    let (_, list) = org.get(&format!("/api/v1/events/{id}/participants")).await;
    assert_eq!(list["going"].as_array().unwrap().len(), 2);
    assert_eq!(list["waiting"].as_array().unwrap().len(), 0);

    // Only its organiser cancels it; the other node hears it is gone.
    let (status, _) = bob.json(reqwest::Method::DELETE, &format!("/api/v1/events/{on_b}"), &json!({})).await;
    assert_eq!(status, 404, "not bob's to cancel");
    let (status, _) = local.json(reqwest::Method::DELETE, &format!("/api/v1/events/{id}"), &json!({})).await;
    assert_eq!(status, 404, "nor lou's");
    let (status, body) = org.json(reqwest::Method::DELETE, &format!("/api/v1/events/{id}"), &json!({})).await;
    assert_eq!(status, 200, "{body}");
    harness::eventually(30, "bob's node hears the session is cancelled", || async {
        let uri = uri.clone();
        b.with_db(move |c| maillage_db::sessions::find_by_ap_id(c, &uri).unwrap().and_then(|s| s.deleted_at))
            .await
    })
    .await;
    assert_eq!(org.get(&format!("/api/v1/events/{id}")).await.0, 404);
}
