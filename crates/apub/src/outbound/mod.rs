//! The federation side of [`Outbound`]: for each thing that happened, who
//! must hear of it (`recipients`), the activity (a pure builder), and the
//! rows of the delivery queue, written on the caller's connection so that
//! they commit with the change itself.

use maillage_core::id::Id;
use maillage_core::post::PostVisibility;
use maillage_core::time::Timestamp;
use maillage_core::urls::{AnsweredKind, LocalUrls};
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::posts::{self, PostRow, PostTagRow};
use maillage_db::{deliveries, follows, DbConnection};
use maillage_service::actors::PURPOSE_TERRITORY;
use maillage_service::federation::{Outbound, Outgoing};
use serde_json::Value;

mod listings;
mod sessions;

use crate::builders::*;
use crate::objects::actor::actor_to_ap;

use crate::objects::note::{audience, post_to_ap, tombstone};
use crate::protocol::PUBLIC;

pub struct ApubOutbound {
    urls: LocalUrls,
    /// Language of the human-readable text of listings, unless the
    /// territory's (as admins change it) is at hand.
    language: String,
    territory: Option<std::sync::Arc<maillage_service::territory_settings::TerritoryHandle>>,
}

impl ApubOutbound {
    pub fn new(urls: LocalUrls) -> Self {
        ApubOutbound { urls, language: "fr".into(), territory: None }
    }

    pub(super) fn new_activity_id(&self) -> String {
        self.urls.activity(Id::generate())
    }

    /// The id of an activity a peer may answer: its kind is in it.
    fn new_answered_id(&self, kind: AnsweredKind) -> String {
        self.urls.answered_activity(kind, Id::generate())
    }

    pub fn with_language(mut self, language: &str) -> Self {
        self.language = language.to_owned();
        self
    }

    /// Writes listings in the territory's language as it stands when they
    /// are sent.
    pub fn with_territory(
        mut self,
        territory: std::sync::Arc<maillage_service::territory_settings::TerritoryHandle>,
    ) -> Self {
        self.territory = Some(territory);
        self
    }

    pub(super) fn language(&self) -> String {
        match &self.territory {
            Some(t) => t.current().default_language().to_owned(),
            None => self.language.clone(),
        }
    }

    /// Queues `activity`, signed by `signer`, for every remote inbox given.
    pub(super) fn enqueue(
        &self,
        conn: &mut DbConnection,
        activity: &Value,
        signer: &ActorRow,
        inboxes: Vec<String>,
    ) -> Result<(), Error> {
        let mut inboxes: Vec<String> = inboxes.into_iter().filter(|i| !self.urls.is_local(i)).collect();
        inboxes.sort();
        inboxes.dedup();
        if inboxes.is_empty() {
            return Ok(());
        }
        let id = activity.get("id").and_then(Value::as_str).unwrap_or_default();
        let payload = serde_json::to_string(activity).map_err(Error::internal)?;
        deliveries::enqueue(conn, id, &payload, signer.id(), &inboxes, Timestamp::now())?;
        Ok(())
    }

    /// Who receives a post: the author's remote followers (unless it is a
    /// direct message), the remote people it mentions, and the author of
    /// the post it answers.
    fn post_recipients(
        &self,
        conn: &mut DbConnection,
        post: &PostRow,
        author: &ActorRow,
        tags: &[PostTagRow],
    ) -> Result<Vec<String>, Error> {
        let mut inboxes = Vec::new();
        if post.visibility != PostVisibility::Direct {
            inboxes.extend(follows::remote_follower_inboxes(conn, author.id())?);
        }
        for href in tags.iter().filter(|t| t.kind == "mention").filter_map(|t| t.href.as_deref()) {
            if let Some(actor) = actors::find_by_ap_id(conn, href)? {
                inboxes.push(actor.delivery_inbox().to_owned());
            }
        }
        if let Some(parent) = post.in_reply_to.as_deref() {
            if let Some(parent) = posts::find_by_ap_id(conn, parent)? {
                if let Some(parent_author) = actors::find_by_id(conn, Id::from_i64(parent.author_id))? {
                    inboxes.push(parent_author.delivery_inbox().to_owned());
                }
            }
        }
        Ok(inboxes)
    }

