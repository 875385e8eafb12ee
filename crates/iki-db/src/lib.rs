//! Import IKI documents into a database and read their history across archives.
//!
//! One normalised schema (`migrations/`, documented in the README) on two backends: an
//! embedded SQLite file for one person with no server, and PostgreSQL for a shared archive.
//!
//! ```text
//! iki extract … --db URL ──▶ DbWriter (iki_batch::DocumentSink; a thread of its own behind a queue)
//!                              ├─ rows: IkiDocument → rows of the schema's tables
//!                              ├─ sqlite: prepared INSERTs, documents grouped per transaction
//!                              └─ postgres: arrays + binary COPY, documents batched per transaction
//! iki history --db URL ──────▶ history: a person's forms by NIP, a position's forms by year
//!                              and the indicator changes between years (matching: fuzzy keys)
//! ```
//!
//! Imports are idempotent: a document is identified by the sha256 of its bytes
//! ([`rows::content_key`]), so the same bytes from any path add only a `document_sources` row.
//! Each document is written inside one transaction, so an interrupted import leaves every
//! document whole or absent, and running it again completes it.

pub mod error;
pub mod history;
mod matching;
pub mod migrate;
mod postgres;
pub mod rows;
mod sqlite;
#[doc(hidden)]
pub mod testing;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex, PoisonError};
use std::thread::JoinHandle;

use iki_batch::{DocumentSink, SinkError};
use iki_model::IkiDocument;

pub use error::DbError;
pub use migrate::{Dialect, SCHEMA_VERSION};
pub use rows::Value;

