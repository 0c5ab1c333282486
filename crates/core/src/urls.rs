//! The URLs this node mints. Every id of a local actor, object or activity
//! comes from here, so the scheme lives in one place:
//!
//! - actors: `{base}/users/{username}` (people, groups, the territory), with
//!   `/inbox`, `/outbox`, `/followers`, `/following` below; the instance
//!   actor is `{base}/actor`;
//! - the shared inbox: `{base}/inbox`;
//! - objects: `{base}/objects/{id}`; activities: `{base}/activities/{id}`;
//! - profile pages: `{base}/@{username}`.

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

    pub fn activity(&self, id: crate::id::Id) -> String {
        format!("{}/activities/{id}", self.base)
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
    fn recognises_local_urls() {
        let urls = LocalUrls::new("maillage.example", false);
        assert!(urls.is_local("https://maillage.example/users/alice"));
        assert!(!urls.is_local("https://maillage.example.evil/users/alice"));
        assert!(!urls.is_local("http://maillage.example/users/alice"));
    }
}
