//! Hostile inputs and hostile runs (issue 13, findings 1–11): every input the user named, and
//! every file and archive entry under it, ends as a document or as a counted, listed skip;
//! nothing is parsed from a shorter text than its archive promised; the run itself stays
//! within bounds (threads, locks, file modes, exit codes).

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use iki_batch::testing::{gzip, tar_bytes, zip_bytes, TarMember};
use serde_json::Value;

use crate::common::{corpus_file, iki, ndjson, root, run_iki, s};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn path_of(doc: &Value) -> &str {
    doc["source"]["path"].as_str().unwrap()
}

fn code(doc: &Value) -> &str {
    doc["error"]["code"].as_str().unwrap_or("-")
}

fn summary(out: &Path) -> Value {
    let text =
        fs::read_to_string(out.join("_run/summary.json")).expect("OUT_DIR/_run/summary.json");
    serde_json::from_str(&text).unwrap()
}

/// The `skipped` list of a summary as (path, reason) pairs.
fn skips(summary: &Value) -> Vec<(String, String)> {
    summary["skipped"]["first"]
        .as_array()
        .expect("skipped.first")
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A form of ten indicator rows; long enough that a cut inside it loses rows.
fn form() -> Vec<u8> {
    corpus_file("lumajang-kec-lumajang-2024.txt")
}

/// Finding 1: a tar cut off inside an entry gives that entry a failed `archive_truncated`
/// document, never a document parsed from the bytes that were there.
#[test]
fn a_tar_cut_inside_an_entry_fails_that_entry_as_truncated() {
    let text = form();
    let tar = tar_bytes(&[
        TarMember::File("a.txt", &text),
        TarMember::File("b.txt", &text),
    ]);
    // Cut in the middle of b.txt's data: 512 header bytes per member, data padded to 512.
    let b_data_start = 512 + text.len().div_ceil(512) * 512 + 512;
    let cut = &tar[..b_data_start + text.len() / 2];
    let tmp = tempfile::tempdir().unwrap();
    for (name, bytes) in [("cut.tar", cut.to_vec()), ("cut.tar.gz", gzip(cut))] {
        let path = tmp.path().join(name);
        fs::write(&path, bytes).unwrap();
        let output = run_iki(&["extract", s(&path), "-q"]);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stderr(&output));
        let docs = ndjson(&output.stdout);
        assert_eq!(path_of(&docs[0]), format!("{}!/a.txt", s(&path)));
        assert_eq!(
            docs[0]["status"], "ok",
            "{name}: the whole entry before the cut"
        );
        let b = docs
            .iter()
            .find(|d| path_of(d).ends_with("!/b.txt"))
            .unwrap_or_else(|| panic!("{name}: no document for the cut entry"));
        assert_eq!(b["status"], "failed", "{name}: {b}");
        assert_eq!(code(b), "archive_truncated", "{name}");
        assert!(b["records"].as_array().unwrap().is_empty());
    }
}

/// A zip whose central directory is gone (cut off) or damaged: the entries its local headers
/// describe are still read.
#[test]
fn a_zip_without_its_central_directory_recovers_entries_from_local_headers() {
    let text = form();
    let zip = zip_bytes(&[("a.txt", &text), ("sub/b.txt", &text)]);
    let directory = zip
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("a central directory");
    let tmp = tempfile::tempdir().unwrap();
    let cut = tmp.path().join("cut.zip");
    fs::write(&cut, &zip[..directory]).unwrap();
    let mut damaged_bytes = zip.clone();
    for b in &mut damaged_bytes[directory..] {
        *b = 0x5a;
    }
    let damaged = tmp.path().join("damaged.zip");
    fs::write(&damaged, damaged_bytes).unwrap();
    for path in [&cut, &damaged] {
        let output = run_iki(&["extract", s(path), "-q"]);
        let docs = ndjson(&output.stdout);
        let paths: Vec<&str> = docs.iter().map(path_of).collect();
        assert_eq!(
            paths,
            [
                format!("{}!/a.txt", s(path)),
                format!("{}!/sub/b.txt", s(path))
            ],
            "{}",
            stderr(&output)
        );
        assert!(docs.iter().all(|d| d["status"] == "ok"));
        assert_eq!(output.status.code(), Some(0));
    }
}

