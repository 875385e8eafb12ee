//! The command-line contract: exit codes, every input in the output, `-o` layout,
//! determinism across thread counts, the schema subcommand, a closed stdout.
//!
//! These tests never depend on what the parser extracts: they look at what the batch driver
//! owns (paths, status and error codes of unreadable inputs, hashes, files written).

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn iki() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iki"))
}

fn run_iki(args: &[&str], cwd: Option<&Path>) -> Output {
    let mut cmd = iki();
    cmd.args(args);
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    cmd.output().expect("the iki binary runs")
}

fn parse_ndjson(stdout: &[u8]) -> Vec<Value> {
    std::str::from_utf8(stdout)
        .expect("NDJSON is UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("each NDJSON line is one JSON document"))
        .collect()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// Deterministic bytes with NULs and high bytes, like a misnamed binary file.
fn binary_bytes(len: usize) -> Vec<u8> {
    let mut state: u32 = 0x1234_5678;
    (0..len)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            if i % 7 == 0 {
                0
            } else {
                state as u8
            }
        })
        .collect()
}

/// All files under `root`, relative to it.
fn files_under(root: &Path) -> BTreeSet<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(root, root, &mut out);
    out
}

#[test]
fn usage_errors_exit_2() {
    let cases: &[&[&str]] = &[
        &[],
        &["bogus"],
        &["extract"],
        &["extract", "-j", "many", "x.txt"],
        &["extract", "--max-file-bytes", "-5", "x.txt"],
        &["eval", "--gold", "gold"],
        &["schema", "extra"],
    ];
    for args in cases {
        let out = run_iki(args, None);
        assert_eq!(out.status.code(), Some(2), "iki {args:?}");
        assert!(
            !out.stderr.is_empty(),
            "iki {args:?} explains the usage error"
        );
        assert!(
            out.stdout.is_empty(),
            "iki {args:?} prints nothing on stdout"
        );
    }
}

#[test]
fn help_and_version_exit_0() {
    for args in [&["--help"][..], &["--version"], &["extract", "--help"]] {
        let out = run_iki(args, None);
        assert_eq!(out.status.code(), Some(0), "iki {args:?}");
        assert!(!out.stdout.is_empty());
    }
}

#[test]
fn every_input_appears_in_the_ndjson_output() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inputs");
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(dir.join("empty.txt"), b"").unwrap();
    fs::write(dir.join("binary.txt"), binary_bytes(4096)).unwrap();
    fs::write(
        dir.join("sub/latin1.MD"),
        b"INDIKATOR KINERJA INDIVIDU\nKecamatan caf\xe9 \xff\xfe\n",
    )
    .unwrap();
    fs::write(dir.join("scan.pdf"), b"%PDF-1.4\n").unwrap();
    fs::write(dir.join("notes.csv"), b"not an input").unwrap();
    let missing = tmp.path().join("missing.txt");

    let out = run_iki(
        &[
            "extract",
            path_str(&dir),
            path_str(&missing),
            "--ndjson",
            "-",
            "-q",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a missing input makes the run exit 1"
    );
    assert!(
        out.stderr.is_empty(),
        "--quiet: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let docs = parse_ndjson(&out.stdout);
    let paths: Vec<&str> = docs
        .iter()
        .map(|d| d["source"]["path"].as_str().unwrap())
        .collect();
    let expected: Vec<PathBuf> = vec![
        dir.join("binary.txt"),
        dir.join("empty.txt"),
        dir.join("scan.pdf"),
        dir.join("sub/latin1.MD"),
        missing.clone(),
    ];
    let expected: Vec<&str> = expected.iter().map(|p| path_str(p)).collect();
    assert_eq!(paths, expected, "every input once, in walk order, no .csv");

    for doc in &docs {
        let status = doc["status"].as_str().unwrap();
        assert!(["ok", "partial", "failed"].contains(&status), "{doc}");
        if status == "failed" {
            let code = doc["error"]["code"].as_str().unwrap_or("");
            assert!(
                !code.is_empty(),
                "a failed document has an error code: {doc}"
            );
        }
    }
    let by_path = |p: &Path| {
        docs.iter()
            .find(|d| d["source"]["path"] == path_str(p))
            .unwrap()
    };
    let missing_doc = by_path(&missing);
    assert_eq!(missing_doc["status"], "failed");
    assert_eq!(missing_doc["error"]["code"], "not_found");
    let pdf_doc = by_path(&dir.join("scan.pdf"));
    assert_eq!(pdf_doc["status"], "failed");
    assert_eq!(pdf_doc["source"]["format"], "pdf");
    let empty_doc = by_path(&dir.join("empty.txt"));
    assert_eq!(empty_doc["source"]["sha256"], EMPTY_SHA256);
    assert_eq!(empty_doc["source"]["bytes"], 0);
    assert_eq!(by_path(&dir.join("binary.txt"))["source"]["bytes"], 4096);
}

#[test]
fn ndjson_documents_match_the_published_schema() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("binary.txt"), binary_bytes(512)).unwrap();
    fs::write(tmp.path().join("scan.pdf"), b"%PDF-1.4\n").unwrap();
    let missing = tmp.path().join("missing.txt");
    let out = run_iki(
        &["extract", path_str(tmp.path()), path_str(&missing), "-q"],
        None,
    );
    let schema_out = run_iki(&["schema"], None);
    let schema: Value = serde_json::from_slice(&schema_out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let docs = parse_ndjson(&out.stdout);
    assert_eq!(
        docs.len(),
        3,
        "NDJSON on stdout when neither -o nor --ndjson is given"
    );
    for doc in &docs {
        let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{doc} violates the schema: {errors:?}");
    }
}

