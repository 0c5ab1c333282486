//! The federation policy applied to what arrives: the content filters over
//! an incoming object's JSON, and the report a flagging filter files.

use maillage_core::id::Id;
use maillage_core::policy::{ContentVerdict, FederationPolicy, ObjectView};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::interactions::{self, ReportRow};
use maillage_db::DbConnection;
use serde_json::Value;

use crate::objects::parse_time;
use crate::protocol::values::first_id;

/// The host of a URL for messages, or "an unknown host".
pub fn host_or_unknown(url: &str) -> String {
    maillage_core::policy::host_of_url(url).unwrap_or_else(|| "an unknown host".into())
}

/// Plain text of an HTML fragment: tags dropped, the usual entities read.
fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

/// The filters' verdict on `object`, sent by an actor of `host`.
pub fn content_verdict(
    policy: &FederationPolicy,
    host: &str,
    object: &Value,
    is_listing: bool,
) -> ContentVerdict {
    if policy.filters.is_empty() {
        return ContentVerdict::Accept;
    }
    let field = |k: &str| object.get(k).and_then(Value::as_str).unwrap_or_default();
    let text = format!("{} {} {}", field("name"), plain_text(field("summary")), plain_text(field("content")));
    let hashtags: Vec<String> = object
        .get("tag")
        .map(|t| match t {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        })
        .unwrap_or_default()
        .iter()
        .filter(|t| t.get("type").and_then(Value::as_str) == Some("Hashtag"))
        .filter_map(|t| t.get("name").and_then(Value::as_str))
        .map(|n| n.trim_start_matches('#').to_owned())
        .collect();
    let location = object.get("location");
    let place = location.and_then(|l| Some((l.get("latitude")?.as_f64()?, l.get("longitude")?.as_f64()?)));
    let view = ObjectView {
        host,
        kind: field("type"),
        text: &text,
        hashtags: &hashtags,
        published: parse_time(object.get("published").and_then(Value::as_str)),
        place,
        is_listing,
    };
    policy.filters.check(&view, Timestamp::now())
}

/// Files the report of a flagging filter, signed by the instance actor,
/// about `object_id` by `author_id`.
pub fn file_automatic_report(
    conn: &mut DbConnection,
    object: &Value,
    author_id: i64,
    reason: &str,
) -> Result<(), Error> {
    let instance = maillage_service::actors::instance_actor(conn)?;
    let now = Timestamp::now();
    let ids: Vec<String> = first_id(object).into_iter().collect();
    interactions::insert_report(
        conn,
        &ReportRow {
            id: Id::generate_at(now).as_i64(),
            ap_id: None,
            reporter_id: instance.id,
            target_actor_id: Some(author_id),
            object_ids_json: serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()),
            comment: format!("Flagged by a content filter: {reason}"),
            created_at: now.as_micros(),
            resolved_at: None,
        },
    )
}
