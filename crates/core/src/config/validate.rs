//! Checks on values that have the right type but may be impossible.

use super::Config;
use crate::account::{Email, Username};
use crate::database_url::DatabaseUrl;

const LOG_LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error"];

/// Returns `(key, message)` for every impossible value.
pub(super) fn validate(c: &Config) -> Vec<(&'static str, String)> {
    let mut issues = Vec::new();
    let mut check = |key: &'static str, result: Result<(), String>| {
        if let Err(message) = result {
            issues.push((key, message));
        }
    };

    check("instance.domain", validate_domain(&c.instance.domain));
    if !c.instance.contact_email.is_empty() {
        check(
            "instance.contact_email",
            Email::parse(&c.instance.contact_email).map(drop).map_err(|e| e.message().to_owned()),
        );
    }
    check(
        "http.bind",
        c.http.bind_addr().map(drop).ok_or_else(|| {
            format!("expected an address and port such as 127.0.0.1:8080, found \"{}\"", c.http.bind)
        }),
    );
    check("http.max_body_bytes", in_range(c.http.max_body_bytes, 1024, 64 * 1024 * 1024));
    check("http.workers", in_range(c.http.workers, 0, 256));
    check("http.shutdown_timeout_secs", in_range(c.http.shutdown_timeout_secs, 0, 3600));
    check("database.url", DatabaseUrl::parse(&c.database.url).map(drop).map_err(|e| e.to_string()));
    check("database.max_connections", in_range(c.database.max_connections, 1, 256));
    check("database.connect_timeout_secs", in_range(c.database.connect_timeout_secs, 1, 300));
    check(
        "log.level",
        if LOG_LEVELS.contains(&c.log.level.as_str()) {
            Ok(())
        } else {
            Err(format!("expected one of {}, found \"{}\"", LOG_LEVELS.join(", "), c.log.level))
        },
    );

    for (key, message) in validate_territory(&c.territory) {
        check(key, Err(message));
    }

    let f = &c.federation;
    check("federation.delivery_concurrency", in_range(f.delivery_concurrency, 1, 1024));
    check("federation.delivery_per_host", in_range(f.delivery_per_host, 1, 256));
    check("federation.retry_base_secs", in_range(f.retry_base_secs, 1, 86_400));
    check("federation.retry_max_delay_secs", in_range(f.retry_max_delay_secs, 1, 7 * 86_400));
    check("federation.retry_max_attempts", in_range(f.retry_max_attempts, 1, 100));
    check("federation.dead_after_hours", in_range(f.dead_after_hours, 1, 24 * 365));
    check("federation.delivery_retention_hours", in_range(f.delivery_retention_hours, 1, 24 * 365));
    check("federation.policy_refresh_millis", in_range(f.policy_refresh_millis, 50, 60_000));
    check("matching.poll_millis", in_range(c.matching.poll_millis, 50, 60_000));
    check("matching.digest_interval_secs", in_range(c.matching.digest_interval_secs, 1, 30 * 86_400));
    check("ledger.lower_limit_hours", in_range(c.ledger.lower_limit_hours, -10_000, 0));
    check("ledger.upper_limit_hours", in_range(c.ledger.upper_limit_hours, 0, 10_000));
    check("ledger.link_limit_hours", in_range(c.ledger.link_limit_hours, 0, 1_000_000));
    let tiles = &c.web.tile_url;
    let tiles_ok = tiles.is_empty()
        || (tiles.starts_with("https://") && ["{z}", "{x}", "{y}"].iter().all(|p| tiles.contains(p)));
    check(
        "web.tile_url",
        if tiles_ok {
            Ok(())
        } else {
            Err(format!("expected https://…/{{z}}/{{x}}/{{y}}.png or nothing, found {tiles}"))
        },
    );
    for (max_key, window_key, limit) in c.rate_limits.named() {
        check(max_key, in_range(limit.max, 1, 1_000_000));
        check(window_key, in_range(limit.window_secs, 1, 7 * 86_400));
    }
    for (key, message) in c.mail.problems() {
        check(key, Err(message));
    }
    for (key, message) in c.media.problems() {
        check(key, Err(message));
    }
    if c.registration.confirm_email && !c.mail.enabled() {
        check("registration.confirm_email", Err("needs mail.smtp_url: no confirmation could be sent".into()));
    }
    let km = c.matching.max_between_territories_km;
    let km_ok = km.is_finite() && (0.0..=20_000.0).contains(&km);
    check(
        "matching.max_between_territories_km",
        if km_ok { Ok(()) } else { Err(format!("must be between 0 and 20000 (km), found {km}")) },
    );
    issues
}

