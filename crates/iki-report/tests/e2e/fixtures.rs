//! Output directories and reports to test with.

use std::fs;
use std::path::{Path, PathBuf};

use iki_parser::IkiDocument;
use iki_report::{write_report, ReportOptions, ReportStats};
use tempfile::TempDir;

/// The workspace root (corpus, fixtures).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A temporary directory holding `out/` (documents) and `report.html`.
pub struct Fixture {
    pub dir: TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let fixture = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        fs::create_dir(fixture.out()).unwrap();
        fixture
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn report(&self) -> PathBuf {
        self.dir.path().join("report.html")
    }

    pub fn write_doc(&self, stem: &str, doc: &IkiDocument) {
        let json = serde_json::to_string_pretty(doc).unwrap();
        fs::write(self.out().join(format!("{stem}.json")), json).unwrap();
    }

    /// Writes the report with `opts` and returns its stats and text.
    pub fn build(&self, opts: &ReportOptions) -> (ReportStats, String) {
        let stats = write_report(&self.out(), &self.report(), opts).unwrap();
        (stats, fs::read_to_string(self.report()).unwrap())
    }
}

/// The corpus extracted into `out/` with paths relative to the workspace (as `iki extract
/// corpus/ -o out` run there writes them), in file-name order; returns the documents.
pub fn corpus(fixture: &Fixture) -> Vec<IkiDocument> {
    let mut names: Vec<String> = fs::read_dir(workspace().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|name| {
            let bytes = fs::read(workspace().join("corpus").join(name)).unwrap();
            let doc = iki_parser::extract(&format!("corpus/{name}"), &bytes);
            fixture.write_doc(name.trim_end_matches(".txt"), &doc);
            doc
        })
        .collect()
}

/// The run's own files beside `docs` (as written by [`corpus`]): a manifest listing them and
/// a summary, in `out/_run/`.
pub fn write_run_files(fixture: &Fixture, docs: &[IkiDocument]) {
    use iki_model::outdir::{run_file, ManifestEntry, MANIFEST_FILE, RUN_DIR, SUMMARY_FILE};
    fs::create_dir_all(fixture.out().join(RUN_DIR)).unwrap();
    let mut manifest = String::new();
    for doc in docs {
        let stem = doc
            .source
            .path
            .trim_start_matches("corpus/")
            .trim_end_matches(".txt");
        let entry = ManifestEntry {
            file: format!("{stem}.json"),
            path: doc.source.path.clone(),
            sha256: doc.source.sha256.clone(),
            status: doc.status,
        };
        manifest.push_str(&serde_json::to_string(&entry).unwrap());
        manifest.push('\n');
    }
    fs::write(run_file(&fixture.out(), MANIFEST_FILE), manifest).unwrap();
    fs::write(run_file(&fixture.out(), SUMMARY_FILE), "{\"files\": 5}").unwrap();
}

/// Options that resolve source paths against the workspace.
pub fn workspace_options() -> ReportOptions {
    ReportOptions {
        sources_root: Some(workspace()),
        ..ReportOptions::default()
    }
}

/// An `iki eval --json` file of `out/` against the hand-checked fixtures.
pub fn eval_file(fixture: &Fixture) -> PathBuf {
    let report =
        iki_eval::evaluate_dirs(&workspace().join("fixtures/expected"), &fixture.out()).unwrap();
    let path = fixture.dir.path().join("eval.json");
    fs::write(&path, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    path
}

/// Text that must stay text, each piece pointing at `port` on localhost if it ever fetched.
pub fn hostile_strings(port: u16) -> Vec<String> {
    let url = format!("http://127.0.0.1:{port}");
    vec![
        format!("<img src={url}/img onerror=\"document.title='pwned'\">"),
        format!("</script><script>fetch('{url}/script');document.title='pwned'</script>"),
        format!("<!--<script>new Image().src='{url}/comment'</script>-->"),
        format!("<style>body{{background:url({url}/css)}}</style>"),
        format!("<iframe src=\"{url}/iframe\"></iframe><link rel=stylesheet href={url}/link>"),
        format!("\" onmouseover=\"fetch('{url}/attr')\" x=\""),
    ]
}

/// An IKI document (the crafted table fixture) whose source text and extracted values carry
/// [`hostile_strings`], its source written next to `out/`; and a second document whose
/// `source.path` itself is hostile (and does not exist).
pub fn hostile(fixture: &Fixture, port: u16) -> (IkiDocument, IkiDocument) {
    let strings = hostile_strings(port);
    let base = fs::read_to_string(workspace().join("fixtures/crafted/table-quirks.txt")).unwrap();
    let text = format!("{base}\n{}\n", strings.join("\n"));
    let source = fixture.dir.path().join("hostile.txt");
    fs::write(&source, &text).unwrap();
    let mut doc = iki_parser::extract(source.to_str().unwrap(), text.as_bytes());
    assert!(
        !doc.records.is_empty(),
        "the crafted fixture is an IKI form"
    );
    let record = &mut doc.records[0];
    record.jabatan = Some(strings[0].clone());
    record.heading = Some(strings[1].clone());
    record.indicators[0].indikator = strings[2].clone();
    record.indicators[0].confidence = 0.2;
    // A code from another version of iki, shown as written: escaped like any text.
    record.warnings.push(iki_parser::Warning::new(
        iki_parser::WarningCode::Unrecognized("hostile".into()),
        strings[3].clone(),
        Some(2),
    ));
    doc.warnings.push(iki_parser::Warning::new(
        iki_parser::WarningCode::Unrecognized(strings[5].clone()),
        strings[4].clone(),
        Some(1),
    ));
    fixture.write_doc("hostile", &doc);
    let mut lost = iki_parser::extract("x.txt", b"INDIKATOR KINERJA INDIVIDU");
    lost.source.path = format!("{}/{}.txt", fixture.dir.path().display(), strings[0]);
    lost.source.encoding = Some("utf-8".to_string());
    fixture.write_doc("lost-source", &lost);
    (doc, lost)
}

/// `count` copies of the crafted table document under distinct names and confidences, all
/// sharing one source file; returns the confidences in file-name order.
pub fn many(fixture: &Fixture, count: usize) -> Vec<f64> {
    let source = workspace().join("fixtures/crafted/table-quirks.txt");
    let bytes = fs::read(&source).unwrap();
    let template = iki_parser::extract(source.to_str().unwrap(), &bytes);
    (0..count)
        .map(|i| {
            let mut doc = template.clone();
            doc.confidence = ((i * 7919) % 1000) as f64 / 1000.0;
            fixture.write_doc(&format!("doc-{i:05}"), &doc);
            doc.confidence
        })
        .collect()
}
