//! Which database a URL points at. `postgres://` or `postgresql://` selects
//! PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or a bare path selects SQLite.
//! Errors say what is wrong with the URL, not just that it is invalid.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite { path: PathBuf },
    Postgres { url: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DatabaseUrlError {
    #[error("the database URL is empty")]
    Empty,
    #[error("unsupported database scheme \"{0}\": use sqlite://PATH, a file path, or postgres://USER@HOST:PORT/DATABASE")]
    UnsupportedScheme(String),
    #[error("invalid PostgreSQL URL: {0}")]
    InvalidPostgres(String),
    #[error("the PostgreSQL URL names no database: add /DATABASE after the host")]
    MissingDatabaseName,
    #[error("the SQLite URL names no file: use sqlite://PATH/TO/FILE.db")]
    MissingPath,
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, DatabaseUrlError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DatabaseUrlError::Empty);
        }
        if let Some(rest) = raw.strip_prefix("sqlite://").or_else(|| raw.strip_prefix("sqlite:")) {
            if rest.is_empty() {
                return Err(DatabaseUrlError::MissingPath);
            }
            return Ok(DatabaseUrl::Sqlite { path: PathBuf::from(rest) });
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return parse_postgres(raw);
        }
        if let Some((scheme, _)) = raw.split_once("://") {
            return Err(DatabaseUrlError::UnsupportedScheme(scheme.to_owned()));
        }
        Ok(DatabaseUrl::Sqlite { path: PathBuf::from(raw) })
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseUrl::Sqlite { .. })
    }

    /// The string diesel's connection expects.
    pub fn connection_string(&self) -> String {
        match self {
            DatabaseUrl::Sqlite { path } => path.to_string_lossy().into_owned(),
            DatabaseUrl::Postgres { url } => url.clone(),
        }
    }
}

fn parse_postgres(raw: &str) -> Result<DatabaseUrl, DatabaseUrlError> {
    let url = url::Url::parse(raw).map_err(|e| DatabaseUrlError::InvalidPostgres(e.to_string()))?;
    // A host may be absent when a socket directory is given as `?host=`.
    let has_host_param = url.query_pairs().any(|(k, _)| k == "host");
    if url.host_str().is_none_or(str::is_empty) && !has_host_param {
        return Err(DatabaseUrlError::InvalidPostgres("no host given".into()));
    }
    if url.path().trim_start_matches('/').is_empty() {
        return Err(DatabaseUrlError::MissingDatabaseName);
    }
    Ok(DatabaseUrl::Postgres { url: raw.to_owned() })
}

/// Shows the URL without its password, for logs and error messages.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite { path } => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres { url } => match url::Url::parse(url) {
                Ok(mut parsed) => {
                    if parsed.password().is_some() {
                        let _ = parsed.set_password(Some("***"));
                    }
                    write!(f, "{parsed}")
                }
                Err(_) => f.write_str("postgres://(unparseable)"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_backend_by_scheme() {
        assert_eq!(
            DatabaseUrl::parse("./data/maillage.db"),
            Ok(DatabaseUrl::Sqlite { path: "./data/maillage.db".into() })
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/m.db"),
            Ok(DatabaseUrl::Sqlite { path: "/var/lib/m.db".into() })
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://postgres@127.0.0.1:5432/maillage"),
            Ok(DatabaseUrl::Postgres { .. })
        ));
        assert!(matches!(
            DatabaseUrl::parse("postgresql:///maillage?host=/run/postgresql"),
            Ok(DatabaseUrl::Postgres { .. })
        ));
    }

    #[test]
    fn errors_name_the_real_problem() {
        assert_eq!(
            DatabaseUrl::parse("mysql://root@localhost/db"),
            Err(DatabaseUrlError::UnsupportedScheme("mysql".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://postgres@127.0.0.1:5432"),
            Err(DatabaseUrlError::MissingDatabaseName)
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://postgres@127.0.0.1:notaport/db"),
            Err(DatabaseUrlError::InvalidPostgres(msg)) if msg.contains("port")
        ));
        assert_eq!(DatabaseUrl::parse("sqlite://"), Err(DatabaseUrlError::MissingPath));
        assert_eq!(DatabaseUrl::parse("  "), Err(DatabaseUrlError::Empty));
    }

    #[test]
    fn display_hides_the_password() {
        let url = DatabaseUrl::parse("postgres://me:secret@db.example:5432/m").ok();
        let shown = url.map(|u| u.to_string()).unwrap_or_default();
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("db.example"));
    }
}
