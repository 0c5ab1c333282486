//! The example objects of fediverse-pasture-inputs and the cases of
//! funfedi-parsing-test-cases, built by their own code
//! (`tests/clients/wire_cases.py`) and delivered signed to a node's inbox
//! as the sending server would: each is shown through the Mastodon API
//! with its mentions and hashtags, except the kinds FEDERATION.md lists
//! under "What Maillage does not show".

use serde_json::Value;

use super::harness::{send_signed, TestNode};
use super::run_script;

/// The object of a case: a Create's, or the Create's inside an Announce.
fn object_of(activity: &Value) -> Option<&Value> {
    let object = activity.get("object")?;
    match object.get("type").and_then(Value::as_str) {
        Some("Create") => object.get("object"),
        _ => Some(object),
    }
}

/// Whether `object`'s content has text a reader sees (not only a script
/// or an image, which every sanitizer removes).
fn has_visible_text(object: &Value) -> bool {
    let html =
        object["content"].as_str().or_else(|| object["contentMap"].as_object()?.values().next()?.as_str());
    let Some(mut html) = html.map(str::to_owned) else { return false };
    while let (Some(start), Some(end)) = (html.find("<script"), html.find("</script>")) {
        html.replace_range(start..(end + "</script>".len()).max(start), "");
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    !text.trim().is_empty()
}

/// The tags of `object` whose type is `kind` (`Mention`, `as:Mention`).
fn tags_of<'v>(object: &'v Value, kind: &str) -> Vec<&'v Value> {
    let tags = match object.get("tag") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    let names =
        [kind.to_owned(), format!("as:{kind}"), format!("https://www.w3.org/ns/activitystreams#{kind}")];
    tags.into_iter().filter(|t| t["type"].as_str().is_some_and(|k| names.iter().any(|n| n == k))).collect()
}

/// The case kinds FEDERATION.md says are not shown: the backquoted
/// `pasture/…` and `funfedi/…` patterns of its section "What Maillage does
/// not show" (a trailing `*` matches any rest).
fn documented_not_shown() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/FEDERATION.md")).unwrap();
    let section: String = text
        .lines()
        .skip_while(|l| !l.contains("What Maillage does not show"))
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!section.is_empty(), "FEDERATION.md has a section \"What Maillage does not show\"");
    section
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with("pasture/") || s.starts_with("funfedi/"))
        .map(str::to_owned)
        .collect()
}

fn matches_pattern(case: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => case.starts_with(prefix),
        None => case == pattern,
    }
}

/// Whether the local `recipient` was told of a mention in the post `post_id`.
async fn told_of_mention(node: &TestNode, recipient: &str, post_id: i64) -> bool {
    let recipient = recipient.to_owned();
    node.with_db(move |c| {
        use diesel::prelude::*;
        use maillage_db::schema::notifications;
        let person = maillage_db::actors::find_local_by_username(c, &recipient).unwrap().unwrap();
        notifications::table
            .filter(notifications::recipient_id.eq(person.id))
            .filter(notifications::kind.eq("mention"))
            .filter(notifications::post_id.eq(post_id))
            .count()
            .get_result::<i64>(c)
            .unwrap()
            > 0
    })
    .await
}

#[actix_web::test]
async fn pasture_and_funfedi_cases_are_shown_with_their_mentions_and_hashtags() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    b.user("bob").await;
    b.user("bea").await;
    let people = [
        (a.url("/users/alice"), "alice".to_owned()),
        (b.url("/users/bob"), "bob".to_owned()),
        (b.url("/users/bea"), "bea".to_owned()),
    ];
    let args = people.iter().map(|(ap_id, _)| ap_id.clone());
    let args = vec![args.clone().nth(1).unwrap(), args.clone().nth(2).unwrap(), args.clone().next().unwrap()];
    let cases = run_script("wire_cases.py", args).await;
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), 262 + 79, "fediverse-pasture-inputs has 262 examples, funfedi 79 cases");

    let mut not_shown = Vec::new();
    let mut wrong = Vec::new();
    for case in cases {
        let name = case["case"].as_str().unwrap();
        let activity = &case["activity"];
        let status = send_signed(&b, "bob", &a, activity).await;
        if status >= 500 {
            wrong.push(format!("{name}: the inbox answered {status}"));
        }
        let object = object_of(activity);
        let Some(object_id) = object.and_then(|o| o["id"].as_str()) else {
            not_shown.push(name.to_owned());
            continue;
        };
        let id = object_id.to_owned();
        let post = a.with_db(move |c| maillage_db::posts::find_by_ap_id(c, &id).unwrap()).await;
        let Some(post) = post else {
            not_shown.push(name.to_owned());
            continue;
        };
        let (code, shown) = alice.get(&format!("/api/v1/statuses/{}", post.id)).await;
        if code != 200 {
            not_shown.push(name.to_owned());
            continue;
        }
        let object = object.unwrap();
        let content = shown["content"].as_str().unwrap_or_default();
        if has_visible_text(object) && content.trim().is_empty() {
            wrong.push(format!("{name}: content not shown"));
        }
        for mention in tags_of(object, "Mention") {
            let Some((_, username)) = people.iter().find(|(ap_id, _)| mention["href"] == ap_id.as_str())
            else {
                continue;
            };
            if !shown["mentions"].as_array().unwrap().iter().any(|m| m["username"] == username.as_str()) {
                wrong.push(format!(
                    "{name}: the mention of {username} ({mention}) is not shown: {}",
                    shown["mentions"]
                ));
            }
            if username == "alice" && !told_of_mention(&a, "alice", post.id).await {
                wrong.push(format!("{name}: alice is not told of her mention ({mention})"));
            }
        }
        for hashtag in tags_of(object, "Hashtag") {
            let Some(tag) = hashtag["name"].as_str() else { continue };
            let tag = tag.trim_start_matches('#').to_lowercase();
            if !shown["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["name"].as_str().map(str::to_lowercase) == Some(tag.clone()))
            {
                wrong.push(format!("{name}: the hashtag {tag} is not shown: {}", shown["tags"]));
            }
        }
    }
    assert!(wrong.is_empty(), "cases shown wrong:\n{}\n(not shown: {not_shown:?})", wrong.join("\n"));

    let patterns = documented_not_shown();
    let undocumented: Vec<&String> =
        not_shown.iter().filter(|c| !patterns.iter().any(|p| matches_pattern(c, p))).collect();
    let names: Vec<&str> = cases.iter().map(|c| c["case"].as_str().unwrap()).collect();
    let shown_yet_listed: Vec<(&str, &String)> = names
        .iter()
        .filter(|n| !not_shown.iter().any(|c| c == *n))
        .filter_map(|n| patterns.iter().find(|p| matches_pattern(n, p)).map(|p| (*n, p)))
        .collect();
    assert!(
        undocumented.is_empty() && shown_yet_listed.is_empty(),
        "FEDERATION.md's \"What Maillage does not show\" drifted.\nNot shown, not listed: {undocumented:#?}\nShown, yet listed: {shown_yet_listed:#?}"
    );
}
