//! Private conversations: direct posts grouped by thread or by the
//! `context` their author gave them, each local participant with their
//! own list (last message, read or not, removed until the next one). A
//! conversation can be about a listing: showing interest opens one with
//! the listing's author, and the exchange's later steps are written into
//! it by each side's own node, as messages from that side.

use maillage_core::account::User;
use maillage_core::i18n::Lang;
use maillage_core::id::Id;
use maillage_core::post::PostVisibility;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::conversations::{self as store, ConversationRow};
use maillage_db::listings::ListingRow;
use maillage_db::posts::{self, PostRow};
use maillage_db::{transaction, users, DbConnection};

use crate::actors::actor_of_user;
use crate::federation::Outbound;
use crate::posts::{Addressing, NewPost};
use maillage_core::html::escape_html;

mod read;
pub use read::{get, list, mark_read, participants, remove, unread_count, ConversationView};

/// What a conversation is about, on the wire: an object link (FEP-e232)
/// whose `name` is `listing` and `href` the listing's id.
pub const ABOUT_LISTING: &str = "listing";

/// Files a direct post in its conversation (the one of the post it
/// answers, else the one of `context`, else a new one) and brings the
/// conversation to the top of each local participant's list. Someone who
/// blocked the author is left out; someone who muted them gets it read.
pub fn attach(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    post: &PostRow,
    author: &ActorRow,
    context: Option<&str>,
    about_listing: Option<i64>,
) -> Result<Option<ConversationRow>, Error> {
    if post.visibility != PostVisibility::Direct {
        return Ok(None);
    }
    let mut conversation = None;
    if let Some(parent) = &post.in_reply_to {
        if let Some(parent) = posts::find_by_ap_id(conn, parent)? {
            if let Some(c) = store::conversation_of_post(conn, parent.id)? {
                conversation = store::find(conn, c)?;
            }
        }
    }
    if conversation.is_none() {
        if let Some(context) = context {
            conversation = store::find_by_context(conn, context)?;
        }
    }
    let now = Timestamp::from_micros(post.published_at.max(0));
    let conversation = match conversation {
        Some(c) => c,
        None => {
            let id = Id::generate();
            store::insert_or_get(
                conn,
                &ConversationRow {
                    id: id.as_i64(),
                    ap_context: context.map(str::to_owned).unwrap_or_else(|| urls.conversation(id)),
                    listing_id: None,
                    session_id: None,
                    created_at: now.as_micros(),
                    updated_at: now.as_micros(),
                },
            )?
        }
    };
    if about_listing.is_some() {
        store::set_subject(conn, conversation.id, about_listing, None)?;
    }
    let tags = posts::tags(conn, post.id())?;
    store::set_post_conversation(conn, post.id, conversation.id)?;
    if author.local {
        store::touch_member(conn, Id::generate().as_i64(), conversation.id, author.id, post.id, false)?;
    }
    for tag in tags.iter().filter(|t| t.kind == "mention") {
        let Some(href) = tag.href.as_deref() else { continue };
        let Some(person) = actors::find_by_ap_id(conn, href)?.filter(|a| a.local && a.id != author.id) else {
            continue;
        };
        let relation = crate::blocks::relation(conn, person.id, author.id)?;
        if relation.blocking {
            continue;
        }
        store::touch_member(
            conn,
            Id::generate().as_i64(),
            conversation.id,
            person.id,
            post.id,
            !relation.muting,
        )?;
    }
    Ok(Some(conversation))
}

/// `user` writes `text` (Markdown) into their conversation `id`, to its
/// other participants; 404 when they take no part in it.
pub fn reply(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    id: Id,
    text: &str,
) -> Result<PostRow, Error> {
    let new = NewPost { text: text.to_owned(), visibility: Some("direct".into()), ..NewPost::default() };
    crate::posts::check(&new)?;
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        store::member(conn, id.as_i64(), me.id)?.ok_or_else(|| Error::not_found("Record not found"))?;
        let others = participants(conn, id.as_i64(), me.id)?;
        if others.is_empty() {
            return Err(Error::unprocessable("Validation failed: conversation: nobody else is in it"));
        }
        let last = store::posts_of(conn, id.as_i64(), 1)?.pop();
        let new = NewPost { in_reply_to: last.map(|p| p.id()), ..new };
        let addressing = Addressing { recipients: &others, ..Addressing::default() };
        crate::posts::create_as(conn, outbound, urls, &me, &new, PostVisibility::Direct, &addressing)
    })
}

/// `user` writes to `to`, about `listing` when given: into their
/// conversation about it when there is one, else a new conversation.
pub fn write_to(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    to: Id,
    listing: Option<Id>,
    text: &str,
) -> Result<PostRow, Error> {
    let new = NewPost { text: text.to_owned(), visibility: Some("direct".into()), ..NewPost::default() };
    crate::posts::check(&new)?;
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let other = actors::find_by_id(conn, to)?.ok_or_else(|| Error::not_found("Record not found"))?;
        if other.id == me.id {
            return Err(Error::unprocessable("Validation failed: to: you cannot write to yourself"));
        }
        let listing = match listing {
            Some(id) => Some(crate::listings::get_visible(conn, id, Some(&me))?),
            None => None,
        };
        send(conn, outbound, urls, &me, &other, listing.as_ref(), &new, None, None)
    })
}

