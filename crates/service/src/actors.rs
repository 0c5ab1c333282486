//! Local actors: the Person of each account, and the node's own actors (the
//! instance actor, an `Application` that signs fetches; the territory
//! actor, a `Group` that announces local public content).

use maillage_core::config::{Config, TerritoryConfig};
use maillage_core::id::Id;
use maillage_core::post::PostVisibility;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::{transaction, DbConnection};

use crate::keys::{generate_keypair, KeyPair};

pub const PURPOSE_INSTANCE: &str = "instance";
pub const PURPOSE_TERRITORY: &str = "territory";

/// What a new local actor is.
pub struct NewLocalActor<'a> {
    pub kind: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub summary_html: &'a str,
    pub manually_approves_followers: bool,
    pub purpose: Option<&'a str>,
    pub user_id: Option<Id>,
}

/// The row of a new local actor, with its URLs and keys.
pub fn local_actor_row(urls: &LocalUrls, new: &NewLocalActor<'_>, keys: KeyPair, now: Timestamp) -> ActorRow {
    let is_instance = new.purpose == Some(PURPOSE_INSTANCE);
    let ap_id = if is_instance { urls.instance_actor() } else { urls.actor(new.username) };
    let (inbox, outbox, followers, following, url) = if is_instance {
        (format!("{ap_id}/inbox"), Some(format!("{ap_id}/outbox")), None, None, Some(urls.base().to_owned()))
    } else {
        (
            urls.inbox(new.username),
            Some(urls.outbox(new.username)),
            Some(urls.followers(new.username)),
            Some(urls.following(new.username)),
            Some(urls.profile(new.username)),
        )
    };
    ActorRow {
        id: Id::generate_at(now).as_i64(),
        ap_id,
        kind: new.kind.to_owned(),
        username: new.username.to_owned(),
        username_lower: new.username.to_lowercase(),
        domain: urls.domain().to_owned(),
        display_name: new.display_name.to_owned(),
        summary_html: new.summary_html.to_owned(),
        inbox_url: inbox,
        shared_inbox_url: Some(urls.shared_inbox()),
        outbox_url: outbox,
        followers_url: followers,
        following_url: following,
        url,
        icon_url: None,
        image_url: None,
        public_key_pem: keys.public_pem,
        private_key_pem: Some(keys.private_pem),
        manually_approves_followers: new.manually_approves_followers,
        local: true,
        purpose: new.purpose.map(str::to_owned),
        user_id: new.user_id.map(Id::as_i64),
        published_at: now.as_micros(),
        updated_at: now.as_micros(),
        fetched_at: None,
        latitude: None,
        longitude: None,
    }
}

/// Creates the instance and territory actors when they do not exist yet,
/// and keeps the territory actor's name, description and centre in step
/// with the territory in force. Called at start-up.
pub fn ensure_node_actors(conn: &mut DbConnection, config: &Config) -> Result<(ActorRow, ActorRow), Error> {
    let urls = config.local_urls();
    let instance = match actors::find_by_purpose(conn, PURPOSE_INSTANCE)? {
        Some(a) => a,
        None => {
            let keys = generate_keypair()?;
            let new = NewLocalActor {
                kind: "Application",
                username: urls.domain(),
                display_name: &config.territory.name,
                summary_html: "",
                manually_approves_followers: true,
                purpose: Some(PURPOSE_INSTANCE),
                user_id: None,
            };
            let row = local_actor_row(&urls, &new, keys, Timestamp::now());
            transaction::write(conn, |c| actors::insert(c, &row))?;
            row
        }
    };
    let t = crate::territory_settings::territory(conn, config)?;
    let territory = match sync_territory_actor(conn, &t, Timestamp::now())? {
        Some(changed) => changed,
        None => match actors::find_by_purpose(conn, PURPOSE_TERRITORY)? {
            Some(a) => a,
            None => {
                let keys = generate_keypair()?;
                let summary = territory_summary(&t);
                let new = NewLocalActor {
                    kind: "Group",
                    username: &t.handle,
                    display_name: &t.name,
                    summary_html: &summary,
                    // Other territories' follows are links that admins approve.
                    manually_approves_followers: false,
                    purpose: Some(PURPOSE_TERRITORY),
                    user_id: None,
                };
                let mut row = local_actor_row(&urls, &new, keys, Timestamp::now());
                (row.latitude, row.longitude) = (Some(t.latitude), Some(t.longitude));
                transaction::write(conn, |c| actors::insert(c, &row))?;
                row
            }
        },
    };
    Ok((instance, territory))
}

