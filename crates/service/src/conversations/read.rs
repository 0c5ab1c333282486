//! Reading conversations: a person's list, one conversation's messages,
//! read marks and removal. Only the people taking part see a
//! conversation; within it, each message by `posts::can_see`.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::conversations::{self as store, ConversationRow, MemberRow};
use maillage_db::listings::ListingRow;
use maillage_db::posts::{self, PostRow};
use maillage_db::{transaction, DbConnection};

use crate::actors::actor_of_user;

/// A conversation as one of its participants sees it.
#[derive(Debug, Clone)]
pub struct ConversationView {
    pub conversation: ConversationRow,
    pub member: MemberRow,
    /// The others taking part.
    pub others: Vec<ActorRow>,
    /// The last message `me` may see.
    pub last: Option<PostRow>,
    /// The listing it is about, when `me` may see it.
    pub listing: Option<ListingRow>,
}

/// The people in conversation `id` other than `me`: the authors of its
/// messages and everyone its last message addressed.
pub fn participants(conn: &mut DbConnection, id: i64, me: i64) -> Result<Vec<ActorRow>, Error> {
    let last = store::posts_of(conn, id, 1)?.pop().map_or(0, |p| p.id);
    Ok(participants_of_many(conn, &[(id, last)], me)?.pop().unwrap_or_default())
}

/// The view once its participants are known: the last message `me` may
/// see and the listing it is about.
fn finish(
    conn: &mut DbConnection,
    me: &ActorRow,
    member: MemberRow,
    conversation: ConversationRow,
    others: Vec<ActorRow>,
) -> Result<ConversationView, Error> {
    let last = match posts::find_by_id(conn, Id::from_i64(member.last_post_id))? {
        Some(p) if crate::posts::can_see(conn, &p, Some(me))? => Some(p),
        _ => None,
    };
    let listing = match conversation.listing_id {
        Some(l) => crate::listings::find_visible(conn, Id::from_i64(l), Some(me))?,
        None => None,
    };
    Ok(ConversationView { conversation, member, others, last, listing })
}

/// The people other than `me` in each of `conversations` (id, and the id
/// of the message whose addressees count), in three queries rather than
/// several per conversation: the authors of every message, the people
/// those messages mention, then those actors.
fn participants_of_many(
    conn: &mut DbConnection,
    conversations: &[(i64, i64)],
    me: i64,
) -> Result<Vec<Vec<ActorRow>>, Error> {
    let ids: Vec<i64> = conversations.iter().map(|(c, _)| *c).collect();
    let authors = store::authors_of_many(conn, &ids)?;
    let last_posts: Vec<i64> = conversations.iter().map(|(_, p)| *p).collect();
    let mentions = posts::mentions_of_many(conn, &last_posts)?;
    let author_ids: Vec<i64> = authors.iter().map(|(_, a)| *a).collect();
    let hrefs: Vec<String> = mentions.iter().filter_map(|t| t.href.clone()).collect();
    let actors = actors::find_by_ids_or_ap_ids(conn, &author_ids, &hrefs)?;
    Ok(conversations
        .iter()
        .map(|(conversation, last_post)| {
            let mut found: Vec<ActorRow> = actors
                .iter()
                .filter(|a| a.id != me)
                .filter(|a| {
                    authors.iter().any(|(c, author)| c == conversation && *author == a.id)
                        || mentions
                            .iter()
                            .any(|t| t.post_id == *last_post && t.href.as_deref() == Some(a.ap_id.as_str()))
                })
                .cloned()
                .collect();
            found.sort_by_key(|a| a.id);
            found.dedup_by_key(|a| a.id);
            found
        })
        .collect())
}

/// A page of `user`'s conversations, the one with the latest message
/// first; `max`/`min` are last-message ids as Mastodon pages them.
pub fn list(
    conn: &mut DbConnection,
    user: &User,
    max: Option<i64>,
    min: Option<i64>,
    limit: i64,
) -> Result<Vec<ConversationView>, Error> {
    let me = actor_of_user(conn, user.id)?;
    let page = store::page_of(conn, me.id, max, min, limit.clamp(1, 40))?;
    let pairs: Vec<(i64, i64)> = page.iter().map(|(m, c)| (c.id, m.last_post_id)).collect();
    let participants = participants_of_many(conn, &pairs, me.id)?;
    let mut out = Vec::new();
    for ((member, conversation), others) in page.into_iter().zip(participants) {
        out.push(finish(conn, &me, member, conversation, others)?);
    }
    Ok(out)
}

/// `user`'s conversation `id` with its last `limit` messages they may see,
/// oldest first; 404 when they take no part in it.
pub fn get(
    conn: &mut DbConnection,
    user: &User,
    id: Id,
    limit: i64,
) -> Result<(ConversationView, Vec<PostRow>), Error> {
    let me = actor_of_user(conn, user.id)?;
    let member =
        store::member(conn, id.as_i64(), me.id)?.ok_or_else(|| Error::not_found("Record not found"))?;
    let conversation = store::find(conn, id.as_i64())?.ok_or_else(|| Error::not_found("Record not found"))?;
    let mut messages = Vec::new();
    for post in store::posts_of(conn, id.as_i64(), limit)? {
        if crate::posts::can_see(conn, &post, Some(&me))? {
            messages.push(post);
        }
    }
    let others = participants(conn, conversation.id, me.id)?;
    Ok((finish(conn, &me, member, conversation, others)?, messages))
}

/// Marks `user`'s conversation `id` read; 404 when they take no part.
pub fn mark_read(conn: &mut DbConnection, user: &User, id: Id) -> Result<(), Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        match store::set_read(conn, id.as_i64(), me.id, true)? {
            0 => Err(Error::not_found("Record not found")),
            _ => Ok(()),
        }
    })
}

/// Removes conversation `id` from `user`'s list until its next message.
pub fn remove(conn: &mut DbConnection, user: &User, id: Id) -> Result<(), Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        match store::hide(conn, id.as_i64(), me.id)? {
            0 => Err(Error::not_found("Record not found")),
            _ => Ok(()),
        }
    })
}

/// How many of `user`'s conversations have a message not read yet.
pub fn unread_count(conn: &mut DbConnection, user: &User) -> Result<i64, Error> {
    let me = actor_of_user(conn, user.id)?;
    store::unread_count(conn, me.id)
}

/// The conversation about listing `listing` in which `me` and `other` both
/// take part, if any.
pub(crate) fn about_listing_with(
    conn: &mut DbConnection,
    me: i64,
    other: i64,
    listing: i64,
) -> Result<Option<ConversationRow>, Error> {
    for conversation in store::about_listing(conn, me, listing)? {
        if participants(conn, conversation.id, me)?.iter().any(|a| a.id == other) {
            return Ok(Some(conversation));
        }
    }
    Ok(None)
}
