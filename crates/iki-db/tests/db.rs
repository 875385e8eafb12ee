//! The database layer against real databases: a SQLite file, and a PostgreSQL server when
//! `IKI_TEST_POSTGRES_URL` names one (required in CI, see `iki_db::testing`).
//!
//! Every scenario runs on both backends through the same public API.

use std::collections::BTreeMap;
use std::path::Path;

use iki_db::history;
use iki_db::rows::ALL_TABLES;
use iki_db::testing::{self, TestPostgres};
use iki_db::{Database, DbError, DbUrl, Value, SCHEMA_VERSION};
use iki_model::{IkiDocument, WarningCode};
use serde_json::Value as Json;

/// A database of each kind for one test; the guards drop the databases at the end.
struct Backends {
    urls: Vec<DbUrl>,
    _dir: tempfile::TempDir,
    _postgres: Option<TestPostgres>,
}

fn backends(test: &str) -> Backends {
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![DbUrl::Sqlite(dir.path().join("iki.sqlite"))];
    let postgres = testing::postgres(test);
    if let Some(pg) = &postgres {
        urls.push(DbUrl::Postgres(pg.url.clone()));
    }
    Backends {
        urls,
        _dir: dir,
        _postgres: postgres,
    }
}

fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn parse(path: &str, bytes: &[u8]) -> IkiDocument {
    iki_parser::extract(path, bytes)
}

fn corpus(name: &str) -> IkiDocument {
    let path = format!("corpus/{name}");
    let bytes = std::fs::read(repo_root().join(&path)).unwrap();
    parse(&path, &bytes)
}

fn all_corpus() -> Vec<IkiDocument> {
    let mut names: Vec<String> = std::fs::read_dir(repo_root().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.iter().map(|n| corpus(n)).collect()
}

fn import(url: &DbUrl, docs: impl IntoIterator<Item = IkiDocument>) {
    let writer = Database::open(url).unwrap().writer().unwrap();
    for doc in docs {
        writer.write(doc).unwrap();
    }
    writer.finish().unwrap();
}

fn count(db: &mut Database, table: &str) -> i64 {
    match &db
        .query(&format!("SELECT COUNT(*) FROM {table}"), &[])
        .unwrap()[0][0]
    {
        Value::Int(n) => *n,
        other => panic!("count of {table}: {other:?}"),
    }
}

/// Rows per table (imports aside).
fn counts(url: &DbUrl) -> BTreeMap<&'static str, i64> {
    let mut db = Database::open_existing(url).unwrap();
    ALL_TABLES
        .iter()
        .filter(|t| t.name != "imports")
        .map(|t| (t.name, count(&mut db, t.name)))
        .collect()
}

fn text(value: &Value<'_>) -> String {
    match value {
        Value::Text(s) => s.to_string(),
        other => panic!("not text: {other:?}"),
    }
}

fn columns(db: &mut Database, url: &DbUrl, table: &str) -> Vec<String> {
    let sql = match url {
        DbUrl::Sqlite(_) => "SELECT name FROM pragma_table_info($1) ORDER BY name",
        DbUrl::Postgres(_) => {
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_name::text = $1 AND table_schema = current_schema() ORDER BY column_name"
        }
    };
    db.query(sql, &[Value::Text(table.to_string().into())])
        .unwrap_or_else(|e| panic!("{url}: columns of {table}: {e}"))
        .iter()
        .map(|r| text(&r[0]))
        .collect()
}

#[test]
fn the_schema_is_created_with_the_columns_the_writers_fill() {
    for url in &backends("schema").urls {
        let mut db = Database::open(url).unwrap();
        assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION, "{url}");
        for table in ALL_TABLES {
            let mut expected: Vec<String> = table.column_names().map(str::to_string).collect();
            if matches!(table.name, "documents" | "imports") {
                expected.push("id".to_string());
            }
            expected.sort();
            assert_eq!(
                columns(&mut db, url, table.name),
                expected,
                "{url}: {}",
                table.name
            );
        }
        // Opening again applies nothing twice.
        drop(db);
        let mut db = Database::open(url).unwrap();
        assert_eq!(count(&mut db, "iki_schema_migrations"), SCHEMA_VERSION);
    }
}

