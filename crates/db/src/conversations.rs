//! Private conversations: direct posts grouped together, and each local
//! participant's place in them (last message, read or not, removed).

use diesel::prelude::*;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::insert_or_ignore;
use crate::posts::PostRow;
use crate::schema::{conversation_members as members, conversations, posts};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = conversations)]
pub struct ConversationRow {
    pub id: i64,
    pub ap_context: String,
    pub listing_id: Option<i64>,
    pub session_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = members)]
pub struct MemberRow {
    pub id: i64,
    pub conversation_id: i64,
    pub actor_id: i64,
    pub last_post_id: i64,
    pub unread: bool,
    pub hidden: bool,
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<ConversationRow>, Error> {
    conversations::table
        .find(id)
        .select(ConversationRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn find_by_context(conn: &mut DbConnection, context: &str) -> Result<Option<ConversationRow>, Error> {
    conversations::table
        .filter(conversations::ap_context.eq(context))
        .select(ConversationRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Inserts `row` unless a conversation with its context exists; returns
/// the one stored either way.
pub fn insert_or_get(conn: &mut DbConnection, row: &ConversationRow) -> Result<ConversationRow, Error> {
    insert_or_ignore!(conn, conversations::table, row)?;
    find_by_context(conn, &row.ap_context)?.ok_or_else(|| Error::internal("conversation vanished"))
}

/// Names what a conversation is about when it says nothing yet.
pub fn set_subject(
    conn: &mut DbConnection,
    id: i64,
    listing_id: Option<i64>,
    session_id: Option<i64>,
) -> Result<(), Error> {
    if listing_id.is_some() {
        diesel::update(conversations::table.find(id).filter(conversations::listing_id.is_null()))
            .set(conversations::listing_id.eq(listing_id))
            .execute(conn)
            .map_err(db_error)?;
    }
    if session_id.is_some() {
        diesel::update(conversations::table.find(id).filter(conversations::session_id.is_null()))
            .set(conversations::session_id.eq(session_id))
            .execute(conn)
            .map_err(db_error)?;
    }
    Ok(())
}

pub fn set_post_conversation(conn: &mut DbConnection, post_id: i64, conversation: i64) -> Result<(), Error> {
    diesel::update(posts::table.find(post_id))
        .set(posts::conversation_id.eq(Some(conversation)))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

pub fn conversation_of_post(conn: &mut DbConnection, post_id: i64) -> Result<Option<i64>, Error> {
    posts::table
        .find(post_id)
        .select(posts::conversation_id)
        .first::<Option<i64>>(conn)
        .optional()
        .map(Option::flatten)
        .map_err(db_error)
}

/// The conversation's posts not deleted, oldest first: the last `limit`.
pub fn posts_of(conn: &mut DbConnection, conversation: i64, limit: i64) -> Result<Vec<PostRow>, Error> {
    let mut rows: Vec<PostRow> = posts::table
        .filter(posts::conversation_id.eq(conversation))
        .filter(posts::deleted_at.is_null())
        .order(posts::id.desc())
        .limit(limit)
        .select(PostRow::as_select())
        .load(conn)
        .map_err(db_error)?;
    rows.reverse();
    Ok(rows)
}

/// The authors of the conversation's posts, each once.
pub fn authors_of(conn: &mut DbConnection, conversation: i64) -> Result<Vec<i64>, Error> {
    posts::table
        .filter(posts::conversation_id.eq(conversation))
        .select(posts::author_id)
        .distinct()
        .load(conn)
        .map_err(db_error)
}

/// (conversation, author) for every author of each of `conversations`.
pub fn authors_of_many(conn: &mut DbConnection, conversations: &[i64]) -> Result<Vec<(i64, i64)>, Error> {
    let rows: Vec<(Option<i64>, i64)> = posts::table
        .filter(posts::conversation_id.eq_any(conversations))
        .select((posts::conversation_id, posts::author_id))
        .distinct()
        .load(conn)
        .map_err(db_error)?;
    Ok(rows.into_iter().filter_map(|(c, a)| c.map(|c| (c, a))).collect())
}

/// Records that local `actor` takes part and received `post_id`: unread
/// unless they wrote it; a removed conversation comes back.
pub fn touch_member(
    conn: &mut DbConnection,
    new_id: i64,
    conversation: i64,
    actor: i64,
    post_id: i64,
    unread: bool,
) -> Result<(), Error> {
    let row = MemberRow {
        id: new_id,
        conversation_id: conversation,
        actor_id: actor,
        last_post_id: post_id,
        unread,
        hidden: false,
    };
    if insert_or_ignore!(conn, members::table, &row)? == 1 {
        return Ok(());
    }
    diesel::update(
        members::table
            .filter(members::conversation_id.eq(conversation))
            .filter(members::actor_id.eq(actor))
            .filter(members::last_post_id.le(post_id)),
    )
    .set((members::last_post_id.eq(post_id), members::unread.eq(unread), members::hidden.eq(false)))
    .execute(conn)
    .map(drop)
    .map_err(db_error)
}

pub fn member(conn: &mut DbConnection, conversation: i64, actor: i64) -> Result<Option<MemberRow>, Error> {
    members::table
        .filter(members::conversation_id.eq(conversation))
        .filter(members::actor_id.eq(actor))
        .select(MemberRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// A page of `actor`'s conversations not removed, by last message, newest
/// first: below `max` and above `min` (last post ids) when given.
pub fn page_of(
    conn: &mut DbConnection,
    actor: i64,
    max: Option<i64>,
    min: Option<i64>,
    limit: i64,
) -> Result<Vec<(MemberRow, ConversationRow)>, Error> {
    let mut q = members::table
        .inner_join(conversations::table)
        .filter(members::actor_id.eq(actor))
        .filter(members::hidden.eq(false))
        .select((MemberRow::as_select(), ConversationRow::as_select()))
        .into_boxed();
    if let Some(max) = max {
        q = q.filter(members::last_post_id.lt(max));
    }
    match min {
        // Mastodon's `min_id`: the page just above `min`, oldest first.
        Some(min) => {
            let mut rows: Vec<(MemberRow, ConversationRow)> = q
                .filter(members::last_post_id.gt(min))
                .order(members::last_post_id.asc())
                .limit(limit)
                .load(conn)
                .map_err(db_error)?;
            rows.reverse();
            Ok(rows)
        }
        None => q.order(members::last_post_id.desc()).limit(limit).load(conn).map_err(db_error),
    }
}

pub fn set_read(conn: &mut DbConnection, conversation: i64, actor: i64, read: bool) -> Result<usize, Error> {
    diesel::update(
        members::table.filter(members::conversation_id.eq(conversation)).filter(members::actor_id.eq(actor)),
    )
    .set(members::unread.eq(!read))
    .execute(conn)
    .map_err(db_error)
}

pub fn hide(conn: &mut DbConnection, conversation: i64, actor: i64) -> Result<usize, Error> {
    diesel::update(
        members::table.filter(members::conversation_id.eq(conversation)).filter(members::actor_id.eq(actor)),
    )
    .set(members::hidden.eq(true))
    .execute(conn)
    .map_err(db_error)
}

/// How many of `actor`'s conversations wait to be read.
pub fn unread_count(conn: &mut DbConnection, actor: i64) -> Result<i64, Error> {
    members::table
        .filter(members::actor_id.eq(actor))
        .filter(members::hidden.eq(false))
        .filter(members::unread.eq(true))
        .count()
        .get_result(conn)
        .map_err(db_error)
}

/// `actor`'s conversations about listing `listing`, newest first.
pub fn about_listing(
    conn: &mut DbConnection,
    actor: i64,
    listing: i64,
) -> Result<Vec<ConversationRow>, Error> {
    members::table
        .inner_join(conversations::table)
        .filter(members::actor_id.eq(actor))
        .filter(conversations::listing_id.eq(listing))
        .order(members::last_post_id.desc())
        .limit(20)
        .select(ConversationRow::as_select())
        .load(conn)
        .map_err(db_error)
}
