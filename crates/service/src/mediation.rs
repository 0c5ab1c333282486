//! Mediators: in a reciprocal knowledge-exchange network, people are paired
//! by hand on purpose. A group names some of its members mediators; the
//! knowledge-exchange pairings of the group's listings then wait for one
//! of them to approve before anyone is told.
//!
//! Across nodes, the listing says which group reviews its pairings
//! (`mediatedBy`); the other node holds its own copy of the match until
//! that group sends the approval: a direct note to the other person that
//! links both listings (FEP-e232 object links). Only the named group can
//! release it; a note from anyone else is ignored.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::listing::{Category, ListingStatus, ListingVisibility};
use maillage_core::post::PostVisibility;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::groups::{self, MembershipRow};
use maillage_db::listings::{self, ListingFilter, ListingRow};
use maillage_db::matches::{
    self, MatchRow, PairingApprovalRow, REVIEW_APPROVED, REVIEW_PENDING, REVIEW_REJECTED,
};
use maillage_db::posts::{self, PostRow, PostTagRow};
use maillage_db::{transaction, DbConnection};

use crate::actors::actor_of_user;
use crate::federation::{Outbound, Outgoing};
use crate::notices::tell_released;
use maillage_core::html::escape_html;

/// Who reviews a pairing before it reaches the people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reviewer {
    Nobody,
    /// A group of this node (its actor id).
    Local(i64),
    /// A group of another node, by URI.
    Remote(String),
}

pub fn is_knowledge_exchange(l: &ListingRow) -> bool {
    l.direction.is_some() || l.category == Category::SkillsKnowledge
}

fn local_group(conn: &mut DbConnection, id: i64) -> Result<Option<ActorRow>, Error> {
    Ok(actors::find_by_id(conn, Id::from_i64(id))?
        .filter(|a| a.local && a.kind == "Group" && a.purpose.is_none()))
}

/// The local group whose mediators review the pairings of a local
/// listing, if any.
pub fn local_reviewer(conn: &mut DbConnection, listing: &ListingRow) -> Result<Option<ActorRow>, Error> {
    let Some(group_id) = listing.group_id.filter(|_| listing.local && is_knowledge_exchange(listing)) else {
        return Ok(None);
    };
    let Some(group) = local_group(conn, group_id)? else { return Ok(None) };
    Ok((!groups::mediators(conn, group.id())?.is_empty()).then_some(group))
}

pub fn reviewer_of(
    conn: &mut DbConnection,
    need: &ListingRow,
    offer: &ListingRow,
) -> Result<Reviewer, Error> {
    for l in [need, offer] {
        if !is_knowledge_exchange(l) {
            continue;
        }
        if let Some(group) = local_reviewer(conn, l)? {
            return Ok(Reviewer::Local(group.id));
        }
        if !l.local {
            if let Some(uri) = matches::mediated_by(conn, l.id)? {
                return Ok(Reviewer::Remote(uri));
            }
        }
    }
    Ok(Reviewer::Nobody)
}

/// Whether `me` is a mediator of the local group `group_id` (the group's
/// actor), else 404 for a group that is not here, 403 otherwise.
fn check_mediator(conn: &mut DbConnection, me: &ActorRow, group_id: Id) -> Result<ActorRow, Error> {
    let group = local_group(conn, group_id.as_i64())?.ok_or_else(|| Error::not_found("Record not found"))?;
    if !groups::mediators(conn, group.id())?.contains(&me.id) {
        return Err(Error::forbidden("only the group's mediators review pairings"));
    }
    Ok(group)
}