#[test]
fn an_older_database_is_upgraded_and_keeps_its_rows() {
    for url in &backends("upgrade").urls {
        let mut old = Database::open_at_version(url, 1).unwrap();
        assert_eq!(old.schema_version().unwrap(), 1);
        assert!(
            columns(&mut old, url, "imports").is_empty(),
            "{url}: no imports table at version 1"
        );
        // A document imported by a version-1 iki.
        old.execute_batch(
            "INSERT INTO documents (content_key, sha256, bytes, format, schema_version, kind, status, confidence) \
             VALUES ('old', 'old', 3, 'text', '1', 'unknown', 'failed', 0); \
             INSERT INTO document_sources (document_id, path) \
             SELECT id, 'old/path.txt' FROM documents WHERE content_key = 'old';",
        )
        .unwrap();
        drop(old);

        import(url, [corpus("lumajang-kec-lumajang-2023.txt")]);
        let mut db = Database::open_existing(url).unwrap();
        assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(count(&mut db, "documents"), 2);
        let sources = db
            .query(
                "SELECT path, import_id FROM document_sources ORDER BY path",
                &[],
            )
            .unwrap();
        assert_eq!(
            sources[1],
            [Value::Text("old/path.txt".into()), Value::Null],
            "{url}"
        );
        assert!(
            matches!(sources[0][1], Value::Int(_)),
            "{url}: new rows name their import"
        );
        if let DbUrl::Sqlite(_) = url {
            // Version 3 rebuilt the keyed tables without rowids, rows and all.
            for table in ["document_sources", "indicators", "persons", "warnings"] {
                let wr = db
                    .query(
                        "SELECT wr FROM pragma_table_list WHERE name = $1",
                        &[Value::Text(table.into())],
                    )
                    .unwrap();
                assert_eq!(wr, [[Value::Int(1)]], "{url}: {table} WITHOUT ROWID");
            }
        }
    }
}

#[test]
fn a_newer_database_is_refused_with_a_clear_error() {
    for url in &backends("newer").urls {
        let mut db = Database::open(url).unwrap();
        db.execute_batch(
            "INSERT INTO iki_schema_migrations (version, name, applied_at) \
             VALUES (99, 'from_the_future', '2030-01-01T00:00:00Z')",
        )
        .unwrap();
        drop(db);
        let err = Database::open(url).unwrap_err();
        assert!(
            matches!(err, DbError::SchemaTooNew { found: 99, supported } if supported == SCHEMA_VERSION),
            "{url}: {err}"
        );
        assert!(err.to_string().contains("upgrade iki"), "{err}");
    }
}

#[test]
fn the_same_bytes_again_add_only_a_new_path() {
    for url in &backends("idempotent").urls {
        let docs = all_corpus();
        import(url, docs.clone());
        let first = counts(url);
        import(url, docs.clone());
        assert_eq!(counts(url), first, "{url}: a second import adds nothing");

        let mut moved = docs[0].clone();
        moved.source.path = "archive-2024.zip!/dinas/copy.txt".to_string();
        import(url, [moved]);
        let mut expected = first.clone();
        *expected.get_mut("document_sources").unwrap() += 1;
        assert_eq!(counts(url), expected, "{url}: only the new path is added");
        let mut db = Database::open_existing(url).unwrap();
        let rows = db
            .query(
                "SELECT archive, entry FROM document_sources WHERE path = $1",
                &[Value::Text("archive-2024.zip!/dinas/copy.txt".into())],
            )
            .unwrap();
        assert_eq!(
            rows,
            [[
                Value::Text("archive-2024.zip".into()),
                Value::Text("dinas/copy.txt".into())
            ]]
        );
    }
}

