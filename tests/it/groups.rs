//! Collectives, initiatives and projects across territories.

use crate::harness;

use harness::{client, eventually, TestNode, TestUser};
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

fn atelier() -> Value {
    json!({
        "username": "atelier_velo", "display_name": "Atelier vélo du Rougier", "kind": "initiative",
        "description": "Réparer ensemble.", "place": { "name": "Camarès", "lat": 43.82, "lon": 2.88 },
        "website": "https://atelier.example", "join_policy": "approval", "goals": "Zéro vélo jeté"
    })
}

#[actix_web::test]
async fn a_person_on_another_node_joins_a_group_with_approval() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let (status, group) = post_json(&alice, "/api/v1/groups", &atelier()).await;
    assert_eq!(status, 200, "{group}");
    assert_eq!(group["group"], true);
    assert_eq!(group["maillage"]["member_count"], 1);
    let group_id = group["id"].as_str().unwrap().to_owned();

    let on_b = bob.resolve(&format!("atelier_velo@{}", a.domain)).await;
    let (_, account) = bob.get(&format!("/api/v1/accounts/{on_b}")).await;
    assert_eq!(account["group"], true, "Mastodon apps see a group");
    let (status, pending) = post_json(&bob, &format!("/api/v1/groups/{on_b}/join"), &json!({})).await;
    assert_eq!(status, 200, "{pending}");
    assert_eq!(pending["state"], "pending");

    let request = eventually(30, "the Join reaches the group", || async {
        let (_, members) = alice.get(&format!("/api/v1/groups/{group_id}/members")).await;
        members.as_array().and_then(|m| m.iter().find(|x| x["state"] == "pending").cloned())
    })
    .await;
    let member_id = request["account"]["id"].as_str().unwrap();
    let (status, _) =
        post_json(&bob, &format!("/api/v1/groups/{on_b}/members/{member_id}/approve"), &json!({})).await;
    assert_eq!(status, 403, "bob cannot approve on his own node's copy");
    let (status, approved) =
        post_json(&alice, &format!("/api/v1/groups/{group_id}/members/{member_id}/approve"), &json!({}))
            .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["state"], "accepted");
    eventually(30, "bob's node hears he is in", || async {
        b.with_db(|c| {
            use diesel::prelude::*;
            use maillage_db::schema::memberships;
            let states: Vec<String> = memberships::table.select(memberships::state).load(c).unwrap();
            (states == ["accepted"]).then_some(())
        })
        .await
    })
    .await;
    let (_, g) = alice.get(&format!("/api/v1/groups/{group_id}")).await;
    assert_eq!(g["maillage"]["member_count"], 2);

    let (status, _) = post_json(&bob, &format!("/api/v1/groups/{on_b}/leave"), &json!({})).await;
    assert_eq!(status, 200);
    eventually(30, "the Leave reaches the group", || async {
        let (_, g) = alice.get(&format!("/api/v1/groups/{group_id}")).await;
        (g["maillage"]["member_count"] == 1).then_some(())
    })
    .await;
}

#[actix_web::test]
async fn bad_groups_are_refused_with_their_fields() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let mut bad = atelier();
    bad["username"] = json!("no spaces allowed");
    bad["kind"] = json!("club");
    bad["project_status"] = json!("active");
    let (status, error) = post_json(&alice, "/api/v1/groups", &bad).await;
    assert_eq!(status, 422);
    let message = error["error"].as_str().unwrap();
    for field in ["username", "kind", "project_status"] {
        assert!(message.contains(field), "{field}: {message}");
    }
    post_json(&alice, "/api/v1/groups", &atelier()).await;
    let (status, _) = post_json(&alice, "/api/v1/groups", &atelier()).await;
    assert_eq!(status, 409, "names are unique among people and groups");
    let bea = a.user("bea").await;
    let mut open = atelier();
    open["username"] = json!("repair_cafe");
    open["join_policy"] = json!("open");
    let (_, group) = post_json(&alice, "/api/v1/groups", &open).await;
    let (_, joined) =
        post_json(&bea, &format!("/api/v1/groups/{}/join", group["id"].as_str().unwrap()), &json!({})).await;
    assert_eq!(joined["state"], "accepted", "an open group lets people in at once");
}

