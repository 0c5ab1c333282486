//! Listings and sessions as Mastodon statuses (timelines, threads, edits),
//! bookmarks, markers, and the public-timeline preview setting.

use crate::harness;

use harness::{client, eventually, TestNode};
use reqwest::Method;
use serde_json::{json, Value};

fn offer_body(title: &str, visibility: &str) -> Value {
    json!({
        "kind": "offer", "category": "goods", "title": title,
        "description": "Une perceuse à percussion, avec ses mèches.", "tags": ["outils", "bricolage"],
        "place": { "name": "Atelier du Moulin", "lat": 44.0, "lon": 2.69 }, "radius_km": 15.0,
        "terms": { "mode": "loan" }, "visibility": visibility
    })
}

async fn anonymous(node: &TestNode, path: &str) -> (u16, Value) {
    let r = client().get(node.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn ids(list: &Value) -> Vec<String> {
    let items = list.as_array().unwrap_or_else(|| panic!("not a list: {list}"));
    items.iter().map(|s| s["id"].as_str().unwrap_or_else(|| panic!("no id in {list}")).to_owned()).collect()
}

#[actix_web::test]
async fn a_listing_is_a_status_in_timelines_with_its_own_rules() {
    let a = TestNode::start().await;
    let (alice, bob) = (a.user("alice").await, a.user("bob").await);
    bob.follow_accepted(&format!("alice@{}", a.domain)).await;
    let listing = alice.listing(&offer_body("Perceuse à prêter", "public")).await;
    let id = listing["id"].as_str().unwrap().to_owned();

    // The same id, readable text, in the follower's home timeline.
    let (status, seen) = bob.get(&format!("/api/v1/statuses/{id}")).await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["uri"], listing["uri"]);
    let content = seen["content"].as_str().unwrap();
    for fact in ["Perceuse à prêter", "Atelier du Moulin", "15 km", "#outils"] {
        assert!(content.contains(fact), "{fact} in {content}");
    }
    assert_eq!(seen["account"]["id"], alice.account_id);
    assert!(ids(&json!(bob.home().await)).contains(&id), "in the follower's home timeline");
    let (_, tagged) = anonymous(&a, "/api/v1/timelines/tag/outils").await;
    assert_eq!(ids(&tagged), vec![id.clone()], "a tag of the listing is a hashtag of its status");
    let (_, by_alice) = anonymous(&a, &format!("/api/v1/accounts/{}/statuses", alice.account_id)).await;
    assert!(ids(&by_alice).contains(&id));

    // A reply to it is in its thread; a status change shows in its text.
    let (_, answer) = bob
        .json(Method::POST, "/api/v1/statuses", &json!({ "status": "Dispo samedi ?", "in_reply_to_id": id }))
        .await;
    let (_, thread) = alice.get(&format!("/api/v1/statuses/{id}/context")).await;
    assert_eq!(ids(&thread["descendants"]), vec![answer["id"].as_str().unwrap().to_owned()]);
    let (status, _) = alice
        .json(Method::POST, &format!("/api/v1/listings/{id}/status"), &json!({ "status": "in_progress" }))
        .await;
    assert_eq!(status, 200);
    let (_, seen) = bob.get(&format!("/api/v1/statuses/{id}")).await;
    assert!(seen["content"].as_str().unwrap().contains("in_progress"), "{}", seen["content"]);

    // Apps cannot edit it as a note (its fields would be lost); deleting
    // the status deletes the listing.
    let (status, refused) =
        alice.json(Method::PUT, &format!("/api/v1/statuses/{id}"), &json!({ "status": "autre chose" })).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("/api/v1/listings/"), "{refused}");
    let (status, _) = bob.send(Method::DELETE, &format!("/api/v1/statuses/{id}"), &[]).await;
    assert_eq!(status, 404, "someone else's listing");
    let (status, _) = alice.send(Method::DELETE, &format!("/api/v1/statuses/{id}"), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(alice.get(&format!("/api/v1/listings/{id}")).await.0, 404, "the listing went with it");
    assert_eq!(bob.get(&format!("/api/v1/statuses/{id}")).await.0, 404);
    assert!(!ids(&json!(bob.home().await)).contains(&id));
}

#[actix_web::test]
async fn a_listing_status_keeps_the_listing_audience() {
    let a = TestNode::start().await;
    let (alice, bob) = (a.user("alice").await, a.user("bob").await);
    let territory = alice.listing(&offer_body("Remorque du quartier", "territory")).await;
    let private = alice.listing(&offer_body("Remorque en privé", "private")).await;
    let (t, p) = (territory["id"].as_str().unwrap(), private["id"].as_str().unwrap());

    assert_eq!(anonymous(&a, &format!("/api/v1/statuses/{t}")).await.0, 404, "territory: local people only");
    let (status, seen) = bob.get(&format!("/api/v1/statuses/{t}")).await;
    assert_eq!((status, seen["visibility"].clone()), (200, json!("private")), "{seen}");
    assert_eq!(bob.get(&format!("/api/v1/statuses/{p}")).await.0, 404, "private: its author only");
    assert_eq!(alice.get(&format!("/api/v1/statuses/{p}")).await.1["visibility"], "direct");
    let (_, public) = anonymous(&a, "/api/v1/timelines/public").await;
    assert!(ids(&public).is_empty(), "neither is public: {public}");
    assert_eq!(bob.post(&format!("/api/v1/statuses/{p}/favourite"), &[]).await.0, 404);
    assert_eq!(bob.post(&format!("/api/v1/statuses/{p}/bookmark"), &[]).await.0, 404);
}

#[actix_web::test]
async fn a_group_session_reaches_the_group_followers_home() {
    let a = TestNode::start().await;
    let (org, bob) = (a.user("org").await, a.user("bob").await);
    let (status, group) = org
        .json(
            Method::POST,
            "/api/v1/groups",
            &json!({ "username": "verger", "display_name": "Verger partagé", "kind": "initiative",
                     "description": "Greffer ensemble.", "join_policy": "open" }),
        )
        .await;
    assert_eq!(status, 200, "{group}");
    bob.follow_accepted(&format!("verger@{}", a.domain)).await;
    let (status, event) = org
        .json(
            Method::POST,
            "/api/v1/events",
            &json!({ "title": "Atelier greffe", "description": "Au verger.", "starts_at": "2027-03-14T14:00:00Z",
                     "place": { "name": "Verger de Broquiès", "lat": 44.0, "lon": 2.69 }, "capacity": 8,
                     "group_id": group["id"] }),
        )
        .await;
    assert_eq!(status, 200, "{event}");
    let home = bob.home().await;
    let shown =
        home.iter().find(|s| s["id"] == event["id"]).unwrap_or_else(|| panic!("not in home: {home:?}"));
    let content = shown["content"].as_str().unwrap();
    // 14:00 UTC is 15:00 in Paris, the organiser's zone.
    for fact in ["Atelier greffe", "14 mars 2027, 15:00 CET", "Verger de Broquiès", "8"] {
        assert!(content.contains(fact), "{fact} in {content}");
    }
    let (status, refused) =
        org.send(Method::DELETE, &format!("/api/v1/statuses/{}", event["id"].as_str().unwrap()), &[]).await;
    assert_eq!(status, 422, "{refused}");
}

#[actix_web::test]
async fn bookmarks_are_private_paged_and_checked() {
    let a = TestNode::start().await;
    let (alice, bob) = (a.user("alice").await, a.user("bob").await);
    let mut posted = Vec::new();
    for n in 0..3 {
        posted.push(alice.post_status(&format!("note {n}")).await["id"].as_str().unwrap().to_owned());
    }
    for id in &posted {
        let (status, s) = bob.post(&format!("/api/v1/statuses/{id}/bookmark"), &[]).await;
        assert_eq!((status, s["bookmarked"].clone()), (200, json!(true)), "{s}");
    }
    bob.post(&format!("/api/v1/statuses/{}/bookmark", posted[0]), &[]).await;
    let r = client().get(a.url("/api/v1/bookmarks?limit=2")).bearer_auth(&bob.token).send().await.unwrap();
    let link = r.headers().get("link").unwrap().to_str().unwrap().to_owned();
    let first: Value = r.json().await.unwrap();
    assert_eq!(ids(&first), vec![posted[2].clone(), posted[1].clone()], "last bookmarked first");
    let next = link.split(">; rel=\"next\"").next().unwrap().trim_start_matches('<').to_owned();
    let (_, rest) = bob.get(next.trim_start_matches(bob.base())).await;
    assert_eq!(ids(&rest), vec![posted[0].clone()], "the next page, by the Link header");
    assert_eq!(alice.get("/api/v1/bookmarks").await.1, json!([]), "bookmarks are per person");
    assert!(!alice.get(&format!("/api/v1/statuses/{}", posted[0])).await.1["bookmarked"].as_bool().unwrap());

    let (status, s) = bob.post(&format!("/api/v1/statuses/{}/unbookmark", posted[1]), &[]).await;
    assert_eq!((status, s["bookmarked"].clone()), (200, json!(false)));
    assert_eq!(ids(&bob.get("/api/v1/bookmarks").await.1), vec![posted[2].clone(), posted[0].clone()]);

    let (_, direct) = alice
        .json(Method::POST, "/api/v1/statuses", &json!({ "status": "rien que moi", "visibility": "direct" }))
        .await;
    let hidden = direct["id"].as_str().unwrap();
    assert_eq!(bob.post(&format!("/api/v1/statuses/{hidden}/bookmark"), &[]).await.0, 404);
    assert_eq!(bob.post("/api/v1/statuses/pas-un-id/bookmark", &[]).await.0, 404);
    let r = client().post(a.url(&format!("/api/v1/statuses/{}/bookmark", posted[0]))).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let reader = bob.with_token(a.token_with_scopes("bob", "read").await);
    assert_eq!(reader.post(&format!("/api/v1/statuses/{}/bookmark", posted[0]), &[]).await.0, 403);
}

#[actix_web::test]
async fn markers_keep_the_reading_position() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    assert_eq!(alice.get("/api/v1/markers?timeline[]=home").await, (200, json!({})));
    let (status, saved) = alice.post("/api/v1/markers", &[("home[last_read_id]", "1234")]).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        (saved["home"]["last_read_id"].clone(), saved["home"]["version"].clone()),
        (json!("1234"), json!(1))
    );
    let (status, saved) = alice
        .json(
            Method::POST,
            "/api/v1/markers",
            &json!({ "home": { "last_read_id": "1300" }, "notifications": { "last_read_id": 7 } }),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["home"]["version"], 2);
    let (_, both) =
        alice.get("/api/v1/markers?timeline[]=home&timeline[]=notifications&timeline[]=nothing").await;
    assert_eq!(both["home"]["last_read_id"], "1300");
    assert_eq!(both["notifications"]["last_read_id"], "7");
    assert_eq!(both.as_object().unwrap().len(), 2, "{both}");

    // A bad position is refused and nothing moves, not even the good one.
    let (status, err) = alice
        .post("/api/v1/markers", &[("notifications[last_read_id]", "9"), ("home[last_read_id]", "demain")])
        .await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"].as_str().unwrap().contains("home[last_read_id]"), "{err}");
    let (_, after) = alice.get("/api/v1/markers?timeline[]=notifications").await;
    assert_eq!(after["notifications"]["last_read_id"], "7");
    let (status, _) = alice.post_body("/api/v1/markers", "application/json", "{not json").await;
    assert_eq!(status, 422);
    assert_eq!(anonymous(&a, "/api/v1/markers?timeline[]=home").await.0, 401);
}