#[test]
fn row_counts_equal_the_documents() {
    for url in &backends("counts").urls {
        let mut docs = all_corpus();
        // A failed input is a document too.
        docs.push(parse("empty.txt", b""));
        import(url, docs.clone());
        let records: Vec<_> = docs.iter().flat_map(|d| &d.records).collect();
        let indicators: Vec<_> = records.iter().flat_map(|r| &r.indicators).collect();
        let signatories: Vec<_> = docs.iter().flat_map(|d| &d.signatories).collect();
        let mut nips: Vec<&str> = signatories
            .iter()
            .filter(|s| s.nip_info.is_some())
            .filter_map(|s| s.nip.as_deref())
            .collect();
        nips.sort_unstable();
        nips.dedup();
        let sum = |n: usize| n as i64;
        let expected = BTreeMap::from([
            ("documents", sum(docs.len())),
            ("document_sources", sum(docs.len())),
            ("records", sum(records.len())),
            (
                "list_items",
                sum(records
                    .iter()
                    .map(|r| {
                        r.tugas_pokok.len()
                            + r.fungsi.len()
                            + r.tujuan.len()
                            + r.indikator_tujuan.len()
                    })
                    .sum()),
            ),
            ("indicators", sum(indicators.len())),
            (
                "formula_terms",
                sum(indicators
                    .iter()
                    .map(|i| match &i.formula {
                        Some(iki_model::Formula::Average { terms, .. }) => terms.len(),
                        _ => 0,
                    })
                    .sum()),
            ),
            (
                "indicator_responsibles",
                sum(indicators.iter().map(|i| i.penanggung_jawab.len()).sum()),
            ),
            ("signatories", sum(signatories.len())),
            (
                "signatory_degrees",
                sum(signatories.iter().map(|s| s.degrees.len()).sum()),
            ),
            ("persons", sum(nips.len())),
            (
                "record_signatories",
                sum(records.iter().map(|r| r.signatory_refs.len()).sum()),
            ),
            (
                "warnings",
                sum(docs
                    .iter()
                    .map(|d| {
                        d.warnings.len() + d.records.iter().map(|r| r.warnings.len()).sum::<usize>()
                    })
                    .sum()),
            ),
        ]);
        assert_eq!(counts(url), expected, "{url}");
        let mut db = Database::open_existing(url).unwrap();
        let failed = db
            .query(
                "SELECT status, error_code FROM documents WHERE error_code IS NOT NULL",
                &[],
            )
            .unwrap();
        assert_eq!(
            failed,
            [[
                Value::Text("failed".into()),
                Value::Text("empty_file".into())
            ]]
        );
    }
}

#[test]
fn a_person_is_linked_by_nip_across_two_years() {
    for url in &backends("link_years").urls {
        import(
            url,
            [
                corpus("lumajang-kec-lumajang-2023.txt"),
                corpus("lumajang-kec-lumajang-2024.txt"),
            ],
        );
        let mut db = Database::open_existing(url).unwrap();
        let camat = history::person(&mut db, "19701218 199101 1 002")
            .unwrap()
            .unwrap();
        assert_eq!(camat.names, ["Dedwi Suprpto", "DEDWI SUPRAPTO"], "{url}");
        let in_year = |year| camat.forms.iter().filter(|f| f.year == Some(year)).count();
        assert_eq!((in_year(2023), in_year(2024)), (10, 4), "{url}");
        assert!(history::person(&mut db, "199001012020011001")
            .unwrap()
            .is_none());
    }
}

/// The crafted OCR signature page with its approver's NIP written as `nip_line`.
fn ocr_signatures(nip_line: &str, path: &str) -> IkiDocument {
    let text =
        std::fs::read_to_string(repo_root().join("fixtures/crafted/signatures-ocr.txt")).unwrap();
    assert!(text.contains("1972O818 l99403 1 009"));
    parse(
        path,
        text.replace("1972O818 l99403 1 009", nip_line).as_bytes(),
    )
}

#[test]
fn a_nip_repaired_from_ocr_links_the_same_person_and_a_different_nip_does_not() {
    for url in &backends("repaired").urls {
        let repaired = ocr_signatures("1972O818 l99403 1 009", "scan.txt");
        assert!(
            repaired
                .warnings
                .iter()
                .any(|w| w.code == WarningCode::NipRepaired),
            "precondition: the parser repairs this NIP"
        );
        let clean = ocr_signatures("19720818 199403 1 009", "typed.txt");
        let other = ocr_signatures("19720818 199403 1 008", "other.txt");
        import(url, [repaired, clean, other]);
        let mut db = Database::open_existing(url).unwrap();
        let person = history::person(&mut db, "197208181994031009")
            .unwrap()
            .unwrap();
        let sources: Vec<(&str, bool)> = person
            .forms
            .iter()
            .map(|f| (f.source.as_str(), f.nip_repaired))
            .collect();
        assert_eq!(sources, [("scan.txt", true), ("typed.txt", false)], "{url}");
        assert_eq!(person.birth_date.as_deref(), Some("1972-08-18"));
        let namesake = history::person(&mut db, "197208181994031008")
            .unwrap()
            .unwrap();
        assert_eq!(namesake.names, person.names, "the same name …");
        assert_eq!(
            namesake.forms.len(),
            1,
            "{url}: … but another NIP, so another person"
        );
    }
}

fn sorted_strings(json: &Json) -> Vec<String> {
    let mut list: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    list.sort();
    list
}

