//! Local accounts: creation by an admin, registration by the public (per the
//! registration mode), changes by admins, and password login.

use maillage_core::account::{
    validate_display_name, validate_new_password, AccountState, Email, RegistrationMode, Role, User,
    Username, NOTE_MAX_CHARS,
};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors;
use maillage_db::users::{self, NewUser, UserRow};
use maillage_db::{tokens, transaction, DbConnection};

use crate::actors::{local_actor_row, NewLocalActor};
use crate::keys::generate_keypair;
use crate::password;

/// What is asked for a new account.
#[derive(Debug, Clone, Default)]
pub struct NewAccount<'a> {
    pub username: &'a str,
    pub email: &'a str,
    /// `None` lets [`create_by_admin`] generate one.
    pub password: Option<&'a str>,
    pub display_name: &'a str,
    pub locale: &'a str,
    /// Why the person wants to join, shown to moderators in approval mode.
    pub reason: &'a str,
}

#[derive(Debug)]
pub struct CreatedAccount {
    pub user: User,
    /// Set when no password was given: shown once, never stored in clear.
    pub generated_password: Option<String>,
}

pub(crate) fn user_from_row(row: UserRow) -> Result<User, Error> {
    Ok(User {
        id: row.id(),
        role: row.role()?,
        state: row.state()?,
        created_at: row.created_at(),
        last_login_at: row.last_login_at.map(Timestamp::from_micros),
        username: row.username,
        email: row.email,
        display_name: row.display_name,
        locale: row.locale,
        timezone: row.timezone,
    })
}

/// An admin creates an account, active at once, with any role.
pub fn create_by_admin(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    new: &NewAccount<'_>,
    role: Role,
) -> Result<CreatedAccount, Error> {
    let generated = match new.password {
        Some(_) => None,
        None => Some(password::generate_password()),
    };
    let pw = new.password.or(generated.as_deref()).unwrap_or_default();
    let user = insert_account(conn, urls, new, pw, role, AccountState::Active, &mut |_, _| Ok(()))?;
    Ok(CreatedAccount { user, generated_password: generated })
}

/// Someone registers through the API: refused when registrations are
/// closed, pending a moderator's approval in approval mode.
pub fn register(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    mode: RegistrationMode,
    new: &NewAccount<'_>,
) -> Result<User, Error> {
    register_then(conn, urls, mode, false, new, &mut |_, _| Ok(()))
}

/// What runs in the transaction that creates an account, after it.
pub type AfterInsert<'a> = dyn FnMut(&mut DbConnection, &User) -> Result<(), Error> + 'a;

/// [`register`], pending until `confirm` is done when asked, with `then`
/// run in the same transaction (the confirmation mail).
pub fn register_then(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    mode: RegistrationMode,
    confirm: bool,
    new: &NewAccount<'_>,
    then: &mut AfterInsert<'_>,
) -> Result<User, Error> {
    let state = match mode {
        RegistrationMode::Open if !confirm => AccountState::Active,
        RegistrationMode::Open | RegistrationMode::Approval => AccountState::Pending,
        RegistrationMode::Closed => return Err(Error::forbidden("registrations are closed on this node")),
    };
    let pw = new.password.ok_or_else(|| Error::unprocessable("a password is required"))?;
    insert_account(conn, urls, new, pw, Role::Member, state, then)
}

/// Inserts the account and its Person actor, in one transaction.
fn insert_account(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    new: &NewAccount<'_>,
    password: &str,
    role: Role,
    state: AccountState,
    then: &mut AfterInsert<'_>,
) -> Result<User, Error> {
    let username = Username::parse_new(new.username)?;
    let email = Email::parse(new.email)?;
    validate_new_password(password)?;
    let display_name = validate_display_name(new.display_name.trim())?;
    // Hash and generate keys before taking the write lock: the slow parts.
    let hash = password::hash_password(password)?;
    let keys = generate_keypair()?;
    let now = Timestamp::now();
    let id = Id::generate_at(now);
    let actor = local_actor_row(
        urls,
        &NewLocalActor {
            kind: "Person",
            username: username.as_str(),
            display_name,
            summary_html: "",
            manually_approves_followers: false,
            purpose: None,
            user_id: Some(id),
        },
        keys,
        now,
    );
    let (username_lower, email_lower) = (username.canonical(), email.canonical());
    transaction::write(conn, |conn| {
        users::insert(
            conn,
            &NewUser {
                id: id.as_i64(),
                username: username.as_str(),
                username_lower: &username_lower,
                email: email.as_str(),
                email_lower: &email_lower,
                display_name,
                password_hash: &hash,
                role: role.as_str(),
                state: state.as_str(),
                registration_reason: new.reason.trim(),
                locale: new.locale,
                created_at: now.as_micros(),
                updated_at: now.as_micros(),
            },
        )?;
        actors::insert(conn, &actor).map_err(|e| {
            if e.kind() == maillage_core::ErrorKind::Conflict {
                Error::conflict(format!("username \"{}\" is already taken", username.as_str()))
            } else {
                e
            }
        })?;
        let row =
            users::find_by_id(conn, id)?.ok_or_else(|| Error::internal("user vanished after insert"))?;
        let user = user_from_row(row)?;
        then(conn, &user)?;
        Ok(user)
    })
}

