//! Polls: a `Question`'s options (`oneOf` or `anyOf`, each a `Note` named
//! by the option with its count in `replies.totalItems`), `endTime`,
//! `closed` and `votersCount`, as Mastodon sends them; and a vote, which
//! Mastodon casts as one `Create` of a `Note` per choice, named by the
//! option, in reply to the question, addressed to its author alone.

use maillage_core::poll::PollOption;
use maillage_core::time::Timestamp;
use maillage_service::polls::RemotePoll;
use serde_json::{json, Value};

use super::context;
use super::note::ApNote;

fn options_of(value: &Value) -> Vec<PollOption> {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        item @ Value::Object(_) => vec![item],
        _ => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|o| {
            let title = o.get("name")?.as_str()?.trim().to_owned();
            let votes =
                o.get("replies").and_then(|r| r.get("totalItems")).and_then(Value::as_i64).unwrap_or(0);
            (!title.is_empty()).then_some(PollOption { title, votes })
        })
        .collect()
}

fn time(raw: Option<&str>) -> Option<i64> {
    raw.and_then(Timestamp::parse_rfc3339).map(|t| t.as_micros())
}

/// The poll of a received `Question`; `None` for any other object.
pub fn poll_of(ap: &ApNote) -> Option<RemotePoll> {
    if ap.kind != "Question" {
        return None;
    }
    let (options, multiple) = match (&ap.one_of, &ap.any_of) {
        (Some(one), _) => (options_of(one), false),
        (None, Some(any)) => (options_of(any), true),
        (None, None) => return None,
    };
    let closed_at = match &ap.closed {
        Some(Value::String(at)) => time(Some(at)),
        Some(Value::Bool(true)) => Some(Timestamp::now().as_micros()),
        _ => None,
    };
    Some(RemotePoll {
        options,
        multiple,
        voters_count: ap.voters_count.as_ref().and_then(Value::as_i64),
        expires_at: time(ap.end_time.as_deref()),
        closed_at,
    })
}

/// The `Create` of one vote: `voter` chose `choice` in `question`, by
/// `author`; `vote_id` makes its id.
pub fn build_vote(voter: &str, vote_id: i64, question: &str, author: &str, choice: &str) -> Value {
    let id = format!("{voter}#votes/{vote_id}");
    json!({
        "@context": context(),
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": voter,
        "to": [author],
        "object": {
            "id": id,
            "type": "Note",
            "name": choice,
            "attributedTo": voter,
            "inReplyTo": question,
            "to": [author],
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mastodon_question_is_read() {
        let question = json!({
            "id": "https://m.example/users/ana/statuses/1", "type": "Question", "attributedTo": "https://m.example/users/ana",
            "content": "<p>Quel jour pour le marché ?</p>", "endTime": "2027-01-10T12:00:00Z", "votersCount": 3,
            "oneOf": [
                {"type": "Note", "name": "Samedi", "replies": {"type": "Collection", "totalItems": 2}},
                {"type": "Note", "name": "Dimanche", "replies": {"type": "Collection", "totalItems": 1}}
            ]
        });
        let poll = poll_of(&ApNote::parse(question).unwrap()).unwrap();
        assert!(!poll.multiple);
        assert_eq!(
            poll.options,
            vec![
                PollOption { title: "Samedi".into(), votes: 2 },
                PollOption { title: "Dimanche".into(), votes: 1 }
            ]
        );
        assert_eq!(poll.voters_count, Some(3));
        assert_eq!(poll.expires_at, Timestamp::parse_rfc3339("2027-01-10T12:00:00Z").map(|t| t.as_micros()));
    }

    #[test]
    fn a_vote_is_a_note_named_by_the_choice_in_reply_to_the_question() {
        let vote = build_vote(
            "https://a.example/users/bea",
            7,
            "https://m.example/users/ana/statuses/1",
            "https://m.example/users/ana",
            "Samedi",
        );
        assert_eq!(vote["id"], "https://a.example/users/bea#votes/7/activity");
        assert_eq!(vote["to"], json!(["https://m.example/users/ana"]));
        assert_eq!(vote["object"]["name"], "Samedi");
        assert_eq!(vote["object"]["inReplyTo"], "https://m.example/users/ana/statuses/1");
        assert!(vote["object"].get("content").is_none());
    }
}