/// A position's years as the fixture writes them: forms with jabatan, indicator count and
/// signatories as [role, NIP].
fn years_summary(position: &Json) -> Json {
    let years = position["years"].as_array().unwrap().iter().map(|y| {
        let forms: Vec<Json> = y["forms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let signatories: Vec<Json> = f["signatories"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| serde_json::json!([s["role"], s["person_nip"]]))
                    .collect();
                serde_json::json!({
                    "jabatan": f["jabatan"],
                    "indicators": f["indicators"].as_array().unwrap().len(),
                    "signatories": signatories,
                })
            })
            .collect();
        serde_json::json!({"year": y["year"], "forms": forms})
    });
    Json::Array(years.collect())
}

fn check_changes(url: &DbUrl, jabatan: &str, changes: &Json, want: &Json) {
    for kind in ["added", "removed", "unchanged"] {
        let got = Json::Array(
            changes[kind]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["indikator"].clone())
                .collect(),
        );
        assert_eq!(
            sorted_strings(&got),
            sorted_strings(&want[kind]),
            "{url}: {jabatan} {kind}"
        );
    }
    let got = changes["changed"].as_array().unwrap();
    let mut pairs: Vec<(&Json, &Json)> = got
        .iter()
        .map(|c| (&c["from"]["indikator"], &c["to"]["indikator"]))
        .collect();
    let want = want["changed"].as_array().unwrap();
    let mut want_pairs: Vec<(&Json, &Json)> = want.iter().map(|c| (&c[0], &c[1])).collect();
    let key = |p: &(&Json, &Json)| (p.0.to_string(), p.1.to_string());
    pairs.sort_by_key(key);
    want_pairs.sort_by_key(key);
    assert_eq!(pairs, want_pairs, "{url}: {jabatan} changed");
    for pair in want {
        let Some(fields) = pair.get(2) else { continue };
        let found = got
            .iter()
            .find(|c| c["from"]["indikator"] == pair[0] && c["to"]["indikator"] == pair[1])
            .unwrap();
        assert_eq!(&found["fields"], fields, "{url}: {jabatan}: {}", pair[0]);
    }
}

#[test]
fn history_of_kecamatan_lumajang_matches_the_hand_written_fixture() {
    let fixture: Json = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("fixtures/history/lumajang-kecamatan.json"))
            .unwrap(),
    )
    .unwrap();
    let organization = fixture["organization"].as_str().unwrap();
    for url in &backends("history_fixture").urls {
        import(url, all_corpus());
        let mut db = Database::open_existing(url).unwrap();
        for expected in fixture["positions"].as_array().unwrap() {
            let jabatan = expected["jabatan"].as_str().unwrap();
            let found = history::position(&mut db, jabatan, Some(organization)).unwrap();
            assert_eq!(found.positions.len(), 1, "{url}: {jabatan}");
            let position = serde_json::to_value(&found.positions[0]).unwrap();
            assert_eq!(position["organization"], organization, "{jabatan}");
            assert_eq!(
                years_summary(&position),
                expected["years"],
                "{url}: {jabatan}"
            );
            check_changes(url, jabatan, &position["changes"][0], &expected["changes"]);
        }
        for expected in fixture["persons"].as_array().unwrap() {
            let nip = expected["nip"].as_str().unwrap();
            let person = history::person(&mut db, nip).unwrap().unwrap();
            let person = serde_json::to_value(&person).unwrap();
            for key in ["birth_date", "appointed", "gender", "names"] {
                assert_eq!(person[key], expected[key], "{url}: {nip} {key}");
            }
            let signatures: Vec<Json> = person["forms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| serde_json::json!([f["year"], f["role"], f["jabatan"]]))
                .collect();
            assert_eq!(
                Json::Array(signatures),
                expected["signatures"],
                "{url}: {nip}"
            );
        }
    }
}

#[test]
fn a_write_error_on_the_database_thread_stops_the_import() {
    for url in &backends("write_error").urls {
        let writer = Database::open(url).unwrap().writer().unwrap();
        // Another connection takes a table away under the writer.
        Database::open(url)
            .unwrap()
            .execute_batch("DROP TABLE warnings")
            .unwrap();
        let mut error = None;
        for doc in all_corpus() {
            if let Err(err) = writer.write(doc) {
                error = Some(err);
                break;
            }
        }
        let error = error.or_else(|| writer.finish().err());
        let error = error.unwrap_or_else(|| panic!("{url}: the import went on without warnings"));
        assert!(error.to_string().contains("warnings"), "{url}: {error}");
        // The writer stays stopped.
        assert!(writer.finish().is_err(), "{url}");
        assert!(
            writer
                .write(corpus("lumajang-kec-lumajang-2023.txt"))
                .is_err(),
            "{url}"
        );
    }
}
