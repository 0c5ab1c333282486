//! A group's admins change what it is: its name, description, kind, goals,
//! place, website and how people join. Its address stays. Followers on
//! other servers receive an `Update` of the Group.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::groups::{self, GroupRow};
use maillage_db::{transaction, DbConnection};

use super::{check, details_of, group_actor, NewGroup};
use crate::actors::actor_of_user;
use crate::federation::{Outbound, Outgoing};
use crate::text::render_markdown;

/// Local group `id` with its details, for one of its admins to change;
/// 403 for anyone else, 404 for no such local group.
pub fn managed(conn: &mut DbConnection, user: &User, id: Id) -> Result<(ActorRow, GroupRow), Error> {
    let me = actor_of_user(conn, user.id)?;
    let group = group_actor(conn, id)?;
    let details = groups::find_group(conn, id)?.ok_or_else(|| Error::not_found("Record not found"))?;
    if !group.local {
        return Err(Error::not_found("Record not found"));
    }
    let mine = groups::find_membership(conn, group.id(), me.id())?;
    if !mine.as_ref().is_some_and(|m| m.is_accepted() && m.role == "admin") {
        return Err(Error::forbidden("only the group's admins change it"));
    }
    Ok((group, details))
}

/// Changes group `id` to `new` (its username stays whatever `new` says).
pub fn update(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &maillage_core::urls::LocalUrls,
    user: &User,
    id: Id,
    new: &NewGroup,
) -> Result<ActorRow, Error> {
    transaction::write(conn, |conn| {
        let (mut group, details) = managed(conn, user, id)?;
        check(&NewGroup { username: group.username.clone(), ..new.clone() })?;
        let now = Timestamp::now();
        let (latitude, longitude) =
            crate::places::point_or_town(conn, (new.latitude, new.longitude), &new.place_name)?;
        group.display_name = new.display_name.trim().to_owned();
        group.summary_html = render_markdown(&new.description, &|_| None);
        group.updated_at = now.as_micros();
        if let Some(avatar) = new.avatar {
            group.icon_url = Some(crate::media::use_as_picture(conn, user, group.id, avatar, 0, urls)?);
        }
        if let Some(header) = new.header {
            group.image_url = Some(crate::media::use_as_picture(conn, user, group.id, header, 1, urls)?);
        }
        actors::update(conn, &group)?;
        groups::update_group(
            conn,
            &details_of(new, details.actor_id, (latitude, longitude), details.created_at),
        )?;
        outbound.publish(conn, Outgoing::UpdateActor { actor: &group })?;
        Ok(group)
    })
}
