//! Environment overrides: each variable sets one key, after the file.

use super::{ConfigError, ConfigIssue};

#[derive(Clone, Copy)]
enum ValueKind {
    Text,
    Integer,
    Float,
    Bool,
}

/// `(variable, key, kind)`. Documented in `config/maillage.example.toml`.
const OVERRIDES: &[(&str, &str, ValueKind)] = &[
    ("MAILLAGE_DOMAIN", "instance.domain", ValueKind::Text),
    ("MAILLAGE_CONTACT_EMAIL", "instance.contact_email", ValueKind::Text),
    ("MAILLAGE_BIND", "http.bind", ValueKind::Text),
    ("MAILLAGE_HTTP_WORKERS", "http.workers", ValueKind::Integer),
    ("MAILLAGE_DATABASE_URL", "database.url", ValueKind::Text),
    ("MAILLAGE_DATABASE_MAX_CONNECTIONS", "database.max_connections", ValueKind::Integer),
    ("MAILLAGE_LOG_LEVEL", "log.level", ValueKind::Text),
    ("MAILLAGE_LOG_FORMAT", "log.format", ValueKind::Text),
    ("MAILLAGE_REGISTRATION_MODE", "registration.mode", ValueKind::Text),
    ("MAILLAGE_TERRITORY_NAME", "territory.name", ValueKind::Text),
    ("MAILLAGE_TERRITORY_LATITUDE", "territory.latitude", ValueKind::Float),
    ("MAILLAGE_TERRITORY_LONGITUDE", "territory.longitude", ValueKind::Float),
    ("MAILLAGE_TERRITORY_TIMEZONE", "territory.timezone", ValueKind::Text),
    ("MAILLAGE_TERRITORY_CURRENCY", "territory.currency", ValueKind::Text),
    ("MAILLAGE_FEDERATION_DEBUG", "federation.debug", ValueKind::Bool),
    ("MAILLAGE_FEDERATION_RETRY_BASE_SECS", "federation.retry_base_secs", ValueKind::Integer),
    ("MAILLAGE_SMTP_URL", "mail.smtp_url", ValueKind::Text),
    ("MAILLAGE_MAIL_FROM", "mail.from", ValueKind::Text),
    ("MAILLAGE_MAIL_RETRY_BASE_SECS", "mail.retry_base_secs", ValueKind::Integer),
    ("MAILLAGE_REGISTRATION_CONFIRM_EMAIL", "registration.confirm_email", ValueKind::Bool),
    ("MAILLAGE_MEDIA_PATH", "media.path", ValueKind::Text),
    ("MAILLAGE_MEDIA_MAX_UPLOAD_BYTES", "media.max_upload_bytes", ValueKind::Integer),
    ("MAILLAGE_MEDIA_REMOTE_CACHE_DAYS", "media.remote_cache_days", ValueKind::Integer),
    ("MAILLAGE_MEDIA_STORAGE", "media.storage", ValueKind::Text),
    ("MAILLAGE_S3_ENDPOINT", "media.s3_endpoint", ValueKind::Text),
    ("MAILLAGE_S3_REGION", "media.s3_region", ValueKind::Text),
    ("MAILLAGE_S3_BUCKET", "media.s3_bucket", ValueKind::Text),
    ("MAILLAGE_S3_ACCESS_KEY_ID", "media.s3_access_key_id", ValueKind::Text),
    ("MAILLAGE_S3_SECRET_ACCESS_KEY", "media.s3_secret_access_key", ValueKind::Text),
];

