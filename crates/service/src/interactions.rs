//! Favourites (likes) and boosts (announces) by local people.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::interactions::{self, AnnounceRow, LikeRow};
use maillage_db::posts::{self, PostRow};
use maillage_db::{transaction, DbConnection};

use crate::actors::actor_of_user;
use crate::federation::{Outbound, Outgoing};
use crate::posts::can_see;

/// The post and its author, if `me` may see it.
fn visible_post(conn: &mut DbConnection, me: &ActorRow, id: Id) -> Result<(PostRow, ActorRow), Error> {
    let post = posts::find_by_id(conn, id)?.ok_or_else(|| Error::not_found("Record not found"))?;
    if !can_see(conn, &post, Some(me))? {
        return Err(Error::not_found("Record not found"));
    }
    let author = actors::find_by_id(conn, Id::from_i64(post.author_id))?
        .ok_or_else(|| Error::internal("post without author"))?;
    Ok((post, author))
}

pub fn favourite(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    id: Id,
    on: bool,
) -> Result<PostRow, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let (post, author) = visible_post(conn, &me, id)?;
        let existing = interactions::find_like(conn, me.id, post.id)?;
        match (on, existing) {
            (true, None) => {
                let now = Timestamp::now();
                let like_id = Id::generate_at(now);
                let like = LikeRow {
                    id: like_id.as_i64(),
                    ap_id: urls.activity(like_id),
                    actor_id: me.id,
                    post_id: post.id,
                    created_at: now.as_micros(),
                };
                interactions::insert_like(conn, &like)?;
                crate::notices::tell_author(conn, &post, &me, "favourite")?;
                if !author.local {
                    outbound.publish(
                        conn,
                        Outgoing::Like { like: &like, actor: &me, post: &post, post_author: &author },
                    )?;
                }
            }
            (false, Some(like)) => {
                interactions::delete_like(conn, like.id)?;
                if !author.local {
                    outbound.publish(
                        conn,
                        Outgoing::UndoLike { like: &like, actor: &me, post: &post, post_author: &author },
                    )?;
                }
            }
            _ => {}
        }
        Ok(post)
    })
}

pub fn reblog(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    id: Id,
    on: bool,
) -> Result<PostRow, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let (post, author) = visible_post(conn, &me, id)?;
        if on && !post.visibility.is_public() {
            return Err(Error::unprocessable("Validation failed: this post cannot be boosted"));
        }
        let existing = interactions::find_announce(conn, me.id, post.id)?;
        match (on, existing) {
            (true, None) => {
                let now = Timestamp::now();
                let ann_id = Id::generate_at(now);
                let announce = AnnounceRow {
                    id: ann_id.as_i64(),
                    ap_id: urls.activity(ann_id),
                    actor_id: me.id,
                    post_id: post.id,
                    created_at: now.as_micros(),
                };
                interactions::insert_announce(conn, &announce)?;
                crate::notices::tell_author(conn, &post, &me, "reblog")?;
                outbound.publish(
                    conn,
                    Outgoing::Announce { announce: &announce, actor: &me, post: &post, post_author: &author },
                )?;
            }
            (false, Some(announce)) => {
                interactions::delete_announce(conn, announce.id)?;
                outbound.publish(
                    conn,
                    Outgoing::UndoAnnounce {
                        announce: &announce,
                        actor: &me,
                        post: &post,
                        post_author: &author,
                    },
                )?;
            }
            _ => {}
        }
        Ok(post)
    })
}
