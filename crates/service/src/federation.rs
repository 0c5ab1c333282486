//! The outbound side of federation, seen from the use cases. A use case
//! that changes something other servers should hear about calls
//! [`Outbound::publish`] inside its write transaction; the implementation
//! (in the `apub` crate) builds the activity and queues its deliveries on
//! the same connection, so the change and its deliveries commit together.
//! This crate only names what happened.

use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::agreements::AgreementRow;
use maillage_db::follows::FollowRow;
use maillage_db::groups::MembershipRow;
use maillage_db::interactions::{AnnounceRow, LikeRow};
use maillage_db::listings::ListingRow;
use maillage_db::posts::PostRow;
use maillage_db::sessions::{ParticipationRow, SessionRow};
use maillage_db::DbConnection;

/// What happened, with the rows the activity is built from.
#[derive(Debug, Clone, Copy)]
pub enum Outgoing<'a> {
    CreatePost {
        post: &'a PostRow,
        author: &'a ActorRow,
    },
    UpdatePost {
        post: &'a PostRow,
        author: &'a ActorRow,
    },
    DeletePost {
        post: &'a PostRow,
        author: &'a ActorRow,
    },
    /// `voter` chose `choices` (option titles) in the poll of `question`,
    /// whose author is on another server; one vote row per choice.
    PollVote {
        question: &'a PostRow,
        author: &'a ActorRow,
        voter: &'a ActorRow,
        choices: &'a [String],
        vote_ids: &'a [i64],
    },
    Follow {
        follow: &'a FollowRow,
        follower: &'a ActorRow,
        target: &'a ActorRow,
    },
    /// Our territory actor follows another territory's: a link proposal
    /// (or the approval of theirs), carrying the link level.
    LinkFollow {
        follow: &'a FollowRow,
        territory: &'a ActorRow,
        partner: &'a ActorRow,
        level: &'a str,
    },
    UndoFollow {
        follow: &'a FollowRow,
        follower: &'a ActorRow,
        target: &'a ActorRow,
    },
    AcceptFollow {
        follow: &'a FollowRow,
        follower: &'a ActorRow,
        target: &'a ActorRow,
    },
    RejectFollow {
        follow: &'a FollowRow,
        follower: &'a ActorRow,
        target: &'a ActorRow,
    },
    Like {
        like: &'a LikeRow,
        actor: &'a ActorRow,
        post: &'a PostRow,
        post_author: &'a ActorRow,
    },
    UndoLike {
        like: &'a LikeRow,
        actor: &'a ActorRow,
        post: &'a PostRow,
        post_author: &'a ActorRow,
    },
    Announce {
        announce: &'a AnnounceRow,
        actor: &'a ActorRow,
        post: &'a PostRow,
        post_author: &'a ActorRow,
    },
    UndoAnnounce {
        announce: &'a AnnounceRow,
        actor: &'a ActorRow,
        post: &'a PostRow,
        post_author: &'a ActorRow,
    },
    UpdateActor {
        actor: &'a ActorRow,
    },
    CreateListing {
        listing: &'a ListingRow,
        author: &'a ActorRow,
    },
    /// Any change, status included.
    UpdateListing {
        listing: &'a ListingRow,
        author: &'a ActorRow,
    },
    DeleteListing {
        listing: &'a ListingRow,
        author: &'a ActorRow,
    },
    CreateSession {
        session: &'a SessionRow,
        organizer: &'a ActorRow,
    },
    /// The organiser changed a local session.
    UpdateSession {
        session: &'a SessionRow,
        organizer: &'a ActorRow,
    },
    /// The organiser cancels a local session (it is deleted).
    CancelSession {
        session: &'a SessionRow,
        organizer: &'a ActorRow,
    },
    /// A local person takes part in, or leaves, a remote session.
    JoinSession {
        participation: &'a ParticipationRow,
        participant: &'a ActorRow,
        session: &'a SessionRow,
        organizer: &'a ActorRow,
    },
    LeaveSession {
        participant: &'a ActorRow,
        session: &'a SessionRow,
        organizer: &'a ActorRow,
    },
    /// A local session gives a remote person a place.
    AcceptSessionJoin {
        participation: &'a ParticipationRow,
        participant: &'a ActorRow,
        session: &'a SessionRow,
        organizer: &'a ActorRow,
    },
    /// "I'm interested": an Offer of an Agreement to a listing's author.
    OfferAgreement {
        agreement: &'a AgreementRow,
        listing: &'a ListingRow,
        initiator: &'a ActorRow,
        responder: &'a ActorRow,
    },
    /// A local person asks to join a remote group, or leaves it.
    Join {
        membership: &'a MembershipRow,
        member: &'a ActorRow,
        group: &'a ActorRow,
    },
    Leave {
        membership: &'a MembershipRow,
        member: &'a ActorRow,
        group: &'a ActorRow,
    },
    /// A local group accepts or refuses a remote person's Join.
    AnswerJoin {
        membership: &'a MembershipRow,
        accepted: bool,
        member: &'a ActorRow,
        group: &'a ActorRow,
    },
    /// The author's Accept or Reject of that offer.
    AnswerAgreement {
        agreement: &'a AgreementRow,
        accepted: bool,
        initiator: &'a ActorRow,
        responder: &'a ActorRow,
    },
    /// `party` confirms the agreement was fulfilled, for `minutes` of time
    /// credit; `other` (the other party, on another node) must hear it.
    ConfirmAgreement {
        agreement: &'a AgreementRow,
        minutes: i64,
        party: &'a ActorRow,
        other: &'a ActorRow,
    },
}

pub trait Outbound: Send + Sync {
    fn publish(&self, conn: &mut DbConnection, event: Outgoing<'_>) -> Result<(), Error>;
}

/// For nodes or tests that must not federate: publishes nothing.
pub struct NoFederation;

impl Outbound for NoFederation {
    fn publish(&self, _conn: &mut DbConnection, _event: Outgoing<'_>) -> Result<(), Error> {
        Ok(())
    }
}

/// What resolving a remote actor returns: network work, done by the
/// federation crate for the pages, which cannot import it.
pub type Resolving<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<ActorRow, Error>> + 'a>>;

/// Finds other nodes' actors from what an admin typed.
pub trait Directory: Send + Sync {
    /// Another territory's actor from a domain, a handle or an actor URL.
    fn territory<'a>(&'a self, input: &'a str) -> Resolving<'a>;
}
