//! Polls (`Question`) from other servers: kept with their counts as their
//! server tells them, shown with the viewer's own choices, and voted on
//! here (each choice a `Note` sent to the poll's author, as Mastodon
//! votes).

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::poll::{check_choices, PollOption, MAX_OPTIONS, MAX_OPTION_CHARS};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::polls::{self as rows, PollRow, PollVoteRow};
use maillage_db::posts::PostRow;
use maillage_db::{transaction, DbConnection};

use crate::actors::actor_of_user;
use crate::federation::{Outbound, Outgoing};

/// A poll as read from the wire.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RemotePoll {
    pub options: Vec<PollOption>,
    pub multiple: bool,
    pub voters_count: Option<i64>,
    pub expires_at: Option<i64>,
    pub closed_at: Option<i64>,
}

/// A poll as a viewer sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PollView {
    pub row: PollRow,
    pub options: Vec<PollOption>,
    pub expired: bool,
    /// The viewer's choices (empty when they did not vote, or for nobody).
    pub own_votes: Vec<usize>,
}

fn options_of(row: &PollRow) -> Vec<PollOption> {
    serde_json::from_str(&row.options_json).unwrap_or_default()
}

/// Stores the poll of remote post `post` as its server describes it now.
pub fn record_remote(conn: &mut DbConnection, post: i64, poll: &RemotePoll) -> Result<(), Error> {
    let options: Vec<PollOption> = poll
        .options
        .iter()
        .take(MAX_OPTIONS)
        .map(|o| PollOption {
            title: o.title.chars().take(MAX_OPTION_CHARS).collect(),
            votes: o.votes.max(0),
        })
        .collect();
    if options.is_empty() {
        return Ok(());
    }
    let row = PollRow {
        post_id: post,
        multiple: poll.multiple,
        options_json: serde_json::to_string(&options).map_err(Error::internal)?,
        voters_count: poll.voters_count.map(|v| v.max(0)),
        expires_at: poll.expires_at,
        closed_at: poll.closed_at,
        updated_at: Timestamp::now().as_micros(),
    };
    rows::put(conn, &row)
}

fn is_expired(row: &PollRow, now: Timestamp) -> bool {
    row.closed_at.is_some() || row.expires_at.is_some_and(|e| e <= now.as_micros())
}

/// The poll of `post`, if it has one, seen by `viewer`.
pub fn of_post(
    conn: &mut DbConnection,
    post: i64,
    viewer: Option<&ActorRow>,
) -> Result<Option<PollView>, Error> {
    let Some(row) = rows::find(conn, post)? else { return Ok(None) };
    let own_votes = match viewer {
        Some(v) => {
            rows::choices_of(conn, post, v.id)?.into_iter().filter_map(|c| usize::try_from(c).ok()).collect()
        }
        None => Vec::new(),
    };
    Ok(Some(PollView {
        options: options_of(&row),
        expired: is_expired(&row, Timestamp::now()),
        own_votes,
        row,
    }))
}

/// The poll of post `id` as `user` may see it, or 404.
pub fn get(conn: &mut DbConnection, user: Option<&User>, id: Id) -> Result<PollView, Error> {
    let viewer = match user {
        Some(u) => Some(actor_of_user(conn, u.id)?),
        None => None,
    };
    let post = crate::posts::get_visible(conn, id, viewer.as_ref())?;
    of_post(conn, post.id, viewer.as_ref())?.ok_or_else(|| Error::not_found("Record not found"))
}

/// `user` votes `choices` in the poll of post `id`; the poll's author
/// hears of each choice.
pub fn vote(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    user: &User,
    id: Id,
    choices: &[usize],
) -> Result<PollView, Error> {
    transaction::write(conn, |conn| {
        let voter = actor_of_user(conn, user.id)?;
        let post: PostRow = crate::posts::get_visible(conn, id, Some(&voter))?;
        let mut view =
            of_post(conn, post.id, Some(&voter))?.ok_or_else(|| Error::not_found("Record not found"))?;
        if post.author_id == voter.id {
            return Err(Error::unprocessable("Validation failed: You cannot vote in your own poll"));
        }
        let picked = check_choices(
            choices,
            view.options.len(),
            view.row.multiple,
            view.expired,
            !view.own_votes.is_empty(),
        )?;
        let now = Timestamp::now();
        let votes: Vec<PollVoteRow> = picked
            .iter()
            .map(|c| PollVoteRow {
                id: Id::generate_at(now).as_i64(),
                post_id: post.id,
                voter_id: voter.id,
                choice: i32::try_from(*c).unwrap_or(0),
                created_at: now.as_micros(),
            })
            .collect();
        rows::insert_votes(conn, &votes)?;
        // Counted here at once; the poll's server sends its own counts later.
        for c in &picked {
            if let Some(o) = view.options.get_mut(*c) {
                o.votes += 1;
            }
        }
        view.row.voters_count = view.row.voters_count.map(|v| v + 1);
        view.row.options_json = serde_json::to_string(&view.options).map_err(Error::internal)?;
        rows::save(conn, &view.row)?;
        let titles: Vec<String> =
            picked.iter().filter_map(|c| view.options.get(*c)).map(|o| o.title.clone()).collect();
        let author = maillage_db::actors::find_by_id(conn, Id::from_i64(post.author_id))?
            .ok_or_else(|| Error::internal("post without author"))?;
        if !author.local {
            let vote_ids: Vec<i64> = votes.iter().map(|v| v.id).collect();
            outbound.publish(
                conn,
                Outgoing::PollVote {
                    question: &post,
                    author: &author,
                    voter: &voter,
                    choices: &titles,
                    vote_ids: &vote_ids,
                },
            )?;
        }
        view.own_votes = picked;
        Ok(view)
    })
}

/// Whether post `id` is a poll (its status shows the poll).
pub fn exists(conn: &mut DbConnection, post: i64) -> Result<bool, Error> {
    Ok(rows::find(conn, post)?.is_some())
}