fn territory_summary(t: &TerritoryConfig) -> String {
    crate::text::sanitize_html(&crate::text::render_markdown(&t.description, &|_| None))
}

/// Brings the territory actor's name, description and centre in step with
/// `t`; returns the actor when it changed (its followers are to be told),
/// nothing when it was already so or does not exist yet.
pub fn sync_territory_actor(
    conn: &mut DbConnection,
    t: &TerritoryConfig,
    now: Timestamp,
) -> Result<Option<ActorRow>, Error> {
    let Some(mut a) = actors::find_by_purpose(conn, PURPOSE_TERRITORY)? else {
        return Ok(None);
    };
    let (summary, centre) = (territory_summary(t), (Some(t.latitude), Some(t.longitude)));
    if a.display_name == t.name && a.summary_html == summary && (a.latitude, a.longitude) == centre {
        return Ok(None);
    }
    a.display_name = t.name.clone();
    a.summary_html = summary;
    (a.latitude, a.longitude) = centre;
    a.updated_at = now.as_micros();
    actors::update(conn, &a)?;
    Ok(Some(a))
}

pub fn instance_actor(conn: &mut DbConnection) -> Result<ActorRow, Error> {
    actors::find_by_purpose(conn, PURPOSE_INSTANCE)?
        .ok_or_else(|| Error::internal("the instance actor is missing"))
}

pub fn territory_actor(conn: &mut DbConnection) -> Result<ActorRow, Error> {
    actors::find_by_purpose(conn, PURPOSE_TERRITORY)?
        .ok_or_else(|| Error::internal("the territory actor is missing"))
}

/// The Person of a local account.
pub fn actor_of_user(conn: &mut DbConnection, user_id: Id) -> Result<ActorRow, Error> {
    actors::find_by_user_id(conn, user_id)?
        .ok_or_else(|| Error::internal(format!("user {user_id} has no actor")))
}

/// A local actor by username (people, groups, the territory).
pub fn local_by_username(conn: &mut DbConnection, username: &str) -> Result<ActorRow, Error> {
    actors::find_local_by_username(conn, &username.to_lowercase())?
        .ok_or_else(|| Error::not_found(format!("no local actor named \"{username}\"")))
}

/// Actor `id` (local or remote), if known.
pub fn find(conn: &mut DbConnection, id: Id) -> Result<Option<ActorRow>, Error> {
    actors::find_by_id(conn, id)
}

/// The actor `name@domain` (name in any case), if known.
pub fn find_by_handle(conn: &mut DbConnection, name: &str, domain: &str) -> Result<Option<ActorRow>, Error> {
    actors::find_by_handle(conn, &name.to_lowercase(), &domain.to_lowercase())
}

/// The local actor called `name` (any case), if there is one.
pub fn find_local(conn: &mut DbConnection, name: &str) -> Result<Option<ActorRow>, Error> {
    actors::find_local_by_username(conn, &name.to_lowercase())
}

/// Known accounts whose username starts with, or display name holds, `words`.
pub fn search(conn: &mut DbConnection, words: &str, limit: i64) -> Result<Vec<ActorRow>, Error> {
    actors::search(conn, words, limit)
}

/// What an account's profile counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountFacts {
    pub followers: i64,
    pub following: i64,
    /// Public and unlisted posts.
    pub statuses: i64,
    /// When the last post was published (microseconds).
    pub last_status_at: Option<i64>,
}

pub fn account_facts(conn: &mut DbConnection, actor: &ActorRow) -> Result<AccountFacts, Error> {
    use maillage_db::{follows, posts};
    Ok(AccountFacts {
        followers: follows::count_followers(conn, actor.id())?,
        following: follows::count_following(conn, actor.id())?,
        statuses: posts::count_by_author(
            conn,
            actor.id(),
            &[PostVisibility::Public, PostVisibility::Unlisted],
        )?,
        last_status_at: posts::last_published(conn, actor.id())?,
    })
}

/// The Person of a signed-in visitor, or nobody.
pub fn of_visitor(
    conn: &mut DbConnection,
    user: Option<&maillage_core::account::User>,
) -> Result<Option<ActorRow>, Error> {
    user.map(|u| actor_of_user(conn, u.id)).transpose()
}
