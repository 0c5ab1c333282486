//! Notifications by e-mail: what `notices` filed for the mail
//! (`notification_settings::queue_mail`) becomes one mail at once, or one
//! daily or weekly digest gathering everything since the last. Each mail
//! carries a link to the settings and a one-click unsubscribe from its
//! kind (RFC 8058). Safe with several processes: an item is taken by
//! deleting it, and a digest's mark moves only from the value read.

use maillage_core::config::Config;
use maillage_core::i18n::Lang;
use maillage_core::id::Id;
use maillage_core::notify::{self, EmailWhen};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::notification_settings::{self as db, PendingMailRow};
use maillage_db::{actors, listings, matches, posts, transaction, users, DbConnection};

use crate::mail::{self, MailContent};
use crate::notifications::{excerpt, local_path, name_of, sentence};

/// Items taken per round, and the most a digest lists.
const BATCH: i64 = 200;
const DIGEST_MAX: usize = 30;

/// Sends what is due at `now`: every item to be mailed at once, and the
/// digests whose period has passed since the last (or, for a first
/// digest, since its oldest item). Returns how many mails were queued.
/// With no SMTP server configured, the items are dropped.
pub fn send_due(conn: &mut DbConnection, config: &Config, now: Timestamp) -> Result<usize, Error> {
    if !config.mail.enabled() {
        transaction::write(conn, db::discard_all)?;
        return Ok(0);
    }
    let mut queued = 0;
    for item in db::pending(conn, EmailWhen::Instant.as_str(), BATCH)? {
        queued += usize::from(transaction::write(conn, |conn| {
            if db::take(conn, &[item.id])? != 1 {
                return Ok(false);
            }
            send_one(conn, config, &item)
        })?);
    }
    for period in [EmailWhen::Daily, EmailWhen::Weekly] {
        let every = period.period_micros().unwrap_or(i64::MAX);
        for (user, oldest) in db::waiting_digests(conn, period.as_str(), BATCH)? {
            let last = db::last_digest(conn, user, period.as_str())?;
            if last.unwrap_or(oldest) > now.as_micros() - every {
                continue;
            }
            queued += usize::from(transaction::write(conn, |conn| {
                if !db::mark_digest(conn, user, period.as_str(), last, now.as_micros())? {
                    return Ok(false);
                }
                let items = db::pending_of(conn, user, period.as_str(), 500)?;
                let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
                if items.is_empty() || db::take(conn, &ids)? != ids.len() {
                    return Ok(false);
                }
                send_digest(conn, config, user, period, &items, now)
            })?);
        }
    }
    Ok(queued)
}

/// One event, as a sentence, an excerpt and a link.
struct Told {
    sentence: String,
    excerpt: String,
    link: String,
}

fn describe(
    conn: &mut DbConnection,
    config: &Config,
    lang: Lang,
    item: &PendingMailRow,
) -> Result<Told, Error> {
    let base = config.local_urls().base().to_owned();
    let from = item.from_actor_id.map(|a| actors::find_by_id(conn, Id::from_i64(a))).transpose()?.flatten();
    let who = from.as_ref().map(name_of).unwrap_or_default();
    if let Some(m) = item.match_id.map(|m| matches::find(conn, m)).transpose()?.flatten() {
        // The other side's listing: the one `from` wrote.
        let need = listings::find_by_id(conn, Id::from_i64(m.need_id))?;
        let listing = match need {
            Some(n) if Some(n.author_id) == item.from_actor_id => Some(n),
            _ => listings::find_by_id(conn, Id::from_i64(m.offer_id))?,
        };
        let title = listing.as_ref().map(|l| l.title.clone()).unwrap_or_default();
        let link =
            listing.and_then(|l| l.url.or(Some(l.ap_id))).unwrap_or_else(|| format!("{base}/me/matches"));
        return Ok(Told { sentence: sentence(lang, "match", &title), excerpt: String::new(), link });
    }
    let post = item.post_id.map(|p| posts::find_by_id(conn, Id::from_i64(p))).transpose()?.flatten();
    let post = post.filter(|p| p.deleted_at.is_none());
    let conversation = match &post {
        Some(p) => crate::conversations::of_post(conn, p)?,
        None => None,
    };
    let link = match local_path(&item.reason, conversation) {
        Some(path) => format!("{base}{path}"),
        None => format!("{base}/me/notifications"),
    };
    Ok(Told {
        sentence: sentence(lang, &item.reason, &who),
        excerpt: post.as_ref().map(|p| excerpt(p, 500)).unwrap_or_default(),
        link,
    })
}

