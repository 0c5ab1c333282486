//! Posts: `post_to_ap` for ours (a `Note`, or a `Tombstone` once deleted),
//! `ap_to_post` for others', and the library's `Object` trait.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::Object;
use maillage_core::id::Id;
use maillage_core::post::PostVisibility;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::{Error, ErrorKind};
use maillage_db::actors::{self, ActorRow};
use maillage_db::posts::{self, PostRow, PostTagRow};
use maillage_db::{transaction, DbConnection};
use maillage_service::conversations::{WireContext, ABOUT_LISTING};
use maillage_service::posts::MAX_POST_CHARS;
use maillage_service::text::{sanitize_capped, sanitize_html};

use serde_json::{json, Value};
use url::Url;

use super::actor::DbActor;
use super::{parse_time, rfc3339};
use crate::context::Data;
use crate::error::ApubError;
use crate::protocol::note::ApNote;
use crate::protocol::{context, is_public, MAILLAGE_NS as NS, PUBLIC};

#[derive(Debug, Clone)]
pub struct DbPost {
    pub row: PostRow,
    ap_id: Url,
}

impl DbPost {
    pub fn new(row: PostRow) -> Result<DbPost, Error> {
        let ap_id =
            Url::parse(&row.ap_id).map_err(|e| Error::internal(format!("post {}: {e}", row.ap_id)))?;
        Ok(DbPost { row, ap_id })
    }
}

/// The audience of a post, from its visibility (Mastodon's mapping).
pub fn audience(
    visibility: PostVisibility,
    followers: Option<&str>,
    mentioned: &[String],
) -> (Vec<String>, Vec<String>) {
    let followers: Vec<String> = followers.map(str::to_owned).into_iter().collect();
    let mentioned = mentioned.to_vec();
    match visibility {
        PostVisibility::Public => (vec![PUBLIC.to_owned()], [followers, mentioned].concat()),
        PostVisibility::Unlisted => (followers, [vec![PUBLIC.to_owned()], mentioned].concat()),
        PostVisibility::Followers => (followers, mentioned),
        PostVisibility::Direct => (mentioned, Vec::new()),
    }
}

/// The visibility a received post has, from its audience.
pub fn visibility_of(to: &[String], cc: &[String], author_followers: Option<&str>) -> PostVisibility {
    if to.iter().any(|a| is_public(a)) {
        PostVisibility::Public
    } else if cc.iter().any(|a| is_public(a)) {
        PostVisibility::Unlisted
    } else if author_followers.is_some_and(|f| to.iter().chain(cc).any(|a| a == f)) {
        PostVisibility::Followers
    } else {
        PostVisibility::Direct
    }
}

pub fn tombstone(ap_id: &str, deleted_at: Option<i64>) -> Value {
    let mut t = json!({ "@context": context(), "id": ap_id, "type": "Tombstone", "formerType": "Note" });
    if let Some(at) = deleted_at {
        t["deleted"] = json!(rfc3339(Timestamp::from_micros(at)));
    }
    t
}

pub const OBJECT_LINK_MEDIA_TYPE: &str =
    r#"application/ld+json; profile="https://www.w3.org/ns/activitystreams""#;

