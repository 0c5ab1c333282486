//! Posts by local people and groups: Markdown in, sanitized HTML out,
//! hashtags and mentions as tags, and the federation of every change.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::post::PostVisibility;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::posts::{self, PostRow, PostTagRow};
use maillage_db::{status_views, transaction, DbConnection};

use crate::actors::actor_of_user;
use crate::federation::{Outbound, Outgoing};
use crate::text::{render_markdown, Token};

mod read;
pub use read::{
    by_author, can_see, get_visible, hashtags_starting, local_object, status_facts, thread, timeline,
    StatusFacts,
};

pub const MAX_POST_CHARS: usize = 5000;
const PUBLIC_URI: &str = "https://www.w3.org/ns/activitystreams#Public";

#[derive(Debug, Clone, Default)]
pub struct NewPost {
    pub text: String,
    pub visibility: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub in_reply_to: Option<Id>,
    pub language: Option<String>,
    /// Uploads to attach, in order; `None` keeps what an edited post has.
    pub media_ids: Option<Vec<Id>>,
}

pub(crate) fn check(new: &NewPost) -> Result<PostVisibility, Error> {
    let has_media = new.media_ids.as_ref().is_some_and(|m| !m.is_empty());
    if new.text.trim().is_empty() && !has_media {
        return Err(Error::unprocessable("Validation failed: Text can't be blank"));
    }
    if new.text.chars().count() > MAX_POST_CHARS {
        return Err(Error::unprocessable(format!(
            "Validation failed: Text is longer than {MAX_POST_CHARS} characters"
        )));
    }
    let name = new.visibility.as_deref().unwrap_or("public");
    let visibility: PostVisibility = name
        .parse()
        .map_err(|_| Error::unprocessable(format!("Validation failed: unknown visibility \"{name}\"")))?;
    if let Some(lang) = &new.language {
        if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(Error::unprocessable("Validation failed: language must be an ISO 639 code"));
        }
    }
    Ok(visibility)
}

/// Renders the text and resolves its tokens against known actors. Mentions
/// of accounts we have never seen stay plain text.
fn render(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    post_id: i64,
    text: &str,
    now: Timestamp,
) -> Result<(String, Vec<PostTagRow>, Vec<ActorRow>), Error> {
    let mut tags = Vec::new();
    let mut mentioned = Vec::new();
    for token in crate::text::scan_tokens(text) {
        match &token {
            Token::Hashtag(name) => tags.push(PostTagRow {
                id: Id::generate_at(now).as_i64(),
                post_id,
                kind: "hashtag".into(),
                name: name.clone(),
                href: Some(urls.tag(name)),
            }),
            Token::Mention { username, domain } => {
                let domain = domain.clone().unwrap_or_else(|| urls.domain().to_owned());
                if let Some(actor) = actors::find_by_handle(conn, &username.to_lowercase(), &domain)? {
                    tags.push(PostTagRow {
                        id: Id::generate_at(now).as_i64(),
                        post_id,
                        kind: "mention".into(),
                        name: format!("@{}@{}", actor.username, actor.domain),
                        href: Some(actor.ap_id.clone()),
                    });
                    mentioned.push(actor);
                }
            }
        }
    }
    let html = render_markdown(text, &|token| match token {
        Token::Hashtag(name) => Some(format!(
            r#"<a href="{}" class="mention hashtag" rel="tag">#<span>{name}</span></a>"#,
            urls.tag(name)
        )),
        Token::Mention { username, domain } => {
            let domain = domain.clone().unwrap_or_else(|| urls.domain().to_owned());
            mentioned.iter().find(|a| a.username_lower == username.to_lowercase() && a.domain == domain).map(|a| {
                let href = a.url.clone().unwrap_or_else(|| a.ap_id.clone());
                format!(r#"<span class="h-card"><a href="{href}" class="u-url mention">@<span>{}</span></a></span>"#, a.username)
            })
        }
    });
    Ok((html, tags, mentioned))
}

/// Creates a post by `user`; federates it in the same transaction.
pub fn create(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    new: &NewPost,
) -> Result<PostRow, Error> {
    let visibility = check(new)?;
    let author = actor_of_user(conn, user.id)?;
    create_as(conn, outbound, urls, &author, new, visibility, &Addressing::default())
}

/// What a message written into a conversation adds to a post: people
/// addressed without being named in its text, the listing the conversation
/// is about, and text already in HTML (the messages
/// the node writes for a person when an exchange moves on).
#[derive(Debug, Default)]
pub(crate) struct Addressing<'a> {
    pub recipients: &'a [ActorRow],
    pub about: Option<i64>,
    pub html: Option<String>,
    /// What the people addressed are told it is (`interest`…), when not
    /// a plain message.
    pub reason: Option<&'static str>,
}

