//! Signing requests as a remote server would, to test what the inbox
//! accepts and refuses.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::SystemTime;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::RsaPrivateKey;
use sha2::{Digest, Sha256};

pub struct Signing<'a> {
    pub key_id: &'a str,
    pub private_pem: &'a str,
    pub date: SystemTime,
    /// How the digest algorithm is spelled (`SHA-256` or `sha-256`).
    pub digest_name: &'a str,
}

/// Headers of a signed POST of `body` to `url` (draft-cavage, as Mastodon
/// signs: `(request-target) host date digest content-type`).
pub fn signed_post_headers(url: &str, body: &[u8], s: &Signing<'_>) -> Vec<(String, String)> {
    let parsed = url::Url::parse(url).unwrap();
    let host = host_of(&parsed);
    let date = httpdate::fmt_http_date(s.date);
    let digest = format!("{}={}", s.digest_name, STANDARD.encode(Sha256::digest(body)));
    let content_type = "application/activity+json";
    let signing_string = format!(
        "(request-target): post {}\nhost: {host}\ndate: {date}\ndigest: {digest}\ncontent-type: {content_type}",
        parsed.path()
    );
    let header = signature_header(&signing_string, "(request-target) host date digest content-type", s);
    vec![
        ("Host".into(), host),
        ("Date".into(), date),
        ("Digest".into(), digest),
        ("Content-Type".into(), content_type.into()),
        ("Signature".into(), header),
    ]
}

fn host_of(url: &url::Url) -> String {
    match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap()),
        None => url.host_str().unwrap().to_owned(),
    }
}

/// The `Signature` header over `signing_string`, which covers `covered`.
fn signature_header(signing_string: &str, covered: &str, s: &Signing<'_>) -> String {
    let key = RsaPrivateKey::from_pkcs8_pem(s.private_pem).unwrap();
    let signature = SigningKey::<Sha256>::new(key).sign(signing_string.as_bytes()).to_bytes();
    format!(
        "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"{covered}\",signature=\"{}\"",
        s.key_id,
        STANDARD.encode(signature)
    )
}

/// A new RSA key that belongs to nobody.
pub fn stranger_key() -> String {
    use rsa::pkcs8::{EncodePrivateKey, LineEnding};
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string()
}

/// Headers of a signed GET of `url` (draft-cavage, as Mastodon signs its
/// fetches: `(request-target) host date`).
pub fn signed_get_headers(url: &str, s: &Signing<'_>) -> Vec<(String, String)> {
    let parsed = url::Url::parse(url).unwrap();
    let host = host_of(&parsed);
    let date = httpdate::fmt_http_date(s.date);
    let target = match parsed.query() {
        Some(q) => format!("{}?{q}", parsed.path()),
        None => parsed.path().to_owned(),
    };
    let signing_string = format!("(request-target): get {target}\nhost: {host}\ndate: {date}");
    let header = signature_header(&signing_string, "(request-target) host date", s);
    vec![("Host".into(), host), ("Date".into(), date), ("Signature".into(), header)]
}
