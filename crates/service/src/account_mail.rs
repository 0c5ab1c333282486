//! What an account does by e-mail: resetting a forgotten password,
//! confirming a new account's address, changing one's address. Each sends
//! a single-use link (its secret stored only as a digest) that expires.
//!
//! A reset asked for an address nobody has gives the same answer and
//! sends nothing; only a malformed address is refused.

use std::time::Duration;

use maillage_core::account::{validate_new_password, AccountState, Email, User};
use maillage_core::config::Config;
use maillage_core::i18n::Lang;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::{Error, ErrorKind};
use maillage_db::mail_tokens::{self, MailTokenRow, CHANGE_EMAIL, CONFIRM_SIGNUP, PASSWORD_RESET};
use maillage_db::{tokens, transaction, users, DbConnection};

use crate::accounts::{self, NewAccount};
use crate::mail::{self, MailContent};
use crate::{password, tokens as bearer};

/// How long a password-reset link works.
pub const RESET_TTL: Duration = Duration::from_secs(3600);
/// How long a confirmation link works.
pub const CONFIRM_TTL: Duration = Duration::from_secs(48 * 3600);

/// The refusal of a link that is unknown, used or expired: one answer for
/// all three, so a link tells nothing of the others.
fn dead_link() -> Error {
    Error::new(ErrorKind::Gone, "this link is no longer valid: it was used already or it has expired")
}

/// Stores a new token of `purpose` (ending the earlier unused ones) and
/// returns its secret and id.
fn issue(
    conn: &mut DbConnection,
    user: Id,
    purpose: &str,
    new_email: Option<&str>,
    ttl: Duration,
) -> Result<(String, i64), Error> {
    let now = Timestamp::now();
    let secret = bearer::new_secret();
    let id = Id::generate_at(now).as_i64();
    mail_tokens::end_all(conn, user, purpose, now)?;
    mail_tokens::insert(
        conn,
        &MailTokenRow {
            id,
            user_id: user.as_i64(),
            purpose: purpose.to_owned(),
            token_hash: bearer::secret_digest(&secret),
            new_email: new_email.map(str::to_owned),
            created_at: now.as_micros(),
            expires_at: now.saturating_add(ttl).as_micros(),
            used_at: None,
        },
    )?;
    Ok((secret, id))
}

/// The live token of `purpose` behind a secret (not used, not expired).
fn live(conn: &mut DbConnection, secret: &str, purpose: &str) -> Result<MailTokenRow, Error> {
    if secret.is_empty() || secret.len() > 128 {
        return Err(dead_link());
    }
    let row = mail_tokens::find_by_hash(conn, &bearer::secret_digest(secret))?.ok_or_else(dead_link)?;
    let expired = row.expires_at <= Timestamp::now().as_micros();
    if row.purpose != purpose || row.used_at.is_some() || expired {
        return Err(dead_link());
    }
    Ok(row)
}

fn compose(territory: &str, lang: Lang, subject: &str, body: &str, link: (&str, &str)) -> MailContent {
    MailContent::compose(
        lang,
        territory,
        lang.fill(subject, &[territory]),
        &[lang.fill(body, &[territory])],
        Some((lang.t(link.0), link.1)),
    )
}

/// Someone forgot their password and gives their address: a link goes to
/// it when an active or pending account has it; the same `Ok` otherwise.
pub fn request_password_reset(conn: &mut DbConnection, config: &Config, address: &str) -> Result<(), Error> {
    let email = Email::parse(address)?;
    if !config.mail.enabled() {
        return Ok(());
    }
    let Some(row) = users::find_by_email(conn, &email.canonical())? else { return Ok(()) };
    if row.state()? == AccountState::Disabled {
        return Ok(());
    }
    let (urls, territory) = (config.local_urls(), crate::territory_settings::territory(conn, config)?);
    transaction::write(conn, |conn| {
        let (secret, id) = issue(conn, row.id(), PASSWORD_RESET, None, RESET_TTL)?;
        let link = urls.password_reset(&secret);
        mail::queue_for_user(
            conn,
            config,
            row.id(),
            &format!("password_reset:{id}"),
            |lang| {
                compose(
                    &territory.name,
                    lang,
                    "mail_reset_subject",
                    "mail_reset_body",
                    ("mail_reset_link", &link),
                )
            },
            None,
        )
        .map(drop)
    })
}

/// The account a reset link is for, while it works (for the page that
/// asks the new password).
pub fn check_password_reset(conn: &mut DbConnection, secret: &str) -> Result<User, Error> {
    let row = live(conn, secret, PASSWORD_RESET)?;
    accounts::find_by_id(conn, Id::from_i64(row.user_id))
}

/// Sets the new password through a reset link, once: the link ends, and
/// every session and token of the account is revoked.
pub fn reset_password(conn: &mut DbConnection, secret: &str, new_password: &str) -> Result<User, Error> {
    validate_new_password(new_password)?;
    let user = check_password_reset(conn, secret)?;
    let hash = password::hash_password(new_password)?;
    transaction::write(conn, |conn| {
        let row = live(conn, secret, PASSWORD_RESET)?;
        let now = Timestamp::now();
        if !mail_tokens::use_once(conn, row.id, now)? {
            return Err(dead_link());
        }
        users::set_password_hash(conn, user.id, &hash, now)?;
        tokens::revoke_all_for_user(conn, user.id, now)?;
        mail_tokens::end_all(conn, user.id, PASSWORD_RESET, now)?;
        Ok(())
    })?;
    Ok(user)
}

