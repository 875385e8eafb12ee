//! Driver tests with stand-in extractors: ordering across thread counts, panics, the
//! watchdog, resume, and archives built in memory.

use super::*;
use crate::testing::{bomb_zip, tar_gz_bytes, zip_bytes};
use iki_model::{ErrorCode, IkiDocument, Status};
use std::fs;

/// An extractor around a plain function of path and bytes.
pub(crate) fn fn_extractor(f: fn(&str, &[u8]) -> IkiDocument) -> Extractor {
    Arc::new(move |_, path, bytes, _| f(path, bytes))
}

/// The text parser as the extractor (every format read as text).
pub(crate) fn parser() -> Extractor {
    fn_extractor(iki_parser::extract)
}

fn sometimes_panics(path: &str, bytes: &[u8]) -> IkiDocument {
    if path.ends_with("07.txt") {
        panic!("bad file");
    }
    let mut doc = iki_parser::extract(path, bytes);
    if bytes.len().is_multiple_of(2) {
        doc.status = Status::Ok;
        doc.error = None;
    }
    doc
}

fn hangs_on_slow(path: &str, bytes: &[u8]) -> IkiDocument {
    if path.contains("slow") {
        thread::sleep(Duration::from_secs(3));
    }
    iki_parser::extract(path, bytes)
}

fn corpus(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        fs::write(dir.path().join(format!("{i:02}.txt")), "x".repeat(i)).unwrap();
    }
    dir
}

fn quiet(ndjson: &Path, jobs: usize) -> BatchOptions {
    BatchOptions {
        ndjson: Some(NdjsonTarget::File(ndjson.to_path_buf())),
        jobs,
        quiet: true,
        ..BatchOptions::default()
    }
}

fn run_to_ndjson(dir: &Path, jobs: usize) -> (BatchSummary, String) {
    let out = tempfile::tempdir().unwrap();
    let ndjson = out.path().join("out.ndjson");
    let summary = run(
        &[dir],
        &quiet(&ndjson, jobs),
        fn_extractor(sometimes_panics),
    )
    .unwrap();
    (summary, fs::read_to_string(ndjson).unwrap())
}

fn docs(ndjson: &str) -> Vec<IkiDocument> {
    ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn sequential_and_parallel_runs_give_the_same_bytes() {
    let dir = corpus(40);
    let (summary_1, ndjson_1) = run_to_ndjson(dir.path(), 1);
    let (summary_4, ndjson_4) = run_to_ndjson(dir.path(), 4);
    assert_eq!(ndjson_1, ndjson_4);
    assert_eq!(ndjson_1.lines().count(), 40);
    assert_eq!(summary_1.status_counts, summary_4.status_counts);
    assert_eq!(summary_1.failures, summary_4.failures);
    assert_eq!(summary_1.ok(), 20);
    assert!(summary_1
        .failures
        .iter()
        .any(|f| f.path.ends_with("07.txt") && f.code == ErrorCode::InternalError));
}

#[test]
fn out_dir_gets_one_file_per_input_a_manifest_and_a_summary() {
    let dir = corpus(3);
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("nested/out");
    let options = BatchOptions {
        out_dir: Some(out_dir.clone()),
        jobs: 2,
        quiet: true,
        ..BatchOptions::default()
    };
    let summary = run(&[dir.path()], &options, parser()).unwrap();
    assert_eq!(summary.files, 3);
    let mut names: Vec<String> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["00.json", "01.json", "02.json", "_run"]);
    let run_dir = out_dir.join("_run");
    let mut run_files: Vec<String> = fs::read_dir(&run_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    run_files.sort();
    assert_eq!(run_files, ["lock", "manifest.ndjson", "summary.json"]);
    let manifest = fs::read_to_string(run_dir.join("manifest.ndjson")).unwrap();
    let entries: Vec<serde_json::Value> = manifest
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[1]["file"], "01.json");
    assert_eq!(
        entries[1]["path"],
        dir.path().join("01.txt").to_string_lossy().as_ref()
    );
    assert_eq!(entries[1]["status"], "failed");
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(run_dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(written["files"], 3);
    assert_eq!(written["bytes"], 3);
    assert_eq!(written["status_counts"]["failed"], summary.failed());
    assert_eq!(
        written["confidence_histogram"].as_array().unwrap().len(),
        10
    );
}

#[test]
fn an_unwritable_out_dir_stops_the_run() {
    let dir = corpus(1);
    let blocker = dir.path().join("00.txt");
    let options = BatchOptions {
        out_dir: Some(blocker.join("out")),
        quiet: true,
        ..BatchOptions::default()
    };
    let err = run(&[dir.path()], &options, parser()).unwrap_err();
    assert!(matches!(err, BatchError::CreateOutDir { .. }), "{err}");
    assert!(!err.is_broken_pipe());
}

#[test]
fn a_hung_parse_times_out_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.txt", "b-slow.txt", "c.txt"] {
        fs::write(dir.path().join(name), name).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let ndjson = out.path().join("out.ndjson");
    let mut options = quiet(&ndjson, 1);
    options.limits.parse_timeout = Some(Duration::from_millis(100));
    let started = Instant::now();
    let summary = run(&[dir.path()], &options, fn_extractor(hangs_on_slow)).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the run did not wait for the parse"
    );
    let docs = docs(&fs::read_to_string(&ndjson).unwrap());
    assert_eq!(docs.len(), 3);
    let timed_out = &docs[1];
    assert!(timed_out.source.path.ends_with("b-slow.txt"));
    assert_eq!(
        timed_out.error.as_ref().unwrap().code,
        ErrorCode::ParseTimeout
    );
    assert_eq!(timed_out.source.bytes, "b-slow.txt".len() as u64);
    assert_eq!(summary.failures.len(), 3, "not_iki, parse_timeout, not_iki");
}