/// Writes `new` (or `html`) from `me` to `other` into their conversation
/// about `listing` (or a new one), answering its last message.
#[allow(clippy::too_many_arguments)]
fn send(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    me: &ActorRow,
    other: &ActorRow,
    listing: Option<&ListingRow>,
    new: &NewPost,
    html: Option<String>,
    reason: Option<&'static str>,
) -> Result<PostRow, Error> {
    let existing = match listing {
        Some(l) => read::about_listing_with(conn, me.id, other.id, l.id)?,
        None => None,
    };
    let last = match &existing {
        Some(c) => store::posts_of(conn, c.id, 1)?.pop(),
        None => None,
    };
    let new = NewPost { in_reply_to: last.map(|p| p.id()), ..new.clone() };
    let recipients = [other.clone()];
    let addressing = Addressing { recipients: &recipients, about: listing.map(|l| l.id), html, reason };
    crate::posts::create_as(conn, outbound, urls, me, &new, PostVisibility::Direct, &addressing)
}

/// The language `actor` writes in: their account's, else English.
fn lang_of(conn: &mut DbConnection, actor: &ActorRow) -> Result<Lang, Error> {
    let locale = match actor.user_id {
        Some(u) => users::find_by_id(conn, Id::from_i64(u))?.map(|u| u.locale),
        None => None,
    };
    Ok(locale.map(|l| Lang::of_tag(&l)).unwrap_or(Lang::En))
}

/// One of the exchange's steps, written from local `me` to `other` into
/// their conversation about `listing`, in `me`'s language, with a link to
/// the listing. `message` is what `me` wrote, if anything.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_step(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    me: &ActorRow,
    other: &ActorRow,
    listing: &ListingRow,
    key: &str,
    message: &str,
) -> Result<PostRow, Error> {
    let reason = match key {
        "conv_interest" => "interest",
        "conv_accepted" => "interest_accepted",
        "conv_declined" => "interest_declined",
        _ => "exchange_done",
    };
    let lang = lang_of(conn, me)?;
    let href = listing.url.clone().unwrap_or_else(|| listing.ap_id.clone());
    let title = escape_html(&listing.title);
    let step = lang.fill(key, &[&format!("<a href=\"{}\">{title}</a>", escape_html(&href))]);
    let mut html = format!("<p>{step}</p>");
    if !message.trim().is_empty() {
        html.push_str(&format!("<p>{}</p>", escape_html(message.trim()).replace('\n', "<br>")));
    }
    let new = NewPost { text: lang.fill(key, &[&listing.title]), ..NewPost::default() };
    send(conn, outbound, urls, me, other, Some(listing), &new, Some(html), Some(reason))
}

/// Local `me` gives their contact details to `other` in their
/// conversation about `listing` (nothing when they chose to share none).
pub(crate) fn share_contact(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    me: &ActorRow,
    other: &ActorRow,
    listing: &ListingRow,
) -> Result<(), Error> {
    let Some(user) = me.user_id else { return Ok(()) };
    let Some(html) = crate::contacts::message_html(conn, Id::from_i64(user))? else { return Ok(()) };
    let new = NewPost { text: "contact".into(), ..NewPost::default() };
    send(conn, outbound, urls, me, other, Some(listing), &new, Some(html), None).map(drop)
}

/// How a direct post names its conversation on the wire: the `context`,
/// and the id of the listing it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireContext {
    pub uri: String,
    pub about_listing: Option<String>,
}

/// The conversation a direct post is sent in.
pub fn context_of(conn: &mut DbConnection, post: &PostRow) -> Result<Option<WireContext>, Error> {
    if post.visibility != PostVisibility::Direct {
        return Ok(None);
    }
    let Some(c) = store::conversation_of_post(conn, post.id)? else { return Ok(None) };
    let Some(c) = store::find(conn, c)? else { return Ok(None) };
    let about_listing = match c.listing_id {
        Some(l) => maillage_db::listings::find_by_id(conn, Id::from_i64(l))?.map(|l| l.ap_id),
        None => None,
    };
    Ok(Some(WireContext { uri: c.ap_context, about_listing }))
}

/// The conversation in which local `me` and the other side of `agreement`
/// talk about its listing, if any.
pub fn of_agreement(
    conn: &mut DbConnection,
    me: i64,
    agreement: &maillage_db::agreements::AgreementRow,
) -> Result<Option<i64>, Error> {
    let other = if agreement.initiator_id == me { agreement.responder_id } else { agreement.initiator_id };
    Ok(read::about_listing_with(conn, me, other, agreement.listing_id)?.map(|c| c.id))
}

/// The conversation a post was filed in, if any.
pub fn of_post(conn: &mut DbConnection, post: &PostRow) -> Result<Option<i64>, Error> {
    store::conversation_of_post(conn, post.id)
}

/// `user` reports message `post` of their conversation `conversation` to
/// the moderators; 404 when they take no part in it or may not see the
/// message.
pub fn report_message(
    conn: &mut DbConnection,
    user: &User,
    conversation: Id,
    post: Id,
    comment: &str,
) -> Result<maillage_db::interactions::ReportRow, Error> {
    let me = actor_of_user(conn, user.id)?;
    let not_found = || Error::not_found("Record not found");
    store::member(conn, conversation.as_i64(), me.id)?.ok_or_else(not_found)?;
    let post = posts::find_by_id(conn, post)?.ok_or_else(not_found)?;
    if store::conversation_of_post(conn, post.id)? != Some(conversation.as_i64())
        || !crate::posts::can_see(conn, &post, Some(&me))?
    {
        return Err(not_found());
    }
    crate::reports::report(
        conn,
        user,
        Id::from_i64(post.author_id),
        std::slice::from_ref(&post.ap_id),
        comment,
    )
}