    fn post_event(
        &self,
        conn: &mut DbConnection,
        post: &PostRow,
        author: &ActorRow,
        kind: &str,
    ) -> Result<(), Error> {
        let tags = posts::tags(conn, post.id())?;
        let context = maillage_service::conversations::context_of(conn, post)?;
        let media = crate::objects::media::attachments_of(conn, &self.urls, post.id)?;
        let mut inboxes = self.post_recipients(conn, post, author, &tags)?;
        let territory = self.territory_announcer(conn, post, author)?;
        let activity = match kind {
            "Create" => build_create(
                &format!("{}/activity", post.ap_id),
                &author.ap_id,
                post_to_ap(post, author, &tags, context.as_ref(), media),
            ),
            "Update" => build_update(
                &self.new_activity_id(),
                &author.ap_id,
                post_to_ap(post, author, &tags, context.as_ref(), media),
                &[],
                &[],
            ),
            _ => {
                let (to, cc) = audience(post.visibility, author.followers_url.as_deref(), &[]);
                // Nodes that received the post through the territory must
                // hear of its deletion too.
                if let Some(t) = &territory {
                    inboxes.extend(follows::remote_follower_inboxes(conn, t.id())?);
                }
                build_delete(
                    &self.new_activity_id(),
                    &author.ap_id,
                    tombstone(&post.ap_id, post.deleted_at),
                    &to,
                    &cc,
                )
            }
        };
        self.enqueue(conn, &activity, author, inboxes)?;
        if let (Some(territory), "Create") = (territory, kind) {
            self.territory_announce(conn, post, &territory)?;
        }
        // A member mentioning a local group posts in it: the group relays.
        if kind == "Create" && post.visibility.is_public() {
            for href in tags.iter().filter(|t| t.kind == "mention").filter_map(|t| t.href.as_deref()) {
                let Some(group) = actors::find_by_ap_id(conn, href)?
                    .filter(|g| g.local && g.kind == "Group" && g.purpose.is_none())
                else {
                    continue;
                };
                let member = maillage_db::groups::find_membership(conn, group.id(), author.id())?
                    .is_some_and(|m| m.is_accepted());
                if member {
                    self.group_announce(conn, group.id(), &activity, &post.ap_id, "Create")?;
                }
            }
        }
        Ok(())
    }

    /// The territory actor, when `post` is a public post by a local person
    /// or group that the territory should announce.
    fn territory_announcer(
        &self,
        conn: &mut DbConnection,
        post: &PostRow,
        author: &ActorRow,
    ) -> Result<Option<ActorRow>, Error> {
        if !post.local
            || post.visibility != PostVisibility::Public
            || author.purpose.is_some()
            || post.in_reply_to.is_some()
        {
            return Ok(None);
        }
        actors::find_by_purpose(conn, PURPOSE_TERRITORY)
    }

    fn territory_announce(
        &self,
        conn: &mut DbConnection,
        post: &PostRow,
        territory: &ActorRow,
    ) -> Result<(), Error> {
        let followers = territory.followers_url.clone().into_iter().collect::<Vec<_>>();
        let published = Timestamp::from_micros(post.published_at).to_rfc3339();
        let activity = build_announce(
            &self.new_activity_id(),
            &territory.ap_id,
            &post.ap_id,
            &[PUBLIC.to_owned()],
            &followers,
            &published,
        );
        let listings_only =
            maillage_db::links::active_partner_ids(conn, Some(maillage_service::links::LISTINGS))?;
        let inboxes = follows::remote_follower_inboxes_except(conn, territory.id(), &listings_only)?;
        self.enqueue(conn, &activity, territory, inboxes)
    }

    fn follow_json(&self, follow_ap_id: &str, follower: &ActorRow, target: &ActorRow) -> Value {
        build_follow(follow_ap_id, &follower.ap_id, &target.ap_id)
    }
}

