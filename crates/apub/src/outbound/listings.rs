//! Listings and group announces (FEP-1b12), split from the rest of the
//! outbound side to keep each file readable.

use maillage_core::id::Id;
use maillage_core::listing::ListingVisibility;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::listings::ListingRow;
use maillage_db::{follows, DbConnection};
use maillage_service::actors::PURPOSE_TERRITORY;
use serde_json::Value;

use super::ApubOutbound;
use crate::builders::*;
use crate::objects::listing::{listing_audience, listing_to_ap};
use crate::objects::note::tombstone;
use crate::protocol::PUBLIC;

impl ApubOutbound {
    /// Create, Update or Delete of a listing: to the author's followers and,
    /// for public and territory listings, to the territory's followers (who
    /// receive new ones as the territory's Announce).
    pub(super) fn listing_event(
        &self,
        conn: &mut DbConnection,
        row: &ListingRow,
        author: &ActorRow,
        kind: &str,
    ) -> Result<(), Error> {
        if row.visibility == ListingVisibility::Private {
            return Ok(());
        }
        let territory = match row.visibility {
            ListingVisibility::Public | ListingVisibility::Territory if author.purpose.is_none() => {
                actors::find_by_purpose(conn, PURPOSE_TERRITORY)?
            }
            _ => None,
        };
        let territory_followers = territory.as_ref().and_then(|t| t.followers_url.clone());
        let audience = listing_audience(row, author, territory_followers.as_deref());
        let mut inboxes = follows::remote_follower_inboxes(conn, author.id())?;
        let mediated_by = maillage_service::mediation::local_reviewer(conn, row)?.map(|g| g.ap_id);
        let mediated_by = mediated_by.as_deref();
        let media = crate::objects::media::attachments_of(conn, &self.urls, row.id)?;
        let activity = match kind {
            "Create" => build_create(
                &format!("{}/activity", row.ap_id),
                &author.ap_id,
                listing_to_ap(row, author, &self.language(), audience, mediated_by, media.clone()),
            ),
            "Update" => build_update(
                &self.new_activity_id(),
                &author.ap_id,
                listing_to_ap(row, author, &self.language(), audience, mediated_by, media.clone()),
                &[],
                &[],
            ),
            _ => {
                let (to, cc) = audience;
                build_delete(
                    &self.new_activity_id(),
                    &author.ap_id,
                    tombstone(&row.ap_id, Some(Timestamp::now().as_micros())),
                    &to,
                    &cc,
                )
            }
        };
        if let (Some(t), true) = (&territory, kind != "Create") {
            inboxes.extend(follows::remote_follower_inboxes(conn, t.id())?);
        }
        self.enqueue(conn, &activity, author, inboxes)?;
        if let Some(group) = row.group_id.map(Id::from_i64) {
            self.group_announce(conn, group, &activity, &row.ap_id, kind)?;
        }
        if let (Some(t), "Create") = (territory, kind) {
            let followers: Vec<String> = t.followers_url.clone().into_iter().collect();
            let to = if row.visibility == ListingVisibility::Public {
                vec![PUBLIC.to_owned()]
            } else {
                followers.clone()
            };
            let published = Timestamp::from_micros(row.published_at).to_rfc3339();
            let announce =
                build_announce(&self.new_activity_id(), &t.ap_id, &row.ap_id, &to, &followers, &published);
            let inboxes = follows::remote_follower_inboxes(conn, t.id())?;
            self.enqueue(conn, &announce, &t, inboxes)?;
        }
        Ok(())
    }

    /// FEP-1b12: a local group announces what its members publish in it,
    /// wrapping the activity; and, since Mastodon cannot read an Announce
    /// of an activity, a bare Announce of the object too (as Lemmy does).
    pub(super) fn group_announce(
        &self,
        conn: &mut DbConnection,
        group: Id,
        activity: &Value,
        object_id: &str,
        kind: &str,
    ) -> Result<(), Error> {
        let Some(group) = actors::find_by_id(conn, group)?.filter(|g| g.local) else { return Ok(()) };
        let followers: Vec<String> = group.followers_url.clone().into_iter().collect();
        let inboxes = follows::remote_follower_inboxes(conn, group.id())?;
        let published = Timestamp::now().to_rfc3339();
        let wrapped = build_announce_activity(
            &self.new_activity_id(),
            &group.ap_id,
            activity.clone(),
            &[PUBLIC.to_owned()],
            &followers,
            &published,
        );
        self.enqueue(conn, &wrapped, &group, inboxes.clone())?;
        if kind == "Create" {
            let bare = build_announce(
                &self.new_activity_id(),
                &group.ap_id,
                object_id,
                &[PUBLIC.to_owned()],
                &followers,
                &published,
            );
            self.enqueue(conn, &bare, &group, inboxes)?;
        }
        Ok(())
    }
}
