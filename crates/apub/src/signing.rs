//! Signing outgoing POSTs (draft-cavage, as Mastodon signs them) with
//! aws-lc-rs: several times the signatures per second of the `rsa` crate,
//! which the fan-out to many inboxes is bounded by.

use std::time::SystemTime;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use maillage_core::Error;
use sha2::{Digest, Sha256};
use url::Url;

use crate::signature::pem_to_der;

pub const ACTIVITY_CONTENT_TYPE: &str = "application/activity+json";
const SIGNED_HEADERS: &str = "(request-target) host date digest content-type";

/// A local actor's private key, parsed once.
pub struct SigningKey {
    key_id: String,
    pair: RsaKeyPair,
    rng: SystemRandom,
}

impl SigningKey {
    /// `key_id` is the actor's id with `#main-key`; `pem` its PKCS#8 key.
    pub fn from_pem(key_id: String, pem: &str) -> Result<SigningKey, Error> {
        let der = pem_to_der(pem).map_err(|_| Error::internal("a local private key is not valid PEM"))?;
        let pair = RsaKeyPair::from_pkcs8(&der)
            .map_err(|e| Error::internal(format!("a local private key is unusable: {e}")))?;
        Ok(SigningKey { key_id, pair, rng: SystemRandom::new() })
    }

    /// The headers of a signed POST of `body` to `url`.
    pub fn sign_post(
        &self,
        url: &Url,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Vec<(&'static str, String)>, Error> {
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => return Err(Error::bad_request("the inbox URL has no host")),
        };
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let date = httpdate::fmt_http_date(now);
        let digest = format!("SHA-256={}", STANDARD.encode(Sha256::digest(body)));
        let signing_string = format!(
            "(request-target): post {target}\nhost: {host}\ndate: {date}\ndigest: {digest}\ncontent-type: {ACTIVITY_CONTENT_TYPE}"
        );
        let mut signature = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(&RSA_PKCS1_SHA256, &self.rng, signing_string.as_bytes(), &mut signature)
            .map_err(|_| Error::internal("signing failed"))?;
        let header = format!(
            "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"{SIGNED_HEADERS}\",signature=\"{}\"",
            self.key_id,
            STANDARD.encode(&signature)
        );
        Ok(vec![
            ("host", host),
            ("date", date),
            ("digest", digest),
            ("content-type", ACTIVITY_CONTENT_TYPE.to_owned()),
            ("signature", header),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::{
        check_and_build_signing_string, parse_signature, verify_rsa_sha256, SignedRequest,
    };

    #[test]
    fn our_signatures_verify_with_our_verifier() {
        let keys = maillage_service::keys::generate_keypair().unwrap_or_else(|e| unreachable!("{e}"));
        let key = SigningKey::from_pem("https://a.example/users/al#main-key".into(), &keys.private_pem)
            .unwrap_or_else(|e| unreachable!("{e}"));
        let url = Url::parse("https://b.example:8443/inbox").unwrap_or_else(|e| unreachable!("{e}"));
        let body = br#"{"type":"Create"}"#;
        let now = SystemTime::now();
        let headers: Vec<(String, String)> = key
            .sign_post(&url, body, now)
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let req = SignedRequest { method: "POST", path_and_query: "/inbox", headers: &headers, body };
        let sig = parse_signature(&req).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(sig.actor_id(), "https://a.example/users/al");
        let signing_string =
            check_and_build_signing_string(&req, &sig, now).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(verify_rsa_sha256(&keys.public_pem, &signing_string, &sig.signature).is_ok());

        let tampered = SignedRequest { body: b"{}", ..req.clone() };
        assert!(check_and_build_signing_string(&tampered, &sig, now).is_err(), "digest mismatch");
        let other = maillage_service::keys::generate_keypair().unwrap_or_else(|e| unreachable!("{e}"));
        assert!(verify_rsa_sha256(&other.public_pem, &signing_string, &sig.signature).is_err());
    }

    #[test]
    fn lower_case_digest_names_are_accepted() {
        let body = b"hello";
        let digest = format!("sha-256={}", STANDARD.encode(Sha256::digest(body)));
        let headers = vec![("digest".to_owned(), digest)];
        let req = SignedRequest { method: "POST", path_and_query: "/inbox", headers: &headers, body };
        assert!(crate::signature::verify_digest(&req).is_ok());
        let headers = vec![("digest".to_owned(), "MD5=abc".to_owned())];
        let req = SignedRequest { headers: &headers, ..req };
        assert!(crate::signature::verify_digest(&req).is_err());
    }
}
