//! The batch driver at archive scale, end to end: ordering across thread counts, resume
//! after `kill -9`, hostile archives (path traversal, bombs, empty, corrupt), unreadable
//! files, symlink loops and stdin — each with its statuses, exit code and nothing written
//! outside `OUT_DIR`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use iki_batch::testing::{bomb_zip, tar_gz_bytes, zip_bytes};
use serde_json::Value;

use crate::common::{corpus_file, iki, run_iki, s};

/// Every file under `root` with its bytes, keyed by the path relative to `root`.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                walk(root, &path, out);
            } else if kind.is_file() {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, fs::read(&path).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Run `iki extract ARGS -o OUT --ndjson - -q` and check that nothing appeared under `tmp`
/// but files directly in `OUT` and the run's own files in `OUT/_run`; returns the exit code
/// and the documents.
fn extract_checked(tmp: &Path, out: &Path, args: &[&str]) -> (Option<i32>, Vec<Value>) {
    let before = snapshot(tmp);
    let mut all = vec!["extract"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", s(out), "--ndjson", "-", "-q"]);
    let output = run_iki(&all);
    let after = snapshot(tmp);
    let out_rel = out.strip_prefix(tmp).unwrap();
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        let parent = path.parent().unwrap();
        assert!(
            parent == out_rel || parent == out_rel.join("_run"),
            "{} was written outside OUT_DIR",
            path.display()
        );
    }
    let docs = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (output.status.code(), docs)
}

fn code(doc: &Value) -> &str {
    doc["error"]["code"].as_str().unwrap_or("-")
}

fn path_of(doc: &Value) -> &str {
    doc["source"]["path"].as_str().unwrap()
}

#[test]
fn thread_counts_give_identical_bytes_over_dirs_and_archives() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir_all(dir.join("sub")).unwrap();
    let names = [
        "lumajang-kec-lumajang-2023.txt",
        "lumajang-kec-ranuyoso-2023.txt",
        "lumajang-bkd-bidang.txt",
    ];
    let texts: Vec<Vec<u8>> = names.iter().map(|n| corpus_file(n)).collect();
    for (i, text) in texts.iter().enumerate() {
        fs::write(dir.join(format!("sub/{i}.txt")), text).unwrap();
        fs::write(dir.join(format!("{i}.md")), b"bukan formulir").unwrap();
    }
    let entries: Vec<(String, &[u8])> = (0..9)
        .map(|i| (format!("arsip/{i}.txt"), texts[i % 3].as_slice()))
        .collect();
    let refs: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    fs::write(dir.join("bundle.tgz"), tar_gz_bytes(&refs)).unwrap();
    fs::write(dir.join("bundle.zip"), zip_bytes(&refs)).unwrap();

    let mut outputs = Vec::new();
    for jobs in ["1", "2", "8"] {
        let out = tmp.path().join(format!("out-{jobs}"));
        let ndjson = tmp.path().join(format!("out-{jobs}.ndjson"));
        let output = run_iki(&[
            "extract",
            s(&dir),
            "-o",
            s(&out),
            "--ndjson",
            s(&ndjson),
            "-q",
            "-j",
            jobs,
        ]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "the .md files are not IKI forms"
        );
        outputs.push((fs::read(&ndjson).unwrap(), documents_and_manifest(&out)));
    }
    assert_eq!(
        outputs[0].0.split(|&b| b == b'\n').count() - 1,
        3 + 3 + 9 + 9
    );
    assert!(outputs[0] == outputs[1], "-j 1 and -j 2 differ");
    assert!(outputs[0] == outputs[2], "-j 1 and -j 8 differ");
}

/// Lines of the NDJSON file so far (0 if it does not exist yet).
fn lines_in(path: &Path) -> usize {
    fs::read(path).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
}

/// What a run writes into OUT_DIR that must not depend on threads or interruptions: every
/// file but the lock and the summary (whose timing fields differ).
fn documents_and_manifest(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(out);
    files.remove(Path::new("_run/summary.json"));
    files.remove(Path::new("_run/lock"));
    files
}

/// `_run/summary.json` without its timing fields.
fn summary_without_timing(out: &Path) -> Value {
    let mut summary: Value =
        serde_json::from_str(&fs::read_to_string(out.join("_run/summary.json")).unwrap()).unwrap();
    for field in ["elapsed_seconds", "files_per_second", "mb_per_second"] {
        summary.as_object_mut().unwrap().remove(field);
    }
    summary
}

