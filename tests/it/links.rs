//! Territory links between real nodes: proposed by one admin, approved by
//! the other, carrying listings both ways until either side ends them;
//! through the API and through the `maillage` command.

use crate::common;
use crate::harness;

use harness::{eventually, stores_post, wait_queue_drained, TestNode, TestUser};
use reqwest::Method;
use serde_json::Value;

async fn link_with(user: &TestUser, partner: &TestNode) -> Option<Value> {
    let (status, links) = user.get("/api/v1/territory/links").await;
    assert_eq!(status, 200, "{links}");
    links.as_array().unwrap().iter().find(|l| l["partner"]["domain"] == partner.domain.as_str()).cloned()
}

async fn wait_state(user: &TestUser, partner: &TestNode, state: &str) -> Value {
    eventually(30, &format!("the link with {} {state}", partner.domain), || async {
        link_with(user, partner).await.filter(|l| l["state"] == state)
    })
    .await
}

/// Deliveries `from` queued for `to`'s host about `object` (its id in
/// the payload).
async fn deliveries_about(from: &TestNode, to: &TestNode, object: &str) -> i64 {
    let (host, needle) = (to.domain.clone(), format!("%{object}%"));
    from.with_db(move |c| {
        use diesel::prelude::*;
        use maillage_db::schema::deliveries;
        deliveries::table
            .filter(deliveries::host.eq(host))
            .filter(deliveries::payload.like(needle))
            .count()
            .get_result::<i64>(c)
            .unwrap()
    })
    .await
}

#[actix_web::test]
async fn a_link_proposed_and_approved_carries_listings_both_ways_until_ended() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let admin_a = a.admin("gaston").await;
    let admin_b = b.admin("louise").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;

    let (status, proposed) = admin_a.post("/api/v1/admin/territory/links", &[("domain", &b.domain)]).await;
    assert_eq!(status, 200, "{proposed}");
    assert_eq!(proposed["state"], "proposed");
    let requested = wait_state(&admin_b, &a, "requested").await;
    assert_eq!(requested["partner"]["name"], format!("Territoire {}", a.port));
    assert_eq!(requested["partner"]["centre"]["lat"], a.config.territory.latitude);
    assert_eq!(requested["level"], "full");
    let (status, refused) =
        bob.post(&format!("/api/v1/admin/territory/links/{}/approve", a.domain), &[]).await;
    assert_eq!(status, 403, "only an admin approves: {refused}");

    let (status, approved) =
        admin_b.post(&format!("/api/v1/admin/territory/links/{}/approve", a.domain), &[]).await;
    assert_eq!(status, 200, "{approved}");
    wait_state(&admin_b, &a, "active").await;
    wait_state(&admin_a, &b, "active").await;

    let from_a = alice.offer("Semis de tomates", 46.5, 2.4).await;
    let from_b = bob.offer("Grelinette à prêter", 46.6, 2.5).await;
    eventually(30, "each territory's listing reaches the other", || async {
        (bob.sees_remote_listing(from_a["uri"].as_str().unwrap()).await
            && alice.sees_remote_listing(from_b["uri"].as_str().unwrap()).await)
            .then_some(())
    })
    .await;

    let (status, ended) =
        admin_a.send(Method::DELETE, &format!("/api/v1/admin/territory/links/{}", b.domain), &[]).await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["state"], "ended");
    wait_state(&admin_b, &a, "ended").await;
    wait_queue_drained(&a).await;
    wait_queue_drained(&b).await;

    let after_b = bob.offer("Remorque à vélo", 46.6, 2.5).await;
    let after_a = alice.offer("Confitures", 46.5, 2.4).await;
    wait_queue_drained(&a).await;
    wait_queue_drained(&b).await;
    assert!(
        deliveries_about(&b, &a, from_b["uri"].as_str().unwrap()).await > 0,
        "B did send to A while linked"
    );
    assert_eq!(deliveries_about(&b, &a, after_b["uri"].as_str().unwrap()).await, 0, "B stops sending to A");
    assert_eq!(deliveries_about(&a, &b, after_a["uri"].as_str().unwrap()).await, 0, "and A to B");
    assert!(!alice.sees_remote_listing(after_b["uri"].as_str().unwrap()).await);

    let (status, missing) =
        admin_a.send(Method::DELETE, &format!("/api/v1/admin/territory/links/{}", b.domain), &[]).await;
    assert_eq!(status, 404, "an ended link cannot end twice: {missing}");
    let (status, bad) = admin_a.post("/api/v1/admin/territory/links", &[("domain", "not a domain")]).await;
    assert_eq!(status, 422, "{bad}");
    let (status, bad) = admin_a
        .post("/api/v1/admin/territory/links", &[("domain", &b.domain), ("level", "everything")])
        .await;
    assert_eq!(status, 422, "{bad}");
}

/// `maillage admin territory …` as an admin runs it beside a live server.
fn territory_cli(node: &TestNode, args: &[&str]) -> std::process::Output {
    let mut cmd = common::maillage(&node.db.url_string());
    cmd.env("MAILLAGE_DOMAIN", &node.domain).env("MAILLAGE_FEDERATION_DEBUG", "1");
    cmd.arg("admin").arg("territory").args(args);
    common::run(cmd, None)
}

#[actix_web::test]
async fn a_listings_link_made_with_the_command_line_carries_listings_but_not_posts() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let admin_b = b.admin("louise").await;

    let b_domain = b.domain.clone();
    let out = territory_cli(&a, &["link", &b_domain, "--level", "listings"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("proposed"), "{}", common::stdout(&out));
    wait_state(&admin_b, &a, "requested").await;
    let a_domain = a.domain.clone();
    let out = territory_cli(&b, &["approve", &a_domain]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    wait_state(&admin_b, &a, "active").await;
    let listed = territory_cli(&a, &["list"]);
    eventually(30, "the link active on A too", || async {
        let out = territory_cli(&a, &["list"]);
        common::stdout(&out).contains("active").then_some(())
    })
    .await;
    assert!(listed.status.success());

    let post = alice.post_status("Réunion publique jeudi").await;
    let listing = alice.offer("Plants de courges", 46.5, 2.4).await;
    eventually(30, "the listing reaches B", || async {
        bob.sees_remote_listing(listing["uri"].as_str().unwrap()).await.then_some(())
    })
    .await;
    wait_queue_drained(&a).await;
    assert!(!stores_post(&b, post["uri"].as_str().unwrap()).await, "a listings link carries no posts");

    let out = territory_cli(&a, &["unlink", "nowhere.example"]);
    assert_eq!(out.status.code(), Some(2), "an unknown link is refused: {}", common::stderr(&out));
    let out = territory_cli(&a, &["link", &b_domain, "--level", "everything"]);
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(common::stderr(&out).contains("link level"), "{}", common::stderr(&out));
}
