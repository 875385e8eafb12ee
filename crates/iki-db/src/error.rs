//! The error type of the database layer.

/// Why a database could not be opened, written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The `--db` argument is neither `sqlite:FILE`, a `.sqlite`/`.sqlite3`/`.db` path nor a
    /// `postgres://` / `postgresql://` URL.
    #[error(
        "cannot tell what database {0:?} is: give sqlite:FILE, a path ending in .sqlite, .sqlite3 \
         or .db, or a postgres:// URL"
    )]
    BadUrl(String),
    /// The database was written by a newer iki.
    #[error(
        "the database has schema version {found}, newer than this iki knows ({supported}); \
         upgrade iki to read or write it"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    /// Reading history from a database file that does not exist.
    #[error("no database at {0}")]
    Missing(String),
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {}", postgres_message(.0))]
    Postgres(#[from] postgres::Error),
    /// The database thread could not be started.
    #[error("cannot start the database thread: {0}")]
    Thread(std::io::Error),
    /// The database thread stopped before this document: the error that stopped it.
    #[error("{0}")]
    Stopped(String),
    /// A value read back is not of the type the schema gives it (a database changed by hand).
    #[error("unexpected value in column {column}: {found}")]
    Corrupt { column: String, found: String },
}

/// The server's own message and detail when there is one, else the client's.
fn postgres_message(err: &postgres::Error) -> String {
    match err.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        None => err.to_string(),
    }
}
