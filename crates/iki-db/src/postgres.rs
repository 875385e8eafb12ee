//! The shared backend: a PostgreSQL server, through the synchronous `postgres` client.
//!
//! Documents are written in batches of up to [`BATCH_DOCUMENTS`] (or [`BATCH_TIME`]) per
//! transaction, each document whole in its batch. A batch costs a fixed number of round trips
//! however many documents it holds: the document, source and person rows go in as arrays
//! (`INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING`, so existing content is
//! recognised, and a concurrent import of the same bytes waits for the other transaction and
//! then sees its row), and the rows below new documents stream through binary `COPY`, one per
//! table. Rows are inserted in key order (documents by content key, persons by NIP) so that two
//! concurrent imports take their locks in the same order; a deadlock or serialisation failure
//! the server reports anyway is retried.

use std::collections::HashMap;
use std::error::Error;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use iki_model::IkiDocument;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::error::SqlState;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Transaction};

use crate::error::DbError;
use crate::migrate::{self, Dialect, BOOKKEEPING_TABLE};
use crate::rows::{self, ContentRows, Kind, Table, Value, CONTENT_TABLES};
use crate::Store;

/// Documents per transaction.
const BATCH_DOCUMENTS: usize = 1000;
/// Longest a batch waits before it is written, so a killed run loses little.
const BATCH_TIME: Duration = Duration::from_secs(1);
/// Attempts at a batch the server aborted for a deadlock or serialisation failure.
const ATTEMPTS: usize = 5;
/// Key of the advisory lock that serialises migrations ("iki" in ASCII).
const MIGRATION_LOCK: i64 = 0x69_6b_69;

impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => i.to_sql(ty, out),
            Value::Real(f) => f.to_sql(ty, out),
            Value::Text(s) => s.as_ref().to_sql(ty, out),
            Value::Bool(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        [Type::INT8, Type::FLOAT8, Type::TEXT, Type::BOOL].contains(ty)
    }

    to_sql_checked!();
}

fn pg_type(kind: Kind) -> Type {
    match kind {
        Kind::Int => Type::INT8,
        Kind::Real => Type::FLOAT8,
        Kind::Text => Type::TEXT,
        Kind::Bool => Type::BOOL,
    }
}

/// Connect and bring the schema to `target`.
pub(crate) fn open(url: &str, target: i64) -> Result<Client, DbError> {
    let mut client = Client::connect(url, NoTls)?;
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(BOOKKEEPING_TABLE)?;
    let current: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::int8 FROM iki_schema_migrations",
            &[],
        )?
        .get(0);
    for migration in migrate::plan(current, target)? {
        tx.batch_execute(&Dialect::Postgres.render(migration))?;
        tx.execute(
            "INSERT INTO iki_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            &[&migration.version, &migration.name, &migrate::utc_now()],
        )?;
    }
    tx.commit()?;
    Ok(client)
}

/// Run a query and read every row (history and tests).
pub(crate) fn query(
    client: &mut Client,
    sql: &str,
    params: &[Value<'_>],
) -> Result<Vec<Vec<Value<'static>>>, DbError> {
    let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
    let rows = client.query(sql, &params)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut values = Vec::with_capacity(row.len());
        for (i, column) in row.columns().iter().enumerate() {
            let ty = column.type_();
            let value = if *ty == Type::INT8 {
                row.get::<_, Option<i64>>(i).map(Value::Int)
            } else if *ty == Type::INT4 {
                row.get::<_, Option<i32>>(i).map(|n| Value::Int(n.into()))
            } else if *ty == Type::FLOAT8 {
                row.get::<_, Option<f64>>(i).map(Value::Real)
            } else if *ty == Type::BOOL {
                row.get::<_, Option<bool>>(i).map(Value::Bool)
            } else if *ty == Type::TEXT || *ty == Type::VARCHAR || *ty == Type::NAME {
                row.get::<_, Option<String>>(i)
                    .map(|s| Value::Text(s.into()))
            } else {
                return Err(DbError::Corrupt {
                    column: column.name().to_string(),
                    found: format!("type {ty}"),
                });
            };
            values.push(value.unwrap_or(Value::Null));
        }
        out.push(values);
    }
    Ok(out)
}