fn in_range<T: PartialOrd + std::fmt::Display>(value: T, min: T, max: T) -> Result<(), String> {
    if value >= min && value <= max {
        Ok(())
    } else {
        Err(format!("expected an integer from {min} to {max}, found {value}"))
    }
}

/// Returns `(key, message)` for every impossible territory value; the
/// configuration and the admin page check with the same rules.
pub(super) fn validate_territory(t: &super::TerritoryConfig) -> Vec<(&'static str, String)> {
    let mut issues = Vec::new();
    let mut check = |key: &'static str, result: Result<(), String>| {
        if let Err(message) = result {
            issues.push((key, message));
        }
    };
    check("territory.name", text_length(&t.name, 1, 100));
    check("territory.description", text_length(&t.description, 0, 5000));
    check(
        "territory.handle",
        Username::parse(&t.handle).map(drop).map_err(|e| e.message().replace("username", "handle")),
    );
    check("territory.latitude", float_in_range(t.latitude, -90.0, 90.0));
    check("territory.longitude", float_in_range(t.longitude, -180.0, 180.0));
    check(
        "territory.radius_km",
        if t.radius_km.is_finite() && t.radius_km > 0.0 && t.radius_km <= 2000.0 {
            Ok(())
        } else {
            Err(format!("expected a number above 0 and at most 2000, found {}", t.radius_km))
        },
    );
    check("territory.languages", validate_languages(&t.languages));
    check(
        "territory.timezone",
        match crate::zone::Zone::parse(&t.timezone) {
            Some(_) => Ok(()),
            None => Err(format!("expected an IANA time zone such as Europe/Paris, found \"{}\"", t.timezone)),
        },
    );
    check(
        "territory.currency",
        if t.currency.len() == 3 && t.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(())
        } else {
            Err(format!("expected an ISO 4217 code such as EUR, found \"{}\"", t.currency))
        },
    );
    issues
}

fn float_in_range(value: f64, min: f64, max: f64) -> Result<(), String> {
    if value.is_finite() && value >= min && value <= max {
        Ok(())
    } else {
        Err(format!("expected a number between {min} and {max}, found {value}"))
    }
}

fn text_length(value: &str, min: usize, max: usize) -> Result<(), String> {
    let n = value.trim().chars().count();
    if n >= min && value.chars().count() <= max {
        Ok(())
    } else if min > 0 && n == 0 {
        Err("must not be empty".into())
    } else {
        Err(format!("expected at most {max} characters, found {n}"))
    }
}

/// A host name or address with an optional port, nothing else: it becomes
/// part of every id this node mints.
fn validate_domain(domain: &str) -> Result<(), String> {
    let bad = |why: &str| {
        Err(format!(
            "{why}, found \"{domain}\" (expected a host such as maillage.example.org or localhost:8080)"
        ))
    };
    if domain.is_empty() {
        return bad("must not be empty");
    }
    if domain.contains("://") || domain.contains('/') || domain.contains('@') || domain.contains('?') {
        return bad("must be a host name without scheme, path or user");
    }
    match url::Url::parse(&format!("https://{domain}")) {
        Ok(url) if url.host_str().is_some() => {
            let host = url.host_str().unwrap_or_default();
            if host.is_empty() || host.ends_with('.') {
                return bad("not a valid host name");
            }
            Ok(())
        }
        _ => bad("not a valid host name"),
    }
}

fn validate_languages(languages: &[String]) -> Result<(), String> {
    if languages.is_empty() {
        return Err("expected at least one language code such as \"fr\"".into());
    }
    for code in languages {
        let ok = (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase());
        if !ok {
            return Err(format!(
                "expected ISO 639 language codes such as \"fr\" or \"oc\", found \"{code}\""
            ));
        }
    }
    Ok(())
}
