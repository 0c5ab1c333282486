//! Federation policies between real nodes: the admin API, suspension,
//! allowlist mode, limits, content filters, CSV import and export, and a
//! change reaching another server process of the same node.

use crate::harness;

use harness::{create_note, eventually, has_uri, send_signed, stores_post, TestNode};
use reqwest::Method;
use serde_json::{json, Value};

#[actix_web::test]
async fn the_admin_api_needs_an_admin_and_speaks_mastodons_shapes() {
    let a = TestNode::start().await;
    let root = a.admin("gaston").await;
    let member = a.user("member").await;

    let (status, _) = member.get("/api/v1/admin/domain_blocks").await;
    assert_eq!(status, 403, "a member is not an admin");
    let anonymous = harness::client().get(a.url("/api/v1/admin/domain_blocks")).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let reader =
        a.with_db(|c| maillage_service::tokens::issue_for_username(c, "gaston", "read").unwrap().token).await;
    let narrow =
        harness::client().get(a.url("/api/v1/admin/domain_blocks")).bearer_auth(reader).send().await.unwrap();
    assert_eq!(narrow.status().as_u16(), 403, "an admin's token without admin scopes");

    let (status, block) = root.post("/api/v1/admin/domain_blocks", &[("domain", "Spam.Example")]).await;
    assert_eq!(status, 200, "{block}");
    assert_eq!(block["domain"], "spam.example");
    assert_eq!(block["severity"], "silence", "Mastodon's default severity");
    assert_eq!(block["digest"].as_str().unwrap().len(), 64);
    assert_eq!(block["private_comment"], Value::Null);
    let id = block["id"].as_str().unwrap().to_owned();

    let (status, again) = root.post("/api/v1/admin/domain_blocks", &[("domain", "spam.example")]).await;
    assert_eq!(status, 422, "{again}");
    assert_eq!(again["existing_domain_block"]["id"], id.as_str());

    let (status, changed) = root
        .json(
            Method::PUT,
            &format!("/api/v1/admin/domain_blocks/{id}"),
            &json!({ "severity": "suspend", "obfuscate": true, "public_comment": "Spam" }),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["severity"], "suspend");
    let (status, shown) = root.get(&format!("/api/v1/admin/domain_blocks/{id}")).await;
    assert_eq!((status, shown["obfuscate"].clone()), (200, json!(true)));

    let (status, public) = member.get("/api/v1/instance/domain_blocks").await;
    assert_eq!(status, 200);
    assert_eq!(
        public,
        json!([{ "domain": "spam.****ple", "digest": block["digest"], "severity": "suspend", "comment": "Spam" }])
    );

    for (form, why) in [
        (vec![("domain", "not a domain")], "not a domain"),
        (vec![("domain", "")], "blank"),
        (vec![("domain", a.domain.as_str())], "our own domain"),
        (vec![("domain", "x.example"), ("severity", "explode")], "unknown severity"),
    ] {
        let (status, body) = root.post("/api/v1/admin/domain_blocks", &form).await;
        assert_eq!(status, 422, "{why}: {body}");
        assert!(body["error"].is_string());
    }
    let (status, _) = root.get("/api/v1/admin/domain_blocks/123456").await;
    assert_eq!(status, 404);
    let (status, _) = root.get("/api/v1/admin/domain_blocks/nope").await;
    assert_eq!(status, 404);

    let (status, allow) = root.post("/api/v1/admin/domain_allows", &[("domain", "friend.example")]).await;
    assert_eq!(status, 200, "{allow}");
    let (_, same) = root.post("/api/v1/admin/domain_allows", &[("domain", "FRIEND.example")]).await;
    assert_eq!(same["id"], allow["id"], "allowing twice returns the existing allow");
    let (_, allows) = root.get("/api/v1/admin/domain_allows").await;
    assert_eq!(allows.as_array().unwrap().len(), 1);
    let allow_id = allow["id"].as_str().unwrap();
    let (status, _) =
        root.send(Method::DELETE, &format!("/api/v1/admin/domain_allows/{allow_id}"), &[]).await;
    assert_eq!(status, 200);
    let (status, gone) = root.send(Method::DELETE, &format!("/api/v1/admin/domain_blocks/{id}"), &[]).await;
    assert_eq!((status, gone), (200, json!({})));
    let (_, blocks) = root.get("/api/v1/admin/domain_blocks").await;
    assert_eq!(blocks, json!([]));

    let (status, mode) =
        root.json(Method::PUT, "/api/v1/admin/federation", &json!({ "mode": "sideways" })).await;
    assert_eq!(status, 422, "{mode}");
    let (_, mode) = root.get("/api/v1/admin/federation").await;
    assert_eq!(mode["mode"], "blocklist", "the default mode, unchanged by the refused request");
}

