//! Wire formats read the same everywhere, checked with other projects'
//! code from PyPI (installed by `scripts/test` in the virtualenv named by
//! `MAILLAGE_PYTHON`; without it these tests fail rather than skip):
//! - every activity Maillage sends, and the objects and actors it serves,
//!   expanded by PyLD (`tests/clients/jsonld_terms.py`): no term may
//!   expand to a blank node;
//! - the example objects of fediverse-pasture-inputs and the cases of
//!   funfedi-parsing-test-cases (`tests/clients/wire_cases.py`), delivered
//!   signed to a node's inbox: each is shown through the Mastodon API with
//!   its mentions and hashtags, except the kinds FEDERATION.md lists under
//!   "What Maillage does not show".

use crate::harness;

mod wire_cases;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use harness::{client, eventually, wait_queue_drained, TestNode, TestUser};
use serde_json::{json, Value};

fn python() -> PathBuf {
    let path = std::env::var("MAILLAGE_PYTHON").unwrap_or_else(|_| {
        panic!("MAILLAGE_PYTHON is not set: run scripts/test, which installs PyLD and the suites in a virtualenv")
    });
    PathBuf::from(path)
}

/// Runs `tests/clients/<script>` with `args` off the async runtime (the
/// nodes run on it) and parses what it prints.
pub(crate) async fn run_script(script: &str, args: Vec<String>) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients").join(script);
    let out =
        tokio::task::spawn_blocking(move || Command::new(python()).arg(path).args(args).output().unwrap())
            .await
            .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{script} failed: {}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{script} printed no JSON ({e}): {stdout}"))
}

/// Each activity `node` queued for delivery, once.
async fn sent_by(node: &TestNode) -> Vec<Value> {
    let payloads: Vec<String> = node
        .with_db(|c| {
            use diesel::prelude::*;
            use maillage_db::schema::deliveries;
            deliveries::table.select(deliveries::payload).order(deliveries::id).load(c).unwrap()
        })
        .await;
    let mut seen = std::collections::HashSet::new();
    payloads
        .into_iter()
        .map(|p| serde_json::from_str::<Value>(&p).unwrap())
        .filter(|a| seen.insert(a["id"].to_string()))
        .collect()
}

/// What a document is, for a failure message: `Undo(Like)`,
/// `Create(Note)`, `Announce`.
fn kind_of(doc: &Value) -> String {
    let kind = doc["type"].as_str().unwrap_or("?");
    match doc["object"]["type"].as_str() {
        Some(inner) => format!("{kind}({inner})"),
        None => kind.to_owned(),
    }
}

/// The ActivityPub document at `url`, as another server fetches it.
async fn fetch_ap(url: &str) -> Value {
    let r = client().get(url).header("Accept", "application/activity+json").send().await.unwrap();
    r.json().await.unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

/// Expands each `(label, document)` with PyLD; returns the problems found,
/// by label.
async fn blank_node_terms(documents: Vec<(String, Value)>) -> BTreeMap<String, Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("documents.json");
    let list: Vec<Value> =
        documents.into_iter().map(|(label, d)| json!({ "label": label, "document": d })).collect();
    std::fs::write(&file, serde_json::to_string(&list).unwrap()).unwrap();
    let report = run_script("jsonld_terms.py", vec![file.display().to_string()]).await;
    report
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let problems = r["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned());
            (r["label"].as_str().unwrap().to_owned(), problems.collect())
        })
        .collect()
}

fn labelled(node: &str, docs: &[Value]) -> Vec<(String, Value)> {
    docs.iter().map(|d| (format!("{} sent by {node}: {}", kind_of(d), d["id"]), d.clone())).collect()
}

fn assert_no_problems(what: &str, problems: &BTreeMap<String, Vec<String>>) {
    let listed: Vec<String> =
        problems.iter().map(|(label, p)| format!("{label}\n    {}", p.join("\n    "))).collect();
    assert!(problems.is_empty(), "{what}: terms a JSON-LD processor cannot read:\n{}", listed.join("\n"));
}

async fn post_json(user: &TestUser, path: &str, body: &Value) -> Value {
    let (status, answer) = user.json(reqwest::Method::POST, path, body).await;
    assert_eq!(status, 200, "POST {path}: {answer}");
    answer
}

