//! How other servers find and read a node: WebFinger, host-meta, NodeInfo,
//! actor documents, content negotiation and collections.

use crate::harness;

use harness::{client, TestNode};
use serde_json::Value;

async fn get_json(url: &str, accept: &str) -> (u16, String, Value) {
    let r = client().get(url).header("Accept", accept).send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, ct, r.json().await.unwrap_or(Value::Null))
}

#[actix_web::test]
async fn webfinger_finds_people_the_territory_and_the_instance_actor() {
    let a = TestNode::start().await;
    a.user("alice").await;
    for (resource, href) in [
        (format!("acct:alice@{}", a.domain), a.url("/users/alice")),
        (format!("alice@{}", a.domain), a.url("/users/alice")),
        (format!("acct:territory@{}", a.domain), a.url("/users/territory")),
        (a.url("/users/alice"), a.url("/users/alice")),
        (format!("acct:{0}@{0}", a.domain), a.url("/actor")),
    ] {
        let (status, ct, jrd) =
            get_json(&a.url(&format!("/.well-known/webfinger?resource={resource}")), "*/*").await;
        assert_eq!(status, 200, "{resource}");
        assert!(ct.starts_with("application/jrd+json"), "{ct}");
        let link = jrd["links"].as_array().unwrap().iter().find(|l| l["rel"] == "self").unwrap();
        assert_eq!(link["href"], href.as_str(), "{resource}");
        assert_eq!(link["type"], "application/activity+json");
    }
    for missing in [format!("acct:nobody@{}", a.domain), "acct:alice@other.example".to_owned()] {
        let (status, _, _) =
            get_json(&a.url(&format!("/.well-known/webfinger?resource={missing}")), "*/*").await;
        assert_eq!(status, 404, "{missing}");
    }
    let (status, _, _) = get_json(&a.url("/.well-known/webfinger"), "*/*").await;
    assert_eq!(status, 400);
}

#[actix_web::test]
async fn actors_carry_what_mastodon_reads_and_no_private_key() {
    let a = TestNode::start().await;
    a.user("alice").await;
    for accept in [
        "application/activity+json",
        "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
    ] {
        let (status, ct, actor) = get_json(&a.url("/users/alice"), accept).await;
        assert_eq!(status, 200);
        assert!(ct.starts_with("application/activity+json"), "{ct}");
        for key in [
            "preferredUsername",
            "name",
            "summary",
            "inbox",
            "outbox",
            "followers",
            "following",
            "publicKey",
            "manuallyApprovesFollowers",
            "url",
            "published",
        ] {
            assert!(actor.get(key).is_some(), "actor lacks {key}: {actor}");
        }
        assert_eq!(actor["type"], "Person");
        assert_eq!(actor["endpoints"]["sharedInbox"], a.url("/inbox"));
        assert!(actor["publicKey"]["publicKeyPem"].as_str().unwrap().starts_with("-----BEGIN PUBLIC KEY"));
        assert!(!actor.to_string().contains("PRIVATE KEY"));
    }
    let (_, _, territory) = get_json(&a.url("/users/territory"), "application/activity+json").await;
    assert_eq!(territory["type"], "Group");
    let (_, _, instance) = get_json(&a.url("/actor"), "application/activity+json").await;
    assert_eq!(instance["type"], "Application");

    let page = client().get(a.url("/users/alice")).header("Accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(page.text().await.unwrap().contains("@alice@"));
    assert_eq!(client().get(a.url("/users/nobody")).send().await.unwrap().status(), 404);
}

#[actix_web::test]
async fn nodeinfo_and_host_meta_describe_the_node() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    alice.post_status("Bonjour le territoire").await;
    let (status, _, links) = get_json(&a.url("/.well-known/nodeinfo"), "*/*").await;
    assert_eq!(status, 200);
    let rels: Vec<&str> =
        links["links"].as_array().unwrap().iter().map(|l| l["rel"].as_str().unwrap()).collect();
    assert!(rels.contains(&"http://nodeinfo.diaspora.software/ns/schema/2.1"));
    assert!(rels.contains(&"https://www.w3.org/ns/activitystreams#Application"), "FEP-2677 link");
    let (status, _, info) = get_json(&a.url("/nodeinfo/2.1"), "*/*").await;
    assert_eq!(status, 200);
    assert_eq!(info["software"]["name"], "maillage");
    assert_eq!(info["protocols"][0], "activitypub");
    assert_eq!(info["usage"]["users"]["total"], 1);
    assert_eq!(info["usage"]["localPosts"], 1);
    assert_eq!(info["metadata"]["territory"]["name"], a.config.territory.name.as_str());
    assert!(info["metadata"]["territory"]["latitude"].is_number());

    let xrd = client().get(a.url("/.well-known/host-meta")).send().await.unwrap().text().await.unwrap();
    assert!(xrd.contains(&format!("{}/.well-known/webfinger?resource={{uri}}", a.base)), "{xrd}");
}

