//! What the inbox accepts, what it refuses (with which status), and that a
//! refusal changes nothing.

use crate::harness;

use std::time::{Duration, SystemTime};

use harness::create_note;
use harness::signing::{signed_post_headers, stranger_key, Signing};
use harness::{client, TestNode};
use maillage_db::actors;
use serde_json::{json, Value};

struct Remote {
    ap_id: String,
    private_pem: String,
}

async fn remote_actor(node: &TestNode, name: &str) -> Remote {
    node.user(name).await;
    let name = name.to_owned();
    node.with_db(move |c| {
        let row = actors::find_local_by_username(c, &name).unwrap().unwrap();
        Remote { ap_id: row.ap_id, private_pem: row.private_key_pem.unwrap() }
    })
    .await
}

async fn deliver(
    target: &TestNode,
    path: &str,
    body: &[u8],
    signer: &Remote,
    date: SystemTime,
    pem: Option<&str>,
) -> u16 {
    let url = target.url(path);
    let key_id = format!("{}#main-key", signer.ap_id);
    let signing = Signing {
        key_id: &key_id,
        private_pem: pem.unwrap_or(&signer.private_pem),
        date,
        digest_name: "SHA-256",
    };
    let mut request = client().post(&url).body(body.to_vec());
    for (k, v) in signed_post_headers(&url, body, &signing) {
        request = request.header(k, v);
    }
    request.send().await.unwrap().status().as_u16()
}

async fn send(target: &TestNode, activity: &Value, signer: &Remote) -> u16 {
    deliver(target, "/inbox", activity.to_string().as_bytes(), signer, SystemTime::now(), None).await
}

async fn stored_content(node: &TestNode, ap_id: &str) -> Option<(String, bool)> {
    let id = ap_id.to_owned();
    node.with_db(move |c| {
        maillage_db::posts::find_by_ap_id(c, &id).unwrap().map(|p| {
            let deleted = p.is_deleted();
            (p.content_html, deleted)
        })
    })
    .await
}

#[actix_web::test]
async fn a_signed_create_is_stored_once() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let bob = remote_actor(&b, "bob").await;
    let note_id = format!("{}/notes/1", b.base);
    let activity = create_note(&bob.ap_id, &note_id, "<p>Bonjour <script>x()</script></p>");
    assert_eq!(send(&a, &activity, &bob).await, 202);
    let (content, _) = stored_content(&a, &note_id).await.expect("stored");
    assert!(!content.contains("script"), "remote HTML is sanitized: {content}");
    assert_eq!(send(&a, &activity, &bob).await, 202, "a second delivery is accepted");
    let count = a
        .with_db(|c| {
            maillage_db::posts::timeline(
                c,
                maillage_db::posts::Timeline::Public { local: Some(false), hidden: &[] },
                maillage_db::posts::Page { limit: 40, ..Default::default() },
            )
            .unwrap()
            .len()
        })
        .await;
    assert_eq!(count, 1, "and has no second effect");
}