#[actix_web::test]
async fn every_activity_and_object_but_listings_and_sessions_expands_without_blank_node_terms() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    // Follow and Accept both ways; territory and group follows.
    bob.follow_accepted(&format!("alice@{}", a.domain)).await;
    alice.follow_accepted(&format!("bob@{}", b.domain)).await;
    bob.follow_accepted(&format!("territory@{}", a.domain)).await;
    let group = post_json(
        &alice,
        "/api/v1/groups",
        &json!({ "username": "atelier", "display_name": "Atelier", "kind": "initiative",
                 "description": "Réparer ensemble.", "join_policy": "open" }),
    )
    .await;
    let group_on_b = bob.follow_accepted(&format!("atelier@{}", a.domain)).await;
    post_json(&bob, &format!("/api/v1/groups/{group_on_b}/join"), &json!({})).await;

    // A post with a mention and a hashtag; edited, liked, boosted, undone, deleted.
    let post = alice.post_status(&format!("Bonjour @bob@{} #jardin", b.domain)).await;
    let (post_id, post_uri) =
        (post["id"].as_str().unwrap().to_owned(), post["uri"].as_str().unwrap().to_owned());
    let on_b = eventually(30, "the post reaches bob", || async {
        bob.home().await.into_iter().find(|s| s["uri"] == post_uri.as_str())
    })
    .await;
    let on_b = on_b["id"].as_str().unwrap().to_owned();
    let (status, _) = alice
        .send(reqwest::Method::PUT, &format!("/api/v1/statuses/{post_id}"), &[("status", "Bonjour #jardin")])
        .await;
    assert_eq!(status, 200);
    for action in ["favourite", "reblog", "unfavourite", "unreblog"] {
        let (status, body) = bob.post(&format!("/api/v1/statuses/{on_b}/{action}"), &[]).await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    let reply = bob.post("/api/v1/statuses", &[("status", "Merci !"), ("in_reply_to_id", &on_b)]).await;
    assert_eq!(reply.0, 200, "{}", reply.1);
    // A post in the group, which the group announces to its followers.
    alice.post_status("Atelier ouvert samedi avec @atelier").await;

    // A profile change, then the post deleted and an unfollow.
    let (status, _) = alice
        .send(reqwest::Method::PATCH, "/api/v1/accounts/update_credentials", &[("display_name", "Alice B.")])
        .await;
    assert_eq!(status, 200);
    let (status, _) = alice.send(reqwest::Method::DELETE, &format!("/api/v1/statuses/{post_id}"), &[]).await;
    assert_eq!(status, 200);
    let alice_on_b = bob.resolve(&format!("alice@{}", a.domain)).await;
    bob.post(&format!("/api/v1/accounts/{alice_on_b}/unfollow"), &[]).await;
    wait_queue_drained(&a).await;
    wait_queue_drained(&b).await;

    let (sent_a, sent_b) = (sent_by(&a).await, sent_by(&b).await);
    let kinds: std::collections::BTreeSet<String> = sent_a.iter().chain(&sent_b).map(kind_of).collect();
    for expected in [
        "Follow",
        "Accept(Follow)",
        "Create(Note)",
        "Update(Note)",
        "Delete(Tombstone)",
        "Like",
        "Announce",
        "Undo(Like)",
        "Undo(Announce)",
        "Undo(Follow)",
        "Join",
        "Update(Person)",
    ] {
        assert!(kinds.contains(expected), "the scenario sends {expected}; it sent {kinds:?}");
    }
    let mut documents = labelled("a", &sent_a);
    documents.extend(labelled("b", &sent_b));
    for url in [
        a.url("/users/alice"),
        b.url("/users/bob"),
        a.url("/users/territory"),
        a.url("/users/atelier"),
        a.url("/users/alice/followers"),
        a.url("/users/alice/outbox"),
        post_uri.clone(),
        reply.1["uri"].as_str().unwrap().to_owned(),
    ] {
        let doc = fetch_ap(&url).await;
        documents.push((format!("GET {url} ({})", kind_of(&doc)), doc));
    }
    let _ = group;
    assert_no_problems(
        "activities and objects of notes, follows and groups",
        &blank_node_terms(documents).await,
    );
}

fn listing(title: &str) -> Value {
    json!({
        "kind": "offer", "category": "spaces_machines", "title": title,
        "description": "Une **bétonnière** électrique de 140 L.", "tags": ["chantier"],
        "place": { "name": "Saint-Affrique", "address": "2 rue de la Gare", "lat": 43.9585, "lon": 2.8869 },
        "radius_km": 15.0, "available_from": "2026-12-01T08:00:00Z", "available_until": "2027-01-31T18:00:00Z",
        "quantity": { "amount": 1.0, "unit": "machine" }, "terms": { "mode": "time_credit", "hours": 2.5 },
        "visibility": "public"
    })
}