#[test]
fn out_dir_gets_one_json_per_input_and_nothing_else_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    let cwd = tmp.path().join("cwd");
    let out_dir = tmp.path().join("out");
    fs::create_dir_all(inputs.join("sub")).unwrap();
    fs::create_dir_all(&cwd).unwrap();
    fs::write(inputs.join("a.txt"), b"satu").unwrap();
    fs::write(inputs.join("a.md"), b"dua").unwrap();
    fs::write(inputs.join("sub/b.txt"), b"tiga").unwrap();
    fs::write(inputs.join("summary.txt"), b"empat").unwrap();
    let missing = tmp.path().join("gone.txt");
    let before = files_under(tmp.path());

    let out = run_iki(
        &[
            "extract",
            path_str(&inputs),
            path_str(&missing),
            "-o",
            path_str(&out_dir),
            "-q",
        ],
        Some(&cwd),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "-o alone writes nothing on stdout");

    let written: BTreeSet<PathBuf> = files_under(tmp.path())
        .difference(&before)
        .cloned()
        .collect();
    let expected: BTreeSet<PathBuf> = [
        "a.json",
        "a-2.json",
        "sub__b.json",
        "summary.json",
        "gone.json",
        "_run/lock",
        "_run/manifest.ndjson",
        "_run/summary.json",
    ]
    .iter()
    .map(|name| Path::new("out").join(name))
    .collect();
    assert_eq!(
        written, expected,
        "one json per input plus the run's own files in _run/, only in OUT_DIR"
    );
    let glob: Vec<Value> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| serde_json::from_str(&fs::read_to_string(p).unwrap()).unwrap())
        .collect();
    assert_eq!(glob.len(), 5, "OUT_DIR/*.json is the five documents");
    assert!(glob.iter().all(|d| d["schema_version"] == "1"));

    let read = |name: &str| -> Value {
        serde_json::from_str(&fs::read_to_string(out_dir.join(name)).unwrap()).unwrap()
    };
    assert_eq!(
        read("a.json")["source"]["path"],
        path_str(&inputs.join("a.md"))
    );
    assert_eq!(
        read("a-2.json")["source"]["path"],
        path_str(&inputs.join("a.txt"))
    );
    assert_eq!(
        read("sub__b.json")["source"]["path"],
        path_str(&inputs.join("sub/b.txt"))
    );
    assert_eq!(read("gone.json")["error"]["code"], "not_found");

    assert_eq!(
        read("summary.json")["source"]["path"],
        path_str(&inputs.join("summary.txt")),
        "an input named summary is a document like any other"
    );
    let summary = read("_run/summary.json");
    assert_eq!(summary["files"], 5);
    assert_eq!(summary["bytes"], 4 + 3 + 4 + 5);
    let counted: u64 = summary["status_counts"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(counted, 5);
    assert_eq!(
        summary["confidence_histogram"].as_array().unwrap().len(),
        10
    );
    let failures = summary["failures"].as_array().unwrap();
    assert!(failures
        .iter()
        .any(|f| f["path"] == path_str(&missing) && f["code"] == "not_found"));
}

#[test]
fn ndjson_file_and_out_dir_together() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("a.txt");
    fs::write(&input, b"x").unwrap();
    let ndjson = tmp.path().join("all.ndjson");
    let out_dir = tmp.path().join("out");
    let out = run_iki(
        &[
            "extract",
            path_str(&input),
            "-o",
            path_str(&out_dir),
            "--ndjson",
            path_str(&ndjson),
            "-q",
        ],
        None,
    );
    assert_ne!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let docs = parse_ndjson(&fs::read(&ndjson).unwrap());
    assert_eq!(docs.len(), 1);
    let pretty: Value =
        serde_json::from_str(&fs::read_to_string(out_dir.join("a.json")).unwrap()).unwrap();
    assert_eq!(docs[0], pretty, "both outputs carry the same document");
}