/// The closing paragraphs of every notification mail: where to choose
/// what one is sent, and how to stop this kind.
fn footer(lang: Lang, settings: &str, unsubscribe: &str) -> [String; 2] {
    [lang.fill("mailn_settings", &[settings]), lang.fill("mailn_unsubscribe", &[unsubscribe])]
}

/// The address of a person's settings page and of the one-click link
/// turning the e-mail of `kind` off.
fn links(conn: &mut DbConnection, config: &Config, user: i64, kind: &str) -> Result<(String, String), Error> {
    let base = config.local_urls().base().to_owned();
    let signature = crate::notification_settings::unsubscribe_signature(conn, user, kind)?;
    Ok((format!("{base}/me/notifications/settings"), format!("{base}/unsubscribe/{user}/{kind}/{signature}")))
}

fn send_one(conn: &mut DbConnection, config: &Config, item: &PendingMailRow) -> Result<bool, Error> {
    let Some(user) = users::find_by_id(conn, Id::from_i64(item.user_id))? else { return Ok(false) };
    if user.email.trim().is_empty() {
        return Ok(false);
    }
    let territory = crate::territory_settings::territory(conn, config)?;
    let lang = mail::language_of(&user.locale, &territory);
    let told = describe(conn, config, lang, item)?;
    let kind = notify::kind_of(&item.reason).name;
    let (settings, unsubscribe) = links(conn, config, item.user_id, kind)?;
    let mut paragraphs = vec![told.sentence.clone()];
    if !told.excerpt.is_empty() {
        paragraphs.push(format!("« {} »", told.excerpt));
    }
    let content = MailContent::compose_with_footer(
        lang,
        &territory.name,
        told.sentence,
        &paragraphs,
        Some((lang.t("mailn_open"), &told.link)),
        &footer(lang, &settings, &unsubscribe),
    );
    let key = format!("notification:{}", item.id);
    mail::queue(
        conn,
        config,
        Some(Id::from_i64(item.user_id)),
        &user.email,
        &key,
        &content,
        Some(&unsubscribe),
    )
}

fn send_digest(
    conn: &mut DbConnection,
    config: &Config,
    user_id: i64,
    period: EmailWhen,
    items: &[PendingMailRow],
    now: Timestamp,
) -> Result<bool, Error> {
    let Some(user) = users::find_by_id(conn, Id::from_i64(user_id))? else { return Ok(false) };
    if user.email.trim().is_empty() {
        return Ok(false);
    }
    let territory = crate::territory_settings::territory(conn, config)?;
    let lang = mail::language_of(&user.locale, &territory);
    let mut lines = Vec::new();
    for item in items.iter().rev().take(DIGEST_MAX) {
        let told = describe(conn, config, lang, item)?;
        lines.push(format!("• {} — {}", told.sentence, told.link));
    }
    if items.len() > DIGEST_MAX {
        lines.push(lang.fill("notice_digest_more", &[&(items.len() - DIGEST_MAX).to_string()]));
    }
    let subject_key =
        if period == EmailWhen::Weekly { "mailn_weekly_subject" } else { "mailn_daily_subject" };
    let subject = lang.fill(subject_key, &[&territory.name, &items.len().to_string()]);
    let mut paragraphs = vec![lang.fill("mailn_digest_intro", &[&items.len().to_string()])];
    paragraphs.extend(lines);
    let base = config.local_urls().base().to_owned();
    let all = format!("{base}/me/notifications");
    // A digest gathers several kinds: its link turns off the digest's
    // first kind, and the settings page the others.
    let kind = notify::kind_of(&items[0].reason).name;
    let (settings, unsubscribe) = links(conn, config, user_id, kind)?;
    let content = MailContent::compose_with_footer(
        lang,
        &territory.name,
        subject,
        &paragraphs,
        Some((lang.t("mailn_see_all"), &all)),
        &footer(lang, &settings, &unsubscribe),
    );
    let key = format!("digest:{}:{user_id}:{}", period.as_str(), now.as_micros());
    mail::queue(conn, config, Some(Id::from_i64(user_id)), &user.email, &key, &content, Some(&unsubscribe))
}