/// Our post as ActivityPub JSON. A direct post carries its conversation's
/// `context` (and `conversation`, which Mastodon and Pleroma also read)
/// and `directMessage`.
pub fn post_to_ap(
    post: &PostRow,
    author: &ActorRow,
    tags: &[PostTagRow],
    conversation: Option<&WireContext>,
    attachments: Vec<Value>,
) -> Value {
    if post.is_deleted() {
        return tombstone(&post.ap_id, post.deleted_at);
    }
    let to: Vec<String> = serde_json::from_str(&post.to_json).unwrap_or_default();
    let cc: Vec<String> = serde_json::from_str(&post.cc_json).unwrap_or_default();
    let mut tag: Vec<Value> = tags
        .iter()
        .map(|t| match t.kind.as_str() {
            "hashtag" => json!({ "type": "Hashtag", "name": format!("#{}", t.name), "href": t.href }),
            // FEP-e232 object links to the two listings a mediator paired.
            "pairing" => json!({
                "type": "Link",
                "mediaType": OBJECT_LINK_MEDIA_TYPE,
                "rel": format!("{NS}paired{}", if t.name == "need" { "Need" } else { "Offer" }),
                "name": t.name,
                "href": t.href,
            }),
            _ => json!({ "type": "Mention", "name": t.name, "href": t.href }),
        })
        .collect();
    let mut note = json!({
        "@context": context(),
        "id": post.ap_id,
        "type": post.kind,
        "attributedTo": author.ap_id,
        "content": post.content_html,
        "published": rfc3339(Timestamp::from_micros(post.published_at)),
        "to": to,
        "cc": cc,
        "sensitive": post.sensitive,
        "tag": tag,
        "url": post.url.clone().unwrap_or_else(|| post.ap_id.clone()),
    });
    if !attachments.is_empty() {
        note["attachment"] = json!(attachments);
    }
    if !post.summary.is_empty() {
        note["summary"] = json!(post.summary);
    }
    if post.visibility == PostVisibility::Direct {
        note["directMessage"] = json!(true);
        if let Some(c) = conversation {
            note["context"] = json!(c.uri);
            note["conversation"] = json!(c.uri);
            // What the conversation is about: a FEP-e232 object link.
            if let Some(listing) = &c.about_listing {
                tag.push(json!({
                    "type": "Link",
                    "mediaType": OBJECT_LINK_MEDIA_TYPE,
                    "rel": format!("{NS}about"),
                    "name": ABOUT_LISTING,
                    "href": listing,
                }));
                note["tag"] = json!(tag);
            }
        }
    }
    if let Some(reply) = &post.in_reply_to {
        note["inReplyTo"] = json!(reply);
    }
    if let Some(updated) = post.updated_at {
        note["updated"] = json!(rfc3339(Timestamp::from_micros(updated)));
    }
    if let Some(lang) = &post.language {
        note["contentMap"] = json!({ lang.clone(): post.content_html });
    }
    if let Some(source) = &post.source {
        note["source"] = json!({ "content": source, "mediaType": "text/markdown" });
    }
    note
}

/// A remote post's row and tags, sanitized. Keeps the id of the row it
/// replaces, if any.
pub fn ap_to_post(
    ap: &ApNote,
    author: &ActorRow,
    existing: Option<&PostRow>,
    now: Timestamp,
) -> (PostRow, Vec<PostTagRow>) {
    let id = existing.map(|e| e.id).unwrap_or_else(|| Id::generate_at(now).as_i64());
    let tags = ap
        .tags()
        .into_iter()
        .map(|t| PostTagRow {
            id: Id::generate_at(now).as_i64(),
            post_id: id,
            kind: t.kind,
            name: t.name,
            href: t.href,
        })
        .collect();
    let published = parse_time(ap.published.as_deref()).unwrap_or(now);
    let row = PostRow {
        id,
        ap_id: ap.id.to_string(),
        author_id: author.id,
        kind: ap.kind.clone(),
        content_html: sanitize_capped(&ap.content_html(), MAX_POST_CHARS),
        source: None,
        summary: ap.summary.clone().map(|s| sanitize_html(&s)).unwrap_or_default(),
        sensitive: ap.sensitive.unwrap_or(false),
        visibility: visibility_of(&ap.to, &ap.cc, author.followers_url.as_deref()),
        in_reply_to: ap.in_reply_to_id(),
        url: ap.url(),
        language: ap.language(),
        to_json: serde_json::to_string(&ap.to).unwrap_or_else(|_| "[]".into()),
        cc_json: serde_json::to_string(&ap.cc).unwrap_or_else(|_| "[]".into()),
        local: false,
        published_at: existing.map(|e| e.published_at).unwrap_or(published.as_micros()),
        updated_at: existing.map(|_| parse_time(ap.updated.as_deref()).unwrap_or(now).as_micros()),
        deleted_at: None,
    };
    (row, tags)
}

/// Checks that a post comes from where it claims: its id and its author on
/// the same host as `expected`.
pub fn verify_post_origin(ap: &ApNote, expected: &Url) -> Result<(), ApubError> {
    verify_domains_match(&ap.id, expected)?;
    let author = Url::parse(ap.author()).map_err(|_| Error::bad_request("attributedTo is not a URL"))?;
    verify_domains_match(&author, expected)?;
    Ok(())
}