#[actix_web::test]
async fn collections_are_paged_with_their_totals() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    a.user("bruno").await.follow(&format!("alice@{}", a.domain)).await;
    for i in 0..25 {
        alice.post_status(&format!("message {i}")).await;
    }
    let (_, ct, outbox) = get_json(&a.url("/users/alice/outbox"), "application/activity+json").await;
    assert!(ct.starts_with("application/activity+json"));
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["totalItems"], 25);
    let (_, _, first) = get_json(outbox["first"].as_str().unwrap(), "application/activity+json").await;
    assert_eq!(first["type"], "OrderedCollectionPage");
    let items = first["orderedItems"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    assert_eq!(items[0]["type"], "Create");
    assert!(items[0]["object"]["content"].as_str().unwrap().contains("message 24"), "newest first");
    let (_, _, second) = get_json(first["next"].as_str().unwrap(), "application/activity+json").await;
    assert_eq!(second["orderedItems"].as_array().unwrap().len(), 5);

    let (_, _, followers) = get_json(&a.url("/users/alice/followers"), "application/activity+json").await;
    assert_eq!(followers["totalItems"], 1);
    let (_, _, page) = get_json(followers["first"].as_str().unwrap(), "application/activity+json").await;
    assert_eq!(page["orderedItems"][0], a.url("/users/bruno"));
    let (_, _, following) = get_json(&a.url("/users/bruno/following"), "application/activity+json").await;
    assert_eq!(following["totalItems"], 1);
}

#[actix_web::test]
async fn posts_negotiate_and_private_ones_are_not_served() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let public = alice.post_status("Public **gras** #velo").await;
    let (status, _, note) = get_json(public["uri"].as_str().unwrap(), "application/activity+json").await;
    assert_eq!(status, 200);
    assert_eq!(note["type"], "Note");
    assert!(note["content"].as_str().unwrap().contains("<strong>gras</strong>"));
    assert_eq!(note["tag"][0]["type"], "Hashtag");
    assert_eq!(note["source"]["mediaType"], "text/markdown");
    let ctx = note["@context"].as_array().unwrap();
    assert_eq!(ctx[0], "https://www.w3.org/ns/activitystreams");
    assert_eq!(ctx[1], "https://w3id.org/security/v1");
    assert!(ctx.len() == 3 && ctx[2].is_object(), "only the AS and security contexts, plus inline terms");

    let (status, private) =
        alice.post("/api/v1/statuses", &[("status", "pour mes abonnés"), ("visibility", "followers")]).await;
    assert_eq!(status, 200);
    let (status, _, _) = get_json(private["uri"].as_str().unwrap(), "application/activity+json").await;
    assert_eq!(status, 404);
}

#[actix_web::test]
async fn the_native_api_is_described_in_openapi() {
    let a = TestNode::start().await;
    let (status, _, doc) = get_json(&a.url("/api/openapi.json"), "application/json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/listings",
        "/api/v1/listings/{id}",
        "/api/v1/listings/{id}/status",
        "/api/v1/listings/{id}/interest",
        "/api/v1/agreements",
        "/api/v1/agreements/{id}/accept",
        "/api/v1/groups",
        "/api/v1/groups/{id}/join",
        "/api/v1/groups/{id}/members",
        "/api/v1/events",
        "/api/v1/events/{id}/join",
        "/api/v1/events/{id}/participants",
        "/api/v1/territory/links",
        "/api/v1/matches",
        "/api/v1/matches/{id}/respond",
        "/api/v1/matches/preferences",
        "/api/v1/groups/{id}/members/{member}/mediator",
        "/api/v1/groups/{id}/pairings",
        "/api/v1/groups/{id}/pairings/{pairing}/approve",
        "/api/v1/groups/{id}/pairings/{pairing}/reject",
        "/api/v1/admin/territory/links",
        "/api/v1/admin/territory/links/{partner}/approve",
        "/api/v1/admin/federation",
        "/api/v1/admin/content_filters",
        "/api/v1/admin/domain_blocks/import",
        "/api/v1/admin/domain_blocks/export",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    // Every reference points at a defined schema or response.
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"").skip(1).map(|r| r.split('"').next().unwrap()) {
        let pointer = reference.trim_start_matches('#');
        assert!(doc.pointer(pointer).is_some(), "dangling reference {reference}");
    }
}
