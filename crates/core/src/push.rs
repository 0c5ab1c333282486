//! Web Push subscriptions as Mastodon apps send them: an endpoint, the
//! browser's P-256 public key and auth secret (RFC 8291), which kinds of
//! notification to push and from whom. Checked here, before anything is
//! stored.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

use crate::Error;

/// The alerts Mastodon apps set, all off unless asked.
pub const ALERTS: &[&str] = &[
    "mention",
    "status",
    "reblog",
    "follow",
    "follow_request",
    "favourite",
    "poll",
    "update",
    "admin.sign_up",
    "admin.report",
];

pub const POLICIES: &[&str] = &["all", "followed", "follower", "none"];

/// Longest endpoint URL accepted.
pub const ENDPOINT_MAX: usize = 2048;

/// Decodes a key as apps send it: URL-safe or standard base64, with or
/// without padding.
pub fn decode_key(text: &str) -> Option<Vec<u8>> {
    let trimmed = text.trim().trim_end_matches('=');
    URL_SAFE_NO_PAD
        .decode(trimmed)
        .ok()
        .or_else(|| STANDARD.decode(format!("{trimmed}{}", "=".repeat((4 - trimmed.len() % 4) % 4))).ok())
}

/// A subscription's endpoint and keys, checked: `https` (or `http` when
/// `allow_http`, for tests and debug nodes), a host, at most
/// [`ENDPOINT_MAX`] characters; `p256dh` an uncompressed P-256 point (65
/// bytes starting with 4); `auth` 16 bytes. Returns the keys URL-safe
/// encoded, as they are stored.
pub fn check_subscription(
    endpoint: &str,
    p256dh: &str,
    auth: &str,
    allow_http: bool,
) -> Result<(String, String), Error> {
    let bad = |field: &str, why: &str| Error::unprocessable(format!("Validation failed: {field}: {why}"));
    if endpoint.len() > ENDPOINT_MAX {
        return Err(bad("subscription[endpoint]", "is too long"));
    }
    let url = url::Url::parse(endpoint).map_err(|_| bad("subscription[endpoint]", "is not a URL"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        _ => return Err(bad("subscription[endpoint]", "must be an https URL")),
    }
    if url.host_str().is_none_or(str::is_empty) || !url.username().is_empty() {
        return Err(bad("subscription[endpoint]", "must name a host"));
    }
    let key = decode_key(p256dh).filter(|k| k.len() == 65 && k[0] == 4);
    let Some(key) = key else { return Err(bad("subscription[keys][p256dh]", "is not a P-256 public key")) };
    let Some(secret) = decode_key(auth).filter(|s| s.len() == 16) else {
        return Err(bad("subscription[keys][auth]", "must be 16 bytes"));
    };
    Ok((URL_SAFE_NO_PAD.encode(key), URL_SAFE_NO_PAD.encode(secret)))
}

pub fn check_policy(policy: &str) -> Result<(), Error> {
    if POLICIES.contains(&policy) {
        Ok(())
    } else {
        Err(Error::unprocessable("Validation failed: policy: must be one of all, followed, follower, none"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";

    #[test]
    fn keys_are_read_in_either_base64_and_checked() {
        let ok = check_subscription("https://push.example/abc", KEY, "BTBZMqHH6r4Tts7J_aSIgg", false);
        assert!(ok.is_ok(), "{ok:?}");
        let standard = STANDARD.encode(URL_SAFE_NO_PAD.decode(KEY).unwrap());
        assert_eq!(
            check_subscription("https://p.example/", &standard, "BTBZMqHH6r4Tts7J/aSIgg==", false).ok(),
            ok.ok()
        );
        for (endpoint, key, auth, field) in [
            ("http://push.example/a", KEY, "BTBZMqHH6r4Tts7J_aSIgg", "endpoint"),
            ("not a url", KEY, "BTBZMqHH6r4Tts7J_aSIgg", "endpoint"),
            ("https://push.example/a", "AAAA", "BTBZMqHH6r4Tts7J_aSIgg", "p256dh"),
            ("https://push.example/a", KEY, "short", "auth"),
        ] {
            let e = check_subscription(endpoint, key, auth, false).err().map(|e| e.message().to_owned());
            assert!(e.as_deref().is_some_and(|m| m.contains(field)), "{endpoint}: {e:?}");
        }
        assert!(check_subscription("http://127.0.0.1:9/x", KEY, "BTBZMqHH6r4Tts7J_aSIgg", true).is_ok());
    }
}