/// Inserts or replaces a remote post whose author is known, on the
/// caller's transaction. A deleted or local post is left alone; only its
/// author may replace an existing one.
pub fn upsert_remote_post(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    ap: &ApNote,
    author: &ActorRow,
) -> Result<PostRow, Error> {
    let existing = posts::find_by_ap_id(conn, ap.id.as_str())?;
    if let Some(e) = &existing {
        if e.is_deleted() || e.local {
            return Ok(e.clone());
        }
        if e.author_id != author.id {
            return Err(Error::forbidden("only the author can change a post"));
        }
    }
    let (row, mut tags) = ap_to_post(ap, author, existing.as_ref(), Timestamp::now());
    let attachments = super::media::attachments_received(ap);
    // What a conversation is about belongs to the conversation, not the post.
    let about = tags.iter().find(|t| t.kind == "about").and_then(|t| t.href.clone());
    tags.retain(|t| t.kind != "about");
    name_unnamed_mentions(conn, &mut tags)?;
    match existing {
        Some(_) => posts::update(conn, &row, &tags)?,
        None => {
            if !posts::insert_or_ignore(conn, &row, &tags)? {
                // Stored meanwhile by a concurrent request.
                return posts::find_by_ap_id(conn, ap.id.as_str())?
                    .ok_or_else(|| Error::internal("post vanished"));
            }
            let about = match about {
                Some(href) => maillage_db::listings::find_by_ap_id(conn, &href)?.map(|l| l.id),
                None => None,
            };
            maillage_service::conversations::attach(
                conn,
                urls,
                &row,
                author,
                ap.context().as_deref(),
                about,
            )?;
            maillage_service::notices::tell_mentioned(conn, &row, author, None)?;
        }
    }
    maillage_service::media::record_remote(conn, author.id, row.id, &attachments)?;
    if let Some(poll) = crate::protocol::question::poll_of(ap) {
        maillage_service::polls::record_remote(conn, row.id, &poll)?;
    }
    Ok(row)
}

/// A mention sent without `name` is named by its `href`; when that actor
/// is known, it gets its handle instead, as a named mention would have.
fn name_unnamed_mentions(conn: &mut DbConnection, tags: &mut [PostTagRow]) -> Result<(), Error> {
    for tag in tags.iter_mut().filter(|t| t.kind == "mention" && t.href.as_deref() == Some(t.name.as_str())) {
        if let Some(actor) = actors::find_by_ap_id(conn, &tag.name)? {
            tag.name = format!("@{}@{}", actor.username, actor.domain);
        }
    }
    Ok(())
}

/// The author of a remote post, fetched if unknown.
pub async fn fetch_author(data: &Data, ap: &ApNote) -> Result<DbActor, Error> {
    let author_id: ObjectId<DbActor> =
        Url::parse(ap.author()).map_err(|_| Error::bad_request("attributedTo is not a URL"))?.into();
    author_id.dereference(data).await.map_err(Error::from)
}

/// Stores a remote post, fetching its author when unknown.
pub async fn store_remote_post(data: &Data, ap: ApNote) -> Result<PostRow, Error> {
    let author = fetch_author(data, &ap).await?;
    let urls = data.urls.clone();
    data.db
        .run(move |conn| transaction::write(conn, |conn| upsert_remote_post(conn, &urls, &ap, &author.row)))
        .await
}

#[async_trait::async_trait]
impl Object for DbPost {
    type DataType = crate::context::ApubContext;
    type Kind = Value;
    type Error = ApubError;

    fn id(&self) -> &Url {
        &self.ap_id
    }

    async fn read_from_id(object_id: Url, data: &Data) -> Result<Option<Self>, ApubError> {
        let id = object_id.to_string();
        let row = data.db.run(move |conn| posts::find_by_ap_id(conn, &id)).await?;
        Ok(row.map(DbPost::new).transpose()?)
    }

    fn is_deleted(&self) -> bool {
        self.row.is_deleted()
    }