#[actix_web::test]
async fn suspending_a_domain_cuts_follows_purges_its_content_and_refuses_it() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let root = a.admin("gaston").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    alice.follow_accepted(&format!("bob@{}", b.domain)).await;
    bob.follow_accepted(&format!("alice@{}", a.domain)).await;
    let post = bob.post_status("Bonjour depuis B").await;
    let listing = bob.offer("Pommes du verger", 46.5, 2.4).await;
    let (post_uri, listing_uri) = (post["uri"].as_str().unwrap(), listing["uri"].as_str().unwrap());
    eventually(30, "bob's post and listing reach A", || async {
        (stores_post(&a, post_uri).await && alice.sees_remote_listing(listing_uri).await).then_some(())
    })
    .await;

    let (status, block) =
        root.post("/api/v1/admin/domain_blocks", &[("domain", &b.domain), ("severity", "suspend")]).await;
    assert_eq!(status, 200, "{block}");

    assert!(!stores_post(&a, post_uri).await, "cached posts are purged");
    assert!(!alice.sees_remote_listing(listing_uri).await, "cached listings are purged");
    let domain = b.domain.clone();
    let remote_actors = a
        .with_db(move |c| {
            use diesel::prelude::*;
            use maillage_db::schema::actors;
            actors::table.filter(actors::domain.eq(domain)).count().get_result::<i64>(c).unwrap()
        })
        .await;
    assert_eq!(remote_actors, 0, "B's actors, and with them the follows both ways, are gone");
    let (_, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!((me["followers_count"].clone(), me["following_count"].clone()), (json!(0), json!(0)));

    let bob_id = bob_actor(&b).await;
    let status =
        send_signed(&b, "bob", &a, &create_note(&bob_id, &format!("{bob_id}/notes/new"), "Encore moi")).await;
    assert_eq!(status, 403, "a suspended domain's activities are refused");
    assert!(!stores_post(&a, &format!("{bob_id}/notes/new")).await);
    let (status, found) =
        alice.get(&format!("/api/v2/search?q=bob@{}&resolve=true&type=accounts", b.domain)).await;
    assert!(status == 404 || found["accounts"] == json!([]), "search does not reach B: {status} {found}");

    let (status, _) = root
        .send(Method::DELETE, &format!("/api/v1/admin/domain_blocks/{}", block["id"].as_str().unwrap()), &[])
        .await;
    assert_eq!(status, 200);
    let status =
        send_signed(&b, "bob", &a, &create_note(&bob_id, &format!("{bob_id}/notes/later"), "Me revoilà"))
            .await;
    assert_eq!(status, 202, "lifting the block lets B in again");
}

async fn bob_actor(b: &TestNode) -> String {
    b.with_db(|c| maillage_db::actors::find_local_by_username(c, "bob").unwrap().unwrap().ap_id).await
}

#[actix_web::test]
async fn in_allowlist_mode_only_allowed_domains_federate() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let c = TestNode::start().await;
    let root = a.admin("gaston").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    c.user("carol").await;
    let (status, _) =
        root.json(Method::PUT, "/api/v1/admin/federation", &json!({ "mode": "allowlist" })).await;
    assert_eq!(status, 200);
    let (status, _) = root.post("/api/v1/admin/domain_allows", &[("domain", &b.domain)]).await;
    assert_eq!(status, 200);

    bob.follow_accepted(&format!("alice@{}", a.domain)).await;
    let bob_id = bob_actor(&b).await;
    let status =
        send_signed(&b, "bob", &a, &create_note(&bob_id, &format!("{bob_id}/notes/1"), "Salut")).await;
    assert_eq!(status, 202, "the allowed domain is heard");

    let carol_id =
        c.with_db(|x| maillage_db::actors::find_local_by_username(x, "carol").unwrap().unwrap().ap_id).await;
    let status =
        send_signed(&c, "carol", &a, &create_note(&carol_id, &format!("{carol_id}/notes/1"), "Coucou")).await;
    assert_eq!(status, 403, "a domain that is not allowed is refused");
    assert!(!stores_post(&a, &format!("{carol_id}/notes/1")).await);
    let (status, found) =
        alice.get(&format!("/api/v2/search?q=carol@{}&resolve=true&type=accounts", c.domain)).await;
    assert!(status == 404 || found["accounts"] == json!([]), "search does not reach C: {status} {found}");

    let (status, _) =
        root.post("/api/v1/admin/domain_blocks", &[("domain", &b.domain), ("severity", "suspend")]).await;
    assert_eq!(status, 200);
    let status =
        send_signed(&b, "bob", &a, &create_note(&bob_id, &format!("{bob_id}/notes/2"), "Toujours là")).await;
    assert_eq!(status, 403, "in allowlist mode a block wins over an allow");
}

#[actix_web::test]
async fn a_limited_domain_stays_out_of_public_views_unless_followed() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let root = a.admin("gaston").await;
    let alice = a.user("alice").await;
    b.user("bob").await;
    let (status, _) =
        root.post("/api/v1/admin/domain_blocks", &[("domain", &b.domain), ("severity", "silence")]).await;
    assert_eq!(status, 200);
    let bob_id = bob_actor(&b).await;
    let note_id = format!("{bob_id}/notes/limited");
    let status = send_signed(&b, "bob", &a, &create_note(&bob_id, &note_id, "Vide-grenier samedi")).await;
    assert_eq!(status, 202, "a limited domain is still heard");
    assert!(stores_post(&a, &note_id).await);
    let (_, public) = alice.get("/api/v1/timelines/public?remote=true").await;
    assert!(!has_uri(public.as_array().unwrap(), &note_id), "kept out of the public timeline: {public}");

    alice.follow_accepted(&format!("bob@{}", b.domain)).await;
    let (_, public) = alice.get("/api/v1/timelines/public?remote=true").await;
    assert!(has_uri(public.as_array().unwrap(), &note_id), "shown once a local person follows the author");
}

