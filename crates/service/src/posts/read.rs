//! Reading posts: the one rule of who may see a post ([`can_see`]; a
//! listing's or session's status view by its own object's rule), and every
//! read that pages and apps make of posts, each keeping to that rule.

use maillage_core::id::Id;
use maillage_core::post::PostVisibility;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::posts::{self, Page, PostRow, PostTagRow, Timeline};
use maillage_db::{client_state, follows, interactions, status_views, DbConnection};

/// Whether `viewer` (an actor, or nobody) may see `post`: public and
/// unlisted posts everyone; followers-only posts their author, the people
/// mentioned and accepted followers; direct posts their author and the
/// people mentioned. A listing's status by the listing's rule, a session's
/// by the session's. Deleted posts nobody, and nobody a post whose author
/// they blocked.
pub fn can_see(conn: &mut DbConnection, post: &PostRow, viewer: Option<&ActorRow>) -> Result<bool, Error> {
    if post.is_deleted() {
        return Ok(false);
    }
    // Someone who blocked the author no longer sees what they write.
    if let Some(v) = viewer.filter(|v| v.local && v.id != post.author_id) {
        if crate::blocks::is_blocked(conn, v.id, post.author_id)? {
            return Ok(false);
        }
    }
    if post.kind == status_views::LISTING_KIND {
        return match maillage_db::listings::find_by_id(conn, post.id())? {
            Some(listing) => crate::listings::can_see(conn, &listing, viewer),
            None => Ok(false),
        };
    }
    if post.kind == status_views::SESSION_KIND {
        return Ok(maillage_db::sessions::find_by_id(conn, post.id())?
            .is_some_and(|s| crate::sessions::can_see(&s, viewer)));
    }
    match post.visibility {
        PostVisibility::Public | PostVisibility::Unlisted => Ok(true),
        _ => {
            let Some(viewer) = viewer else { return Ok(false) };
            if viewer.id == post.author_id {
                return Ok(true);
            }
            let mentioned = posts::tags(conn, post.id())?
                .iter()
                .any(|t| t.kind == "mention" && t.href.as_deref() == Some(&viewer.ap_id));
            if mentioned {
                return Ok(true);
            }
            Ok(post.visibility == PostVisibility::Followers
                && follows::find(conn, viewer.id(), Id::from_i64(post.author_id))?
                    .is_some_and(|f| f.is_accepted()))
        }
    }
}

/// Post `id` if `viewer` may see it; 404 otherwise.
pub fn get_visible(conn: &mut DbConnection, id: Id, viewer: Option<&ActorRow>) -> Result<PostRow, Error> {
    match posts::find_by_id(conn, id)? {
        Some(post) if can_see(conn, &post, viewer)? => Ok(post),
        _ => Err(Error::not_found("Record not found")),
    }
}

/// A page of a timeline, without what `viewer` may not see.
pub fn timeline(
    conn: &mut DbConnection,
    viewer: Option<&ActorRow>,
    which: Timeline<'_>,
    page: Page,
) -> Result<Vec<PostRow>, Error> {
    let mut seen = Vec::new();
    for post in posts::timeline(conn, which, page)? {
        if can_see(conn, &post, viewer)? {
            seen.push(post);
        }
    }
    Ok(seen)
}

/// The posts above `post` (oldest first) and the replies below it
/// (breadth first), at most `max` of each, that `viewer` may see.
pub fn thread(
    conn: &mut DbConnection,
    post: &PostRow,
    viewer: Option<&ActorRow>,
    max: usize,
) -> Result<(Vec<PostRow>, Vec<PostRow>), Error> {
    let mut ancestors = Vec::new();
    let mut parent = post.in_reply_to.clone();
    while let Some(ap_id) = parent.filter(|_| ancestors.len() < max) {
        let Some(p) = posts::find_by_ap_id(conn, &ap_id)?.filter(|p| !p.is_deleted()) else { break };
        parent = p.in_reply_to.clone();
        if can_see(conn, &p, viewer)? {
            ancestors.push(p);
        }
    }
    ancestors.reverse();
    let mut descendants = Vec::new();
    let mut queue = std::collections::VecDeque::from([post.ap_id.clone()]);
    while let Some(ap_id) = queue.pop_front() {
        for reply in posts::replies_to(conn, &ap_id, max as i64)? {
            if descendants.len() >= max {
                break;
            }
            queue.push_back(reply.ap_id.clone());
            if can_see(conn, &reply, viewer)? {
                descendants.push(reply);
            }
        }
    }
    Ok((ancestors, descendants))
}