    async fn into_json(self, data: &Data) -> Result<Value, ApubError> {
        let post = self.row;
        let urls = data.urls.clone();
        let json = data
            .db
            .run(move |conn| {
                let author = actors::find_by_id(conn, Id::from_i64(post.author_id))?
                    .ok_or_else(|| Error::internal("post without author"))?;
                let tags = posts::tags(conn, post.id())?;
                let context = maillage_service::conversations::context_of(conn, &post)?;
                let media = super::media::attachments_of(conn, &urls, post.id)?;
                Ok(post_to_ap(&post, &author, &tags, context.as_ref(), media))
            })
            .await?;
        Ok(json)
    }

    async fn verify(json: &Value, expected_domain: &Url, _data: &Data) -> Result<(), ApubError> {
        let ap = ApNote::parse(json.clone()).map_err(|m| Error::new(ErrorKind::BadRequest, m))?;
        verify_post_origin(&ap, expected_domain)
    }

    async fn from_json(json: Value, data: &Data) -> Result<Self, ApubError> {
        let ap = ApNote::parse(json).map_err(|m| Error::new(ErrorKind::BadRequest, m))?;
        Ok(DbPost::new(store_remote_post(data, ap).await?)?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::protocol::note::ApNote;

    fn post_with(tags: &[(&str, &str, &str)]) -> (PostRow, Vec<PostTagRow>) {
        let post = PostRow {
            id: 1,
            ap_id: "https://a.example/objects/1".into(),
            author_id: 2,
            kind: "Note".into(),
            content_html: "<p>paired</p>".into(),
            source: None,
            summary: String::new(),
            sensitive: false,
            visibility: PostVisibility::Direct,
            in_reply_to: None,
            url: None,
            language: None,
            to_json: r#"["https://b.example/users/bob"]"#.into(),
            cc_json: "[]".into(),
            local: true,
            published_at: 0,
            updated_at: None,
            deleted_at: None,
        };
        let tags = tags
            .iter()
            .enumerate()
            .map(|(i, (kind, name, href))| PostTagRow {
                id: i as i64,
                post_id: 1,
                kind: (*kind).into(),
                name: (*name).into(),
                href: Some((*href).into()),
            })
            .collect();
        (post, tags)
    }

    #[test]
    fn a_pairing_travels_as_object_links_and_reads_back() {
        let (post, tags) = post_with(&[
            ("mention", "@bob@b.example", "https://b.example/users/bob"),
            ("pairing", "need", "https://a.example/objects/10"),
            ("pairing", "offer", "https://b.example/objects/20"),
        ]);
        let author = maillage_test_support::actor_row(
            "https://a.example/users/savoirs",
            "savoirs",
            "a.example",
            "",
            true,
        );
        let json = post_to_ap(&post, &author, &tags, None, Vec::new());
        let links: Vec<&serde_json::Value> =
            json["tag"].as_array().unwrap().iter().filter(|t| t["type"] == "Link").collect();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0]["rel"], "https://maillage.org/ns#pairedNeed");
        assert_eq!(links[0]["mediaType"], OBJECT_LINK_MEDIA_TYPE);
        let note = ApNote::parse(json).unwrap();
        assert_eq!(
            note.pairing(),
            Some(("https://a.example/objects/10".into(), "https://b.example/objects/20".into()))
        );
    }

    #[test]
    fn a_note_without_both_links_pairs_nothing() {
        let (post, tags) = post_with(&[("pairing", "need", "https://a.example/objects/10")]);
        let author =
            maillage_test_support::actor_row("https://a.example/users/g", "g", "a.example", "", true);
        assert_eq!(
            ApNote::parse(post_to_ap(&post, &author, &tags, None, Vec::new())).unwrap().pairing(),
            None
        );
        let other_rel = serde_json::json!({
            "id": "https://a.example/objects/3", "type": "Note", "attributedTo": "https://a.example/users/g",
            "tag": [{ "type": "Link", "rel": ["alternate"], "href": "https://a.example/x" },
                    { "type": "Link", "rel": 3, "href": "https://a.example/y" }]
        });
        assert_eq!(ApNote::parse(other_rel).unwrap().pairing(), None);
    }
}
