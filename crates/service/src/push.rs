//! Web Push as Mastodon apps use it: one subscription per access token
//! (`/api/v1/push/subscription`), the alerts and policy it chose, and the
//! notifications to push, filed when the person's settings allow it and
//! taken by the binary's pusher (`maillage-push`), which encrypts
//! (RFC 8291) and signs (VAPID, RFC 8292). The VAPID key pair is made once
//! by the pusher and kept in `node_secrets`.

use maillage_core::id::Id;
use maillage_core::push::{self as rules, ALERTS};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::push::{self as db, PendingPushRow, SubscriptionRow};
use maillage_db::{actors, follows, notifications, posts, transaction, users, DbConnection};
use serde_json::{json, Map, Value};

use crate::tokens::Authenticated;

/// The name of the VAPID key pair in `node_secrets`: `PRIVATE.PUBLIC`,
/// the PKCS#8 document and the uncompressed public point, base64url.
pub const VAPID_SECRET: &str = "vapid";

/// The VAPID public key apps subscribe with, once the pusher made it.
pub fn vapid_public_key(conn: &mut DbConnection) -> Result<Option<String>, Error> {
    let stored = maillage_db::notification_settings::find_secret(conn, VAPID_SECRET)?;
    Ok(stored.and_then(|s| s.split_once('.').map(|(_, public)| public.to_owned())))
}

/// What an app asks for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    /// Alerts named, on or off; the others are off.
    pub alerts: Vec<(String, bool)>,
    pub policy: Option<String>,
}

fn alerts_json(asked: &[(String, bool)]) -> Result<String, Error> {
    let mut map = Map::new();
    for alert in ALERTS {
        map.insert((*alert).to_owned(), Value::Bool(false));
    }
    for (name, on) in asked {
        if !ALERTS.contains(&name.as_str()) {
            return Err(Error::unprocessable(format!(
                "Validation failed: data[alerts]: unknown alert \"{name}\""
            )));
        }
        map.insert(name.clone(), Value::Bool(*on));
    }
    serde_json::to_string(&map).map_err(Error::internal)
}

/// Creates (or replaces) the subscription of the caller's token.
pub fn subscribe(
    conn: &mut DbConnection,
    auth: &Authenticated,
    asked: &Request,
    allow_http: bool,
) -> Result<SubscriptionRow, Error> {
    let (p256dh, secret) =
        rules::check_subscription(&asked.endpoint, &asked.p256dh, &asked.auth, allow_http)?;
    let policy = asked.policy.clone().unwrap_or_else(|| "all".into());
    rules::check_policy(&policy)?;
    let alerts = alerts_json(&asked.alerts)?;
    let now = Timestamp::now();
    let row = SubscriptionRow {
        id: Id::generate_at(now).as_i64(),
        token_id: auth.token_id.as_i64(),
        user_id: auth.user.id.as_i64(),
        endpoint: asked.endpoint.clone(),
        p256dh,
        auth: secret,
        alerts,
        policy,
        created_at: now.as_micros(),
        updated_at: now.as_micros(),
    };
    transaction::write(conn, |conn| db::put(conn, &row))?;
    Ok(row)
}

/// The caller's subscription; 404 when their token has none.
pub fn get(conn: &mut DbConnection, auth: &Authenticated) -> Result<SubscriptionRow, Error> {
    db::of_token(conn, auth.token_id.as_i64())?.ok_or_else(|| Error::not_found("Record not found"))
}

/// Changes the alerts (those named) and the policy of the caller's
/// subscription.
pub fn update(
    conn: &mut DbConnection,
    auth: &Authenticated,
    alerts: &[(String, bool)],
    policy: Option<&str>,
) -> Result<SubscriptionRow, Error> {
    let row = get(conn, auth)?;
    let mut current: Vec<(String, bool)> = serde_json::from_str::<Map<String, Value>>(&row.alerts)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.as_bool().unwrap_or(false)))
        .collect();
    for (name, on) in alerts {
        match current.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = *on,
            None => current.push((name.clone(), *on)),
        }
    }
    let alerts = alerts_json(&current)?;
    let policy = policy.unwrap_or(&row.policy).to_owned();
    rules::check_policy(&policy)?;
    let now = Timestamp::now().as_micros();
    transaction::write(conn, |conn| db::update_choices(conn, row.id, &alerts, &policy, now))?;
    get(conn, auth)
}

pub fn remove(conn: &mut DbConnection, auth: &Authenticated) -> Result<(), Error> {
    transaction::write(conn, |conn| db::remove_of_token(conn, auth.token_id.as_i64())).map(drop)
}