#[test]
fn resume_after_kill_ends_with_the_output_of_a_clean_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir_all(&dir).unwrap();
    let text = corpus_file("lumajang-kec-lumajang-2024.txt");
    for i in 0..30 {
        fs::write(dir.join(format!("{i:03}.txt")), &text).unwrap();
    }
    let entries: Vec<(String, &[u8])> = (0..10)
        .map(|i| (format!("{i:02}.txt"), text.as_slice()))
        .collect();
    let refs: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    fs::write(dir.join("zz.tgz"), tar_gz_bytes(&refs)).unwrap();
    let total = 40;

    let clean_out = tmp.path().join("clean");
    let clean_ndjson = tmp.path().join("clean.ndjson");
    let args = |out: &Path, ndjson: &Path| -> Vec<String> {
        [
            "extract",
            s(&dir),
            "-o",
            s(out),
            "--ndjson",
            s(ndjson),
            "-q",
            "-j",
            "2",
        ]
        .iter()
        .map(|a| a.to_string())
        .collect()
    };
    let clean = iki()
        .args(args(&clean_out, &clean_ndjson))
        .output()
        .unwrap();
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );

    // Kill -9 part-way: as soon as a few documents are out, or after a bounded wait.
    let out = tmp.path().join("out");
    let ndjson = tmp.path().join("out.ndjson");
    let mut child = iki()
        .args(args(&out, &ndjson))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while lines_in(&ndjson) < 5 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let kept = lines_in(&ndjson);
    // Whatever the kill left, also tear the last line, as a crash in mid-write would.
    let mut torn = fs::OpenOptions::new().append(true).open(&ndjson).unwrap();
    torn.write_all(br#"{"schema_version":"1","source":{"pa"#)
        .unwrap();
    drop(torn);

    let resumed = iki()
        .args(args(&out, &ndjson))
        .arg("--resume")
        .output()
        .unwrap();
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert_eq!(
        fs::read(&ndjson).unwrap(),
        fs::read(&clean_ndjson).unwrap(),
        "resumed NDJSON differs from a clean run (kill left {kept} lines)"
    );
    let resumed_files = documents_and_manifest(&out);
    let clean_files = documents_and_manifest(&clean_out);
    assert!(
        resumed_files == clean_files,
        "resumed OUT_DIR differs from a clean run"
    );
    assert_eq!(
        resumed_files.len(),
        total + 1,
        "the documents and the manifest"
    );
    assert_eq!(
        summary_without_timing(&out),
        summary_without_timing(&clean_out)
    );

    // A third run over complete outputs rewrites nothing and says so.
    let mut third = args(&out, &ndjson);
    third.retain(|a| a != "-q");
    let again = iki().args(third).arg("--resume").output().unwrap();
    assert_eq!(again.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains(&format!("{total} already written")),
        "one-line summary: {stderr}"
    );
    assert_eq!(fs::read(&ndjson).unwrap(), fs::read(&clean_ndjson).unwrap());
}

#[test]
fn a_zip_with_traversal_and_absolute_names_writes_only_inside_out_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join("evil.zip");
    let text = corpus_file("lumajang-kec-lumajang-2024.txt");
    fs::write(
        &zip_path,
        zip_bytes(&[
            ("../../escape.txt", &text),
            ("/etc/absolute.txt", b"x"),
            ("C:\\Windows\\drive.txt", b"x"),
            ("..\\..\\back.md", b"x"),
            ("ok/../../x.txt", b"x"),
        ]),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let (exit, docs) = extract_checked(tmp.path(), &out, &[s(&zip_path)]);
    assert_eq!(exit, Some(1), "the short entries are not IKI forms");
    assert_eq!(docs.len(), 5);
    let archive = s(&zip_path);
    assert_eq!(path_of(&docs[0]), format!("{archive}!/../../escape.txt"));
    assert_eq!(docs[0]["status"], "ok", "the entry itself is a real form");
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "_run")
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "evil__C___Windows__drive.json",
            "evil__back.json",
            "evil__escape.json",
            "evil__etc__absolute.json",
            "evil__ok__x.json",
        ]
    );
}