#[actix_web::test]
async fn forged_and_malformed_activities_are_refused_and_change_nothing() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let bob = remote_actor(&b, "bob").await;
    let bea = remote_actor(&b, "bea").await;
    let bea_note = format!("{}/notes/bea", b.base);
    assert_eq!(send(&a, &create_note(&bea.ap_id, &bea_note, "<p>original</p>"), &bea).await, 202);

    // A signature by a key that is not the actor's.
    let stranger = stranger_key();
    let forged = create_note(&bob.ap_id, &format!("{}/notes/2", b.base), "forged");
    let status =
        deliver(&a, "/inbox", forged.to_string().as_bytes(), &bob, SystemTime::now(), Some(&stranger)).await;
    assert_eq!(status, 401);
    assert!(stored_content(&a, &format!("{}/notes/2", b.base)).await.is_none());

    // The activity's id on another host than its actor.
    let mut mismatch = create_note(&bob.ap_id, &format!("{}/notes/3", b.base), "mismatch");
    mismatch["id"] = json!("http://elsewhere.example/activities/1");
    assert_eq!(send(&a, &mismatch, &bob).await, 403);

    // Someone else's post, updated and deleted by bob.
    let mut update = create_note(&bea.ap_id, &bea_note, "<p>hijacked</p>");
    update["type"] = json!("Update");
    update["id"] = json!(format!("{}/activities/u1", b.base));
    update["actor"] = json!(bob.ap_id);
    assert_eq!(send(&a, &update, &bob).await, 403);
    let delete = json!({ "id": format!("{}/activities/d1", b.base), "type": "Delete", "actor": bob.ap_id, "object": bea_note });
    assert_eq!(send(&a, &delete, &bob).await, 403);
    assert_eq!(stored_content(&a, &bea_note).await, Some(("<p>original</p>".to_owned(), false)));

    // A replayed request whose Date is 13 hours old.
    let old = SystemTime::now() - Duration::from_secs(13 * 3600);
    let late = create_note(&bob.ap_id, &format!("{}/notes/4", b.base), "late");
    assert_eq!(deliver(&a, "/inbox", late.to_string().as_bytes(), &bob, old, None).await, 401);

    // A body over 1 MiB, and malformed JSON.
    let huge = vec![b' '; 2 * 1024 * 1024];
    assert_eq!(deliver(&a, "/inbox", &huge, &bob, SystemTime::now(), None).await, 413);
    assert_eq!(deliver(&a, "/inbox", b"{not json", &bob, SystemTime::now(), None).await, 400);

    // No signature at all, and an RFC 9421 signature only.
    let body = create_note(&bob.ap_id, &format!("{}/notes/5", b.base), "unsigned").to_string();
    let unsigned = client()
        .post(a.url("/inbox"))
        .header("Content-Type", "application/activity+json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status().as_u16(), 401);
    let rfc9421 = client()
        .post(a.url("/inbox"))
        .header("Content-Type", "application/activity+json")
        .header("Signature-Input", "sig1=(\"@method\" \"@target-uri\");keyid=\"x\"")
        .header("Signature", "sig1=:AAAA:")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(rfc9421.status().as_u16(), 401);

    assert!(stored_content(&a, &format!("{}/notes/4", b.base)).await.is_none());
    assert_eq!(stored_content(&a, &bea_note).await, Some(("<p>original</p>".to_owned(), false)));
}

#[actix_web::test]
async fn the_author_may_update_and_delete_its_post() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let bob = remote_actor(&b, "bob").await;
    let note = format!("{}/notes/1", b.base);
    assert_eq!(send(&a, &create_note(&bob.ap_id, &note, "<p>v1</p>"), &bob).await, 202);
    let mut update = create_note(&bob.ap_id, &note, "<p>v2</p>");
    update["type"] = json!("Update");
    update["id"] = json!(format!("{}/activities/u", b.base));
    assert_eq!(send(&a, &update, &bob).await, 202);
    assert_eq!(stored_content(&a, &note).await, Some(("<p>v2</p>".to_owned(), false)));
    let delete = json!({ "id": format!("{}/activities/d", b.base), "type": "Delete", "actor": bob.ap_id,
                         "object": { "id": note, "type": "Tombstone" } });
    assert_eq!(send(&a, &delete, &bob).await, 202);
    assert_eq!(stored_content(&a, &note).await.map(|(_, deleted)| deleted), Some(true));
}

#[actix_web::test]
async fn unknown_types_and_extra_fields_are_accepted_and_ignored() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let bob = remote_actor(&b, "bob").await;
    let unknown = json!({ "@context": ["https://www.w3.org/ns/activitystreams", {"foo": "http://example.org/foo#"}],
        "id": format!("{}/activities/m", b.base), "type": "EmojiReact", "actor": bob.ap_id, "object": "x", "content": "🚲" });
    assert_eq!(send(&a, &unknown, &bob).await, 202);
    let mut with_proof = create_note(&bob.ap_id, &format!("{}/notes/p", b.base), "<p>proof</p>");
    with_proof["signature"] = json!({ "type": "RsaSignature2017", "creator": "x", "signatureValue": "y" });
    with_proof["proof"] = json!({ "type": "DataIntegrityProof", "proofValue": "z" });
    with_proof["unknownField"] = json!({ "nested": [1, 2, 3] });
    assert_eq!(send(&a, &with_proof, &bob).await, 202);
    assert!(stored_content(&a, &format!("{}/notes/p", b.base)).await.is_some());
}