#[test]
fn time_spent_reading_is_not_parse_time() {
    // An extractor that reads for 0.4 s (as OCR does, under its own limits) and then parses
    // quickly: a 100 ms parse limit does not apply to the reading.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("scan.txt"), "scan").unwrap();
    let out = tempfile::tempdir().unwrap();
    let ndjson = out.path().join("out.ndjson");
    let mut options = quiet(&ndjson, 1);
    options.limits.parse_timeout = Some(Duration::from_millis(100));
    let reads_slowly: Extractor = Arc::new(|_, path, bytes, clock| {
        clock.reading(|| thread::sleep(Duration::from_millis(400)));
        iki_parser::extract(path, bytes)
    });
    run(&[dir.path()], &options, reads_slowly).unwrap();
    let docs = docs(&fs::read_to_string(&ndjson).unwrap());
    assert_eq!(docs[0].error.as_ref().unwrap().code, ErrorCode::NotIki);
}

#[test]
fn hung_parses_are_replaced_by_spare_threads() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "a.txt",
        "b-slow.txt",
        "c-slow.txt",
        "d.txt",
        "e-slow.txt",
        "f.txt",
    ];
    for name in names {
        fs::write(dir.path().join(name), name).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let ndjson = out.path().join("out.ndjson");
    let mut options = quiet(&ndjson, 1);
    options.limits.parse_timeout = Some(Duration::from_millis(100));
    let started = Instant::now();
    run(&[dir.path()], &options, fn_extractor(hangs_on_slow)).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "three hung parses at -j 1 did not stop the run"
    );
    let timed_out: Vec<bool> = docs(&fs::read_to_string(&ndjson).unwrap())
        .iter()
        .map(|d| {
            d.error
                .as_ref()
                .is_some_and(|e| e.code == ErrorCode::ParseTimeout)
        })
        .collect();
    assert_eq!(timed_out, [false, true, true, false, true, false]);
}