impl Outbound for ApubOutbound {
    fn publish(&self, conn: &mut DbConnection, event: Outgoing<'_>) -> Result<(), Error> {
        match event {
            Outgoing::CreatePost { post, author } => self.post_event(conn, post, author, "Create"),
            Outgoing::UpdatePost { post, author } => self.post_event(conn, post, author, "Update"),
            Outgoing::DeletePost { post, author } => self.post_event(conn, post, author, "Delete"),
            Outgoing::PollVote { question, author, voter, choices, vote_ids } => {
                for (choice, vote_id) in choices.iter().zip(vote_ids) {
                    let activity = crate::protocol::question::build_vote(
                        &voter.ap_id,
                        *vote_id,
                        &question.ap_id,
                        &author.ap_id,
                        choice,
                    );
                    self.enqueue(conn, &activity, voter, vec![author.inbox_url.clone()])?;
                }
                Ok(())
            }
            Outgoing::Follow { follow, follower, target } => {
                let activity = self.follow_json(&follow.ap_id, follower, target);
                self.enqueue(conn, &activity, follower, vec![target.inbox_url.clone()])
            }
            Outgoing::LinkFollow { follow, territory, partner, level } => {
                let activity = build_link_follow(&follow.ap_id, &territory.ap_id, &partner.ap_id, level);
                self.enqueue(conn, &activity, territory, vec![partner.inbox_url.clone()])
            }
            Outgoing::UndoFollow { follow, follower, target } => {
                let inner = self.follow_json(&follow.ap_id, follower, target);
                let activity = build_undo(&self.new_activity_id(), &follower.ap_id, inner);
                self.enqueue(conn, &activity, follower, vec![target.inbox_url.clone()])
            }
            Outgoing::AcceptFollow { follow, follower, target }
            | Outgoing::RejectFollow { follow, follower, target } => {
                let kind = if matches!(event, Outgoing::AcceptFollow { .. }) { "Accept" } else { "Reject" };
                let inner = self.follow_json(&follow.ap_id, follower, target);
                let activity = build_follow_answer(kind, &self.new_activity_id(), &target.ap_id, inner);
                self.enqueue(conn, &activity, target, vec![follower.inbox_url.clone()])
            }
            Outgoing::Like { like, actor, post, post_author } => {
                let activity = build_like(&like.ap_id, &actor.ap_id, &post.ap_id, &post_author.ap_id);
                self.enqueue(conn, &activity, actor, vec![post_author.delivery_inbox().to_owned()])
            }
            Outgoing::UndoLike { like, actor, post, post_author } => {
                let inner = build_like(&like.ap_id, &actor.ap_id, &post.ap_id, &post_author.ap_id);
                let activity = build_undo(&self.new_activity_id(), &actor.ap_id, inner);
                self.enqueue(conn, &activity, actor, vec![post_author.delivery_inbox().to_owned()])
            }
            Outgoing::Announce { announce, actor, post, post_author }
            | Outgoing::UndoAnnounce { announce, actor, post, post_author } => {
                let followers: Vec<String> =
                    actor.followers_url.clone().into_iter().chain([post_author.ap_id.clone()]).collect();
                let published = Timestamp::from_micros(announce.created_at).to_rfc3339();
                let inner = build_announce(
                    &announce.ap_id,
                    &actor.ap_id,
                    &post.ap_id,
                    &[PUBLIC.to_owned()],
                    &followers,
                    &published,
                );
                let activity = match event {
                    Outgoing::Announce { .. } => inner,
                    _ => build_undo(&self.new_activity_id(), &actor.ap_id, inner),
                };
                let mut inboxes = follows::remote_follower_inboxes(conn, actor.id())?;
                inboxes.push(post_author.delivery_inbox().to_owned());
                self.enqueue(conn, &activity, actor, inboxes)
            }
            Outgoing::CreateListing { listing, author } => {
                self.listing_event(conn, listing, author, "Create")
            }
            Outgoing::UpdateListing { listing, author } => {
                self.listing_event(conn, listing, author, "Update")
            }
            Outgoing::DeleteListing { listing, author } => {
                self.listing_event(conn, listing, author, "Delete")
            }
            Outgoing::CreateSession { session, organizer } => {
                let activity = build_create(
                    &format!("{}/activity", session.ap_id),
                    &organizer.ap_id,
                    crate::objects::session::session_document(conn, &self.urls, session, organizer, 0)?,
                );
                let inboxes = follows::remote_follower_inboxes(conn, organizer.id())?;
                self.enqueue(conn, &activity, organizer, inboxes)?;
                if let Some(group) = session.group_id.map(Id::from_i64) {
                    self.group_announce(conn, group, &activity, &session.ap_id, "Create")?;
                }
                if organizer.purpose.is_none() {
                    if let Some(t) = actors::find_by_purpose(conn, PURPOSE_TERRITORY)? {
                        let followers: Vec<String> = t.followers_url.clone().into_iter().collect();
                        let published = Timestamp::from_micros(session.published_at).to_rfc3339();
                        let announce = build_announce(
                            &self.new_activity_id(),
                            &t.ap_id,
                            &session.ap_id,
                            &[PUBLIC.to_owned()],
                            &followers,
                            &published,
                        );
                        let inboxes = follows::remote_follower_inboxes(conn, t.id())?;
                        self.enqueue(conn, &announce, &t, inboxes)?;
                    }
                }
                Ok(())
            }
            Outgoing::UpdateSession { session, organizer } => self.session_updated(conn, session, organizer),
            Outgoing::CancelSession { session, organizer } => {
                self.session_cancelled(conn, session, organizer)
            }
            Outgoing::JoinSession { participation, participant, session, organizer } => {
                let id =
                    participation.ap_id.clone().unwrap_or_else(|| self.new_answered_id(AnsweredKind::Rsvp));
                let activity = build_join(&id, &participant.ap_id, &session.ap_id);
                self.enqueue(conn, &activity, participant, vec![organizer.inbox_url.clone()])
            }
            Outgoing::LeaveSession { participant, session, organizer } => {
                let activity = build_leave(&self.new_activity_id(), &participant.ap_id, &session.ap_id);
                self.enqueue(conn, &activity, participant, vec![organizer.inbox_url.clone()])
            }
            Outgoing::AcceptSessionJoin { participation, participant, session, organizer } => {
                let join_id = participation.ap_id.clone().unwrap_or_default();
                let join = build_join(&join_id, &participant.ap_id, &session.ap_id);
                let activity = build_follow_answer("Accept", &self.new_activity_id(), &organizer.ap_id, join);
                self.enqueue(conn, &activity, organizer, vec![participant.inbox_url.clone()])
            }
            Outgoing::OfferAgreement { agreement, listing, initiator, responder } => {
                let activity = build_offer_agreement(
                    &agreement.offer_ap_id,
                    &initiator.ap_id,
                    &responder.ap_id,
                    &agreement.ap_id,
                    &listing.ap_id,
                    &agreement.message,
                );
                self.enqueue(conn, &activity, initiator, vec![responder.inbox_url.clone()])
            }
            Outgoing::Join { membership, member, group } => {
                let id = membership.ap_id.clone().unwrap_or_else(|| self.new_answered_id(AnsweredKind::Join));
                let activity = build_join(&id, &member.ap_id, &group.ap_id);
                self.enqueue(conn, &activity, member, vec![group.inbox_url.clone()])
            }
            Outgoing::Leave { member, group, .. } => {
                let activity = build_leave(&self.new_activity_id(), &member.ap_id, &group.ap_id);
                self.enqueue(conn, &activity, member, vec![group.inbox_url.clone()])
            }
            Outgoing::AnswerJoin { membership, accepted, member, group } => {
                let kind = if accepted { "Accept" } else { "Reject" };
                let join_id = membership.ap_id.clone().unwrap_or_default();
                let activity = build_follow_answer(
                    kind,
                    &self.new_activity_id(),
                    &group.ap_id,
                    build_join(&join_id, &member.ap_id, &group.ap_id),
                );
                self.enqueue(conn, &activity, group, vec![member.inbox_url.clone()])
            }
            Outgoing::AnswerAgreement { agreement, accepted, initiator, responder } => {
                let kind = if accepted { "Accept" } else { "Reject" };
                let activity = build_agreement_answer(
                    kind,
                    &self.new_activity_id(),
                    &responder.ap_id,
                    &agreement.offer_ap_id,
                    &initiator.ap_id,
                    &agreement.ap_id,
                );
                self.enqueue(conn, &activity, responder, vec![initiator.inbox_url.clone()])
            }
            Outgoing::ConfirmAgreement { agreement, minutes, party, other } => {
                let activity = crate::builders::build_agreement_confirmation(
                    &self.new_activity_id(),
                    &party.ap_id,
                    &other.ap_id,
                    &agreement.ap_id,
                    minutes,
                );
                self.enqueue(conn, &activity, party, vec![other.inbox_url.clone()])
            }
            Outgoing::UpdateActor { actor } => {
                let followers: Vec<String> = actor.followers_url.clone().into_iter().collect();
                let activity = build_update(
                    &self.new_activity_id(),
                    &actor.ap_id,
                    actor_to_ap(actor),
                    &[PUBLIC.to_owned()],
                    &followers,
                );
                let inboxes = follows::remote_follower_inboxes(conn, actor.id())?;
                self.enqueue(conn, &activity, actor, inboxes)
            }
        }
    }
}