#[actix_web::test]
async fn the_public_timeline_preview_follows_the_node_setting() {
    let open = TestNode::start().await;
    let alice = open.user("alice").await;
    alice.post_status("bonjour #public").await;
    let app = open.app_token("read").await;
    for token in [None, Some(app.as_str())] {
        let mut r = client().get(open.url("/api/v1/timelines/public"));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let r = r.send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "with {token:?}");
    }
    let bad = client().get(open.url("/api/v1/timelines/public")).bearer_auth("nope").send().await.unwrap();
    assert_eq!(bad.status().as_u16(), 401, "an invalid token is still refused");

    let closed = TestNode::start_with(|c| c.instance.public_timeline_preview = false).await;
    let bea = closed.user("bea").await;
    bea.post_status("bonjour #public").await;
    let app = closed.app_token("read").await;
    for path in ["/api/v1/timelines/public", "/api/v1/timelines/tag/public"] {
        let (status, err) = anonymous(&closed, path).await;
        assert_eq!(status, 422, "{path}: {err}");
        assert_eq!(err["error"], "This method requires an authenticated user");
        let r = client().get(closed.url(path)).bearer_auth(&app).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 422, "an app token is nobody in particular");
        let (status, list) = bea.get(path).await;
        assert_eq!((status, list.as_array().unwrap().len()), (200, 1), "{path}");
    }
}