#[test]
fn resume_after_a_torn_write_gives_the_clean_bytes() {
    let dir = corpus(12);
    let out = tempfile::tempdir().unwrap();
    let clean = out.path().join("clean.ndjson");
    run(
        &[dir.path()],
        &quiet(&clean, 2),
        fn_extractor(sometimes_panics),
    )
    .unwrap();
    let clean_bytes = fs::read_to_string(&clean).unwrap();

    // An interrupted run: five whole lines and half of the sixth.
    let torn = out.path().join("torn.ndjson");
    let lines: Vec<&str> = clean_bytes.split_inclusive('\n').collect();
    let mut partial = lines[..5].concat();
    partial.push_str(&lines[5][..lines[5].len() / 2]);
    fs::write(&torn, &partial).unwrap();
    let mut options = quiet(&torn, 2);
    options.resume = true;
    let resumed = run(&[dir.path()], &options, fn_extractor(sometimes_panics)).unwrap();
    assert_eq!(fs::read_to_string(&torn).unwrap(), clean_bytes);
    let clean_summary = run(
        &[dir.path()],
        &quiet(&clean, 1),
        fn_extractor(sometimes_panics),
    )
    .unwrap();
    let untimed = |s: &BatchSummary| BatchSummary {
        elapsed_seconds: 0.0,
        files_per_second: 0.0,
        mb_per_second: 0.0,
        ..s.clone()
    };
    assert_eq!(
        untimed(&resumed),
        untimed(&clean_summary),
        "stats read back from old lines"
    );

    // A changed input in the middle: its line and only its line changes.
    fs::write(dir.path().join("03.txt"), "changed!").unwrap();
    run(&[dir.path()], &options, fn_extractor(sometimes_panics)).unwrap();
    let resumed = fs::read_to_string(&torn).unwrap();
    let fresh = out.path().join("fresh.ndjson");
    run(
        &[dir.path()],
        &quiet(&fresh, 1),
        fn_extractor(sometimes_panics),
    )
    .unwrap();
    assert_eq!(resumed, fs::read_to_string(&fresh).unwrap());
    assert_ne!(resumed, clean_bytes);

    // Fewer inputs than old lines: the extra lines go.
    fs::remove_file(dir.path().join("11.txt")).unwrap();
    run(&[dir.path()], &options, fn_extractor(sometimes_panics)).unwrap();
    assert_eq!(fs::read_to_string(&torn).unwrap().lines().count(), 11);
}

#[test]
fn resume_reuses_out_dir_files_and_removes_stale_temp_files() {
    let dir = corpus(5);
    let out = tempfile::tempdir().unwrap();
    let options = BatchOptions {
        out_dir: Some(out.path().to_path_buf()),
        jobs: 2,
        quiet: true,
        resume: true,
        ..BatchOptions::default()
    };
    run(&[dir.path()], &options, fn_extractor(sometimes_panics)).unwrap();
    let before = fs::read(out.path().join("03.json")).unwrap();
    fs::remove_file(out.path().join("02.json")).unwrap();
    fs::write(out.path().join(".iki-tmp-abc.json"), "{").unwrap();
    // A stand-in that would give a different answer shows which files were re-extracted.
    fn marks(path: &str, bytes: &[u8]) -> IkiDocument {
        let mut doc = sometimes_panics(path, bytes);
        doc.confidence = 0.5;
        doc
    }
    let summary = run(&[dir.path()], &options, fn_extractor(marks)).unwrap();
    assert_eq!(summary.files, 5);
    assert_eq!(
        fs::read(out.path().join("03.json")).unwrap(),
        before,
        "reused as is"
    );
    let redone = fs::read_to_string(out.path().join("02.json")).unwrap();
    assert!(redone.contains("0.5"), "re-extracted: {redone}");
    assert!(!out.path().join(".iki-tmp-abc.json").exists());
}

#[test]
fn resume_to_stdout_is_refused() {
    let dir = corpus(1);
    let options = BatchOptions {
        ndjson: Some(NdjsonTarget::Stdout),
        resume: true,
        quiet: true,
        ..BatchOptions::default()
    };
    let err = run(&[dir.path()], &options, parser()).unwrap_err();
    assert!(matches!(err, BatchError::ResumeStdout), "{err}");
}