/// `INSERT INTO table (…) SELECT * FROM unnest($1::type[], …)` followed by `suffix`.
fn unnest_insert_sql(table: &Table, suffix: &str) -> String {
    let names: Vec<&str> = table.column_names().collect();
    let arrays: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| format!("${}::{}[]", i + 1, pg_type(*kind).name()))
        .collect();
    format!(
        "INSERT INTO {} ({}) SELECT * FROM unnest({}) {suffix}",
        table.name,
        names.join(", "),
        arrays.join(", ")
    )
}

/// The values of one column of many rows, as the array parameter of an `unnest`.
enum ColumnArray<'a> {
    Int(Vec<Option<i64>>),
    Real(Vec<Option<f64>>),
    Text(Vec<Option<&'a str>>),
    Bool(Vec<Option<bool>>),
}

impl<'a> ColumnArray<'a> {
    /// Column `i` of `rows`, whose type is `kind`.
    fn of(kind: Kind, rows: &'a [Vec<Value<'a>>], i: usize) -> Self {
        let cells = rows.iter().map(move |row| &row[i]);
        match kind {
            Kind::Int => ColumnArray::Int(
                cells
                    .map(|v| match v {
                        Value::Int(n) => Some(*n),
                        _ => None,
                    })
                    .collect(),
            ),
            Kind::Real => ColumnArray::Real(
                cells
                    .map(|v| match v {
                        Value::Real(f) => Some(*f),
                        _ => None,
                    })
                    .collect(),
            ),
            Kind::Text => ColumnArray::Text(
                cells
                    .map(|v| match v {
                        Value::Text(s) => Some(s.as_ref()),
                        _ => None,
                    })
                    .collect(),
            ),
            Kind::Bool => ColumnArray::Bool(
                cells
                    .map(|v| match v {
                        Value::Bool(b) => Some(*b),
                        _ => None,
                    })
                    .collect(),
            ),
        }
    }

    fn param(&self) -> &(dyn ToSql + Sync) {
        match self {
            ColumnArray::Int(v) => v,
            ColumnArray::Real(v) => v,
            ColumnArray::Text(v) => v,
            ColumnArray::Bool(v) => v,
        }
    }
}

/// Insert `rows` into `table` in one statement (`sql` from [`unnest_insert_sql`]).
fn insert_arrays(
    tx: &mut Transaction<'_>,
    table: &Table,
    sql: &str,
    rows: &[Vec<Value<'_>>],
) -> Result<Vec<postgres::Row>, DbError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let arrays: Vec<ColumnArray<'_>> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| ColumnArray::of(*kind, rows, i))
        .collect();
    let params: Vec<&(dyn ToSql + Sync)> = arrays.iter().map(ColumnArray::param).collect();
    Ok(tx.query(sql, &params)?)
}

/// Writes documents into a PostgreSQL database; see the module docs.
pub(crate) struct PostgresStore {
    client: Client,
    import_id: i64,
    /// Documents waiting for the next batch, with their content keys.
    pending: Vec<(String, IkiDocument)>,
    since: Instant,
    document_sql: String,
    source_sql: String,
    person_sql: String,
}

impl PostgresStore {
    pub(crate) fn new(mut client: Client) -> Result<Self, DbError> {
        let import_id = client
            .query_one(
                "INSERT INTO imports (started_at, iki_version) VALUES ($1, $2) RETURNING id",
                &[&migrate::utc_now(), &env!("CARGO_PKG_VERSION")],
            )?
            .get(0);
        Ok(PostgresStore {
            client,
            import_id,
            pending: Vec::new(),
            since: Instant::now(),
            document_sql: unnest_insert_sql(
                &rows::DOCUMENTS,
                "ON CONFLICT (content_key) DO NOTHING RETURNING content_key, id",
            ),
            source_sql: unnest_insert_sql(&rows::DOCUMENT_SOURCES, "ON CONFLICT DO NOTHING"),
            person_sql: unnest_insert_sql(&rows::PERSONS, "ON CONFLICT (nip) DO NOTHING"),
        })
    }