#[actix_web::test]
async fn a_groups_listing_reaches_a_follower_on_a_third_node() {
    let a = TestNode::start().await;
    let c = TestNode::start().await;
    let alice = a.user("alice").await;
    let carol = c.user("carol").await;
    let (_, group) = post_json(&alice, "/api/v1/groups", &atelier()).await;
    carol.follow_accepted(&format!("atelier_velo@{}", a.domain)).await;
    let listing = json!({
        "kind": "need", "category": "goods", "title": "Cherche des chambres à air", "terms": { "mode": "gift" },
        "group_id": group["id"]
    });
    let (status, created) = post_json(&alice, "/api/v1/listings", &listing).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["group_id"], group["id"]);
    let uri = created["uri"].as_str().unwrap().to_owned();
    eventually(30, "the group's listing reaches carol's node", || async {
        let uri = uri.clone();
        c.with_db(move |conn| maillage_db::listings::find_by_ap_id(conn, &uri).unwrap().map(|_| ())).await
    })
    .await;

    let (_, in_group) =
        alice.get(&format!("/api/v1/listings?group_id={}", group["id"].as_str().unwrap())).await;
    assert_eq!(in_group.as_array().unwrap().len(), 1, "a project lists its needs and offers");

    let outsider = a.user("olga").await;
    let (status, refused) = post_json(&outsider, "/api/v1/listings", &listing).await;
    assert_eq!(status, 422, "only members publish in a group: {refused}");
    assert!(refused["error"].as_str().unwrap().contains("group_id"));
}

#[actix_web::test]
async fn a_group_relays_its_members_sessions_and_posts_and_admins_set_roles() {
    let a = TestNode::start().await;
    let c = TestNode::start().await;
    let alice = a.user("alice").await;
    let carol = c.user("carol").await;
    let (_, group) = post_json(&alice, "/api/v1/groups", &atelier()).await;
    let group_id = group["id"].as_str().unwrap().to_owned();
    carol.follow_accepted(&format!("atelier_velo@{}", a.domain)).await;

    let (status, event) = post_json(
        &alice,
        "/api/v1/events",
        &json!({
            "title": "Démontage de roue libre", "starts_at": "2027-06-01T09:00:00Z", "group_id": group_id
        }),
    )
    .await;
    assert_eq!(status, 200, "{event}");
    let post = alice.post_status("Atelier ouvert samedi avec @atelier_velo").await;
    let (event_uri, post_uri) =
        (event["uri"].as_str().unwrap().to_owned(), post["uri"].as_str().unwrap().to_owned());
    eventually(30, "the group's session and post reach carol's node", || async {
        let (e, p) = (event_uri.clone(), post_uri.clone());
        c.with_db(move |conn| {
            let session = maillage_db::sessions::find_by_ap_id(conn, &e).unwrap();
            let post = maillage_db::posts::find_by_ap_id(conn, &p).unwrap();
            (session.is_some() && post.is_some()).then_some(())
        })
        .await
    })
    .await;

    let bea = a.user("bea").await;
    let mut open = atelier();
    open["username"] = json!("repair_cafe");
    open["join_policy"] = json!("open");
    let (_, cafe) = post_json(&alice, "/api/v1/groups", &open).await;
    let cafe_id = cafe["id"].as_str().unwrap();
    let (_, joined) = post_json(&bea, &format!("/api/v1/groups/{cafe_id}/join"), &json!({})).await;
    let bea_id = joined["account"]["id"].as_str().unwrap();
    let (status, promoted) = post_json(
        &alice,
        &format!("/api/v1/groups/{cafe_id}/members/{bea_id}/role"),
        &json!({ "role": "moderator" }),
    )
    .await;
    assert_eq!(status, 200, "{promoted}");
    assert_eq!(promoted["role"], "moderator");
    let (status, _) = post_json(
        &bea,
        &format!("/api/v1/groups/{cafe_id}/members/{bea_id}/role"),
        &json!({ "role": "admin" }),
    )
    .await;
    assert_eq!(status, 403, "only admins change roles");
    let alice_id = {
        let (_, me) = alice.get("/api/v1/accounts/verify_credentials").await;
        me["id"].as_str().unwrap().to_owned()
    };
    let (status, _) = post_json(
        &alice,
        &format!("/api/v1/groups/{cafe_id}/members/{alice_id}/role"),
        &json!({ "role": "member" }),
    )
    .await;
    assert_eq!(status, 422, "a group keeps an admin");
    let (status, body) = post_json(&alice, &format!("/api/v1/groups/{cafe_id}/leave"), &json!({})).await;
    assert_eq!(status, 422, "its last admin cannot leave it: {body}");
    let (_, members) = alice.get(&format!("/api/v1/groups/{cafe_id}/members")).await;
    assert_eq!(members.as_array().unwrap().len(), 2, "{members}");
    post_json(
        &alice,
        &format!("/api/v1/groups/{cafe_id}/members/{bea_id}/role"),
        &json!({ "role": "admin" }),
    )
    .await;
    let (status, _) = post_json(&alice, &format!("/api/v1/groups/{cafe_id}/leave"), &json!({})).await;
    assert_eq!(status, 200, "with another admin, she can");
}