#[actix_web::test]
async fn followers_following_and_requests_are_paged_lists() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let mut fans = Vec::new();
    for name in ["ana", "ben", "cle"] {
        let fan = a.user(name).await;
        fan.follow_accepted(&format!("alice@{}", a.domain)).await;
        fans.push(fan);
    }
    let r = client()
        .get(a.url(&format!("/api/v1/accounts/{}/followers?limit=2", alice.account_id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().get("link").is_some(), "a Link header");
    let page: Value = r.json().await.unwrap();
    assert_eq!(ids(&page), vec![fans[2].account_id.clone(), fans[1].account_id.clone()], "newest first");
    let (_, following) = fans[0].get(&format!("/api/v1/accounts/{}/following", fans[0].account_id)).await;
    assert_eq!(ids(&following), vec![alice.account_id.clone()]);
    assert_eq!(anonymous(&a, "/api/v1/accounts/123/followers").await.0, 404);

    let (status, _) =
        alice.json(Method::PATCH, "/api/v1/accounts/update_credentials", &json!({ "locked": true })).await;
    assert_eq!(status, 200);
    let dan = a.user("dan").await;
    dan.follow(&format!("alice@{}", a.domain)).await;
    let (_, requests) = alice.get("/api/v1/follow_requests").await;
    assert_eq!(ids(&requests), vec![dan.account_id.clone()]);
    let (_, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["source"]["follow_requests_count"], 1);
    assert_eq!(alice.post("/api/v1/follow_requests/999/authorize", &[]).await.0, 404);
    let (status, rel) =
        alice.post(&format!("/api/v1/follow_requests/{}/authorize", dan.account_id), &[]).await;
    assert_eq!((status, rel["followed_by"].clone()), (200, json!(true)), "{rel}");
    eventually(10, "the request gone", || async {
        (alice.get("/api/v1/follow_requests").await.1 == json!([])).then_some(())
    })
    .await;
}

#[actix_web::test]
async fn older_account_endpoints_refuse_bad_input() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let (status, err) =
        alice.json(Method::PATCH, "/api/v1/accounts/update_credentials", &json!({ "display_name": 5 })).await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"].as_str().unwrap().contains("display_name"), "{err}");
    let long = "x".repeat(600);
    let (status, _) = alice
        .json(Method::PATCH, "/api/v1/accounts/update_credentials", &json!({ "note": long.repeat(20) }))
        .await;
    assert_eq!(status, 422, "a note far too long");
    let (_, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["display_name"], "", "nothing changed");
    let r = client()
        .patch(a.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&alice.token)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422, "a broken JSON body");

    let (status, rels) = alice
        .get(&format!("/api/v1/accounts/relationships?id[]=pas-un-id&id[]=42&id[]={}", bob.account_id))
        .await;
    assert_eq!(status, 200);
    assert_eq!(ids(&rels), vec![bob.account_id.clone()], "unknown ids are left out");
    assert_eq!(anonymous(&a, "/api/v1/accounts/relationships?id[]=1").await.0, 401);

    assert_eq!(alice.get("/api/v2/search").await.0, 400, "q is required");
    assert_eq!(alice.get("/api/v2/search?q=%20").await.0, 400);
    assert_eq!(alice.get("/api/v2/search?q=bob&limit=beaucoup").await.0, 400);
    let (_, found) = alice.get("/api/v2/search?q=bo&type=accounts").await;
    assert_eq!(ids(&found["accounts"]), vec![bob.account_id.clone()], "by username prefix");
    let (_, found) = alice.get("/api/v1/accounts/search?q=ali").await;
    assert_eq!(ids(&found), vec![alice.account_id.clone()]);
    assert_eq!(anonymous(&a, "/api/v1/accounts/search?q=ali").await.0, 401);
    alice.post_status("#Jardinage au potager").await;
    let (_, tags) = alice.get("/api/v2/search?q=%23jardin&type=hashtags").await;
    assert_eq!(tags["hashtags"][0]["name"], "jardinage", "{tags}");
    let (status, _) = alice.get(&format!("/api/v1/accounts/{}/statuses?limit=abc", alice.account_id)).await;
    assert_eq!(status, 400, "a limit that is not a number");
}