fn codes_of(paths: &[&Path], limits: Limits) -> Vec<(String, String)> {
    let out = tempfile::tempdir().unwrap();
    let ndjson = out.path().join("out.ndjson");
    let mut options = quiet(&ndjson, 2);
    options.limits = limits;
    run(paths, &options, parser()).unwrap();
    docs(&fs::read_to_string(&ndjson).unwrap())
        .into_iter()
        .map(|d| {
            let code = d
                .error
                .map_or_else(|| "-".to_string(), |e| e.code.to_string());
            (d.source.path, code)
        })
        .collect()
}

#[test]
fn nested_archives_are_read_one_level_deep() {
    let dir = tempfile::tempdir().unwrap();
    let innermost = zip_bytes(&[("deep.txt", b"deep")]);
    let inner = tar_gz_bytes(&[("a.txt", b"a"), ("deeper.zip", &innermost)]);
    let outer = dir.path().join("outer.zip");
    fs::write(
        &outer,
        zip_bytes(&[("inner.tgz", &inner), ("b.md", b"b"), ("notes.csv", b"x")]),
    )
    .unwrap();
    let codes = codes_of(&[&outer], Limits::default());
    let display = outer.to_string_lossy();
    let want = [
        (
            format!("{display}!/inner.tgz!/a.txt"),
            "empty_file_or_not_iki",
        ),
        (
            format!("{display}!/inner.tgz!/deeper.zip"),
            "archive_too_deep",
        ),
        (format!("{display}!/b.md"), "empty_file_or_not_iki"),
    ];
    assert_eq!(codes.len(), want.len(), "{codes:?}");
    for ((path, code), (want_path, want_code)) in codes.iter().zip(&want) {
        assert_eq!(path, want_path);
        if *want_code != "empty_file_or_not_iki" {
            assert_eq!(code, want_code, "{path}");
        }
    }
}

#[test]
fn a_decompression_bomb_stops_at_the_ratio() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.zip");
    fs::write(&bomb, bomb_zip(&vec![b' '; 1 << 20], 40)).unwrap();
    let codes = codes_of(&[&bomb], Limits::default());
    assert!(codes.len() < 40, "reading stopped early: {}", codes.len());
    let (last_path, last_code) = codes.last().unwrap();
    assert_eq!(last_code, "archive_ratio_exceeded", "{last_path}");

    let limits = Limits {
        max_archive_ratio: 0,
        max_archive_bytes: 3 << 20,
        ..Limits::default()
    };
    let codes = codes_of(&[&bomb], limits);
    assert_eq!(
        codes.len(),
        4,
        "three whole entries, the fourth crosses: {codes:?}"
    );
    assert_eq!(codes[3].1, "archive_too_large");
}

#[test]
fn oversized_entries_and_empty_or_corrupt_archives_are_failed_documents() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.tar.gz");
    fs::write(
        &big,
        tar_gz_bytes(&[("big.txt", &[b'a'; 5000]), ("ok.txt", b"ok")]),
    )
    .unwrap();
    let empty = dir.path().join("empty.zip");
    fs::write(&empty, zip_bytes(&[("readme.csv", b"x")])).unwrap();
    let corrupt = dir.path().join("corrupt.tgz");
    let mut bytes = tar_gz_bytes(&[("a.txt", &[b'a'; 3000]), ("b.txt", b"b")]);
    bytes.truncate(bytes.len() / 2);
    fs::write(&corrupt, bytes).unwrap();
    let limits = Limits {
        max_file_bytes: 4096,
        ..Limits::default()
    };
    let codes = codes_of(&[&big, &empty, &corrupt], limits);
    let codes: Vec<&str> = codes.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(codes[0], "file_too_large");
    assert_ne!(codes[1], "file_too_large");
    assert_eq!(codes[2], "archive_empty");
    assert_eq!(codes.last(), Some(&"archive_truncated"), "{codes:?}");
}

/// The bytes of `zip` before its central directory.
fn without_central_directory(zip: &[u8]) -> Vec<u8> {
    let at = zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    zip[..at].to_vec()
}