/// Files notification `id` of `user` to be pushed, when they have a
/// subscription. On the caller's transaction.
pub(crate) fn queue(conn: &mut DbConnection, user: i64, notification: i64) -> Result<(), Error> {
    if !db::has_any(conn, user)? {
        return Ok(());
    }
    let now = Timestamp::now();
    db::add_pending(
        conn,
        &PendingPushRow {
            id: Id::generate_at(now).as_i64(),
            user_id: user,
            notification_id: notification,
            created_at: now.as_micros(),
        },
    )
}

/// One push to send: where, the keys, and the clear JSON payload.
#[derive(Debug, Clone)]
pub struct PushJob {
    pub subscription_id: i64,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub payload: String,
}

/// Takes up to `limit` filed notifications and returns the pushes they
/// make: one per subscription of the person whose alerts and policy want
/// it. A Mastodon notification type is pushed when its alert is on; our
/// own events (interest, groups, sessions…) when `mention` is.
pub fn take_due(
    conn: &mut DbConnection,
    config: &maillage_core::config::Config,
    limit: i64,
) -> Result<Vec<PushJob>, Error> {
    let mut jobs = Vec::new();
    let territory = crate::territory_settings::territory(conn, config)?;
    for item in db::pending(conn, limit)? {
        if !transaction::write(conn, |conn| db::take(conn, item.id))? {
            continue;
        }
        let Some(n) = notifications::find_any(conn, item.notification_id)? else { continue };
        let Some(user) = users::find_by_id(conn, Id::from_i64(item.user_id))? else { continue };
        let from = match n.from_actor_id {
            Some(a) => actors::find_by_id(conn, Id::from_i64(a))?,
            None => None,
        };
        let lang = crate::mail::language_of(&user.locale, &territory);
        let who = from.as_ref().map(crate::notifications::name_of).unwrap_or_default();
        let title = crate::notifications::sentence(lang, &n.reason, &who);
        let body = match n.post_id.map(|p| posts::find_by_id(conn, Id::from_i64(p))).transpose()?.flatten() {
            Some(post) if post.deleted_at.is_none() => crate::notifications::excerpt(&post, 200),
            _ => title.clone(),
        };
        let payload = json!({
            "access_token": "",
            "preferred_locale": lang.code(),
            "notification_id": n.id.to_string(),
            "notification_type": n.kind,
            "icon": from.as_ref().and_then(|f| f.icon_url.clone()).unwrap_or_default(),
            "title": title,
            "body": body,
        })
        .to_string();
        let alert = if ALERTS.contains(&n.kind.as_str()) { n.kind.as_str() } else { "mention" };
        for sub in db::of_user(conn, item.user_id)? {
            let alerts: Map<String, Value> = serde_json::from_str(&sub.alerts).unwrap_or_default();
            if alerts.get(alert).and_then(Value::as_bool) != Some(true) {
                continue;
            }
            if !policy_allows(conn, &sub.policy, n.recipient_id, n.from_actor_id)? {
                continue;
            }
            jobs.push(PushJob {
                subscription_id: sub.id,
                endpoint: sub.endpoint.clone(),
                p256dh: sub.p256dh.clone(),
                auth: sub.auth.clone(),
                payload: payload.clone(),
            });
        }
    }
    Ok(jobs)
}

fn policy_allows(conn: &mut DbConnection, policy: &str, me: i64, from: Option<i64>) -> Result<bool, Error> {
    let follows = |conn: &mut DbConnection, a: i64, b: i64| -> Result<bool, Error> {
        Ok(follows::find(conn, Id::from_i64(a), Id::from_i64(b))?.is_some_and(|f| f.is_accepted()))
    };
    Ok(match (policy, from) {
        ("all", _) => true,
        ("followed", Some(from)) => follows(conn, me, from)?,
        ("follower", Some(from)) => follows(conn, from, me)?,
        _ => false,
    })
}

/// A push service said the subscription is gone (404 or 410).
pub fn forget(conn: &mut DbConnection, subscription: i64) -> Result<(), Error> {
    transaction::write(conn, |conn| db::remove(conn, subscription)).map(drop)
}

/// The subscription as Mastodon's `WebPushSubscription` entity.
pub fn to_api(row: &SubscriptionRow, server_key: &str) -> Value {
    json!({
        "id": row.id.to_string(),
        "endpoint": row.endpoint,
        "standard": true,
        "alerts": serde_json::from_str::<Value>(&row.alerts).unwrap_or_else(|_| json!({})),
        "policy": row.policy,
        "server_key": server_key,
    })
}