/// The variable names, for documentation and `--help`.
pub const ENV_OVERRIDES: &[&str] = &[
    "MAILLAGE_DOMAIN",
    "MAILLAGE_CONTACT_EMAIL",
    "MAILLAGE_BIND",
    "MAILLAGE_HTTP_WORKERS",
    "MAILLAGE_DATABASE_URL",
    "MAILLAGE_DATABASE_MAX_CONNECTIONS",
    "MAILLAGE_LOG_LEVEL",
    "MAILLAGE_LOG_FORMAT",
    "MAILLAGE_REGISTRATION_MODE",
    "MAILLAGE_TERRITORY_NAME",
    "MAILLAGE_TERRITORY_LATITUDE",
    "MAILLAGE_TERRITORY_LONGITUDE",
    "MAILLAGE_TERRITORY_TIMEZONE",
    "MAILLAGE_TERRITORY_CURRENCY",
    "MAILLAGE_FEDERATION_DEBUG",
    "MAILLAGE_FEDERATION_RETRY_BASE_SECS",
    "MAILLAGE_SMTP_URL",
    "MAILLAGE_MAIL_FROM",
    "MAILLAGE_MAIL_RETRY_BASE_SECS",
    "MAILLAGE_REGISTRATION_CONFIRM_EMAIL",
    "MAILLAGE_MEDIA_PATH",
    "MAILLAGE_MEDIA_MAX_UPLOAD_BYTES",
    "MAILLAGE_MEDIA_REMOTE_CACHE_DAYS",
    "MAILLAGE_MEDIA_STORAGE",
    "MAILLAGE_S3_ENDPOINT",
    "MAILLAGE_S3_REGION",
    "MAILLAGE_S3_BUCKET",
    "MAILLAGE_S3_ACCESS_KEY_ID",
    "MAILLAGE_S3_SECRET_ACCESS_KEY",
];

/// Writes every set variable into `table`; returns `(key, variable)` pairs so
/// that later errors can name the variable a bad value came from.
pub(super) fn overlay(
    table: &mut toml::Table,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(String, String)>, ConfigError> {
    let mut sources = Vec::new();
    let mut issues = Vec::new();
    for (var, key, kind) in OVERRIDES {
        let Some(raw) = env(var) else { continue };
        match convert(&raw, *kind) {
            Ok(value) => {
                insert(table, key, value);
                sources.push(((*key).to_owned(), (*var).to_owned()));
            }
            Err(expected) => issues.push(ConfigIssue {
                key: (*key).to_owned(),
                source: format!("environment variable {var}"),
                message: format!("expected {expected}, found \"{raw}\""),
            }),
        }
    }
    if issues.is_empty() {
        Ok(sources)
    } else {
        Err(ConfigError { issues })
    }
}

fn convert(raw: &str, kind: ValueKind) -> Result<toml::Value, &'static str> {
    let trimmed = raw.trim();
    match kind {
        ValueKind::Text => Ok(toml::Value::String(raw.to_owned())),
        ValueKind::Integer => trimmed.parse().map(toml::Value::Integer).map_err(|_| "an integer"),
        ValueKind::Float => trimmed.parse().map(toml::Value::Float).map_err(|_| "a number"),
        ValueKind::Bool => match trimmed.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(toml::Value::Boolean(true)),
            "0" | "false" | "no" | "off" | "" => Ok(toml::Value::Boolean(false)),
            _ => Err("a boolean (1, 0, true or false)"),
        },
    }
}

fn insert(table: &mut toml::Table, dotted: &str, value: toml::Value) {
    let mut parts: Vec<&str> = dotted.split('.').collect();
    let Some(last) = parts.pop() else { return };
    let mut current = table;
    for part in parts {
        let entry = current.entry(part.to_owned()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            // The file had a scalar where a section belongs; the override
            // replaces it and deserialisation reports nothing wrong with it.
            *entry = toml::Value::Table(toml::Table::new());
        }
        let toml::Value::Table(next) = entry else { return };
        current = next;
    }
    current.insert(last.to_owned(), value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_override_is_listed_for_documentation() {
        let listed: Vec<&str> = OVERRIDES.iter().map(|(v, _, _)| *v).collect();
        assert_eq!(listed, ENV_OVERRIDES);
    }
}