/// Registers someone; when the configuration asks for it, the account
/// waits (pending) until the link mailed to its address is followed, and
/// the account and its mail commit together.
pub fn register(
    conn: &mut DbConnection,
    config: &Config,
    mode: maillage_core::account::RegistrationMode,
    new: &NewAccount<'_>,
) -> Result<User, Error> {
    if !config.registration.confirm_email {
        return accounts::register(conn, &config.local_urls(), mode, new);
    }
    let (urls, territory) = (config.local_urls(), crate::territory_settings::territory(conn, config)?);
    accounts::register_then(conn, &urls, mode, true, new, &mut |conn, user| {
        let (secret, id) = issue(conn, user.id, CONFIRM_SIGNUP, None, CONFIRM_TTL)?;
        let link = urls.confirm_signup(&secret);
        mail::queue_for_user(
            conn,
            config,
            user.id,
            &format!("confirm_signup:{id}"),
            |lang| {
                compose(
                    &territory.name,
                    lang,
                    "mail_confirm_subject",
                    "mail_confirm_body",
                    ("mail_confirm_link", &link),
                )
            },
            None,
        )
        .map(drop)
    })
}

/// Whether an account still waits for its address to be confirmed.
pub fn awaits_confirmation(conn: &mut DbConnection, user: Id) -> Result<bool, Error> {
    mail_tokens::has_unused(conn, user, CONFIRM_SIGNUP)
}

/// Follows a sign-up confirmation link: the address is confirmed; the
/// account is active at once unless the registrations need a moderator's
/// approval (`still_pending`), in which case it waits for that.
pub fn confirm_signup(conn: &mut DbConnection, secret: &str, still_pending: bool) -> Result<User, Error> {
    transaction::write(conn, |conn| {
        let row = live(conn, secret, CONFIRM_SIGNUP)?;
        let now = Timestamp::now();
        if !mail_tokens::use_once(conn, row.id, now)? {
            return Err(dead_link());
        }
        let user = Id::from_i64(row.user_id);
        mail_tokens::set_email_confirmed(conn, user, now)?;
        let current = accounts::find_by_id(conn, user)?;
        if current.state == AccountState::Pending && !still_pending {
            users::set_state(conn, user, AccountState::Active, now)?;
        }
        accounts::find_by_id(conn, user)
    })
}

/// A signed-in person asks to change their address: a link goes to the
/// new one, and the change happens only when it is followed. An address
/// another account has is refused now (and checked again then).
pub fn request_email_change(
    conn: &mut DbConnection,
    config: &Config,
    user: &User,
    new_address: &str,
) -> Result<(), Error> {
    let email = Email::parse(new_address)?;
    if !config.mail.enabled() {
        return Err(Error::unavailable("this node sends no e-mail: ask an admin to change your address"));
    }
    if email.canonical() == user.email.to_lowercase() {
        return Err(Error::unprocessable("this is already your e-mail address"));
    }
    if users::find_by_email(conn, &email.canonical())?.is_some() {
        return Err(Error::conflict("this e-mail address is already used by another account"));
    }
    let (urls, territory) = (config.local_urls(), crate::territory_settings::territory(conn, config)?);
    let lang = mail::language_of(&user.locale, &territory);
    transaction::write(conn, |conn| {
        let (secret, id) = issue(conn, user.id, CHANGE_EMAIL, Some(email.as_str()), CONFIRM_TTL)?;
        let link = urls.confirm_email(&secret);
        let content = compose(
            &territory.name,
            lang,
            "mail_change_subject",
            "mail_change_body",
            ("mail_change_link", &link),
        );
        mail::queue(
            conn,
            config,
            Some(user.id),
            email.as_str(),
            &format!("change_email:{id}"),
            &content,
            None,
        )
        .map(drop)
    })
}

/// Follows an e-mail change link: the account's address becomes the new
/// one (a conflict if another account took it meanwhile).
pub fn confirm_email_change(conn: &mut DbConnection, secret: &str) -> Result<User, Error> {
    transaction::write(conn, |conn| {
        let row = live(conn, secret, CHANGE_EMAIL)?;
        let now = Timestamp::now();
        let new_email =
            row.new_email.clone().ok_or_else(|| Error::internal("change_email token without address"))?;
        if !mail_tokens::use_once(conn, row.id, now)? {
            return Err(dead_link());
        }
        let user = Id::from_i64(row.user_id);
        mail_tokens::set_email(conn, user, &new_email, now)?;
        accounts::find_by_id(conn, user)
    })
}

/// Deletes links that ended more than a day ago.
pub fn prune_tokens(conn: &mut DbConnection) -> Result<usize, Error> {
    let before = Timestamp::from_micros(Timestamp::now().as_micros() - 86_400_000_000);
    transaction::write(conn, |conn| mail_tokens::prune(conn, before))
}
