//! Polls of posts and the votes cast here.

use diesel::prelude::*;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{poll_votes, polls};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = polls, primary_key(post_id), treat_none_as_null = true)]
pub struct PollRow {
    pub post_id: i64,
    pub multiple: bool,
    /// `[{"title": …, "votes": …}]`, in order.
    pub options_json: String,
    pub voters_count: Option<i64>,
    pub expires_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = poll_votes)]
pub struct PollVoteRow {
    pub id: i64,
    pub post_id: i64,
    pub voter_id: i64,
    pub choice: i32,
    pub created_at: i64,
}

pub fn find(conn: &mut DbConnection, post: i64) -> Result<Option<PollRow>, Error> {
    polls::table.find(post).select(PollRow::as_select()).first(conn).optional().map_err(db_error)
}

/// Stores `row`, replacing the poll of its post.
pub fn put(conn: &mut DbConnection, row: &PollRow) -> Result<(), Error> {
    diesel::delete(polls::table.find(row.post_id)).execute(conn).map_err(db_error)?;
    diesel::insert_into(polls::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn save(conn: &mut DbConnection, row: &PollRow) -> Result<(), Error> {
    diesel::update(polls::table.find(row.post_id)).set(row).execute(conn).map(drop).map_err(db_error)
}

/// The choices `voter` made in the poll of `post`.
pub fn choices_of(conn: &mut DbConnection, post: i64, voter: i64) -> Result<Vec<i32>, Error> {
    poll_votes::table
        .filter(poll_votes::post_id.eq(post))
        .filter(poll_votes::voter_id.eq(voter))
        .order(poll_votes::choice.asc())
        .select(poll_votes::choice)
        .load(conn)
        .map_err(db_error)
}

pub fn insert_votes(conn: &mut DbConnection, votes: &[PollVoteRow]) -> Result<(), Error> {
    // One statement per row: batch inserts are not available through the
    // two-backend connection.
    for vote in votes {
        diesel::insert_into(poll_votes::table).values(vote).execute(conn).map_err(db_error)?;
    }
    Ok(())
}
