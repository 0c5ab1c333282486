//! One audience rule per kind of object, the same at every door: each
//! listing visibility is asked for through every door that serves a
//! listing, by each kind of visitor, and each answer must be what the rule
//! (`service::listings::can_see`) says.

use crate::harness;

use harness::form_browser::FormBrowser;
use harness::{client, link_territories, signed_get, TestNode, TestUser};
use serde_json::{json, Value};

const ACTIVITY_JSON: &str = "application/activity+json";

/// Who asks, and through which doors they can.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Visitor {
    Anonymous,
    Author,
    Resident,
    LocalFollower,
    LinkedTerritory,
    OtherServer,
}

use Visitor::*;

const VISITORS: [Visitor; 6] = [Anonymous, Author, Resident, LocalFollower, LinkedTerritory, OtherServer];

/// The rule: who sees a listing of each visibility, in [`VISITORS`]' order.
fn rule(visibility: &str) -> [bool; 6] {
    match visibility {
        "public" => [true; 6],
        "territory" => [false, true, true, true, true, false],
        "followers" => [false, true, false, true, false, false],
        _ => [false, true, false, false, false, false],
    }
}

struct Cast<'a> {
    a: &'a TestNode,
    linked: &'a TestNode,
    other: &'a TestNode,
    alice: TestUser,
    bob: TestUser,
    carol: TestUser,
}

/// What one visitor gets at each door: `(door, seen)`.
async fn doors(cast: &Cast<'_>, visitor: Visitor, listing: &Value, word: &str) -> Vec<(&'static str, bool)> {
    let id = listing["id"].as_str().unwrap();
    let uri = listing["uri"].as_str().unwrap();
    let page = listing["url"].as_str().unwrap();
    let mut seen = Vec::new();
    let user = match visitor {
        Author => Some((&cast.alice, "alice")),
        Resident => Some((&cast.bob, "bob")),
        LocalFollower => Some((&cast.carol, "carol")),
        _ => None,
    };
    match visitor {
        LinkedTerritory | OtherServer => {
            let from = if visitor == LinkedTerritory { &cast.linked } else { &cast.other };
            let (status, body) = signed_get(from, uri, ACTIVITY_JSON).await;
            assert!(matches!(status, 200 | 404), "signed fetch: {status} {body}");
            seen.push(("ActivityPub GET, signed", status == 200));
        }
        Anonymous | Author | Resident | LocalFollower => {
            let api = |path: String| {
                let user = user.map(|(u, _)| u.clone());
                let base = cast.a.url("");
                async move {
                    match user {
                        Some(u) => u.get(&path).await,
                        None => {
                            let r = client().get(format!("{base}{path}")).send().await.unwrap();
                            let status = r.status().as_u16();
                            (status, r.json().await.unwrap_or(Value::Null))
                        }
                    }
                }
            };
            let (status, _) = api(format!("/api/v1/listings/{id}")).await;
            seen.push(("native API", status == 200));
            let (status, _) = api(format!("/api/v1/statuses/{id}")).await;
            seen.push(("Mastodon status", status == 200));
            let (_, statuses) = api(format!("/api/v1/accounts/{}/statuses", cast.alice.account_id)).await;
            let listed = statuses.as_array().into_iter().flatten().any(|s| s["uri"] == uri);
            seen.push(("author's statuses", listed));
            let (_, found) = api(format!("/api/v1/listings?q={word}&status=open")).await;
            let found = found.as_array().into_iter().flatten().any(|l| l["uri"] == uri);
            seen.push(("native search", found));
            let (_, found) = api(format!("/api/v2/search?q={word}&type=statuses")).await;
            let found = found["statuses"].as_array().into_iter().flatten().any(|s| s["uri"] == uri);
            if found {
                seen.push(("Mastodon search", true));
            }

            let mut browser = FormBrowser::new();
            if let Some((_, name)) = user {
                browser.log_in(cast.a, name).await;
            }
            let (status, _) = browser.get(page.to_owned()).await;
            seen.push(("web page", status == 200));
            let (_, results) = browser.get(cast.a.url(&format!("/listings?q={word}"))).await;
            seen.push(("web search", results.contains(page)));
            if visitor == Anonymous {
                let r = client().get(uri).header("Accept", ACTIVITY_JSON).send().await.unwrap();
                seen.push(("ActivityPub GET, unsigned", r.status().as_u16() == 200));
                let r = client().get(uri).header("Accept", "text/html").send().await.unwrap();
                seen.push(("object URL in a browser", matches!(r.status().as_u16(), 200 | 303)));
            }
        }
    }
    seen
}

#[actix_web::test]
async fn every_door_follows_the_audience_rule() {
    let a = TestNode::start().await;
    let linked = TestNode::start().await;
    let other = TestNode::start().await;
    let (alice, bob, carol) = (a.user("alice").await, a.user("bob").await, a.user("carol").await);
    carol.follow_accepted(&format!("alice@{}", a.domain)).await;
    let (admin_a, admin_linked) = (a.admin("maire").await, linked.admin("maire").await);
    link_territories(&a, &admin_a, &linked, &admin_linked).await;

    let mut failures = Vec::new();
    for visibility in ["public", "territory", "followers", "private"] {
        let word = format!("perceuse{visibility}");
        let listing = alice
            .listing(&json!({
                "kind": "offer", "category": "goods", "title": format!("Une {word} à prêter"),
                "description": "Avec ses mèches.", "place": { "name": "Moulin", "lat": 44.0, "lon": 2.69 },
                "terms": { "mode": "loan" }, "visibility": visibility
            }))
            .await;
        let cast = Cast {
            a: &a,
            linked: &linked,
            other: &other,
            alice: alice.clone(),
            bob: bob.clone(),
            carol: carol.clone(),
        };
        for (visitor, expected) in VISITORS.iter().zip(rule(visibility)) {
            for (door, seen) in doors(&cast, *visitor, &listing, &word).await {
                if seen != expected {
                    failures.push(format!(
                        "{visibility} listing, {visitor:?} at the {door}: {} where the rule says {}",
                        if seen { "shown" } else { "hidden" },
                        if expected { "shown" } else { "hidden" }
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "doors that differ from the rule:\n{}", failures.join("\n"));
}
