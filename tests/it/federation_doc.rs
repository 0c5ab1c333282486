//! FEDERATION.md shows JSON examples of what Maillage serves and sends; this
//! test checks each against real output, shape for shape (same keys, same
//! value types, same `type`), so that the document cannot drift.

use crate::harness;

use harness::{client, eventually, TestNode};
use serde_json::{Map, Value};

/// The JSON blocks of FEDERATION.md, by the name given after ```json.
fn documented() -> Map<String, Value> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/FEDERATION.md")).unwrap();
    let mut out = Map::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(name) = line.strip_prefix("```json ") {
            let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            let value: Value =
                serde_json::from_str(&block.join("\n")).unwrap_or_else(|e| panic!("example {name}: {e}"));
            out.insert(name.trim().to_owned(), value);
        }
    }
    out
}

/// The shape of a value: its keys and the JSON type of each leaf; lists by
/// their first element; `type` kept as is.
fn shape(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let s = if k == "type" { v.clone() } else { shape(v) };
                    (k.clone(), s)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.first().map(shape).into_iter().collect()),
        Value::String(_) => Value::String("string".into()),
        Value::Number(_) => Value::String("number".into()),
        Value::Bool(_) => Value::String("bool".into()),
        Value::Null => Value::Null,
    }
}

async fn get(url: &str) -> Value {
    client()
        .get(url)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn queued_where(node: &TestNode, keep: fn(&Value) -> bool) -> Value {
    node.with_db(move |c| {
        use diesel::prelude::*;
        use maillage_db::schema::deliveries;
        let payloads: Vec<String> =
            deliveries::table.order(deliveries::id.asc()).select(deliveries::payload).load(c).unwrap();
        payloads.iter().map(|p| serde_json::from_str::<Value>(p).unwrap()).find(keep).unwrap_or(Value::Null)
    })
    .await
}

async fn queued(node: &TestNode, kind: &'static str) -> Value {
    node.with_db(move |c| {
        use diesel::prelude::*;
        use maillage_db::schema::deliveries;
        let payloads: Vec<String> =
            deliveries::table.order(deliveries::id.asc()).select(deliveries::payload).load(c).unwrap();
        payloads
            .iter()
            .map(|p| serde_json::from_str::<Value>(p).unwrap())
            .find(|v| v["type"] == kind)
            .unwrap_or(Value::Null)
    })
    .await
}

#[actix_web::test]
async fn the_examples_of_federation_md_match_real_output() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow(&format!("alice@{}", a.domain)).await;
    let territory = bob.follow(&format!("territory@{}", a.domain)).await;
    eventually(30, "follows accepted", || async {
        let (_, me) = alice.get("/api/v1/accounts/verify_credentials").await;
        let (_, rel) = bob.get(&format!("/api/v1/accounts/relationships?id[]={territory}")).await;
        (me["followers_count"] == 1 && rel[0]["following"] == true).then_some(())
    })
    .await;
    let post = alice.post_status("Je prête ma **tondeuse** #jardin").await;
    let id = post["id"].as_str().unwrap().to_owned();
    let (_, _) = alice.send(reqwest::Method::DELETE, &format!("/api/v1/statuses/{id}"), &[]).await;
    let second = alice.post_status("Atelier vélo samedi #velo").await;
    let listing: Value = client()
        .post(a.url("/api/v1/listings"))
        .bearer_auth(&alice.token)
        .json(&serde_json::json!({
            "kind": "offer", "category": "spaces_machines", "title": "Bétonnière à prêter",
            "description": "Une **bétonnière** électrique de 140 L.", "tags": ["chantier"],
            "place": { "name": "Saint-Affrique", "address": "2 rue de la Gare", "lat": 43.9585, "lon": 2.8869 },
            "radius_km": 15.0, "available_from": "2026-12-01T08:00:00Z", "available_until": "2027-01-31T18:00:00Z",
            "quantity": { "amount": 1.0, "unit": "machine" }, "terms": { "mode": "time_credit", "hours": 2.5 }
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // A group, a listing published in it, a session, bob's Join and his
    // interest in alice's listing.
    let group: Value = client()
        .post(a.url("/api/v1/groups"))
        .bearer_auth(&alice.token)
        .json(
            &serde_json::json!({ "username": "atelier", "display_name": "Atelier partagé", "kind": "project",
            "project_status": "active", "join_policy": "approval" }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let group_on_b = bob.follow_accepted(&format!("atelier@{}", a.domain)).await;
    client()
        .post(a.url("/api/v1/listings"))
        .bearer_auth(&alice.token)
        .json(&serde_json::json!({ "kind": "need", "category": "goods", "title": "Cherche un établi",
            "terms": { "mode": "gift" }, "group_id": group["id"] }))
        .send()
        .await
        .unwrap();
    let event: Value = client()
        .post(a.url("/api/v1/events"))
        .bearer_auth(&alice.token)
        .json(&serde_json::json!({ "title": "Apprendre à souder", "starts_at": "2027-02-06T14:00:00Z",
            "ends_at": "2027-02-06T17:00:00Z", "timezone": "Europe/Paris", "capacity": 8,
            "place": { "name": "Atelier", "address": "1 place du Foirail", "lat": 43.95, "lon": 2.88 } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    bob.post(&format!("/api/v1/groups/{group_on_b}/join"), &[]).await;
    let listing_on_b = eventually(30, "the listing reaches bob's node", || async {
        let (_, list) = bob.get("/api/v1/listings?origin=remote").await;
        list.as_array().and_then(|l| l.iter().find(|x| x["uri"] == listing["uri"]).cloned())
    })
    .await;
    bob.post(
        &format!("/api/v1/listings/{}/interest", listing_on_b["id"].as_str().unwrap()),
        &[("message", "Intéressé")],
    )
    .await;

    let mut real = Map::new();
    real.insert("event".into(), get(event["uri"].as_str().unwrap()).await);
    real.insert("offer-agreement".into(), queued(&b, "Offer").await);
    real.insert("join".into(), queued(&b, "Join").await);
    real.insert(
        "group-announce".into(),
        queued_where(&a, |v| v["type"] == "Announce" && v["object"].is_object()).await,
    );
    real.insert("person".into(), get(&a.url("/users/alice")).await);
    real.insert("territory".into(), get(&a.url("/users/territory")).await);
    real.insert("instance-actor".into(), get(&a.url("/actor")).await);
    real.insert("note".into(), get(second["uri"].as_str().unwrap()).await);
    real.insert("tombstone".into(), get(post["uri"].as_str().unwrap()).await);
    real.insert("listing".into(), get(listing["uri"].as_str().unwrap()).await);
    real.insert(
        "webfinger".into(),
        get(&a.url(&format!("/.well-known/webfinger?resource=acct:alice@{}", a.domain))).await,
    );
    real.insert("nodeinfo".into(), get(&a.url("/nodeinfo/2.1")).await);
    real.insert("follow".into(), queued(&b, "Follow").await);
    real.insert("accept".into(), queued(&a, "Accept").await);
    real.insert("create".into(), queued(&a, "Create").await);
    real.insert("announce".into(), queued(&a, "Announce").await);
    real.insert("delete".into(), queued(&a, "Delete").await);

    if std::env::var("MAILLAGE_DUMP_FEDERATION_EXAMPLES").is_ok() {
        println!("{}", serde_json::to_string_pretty(&Value::Object(real.clone())).unwrap());
    }
    let docs = documented();
    for (name, value) in &real {
        assert!(!value.is_null(), "no real output for {name}");
        let example = docs.get(name).unwrap_or_else(|| panic!("FEDERATION.md has no ```json {name} example"));
        assert_eq!(
            shape(example),
            shape(value),
            "the {name} example differs from real output:\n{}",
            serde_json::to_string_pretty(value).unwrap()
        );
    }
}