/// Known hashtags starting with `prefix` (folded).
pub fn hashtags_starting(conn: &mut DbConnection, prefix: &str, limit: i64) -> Result<Vec<String>, Error> {
    posts::hashtags_starting(conn, prefix, limit)
}

/// A local post served at its object URL to `fetcher` (the verified
/// signer of the request, or nobody) when [`can_see`] lets it, and deleted
/// public ones (they answer 410 with a Tombstone), with its author and tags.
pub fn local_object(
    conn: &mut DbConnection,
    id: Id,
    fetcher: Option<&ActorRow>,
) -> Result<Option<(PostRow, ActorRow, Vec<PostTagRow>)>, Error> {
    let Some(post) = posts::find_by_id(conn, id)?.filter(|p| p.local) else {
        return Ok(None);
    };
    let shown = if post.is_deleted() { post.visibility.is_public() } else { can_see(conn, &post, fetcher)? };
    if !shown {
        return Ok(None);
    }
    let author = actors::find_by_id(conn, Id::from_i64(post.author_id))?
        .ok_or_else(|| Error::internal("post without author"))?;
    let tags = posts::tags(conn, post.id())?;
    Ok(Some((post, author, tags)))
}

/// What a status shows beside its own row, as `viewer` sees it.
#[derive(Debug, Clone)]
pub struct StatusFacts {
    pub author: ActorRow,
    /// The people mentioned that this node knows.
    pub mentions: Vec<ActorRow>,
    pub hashtags: Vec<String>,
    /// The post it answers, when known.
    pub parent: Option<PostRow>,
    /// The HTML to show: a listing's or session's text rendered now (in
    /// `lang`), or the post's own.
    pub content_html: String,
    pub favourited: bool,
    pub reblogged: bool,
    pub bookmarked: bool,
    pub reblogs: i64,
    pub favourites: i64,
    pub replies: i64,
}

pub fn status_facts(
    conn: &mut DbConnection,
    post: &PostRow,
    viewer: Option<&ActorRow>,
    lang: &str,
) -> Result<StatusFacts, Error> {
    let author = actors::find_by_id(conn, Id::from_i64(post.author_id))?
        .ok_or_else(|| Error::internal("post without author"))?;
    let tags = posts::tags(conn, post.id())?;
    let mut mentions = Vec::new();
    for t in tags.iter().filter(|t| t.kind == "mention") {
        if let Some(a) = t.href.as_deref().map(|h| actors::find_by_ap_id(conn, h)).transpose()?.flatten() {
            mentions.push(a);
        }
    }
    let hashtags = tags.iter().filter(|t| t.kind == "hashtag").map(|t| t.name.clone()).collect();
    let parent = match &post.in_reply_to {
        Some(ap) => posts::find_by_ap_id(conn, ap)?,
        None => None,
    };
    let (favourited, reblogged, bookmarked) = match viewer {
        Some(v) => (
            interactions::find_like(conn, v.id, post.id)?.is_some(),
            interactions::find_announce(conn, v.id, post.id)?.is_some(),
            client_state::is_bookmarked(conn, v.id, post.id)?,
        ),
        None => (false, false, false),
    };
    let view = match post.kind.as_str() {
        status_views::LISTING_KIND => maillage_db::listings::find_by_id(conn, post.id())?
            .map(|l| crate::status_text::listing_html(&l, lang)),
        status_views::SESSION_KIND => crate::sessions::status_html(conn, post.id(), lang)?,
        _ => None,
    };
    Ok(StatusFacts {
        author,
        mentions,
        hashtags,
        parent,
        content_html: view.unwrap_or_else(|| post.content_html.clone()),
        favourited,
        reblogged,
        bookmarked,
        reblogs: interactions::count_announces(conn, post.id)?,
        favourites: interactions::count_likes(conn, post.id)?,
        replies: posts::count_replies(conn, &post.ap_id)?,
    })
}

/// Post `id` when `author` wrote it (what a report may name).
pub fn by_author(conn: &mut DbConnection, id: Id, author: Id) -> Result<Option<PostRow>, Error> {
    Ok(posts::find_by_id(conn, id)?.filter(|p| p.author_id == author.as_i64()))
}
