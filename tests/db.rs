//! `iki extract --db` and `iki history` end to end, on SQLite and on the PostgreSQL server of
//! `IKI_TEST_POSTGRES_URL` (required in CI): row counts against the NDJSON of the same run,
//! `kill -9` mid-import then a rerun, concurrent imports of two archives, exit codes.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use iki_batch::testing::tar_gz_bytes;
use iki_db::rows::ALL_TABLES;
use iki_db::testing::{self, TestPostgres};
use iki_db::{Database, DbUrl, Value};
use serde_json::Value as Json;

fn iki() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iki"))
}

fn s(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

fn repo(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// A SQLite URL in `dir`, and a PostgreSQL one when a server is configured.
fn backends(dir: &Path, test: &str) -> (Vec<String>, Option<TestPostgres>) {
    let mut urls = vec![format!("sqlite:{}", dir.join("iki.sqlite").display())];
    let pg = testing::postgres(test);
    if let Some(pg) = &pg {
        urls.push(pg.url.clone());
    }
    (urls, pg)
}

fn open(url: &str) -> Database {
    Database::open_existing(&DbUrl::parse(url).unwrap()).unwrap()
}

/// Every table's rows (imports aside) with document ids replaced by content keys and import
/// ids left out, sorted: what two imports of the same inputs must agree on.
fn contents(url: &str) -> BTreeMap<&'static str, Vec<Vec<Value<'static>>>> {
    let mut db = open(url);
    let keys: HashMap<i64, Value<'static>> = db
        .query("SELECT id, content_key FROM documents", &[])
        .unwrap()
        .into_iter()
        .map(|r| match &r[0] {
            Value::Int(id) => (*id, r[1].clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    let mut out = BTreeMap::new();
    for table in ALL_TABLES.iter().filter(|t| t.name != "imports") {
        let names: Vec<&str> = table.column_names().filter(|c| *c != "import_id").collect();
        let mut rows = db
            .query(
                &format!("SELECT {} FROM {}", names.join(", "), table.name),
                &[],
            )
            .unwrap();
        for row in &mut rows {
            if names[0] == "document_id" {
                if let Value::Int(id) = row[0] {
                    row[0] = keys[&id].clone();
                }
            }
        }
        rows.sort_by_key(|r| format!("{r:?}"));
        out.insert(table.name, rows);
    }
    out
}

fn row_counts(url: &str) -> BTreeMap<&'static str, usize> {
    contents(url)
        .into_iter()
        .map(|(t, r)| (t, r.len()))
        .collect()
}

#[test]
fn extract_into_a_database_writes_what_the_ndjson_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let (urls, _pg) = backends(tmp.path(), "cli_counts");
    for url in &urls {
        let ndjson = tmp.path().join("out.ndjson");
        let out_dir = tmp.path().join("out");
        let status = iki()
            .args([
                "extract",
                &repo("corpus"),
                &repo("corpus/lumajang-bkd-bidang.txt"),
            ])
            .args(["--db", url, "--ndjson", s(&ndjson), "-o", s(&out_dir), "-q"])
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0), "{url}");
        assert!(
            iki_model::outdir::run_file(&out_dir, iki_model::outdir::SUMMARY_FILE).exists(),
            "-o still written"
        );
        let docs: Vec<Json> = fs::read_to_string(&ndjson)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(docs.len(), 6, "the bkd file twice");
        let mut distinct: Vec<&Json> = Vec::new();
        for doc in &docs {
            if !distinct
                .iter()
                .any(|d| d["source"]["sha256"] == doc["source"]["sha256"])
            {
                distinct.push(doc);
            }
        }
        let len = |v: &Json| v.as_array().map_or(0, Vec::len);
        let records = || {
            distinct
                .iter()
                .flat_map(|d| d["records"].as_array().unwrap())
        };
        let signatories = || {
            distinct
                .iter()
                .flat_map(|d| d["signatories"].as_array().unwrap())
        };
        let mut paths: Vec<&str> = docs
            .iter()
            .map(|d| d["source"]["path"].as_str().unwrap())
            .collect();
        paths.sort_unstable();
        paths.dedup();
        let counts = row_counts(url);
        assert_eq!(counts["documents"], distinct.len(), "{url}");
        assert_eq!(counts["document_sources"], paths.len(), "{url}");
        assert_eq!(counts["records"], records().count(), "{url}");
        assert_eq!(
            counts["indicators"],
            records().map(|r| len(&r["indicators"])).sum::<usize>(),
            "{url}"
        );
        assert_eq!(
            counts["list_items"],
            records()
                .map(|r| ["tugas_pokok", "fungsi", "tujuan", "indikator_tujuan"]
                    .iter()
                    .map(|k| len(&r[*k]))
                    .sum::<usize>())
                .sum::<usize>(),
            "{url}"
        );
        assert_eq!(counts["signatories"], signatories().count(), "{url}");
        assert_eq!(
            counts["record_signatories"],
            records().map(|r| len(&r["signatory_refs"])).sum::<usize>(),
            "{url}"
        );
        assert_eq!(
            counts["warnings"],
            distinct
                .iter()
                .map(|d| len(&d["warnings"])
                    + d["records"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| len(&r["warnings"]))
                        .sum::<usize>())
                .sum::<usize>(),
            "{url}"
        );
    }
}

/// `n` distinct IKI texts (the corpus with a numbered note appended) in `dir`.
fn distinct_inputs(dir: &Path, n: usize, tag: &str) {
    fs::create_dir_all(dir).unwrap();
    let texts: Vec<Vec<u8>> = [
        "lumajang-kec-lumajang-2024.txt",
        "lumajang-kec-ranuyoso-2023.txt",
        "lumajang-kec-candipuro-2024.txt",
    ]
    .iter()
    .map(|name| fs::read(repo(&format!("corpus/{name}"))).unwrap())
    .collect();
    for i in 0..n {
        let mut text = texts[i % texts.len()].clone();
        text.extend_from_slice(format!("\n\nCatatan {tag} {i}\n").as_bytes());
        fs::write(dir.join(format!("{i:04}.txt")), text).unwrap();
    }
}

#[test]
fn kill_9_mid_import_leaves_whole_documents_and_a_rerun_completes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    distinct_inputs(&input, 300, "kill");
    let clean_pg = testing::postgres("kill_clean");
    let killed_pg = testing::postgres("kill_killed");
    let mut pairs = vec![(
        format!("sqlite:{}", tmp.path().join("clean.sqlite").display()),
        format!("sqlite:{}", tmp.path().join("killed.sqlite").display()),
    )];
    if let (Some(clean), Some(killed)) = (&clean_pg, &killed_pg) {
        pairs.push((clean.url.clone(), killed.url.clone()));
    }
    for (clean, killed) in &pairs {
        let import = |url: &str| {
            let mut command = iki();
            command
                .args(["extract", s(&input), "--db", url, "-q", "-j", "2"])
                .stdout(Stdio::null());
            command
        };
        assert_eq!(import(clean).status().unwrap().code(), Some(0));
        let expected = contents(clean);
        let documents = expected["documents"].len();
        assert_eq!(documents, 300);

        let mut child = import(killed).spawn().unwrap();
        // Kill once some documents are committed: the database exists and holds a few.
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut committed = 0;
        while Instant::now() < deadline {
            thread::sleep(Duration::from_millis(20));
            committed = Database::open_existing(&DbUrl::parse(killed).unwrap())
                .ok()
                .and_then(|mut db| db.query("SELECT COUNT(*) FROM documents", &[]).ok())
                .and_then(|rows| match rows[0][0] {
                    Value::Int(n) => Some(n),
                    _ => None,
                })
                .unwrap_or(0);
            if committed > 0 {
                break;
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert!(
            committed > 0,
            "{killed}: nothing committed before the deadline"
        );

        // Every document present is whole: its rows equal those of the clean import.
        let partial = contents(killed);
        let present = partial["documents"].len();
        assert!(
            present < documents,
            "{killed}: the kill came too late ({present})"
        );
        for (table, rows) in &partial {
            for row in rows {
                assert!(
                    expected[table].contains(row),
                    "{killed}: {table} row not in the clean import: {row:?}"
                );
            }
            if *table != "documents" && *table != "document_sources" && *table != "persons" {
                let keys: Vec<&Value<'_>> = partial["documents"].iter().map(|d| &d[0]).collect();
                let whole = expected[table]
                    .iter()
                    .filter(|r| keys.contains(&&r[0]))
                    .count();
                assert_eq!(
                    rows.len(),
                    whole,
                    "{killed}: {table} of the documents present"
                );
            }
        }

        assert_eq!(import(killed).status().unwrap().code(), Some(0));
        assert_eq!(
            contents(killed),
            expected,
            "{killed}: the rerun completes the import"
        );
    }
}

#[test]
fn two_archives_import_concurrently_into_one_postgres_database() {
    let tmp = tempfile::tempdir().unwrap();
    let (Some(shared), Some(sequential)) = (
        testing::postgres("concurrent_shared"),
        testing::postgres("concurrent_sequential"),
    ) else {
        return;
    };
    // Two archives with 40 documents in common.
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    distinct_inputs(&a, 120, "x");
    distinct_inputs(&b, 40, "x");
    distinct_inputs(&tmp.path().join("b-own"), 80, "y");
    let archive = |dir: &Path, extra: Option<&Path>, name: &str| {
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        for d in std::iter::once(dir).chain(extra) {
            let mut files: Vec<_> = fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            for f in files {
                let entry = format!(
                    "{}/{}",
                    d.file_name().unwrap().to_string_lossy(),
                    f.file_name().unwrap().to_string_lossy()
                );
                entries.push((entry, fs::read(&f).unwrap()));
            }
        }
        let refs: Vec<(&str, &[u8])> = entries
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        let path = tmp.path().join(name);
        fs::write(&path, tar_gz_bytes(&refs)).unwrap();
        path
    };
    let first = archive(&a, None, "2023.tar.gz");
    let second = archive(&b, Some(&tmp.path().join("b-own")), "2024.tar.gz");
    let import = |archive: &Path, url: &str| {
        iki()
            .args(["extract", s(archive), "--db", url, "-q", "-j", "1"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut one, mut two) = (import(&first, &shared.url), import(&second, &shared.url));
    assert_eq!(one.wait().unwrap().code(), Some(0));
    assert_eq!(two.wait().unwrap().code(), Some(0));
    for archive in [&first, &second] {
        assert_eq!(
            import(archive, &sequential.url).wait().unwrap().code(),
            Some(0)
        );
    }
    let together = contents(&shared.url);
    assert_eq!(
        together["documents"].len(),
        200,
        "120 + 80 distinct contents"
    );
    assert_eq!(together["document_sources"].len(), 240, "every path once");
    assert_eq!(together, contents(&sequential.url));
}

#[test]
fn a_database_that_cannot_be_written_stops_the_run_with_exit_code_3() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = repo("corpus/lumajang-kec-lumajang-2023.txt");
    let missing_dir = tmp.path().join("no/such/dir/iki.db");
    let out = iki()
        .args(["extract", &corpus, "--db", s(&missing_dir), "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open database"));

    let newer = tmp.path().join("newer.sqlite");
    let mut db = Database::open(&DbUrl::Sqlite(newer.clone())).unwrap();
    db.execute_batch(
        "INSERT INTO iki_schema_migrations (version, name, applied_at) VALUES (99, 'x', 'x')",
    )
    .unwrap();
    drop(db);
    let out = iki()
        .args(["extract", &corpus, "--db", s(&newer), "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("newer than this iki knows"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = iki()
        .args(["extract", &corpus, "--db", "mysql://h/db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad URL is a usage error");
}

#[test]
fn history_reads_people_and_positions_back() {
    let tmp = tempfile::tempdir().unwrap();
    let (urls, _pg) = backends(tmp.path(), "cli_history");
    for url in &urls {
        let status = iki()
            .args(["extract", &repo("corpus"), "--db", url, "-q"])
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0));
        let history = |args: &[&str]| {
            iki()
                .args(["history", "--db", url])
                .args(args)
                .output()
                .unwrap()
        };

        let out = history(&["--nip", "19680414 199503 1 004"]);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with("NIP 196804141995031004: born 1968-04-14, appointed 1995-03, male"),
            "{text}"
        );
        assert!(
            text.contains("2024  signer   SEKRETARIS CAMAT | form \"SEKRETARIS CAMAT\""),
            "{text}"
        );

        let out = history(&[
            "--jabatan",
            "Kasi Pelayanan Umum",
            "--organization",
            "Lumajang",
        ]);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("2023 -> 2024: 1 added, 0 removed, 1 changed, 0 unchanged"),
            "{text}"
        );
        assert!(
            text.contains(
                "+ Persentase Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Kecamatan"
            ),
            "{text}"
        );

        let out = history(&["--jabatan", "Seksi Pelayanan Umum", "--json"]);
        let json: Json = serde_json::from_slice(&out.stdout).unwrap();
        let organizations: Vec<&str> = json["positions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["organization"].as_str().unwrap_or("?"))
            .collect();
        assert_eq!(
            organizations,
            [
                "Kecamatan Candipuro",
                "Kecamatan Lumajang",
                "KECAMATAN RANUYOSO"
            ],
            "one position per organisation"
        );

        assert_eq!(
            history(&["--nip", "199901012020011001"]).status.code(),
            Some(1)
        );
        assert_eq!(history(&["--jabatan", "Juru Kunci"]).status.code(), Some(1));
    }
    let out = iki()
        .args([
            "history",
            "--db",
            s(&tmp.path().join("none.db")),
            "--nip",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a missing database is an error");
}
