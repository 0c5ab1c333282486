//! What local people are told. Matches, as each chose: at once, in a
//! digest, or not at all; what they read is a direct message from the
//! territory actor that mentions them (so every Mastodon app shows it),
//! with a notification pointing at it; a remote person hears of the same
//! match from their own node. Then follows, mentions, favourites and
//! boosts, as Mastodon notifies them.

use maillage_core::i18n::Lang;
use maillage_core::id::Id;
use maillage_core::listing::ListingKind;
use maillage_core::post::PostVisibility;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::listings::{self, ListingRow};
use maillage_db::matches::{self, MatchRow};
use maillage_db::notifications::{self, NotificationRow};
use maillage_db::posts::{self, PostRow, PostTagRow};
use maillage_db::{transaction, users, DbConnection};

use crate::actors::territory_actor;
use maillage_core::html::escape_html;

pub const PREFERENCES: &[&str] = &["instant", "digest", "none"];
/// A digest lists at most this many matches, best first; the rest are
/// counted.
const DIGEST_MAX: usize = 10;

/// How `user` hears of matches.
pub fn preference(conn: &mut DbConnection, user: Id) -> Result<String, Error> {
    Ok(notifications::match_preference(conn, user.as_i64())?
        .map(|(p, _)| p)
        .unwrap_or_else(|| "instant".into()))
}

pub fn set_preference(conn: &mut DbConnection, user: Id, preference: &str) -> Result<(), Error> {
    if !PREFERENCES.contains(&preference) {
        return Err(Error::unprocessable("Validation failed: notify: must be one of instant, digest, none"));
    }
    transaction::write(conn, |conn| {
        notifications::set_match_preference(conn, user.as_i64(), preference, Timestamp::now().as_micros())
    })
}

/// The local person who wrote `listing`, with their language and choice.
struct Recipient {
    actor: ActorRow,
    locale: String,
    preference: String,
}

fn recipient_of(conn: &mut DbConnection, listing: &ListingRow) -> Result<Option<Recipient>, Error> {
    if !listing.local {
        return Ok(None);
    }
    let Some(actor) = actors::find_by_id(conn, Id::from_i64(listing.author_id))? else { return Ok(None) };
    let Some(user_id) = actor.user_id else { return Ok(None) };
    let Some(user) = users::find_by_id(conn, Id::from_i64(user_id))? else { return Ok(None) };
    let preference = notifications::match_preference(conn, user_id)?.map(|(p, _)| p).unwrap_or_default();
    Ok(Some(Recipient { actor, locale: user.locale, preference }))
}

/// Tells the local sides of a match just released (found with nobody to
/// review it, or approved), those who chose to hear at once. On the
/// caller's transaction.
pub fn tell_released(conn: &mut DbConnection, urls: &LocalUrls, m: &MatchRow) -> Result<(), Error> {
    let (Some(need), Some(offer)) = (
        listings::find_by_id(conn, Id::from_i64(m.need_id))?,
        listings::find_by_id(conn, Id::from_i64(m.offer_id))?,
    ) else {
        return Ok(());
    };
    for (mine, theirs) in [(&need, &offer), (&offer, &need)] {
        let Some(r) = recipient_of(conn, mine)? else { continue };
        if crate::blocks::relation(conn, r.actor.id, theirs.author_id)?.silences() {
            continue;
        }
        if let Some(user) = r.actor.user_id {
            let email = crate::notification_settings::for_reason(conn, user, "match")?.email;
            let from = Some(theirs.author_id);
            crate::notification_settings::queue_mail(conn, user, email, "match", from, None, Some(m.id))?;
        }
        if r.preference != "instant" {
            continue;
        }
        let fr = r.locale.starts_with("fr");
        let line = match_line(conn, m, mine, theirs, fr)?;
        let intro = if fr { Lang::Fr } else { Lang::En }.t("notice_new_match");
        let html = format!("<p>{} {intro} {line}</p>", mention_html(&r.actor));
        let territory = territory_actor(conn)?;
        let post = direct_message(conn, urls, &territory, &r.actor, &html, fr)?;
        notify(conn, &r.actor, &territory, &post, "match", Some(m.id))?;
    }
    Ok(())
}

