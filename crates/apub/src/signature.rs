//! HTTP signatures (draft-cavage-http-signatures, as the fediverse uses
//! them), verified with aws-lc-rs: about ten times the verifications per
//! second of the `rsa` crate, which the inbox's throughput depends on.
//!
//! Rules: the signature must cover `(request-target)`, `host`, a date
//! (`date` or `(created)`) within 12 hours, and for a POST a `digest` that
//! matches the body (SHA-256, algorithm name in any case). RFC 9421
//! signatures (`Signature-Input`) are refused with 401 so that peers fall
//! back to draft-cavage.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use aws_lc_rs::signature::{UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use maillage_core::Error;
use sha2::{Digest, Sha256};

pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(12 * 3600);

/// A request as the inbox sees it: lower-case header names.
#[derive(Debug, Clone)]
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub path_and_query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl SignedRequest<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSignature {
    pub key_id: String,
    pub headers: Vec<String>,
    pub signature: Vec<u8>,
    created: Option<i64>,
    expires: Option<i64>,
}

impl ParsedSignature {
    /// The actor the key belongs to: the key id without its fragment.
    pub fn actor_id(&self) -> &str {
        self.key_id.split('#').next().unwrap_or_default()
    }
}

fn unauthorized(message: impl Into<String>) -> Error {
    Error::unauthorized(message)
}

/// Reads the `Signature` header (or `Authorization: Signature …`).
pub fn parse_signature(req: &SignedRequest<'_>) -> Result<ParsedSignature, Error> {
    let raw = req
        .header("signature")
        .or_else(|| req.header("authorization").and_then(|a| a.strip_prefix("Signature ")))
        .ok_or_else(|| {
            if req.header("signature-input").is_some() {
                unauthorized("RFC 9421 signatures are not supported: sign with draft-cavage HTTP signatures")
            } else {
                unauthorized("the request is not signed")
            }
        })?;
    let mut params = HashMap::new();
    for part in split_params(raw) {
        if let Some((k, v)) = part.split_once('=') {
            params.insert(k.trim().to_ascii_lowercase(), v.trim().trim_matches('"').to_owned());
        }
    }
    let (Some(key_id), Some(signature)) = (params.get("keyid"), params.get("signature")) else {
        return Err(if req.header("signature-input").is_some() {
            unauthorized("RFC 9421 signatures are not supported: sign with draft-cavage HTTP signatures")
        } else {
            unauthorized("the Signature header lacks keyId or signature")
        });
    };
    if let Some(alg) = params.get("algorithm") {
        if !matches!(alg.to_ascii_lowercase().as_str(), "rsa-sha256" | "hs2019") {
            return Err(unauthorized(format!("unsupported signature algorithm {alg}")));
        }
    }
    let headers = params
        .get("headers")
        .map(|h| h.split_whitespace().map(str::to_ascii_lowercase).collect())
        .unwrap_or_else(|| vec!["date".to_owned()]);
    let signature = STANDARD.decode(signature).map_err(|_| unauthorized("the signature is not base64"))?;
    let int = |k: &str| params.get(k).and_then(|v| v.parse::<i64>().ok());
    Ok(ParsedSignature {
        key_id: key_id.clone(),
        headers,
        signature,
        created: int("created"),
        expires: int("expires"),
    })
}

/// Splits on commas outside quotes.
fn split_params(raw: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in raw.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&raw[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&raw[start..]);
    parts
}

/// Checks what the signature must cover and the freshness of the request;
/// returns the signing string.
pub fn check_and_build_signing_string(
    req: &SignedRequest<'_>,
    sig: &ParsedSignature,
    now: SystemTime,
) -> Result<String, Error> {
    let covers = |h: &str| sig.headers.iter().any(|x| x == h);
    if !covers("(request-target)") {
        return Err(unauthorized("the signature must cover (request-target)"));
    }
    if !covers("host") {
        return Err(unauthorized("the signature must cover host"));
    }
    let is_post = req.method.eq_ignore_ascii_case("POST");
    if is_post && !covers("digest") {
        return Err(unauthorized("the signature of a POST must cover digest"));
    }
    let date = if covers("(created)") {
        sig.created.map(|c| SystemTime::UNIX_EPOCH + Duration::from_secs(c.max(0) as u64))
    } else if covers("date") {
        req.header("date").and_then(|d| httpdate::parse_http_date(d).ok())
    } else {
        return Err(unauthorized("the signature must cover date or (created)"));
    };
    let date = date.ok_or_else(|| unauthorized("missing or malformed Date"))?;
    let skew = now.duration_since(date).or_else(|e| Ok::<_, Error>(e.duration()))?;
    if skew > MAX_CLOCK_SKEW {
        return Err(unauthorized("the request's Date is more than 12 hours away"));
    }
    if let Some(expires) = sig.expires {
        let now_secs = now.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        if covers("(expires)") && expires < now_secs {
            return Err(unauthorized("the signature has expired"));
        }
    }
    if is_post {
        verify_digest(req)?;
    }
    let mut lines = Vec::with_capacity(sig.headers.len());
    for name in &sig.headers {
        let value = match name.as_str() {
            "(request-target)" => format!("{} {}", req.method.to_ascii_lowercase(), req.path_and_query),
            "(created)" => {
                sig.created.map(|c| c.to_string()).ok_or_else(|| unauthorized("(created) is missing"))?
            }
            "(expires)" => {
                sig.expires.map(|c| c.to_string()).ok_or_else(|| unauthorized("(expires) is missing"))?
            }
            other => {
                let values = req.header_values(other);
                if values.is_empty() {
                    return Err(unauthorized(format!("signed header {other} is missing")));
                }
                values.iter().map(|v| v.trim()).collect::<Vec<_>>().join(", ")
            }
        };
        lines.push(format!("{name}: {value}"));
    }
    Ok(lines.join("\n"))
}

/// The body must match its `Digest` header's SHA-256 entry.
pub fn verify_digest(req: &SignedRequest<'_>) -> Result<(), Error> {
    let header = req.header("digest").ok_or_else(|| unauthorized("the request has no Digest header"))?;
    let expected = header
        .split(',')
        .filter_map(|part| part.trim().split_once('='))
        .find(|(alg, _)| alg.eq_ignore_ascii_case("sha-256"))
        .map(|(_, v)| v.trim())
        .ok_or_else(|| unauthorized("the Digest header has no SHA-256 entry"))?;
    let actual = STANDARD.encode(Sha256::digest(req.body));
    if actual != expected {
        return Err(unauthorized("the Digest does not match the body"));
    }
    Ok(())
}

/// The DER bytes inside a PEM block.
pub fn pem_to_der(pem: &str) -> Result<Vec<u8>, Error> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).map(str::trim).collect();
    STANDARD.decode(body).map_err(|_| unauthorized("the actor's public key is not valid PEM"))
}

/// RSASSA-PKCS1-v1_5 with SHA-256 over the signing string.
pub fn verify_rsa_sha256(public_key_pem: &str, message: &str, signature: &[u8]) -> Result<(), Error> {
    let der = pem_to_der(public_key_pem)?;
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der)
        .verify(message.as_bytes(), signature)
        .map_err(|_| unauthorized("the signature does not verify"))
}
