//! How each person wants to hear of each kind of event (`core::notify`):
//! the settings page reads and writes them, `notices` asks them at every
//! event, and an unsubscribe link turns one kind's e-mail off without a
//! log-in (RFC 8058's one-click POST).

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::notify::{self, EmailWhen, Kind, Setting, KINDS};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::notification_settings::{self as db, PendingMailRow, SettingRow};
use maillage_db::{transaction, DbConnection};
use sha2::{Digest, Sha256};

/// One kind with what the person chose (or the default).
#[derive(Debug, Clone)]
pub struct KindSetting {
    pub kind: &'static Kind,
    pub setting: Setting,
}

fn setting_of(row: Option<&SettingRow>, kind: &Kind) -> Setting {
    match row {
        Some(r) => Setting {
            app: r.app,
            email: EmailWhen::parse(&r.email).unwrap_or(kind.default_email),
            push: r.push,
        },
        None => kind.default_setting(),
    }
}

/// Every kind `user` may hear of, with their settings.
pub fn of_user(conn: &mut DbConnection, user: &User) -> Result<Vec<KindSetting>, Error> {
    let rows = db::of_user(conn, user.id.as_i64())?;
    let mut out = Vec::new();
    for kind in KINDS.iter().filter(|k| !k.staff_only || user.role.can_moderate()) {
        let setting = setting_of(rows.iter().find(|r| r.kind == kind.name), kind);
        out.push(KindSetting {
            kind,
            setting: with_match_preference(conn, user.id.as_i64(), kind, setting)?,
        });
    }
    Ok(out)
}

/// What `user` chose for the kind `reason` belongs to.
pub fn for_reason(conn: &mut DbConnection, user: i64, reason: &str) -> Result<Setting, Error> {
    let kind = notify::kind_of(reason);
    let setting = setting_of(db::find(conn, user, kind.name)?.as_ref(), kind);
    with_match_preference(conn, user, kind, setting)
}

/// Matches show in the app as the match preference says (at once, in a
/// daily digest, or not at all: `notices::preference`, which apps also
/// set through `/api/v1/matches/preferences`); it alone decides, so the
/// kind's own `app` is read from it.
fn with_match_preference(
    conn: &mut DbConnection,
    user: i64,
    kind: &Kind,
    setting: Setting,
) -> Result<Setting, Error> {
    if kind.name != "matches" {
        return Ok(setting);
    }
    let app = crate::notices::preference(conn, Id::from_i64(user))? != "none";
    Ok(Setting { app, ..setting })
}

/// One kind's choices, as a form or a test sends them.
#[derive(Debug, Clone)]
pub struct Choice {
    pub kind: String,
    pub app: bool,
    pub email: String,
    pub push: bool,
}

/// Writes `user`'s choices for each kind named; an unknown kind or e-mail
/// choice is refused and nothing changes.
pub fn set(conn: &mut DbConnection, user: Id, choices: &[Choice]) -> Result<(), Error> {
    let mut rows = Vec::new();
    let now = Timestamp::now().as_micros();
    for Choice { kind, app, email, push } in choices {
        let Some(kind) = notify::kind_named(kind) else {
            return Err(Error::unprocessable(format!("Validation failed: kind: unknown \"{kind}\"")));
        };
        let Some(email) = EmailWhen::parse(email) else {
            return Err(Error::unprocessable(
                "Validation failed: email: must be one of instant, daily, weekly, never",
            ));
        };
        rows.push(SettingRow {
            user_id: user.as_i64(),
            kind: kind.name.into(),
            app: *app,
            email: email.as_str().into(),
            updated_at: now,
            push: *push,
        });
    }
    transaction::write(conn, |conn| rows.iter().try_for_each(|r| db::put(conn, r)))
}

/// The settings page's form as one change: every kind's choices and, when
/// given, how matches show in the app (`instant`, `digest`, `none`), which
/// stands for the `app` of kind `matches`.
pub fn save(
    conn: &mut DbConnection,
    user: Id,
    choices: &[Choice],
    match_preference: Option<&str>,
) -> Result<(), Error> {
    if let Some(p) = match_preference {
        if !crate::notices::PREFERENCES.contains(&p) {
            return Err(Error::unprocessable(
                "Validation failed: matches: must be one of instant, digest, none",
            ));
        }
    }
    set(conn, user, choices)?;
    match match_preference {
        Some(p) if crate::notices::preference(conn, user)? != p => {
            crate::notices::set_preference(conn, user, p)
        }
        _ => Ok(()),
    }
}

/// Files what is to be e-mailed to `user` of an event, as they chose: at
/// once or in their next digest. On the caller's transaction.
pub(crate) fn queue_mail(
    conn: &mut DbConnection,
    user: i64,
    email: EmailWhen,
    reason: &str,
    from: Option<i64>,
    post: Option<i64>,
    match_id: Option<i64>,
) -> Result<(), Error> {
    if email == EmailWhen::Never {
        return Ok(());
    }
    let now = Timestamp::now();
    db::add_pending(
        conn,
        &PendingMailRow {
            id: Id::generate_at(now).as_i64(),
            user_id: user,
            reason: reason.into(),
            from_actor_id: from,
            post_id: post,
            match_id,
            period: email.as_str().into(),
            created_at: now.as_micros(),
        },
    )
}

const SECRET_NAME: &str = "unsubscribe";

/// The signature of an unsubscribe link for (`user`, `kind`): HMAC-SHA256
/// under the node's own secret, 128 bits in hex.
pub fn unsubscribe_signature(conn: &mut DbConnection, user: i64, kind: &str) -> Result<String, Error> {
    let secret = db::secret(conn, SECRET_NAME, crate::tokens::new_secret)?;
    let mac = hmac_sha256(secret.as_bytes(), format!("{user}:{kind}").as_bytes());
    Ok(mac.iter().take(16).map(|b| format!("{b:02x}")).collect())
}

/// Turns off the e-mail of `kind` for `user` when `signature` is theirs;
/// 404 otherwise (a link that was never made).
pub fn unsubscribe(conn: &mut DbConnection, user: i64, kind: &str, signature: &str) -> Result<(), Error> {
    let Some(kind) = notify::kind_named(kind) else { return Err(Error::not_found("no such link")) };
    let expected = unsubscribe_signature(conn, user, kind.name)?;
    let same = expected.len() == signature.len()
        && expected.bytes().zip(signature.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if !same || maillage_db::users::find_by_id(conn, Id::from_i64(user))?.is_none() {
        return Err(Error::not_found("no such link"));
    }
    transaction::write(conn, |conn| {
        let kept = setting_of(db::find(conn, user, kind.name)?.as_ref(), kind);
        db::put(
            conn,
            &SettingRow {
                user_id: user,
                kind: kind.name.into(),
                app: kept.app,
                email: EmailWhen::Never.as_str().into(),
                updated_at: Timestamp::now().as_micros(),
                push: kept.push,
            },
        )
    })
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

#[cfg(test)]
mod tests {
    use super::hmac_sha256;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2 of RFC 4231.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