    /// Write the pending documents in one transaction, retrying what the server aborted.
    fn flush(&mut self) -> Result<(), DbError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut batch = std::mem::take(&mut self.pending);
        batch.sort_by(|a, b| a.0.cmp(&b.0));
        let mut attempt = 1;
        loop {
            match self.write_batch(&batch) {
                Ok(()) => break,
                Err(DbError::Postgres(err)) if attempt < ATTEMPTS && retryable(&err) => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(20 * attempt as u64));
                }
                Err(err) => return Err(err),
            }
        }
        self.since = Instant::now();
        Ok(())
    }

    fn write_batch(&mut self, batch: &[(String, IkiDocument)]) -> Result<(), DbError> {
        let import_id = self.import_id;
        let mut tx = self.client.transaction()?;

        let document_rows: Vec<Vec<Value<'_>>> = batch
            .iter()
            .map(|(key, doc)| rows::document_row(doc, key))
            .collect();
        // Content key -> (documents.id, inserted by this batch).
        let mut ids: HashMap<String, (i64, bool)> = HashMap::new();
        for row in insert_arrays(
            &mut tx,
            &rows::DOCUMENTS,
            &self.document_sql,
            &document_rows,
        )? {
            ids.insert(row.get(0), (row.get(1), true));
        }
        let mut known: Vec<&str> = batch
            .iter()
            .map(|(key, _)| key.as_str())
            .filter(|key| !ids.contains_key(*key))
            .collect();
        known.dedup();
        if !known.is_empty() {
            let rows = tx.query(
                "SELECT content_key, id FROM documents WHERE content_key = ANY($1)",
                &[&known],
            )?;
            for row in rows {
                ids.insert(row.get(0), (row.get(1), false));
            }
        }
        let id_of = |key: &str| {
            ids.get(key).copied().ok_or_else(|| DbError::Corrupt {
                column: "documents.content_key".to_string(),
                found: format!("{key} neither inserted nor found"),
            })
        };

        let mut source_rows = Vec::with_capacity(batch.len());
        for (key, doc) in batch {
            source_rows.push(rows::source_row(id_of(key)?.0, &doc.source.path, import_id));
        }
        insert_arrays(
            &mut tx,
            &rows::DOCUMENT_SOURCES,
            &self.source_sql,
            &source_rows,
        )?;

        // The documents this batch adds, each once (the same bytes may occur twice in it).
        let mut new_docs: Vec<(i64, &IkiDocument)> = Vec::new();
        for (key, doc) in batch {
            let (id, inserted) = id_of(key)?;
            if inserted && !new_docs.iter().any(|(seen, _)| *seen == id) {
                new_docs.push((id, doc));
            }
        }
        let mut person_rows: Vec<Vec<Value<'_>>> = new_docs
            .iter()
            .flat_map(|(_, doc)| rows::person_rows(doc))
            .collect();
        person_rows.sort_by(|a, b| nip_of(a).cmp(nip_of(b)));
        person_rows.dedup_by(|a, b| nip_of(a) == nip_of(b));
        insert_arrays(&mut tx, &rows::PERSONS, &self.person_sql, &person_rows)?;

        let contents: Vec<ContentRows<'_>> = new_docs
            .iter()
            .map(|(id, doc)| ContentRows::new(doc, *id))
            .collect();
        for (t, table) in CONTENT_TABLES.iter().enumerate() {
            if contents.iter().all(|c| c.tables[t].is_empty()) {
                continue;
            }
            copy_rows(
                &mut tx,
                table,
                contents.iter().map(|c| c.tables[t].as_slice()),
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn nip_of<'a>(row: &'a [Value<'_>]) -> &'a str {
    match &row[0] {
        Value::Text(s) => s,
        _ => "",
    }
}

/// Stream rows (flat, table after table of each document) into `table` by binary `COPY`.
fn copy_rows<'v, 'a: 'v>(
    tx: &mut Transaction<'_>,
    table: &Table,
    chunks: impl Iterator<Item = &'v [Value<'a>]>,
) -> Result<(), DbError> {
    let names: Vec<&str> = table.column_names().collect();
    let sql = format!(
        "COPY {} ({}) FROM STDIN (FORMAT binary)",
        table.name,
        names.join(", ")
    );
    let types: Vec<Type> = table.columns.iter().map(|(_, k)| pg_type(*k)).collect();
    let sink = tx.copy_in(&sql)?;
    let mut writer = BinaryCopyInWriter::new(sink, &types);
    for values in chunks {
        for row in values.chunks(table.columns.len()) {
            writer.write_raw(row.iter())?;
        }
    }
    writer.finish()?;
    Ok(())
}

fn retryable(err: &postgres::Error) -> bool {
    err.code().is_some_and(|c| {
        *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
    })
}

impl Store for PostgresStore {
    fn write(&mut self, doc: IkiDocument) -> Result<(), DbError> {
        if self.pending.is_empty() {
            self.since = Instant::now();
        }
        self.pending.push((rows::content_key(&doc), doc));
        if self.pending.len() >= BATCH_DOCUMENTS || self.since.elapsed() >= BATCH_TIME {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), DbError> {
        self.flush()
    }
}
