//! Several nodes federating over real HTTP on localhost.

use crate::harness;

use harness::{client, eventually, has_uri, TestNode};
use serde_json::Value;

#[actix_web::test]
async fn follow_is_accepted_and_a_post_reaches_followers_on_two_nodes() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let c = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;

    let alice_on_b = bob.follow(&format!("alice@{}", a.domain)).await;
    carol.follow(&format!("alice@{}", a.domain)).await;
    eventually(30, "bob's follow accepted", || async {
        let (_, rel) = bob.get(&format!("/api/v1/accounts/relationships?id[]={alice_on_b}")).await;
        (rel[0]["following"] == true).then_some(())
    })
    .await;
    alice.wait_followers(2).await;

    let post = alice.post_status("Je prête ma tondeuse #jardin").await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    for (name, user) in [("bob", &bob), ("carol", &carol)] {
        let found = eventually(30, &format!("the post reaches {name}"), || async {
            let home = user.home().await;
            home.into_iter().find(|s| s["uri"] == uri.as_str())
        })
        .await;
        assert!(found["content"].as_str().unwrap().contains("tondeuse"), "{found}");
        assert_eq!(found["tags"][0]["name"], "jardin");
    }
}

#[actix_web::test]
async fn a_locked_account_approves_followers_by_hand() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let (status, body) = alice
        .send(reqwest::Method::PATCH, "/api/v1/accounts/update_credentials", &[("locked", "true")])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["locked"], true);

    let alice_on_b = bob.follow(&format!("alice@{}", a.domain)).await;
    let request = eventually(30, "the follow request arrives", || async {
        let (_, list) = alice.get("/api/v1/follow_requests").await;
        list.as_array().and_then(|l| l.first().cloned())
    })
    .await;
    let (_, rel) = bob.get(&format!("/api/v1/accounts/relationships?id[]={alice_on_b}")).await;
    assert_eq!(rel[0]["requested"], true);
    assert_eq!(rel[0]["following"], false);

    let (status, _) = alice
        .post(&format!("/api/v1/follow_requests/{}/authorize", request["id"].as_str().unwrap()), &[])
        .await;
    assert_eq!(status, 200);
    eventually(30, "bob's request accepted", || async {
        let (_, rel) = bob.get(&format!("/api/v1/accounts/relationships?id[]={alice_on_b}")).await;
        (rel[0]["following"] == true).then_some(())
    })
    .await;
}

#[actix_web::test]
async fn updates_and_deletes_propagate_and_leave_a_tombstone() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow(&format!("alice@{}", a.domain)).await;
    alice.wait_followers(1).await;
    let post = alice.post_status("Vélo à donner").await;
    let (id, uri) = (post["id"].as_str().unwrap().to_owned(), post["uri"].as_str().unwrap().to_owned());
    eventually(30, "post arrives", || async { has_uri(&bob.home().await, &uri).then_some(()) }).await;

    let (status, _) = alice
        .send(reqwest::Method::PUT, &format!("/api/v1/statuses/{id}"), &[("status", "Vélo donné, merci !")])
        .await;
    assert_eq!(status, 200);
    eventually(30, "the edit arrives", || async {
        let home = bob.home().await;
        home.iter()
            .find(|s| s["uri"] == uri.as_str())
            .filter(|s| s["content"].as_str().unwrap_or("").contains("donné, merci"))
            .map(|_| ())
    })
    .await;

    let (status, _) = alice.send(reqwest::Method::DELETE, &format!("/api/v1/statuses/{id}"), &[]).await;
    assert_eq!(status, 200);
    eventually(30, "the deletion arrives", || async { (!has_uri(&bob.home().await, &uri)).then_some(()) })
        .await;

    let response = client().get(&uri).header("Accept", "application/activity+json").send().await.unwrap();
    assert_eq!(response.status(), 410);
    let tombstone: Value = response.json().await.unwrap();
    assert_eq!(tombstone["type"], "Tombstone");
    assert_eq!(tombstone["id"], uri.as_str());
}

