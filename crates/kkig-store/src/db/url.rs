//! Database URLs: the default file, SQLite paths and PostgreSQL URLs.

use crate::db::error::StoreError;

/// The database used when none is configured: the file `kkig.db` in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://kkig.db";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// Turn what a user typed into a URL sqlx understands, and say which backend it is.
///
/// `sqlite://FILE` and plain paths open (and create) a SQLite file; `postgres://` and
/// `postgresql://` go to PostgreSQL. Anything else is an error naming the value.
pub fn normalize_database_url(input: &str) -> Result<(Backend, String), StoreError> {
    let s = input.trim();
    if s.starts_with("postgres://") || s.starts_with("postgresql://") {
        return Ok((Backend::Postgres, s.to_string()));
    }
    if s.is_empty() {
        return Err(StoreError::UnsupportedUrl(input.to_string()));
    }
    let sqlite = if let Some(rest) = s.strip_prefix("sqlite:") {
        if rest.is_empty() || rest == "//" {
            return Err(StoreError::UnsupportedUrl(input.to_string()));
        }
        s.to_string()
    } else if s.contains("://") {
        return Err(StoreError::UnsupportedUrl(input.to_string()));
    } else {
        format!("sqlite://{s}")
    };
    if sqlite.contains(":memory:") || sqlite.contains("mode=") {
        return Ok((Backend::Sqlite, sqlite));
    }
    let sep = if sqlite.contains('?') { '&' } else { '?' };
    Ok((Backend::Sqlite, format!("{sqlite}{sep}mode=rwc")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let ok = [
            ("sqlite://kkig.db", Backend::Sqlite, "sqlite://kkig.db?mode=rwc"),
            ("sqlite:///tmp/a.db", Backend::Sqlite, "sqlite:///tmp/a.db?mode=rwc"),
            ("data/kkig.db", Backend::Sqlite, "sqlite://data/kkig.db?mode=rwc"),
            ("sqlite://a.db?mode=ro", Backend::Sqlite, "sqlite://a.db?mode=ro"),
            ("sqlite::memory:", Backend::Sqlite, "sqlite::memory:"),
            (
                "postgres://postgres@127.0.0.1/test",
                Backend::Postgres,
                "postgres://postgres@127.0.0.1/test",
            ),
            ("postgresql://u@h/db", Backend::Postgres, "postgresql://u@h/db"),
        ];
        for (input, backend, url) in ok {
            assert_eq!(
                normalize_database_url(input).unwrap(),
                (backend, url.to_string()),
                "{input}"
            );
        }
        for bad in ["mysql://root@localhost/test", "", "sqlite:", "http://x"] {
            let e = normalize_database_url(bad).unwrap_err().to_string();
            assert!(e.starts_with("unsupported database URL"), "{bad}: {e}");
        }
    }
}