/// One line about a match, for `mine`'s author: their listing, who wrote
/// it, and the reasons, with a link.
fn match_line(
    conn: &mut DbConnection,
    m: &MatchRow,
    mine: &ListingRow,
    theirs: &ListingRow,
    fr: bool,
) -> Result<String, Error> {
    let author = actors::find_by_id(conn, Id::from_i64(theirs.author_id))?;
    let handle = author.map(|a| format!("@{}@{}", a.username, a.domain)).unwrap_or_default();
    let reasons: serde_json::Value = serde_json::from_str(&m.reasons).unwrap_or_default();
    let lang = if fr { Lang::Fr } else { Lang::En };
    let summary: Vec<String> = reasons
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r[lang.code()].as_str().map(str::to_owned))
        .collect();
    let kind =
        |l: &ListingRow| lang.t(if l.kind == ListingKind::Need { "notice_need" } else { "notice_offer" });
    let link = theirs.url.clone().unwrap_or_else(|| theirs.ap_id.clone());
    let text = lang.fill(
        "notice_match_line",
        &[
            kind(mine),
            &mine.title,
            kind(theirs),
            &theirs.title,
            &handle,
            &summary.join(lang.t("notice_reasons_separator")),
        ],
    );
    Ok(format!(r#"{} <a href="{}">{}</a>"#, escape_html(&text), escape_html(&link), escape_html(&link)))
}

fn mention_html(person: &ActorRow) -> String {
    let href = person.url.clone().unwrap_or_else(|| person.ap_id.clone());
    format!(
        r#"<span class="h-card"><a href="{}" class="u-url mention">@<span>{}</span></a></span>"#,
        escape_html(&href),
        escape_html(&person.username)
    )
}

/// A direct post from `from` to the local person `to`, stored, not
/// federated (both are here).
pub fn direct_message(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    from: &ActorRow,
    to: &ActorRow,
    html: &str,
    fr: bool,
) -> Result<PostRow, Error> {
    let now = Timestamp::now();
    let id = Id::generate_at(now);
    let row = PostRow {
        id: id.as_i64(),
        ap_id: urls.object(id),
        author_id: from.id,
        kind: "Note".into(),
        content_html: html.to_owned(),
        source: None,
        summary: String::new(),
        sensitive: false,
        visibility: PostVisibility::Direct,
        in_reply_to: None,
        url: from.url.as_ref().map(|u| format!("{u}/{id}")),
        language: Some(if fr { "fr" } else { "en" }.into()),
        to_json: serde_json::to_string(&[&to.ap_id]).map_err(Error::internal)?,
        cc_json: "[]".into(),
        local: true,
        published_at: now.as_micros(),
        updated_at: None,
        deleted_at: None,
    };
    let tag = PostTagRow {
        id: Id::generate_at(now).as_i64(),
        post_id: row.id,
        kind: "mention".into(),
        name: format!("@{}@{}", to.username, to.domain),
        href: Some(to.ap_id.clone()),
    };
    posts::insert(conn, &row, &[tag])?;
    Ok(row)
}

/// A mention notification for `to` pointing at `post`.
pub fn notify(
    conn: &mut DbConnection,
    to: &ActorRow,
    from: &ActorRow,
    post: &PostRow,
    reason: &str,
    match_id: Option<i64>,
) -> Result<(), Error> {
    let now = Timestamp::now();
    let id = Id::generate_at(now).as_i64();
    notifications::insert(
        conn,
        &NotificationRow {
            id,
            recipient_id: to.id,
            kind: "mention".into(),
            reason: reason.into(),
            from_actor_id: Some(from.id),
            post_id: Some(post.id),
            match_id,
            created_at: now.as_micros(),
            dismissed_at: None,
        },
    )?;
    match to.user_id {
        Some(user) if crate::notification_settings::for_reason(conn, user, reason)?.push => {
            crate::push::queue(conn, user, id)
        }
        _ => Ok(()),
    }
}

/// Sends the digests that are due: for each person on the digest whose
/// last one is older than `every_micros`, one message gathering the
/// matches released since (none sent when there is nothing new). Safe
/// with several processes: the mark moves only from the value read.
pub fn send_due_digests(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    every_micros: i64,
) -> Result<usize, Error> {
    let now = Timestamp::now().as_micros();
    let mut sent = 0;
    for (user_id, last) in notifications::digests_due(conn, now - every_micros, 100)? {
        let done = transaction::write(conn, |conn| {
            if !notifications::mark_digest_sent(conn, user_id, last, now)? {
                return Ok(false);
            }
            let Some(person) = actors::find_by_user_id(conn, Id::from_i64(user_id))? else {
                return Ok(false);
            };
            let Some(user) = users::find_by_id(conn, Id::from_i64(user_id))? else { return Ok(false) };
            let mut found = matches::released_since(conn, person.id, last.unwrap_or(0), 500)?;
            found.retain(|m| m.released_at.is_some_and(|r| r <= now));
            let silenced = crate::blocks::silenced_by(conn, person.id)?;
            if !silenced.is_empty() {
                let mut kept = Vec::new();
                for m in found {
                    let mut authors = Vec::new();
                    for id in [m.need_id, m.offer_id] {
                        authors.extend(listings::find_by_id(conn, Id::from_i64(id))?.map(|l| l.author_id));
                    }
                    if !authors.iter().any(|a| silenced.contains(a)) {
                        kept.push(m);
                    }
                }
                found = kept;
            }
            if found.is_empty() {
                return Ok(false);
            }
            found.sort_by(|a, b| b.score.total_cmp(&a.score));
            let fr = user.locale.starts_with("fr");
            let mut items = Vec::new();
            for m in found.iter().take(DIGEST_MAX) {
                let (Some(need), Some(offer)) = (
                    listings::find_by_id(conn, Id::from_i64(m.need_id))?,
                    listings::find_by_id(conn, Id::from_i64(m.offer_id))?,
                ) else {
                    continue;
                };
                let (mine, theirs) =
                    if need.author_id == person.id { (&need, &offer) } else { (&offer, &need) };
                items.push(format!("<li>{}</li>", match_line(conn, m, mine, theirs, fr)?));
            }
            let more = found.len().saturating_sub(DIGEST_MAX);
            let lang = if fr { Lang::Fr } else { Lang::En };
            let head = match found.len() {
                1 => lang.t("notice_digest_one").to_owned(),
                n => lang.fill("notice_digest_many", &[&n.to_string()]),
            };
            let tail = match more {
                0 => String::new(),
                n => format!("<p>{}</p>", lang.fill("notice_digest_more", &[&n.to_string()])),
            };
            let html = format!("<p>{} {head}</p><ul>{}</ul>{tail}", mention_html(&person), items.concat());
            let territory = territory_actor(conn)?;
            let post = direct_message(conn, urls, &territory, &person, &html, fr)?;
            notify(conn, &person, &territory, &post, "match_digest", None)?;
            Ok(true)
        })?;
        sent += usize::from(done);
    }
    Ok(sent)
}

/// A local person hears that `follower` follows them (`follow`) or asks
/// to (`follow_request`). Nothing for groups and node actors.
pub fn tell_followed(
    conn: &mut DbConnection,
    follower: &ActorRow,
    target: &ActorRow,
    accepted: bool,
) -> Result<(), Error> {
    tell_person(conn, target, follower, if accepted { "follow" } else { "follow_request" }, None)
}

/// A plain notification for a local person: nothing when `to` is not a
/// local person or is the one acting.
fn tell_person(
    conn: &mut DbConnection,
    to: &ActorRow,
    from: &ActorRow,
    kind: &str,
    post: Option<&PostRow>,
) -> Result<(), Error> {
    tell_as(conn, to, from, kind, kind, post)
}

/// Tells local `to` of an event `from` caused: `reason` names it (see
/// `REASONS`); an event with no status is its own notification type.
pub fn tell_event(
    conn: &mut DbConnection,
    to: &ActorRow,
    from: &ActorRow,
    reason: &str,
    post: Option<&PostRow>,
) -> Result<(), Error> {
    let kind = if post.is_some() { "mention" } else { reason };
    tell_as(conn, to, from, kind, reason, post)
}

/// Every reason a person is told something, as the pages name them.
pub const REASONS: &[&str] = &[
    "mention",
    "message",
    "follow",
    "follow_request",
    "favourite",
    "reblog",
    "match",
    "match_digest",
    "pairing",
    "interest",
    "interest_accepted",
    "interest_declined",
    "exchange_done",
    "group_request",
    "group_accepted",
    "group_refused",
    "session_joined",
    "session_promoted",
    "session_changed",
    "session_cancelled",
    "ledger_confirmation",
    "admin.report",
];

fn tell_as(
    conn: &mut DbConnection,
    to: &ActorRow,
    from: &ActorRow,
    kind: &str,
    reason: &str,
    post: Option<&PostRow>,
) -> Result<(), Error> {
    if !to.local || to.user_id.is_none() || to.id == from.id {
        return Ok(());
    }
    if crate::blocks::relation(conn, to.id, from.id)?.silences() {
        return Ok(());
    }
    let Some(user) = to.user_id else { return Ok(()) };
    let setting = crate::notification_settings::for_reason(conn, user, reason)?;
    let post_id = post.map(|p| p.id);
    crate::notification_settings::queue_mail(
        conn,
        user,
        setting.email,
        reason,
        Some(from.id),
        post_id,
        None,
    )?;
    if !setting.app {
        return Ok(());
    }
    let now = Timestamp::now();
    let id = Id::generate_at(now).as_i64();
    notifications::insert(
        conn,
        &NotificationRow {
            id,
            recipient_id: to.id,
            kind: kind.into(),
            reason: reason.into(),
            from_actor_id: Some(from.id),
            post_id,
            match_id: None,
            created_at: now.as_micros(),
            dismissed_at: None,
        },
    )?;
    if setting.push {
        crate::push::queue(conn, user, id)?;
    }
    Ok(())
}

/// The local people a new post mentions hear of it: a `mention` whose
/// reason is `message` for a direct post, or the step of an exchange the
/// post was written for (`reason`).
pub fn tell_mentioned(
    conn: &mut DbConnection,
    post: &PostRow,
    author: &ActorRow,
    reason: Option<&str>,
) -> Result<(), Error> {
    let reason =
        reason.unwrap_or(if post.visibility == PostVisibility::Direct { "message" } else { "mention" });
    for tag in posts::tags(conn, post.id())?.into_iter().filter(|t| t.kind == "mention") {
        let Some(href) = tag.href.as_deref() else { continue };
        if let Some(person) = actors::find_by_ap_id(conn, href)? {
            tell_as(conn, &person, author, "mention", reason, Some(post))?;
        }
    }
    Ok(())
}

/// The local admins and moderators hear of a new report.
pub fn tell_admins(conn: &mut DbConnection, reporter: &ActorRow) -> Result<(), Error> {
    for user in users::staff(conn)? {
        if let Some(admin) = actors::find_by_user_id(conn, user)? {
            tell_event(conn, &admin, reporter, "admin.report", None)?;
        }
    }
    Ok(())
}

/// A post's local author hears that `actor` favourited (`favourite`) or
/// boosted (`reblog`) it.
pub fn tell_author(
    conn: &mut DbConnection,
    post: &PostRow,
    actor: &ActorRow,
    kind: &str,
) -> Result<(), Error> {
    match actors::find_by_id(conn, Id::from_i64(post.author_id))? {
        Some(author) => tell_person(conn, &author, actor, kind, Some(post)),
        None => Ok(()),
    }
}