fn row_by_username(conn: &mut DbConnection, username: &str) -> Result<UserRow, Error> {
    let name = Username::parse(username)?;
    users::find_by_username(conn, &name.canonical())?
        .ok_or_else(|| Error::not_found(format!("no local user named \"{username}\"")))
}

pub fn find_by_username(conn: &mut DbConnection, username: &str) -> Result<User, Error> {
    user_from_row(row_by_username(conn, username)?)
}

pub fn find_by_id(conn: &mut DbConnection, id: Id) -> Result<User, Error> {
    let row = users::find_by_id(conn, id)?.ok_or_else(|| Error::not_found("no such user"))?;
    user_from_row(row)
}

/// Every local account, oldest first.
pub fn list(conn: &mut DbConnection) -> Result<Vec<User>, Error> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = users::list(conn, 500, after)?;
        let Some(last) = page.last() else { break };
        after = Some(last.id());
        for row in page {
            all.push(user_from_row(row)?);
        }
    }
    Ok(all)
}

pub fn set_role(conn: &mut DbConnection, username: &str, role: Role) -> Result<User, Error> {
    transaction::write(conn, |conn| {
        let row = row_by_username(conn, username)?;
        users::set_role(conn, row.id(), role, Timestamp::now())?;
        find_by_id(conn, row.id())
    })
}

/// Sets a new password (generated when `None`) and revokes every token of
/// the account, so that a leaked session ends with the old password.
pub fn set_password(
    conn: &mut DbConnection,
    username: &str,
    new: Option<&str>,
) -> Result<Option<String>, Error> {
    let generated = new.is_none().then(password::generate_password);
    let pw = new.or(generated.as_deref()).unwrap_or_default();
    validate_new_password(pw)?;
    let row = row_by_username(conn, username)?;
    let hash = password::hash_password(pw)?;
    transaction::write(conn, |conn| {
        let now = Timestamp::now();
        users::set_password_hash(conn, row.id(), &hash, now)?;
        tokens::revoke_all_for_user(conn, row.id(), now)?;
        Ok(())
    })?;
    Ok(generated)
}

/// Disables an account: it can no longer log in and its tokens are revoked.
pub fn disable(conn: &mut DbConnection, username: &str) -> Result<User, Error> {
    transaction::write(conn, |conn| {
        let row = row_by_username(conn, username)?;
        let now = Timestamp::now();
        users::set_state(conn, row.id(), AccountState::Disabled, now)?;
        tokens::revoke_all_for_user(conn, row.id(), now)?;
        find_by_id(conn, row.id())
    })
}

/// Re-enables a disabled account, or approves a pending one.
pub fn enable(conn: &mut DbConnection, username: &str) -> Result<User, Error> {
    transaction::write(conn, |conn| {
        let row = row_by_username(conn, username)?;
        users::set_state(conn, row.id(), AccountState::Active, Timestamp::now())?;
        find_by_id(conn, row.id())
    })
}

/// Approves a registration waiting in approval mode.
pub fn approve(conn: &mut DbConnection, username: &str) -> Result<User, Error> {
    transaction::write(conn, |conn| {
        let row = row_by_username(conn, username)?;
        if row.state()? != AccountState::Pending {
            return Err(Error::conflict(format!("\"{username}\" is not awaiting approval")));
        }
        users::set_state(conn, row.id(), AccountState::Active, Timestamp::now())?;
        find_by_id(conn, row.id())
    })
}