#[test]
fn files_over_the_size_cap_fail_without_stopping_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.txt");
    fs::write(&big, vec![b'a'; 100]).unwrap();
    let out = run_iki(
        &["extract", path_str(&big), "--max-file-bytes", "10", "-q"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let docs = parse_ndjson(&out.stdout);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["error"]["code"], "file_too_large");
    assert_eq!(docs[0]["source"]["bytes"], 100);
}

#[test]
fn one_and_four_jobs_give_identical_ndjson_on_the_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus_files = fs::read_dir(root.join("corpus"))
        .unwrap()
        .filter(|e| {
            let name = e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .to_lowercase();
            name.ends_with(".txt") || name.ends_with(".md") || name.ends_with(".pdf")
        })
        .count();
    assert!(corpus_files > 0, "the corpus has inputs");
    let run_with = |jobs: &str| {
        let out = run_iki(
            &["extract", "corpus", "--ndjson", "-", "-q", "-j", jobs],
            Some(root),
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "-j {jobs}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let sequential = run_with("1");
    let parallel = run_with("4");
    assert_eq!(parse_ndjson(&sequential).len(), corpus_files);
    assert!(sequential == parallel, "-j 1 and -j 4 differ");
}

#[test]
fn schema_prints_the_document_schema() {
    let out = run_iki(&["schema"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("IkiDocument"));
    let schema: Value = serde_json::from_str(&text).expect("the schema is valid JSON");
    assert_eq!(schema["title"], "IkiDocument");
    assert!(schema["properties"]["records"].is_object());
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    // Far more output than a pipe buffer holds, so the writer meets the closed pipe.
    for i in 0..1500 {
        fs::write(tmp.path().join(format!("{i:04}.txt")), b"x").unwrap();
    }
    let mut child = iki()
        .args(["extract", path_str(tmp.path()), "-q", "-j", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "a broken pipe exits 0");
    assert!(
        out.stderr.is_empty(),
        "nothing on stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_unwritable_out_dir_is_a_fatal_error_exit_3() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("a.txt");
    fs::write(&input, b"x").unwrap();
    let out_dir = input.join("out");
    let out = run_iki(
        &["extract", path_str(&input), "-o", path_str(&out_dir), "-q"],
        None,
    );
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot create output directory"),
        "{stderr}"
    );
    assert!(stderr.contains(path_str(&out_dir)), "{stderr}");
}

/// Issue 15: `iki eval` with no name shared between gold and predictions fails (exit 2),
/// listing the unmatched files of both sides, instead of scoring 0.
#[test]
fn eval_without_shared_names_is_a_usage_error_listing_both_sides() {
    let tmp = tempfile::tempdir().unwrap();
    let gold = tmp.path().join("gold");
    let pred = tmp.path().join("pred");
    fs::create_dir_all(&gold).unwrap();
    fs::create_dir_all(&pred).unwrap();
    let doc = r#"{"records": []}"#;
    fs::write(gold.join("lumajang-2023.json"), doc).unwrap();
    fs::write(pred.join("corpus__lumajang-2023.json"), doc).unwrap();
    let out = run_iki(
        &["eval", "--gold", path_str(&gold), "--pred", path_str(&pred)],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no score is printed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lumajang-2023.json"), "{stderr}");
    assert!(stderr.contains("corpus__lumajang-2023.json"), "{stderr}");
}

/// Issue 15: a re-used `-o` directory keeps the documents of an earlier run; `report` and
/// `eval` read the last run's manifest and leave them out (counted as stale).
#[test]
fn report_and_eval_see_only_the_last_run_of_a_reused_out_dir() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let out = |inputs: &[&str]| {
        let mut args = vec!["extract"];
        args.extend_from_slice(inputs);
        args.extend_from_slice(&["-o", path_str(&out_dir), "-q"]);
        let output = run_iki(&args, Some(root));
        assert_eq!(output.status.code(), Some(0));
    };
    out(&[
        "corpus/lumajang-kec-lumajang-2023.txt",
        "corpus/lumajang-kec-lumajang-2024.txt",
    ]);
    out(&["corpus/lumajang-kec-lumajang-2024.txt"]);
    assert!(
        out_dir.join("lumajang-kec-lumajang-2023.json").exists(),
        "kept, not deleted"
    );

    let report = tmp.path().join("report.html");
    let output = run_iki(
        &["report", path_str(&out_dir), "-o", path_str(&report)],
        Some(root),
    );
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(": 1 documents"), "{stderr}");
    assert!(stderr.contains("1 stale from an earlier run"), "{stderr}");

    let output = run_iki(
        &[
            "eval",
            "--gold",
            "fixtures/expected",
            "--pred",
            path_str(&out_dir),
            "--json",
        ],
        Some(root),
    );
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["stale_predictions"][0],
        "lumajang-kec-lumajang-2023.json"
    );
    let scored: Vec<&Value> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["prediction_missing"] == false)
        .collect();
    assert_eq!(scored.len(), 1);
    assert_eq!(scored[0]["file"], "lumajang-kec-lumajang-2024.json");
}