/// KNOWN FAILING until the typed listing and session builders (branch
/// h-apub) are merged: the Create and Update of a listing or a session
/// carry the generic `@context`, so `purpose`, `category`, `exchange`,
/// `radiusKm`… (listings) and `joinMode`, `maximumAttendeeCapacity`…
/// (sessions) expand to blank nodes, while GET of the same object reads
/// right. Kept apart from the test above so that the rest stays guarded
/// meanwhile; do not weaken it.
#[actix_web::test]
async fn listing_and_session_activities_carry_the_terms_of_their_object() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow_accepted(&format!("territory@{}", a.domain)).await;
    bob.follow_accepted(&format!("alice@{}", a.domain)).await;
    // A session, joined and left from the other node.
    let event = post_json(
        &alice,
        "/api/v1/events",
        &json!({ "title": "Atelier compost", "starts_at": "2027-04-01T09:00:00Z", "capacity": 12,
                 "place": { "name": "Jardin partagé", "lat": 43.95, "lon": 2.88 } }),
    )
    .await;
    let event_uri = event["uri"].as_str().unwrap().to_owned();
    let event_on_b = eventually(30, "the session reaches bob's node", || async {
        let uri = event_uri.clone();
        b.with_db(move |c| maillage_db::sessions::find_by_ap_id(c, &uri).unwrap().map(|s| s.id.to_string()))
            .await
    })
    .await;
    post_json(&bob, &format!("/api/v1/events/{event_on_b}/join"), &json!({})).await;
    eventually(30, "bob has a place", || async {
        let (_, shown) = alice.get(&format!("/api/v1/events/{}", event["id"].as_str().unwrap())).await;
        (shown["participants_count"] == 1).then_some(())
    })
    .await;
    post_json(&bob, &format!("/api/v1/events/{event_on_b}/leave"), &json!({})).await;

    let created = alice.listing(&listing("Bétonnière à prêter")).await;
    let (id, uri) = (created["id"].as_str().unwrap().to_owned(), created["uri"].as_str().unwrap().to_owned());
    let on_b = eventually(30, "the listing reaches bob's node", || async {
        let (_, list) = bob.get("/api/v1/listings?origin=remote&status=open").await;
        list.as_array().into_iter().flatten().find(|l| l["uri"] == uri.as_str()).cloned()
    })
    .await;
    let (status, body) = alice
        .json(
            reqwest::Method::PATCH,
            &format!("/api/v1/listings/{id}"),
            &json!({ "title": "Bétonnière 140 L" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    post_json(
        &bob,
        &format!("/api/v1/listings/{}/interest", on_b["id"].as_str().unwrap()),
        &json!({ "message": "Samedi ?" }),
    )
    .await;
    let offer = eventually(30, "the offer reaches alice", || async {
        let (_, list) = alice.get("/api/v1/agreements").await;
        list.as_array().and_then(|l| l.first().cloned())
    })
    .await;
    post_json(&alice, &format!("/api/v1/agreements/{}/accept", offer["id"].as_str().unwrap()), &json!({}))
        .await;
    let gone = alice.listing(&listing("Remorque")).await;
    let (status, body) = alice
        .json(
            reqwest::Method::DELETE,
            &format!("/api/v1/listings/{}", gone["id"].as_str().unwrap()),
            &json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    wait_queue_drained(&a).await;
    wait_queue_drained(&b).await;

    let (sent_a, sent_b) = (sent_by(&a).await, sent_by(&b).await);
    let mut documents = labelled("a", &sent_a);
    documents.extend(labelled("b", &sent_b));
    for url in [uri.clone(), event_uri.clone()] {
        let doc = fetch_ap(&url).await;
        documents.push((format!("GET {url} ({})", kind_of(&doc)), doc));
    }
    let kinds: std::collections::BTreeSet<String> = documents.iter().map(|(_, d)| kind_of(d)).collect();
    for expected in [
        "Create(Note)",
        "Update(Note)",
        "Offer(Agreement)",
        "Accept(Offer)",
        "Delete(Tombstone)",
        "Create(Event)",
        "Join",
        "Accept(Join)",
        "Leave",
    ] {
        assert!(kinds.contains(expected), "the scenario sends {expected}; it sent {kinds:?}");
    }
    assert_no_problems("listings, sessions and agreements", &blank_node_terms(documents).await);
}