#[actix_web::test]
async fn unfollow_stops_delivery() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let alice_on_b = bob.follow(&format!("alice@{}", a.domain)).await;
    alice.wait_followers(1).await;
    let (status, _) = bob.post(&format!("/api/v1/accounts/{alice_on_b}/unfollow"), &[]).await;
    assert_eq!(status, 200);
    alice.wait_followers(0).await;
    let queued_before = a
        .with_db(|c| {
            maillage_db::deliveries::count_in_state(c, "pending").unwrap()
                + maillage_db::deliveries::count_in_state(c, "delivered").unwrap()
        })
        .await;
    let post = alice.post_status("Plus personne ne me suit").await;
    let queued_after = a
        .with_db(|c| {
            maillage_db::deliveries::count_in_state(c, "pending").unwrap()
                + maillage_db::deliveries::count_in_state(c, "delivered").unwrap()
        })
        .await;
    assert_eq!(queued_before, queued_after, "nothing is queued for a former follower");
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(!has_uri(&bob.home().await, post["uri"].as_str().unwrap()));
}

#[actix_web::test]
async fn the_territory_announces_local_posts_to_following_nodes() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let territory = bob.follow(&format!("territory@{}", a.domain)).await;
    let (_, account) = bob.get(&format!("/api/v1/accounts/{territory}")).await;
    assert_eq!(account["group"], true, "{account}");
    eventually(30, "territory follow accepted", || async {
        let (_, rel) = bob.get(&format!("/api/v1/accounts/relationships?id[]={territory}")).await;
        (rel[0]["following"] == true).then_some(())
    })
    .await;

    let post = alice.post_status("Atelier vélo samedi à la ressourcerie").await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    eventually(30, "the announced post reaches the other node", || async {
        let (_, public) = bob.get("/api/v1/timelines/public?remote=true").await;
        has_uri(public.as_array().map(Vec::as_slice).unwrap_or_default(), &uri).then_some(())
    })
    .await;
    // The post is stored when fetched, its Announce just after: wait for both.
    eventually(10, "the post arrived as the territory's Announce", || async {
        let uri = uri.clone();
        let boosted = b
            .with_db(move |c| {
                let post = maillage_db::posts::find_by_ap_id(c, &uri).unwrap().unwrap();
                maillage_db::interactions::count_announces(c, post.id).unwrap()
            })
            .await;
        (boosted == 1).then_some(())
    })
    .await;
}

#[actix_web::test]
async fn a_node_that_was_down_receives_what_was_posted_meanwhile() {
    let a = TestNode::start().await;
    let mut b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow(&format!("alice@{}", a.domain)).await;
    alice.wait_followers(1).await;

    b.stop().await;
    let post = alice.post_status("Pendant ta panne").await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    eventually(30, "a delivery attempt fails", || async {
        a.with_db(|c| {
            let rows = maillage_db::deliveries::count_in_state(c, "pending").unwrap();
            (rows > 0).then_some(())
        })
        .await
    })
    .await;
    b.restart().await;
    eventually(40, "the post arrives after the node is back", || async {
        has_uri(&bob.home().await, &uri).then_some(())
    })
    .await;
}

#[actix_web::test]
async fn a_restarted_sender_still_delivers_what_was_pending() {
    let mut a = TestNode::start().await;
    let mut b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow(&format!("alice@{}", a.domain)).await;
    alice.wait_followers(1).await;
    b.stop().await;
    let post = alice.post_status("Envoyé avant mon redémarrage").await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    a.stop().await;
    b.restart().await;
    a.restart().await;
    eventually(40, "the pending post is delivered by the restarted sender", || async {
        has_uri(&bob.home().await, &uri).then_some(())
    })
    .await;
}

#[actix_web::test]
async fn a_refused_follow_request_ends_on_both_sides() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    alice.send(reqwest::Method::PATCH, "/api/v1/accounts/update_credentials", &[("locked", "1")]).await;
    let alice_on_b = bob.follow(&format!("alice@{}", a.domain)).await;
    let request = eventually(30, "the request arrives", || async {
        let (_, list) = alice.get("/api/v1/follow_requests").await;
        list.as_array().and_then(|l| l.first().cloned())
    })
    .await;
    let (status, rel) =
        alice.post(&format!("/api/v1/follow_requests/{}/reject", request["id"].as_str().unwrap()), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(rel["followed_by"], false);
    eventually(30, "bob hears of the refusal", || async {
        let (_, rel) = bob.get(&format!("/api/v1/accounts/relationships?id[]={alice_on_b}")).await;
        (rel[0]["requested"] == false && rel[0]["following"] == false).then_some(())
    })
    .await;
    let (_, list) = alice.get("/api/v1/follow_requests").await;
    assert_eq!(list.as_array().unwrap().len(), 0);
}