/// Finding 2: a huge `-j` is capped (and said so) instead of aborting the process.
#[test]
fn a_huge_thread_count_is_capped_and_said_so() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("a.txt");
    fs::write(&input, form()).unwrap();
    let out = tmp.path().join("out");
    let output = run_iki(&["extract", s(&input), "-o", s(&out), "-j", "20000"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(out.join("a.json").is_file());
    let err = stderr(&output);
    assert!(err.contains("-j 20000") && err.contains("capped"), "{err}");
}

/// Finding 3: hard links in a tar are read as the file they link to; symlink, device and
/// FIFO entries are counted, listed skips.
#[test]
fn tar_hard_links_are_read_and_other_special_entries_are_listed_skips() {
    let text = form();
    let tar = tar_bytes(&[
        TarMember::File("forms/a.txt", &text),
        TarMember::HardLink("forms/b.txt", "forms/a.txt"),
        TarMember::Symlink("forms/c.txt", "a.txt"),
        TarMember::Fifo("forms/pipe.txt"),
        TarMember::CharDevice("forms/dev.txt"),
        TarMember::HardLink("forms/d.txt", "forms/missing.txt"),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("links.tar");
    fs::write(&archive, &tar).unwrap();
    let gz = tmp.path().join("links.tgz");
    fs::write(&gz, gzip(&tar)).unwrap();
    for path in [&archive, &gz] {
        let out = tmp.path().join(format!(
            "out-{}",
            path.extension().unwrap().to_string_lossy()
        ));
        let output = run_iki(&["extract", s(path), "-o", s(&out), "--ndjson", "-", "-q"]);
        let docs = ndjson(&output.stdout);
        let paths: Vec<&str> = docs.iter().map(path_of).collect();
        let entry = |name: &str| format!("{}!/forms/{name}", s(path));
        assert_eq!(
            paths,
            [entry("a.txt"), entry("b.txt")],
            "{}",
            stderr(&output)
        );
        assert_eq!(docs[1]["status"], "ok");
        assert_eq!(
            docs[0]["records"], docs[1]["records"],
            "the link reads its target"
        );
        assert_eq!(docs[0]["source"]["sha256"], docs[1]["source"]["sha256"]);
        let summary = summary(&out);
        assert_eq!(
            skips(&summary),
            [
                (entry("c.txt"), "symlink".to_string()),
                (entry("pipe.txt"), "fifo".to_string()),
                (entry("dev.txt"), "device".to_string()),
                (entry("d.txt"), "hard_link_target_missing".to_string()),
            ]
        );
        assert_eq!(summary["skipped"]["count"], 4);
        assert_eq!(summary["skipped"]["by_reason"]["symlink"], 1);
        assert_eq!(output.status.code(), Some(0));
    }
}

/// Finding 4: what a walked directory holds but iki does not read is a counted, listed skip,
/// and the end-of-run line says how many.
#[cfg(unix)]
#[test]
fn unread_files_in_directories_are_counted_and_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("form.txt"), form()).unwrap();
    fs::write(dir.join("README"), b"no extension").unwrap();
    fs::write(dir.join("table.csv"), b"a,b").unwrap();
    std::os::unix::fs::symlink(dir.join("form.txt"), dir.join("link.txt")).unwrap();
    let fifo = dir.join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let _socket = std::os::unix::net::UnixListener::bind(dir.join("sock.txt")).unwrap();
    let out = tmp.path().join("out");
    let output = run_iki(&["extract", s(&dir), "-o", s(&out)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let summary = summary(&out);
    let under = |name: &str| s(&dir.join(name)).to_string();
    assert_eq!(
        skips(&summary),
        [
            (under("README"), "unknown_type".to_string()),
            (under("link.txt"), "symlink".to_string()),
            (under("pipe.txt"), "fifo".to_string()),
            (under("sock.txt"), "socket".to_string()),
            (under("table.csv"), "unknown_type".to_string()),
        ]
    );
    assert_eq!(summary["skipped"]["count"], 5);
    assert_eq!(summary["skipped"]["by_reason"]["unknown_type"], 2);
    assert_eq!(summary["files"], 1);
    let err = stderr(&output);
    assert!(err.contains("5 skipped"), "end-of-run line: {err}");
}

/// Finding 6: a second run into an OUT_DIR another run is writing fails at once (exit 3),
/// naming the first.
#[test]
fn a_second_run_into_a_locked_out_dir_fails_fast_naming_the_first() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let input = tmp.path().join("a.txt");
    fs::write(&input, form()).unwrap();
    // The first run reads stdin, so it holds OUT_DIR until stdin closes.
    let mut first = iki()
        .args(["extract", "-", "-o", s(&out), "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !out.join("_run/lock").exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let second = run_iki(&["extract", s(&input), "-o", s(&out), "-q"]);
    let mut stdin = first.stdin.take().unwrap();
    stdin.write_all(&form()).unwrap();
    drop(stdin);
    let first_status = first.wait().unwrap();
    assert_eq!(second.status.code(), Some(3), "{}", stderr(&second));
    let err = stderr(&second);
    assert!(err.contains(&format!("pid {}", first.id())), "{err}");
    assert!(!out.join("a.json").exists(), "the second run wrote nothing");
    assert_eq!(first_status.code(), Some(0));
    assert!(out.join("stdin.json").is_file());
}

/// Finding 7: `-o` files follow the umask like the NDJSON file does.
#[cfg(unix)]
#[test]
fn out_dir_files_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("a.txt");
    fs::write(&input, form()).unwrap();
    for (umask, mode) in [("022", 0o644), ("077", 0o600)] {
        let out = tmp.path().join(format!("out-{umask}"));
        let ndjson = tmp.path().join(format!("{umask}.ndjson"));
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$@\""))
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_iki"))
            .args([
                "extract",
                s(&input),
                "-q",
                "-o",
                s(&out),
                "--ndjson",
                s(&ndjson),
            ])
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0));
        for file in [out.join("a.json"), out.join("_run/summary.json"), ndjson] {
            let got = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(got, mode, "{} under umask {umask}", file.display());
        }
    }
}

