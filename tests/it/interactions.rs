//! Favourites, boosts, mentions, shared inboxes and dead servers across
//! nodes.

use crate::harness;

use std::time::Duration;

use harness::{eventually, has_uri, TestNode};
use maillage_core::time::Timestamp;

#[actix_web::test]
async fn favourites_and_boosts_reach_the_author() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow(&format!("alice@{}", a.domain)).await;
    alice.wait_followers(1).await;
    let post = alice.post_status("Qui veut des semis de tomates ?").await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    let remote = eventually(30, "post arrives", || async {
        bob.home().await.into_iter().find(|s| s["uri"] == uri.as_str())
    })
    .await;
    let remote_id = remote["id"].as_str().unwrap();
    let local_id = post["id"].as_str().unwrap().to_owned();
    assert_eq!(bob.post(&format!("/api/v1/statuses/{remote_id}/favourite"), &[]).await.0, 200);
    assert_eq!(bob.post(&format!("/api/v1/statuses/{remote_id}/reblog"), &[]).await.0, 200);
    eventually(30, "the like and the boost arrive", || async {
        let (_, s) = alice.get(&format!("/api/v1/statuses/{local_id}")).await;
        (s["favourites_count"] == 1 && s["reblogs_count"] == 1).then_some(())
    })
    .await;
    assert_eq!(bob.post(&format!("/api/v1/statuses/{remote_id}/unfavourite"), &[]).await.0, 200);
    assert_eq!(bob.post(&format!("/api/v1/statuses/{remote_id}/unreblog"), &[]).await.0, 200);
    eventually(30, "the undos arrive", || async {
        let (_, s) = alice.get(&format!("/api/v1/statuses/{local_id}")).await;
        (s["favourites_count"] == 0 && s["reblogs_count"] == 0).then_some(())
    })
    .await;
}

#[actix_web::test]
async fn a_mention_reaches_someone_who_does_not_follow() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    alice.resolve(&format!("bob@{}", b.domain)).await;
    let (status, post) = alice
        .post(
            "/api/v1/statuses",
            &[("status", &format!("@bob@{} ta perceuse est prête", b.domain)), ("visibility", "direct")],
        )
        .await;
    assert_eq!(status, 200, "{post}");
    assert_eq!(post["mentions"][0]["acct"], format!("bob@{}", b.domain));
    assert!(post["content"].as_str().unwrap().contains("u-url mention"), "{post}");
    let uri = post["uri"].as_str().unwrap().to_owned();
    let id = eventually(30, "the mention arrives", || async {
        let uri = uri.clone();
        b.with_db(move |c| maillage_db::posts::find_by_ap_id(c, &uri).unwrap().map(|p| p.id)).await
    })
    .await;
    let (status, seen) = bob.get(&format!("/api/v1/statuses/{id}")).await;
    assert_eq!(status, 200, "the mentioned person sees it");
    assert_eq!(seen["visibility"], "direct");
    let carol = b.user("carol").await;
    assert_eq!(carol.get(&format!("/api/v1/statuses/{id}")).await.0, 404, "nobody else does");
}

#[actix_web::test]
async fn followers_on_one_server_share_one_delivery() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    b.user("bob").await.follow(&format!("alice@{}", a.domain)).await;
    b.user("bea").await.follow(&format!("alice@{}", a.domain)).await;
    alice.wait_followers(2).await;
    let post = alice.post_status("Une seule livraison pour deux").await;
    let activity = format!("{}/activity", post["uri"].as_str().unwrap());
    let rows = a
        .with_db(move |c| {
            use diesel::prelude::*;
            use maillage_db::schema::deliveries;
            deliveries::table
                .filter(deliveries::activity_ap_id.eq(activity))
                .count()
                .get_result::<i64>(c)
                .unwrap()
        })
        .await;
    assert_eq!(rows, 1, "one delivery to the shared inbox");
}

#[actix_web::test]
async fn a_dead_server_is_skipped_then_revived_when_it_writes_again() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow(&format!("alice@{}", a.domain)).await;
    alice.wait_followers(1).await;

    // Let the Accept reach bob's server first: its success would revive
    // the server we are about to mark dead.
    eventually(30, "nothing left to deliver", || async {
        a.with_db(|c| (maillage_db::deliveries::count_in_state(c, "pending").unwrap() == 0).then_some(()))
            .await
    })
    .await;
    let host = b.domain.clone();
    a.with_db(move |c| {
        maillage_db::instances::record_failure(c, &host, Timestamp::now(), Duration::ZERO).unwrap();
    })
    .await;
    let post = alice.post_status("Pendant que ton serveur est marqué mort").await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    eventually(30, "the delivery is parked", || async {
        a.with_db(|c| {
            use diesel::prelude::*;
            use maillage_db::schema::deliveries;
            let errors: Vec<Option<String>> =
                deliveries::table.select(deliveries::last_error).load(c).unwrap();
            errors.iter().any(|e| e.as_deref() == Some("the host is marked dead")).then_some(())
        })
        .await
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(!has_uri(&bob.home().await, &uri), "nothing is sent to a dead server");

    // Bob's server writes to alice's: it is alive again, and what waited is sent.
    let fetched = bob.get(&format!("/api/v2/search?q={uri}&resolve=true&type=statuses")).await.1;
    let remote_id = fetched["statuses"][0]["id"].as_str().expect("the post can be fetched").to_owned();
    assert_eq!(bob.post(&format!("/api/v1/statuses/{remote_id}/favourite"), &[]).await.0, 200);
    let host = b.domain.clone();
    eventually(30, "the server is revived", || async {
        let host = host.clone();
        a.with_db(move |c| {
            maillage_db::instances::find(c, &host).unwrap().filter(|i| i.dead_since.is_none()).map(|_| ())
        })
        .await
    })
    .await;
    eventually(30, "the parked post is delivered", || async {
        a.with_db(|c| (maillage_db::deliveries::count_in_state(c, "pending").unwrap() == 0).then_some(()))
            .await
    })
    .await;
}