#[test]
fn a_zip_without_central_directory_is_read_from_local_headers_data_descriptors_too() {
    let dir = tempfile::tempdir().unwrap();
    let a = "a".repeat(3000);
    let b = "b".repeat(5000);
    let entries: [(&str, &[u8]); 3] = [
        ("a.txt", a.as_bytes()),
        ("skip.csv", b"x"),
        ("sub/b.txt", b.as_bytes()),
    ];
    let plain = dir.path().join("plain.zip");
    fs::write(&plain, without_central_directory(&zip_bytes(&entries))).unwrap();
    let streamed_zip = crate::testing::streamed_zip_bytes(&entries);
    assert_ne!(streamed_zip[6] & 0x8, 0, "the writer uses data descriptors");
    let streamed = dir.path().join("streamed.zip");
    fs::write(&streamed, without_central_directory(&streamed_zip)).unwrap();
    for zip in [&plain, &streamed] {
        let display = zip.to_string_lossy();
        let codes = codes_of(&[zip], Limits::default());
        let paths: Vec<&str> = codes.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [format!("{display}!/a.txt"), format!("{display}!/sub/b.txt")],
            "{codes:?}"
        );
        // Read whole: the parser says "not an IKI form", not a read error.
        assert!(codes.iter().all(|(_, c)| c == "not_iki"), "{codes:?}");
    }
}

#[test]
fn a_zip_cut_inside_an_entry_fails_that_entry_as_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let a = "a".repeat(3000);
    let b: String = (0..20_000)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect();
    let zip = zip_bytes(&[("a.txt", a.as_bytes()), ("b.txt", b.as_bytes())]);
    let cut_at = without_central_directory(&zip).len() - 100;
    let cut = dir.path().join("cut.zip");
    fs::write(&cut, &zip[..cut_at]).unwrap();
    let codes = codes_of(&[&cut], Limits::default());
    let display = cut.to_string_lossy();
    assert_eq!(
        codes,
        [
            (format!("{display}!/a.txt"), "not_iki".to_string()),
            (format!("{display}!/b.txt"), "archive_truncated".to_string())
        ]
    );
}

#[test]
fn an_output_another_process_holds_is_refused() {
    let dir = corpus(1);
    let out = tempfile::tempdir().unwrap();
    let ndjson = out.path().join("out.ndjson");
    fs::write(&ndjson, "kept\n").unwrap();
    let holder = fs::File::open(&ndjson).unwrap();
    holder.try_lock().unwrap();
    let err = run(&[dir.path()], &quiet(&ndjson, 1), parser()).unwrap_err();
    assert!(matches!(err, BatchError::Locked { .. }), "{err}");
    assert_eq!(
        fs::read_to_string(&ndjson).unwrap(),
        "kept\n",
        "not truncated"
    );

    let out_dir = out.path().join("out");
    fs::create_dir_all(out_dir.join("_run")).unwrap();
    let lock = fs::File::create(out_dir.join("_run/lock")).unwrap();
    lock.try_lock().unwrap();
    fs::write(out_dir.join("_run/lock"), "pid 4242: iki extract a\n").unwrap();
    let options = BatchOptions {
        out_dir: Some(out_dir.clone()),
        quiet: true,
        ..BatchOptions::default()
    };
    let err = run(&[dir.path()], &options, parser()).unwrap_err();
    assert!(err.to_string().contains("pid 4242: iki extract a"), "{err}");
}

#[test]
fn a_hard_link_to_a_file_over_the_cap_is_too_large_like_its_target() {
    use crate::testing::{tar_bytes, TarMember};
    let dir = tempfile::tempdir().unwrap();
    let big = vec![b'a'; 5000];
    let tar = dir.path().join("links.tar");
    fs::write(
        &tar,
        tar_bytes(&[
            TarMember::File("big.txt", &big),
            TarMember::HardLink("again.txt", "./big.txt"),
        ]),
    )
    .unwrap();
    let limits = Limits {
        max_file_bytes: 4096,
        ..Limits::default()
    };
    let codes: Vec<String> = codes_of(&[&tar], limits)
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert_eq!(codes, ["file_too_large", "file_too_large"]);
}
