//! A row of the outbox as an RFC 5322 message: plain text and HTML
//! alternatives, the row's Message-ID, and `List-Unsubscribe` with
//! one-click `List-Unsubscribe-Post` (RFC 8058) when the row has an
//! unsubscribe address.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;
use maillage_core::config::mail::parse_from;
use maillage_core::Error;
use maillage_db::mail_outbox::MailRow;

/// The sender of `[mail] from`, as lettre wants it.
pub fn mailbox_of(from: &str) -> Result<Mailbox, Error> {
    let (name, email) = parse_from(from).map_err(|e| Error::internal(format!("mail.from: {e}")))?;
    let address = email.as_str().parse().map_err(|e| Error::internal(format!("mail.from: {e}")))?;
    Ok(Mailbox::new(name, address))
}

fn header(name: &str, value: String) -> Result<HeaderValue, String> {
    let name = HeaderName::new_from_ascii(name.to_owned()).map_err(|e| e.to_string())?;
    Ok(HeaderValue::new(name, value))
}

/// The message for one row; an error (never worth a retry) when the
/// recipient or a header cannot be written.
pub fn build(from: &Mailbox, row: &MailRow) -> Result<Message, String> {
    let to: Mailbox = row.recipient.parse().map_err(|e| format!("recipient {:?}: {e}", row.recipient))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(row.message_id.clone()))
        .date_now();
    if let Some(url) = &row.unsubscribe_url {
        if url.chars().any(|c| c.is_control() || c == '>' || c == '<' || c.is_whitespace()) {
            return Err("unsubscribe URL holds a forbidden character".into());
        }
        builder = builder
            .raw_header(header("List-Unsubscribe", format!("<{url}>"))?)
            .raw_header(header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".into())?);
    }
    builder
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(row.body_text.clone()))
                .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(row.body_html.clone())),
        )
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(unsubscribe: Option<&str>) -> MailRow {
        MailRow {
            id: 1,
            user_id: None,
            recipient: "alice@example.org".into(),
            event_key: "e:1".into(),
            message_id: "<abc@example.org>".into(),
            subject: "Réinitialiser".into(),
            body_text: "Bonjour".into(),
            body_html: "<p>Bonjour</p>".into(),
            unsubscribe_url: unsubscribe.map(str::to_owned),
            state: "pending".into(),
            attempts: 0,
            next_attempt_at: 0,
            claimed_by: None,
            claimed_until: None,
            last_error: None,
            created_at: 0,
            finished_at: None,
        }
    }

    #[test]
    fn a_message_carries_both_bodies_its_id_and_the_unsubscribe_headers() {
        let from = mailbox_of("Maillage <noreply@example.org>").unwrap();
        let text = String::from_utf8(build(&from, &row(Some("https://x.example/u/1"))).unwrap().formatted())
            .unwrap();
        assert!(text.contains("Message-ID: <abc@example.org>"), "{text}");
        assert!(text.contains("List-Unsubscribe: <https://x.example/u/1>"), "{text}");
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{text}");
        assert!(text.contains("text/plain") && text.contains("text/html"), "{text}");
        let plain = String::from_utf8(build(&from, &row(None)).unwrap().formatted()).unwrap();
        assert!(!plain.contains("List-Unsubscribe"));
        assert!(build(&from, &row(Some("https://x.example/a b"))).is_err());
    }
}