/// Password login with a username or an e-mail address (Mastodon's apps
/// send the e-mail address in the `username` field). Unknown login and
/// wrong password give the same error, after the same time.
pub fn login(conn: &mut DbConnection, login: &str, password: &str) -> Result<User, Error> {
    let invalid = || Error::unauthorized("invalid login or password");
    let login = login.trim();
    let row = if login.contains('@') {
        users::find_by_email(conn, &login.to_lowercase())?
    } else {
        users::find_by_username(conn, &login.to_ascii_lowercase())?
    };
    let Some(row) = row else {
        password::burn_verification_time(password);
        return Err(invalid());
    };
    if !password::verify_password(password, &row.password_hash) {
        return Err(invalid());
    }
    match row.state()? {
        AccountState::Active => {}
        AccountState::Pending
            if maillage_db::mail_tokens::has_unused(
                conn,
                row.id(),
                maillage_db::mail_tokens::CONFIRM_SIGNUP,
            )? =>
        {
            return Err(Error::forbidden("this account's e-mail address is not confirmed yet"))
        }
        AccountState::Pending => return Err(Error::forbidden("this account is awaiting approval")),
        AccountState::Disabled => return Err(Error::forbidden("this account is disabled")),
    }
    users::touch_login(conn, row.id(), Timestamp::now())?;
    find_by_id(conn, row.id())
}

/// What a person may change of their public profile.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    pub display_name: Option<String>,
    pub note: Option<String>,
    pub locked: Option<bool>,
    /// Uploads of the person's to show as their avatar and header.
    pub avatar: Option<maillage_core::id::Id>,
    pub header: Option<maillage_core::id::Id>,
}

/// Changes the profile of `user`'s actor and tells its followers.
pub fn update_profile(
    conn: &mut DbConnection,
    outbound: &dyn crate::federation::Outbound,
    urls: &maillage_core::urls::LocalUrls,
    user: &User,
    change: &ProfileChange,
) -> Result<maillage_db::actors::ActorRow, Error> {
    if let Some(name) = &change.display_name {
        validate_display_name(name.trim())?;
    }
    if change.note.as_ref().is_some_and(|n| n.chars().count() > NOTE_MAX_CHARS) {
        return Err(Error::unprocessable(format!(
            "Validation failed: note is longer than {NOTE_MAX_CHARS} characters"
        )));
    }
    transaction::write(conn, |conn| {
        let mut actor = crate::actors::actor_of_user(conn, user.id)?;
        if let Some(name) = &change.display_name {
            actor.display_name = name.trim().to_owned();
            users::set_display_name(conn, user.id, &actor.display_name)?;
        }
        if let Some(note) = &change.note {
            actor.summary_html = crate::text::render_markdown(note, &|_| None);
        }
        if let Some(locked) = change.locked {
            actor.manually_approves_followers = locked;
        }
        if let Some(avatar) = change.avatar {
            actor.icon_url = Some(crate::media::use_as_picture(conn, user, actor.id, avatar, 0, urls)?);
        }
        if let Some(header) = change.header {
            actor.image_url = Some(crate::media::use_as_picture(conn, user, actor.id, header, 1, urls)?);
        }
        actor.updated_at = Timestamp::now().as_micros();
        actors::update(conn, &actor)?;
        outbound.publish(conn, crate::federation::Outgoing::UpdateActor { actor: &actor })?;
        Ok(actor)
    })
}

/// A person's own settings, as the settings page sends them.
pub struct PersonalSettings<'a> {
    /// How they hear of new matches: `instant`, `digest` or `none`.
    pub notify: &'a str,
    pub language: &'a str,
    /// An IANA zone, or empty for the territory's.
    pub timezone: &'a str,
}

/// Checks every setting and stores them all in one transaction, or none
/// (`Validation failed: notify: …; timezone: …`).
pub fn save_settings(conn: &mut DbConnection, user: Id, s: &PersonalSettings<'_>) -> Result<(), Error> {
    let mut problems = Vec::new();
    if !crate::notices::PREFERENCES.contains(&s.notify) {
        problems.push("notify: must be one of instant, digest, none");
    }
    let language = maillage_core::i18n::Lang::parse(s.language);
    if language.is_none() {
        problems.push("language: must be fr or en");
    }
    let zone = s.timezone.trim();
    let zone =
        if zone.is_empty() { Some("") } else { maillage_core::zone::Zone::parse(zone).map(|z| z.name()) };
    if zone.is_none() {
        problems.push("timezone: must be an IANA time zone such as Europe/Paris");
    }
    let (Some(language), Some(zone), true) = (language, zone, problems.is_empty()) else {
        return Err(Error::unprocessable(format!("Validation failed: {}", problems.join("; "))));
    };
    transaction::write(conn, |conn| {
        users::set_locale_and_zone(conn, user, language.code(), zone)?;
        maillage_db::notifications::set_match_preference(
            conn,
            user.as_i64(),
            s.notify,
            Timestamp::now().as_micros(),
        )
    })
}
