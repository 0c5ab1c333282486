//! Queueing e-mail: a use case writes the mail into the outbox in its own
//! transaction, in the recipient's language; the binary's sender
//! (`maillage-mail`) takes it from there. Each (recipient, event) is
//! queued once: the event key names what happened (`password_reset:ID`,
//! `interest:ID`…) and, with the address, becomes the Message-ID, so a
//! receiver can drop the rare second copy a crash could cause.
//!
//! With no SMTP server configured nothing is queued.

use maillage_core::config::Config;
use maillage_core::html::escape_html;
use maillage_core::i18n::Lang;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::mail_outbox::{self, MailRow};
use maillage_db::{users, DbConnection};
use sha2::{Digest, Sha256};

/// A mail's subject and bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailContent {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl MailContent {
    /// A mail of a few paragraphs and, optionally, one link (its label and
    /// address), signed by the territory: the same words as plain text and
    /// as HTML (escaped).
    pub fn compose(
        lang: Lang,
        territory: &str,
        subject: String,
        paragraphs: &[String],
        link: Option<(&str, &str)>,
    ) -> MailContent {
        Self::compose_with_footer(lang, territory, subject, paragraphs, link, &[])
    }

    /// [`compose`](Self::compose) with a footer: smaller paragraphs between
    /// the link and the signature (why the mail came, how to stop it).
    pub fn compose_with_footer(
        lang: Lang,
        territory: &str,
        subject: String,
        paragraphs: &[String],
        link: Option<(&str, &str)>,
        footer: &[String],
    ) -> MailContent {
        let mut text = String::new();
        let mut html = String::from("<!DOCTYPE html>\n<html><body>\n");
        for p in paragraphs {
            text.push_str(p);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>\n", escape_html(p)));
        }
        if let Some((label, url)) = link {
            text.push_str(&format!("{label}:\n{url}\n\n"));
            html.push_str(&format!("<p><a href=\"{}\">{}</a></p>\n", escape_html(url), escape_html(label)));
        }
        for p in footer {
            text.push_str(p);
            text.push_str("\n\n");
            html.push_str(&format!("<p style=\"color:#555;font-size:90%\">{}</p>\n", escape_html(p)));
        }
        let signature = lang.fill("mail_signature", &[territory]);
        text.push_str(&format!("-- \n{signature}\n"));
        html.push_str(&format!("<p>— {}</p>\n</body></html>\n", escape_html(&signature)));
        MailContent { subject, text, html }
    }
}

/// The Message-ID of (recipient, event) on this node: the same whenever
/// the mail is sent again.
pub fn message_id(config: &Config, recipient: &str, event_key: &str) -> String {
    let digest = Sha256::digest(format!("{}\0{event_key}", recipient.to_lowercase()).as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let host = config.instance.domain.split(':').next().unwrap_or("localhost");
    format!("<{hex}@{host}>")
}

/// Queues a mail to `address` for `event_key`; `Ok(false)` when mail is
/// off or this event was queued for this address already. Call it inside
/// the transaction of the change it tells of.
pub fn queue(
    conn: &mut DbConnection,
    config: &Config,
    user: Option<Id>,
    address: &str,
    event_key: &str,
    content: &MailContent,
    unsubscribe_url: Option<&str>,
) -> Result<bool, Error> {
    if !config.mail.enabled() {
        return Ok(false);
    }
    let now = Timestamp::now();
    let recipient = address.trim().to_lowercase();
    let row = MailRow {
        id: Id::generate_at(now).as_i64(),
        user_id: user.map(Id::as_i64),
        message_id: message_id(config, &recipient, event_key),
        recipient,
        event_key: event_key.to_owned(),
        subject: content.subject.clone(),
        body_text: content.text.clone(),
        body_html: content.html.clone(),
        unsubscribe_url: unsubscribe_url.map(str::to_owned),
        state: mail_outbox::PENDING.to_owned(),
        attempts: 0,
        next_attempt_at: now.as_micros(),
        claimed_by: None,
        claimed_until: None,
        last_error: None,
        created_at: now.as_micros(),
        finished_at: None,
    };
    mail_outbox::enqueue(conn, &row)
}

/// Queues a mail to a local person at their address, written in their
/// language by `compose`; `unsubscribe_url`, when given, goes into
/// `List-Unsubscribe` with one-click `List-Unsubscribe-Post` (RFC 8058).
pub fn queue_for_user(
    conn: &mut DbConnection,
    config: &Config,
    user: Id,
    event_key: &str,
    compose: impl FnOnce(Lang) -> MailContent,
    unsubscribe_url: Option<&str>,
) -> Result<bool, Error> {
    if !config.mail.enabled() {
        return Ok(false);
    }
    let row = users::find_by_id(conn, user)?.ok_or_else(|| Error::not_found("no such user"))?;
    let lang = language_of(&row.locale, &crate::territory_settings::territory(conn, config)?);
    let content = compose(lang);
    queue(conn, config, Some(user), &row.email, event_key, &content, unsubscribe_url)
}

/// A person's language: their locale, else the territory's.
pub fn language_of(locale: &str, territory: &maillage_core::config::TerritoryConfig) -> Lang {
    Lang::parse(locale).unwrap_or_else(|| Lang::of_tag(territory.default_language()))
}

/// How many mails wait to be sent, for admins and tests.
pub fn pending_count(conn: &mut DbConnection) -> Result<i64, Error> {
    mail_outbox::count_in_state(conn, mail_outbox::PENDING)
}

/// A test mail from the admin (`maillage admin mail test`), to check the
/// SMTP settings; each call is a new event.
pub fn queue_test(conn: &mut DbConnection, config: &Config, address: &str) -> Result<bool, Error> {
    let email = maillage_core::account::Email::parse(address)?;
    let territory = crate::territory_settings::territory(conn, config)?;
    let lang = Lang::of_tag(territory.default_language());
    let content = MailContent::compose(
        lang,
        &territory.name,
        lang.t("mail_test_subject").to_owned(),
        &[lang.t("mail_test_body").to_owned()],
        None,
    );
    let key = format!("test:{}", Id::generate().as_i64());
    maillage_db::transaction::write(conn, |conn| {
        queue(conn, config, None, email.as_str(), &key, &content, None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_and_text_kept() {
        let m = MailContent::compose(
            Lang::En,
            "Vallée <verte>",
            "Hi".into(),
            &["a < b & \"c\"".into()],
            Some(("Go", "https://x.example/?a=1&b=2")),
        );
        assert!(m.text.contains("a < b & \"c\""));
        assert!(m.html.contains("a &lt; b &amp; &quot;c&quot;"));
        assert!(m.html.contains("href=\"https://x.example/?a=1&amp;b=2\""));
        assert!(m.html.contains("Vallée &lt;verte&gt;"));
    }

    #[test]
    fn message_ids_follow_the_dedupe_key() {
        let c = Config::default();
        let a = message_id(&c, "Alice@Example.org", "reset:1");
        assert_eq!(a, message_id(&c, "alice@example.org", "reset:1"));
        assert_ne!(a, message_id(&c, "alice@example.org", "reset:2"));
        assert!(a.starts_with('<') && a.ends_with("@localhost>"));
    }
}
