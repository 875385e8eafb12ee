//! The embedded backend: one SQLite file (rusqlite with the bundled library).
//!
//! The file is in WAL mode with `synchronous = NORMAL`: a committed transaction survives the
//! process being killed, and a crash or power loss leaves the file consistent. Documents are
//! written in groups of up to [`GROUP_DOCUMENTS`] (or [`GROUP_TIME`]) per transaction through
//! cached prepared statements; a document never spans two transactions, so after `kill -9`
//! each one is whole or absent. Another process importing into the same file waits for the
//! write lock (`busy_timeout`).

use std::path::Path;
use std::time::{Duration, Instant};

use iki_model::IkiDocument;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, OptionalExtension, ToSql, TransactionBehavior};

use crate::error::DbError;
use crate::migrate::{self, Dialect, BOOKKEEPING_TABLE};
use crate::rows::{self, ContentRows, Table, Value};
use crate::Store;

/// Documents per transaction.
const GROUP_DOCUMENTS: usize = 500;
/// Longest a transaction stays open, so a killed run loses little.
const GROUP_TIME: Duration = Duration::from_millis(500);
/// Page cache of the connection, KiB: room for a whole group of documents.
const CACHE_KIB: i64 = 32 * 1024;
/// How long to wait for another writer of the same file.
const BUSY_TIMEOUT: Duration = Duration::from_secs(300);

impl ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Bool(b) => ValueRef::Integer(i64::from(*b)),
        }))
    }
}

/// Open (with `create`, create) the database file and bring its schema to `target`.
pub(crate) fn open(path: &Path, create: bool, target: i64) -> Result<Connection, DbError> {
    if !create && !path.exists() {
        return Err(DbError::Missing(path.display().to_string()));
    }
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // A transaction's pages stay in memory until it commits (the default 2 MiB would spill
    // them to the WAL mid-transaction and read them back).
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    migrate_to(&mut conn, target)?;
    Ok(conn)
}

/// Apply the migrations up to `target` under the write lock.
fn migrate_to(conn: &mut Connection, target: i64) -> Result<(), DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(BOOKKEEPING_TABLE)?;
    let current: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM iki_schema_migrations",
        [],
        |r| r.get(0),
    )?;
    for migration in migrate::plan(current, target)? {
        tx.execute_batch(&Dialect::Sqlite.render(migration))?;
        tx.execute(
            "INSERT INTO iki_schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            (migration.version, migration.name, migrate::utc_now()),
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Run a query and read every row (history and tests).
pub(crate) fn query(
    conn: &Connection,
    sql: &str,
    params: &[Value<'_>],
) -> Result<Vec<Vec<Value<'static>>>, DbError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let columns = stmt.column_count();
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(columns);
        for i in 0..columns {
            values.push(match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::Int(n),
                ValueRef::Real(f) => Value::Real(f),
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned().into()),
                ValueRef::Blob(_) => {
                    return Err(DbError::Corrupt {
                        column: i.to_string(),
                        found: "a blob".to_string(),
                    })
                }
            });
        }
        out.push(values);
    }
    Ok(out)
}

fn insert_sql(table: &Table, suffix: &str) -> String {
    let names: Vec<&str> = table.column_names().collect();
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({}){suffix}",
        table.name,
        names.join(", "),
        marks.join(", ")
    )
}

/// Writes documents into one SQLite file; see the module docs.
pub(crate) struct SqliteStore {
    conn: Connection,
    import_id: i64,
    /// Documents in the open transaction; `None` when none is open.
    group: Option<(usize, Instant)>,
    /// `INSERT` statements of the content tables, in `CONTENT_TABLES` order.
    content_sql: Vec<String>,
    document_sql: String,
    source_sql: String,
    person_sql: String,
}

impl SqliteStore {
    pub(crate) fn new(conn: Connection) -> Result<Self, DbError> {
        let import = insert_sql(&rows::IMPORTS, " RETURNING id");
        let import_id = conn.query_row(
            &import,
            (migrate::utc_now(), env!("CARGO_PKG_VERSION")),
            |r| r.get(0),
        )?;
        Ok(SqliteStore {
            conn,
            import_id,
            group: None,
            content_sql: rows::CONTENT_TABLES
                .iter()
                .map(|t| insert_sql(t, ""))
                .collect(),
            document_sql: insert_sql(
                &rows::DOCUMENTS,
                " ON CONFLICT (content_key) DO NOTHING RETURNING id",
            ),
            source_sql: insert_sql(&rows::DOCUMENT_SOURCES, " ON CONFLICT DO NOTHING"),
            person_sql: insert_sql(&rows::PERSONS, " ON CONFLICT (nip) DO NOTHING"),
        })
    }

    fn write_document(&self, doc: &IkiDocument) -> Result<(), DbError> {
        let key = rows::content_key(doc);
        let inserted: Option<i64> = self
            .conn
            .prepare_cached(&self.document_sql)?
            .query_row(
                rusqlite::params_from_iter(rows::document_row(doc, &key)),
                |r| r.get(0),
            )
            .optional()?;
        let id = match inserted {
            Some(id) => id,
            None => self
                .conn
                .prepare_cached("SELECT id FROM documents WHERE content_key = ?1")?
                .query_row([&key], |r| r.get(0))?,
        };
        self.conn
            .prepare_cached(&self.source_sql)?
            .execute(rusqlite::params_from_iter(rows::source_row(
                id,
                &doc.source.path,
                self.import_id,
            )))?;
        if inserted.is_none() {
            return Ok(());
        }
        let mut person = self.conn.prepare_cached(&self.person_sql)?;
        for row in rows::person_rows(doc) {
            person.execute(rusqlite::params_from_iter(row))?;
        }
        let content = ContentRows::new(doc, id);
        for ((table, values), sql) in content.by_table().zip(&self.content_sql) {
            if values.is_empty() {
                continue;
            }
            let mut stmt = self.conn.prepare_cached(sql)?;
            for row in values.chunks(table.columns.len()) {
                stmt.execute(rusqlite::params_from_iter(row))?;
            }
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<(), DbError> {
        if self.group.take().is_some() {
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }
}

impl Store for SqliteStore {
    fn write(&mut self, doc: IkiDocument) -> Result<(), DbError> {
        let (count, started) = match self.group {
            Some(group) => group,
            None => {
                self.conn.execute_batch("BEGIN IMMEDIATE")?;
                (0, Instant::now())
            }
        };
        self.group = Some((count, started));
        if let Err(err) = self.write_document(&doc) {
            self.group = None;
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(err);
        }
        self.group = Some((count + 1, started));
        if count + 1 >= GROUP_DOCUMENTS || started.elapsed() >= GROUP_TIME {
            self.commit()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), DbError> {
        self.commit()
    }
}