#[actix_web::test]
async fn content_filters_drop_or_flag_what_arrives() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let root = a.admin("gaston").await;
    b.user("bob").await;
    for filter in [
        json!({ "kind": "keyword", "value": "crypto", "action": "reject" }),
        json!({ "kind": "hashtag", "value": "#vente", "action": "flag" }),
        json!({ "kind": "max_distance_km", "value": "100" }),
    ] {
        let (status, body) = root.json(Method::POST, "/api/v1/admin/content_filters", &filter).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, bad) = root
        .json(
            Method::POST,
            "/api/v1/admin/content_filters",
            &json!({ "kind": "max_age_days", "value": "-3" }),
        )
        .await;
    assert_eq!(status, 422, "{bad}");
    let bob_id = bob_actor(&b).await;

    let dropped = format!("{bob_id}/notes/crypto");
    let status =
        send_signed(&b, "bob", &a, &create_note(&bob_id, &dropped, "Achetez du <b>CRYPTO</b> maintenant"))
            .await;
    assert_eq!(status, 202, "a filtered object is acknowledged, as Mastodon does");
    assert!(!stores_post(&a, &dropped).await, "the keyword filter dropped it");

    let flagged = format!("{bob_id}/notes/vente");
    let mut note = create_note(&bob_id, &flagged, "Table en chêne #vente");
    note["object"]["tag"] =
        json!([{ "type": "Hashtag", "name": "#Vente", "href": "https://b.example/tags/vente" }]);
    assert_eq!(send_signed(&b, "bob", &a, &note).await, 202);
    assert!(stores_post(&a, &flagged).await, "a flagged object is kept");
    let reports = a.with_db(|c| maillage_db::interactions::list_reports(c, 10).unwrap().len()).await;
    assert_eq!(reports, 1, "and reported to the moderators");

    let alice = a.user("alice").await;
    alice.follow_accepted(&format!("bob@{}", b.domain)).await;
    let bob = b.user("bob2").await;
    alice.follow_accepted(&format!("bob2@{}", b.domain)).await;
    let far = bob.offer("Bois de chauffage à Toulouse", 43.6, 1.44).await;
    let near = bob.offer("Bois de chauffage à Bourges", 46.6, 2.5).await;
    eventually(30, "the near listing arrives", || async {
        alice.sees_remote_listing(near["uri"].as_str().unwrap()).await.then_some(())
    })
    .await;
    harness::wait_queue_drained(&b).await;
    assert!(!alice.sees_remote_listing(far["uri"].as_str().unwrap()).await, "one 330 km away is dropped");
}

#[actix_web::test]
async fn a_mastodon_csv_round_trips_and_a_malformed_one_changes_nothing() {
    let a = TestNode::start().await;
    let root = a.admin("gaston").await;
    let csv = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
               bad.example,suspend,false,false,\"Spam, lots of it\",false\n\
               quiet.example,silence,true,true,,true\n\
               *.farm.example,noop,true,false,media farm,false\n";
    let (status, body) = root.post_body("/api/v1/admin/domain_blocks/import", "text/csv", csv).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["imported"], 3);
    let (status, exported) = root.get_text("/api/v1/admin/domain_blocks/export").await;
    assert_eq!(status, 200);
    assert_eq!(exported, csv, "the export is the file imported");

    let malformed = "#domain,#severity\nfine.example,suspend\nnot a domain,suspend\nworse.example,explode\n";
    let (status, body) = root.post_body("/api/v1/admin/domain_blocks/import", "text/csv", malformed).await;
    assert_eq!(status, 422, "{body}");
    let error = body["error"].as_str().unwrap();
    assert!(error.contains("line 3") && error.contains("line 4"), "{error}");
    let (_, after) = root.get_text("/api/v1/admin/domain_blocks/export").await;
    assert_eq!(after, csv, "nothing applied, not even the good line");
}

#[actix_web::test]
async fn a_policy_change_reaches_another_process_of_the_same_node() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let root = a.admin("gaston").await;
    let alice = a.user("alice").await;
    b.user("bob").await;
    let other = a.second_process().await;
    let alice_there = other.as_user(&alice);
    let handle = format!("bob@{}", b.domain);
    alice_there.resolve(&handle).await;

    let (status, _) =
        root.post("/api/v1/admin/domain_blocks", &[("domain", &b.domain), ("severity", "suspend")]).await;
    assert_eq!(status, 200);
    eventually(10, "the other process refuses B", || async {
        let (status, found) =
            alice_there.get(&format!("/api/v2/search?q={handle}&resolve=true&type=accounts")).await;
        (status == 404 || found["accounts"] == json!([])).then_some(())
    })
    .await;
}
