//! The URLs this node mints. Every id of a local actor, object or activity
//! comes from here, so the scheme lives in one place:
//!
//! - actors: `{base}/users/{username}` (people, groups, the territory), with
//!   `/inbox`, `/outbox`, `/followers`, `/following` below; the instance
//!   actor is `{base}/actor`;
//! - the shared inbox: `{base}/inbox`;
//! - objects: `{base}/objects/{id}`; activities: `{base}/activities/{id}`,
//!   and `{base}/activities/{kind}/{id}` for those a peer may answer with
//!   an `Accept` or `Reject` ([`AnsweredKind`]), so that the answer is
//!   routed by its object's id alone;
//! - profile pages: `{base}/@{username}`.

/// The kinds of our activities a peer may answer with `Accept` or
/// `Reject`; their ids carry the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnsweredKind {
    /// A `Follow` of an actor.
    Follow,
    /// A `Join` of a group.
    Join,
    /// A `Join` of a session (taking part).
    Rsvp,
    /// An `Offer` of an agreement on a listing.
    Offer,
}

impl AnsweredKind {
    pub const ALL: [AnsweredKind; 4] =
        [AnsweredKind::Follow, AnsweredKind::Join, AnsweredKind::Rsvp, AnsweredKind::Offer];

    pub fn as_str(self) -> &'static str {
        match self {
            AnsweredKind::Follow => "follow",
            AnsweredKind::Join => "join",
            AnsweredKind::Rsvp => "rsvp",
            AnsweredKind::Offer => "offer",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalUrls {
    base: String,
    domain: String,
}

impl LocalUrls {
    /// `https` unless `plain_http` (federation debug mode, for tests).
    pub fn new(domain: &str, plain_http: bool) -> Self {
        let scheme = if plain_http { "http" } else { "https" };
        LocalUrls { base: format!("{scheme}://{domain}"), domain: domain.to_owned() }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }

    pub fn actor(&self, username: &str) -> String {
        format!("{}/users/{username}", self.base)
    }

    pub fn inbox(&self, username: &str) -> String {
        format!("{}/users/{username}/inbox", self.base)
    }

    pub fn outbox(&self, username: &str) -> String {
        format!("{}/users/{username}/outbox", self.base)
    }

    pub fn followers(&self, username: &str) -> String {
        format!("{}/users/{username}/followers", self.base)
    }

    pub fn following(&self, username: &str) -> String {
        format!("{}/users/{username}/following", self.base)
    }

    pub fn profile(&self, username: &str) -> String {
        format!("{}/@{username}", self.base)
    }

    pub fn shared_inbox(&self) -> String {
        format!("{}/inbox", self.base)
    }

    pub fn instance_actor(&self) -> String {
        format!("{}/actor", self.base)
    }

    pub fn object(&self, id: crate::id::Id) -> String {
        format!("{}/objects/{id}", self.base)
    }

    /// The `context` of a conversation begun here (peers group its
    /// messages by it).
    pub fn conversation(&self, id: crate::id::Id) -> String {
        format!("{}/conversations/{id}", self.base)
    }

    pub fn activity(&self, id: crate::id::Id) -> String {
        format!("{}/activities/{id}", self.base)
    }

    /// The id of an activity a peer may answer: its kind is in the path.
    pub fn answered_activity(&self, kind: AnsweredKind, id: crate::id::Id) -> String {
        format!("{}/activities/{}/{id}", self.base, kind.as_str())
    }

    /// The kind of one of our activity ids minted by
    /// [`LocalUrls::answered_activity`]; `None` for another URL, including
    /// the ids of the older form `{base}/activities/{id}`.
    pub fn answered_kind(&self, url: &str) -> Option<AnsweredKind> {
        let rest = url.strip_prefix(&self.base)?.strip_prefix("/activities/")?;
        let (kind, id) = rest.split_once('/')?;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        AnsweredKind::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    /// The page a password-reset mail links to.
    pub fn password_reset(&self, secret: &str) -> String {
        format!("{}/password/reset/{secret}", self.base)
    }

    /// The link confirming a new account's address.
    pub fn confirm_signup(&self, secret: &str) -> String {
        format!("{}/signup/confirm/{secret}", self.base)
    }

    /// The link confirming a change of address.
    pub fn confirm_email(&self, secret: &str) -> String {
        format!("{}/me/email/confirm/{secret}", self.base)
    }

    /// One file of a media kept here (`file` or `preview`), with the
    /// extension of its type when known.
    pub fn media(&self, id: i64, variant: &str, extension: Option<&str>) -> String {
        match extension {
            Some(ext) => format!("{}/media/{id}/{variant}.{ext}", self.base),
            None => format!("{}/media/{id}/{variant}", self.base),
        }
    }

    pub fn tag(&self, name: &str) -> String {
        format!("{}/tags/{name}", self.base)
    }

    /// Whether `url` names something on this node (same scheme-less host
    /// and port).
    pub fn is_local(&self, url: &str) -> bool {
        url.strip_prefix(&self.base).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mints_urls_under_one_base() {
        let urls = LocalUrls::new("maillage.example", false);
        assert_eq!(urls.actor("alice"), "https://maillage.example/users/alice");
        assert_eq!(urls.shared_inbox(), "https://maillage.example/inbox");
        let debug = LocalUrls::new("localhost:8080", true);
        assert_eq!(debug.object(crate::id::Id::from_i64(7)), "http://localhost:8080/objects/7");
    }

    #[test]
    fn answered_activities_carry_their_kind() {
        let urls = LocalUrls::new("maillage.example", false);
        for kind in AnsweredKind::ALL {
            let id = urls.answered_activity(kind, crate::id::Id::from_i64(42));
            assert_eq!(id, format!("https://maillage.example/activities/{}/42", kind.as_str()));
            assert_eq!(urls.answered_kind(&id), Some(kind));
        }
        assert_eq!(urls.answered_kind("https://maillage.example/activities/42"), None);
        assert_eq!(urls.answered_kind("https://maillage.example/activities/follow/"), None);
        assert_eq!(urls.answered_kind("https://maillage.example/activities/follow/4/2"), None);
        assert_eq!(urls.answered_kind("https://maillage.example/activities/like/42"), None);
        assert_eq!(urls.answered_kind("https://other.example/activities/follow/42"), None);
    }

    #[test]
    fn recognises_local_urls() {
        let urls = LocalUrls::new("maillage.example", false);
        assert!(urls.is_local("https://maillage.example/users/alice"));
        assert!(!urls.is_local("https://maillage.example.evil/users/alice"));
        assert!(!urls.is_local("http://maillage.example/users/alice"));
    }
}