pub(crate) fn create_as(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    author: &ActorRow,
    new: &NewPost,
    visibility: PostVisibility,
    addressing: &Addressing<'_>,
) -> Result<PostRow, Error> {
    let now = Timestamp::now();
    let id = Id::generate_at(now);
    transaction::write(conn, |conn| {
        let in_reply_to = match new.in_reply_to {
            Some(parent) => Some(
                posts::find_by_id(conn, parent)?
                    .filter(|p| !p.is_deleted())
                    .ok_or_else(|| Error::not_found("Record not found: the post replied to does not exist"))?
                    .ap_id,
            ),
            None => None,
        };
        let (mut html, mut tags, mut mentioned) = render(conn, urls, id.as_i64(), &new.text, now)?;
        for to in addressing.recipients {
            if !mentioned.iter().any(|m| m.id == to.id) {
                tags.push(mention_tag(id.as_i64(), to, now));
                mentioned.push(to.clone());
            }
        }
        if let Some(given) = &addressing.html {
            html = given.clone();
        }
        let mention_ids: Vec<String> = mentioned.iter().map(|a| a.ap_id.clone()).collect();
        let followers = author.followers_url.clone().into_iter().collect::<Vec<_>>();
        let (to, cc): (Vec<String>, Vec<String>) = match visibility {
            PostVisibility::Public => (vec![PUBLIC_URI.into()], [followers, mention_ids].concat()),
            PostVisibility::Unlisted => (followers, [vec![PUBLIC_URI.into()], mention_ids].concat()),
            PostVisibility::Followers => (followers, mention_ids),
            PostVisibility::Direct => (mention_ids, Vec::new()),
        };
        let row = PostRow {
            id: id.as_i64(),
            ap_id: urls.object(id),
            author_id: author.id,
            kind: "Note".into(),
            content_html: html,
            source: addressing.html.is_none().then(|| new.text.clone()),
            summary: crate::text::sanitize_html(new.spoiler_text.trim()),
            sensitive: new.sensitive || !new.spoiler_text.trim().is_empty(),
            visibility,
            in_reply_to,
            url: author.url.as_ref().map(|u| format!("{u}/{id}")),
            language: new.language.clone(),
            to_json: serde_json::to_string(&to).map_err(Error::internal)?,
            cc_json: serde_json::to_string(&cc).map_err(Error::internal)?,
            local: true,
            published_at: now.as_micros(),
            updated_at: None,
            deleted_at: None,
        };
        posts::insert(conn, &row, &tags)?;
        if let Some(media) = &new.media_ids {
            crate::media::attach(conn, author.id, row.id, media, crate::media::MAX_STATUS_MEDIA)?;
        }
        crate::conversations::attach(conn, urls, &row, author, None, addressing.about)?;
        crate::notices::tell_mentioned(conn, &row, author, addressing.reason)?;
        outbound.publish(conn, Outgoing::CreatePost { post: &row, author })?;
        Ok(row)
    })
}

fn mention_tag(post_id: i64, to: &ActorRow, now: Timestamp) -> PostTagRow {
    PostTagRow {
        id: Id::generate_at(now).as_i64(),
        post_id,
        kind: "mention".into(),
        name: format!("@{}@{}", to.username, to.domain),
        href: Some(to.ap_id.clone()),
    }
}

/// A local post that `user` wrote, or 404 (never 403: others' posts are
/// not revealed by a different answer).
fn own_post(conn: &mut DbConnection, user: &User, id: Id) -> Result<(PostRow, ActorRow), Error> {
    let author = actor_of_user(conn, user.id)?;
    let post = posts::find_by_id(conn, id)?
        .filter(|p| p.author_id == author.id && !p.is_deleted())
        .ok_or_else(|| Error::not_found("Record not found"))?;
    Ok((post, author))
}

/// Edits a post's text (visibility and reply target do not change).
pub fn update(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    id: Id,
    new: &NewPost,
) -> Result<PostRow, Error> {
    check(new)?;
    transaction::write(conn, |conn| {
        let (mut post, author) = own_post(conn, user, id)?;
        refuse_view(&post, "edited")?;
        let now = Timestamp::now();
        let (html, tags, _) = render(conn, urls, post.id, &new.text, now)?;
        post.content_html = html;
        post.source = Some(new.text.clone());
        post.summary = crate::text::sanitize_html(new.spoiler_text.trim());
        post.sensitive = new.sensitive || !new.spoiler_text.trim().is_empty();
        post.language = new.language.clone().or(post.language);
        post.updated_at = Some(now.as_micros());
        posts::update(conn, &post, &tags)?;
        if let Some(media) = &new.media_ids {
            crate::media::attach(conn, author.id, post.id, media, crate::media::MAX_STATUS_MEDIA)?;
        }
        outbound.publish(conn, Outgoing::UpdatePost { post: &post, author: &author })?;
        Ok(post)
    })
}

/// Listings and sessions are changed through their own use cases, which
/// keep their status views in step; a Mastodon app's edit would lose
/// their fields.
fn refuse_view(post: &PostRow, what: &str) -> Result<(), Error> {
    match post.kind.as_str() {
        status_views::LISTING_KIND => Err(Error::unprocessable(format!(
            "This status is a listing: it is {what} with /api/v1/listings/{}",
            post.id
        ))),
        status_views::SESSION_KIND => Err(Error::unprocessable(format!(
            "This status is a session: it is {what} with /api/v1/events/{}",
            post.id
        ))),
        _ => Ok(()),
    }
}

/// Deletes a post: its row stays as a tombstone, and peers hear of it.
/// Deleting a listing's status deletes the listing, as an app's user means.
pub fn delete(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    user: &User,
    id: Id,
) -> Result<PostRow, Error> {
    transaction::write(conn, |conn| {
        let (post, author) = own_post(conn, user, id)?;
        if post.kind == status_views::LISTING_KIND {
            crate::listings::delete(conn, outbound, user, id)?;
            return Ok(post);
        }
        refuse_view(&post, "cancelled")?;
        posts::mark_deleted(conn, post.id(), Timestamp::now())?;
        crate::media::remove_of_post(conn, post.id)?;
        let deleted = posts::find_by_id(conn, post.id())?.ok_or_else(|| Error::internal("post vanished"))?;
        outbound.publish(conn, Outgoing::DeletePost { post: &deleted, author: &author })?;
        Ok(post)
    })
}