#[actix_web::test]
async fn follows_likes_and_reports_from_another_server() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = remote_actor(&b, "bob").await;
    let alice_ap = format!("{}/users/alice", a.base);
    let follow = json!({ "id": format!("{}/activities/f", b.base), "type": "Follow", "actor": bob.ap_id, "object": alice_ap });
    assert_eq!(send(&a, &follow, &bob).await, 202);
    assert_eq!(send(&a, &follow, &bob).await, 202);
    let (_, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["followers_count"], 1);

    let post = alice.post_status("Qui veut des poireaux ?").await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    let like = json!({ "id": format!("{}/activities/l", b.base), "type": "Like", "actor": bob.ap_id, "object": uri });
    assert_eq!(send(&a, &like, &bob).await, 202);
    let (_, status) = alice.get(&format!("/api/v1/statuses/{}", post["id"].as_str().unwrap())).await;
    assert_eq!(status["favourites_count"], 1);
    let undo = json!({ "id": format!("{}/activities/ul", b.base), "type": "Undo", "actor": bob.ap_id, "object": like });
    assert_eq!(send(&a, &undo, &bob).await, 202);
    let (_, status) = alice.get(&format!("/api/v1/statuses/{}", post["id"].as_str().unwrap())).await;
    assert_eq!(status["favourites_count"], 0);

    let flag = json!({ "id": format!("{}/activities/r", b.base), "type": "Flag", "actor": bob.ap_id,
                       "object": [alice_ap, uri], "content": "spam?" });
    assert_eq!(send(&a, &flag, &bob).await, 202);
    let reports = a.with_db(|c| maillage_db::interactions::list_reports(c, 10).unwrap()).await;
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].comment, "spam?");

    let unfollow = json!({ "id": format!("{}/activities/uf", b.base), "type": "Undo", "actor": bob.ap_id, "object": follow });
    assert_eq!(send(&a, &unfollow, &bob).await, 202);
    let (_, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["followers_count"], 0);
}

#[actix_web::test]
async fn a_fep_0837_proposal_from_another_marketplace_becomes_a_listing() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let bob = remote_actor(&b, "bob").await;
    let id = format!("{}/proposals/1", b.base);
    let proposal = json!({
        "id": format!("{id}/activity"), "type": "Create", "actor": bob.ap_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": id, "type": "Proposal", "attributedTo": bob.ap_id, "name": "Vends des œufs",
            "content": "<p>Des œufs frais</p>", "purpose": "offer",
            "publishes": { "type": "Intent", "id": format!("{id}#primary"), "action": "transfer",
                "resourceQuantity": { "hasUnit": "one", "hasNumericalValue": "12" } },
            "to": ["https://www.w3.org/ns/activitystreams#Public"]
        }
    });
    assert_eq!(send(&a, &proposal, &bob).await, 202);
    let stored = a
        .with_db(move |c| maillage_db::listings::find_by_ap_id(c, &id).unwrap())
        .await
        .expect("stored as a listing");
    assert_eq!(stored.kind.as_str(), "offer");
    assert_eq!(stored.title, "Vends des œufs");
    assert_eq!(stored.category.as_str(), "other", "without our extension terms");
    assert_eq!(stored.quantity_amount, Some(12.0));
    assert_eq!(stored.visibility.as_str(), "public");
}