/// A group admin names a member mediator, or takes it back. The group's
/// open knowledge-exchange listings are sent again so that other nodes
/// learn who reviews their pairings.
pub fn set_mediator(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    user: &User,
    group_id: Id,
    member_id: Id,
    mediator: bool,
) -> Result<MembershipRow, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let group =
            local_group(conn, group_id.as_i64())?.ok_or_else(|| Error::not_found("Record not found"))?;
        let mine = groups::find_membership(conn, group.id(), me.id())?;
        if !mine.as_ref().is_some_and(|m| m.is_accepted() && m.role == "admin") {
            return Err(Error::forbidden("only the group's admins name mediators"));
        }
        let row = groups::find_membership(conn, group.id(), member_id)?
            .filter(MembershipRow::is_accepted)
            .ok_or_else(|| Error::not_found("Record not found: no such member"))?;
        let had_mediators = !groups::mediators(conn, group.id())?.is_empty();
        groups::set_mediator(conn, row.id, mediator)?;
        let has_mediators = !groups::mediators(conn, group.id())?.is_empty();
        if had_mediators != has_mediators {
            let filter = ListingFilter {
                group: Some(group.id),
                statuses: vec![ListingStatus::Open],
                local: Some(true),
                visibilities: vec![
                    ListingVisibility::Public,
                    ListingVisibility::Territory,
                    ListingVisibility::Followers,
                ],
                limit: 100,
                ..ListingFilter::default()
            };
            for listing in listings::search(conn, &filter)?.into_iter().filter(is_knowledge_exchange) {
                if let Some(author) = actors::find_by_id(conn, Id::from_i64(listing.author_id))? {
                    outbound.publish(conn, Outgoing::UpdateListing { listing: &listing, author: &author })?;
                }
            }
        }
        Ok(row)
    })
}

/// The pairings waiting for the group's mediators, oldest first.
pub fn queue(conn: &mut DbConnection, user: &User, group_id: Id) -> Result<Vec<MatchRow>, Error> {
    let me = actor_of_user(conn, user.id)?;
    let group = check_mediator(conn, &me, group_id)?;
    matches::pending_of_group(conn, group.id, 200)
}

/// A mediator approves or rejects a pairing. Approved, it reaches the
/// people: local ones as they chose to hear of matches, remote ones by a
/// direct note from the group that their node reads as the approval.
pub fn decide(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    group_id: Id,
    match_id: Id,
    approve: bool,
) -> Result<MatchRow, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let group = check_mediator(conn, &me, group_id)?;
        let m = matches::find(conn, match_id.as_i64())?
            .filter(|m| m.review_group_id == Some(group.id))
            .ok_or_else(|| Error::not_found("Record not found"))?;
        if m.review != REVIEW_PENDING {
            return Err(Error::unprocessable(format!(
                "Validation failed: this pairing was already {}",
                m.review
            )));
        }
        let now = Timestamp::now().as_micros();
        let review = if approve { REVIEW_APPROVED } else { REVIEW_REJECTED };
        matches::set_review(conn, m.id, review, Some(me.id), now)?;
        let m = matches::find(conn, m.id)?.ok_or_else(|| Error::internal("match vanished"))?;
        if approve {
            tell_released(conn, urls, &m)?;
            tell_remote_sides(conn, outbound, urls, &group, &m)?;
        }
        Ok(m)
    })
}

