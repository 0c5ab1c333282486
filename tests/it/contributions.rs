//! Hours given to a project: recorded by members with their form of work,
//! confirmed by another admin of the project, summed by person and form,
//! and counted in the territory's dashboard.

use crate::harness;

use harness::{client, TestNode};
use reqwest::Method;
use serde_json::{json, Value};

#[actix_web::test]
async fn contributions_are_confirmed_by_an_admin_and_summed_by_form() {
    let a = TestNode::start().await;
    let (lea, max, zoe, outsider) =
        (a.user("lea").await, a.user("max").await, a.user("zoe").await, a.user("out").await);
    let (status, group) = lea
        .json(
            Method::POST,
            "/api/v1/groups",
            &json!({ "username": "fournil", "display_name": "Fournil du village",
            "kind": "project", "description": "Un four à pain partagé.", "join_policy": "open" }),
        )
        .await;
    assert_eq!(status, 200, "{group}");
    let gid = group["id"].as_str().unwrap().to_owned();
    for m in [&max, &zoe] {
        assert_eq!(m.post(&format!("/api/v1/groups/{gid}/join"), &[]).await.0, 200);
    }
    let path = format!("/api/v1/groups/{gid}/contributions");
    let record = |who: &harness::TestUser, body: Value| {
        let (who, path) = (who.clone(), path.clone());
        async move { who.json(Method::POST, &path, &body).await }
    };
    let (status, paid) =
        record(&max, json!({ "hours": 3, "form": "paid", "note": "Maçonnerie", "worked_on": "2026-11-20" }))
            .await;
    assert_eq!((status, paid["state"].clone()), (200, json!("pending")), "{paid}");
    let (_, volunteer) = record(&max, json!({ "hours": 1.5, "form": "volunteer" })).await;
    let (_, own) = record(&lea, json!({ "hours": 2, "form": "volunteer", "note": "Plans du four" })).await;

    for (bad, field) in [
        (json!({ "hours": 0, "form": "paid" }), "hours"),
        (json!({ "hours": -1, "form": "paid" }), "hours"),
        (json!({ "hours": "trois", "form": "paid" }), "hours"),
        (json!({ "hours": 1, "form": "bénévolat" }), "form"),
        (json!({ "hours": 1 }), "form"),
        (json!({ "hours": 1, "form": "paid", "worked_on": "2099-01-01" }), "worked_on"),
        (json!({ "hours": 1, "form": "paid", "worked_on": "demain" }), "worked_on"),
        (json!({ "hours": 1, "form": "paid", "note": "x".repeat(501) }), "note"),
    ] {
        let (status, err) = record(&max, bad.clone()).await;
        assert_eq!(status, 422, "{bad}: {err}");
        assert!(err["error"].as_str().unwrap().contains(field), "{bad}: {err}");
    }
    assert_eq!(record(&outsider, json!({ "hours": 1, "form": "paid" })).await.0, 403, "members only");

    // Pending ones are seen by admins and their authors only.
    let r = client().get(a.url(&path)).send().await.unwrap();
    let public: Value = r.json().await.unwrap();
    assert_eq!(public["contributions"], json!([]), "{public}");
    assert_eq!(lea.get(&path).await.1["contributions"].as_array().unwrap().len(), 3);

    let decide = |who: &harness::TestUser, id: &Value, what: &str| {
        let (who, url) = (who.clone(), format!("{path}/{}/{what}", id["id"].as_str().unwrap()));
        async move { who.post(&url, &[]).await }
    };
    assert_eq!(decide(&zoe, &paid, "confirm").await.0, 403, "a member is not an admin");
    assert_eq!(decide(&lea, &own, "confirm").await.0, 422, "not one's own");
    assert_eq!(decide(&lea, &paid, "confirm").await.0, 200);
    assert_eq!(decide(&lea, &volunteer, "confirm").await.0, 200);
    assert_eq!(decide(&lea, &volunteer, "reject").await.0, 422, "decided already");
    assert_eq!(lea.post(&format!("{path}/999/confirm"), &[]).await.0, 404);

    let (_, page) = zoe.get(&path).await;
    assert_eq!(page["contributions"].as_array().unwrap().len(), 2, "{page}");
    let totals = &page["totals"][0];
    assert_eq!(totals["member_id"], max.account_id);
    assert_eq!(
        (totals["by_form"]["paid"].clone(), totals["by_form"]["volunteer"].clone()),
        (json!(3.0), json!(1.5))
    );
    assert_eq!(totals["hours"], 4.5);

    let (_, stats) = zoe.get("/api/v1/territory/stats?since=2026-01-01").await;
    let forms: Vec<Value> =
        stats["months"].as_array().unwrap().iter().map(|m| m["by_form"].clone()).collect();
    assert!(forms.iter().any(|f| f["paid"] == 3.0), "{stats}");
    assert_eq!(a.user("noone").await.get("/api/v1/groups/12345/contributions").await.0, 404);
}