#[test]
fn a_decompression_bomb_is_stopped_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let bomb = tmp.path().join("bomb.zip");
    fs::write(&bomb, bomb_zip(&vec![b' '; 4 << 20], 64)).unwrap();
    assert!(
        fs::metadata(&bomb).unwrap().len() < 2 << 20,
        "256 MiB in a small zip"
    );
    let after = tmp.path().join("after.txt");
    fs::write(&after, corpus_file("lumajang-kec-lumajang-2024.txt")).unwrap();
    let out = tmp.path().join("out");
    let started = Instant::now();
    let (exit, docs) = extract_checked(tmp.path(), &out, &[s(&bomb), s(&after)]);
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(exit, Some(1));
    assert!(
        docs.len() < 10,
        "reading stopped early: {} documents",
        docs.len()
    );
    let bomb_docs = &docs[..docs.len() - 1];
    assert_eq!(code(bomb_docs.last().unwrap()), "archive_ratio_exceeded");
    assert!(bomb_docs.iter().all(|d| d["status"] == "failed"));
    assert_eq!(path_of(docs.last().unwrap()), s(&after));
    assert_eq!(
        docs.last().unwrap()["status"],
        "ok",
        "the next input is still read"
    );
}

#[test]
fn empty_and_corrupt_archives_are_failed_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let empty_zip = tmp.path().join("empty.zip");
    fs::write(&empty_zip, zip_bytes(&[])).unwrap();
    let empty_tar = tmp.path().join("empty.tar");
    fs::write(&empty_tar, [0u8; 1024]).unwrap();
    let garbage = tmp.path().join("garbage.zip");
    fs::write(&garbage, b"PK\x03\x04 this is not a zip at all").unwrap();
    let text = corpus_file("lumajang-kec-lumajang-2024.txt");
    let mut truncated = tar_gz_bytes(&[("a.txt", &text), ("b.txt", &text), ("c.txt", &text)]);
    truncated.truncate(truncated.len() * 2 / 3);
    let cut = tmp.path().join("cut.tar.gz");
    fs::write(&cut, truncated).unwrap();
    let out = tmp.path().join("out");
    let (exit, docs) = extract_checked(
        tmp.path(),
        &out,
        &[s(&empty_zip), s(&empty_tar), s(&garbage), s(&cut)],
    );
    assert_eq!(exit, Some(1));
    let codes: Vec<(&str, &str)> = docs.iter().map(|d| (path_of(d), code(d))).collect();
    assert_eq!(codes[0], (s(&empty_zip), "archive_empty"));
    assert_eq!(codes[1], (s(&empty_tar), "archive_empty"));
    assert_eq!(codes[2], (s(&garbage), "archive_corrupt"));
    let cut_docs = &docs[3..];
    assert_eq!(path_of(&cut_docs[0]), format!("{}!/a.txt", s(&cut)));
    assert_eq!(
        cut_docs[0]["status"], "ok",
        "entries before the damage are read"
    );
    assert_eq!(code(cut_docs.last().unwrap()), "archive_truncated");
    assert!(out.join("empty.json").exists() && out.join("garbage.json").exists());
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_failed_document() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let locked = tmp.path().join("locked.txt");
    fs::write(&locked, b"rahasia").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any file whatever its mode; /proc/self/mem then stands in: it exists,
    // is a regular file, and cannot be read at offset 0.
    let unreadable = if fs::read(&locked).is_err() {
        locked.clone()
    } else {
        PathBuf::from("/proc/self/mem")
    };
    let ok = tmp.path().join("ok.txt");
    fs::write(&ok, corpus_file("lumajang-kec-lumajang-2024.txt")).unwrap();
    let out = tmp.path().join("out");
    let (exit, docs) = extract_checked(tmp.path(), &out, &[s(&unreadable), s(&ok)]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(exit, Some(1));
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["status"], "failed");
    assert_eq!(code(&docs[0]), "io_error");
    assert_eq!(docs[1]["status"], "ok");
}

#[cfg(unix)]
#[test]
fn a_directory_symlink_loop_is_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir_all(dir.join("a/b")).unwrap();
    fs::write(
        dir.join("a/b/form.txt"),
        corpus_file("lumajang-kec-lumajang-2024.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("a/b/loop")).unwrap();
    std::os::unix::fs::symlink("../..", dir.join("a/b/up")).unwrap();
    let out = tmp.path().join("out");
    let (exit, docs) = extract_checked(tmp.path(), &out, &[s(&dir)]);
    assert_eq!(exit, Some(0));
    assert_eq!(docs.len(), 1);
    assert_eq!(path_of(&docs[0]), s(&dir.join("a/b/form.txt")));
}

#[test]
fn stdin_is_one_document() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut child = iki()
        .args(["extract", "-", "-o", s(&out), "--ndjson", "-", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let text = corpus_file("lumajang-kec-lumajang-2024.txt");
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["source"]["path"], "-");
    assert_eq!(doc["source"]["bytes"], text.len());
    assert!(out.join("stdin.json").exists());
}

#[test]
fn resume_on_stdout_is_a_usage_error() {
    let out = run_iki(&["extract", "x.txt", "--resume"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"));
}
