//! Property tests over what peers send: no body and no `Signature` header
//! makes the inbox's parsing panic, well-formed signature headers read back
//! exactly, and whatever parses stays within our limits. Each property runs
//! a bounded number of cases (256, or `PROPTEST_CASES`), so the suite runs
//! them in CI in a few seconds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use maillage_apub::objects::listing::ap_to_listing;
use maillage_apub::objects::session::ap_to_session;
use maillage_apub::protocol::activity::Envelope;
use maillage_apub::protocol::actor::ApActor;
use maillage_apub::protocol::note::ApNote;
use maillage_apub::signature::{
    check_and_build_signing_string, parse_signature, verify_digest, SignedRequest,
};
use maillage_core::time::Timestamp;
use proptest::prelude::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Keys peers use, so that generated objects look like activities often
/// enough to reach past the first check; and a few arbitrary ones.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "@context",
            "id",
            "type",
            "actor",
            "object",
            "to",
            "cc",
            "tag",
            "url",
            "href",
            "icon",
            "content",
            "contentMap",
            "name",
            "summary",
            "inReplyTo",
            "attributedTo",
            "published",
            "startTime",
            "endTime",
            "location",
            "latitude",
            "longitude",
            "purpose",
            "publishes",
            "preferredUsername",
            "inbox",
            "publicKey",
            "publicKeyPem",
            "endpoints",
            "sharedInbox",
            "mediaType",
            "exchange",
            "category",
            "radiusKm",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z@:#]{0,10}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "https://a.example/users/x",
            "https://a.example/notes/1",
            "https://www.w3.org/ns/activitystreams#Public",
            "as:Public",
            "Create",
            "Update",
            "Delete",
            "Announce",
            "Like",
            "Follow",
            "Undo",
            "Accept",
            "Note",
            "Article",
            "Person",
            "Group",
            "Event",
            "Place",
            "Mention",
            "Hashtag",
            "Proposal",
            "offer",
            "request",
            "javascript:alert(1)",
            "data:text/html,x",
            "2026-12-01T10:00:00Z",
            "2026-13-45T99:00:00+00:00Z",
            "<p>Bonjour <a href=\"javascript:x\">là</a><script>x</script></p>",
            "",
            "🚲",
        ])
        .prop_map(str::to_owned),
        ".{0,60}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..10)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn author() -> maillage_db::actors::ActorRow {
    maillage_test_support::actor_row("https://a.example/users/x", "x", "a.example", "", false)
}

/// Every parser the inbox runs on a body, as it runs them.
fn parse_everything(value: &Value) {
    if let Ok(envelope) = Envelope::parse(value) {
        let _ = envelope.actor_id();
        let _ = envelope.object_id();
        let _ = envelope.is_handled();
    }
    let object = value.get("object").cloned().unwrap_or_else(|| value.clone());
    for candidate in [value, &object] {
        if let Ok(note) = ApNote::parse(candidate.clone()) {
            let _ = (note.url(), note.tags(), note.in_reply_to_id(), note.content_html(), note.pairing());
            if let Some(url) = note.url() {
                assert!(url.starts_with("https://"), "a note's url is a web link: {url}");
            }
        }
        if let Ok(actor) = ApActor::parse(candidate.clone()) {
            for link in [actor.profile_url(), actor.icon_url()].into_iter().flatten() {
                assert!(link.starts_with("https://"), "an actor's links are web links: {link}");
            }
        }
        if let Ok(row) = ap_to_listing(candidate, &author(), None, Timestamp::now()) {
            assert!(row.title.chars().count() <= maillage_core::listing::TITLE_MAX);
            assert!(row.url.is_none_or(|u| u.starts_with("https://")));
        }
        if let Ok(row) = ap_to_session(candidate, &author(), None, Timestamp::now()) {
            assert!(row.title.chars().count() <= maillage_core::session::TITLE_MAX);
        }
    }
}

/// The real payloads of `tests/fixtures/`, to mutate.
fn fixtures() -> &'static [Value] {
    static FIXTURES: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    FIXTURES.get_or_init(|| {
        let mut out = Vec::new();
        let mut stack =
            vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/activitypub")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    out.push(serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap());
                }
            }
        }
        assert!(out.len() > 100, "the fixtures are missing");
        out
    })
}

