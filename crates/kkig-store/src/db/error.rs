//! What can go wrong with the database, worded for the person who has to fix it.

/// A database failure, worded for the person who has to fix it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: expected sqlite://FILE, a file path, or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    #[error("cannot open database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("cannot migrate database {url}: {source}")]
    Migrate {
        url: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    /// Invalid input, one error per field (forms show each next to its field).
    #[error("{}", join_fields(.0))]
    Fields(Vec<kkig_core::vfu::FieldError>),
    /// Invalid items of an import (0-based index and field); nothing was written.
    #[error("{}", join_items(.0))]
    Items(Vec<(usize, kkig_core::vfu::FieldError)>),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
}

fn join_fields(errors: &[kkig_core::vfu::FieldError]) -> String {
    errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ")
}

fn join_items(errors: &[(usize, kkig_core::vfu::FieldError)]) -> String {
    errors
        .iter()
        .map(|(i, e)| format!("item {}: {e}", i + 1))
        .collect::<Vec<_>>()
        .join("; ")
}