/// Finding 8: exit 3 when the output cannot be written, 2 stays for usage errors.
#[test]
fn unwritable_output_exits_3() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("a.txt");
    fs::write(&input, b"x").unwrap();
    let under_a_file = input.join("out");
    let output = run_iki(&["extract", s(&input), "-o", s(&under_a_file), "-q"]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    if Path::new("/dev/full").exists() {
        let output = run_iki(&["extract", s(&input), "--ndjson", "/dev/full", "-q"]);
        assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    }
    let usage = run_iki(&["extract", s(&input), "-j", "many"]);
    assert_eq!(usage.status.code(), Some(2));
}

/// Finding 9: 0 means "no limit" for the size caps as for the ratio and the timeout.
#[test]
fn zero_size_caps_mean_no_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("a.txt");
    fs::write(&input, form()).unwrap();
    let tar = tmp.path().join("b.tar");
    fs::write(&tar, tar_bytes(&[TarMember::File("b.txt", &form())])).unwrap();
    let output = run_iki(&[
        "extract",
        s(&input),
        s(&tar),
        "--max-file-bytes",
        "0",
        "--max-archive-bytes",
        "0",
        "-q",
    ]);
    let docs = ndjson(&output.stdout);
    assert_eq!(docs.len(), 2);
    for doc in &docs {
        assert_eq!(doc["status"], "ok", "{doc}");
    }
    assert_eq!(output.status.code(), Some(0));
}

/// Finding 10: the run's own outputs inside an input directory are not read back.
#[test]
fn own_outputs_inside_an_input_directory_are_not_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("form.txt"), form()).unwrap();
    let out = dir.join("out");
    let ndjson_file = dir.join("all.txt");
    // Outputs of an earlier run are there already.
    for _ in 0..2 {
        let output = run_iki(&[
            "extract",
            s(&dir),
            "-o",
            s(&out),
            "--ndjson",
            s(&ndjson_file),
            "-q",
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let docs = ndjson(&fs::read(&ndjson_file).unwrap());
        let paths: Vec<&str> = docs.iter().map(path_of).collect();
        assert_eq!(paths, [s(&dir.join("form.txt"))]);
        let summary = summary(&out);
        assert_eq!(
            skips(&summary),
            [
                (s(&ndjson_file).to_string(), "own_output".to_string()),
                (s(&out).to_string(), "own_output".to_string()),
            ]
        );
    }
}

/// Finding 11: formats are recognised by content on stdin: a PDF and a `.tar.gz` piped in.
#[test]
fn stdin_is_recognised_by_content() {
    let pdf = fs::read(root().join("fixtures/pdf/text/lumajang-kec-lumajang-2024.pdf")).unwrap();
    let text = form();
    let tgz = gzip(&tar_bytes(&[
        TarMember::File("a.txt", &text),
        TarMember::File("b.md", b"bukan formulir"),
    ]));
    let zip = zip_bytes(&[("z.txt", &text)]);
    // (bytes piped in, the (source.path, source.format) of each document)
    type Case<'a> = (&'a [u8], &'a [(&'a str, &'a str)]);
    let cases: [Case; 3] = [
        (&pdf, &[("-", "pdf")]),
        (&tgz, &[("-!/a.txt", "text"), ("-!/b.md", "text")]),
        (&zip, &[("-!/z.txt", "text")]),
    ];
    for (bytes, want) in cases {
        let mut child = iki()
            .args(["extract", "-", "-q"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(bytes).unwrap();
        let output = child.wait_with_output().unwrap();
        let docs = ndjson(&output.stdout);
        let got: Vec<(&str, &str)> = docs
            .iter()
            .map(|d| (path_of(d), d["source"]["format"].as_str().unwrap()))
            .collect();
        assert_eq!(got, want);
        assert_eq!(docs[0]["status"], "ok", "{}", docs[0]);
    }
}

/// Named files are recognised by content too: a PDF and a zip without telling names, and a
/// tar.gz named like a text file.
#[test]
fn named_files_are_recognised_by_content() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("scan-2023");
    fs::copy(
        root().join("fixtures/pdf/text/lumajang-kec-lumajang-2024.pdf"),
        &pdf,
    )
    .unwrap();
    let zip = tmp.path().join("backup");
    fs::write(&zip, zip_bytes(&[("a.txt", &form())])).unwrap();
    let tgz = tmp.path().join("forms.txt");
    fs::write(&tgz, gzip(&tar_bytes(&[TarMember::File("b.txt", &form())]))).unwrap();
    let output = run_iki(&["extract", s(&pdf), s(&zip), s(&tgz), "-q"]);
    let docs = ndjson(&output.stdout);
    let got: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| (path_of(d), d["source"]["format"].as_str().unwrap()))
        .collect();
    let entry = format!("{}!/a.txt", s(&zip));
    let tgz_entry = format!("{}!/b.txt", s(&tgz));
    assert_eq!(
        got,
        [
            (s(&pdf), "pdf"),
            (entry.as_str(), "text"),
            (tgz_entry.as_str(), "text")
        ]
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