/// Where a database is, as given to `--db`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// `sqlite:FILE`, or a path ending in `.sqlite`, `.sqlite3` or `.db`.
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`, passed to the client as is.
    Postgres(String),
}

impl DbUrl {
    pub fn parse(arg: &str) -> Result<Self, DbError> {
        if let Some(path) = arg.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(DbError::BadUrl(arg.to_string()));
            }
            return Ok(DbUrl::Sqlite(PathBuf::from(path)));
        }
        if arg.starts_with("postgres://") || arg.starts_with("postgresql://") {
            return Ok(DbUrl::Postgres(arg.to_string()));
        }
        let extension = Path::new(arg)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("sqlite" | "sqlite3" | "db") => Ok(DbUrl::Sqlite(PathBuf::from(arg))),
            _ => Err(DbError::BadUrl(arg.to_string())),
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            DbUrl::Sqlite(_) => Dialect::Sqlite,
            DbUrl::Postgres(_) => Dialect::Postgres,
        }
    }
}

/// The URL for messages: a PostgreSQL password is masked.
impl fmt::Display for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbUrl::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            DbUrl::Postgres(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                match rest.split_once('@') {
                    Some((user, host)) if user.contains(':') => {
                        let name = user.split(':').next().unwrap_or("");
                        write!(f, "{scheme}://{name}:***@{host}")
                    }
                    _ => f.write_str(url),
                }
            }
        }
    }
}

enum Connection {
    Sqlite(rusqlite::Connection),
    Postgres(Box<::postgres::Client>),
}

/// An open database whose schema is at the version this build knows.
pub struct Database {
    url: DbUrl,
    conn: Connection,
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Database({})", self.url)
    }
}

impl Database {
    /// Open the database to import into: a SQLite file is created if missing; the schema is
    /// created or upgraded to [`SCHEMA_VERSION`].
    pub fn open(url: &DbUrl) -> Result<Self, DbError> {
        Self::open_at(url, true, SCHEMA_VERSION)
    }

    /// Open a database that must exist (to read history); an older schema is upgraded.
    pub fn open_existing(url: &DbUrl) -> Result<Self, DbError> {
        Self::open_at(url, false, SCHEMA_VERSION)
    }

    /// Open (creating it if needed) with the schema at `version`: for tests of upgrades.
    #[doc(hidden)]
    pub fn open_at_version(url: &DbUrl, version: i64) -> Result<Self, DbError> {
        Self::open_at(url, true, version)
    }

    fn open_at(url: &DbUrl, create: bool, version: i64) -> Result<Self, DbError> {
        let conn = match url {
            DbUrl::Sqlite(path) => Connection::Sqlite(sqlite::open(path, create, version)?),
            DbUrl::Postgres(url) => Connection::Postgres(Box::new(postgres::open(url, version)?)),
        };
        Ok(Database {
            url: url.clone(),
            conn,
        })
    }

    pub fn url(&self) -> &DbUrl {
        &self.url
    }

    /// The highest migration applied.
    pub fn schema_version(&mut self) -> Result<i64, DbError> {
        let rows = self.query(
            "SELECT COALESCE(MAX(version), 0) FROM iki_schema_migrations",
            &[],
        )?;
        match rows.first().and_then(|r| r.first()) {
            Some(Value::Int(v)) => Ok(*v),
            other => Err(DbError::Corrupt {
                column: "iki_schema_migrations.version".to_string(),
                found: format!("{other:?}"),
            }),
        }
    }

    /// Run `sql` (portable SQL, parameters written `$1`, `$2` …) and read every row.
    pub fn query(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> Result<Vec<Vec<Value<'static>>>, DbError> {
        match &mut self.conn {
            Connection::Sqlite(conn) => sqlite::query(conn, sql, params),
            Connection::Postgres(client) => postgres::query(client, sql, params),
        }
    }

    /// Run statements without results (tests and maintenance).
    #[doc(hidden)]
    pub fn execute_batch(&mut self, sql: &str) -> Result<(), DbError> {
        match &mut self.conn {
            Connection::Sqlite(conn) => conn.execute_batch(sql)?,
            Connection::Postgres(client) => client.batch_execute(sql)?,
        }
        Ok(())
    }

    /// Start an import run (an `imports` row) and return its writer.
    pub fn writer(self) -> Result<DbWriter, DbError> {
        let store: Box<dyn Store> = match self.conn {
            Connection::Sqlite(conn) => Box::new(sqlite::SqliteStore::new(conn)?),
            Connection::Postgres(client) => Box::new(postgres::PostgresStore::new(*client)?),
        };
        let (sender, receiver) = mpsc::sync_channel(QUEUE_DOCUMENTS);
        let thread = std::thread::Builder::new()
            .name("iki-db".to_string())
            .spawn(move || store_documents(store, &receiver))
            .map_err(DbError::Thread)?;
        Ok(DbWriter {
            url: self.url,
            state: Mutex::new(WriterState {
                sender: Some(sender),
                thread: Some(thread),
                outcome: None,
            }),
        })
    }
}

/// What a backend does with documents.
trait Store: Send {
    /// Take the next document; it is durable once a later call (or `finish`) commits it.
    fn write(&mut self, doc: IkiDocument) -> Result<(), DbError>;
    /// Commit everything taken.
    fn finish(&mut self) -> Result<(), DbError>;
}

/// Documents waiting for the database thread: enough that the parser threads never wait for
/// a commit (or a WAL checkpoint), few enough to bound memory.
const QUEUE_DOCUMENTS: usize = 256;

enum Message {
    Document(Box<IkiDocument>),
    /// Commit everything and stop.
    Finish,
}

/// The database thread: write each document until told to finish. Without [`Message::Finish`]
/// (the run stopped early) the store is dropped unfinished, its open transaction rolled back,
/// as if the process had been killed.
fn store_documents(
    mut store: Box<dyn Store>,
    receiver: &mpsc::Receiver<Message>,
) -> Result<(), DbError> {
    while let Ok(message) = receiver.recv() {
        match message {
            Message::Document(doc) => store.write(*doc)?,
            Message::Finish => return store.finish(),
        }
    }
    Ok(())
}

struct WriterState {
    sender: Option<mpsc::SyncSender<Message>>,
    thread: Option<JoinHandle<Result<(), DbError>>>,
    /// The database thread's error, kept once it has been reported.
    outcome: Option<String>,
}

impl WriterState {
    /// Wait for the database thread to end and return its result.
    fn join(&mut self) -> Result<(), DbError> {
        self.sender = None;
        if let Some(thread) = self.thread.take() {
            let result = thread.join().unwrap_or(Err(DbError::Stopped(
                "the database thread panicked".to_string(),
            )));
            if let Err(err) = &result {
                self.outcome = Some(err.to_string());
            }
            return result;
        }
        match &self.outcome {
            Some(message) => Err(DbError::Stopped(message.clone())),
            None => Ok(()),
        }
    }
}

/// Writes the documents of one import run on a thread of its own, behind a bounded queue, so
/// that parsing goes on while the database writes; plugs into the batch driver as its
/// [`DocumentSink`]. A write error is returned by the next `write` or by `finish`.
pub struct DbWriter {
    url: DbUrl,
    state: Mutex<WriterState>,
}

impl fmt::Debug for DbWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DbWriter({})", self.url)
    }
}

impl DbWriter {
    pub fn write(&self, doc: IkiDocument) -> Result<(), DbError> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let sent = match &state.sender {
            Some(sender) => sender.send(Message::Document(Box::new(doc))).is_ok(),
            None => false,
        };
        if sent {
            return Ok(());
        }
        // The thread stopped (an error) or the writer was finished.
        state.join()?;
        Err(DbError::Stopped(
            "the import was already finished".to_string(),
        ))
    }

    /// Commit every document written and wait for the database thread.
    pub fn finish(&self) -> Result<(), DbError> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = &state.sender {
            // A failed send means the thread already stopped; join reports why.
            let _ = sender.send(Message::Finish);
        }
        state.join()
    }
}

impl DocumentSink for DbWriter {
    fn write(&self, doc: IkiDocument) -> Result<(), SinkError> {
        DbWriter::write(self, doc).map_err(Into::into)
    }

    fn finish(&self) -> Result<(), SinkError> {
        DbWriter::finish(self).map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_backend() {
        assert_eq!(
            DbUrl::parse("sqlite:archive.db").unwrap(),
            DbUrl::Sqlite("archive.db".into())
        );
        assert_eq!(
            DbUrl::parse("sqlite:///tmp/x").unwrap(),
            DbUrl::Sqlite("/tmp/x".into())
        );
        assert_eq!(
            DbUrl::parse("out/iki.SQLITE3").unwrap(),
            DbUrl::Sqlite("out/iki.SQLITE3".into())
        );
        assert_eq!(
            DbUrl::parse("postgresql://u@h/db").unwrap().dialect(),
            Dialect::Postgres
        );
        assert!(DbUrl::parse("archive.json").is_err());
        assert!(DbUrl::parse("mysql://h/db").is_err());
        assert!(DbUrl::parse("sqlite:").is_err());
    }

    #[test]
    fn passwords_are_not_shown() {
        let url = DbUrl::parse("postgres://iki:secret@localhost:5432/iki").unwrap();
        assert_eq!(url.to_string(), "postgres://iki:***@localhost:5432/iki");
        let url = DbUrl::parse("postgres://iki@localhost/iki").unwrap();
        assert_eq!(url.to_string(), "postgres://iki@localhost/iki");
    }
}