/// The approval note to the remote authors of the pairing, if any.
fn tell_remote_sides(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    group: &ActorRow,
    m: &MatchRow,
) -> Result<(), Error> {
    let (Some(need), Some(offer)) = (
        listings::find_by_id(conn, Id::from_i64(m.need_id))?,
        listings::find_by_id(conn, Id::from_i64(m.offer_id))?,
    ) else {
        return Ok(());
    };
    let mut remote = Vec::new();
    for l in [&need, &offer] {
        if let Some(a) = actors::find_by_id(conn, Id::from_i64(l.author_id))?.filter(|a| !a.local) {
            remote.push(a);
        }
    }
    if remote.is_empty() {
        return Ok(());
    }
    let now = Timestamp::now();
    let id = Id::generate_at(now);
    let mentions: Vec<String> = remote
        .iter()
        .map(|a| {
            let href = a.url.clone().unwrap_or_else(|| a.ap_id.clone());
            format!(
                r#"<span class="h-card"><a href="{}" class="u-url mention">@<span>{}</span></a></span>"#,
                escape_html(&href),
                escape_html(&a.username)
            )
        })
        .collect();
    let link = |l: &ListingRow| {
        let href = l.url.clone().unwrap_or_else(|| l.ap_id.clone());
        format!(r#"<a href="{}">{}</a>"#, escape_html(&href), escape_html(&l.title))
    };
    let html = format!(
        "<p>{} The mediators of {} propose an exchange: {} ↔ {}</p>",
        mentions.join(" "),
        escape_html(&group.display_name),
        link(&need),
        link(&offer)
    );
    let mut tags: Vec<PostTagRow> = remote
        .iter()
        .map(|a| PostTagRow {
            id: Id::generate_at(now).as_i64(),
            post_id: id.as_i64(),
            kind: "mention".into(),
            name: format!("@{}@{}", a.username, a.domain),
            href: Some(a.ap_id.clone()),
        })
        .collect();
    for (name, l) in [("need", &need), ("offer", &offer)] {
        tags.push(PostTagRow {
            id: Id::generate_at(now).as_i64(),
            post_id: id.as_i64(),
            kind: "pairing".into(),
            name: name.into(),
            href: Some(l.ap_id.clone()),
        });
    }
    let to: Vec<&str> = remote.iter().map(|a| a.ap_id.as_str()).collect();
    let post = PostRow {
        id: id.as_i64(),
        ap_id: urls.object(id),
        author_id: group.id,
        kind: "Note".into(),
        content_html: html,
        source: None,
        summary: String::new(),
        sensitive: false,
        visibility: PostVisibility::Direct,
        in_reply_to: None,
        url: group.url.as_ref().map(|u| format!("{u}/{id}")),
        language: Some("en".into()),
        to_json: serde_json::to_string(&to).map_err(Error::internal)?,
        cc_json: "[]".into(),
        local: true,
        published_at: now.as_micros(),
        updated_at: None,
        deleted_at: None,
    };
    posts::insert(conn, &post, &tags)?;
    outbound.publish(conn, Outgoing::CreatePost { post: &post, author: group })
}

/// A note from `sender` approving the pairing of two listings, received
/// on the caller's transaction. It counts only if one of the listings
/// names `sender` as the group that reviews its pairings; the match, if
/// this node holds it, is released.
pub fn receive_approval(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    sender: &ActorRow,
    need_uri: &str,
    offer_uri: &str,
    post_id: Option<i64>,
) -> Result<bool, Error> {
    let need = listings::find_by_ap_id(conn, need_uri)?;
    let offer = listings::find_by_ap_id(conn, offer_uri)?;
    let mut named = false;
    for l in need.iter().chain(offer.iter()) {
        if !l.local && matches::mediated_by(conn, l.id)?.as_deref() == Some(sender.ap_id.as_str()) {
            named = true;
        }
    }
    if !named {
        return Ok(false);
    }
    matches::insert_approval_or_ignore(
        conn,
        &PairingApprovalRow {
            need_uri: need_uri.into(),
            offer_uri: offer_uri.into(),
            group_uri: sender.ap_id.clone(),
            post_id,
            approved_at: Timestamp::now().as_micros(),
        },
    )?;
    let (Some(need), Some(offer)) = (need, offer) else { return Ok(true) };
    let Some(m) = matches::find_pair(conn, need.id, offer.id)? else { return Ok(true) };
    if m.review == REVIEW_PENDING
        && m.review_group_id.is_none()
        && matches::set_review(conn, m.id, REVIEW_APPROVED, Some(sender.id), Timestamp::now().as_micros())?
    {
        let m = matches::find(conn, m.id)?.ok_or_else(|| Error::internal("match vanished"))?;
        tell_released(conn, urls, &m)?;
    }
    Ok(true)
}

/// The need and the offer of a pairing, shown to the mediators who review
/// it; `None` when one of them is gone.
pub fn listings_of(
    conn: &mut DbConnection,
    pairing: &MatchRow,
) -> Result<Option<(ListingRow, ListingRow)>, Error> {
    let need = listings::find_by_id(conn, Id::from_i64(pairing.need_id))?;
    let offer = listings::find_by_id(conn, Id::from_i64(pairing.offer_id))?;
    Ok(need.zip(offer))
}
