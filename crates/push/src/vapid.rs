//! The node's VAPID key pair (RFC 8292): made once, kept in
//! `node_secrets`, and the signed token each push carries.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use maillage_core::Error;
use maillage_db::DbConnection;

pub struct Vapid {
    key: EcdsaKeyPair,
    /// The public key, base64url, as apps and push services read it.
    pub public: String,
}

impl Vapid {
    /// The node's pair: the stored one, or a new one stored first (the
    /// first process to store it wins; the others read it back).
    pub fn load_or_make(conn: &mut DbConnection) -> Result<Vapid, Error> {
        let stored =
            maillage_db::notification_settings::secret(conn, maillage_service::push::VAPID_SECRET, || {
                make().unwrap_or_default()
            })?;
        let (private, _) = stored.split_once('.').ok_or_else(|| Error::internal("malformed VAPID secret"))?;
        let pkcs8 = URL_SAFE_NO_PAD.decode(private).map_err(|_| Error::internal("malformed VAPID secret"))?;
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8)
            .map_err(|_| Error::internal("malformed VAPID key"))?;
        let public = URL_SAFE_NO_PAD.encode(key.public_key().as_ref());
        Ok(Vapid { key, public })
    }

    /// `Authorization: vapid t=…, k=…` for a push to `endpoint`: a JWT
    /// (ES256) for the endpoint's origin, valid 12 hours, naming `subject`
    /// (a mailto: or https: URL to reach the node's admins).
    pub fn authorization(&self, endpoint: &url::Url, subject: &str, now_secs: u64) -> Result<String, Error> {
        let audience = endpoint.origin().ascii_serialization();
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({ "aud": audience, "exp": now_secs + 12 * 3600, "sub": subject });
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signing_input = format!("{header}.{claims}");
        let signature = self
            .key
            .sign(&SystemRandom::new(), signing_input.as_bytes())
            .map_err(|_| Error::internal("cannot sign the VAPID token"))?;
        Ok(format!(
            "vapid t={signing_input}.{}, k={}",
            URL_SAFE_NO_PAD.encode(signature.as_ref()),
            self.public
        ))
    }
}

/// A new pair as stored: `PKCS8.PUBLIC`, both base64url.
fn make() -> Option<String> {
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new()).ok()?;
    let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref()).ok()?;
    Some(format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(pkcs8.as_ref()),
        URL_SAFE_NO_PAD.encode(key.public_key().as_ref())
    ))
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED};

    use super::*;

    #[test]
    fn the_token_is_signed_for_the_endpoints_origin_and_verifies_with_the_public_key() {
        let stored = make().unwrap_or_default();
        let (private, public) = stored.split_once('.').unwrap_or_default();
        let pkcs8 = URL_SAFE_NO_PAD.decode(private).unwrap_or_default();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8).ok();
        let vapid = Vapid { key: key.unwrap_or_else(|| panic!("a key")), public: public.to_owned() };
        let endpoint =
            url::Url::parse("https://push.example:8443/send/abc?x=1").unwrap_or_else(|e| panic!("{e}"));
        let header = vapid.authorization(&endpoint, "mailto:admin@example.org", 1_000).unwrap_or_default();
        let token = header.strip_prefix("vapid t=").and_then(|r| r.split(", k=").next()).unwrap_or_default();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "{header}");
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap_or_default()).unwrap_or_default();
        assert_eq!(claims["aud"], "https://push.example:8443");
        assert_eq!(claims["exp"], 1_000 + 43_200);
        let point = URL_SAFE_NO_PAD.decode(public).unwrap_or_default();
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap_or_default();
        let signed = format!("{}.{}", parts[0], parts[1]);
        assert!(UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
            .verify(signed.as_bytes(), &signature)
            .is_ok());
        assert!(header.ends_with(&format!("k={public}")));
    }
}