fn request<'a>(headers: &'a [(String, String)], body: &'a [u8]) -> SignedRequest<'a> {
    SignedRequest { method: "POST", path_and_query: "/inbox", headers, body }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_json_body_is_parsed_without_panicking(value in json_value()) {
        parse_everything(&value);
        let wrapped = json!({ "id": "https://a.example/activities/1", "type": "Create",
                              "actor": "https://a.example/users/x", "object": value });
        parse_everything(&wrapped);
    }

    #[test]
    fn real_payloads_with_a_field_changed_are_parsed_without_panicking(
        index in any::<prop::sample::Index>(),
        key in key(),
        value in json_value(),
        inside in any::<bool>(),
    ) {
        let mut payload = index.get(fixtures()).clone();
        let target = if inside { payload.get_mut("object").filter(|o| o.is_object()) } else { None };
        match target {
            Some(object) => { object[key.as_str()] = value; }
            None => if payload.is_object() { payload[key.as_str()] = value; },
        }
        parse_everything(&payload);
    }

    #[test]
    fn any_bytes_are_refused_or_parsed(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(value) = serde_json::from_slice::<Value>(&bytes) {
            parse_everything(&value);
        }
    }

    #[test]
    fn any_signature_header_is_read_without_panicking(
        raw in ".{0,300}",
        parts in prop::collection::vec((key(), text()), 0..6),
        date in ".{0,40}",
        digest in ".{0,80}",
    ) {
        let composed: Vec<String> = parts.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
        for header in [raw.clone(), composed.join(","), format!("Signature {raw}")] {
            let headers = vec![
                ("signature".to_owned(), header.clone()),
                ("authorization".to_owned(), header),
                ("date".to_owned(), date.clone()),
                ("host".to_owned(), "a.example".to_owned()),
                ("digest".to_owned(), digest.clone()),
            ];
            let req = request(&headers, b"{}");
            if let Ok(sig) = parse_signature(&req) {
                let _ = sig.actor_id();
                let _ = check_and_build_signing_string(&req, &sig, SystemTime::now());
            }
            let _ = verify_digest(&req);
        }
    }

    #[test]
    fn well_formed_signature_headers_read_back_exactly(
        key_id in "https://[a-z]{1,10}\\.example/users/[a-z]{1,10}#main-key",
        covered in prop::collection::vec(prop::sample::select(vec!["(request-target)", "host", "date", "digest", "content-type"]), 1..5),
        bytes in prop::collection::vec(any::<u8>(), 1..300),
        created in 0i64..4_000_000_000,
    ) {
        let signature = STANDARD.encode(&bytes);
        let header = format!(
            "keyId=\"{key_id}\",algorithm=\"hs2019\",created={created},headers=\"{}\",signature=\"{signature}\"",
            covered.join(" ")
        );
        let headers = vec![("signature".to_owned(), header)];
        let parsed = parse_signature(&request(&headers, b"")).unwrap();
        prop_assert_eq!(&parsed.key_id, &key_id);
        prop_assert_eq!(&parsed.headers, &covered.iter().map(|h| h.to_string()).collect::<Vec<_>>());
        prop_assert_eq!(parsed.actor_id(), key_id.split('#').next().unwrap());
        prop_assert_eq!(&parsed.signature, &bytes);
    }

    #[test]
    fn dates_far_from_now_are_refused(offset_hours in 13u64..100_000) {
        let when = SystemTime::now() - Duration::from_secs(offset_hours * 3600);
        let headers = vec![
            ("signature".to_owned(), "keyId=\"https://a.example/users/x#k\",headers=\"(request-target) host date digest\",signature=\"AAAA\"".to_owned()),
            ("date".to_owned(), httpdate::fmt_http_date(when)),
            ("host".to_owned(), "a.example".to_owned()),
            ("digest".to_owned(), format!("SHA-256={}", STANDARD.encode(Sha256::digest(b"{}")))),
        ];
        let req = request(&headers, b"{}");
        let sig = parse_signature(&req).unwrap();
        prop_assert!(check_and_build_signing_string(&req, &sig, SystemTime::now()).is_err());
    }
}
