//! `[mail]`: the SMTP server outgoing mail goes through, and the sender.

use serde::Deserialize;

use crate::account::Email;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// `smtp://HOST:PORT` (plain, or STARTTLS with `?tls=required`),
    /// `smtps://HOST:PORT` (TLS from the start), with `USER:PASSWORD@`
    /// before the host when the server asks for them. Empty: no mail is
    /// sent (and none is queued).
    pub smtp_url: String,
    /// The sender: `noreply@example.org` or `Maillage <noreply@example.org>`.
    pub from: String,
    /// Mails sent at once, all recipients together.
    pub concurrency: usize,
    /// Delay before the first retry; each further retry doubles it.
    pub retry_base_secs: u64,
    /// Longest delay between two retries.
    pub retry_max_delay_secs: u64,
    /// Attempts before a mail is given up.
    pub retry_max_attempts: u32,
    /// Sent and failed mails are kept this long, then pruned.
    pub retention_hours: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_url: String::new(),
            from: String::new(),
            concurrency: 8,
            retry_base_secs: 30,
            retry_max_delay_secs: 3600,
            retry_max_attempts: 12,
            retention_hours: 168,
        }
    }
}

/// What an SMTP URL says, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub host: String,
    pub port: u16,
    /// `smtps://`: TLS from the first byte.
    pub implicit_tls: bool,
    /// `?tls=required` (STARTTLS or nothing) or `?tls=opportunistic`.
    pub starttls: Option<String>,
    pub user: Option<String>,
    /// Percent-decoded, as written after `USER:`.
    pub password: Option<String>,
}

impl SmtpUrl {
    pub fn parse(raw: &str) -> Result<SmtpUrl, String> {
        let bad = |why: &str| {
            Err(format!(
                "{why} (expected smtp://HOST:PORT, smtp://HOST:587?tls=required or smtps://HOST:465)"
            ))
        };
        let Ok(url) = url::Url::parse(raw.trim()) else { return bad("not a URL") };
        let implicit_tls = match url.scheme() {
            "smtp" => false,
            "smtps" => true,
            other => return bad(&format!("the scheme must be smtp or smtps, found \"{other}\"")),
        };
        let host = match url.host_str() {
            Some(h) if !h.is_empty() => h.trim_matches(|c| c == '[' || c == ']').to_owned(),
            _ => return bad("no host"),
        };
        if !matches!(url.path(), "" | "/") || url.fragment().is_some() {
            return bad("no path or fragment is allowed");
        }
        let mut starttls = None;
        for (key, value) in url.query_pairs() {
            match (&*key, &*value) {
                ("tls", "required" | "opportunistic") if !implicit_tls => starttls = Some(value.into_owned()),
                ("tls", _) => return bad("tls must be required or opportunistic, and only with smtp://"),
                _ => return bad(&format!("unknown parameter \"{key}\"")),
            }
        }
        let port = url.port().unwrap_or(if implicit_tls { 465 } else { 25 });
        let user = (!url.username().is_empty()).then(|| percent_decode(url.username()));
        let password = url.password().map(percent_decode);
        Ok(SmtpUrl { host, port, implicit_tls, starttls, user, password })
    }
}

/// `%XX` sequences as the bytes they stand for (a user or password in a
/// URL); anything else kept.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The sender's display name, if any, and address.
pub fn parse_from(raw: &str) -> Result<(Option<String>, Email), String> {
    let raw = raw.trim();
    let (name, address) = match raw.rsplit_once('<') {
        Some((name, rest)) => match rest.strip_suffix('>') {
            Some(address) => (Some(name.trim().trim_matches('"').to_owned()), address),
            None => return Err(format!("expected Name <address@example.org>, found \"{raw}\"")),
        },
        None => (None, raw),
    };
    if name.as_deref().is_some_and(|n| n.chars().any(|c| c.is_control() || c == '"' || c == '<')) {
        return Err(format!("the name before <address> holds a forbidden character: \"{raw}\""));
    }
    let email = Email::parse(address).map_err(|e| e.message().to_owned())?;
    Ok((name.filter(|n| !n.is_empty()), email))
}

impl MailConfig {
    /// Whether mail is sent at all.
    pub fn enabled(&self) -> bool {
        !self.smtp_url.trim().is_empty()
    }

    /// `(key, message)` for every impossible value.
    pub(super) fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let range = |v: u64, min: u64, max: u64| {
            (v < min || v > max).then(|| format!("expected an integer from {min} to {max}, found {v}"))
        };
        for (key, problem) in [
            ("mail.concurrency", range(self.concurrency as u64, 1, 256)),
            ("mail.retry_base_secs", range(self.retry_base_secs, 1, 86_400)),
            ("mail.retry_max_delay_secs", range(self.retry_max_delay_secs, 1, 7 * 86_400)),
            ("mail.retry_max_attempts", range(u64::from(self.retry_max_attempts), 1, 100)),
            ("mail.retention_hours", range(self.retention_hours, 1, 24 * 365)),
        ] {
            if let Some(message) = problem {
                out.push((key, message));
            }
        }
        if !self.enabled() {
            return out;
        }
        if let Err(message) = SmtpUrl::parse(&self.smtp_url) {
            out.push(("mail.smtp_url", message));
        }
        if self.from.trim().is_empty() {
            out.push(("mail.from", "required when mail.smtp_url is set, e.g. noreply@example.org".into()));
        } else if let Err(message) = parse_from(&self.from) {
            out.push(("mail.from", message));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_of_every_kind() {
        let plain = SmtpUrl::parse("smtp://127.0.0.1:2525").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((plain.port, plain.implicit_tls, plain.starttls), (2525, false, None));
        let tls = SmtpUrl::parse("smtps://mail.example.org").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((tls.port, tls.implicit_tls), (465, true));
        let start =
            SmtpUrl::parse("smtp://u:p@mail.example.org:587?tls=required").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((start.starttls.as_deref(), start.user.as_deref()), (Some("required"), Some("u")));
        let secret =
            SmtpUrl::parse("smtp://me%40x.org:p%40ss%3Aw@mail.example.org").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((secret.user.as_deref(), secret.password.as_deref()), (Some("me@x.org"), Some("p@ss:w")));
        for bad in [
            "",
            "mail.example.org",
            "http://x:25",
            "smtp://",
            "smtp://x:25/path",
            "smtps://x?tls=required",
            "smtp://x?tls=maybe",
            "smtp://x?foo=1",
        ] {
            assert!(SmtpUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn senders_with_and_without_a_name() {
        let (name, email) = parse_from("Maillage <noreply@example.org>").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((name.as_deref(), email.as_str()), (Some("Maillage"), "noreply@example.org"));
        assert!(parse_from("noreply@example.org").is_ok_and(|(n, _)| n.is_none()));
        for bad in ["noreply", "Name <noreply@example.org", "Na\"me <a@example.org>", "<>"] {
            assert!(parse_from(bad).is_err(), "{bad}");
        }
    }
}