/// An actor without `preferredUsername` (optional in ActivityStreams) is
/// named after its id; an Event whose `startTime` is not a date is refused
/// as malformed, with the field named.
#[actix_web::test]
async fn actors_without_preferred_username_are_accepted_and_bad_event_dates_named() {
    use harness::fake_server::{FakeServer, Reply};
    use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
    let private_pem = stranger_key();
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&private_pem).unwrap();
    let public_pem = rsa::RsaPublicKey::from(&key).to_public_key_pem(LineEnding::LF).unwrap();
    let fake = FakeServer::start(move |req| {
        let port = req
            .headers
            .iter()
            .find(|(k, _)| k == "host")
            .and_then(|(_, v)| v.split(':').nth(1).map(str::to_owned))
            .unwrap_or_default();
        let id = format!("http://localhost:{port}/ap/nameless");
        let actor = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": id, "type": "Person", "name": "Sans Nom", "inbox": format!("{id}/inbox"),
            "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public_pem }
        });
        Reply {
            status: 200,
            content_type: "application/activity+json",
            body: actor.to_string(),
            delay: Duration::ZERO,
        }
    });
    let a = TestNode::start().await;
    let nameless = Remote { ap_id: format!("{}/ap/nameless", fake.base()), private_pem };
    let note_id = format!("{}/notes/1", fake.base());
    let status = send(&a, &create_note(&nameless.ap_id, &note_id, "<p>Bonjour</p>"), &nameless).await;
    assert_eq!(status, 202, "an actor without preferredUsername is accepted");
    assert!(stored_content(&a, &note_id).await.is_some());
    let ap_id = nameless.ap_id.clone();
    let stored = a.with_db(move |c| actors::find_by_ap_id(c, &ap_id).unwrap().unwrap()).await;
    assert_eq!(stored.username, "nameless", "named after the last segment of its id");

    let event = |start: &str| {
        json!({ "id": format!("{}/events/1/activity", fake.base()), "type": "Create", "actor": nameless.ap_id,
            "object": { "id": format!("{}/events/1", fake.base()), "type": "Event", "name": "Atelier",
                "attributedTo": nameless.ap_id, "startTime": start,
                "to": ["https://www.w3.org/ns/activitystreams#Public"] } })
    };
    let body = event("samedi prochain").to_string();
    let url = a.url("/inbox");
    let key_id = format!("{}#main-key", nameless.ap_id);
    let signing = Signing {
        key_id: &key_id,
        private_pem: &nameless.private_pem,
        date: SystemTime::now(),
        digest_name: "SHA-256",
    };
    let mut request = client().post(&url).body(body.clone());
    for (k, v) in signed_post_headers(&url, body.as_bytes(), &signing) {
        request = request.header(k, v);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let text = response.text().await.unwrap();
    assert!(text.contains("malformed startTime"), "the error names the field: {text}");
}

/// An `Accept` of a follow whose id has the older form
/// (`/activities/{id}`, sent before ids said their kind) still finds it.
#[actix_web::test]
async fn answers_to_activity_ids_of_the_older_form_still_route() {
    use maillage_db::follows::{self, FollowRow};
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = remote_actor(&b, "bob").await;
    alice.resolve(&bob.ap_id).await;
    let old_id = format!("{}/activities/117000000000000001", a.base);
    let (bob_ap, follow_id) = (bob.ap_id.clone(), old_id.clone());
    a.with_db(move |c| {
        let me = actors::find_local_by_username(c, "alice").unwrap().unwrap();
        let them = actors::find_by_ap_id(c, &bob_ap).unwrap().unwrap();
        let now = maillage_core::time::Timestamp::now().as_micros();
        let row = FollowRow {
            id: 117_000_000_000_000_001,
            ap_id: follow_id,
            follower_id: me.id,
            followed_id: them.id,
            state: "pending".into(),
            created_at: now,
            updated_at: now,
        };
        follows::insert(c, &row).unwrap();
    })
    .await;
    let accept = json!({ "id": format!("{}/activities/accept-old", b.base), "type": "Accept", "actor": bob.ap_id,
        "object": old_id.clone() });
    assert_eq!(send(&a, &accept, &bob).await, 202);
    let state = a.with_db(move |c| follows::find_by_ap_id(c, &old_id).unwrap().unwrap().state).await;
    assert_eq!(state, "accepted", "the follow is accepted");
}
