//! The report as text: self-contained, one data block per document that gives back exactly
//! the document, hostile text escaped everywhere.

use std::fs;

use iki_report::{write_report, ReportError, ReportOptions};
use serde_json::Value;

use crate::fixtures::{self, Fixture};

/// The data blocks `(id, json)` of a report, in page order.
pub fn data_blocks(html: &str) -> Vec<(usize, Value)> {
    let open = "<script type=\"application/json\" id=\"d";
    html.match_indices(open)
        .map(|(at, _)| {
            let rest = &html[at + open.len()..];
            let quote = rest.find('"').unwrap();
            let body_start = rest.find('>').unwrap() + 1;
            let body_end = rest.find("</script>").unwrap();
            let id = rest[..quote].parse().unwrap();
            (
                id,
                serde_json::from_str(&rest[body_start..body_end]).unwrap(),
            )
        })
        .collect()
}

/// The report with the contents of every JSON block removed: markup, CSS, SVG and script.
pub fn without_data(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script type=\"application/json\"") {
        let body_start = at + rest[at..].find('>').unwrap() + 1;
        out.push_str(&rest[..body_start]);
        let end = body_start + rest[body_start..].find("</script>").unwrap();
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Nothing outside the data blocks refers to anything: no URL, no `src`, no stylesheet link,
/// no CSS import, in any tag; where data is rendered as text (warning codes, file names),
/// a URL may appear, escaped, only in text.
/// The document as its JSON file holds it (floats as they parse back).
fn written(fixture: &Fixture, doc: &iki_parser::IkiDocument) -> Value {
    let name = fs::read_dir(fixture.out())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .find(|p| {
            let text = fs::read_to_string(p).unwrap();
            serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v["source"]["path"].as_str().map(String::from))
                == Some(doc.source.path.clone())
        })
        .unwrap();
    serde_json::from_str(&fs::read_to_string(name).unwrap()).unwrap()
}

fn assert_self_contained(html: &str) {
    let shell = without_data(html).to_ascii_lowercase();
    for tag in tags(&shell) {
        for bad in [
            "http:", "https:", "src=", "href=\"/", "href=\"h", "url(", "@import",
        ] {
            assert!(!tag.contains(bad), "{bad} in {tag}");
        }
    }
    for bad in [
        "<img",
        "<iframe",
        "<link",
        "<object",
        "<embed",
        "<base",
        "<meta http-equiv=\"refresh",
    ] {
        assert!(!shell.contains(bad), "{bad} outside the data blocks");
    }
    assert!(html.contains("Content-Security-Policy\" content=\"default-src &#39;none&#39;"));
}

/// Everything from a `<` to the next `>` (tags, and harmless bits of script and style).
fn tags(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        tags.push(&rest[start..end]);
        rest = &rest[end..];
    }
    tags
}

#[test]
fn corpus_report_is_self_contained_and_complete() {
    let fixture = Fixture::new();
    let docs = fixtures::corpus(&fixture);
    // What `iki extract -o` writes besides the documents, and a document an earlier run left.
    fixtures::write_run_files(&fixture, &docs);
    let stale = &docs[0];
    fixture.write_doc("from-an-earlier-run", stale);
    let opts = ReportOptions {
        eval: Some(fixtures::eval_file(&fixture)),
        ..fixtures::workspace_options()
    };
    let (stats, html) = fixture.build(&opts);
    assert_eq!(stats.documents, docs.len());
    assert_eq!((stats.skipped, stats.sources_missing), (0, 0));
    assert_eq!(
        stats.stale, 1,
        "the earlier run's document is counted, not shown"
    );
    assert!(html.contains("from-an-earlier-run.json"));
    assert_eq!(stats.sources_embedded, docs.len());
    assert_eq!(stats.evaluated, docs.len());
    assert_eq!(stats.bytes, html.len() as u64);
    assert_self_contained(&html);
    let shell = without_data(&html).to_ascii_lowercase();
    assert!(
        !shell.contains("http:") && !shell.contains("https:"),
        "no URL at all"
    );
    let blocks = data_blocks(&html);
    assert_eq!(blocks.len(), docs.len());
    for ((id, block), doc) in blocks.iter().zip(&docs) {
        assert_eq!(block["doc"], written(&fixture, doc), "document {id}");
        let source = fs::read_to_string(fixtures::workspace().join(&doc.source.path)).unwrap();
        let expected = source.replace("\r\n", "\n").replace('\r', "\n");
        assert_eq!(
            block["source"]["text"],
            Value::String(expected),
            "source of {id}"
        );
        assert_eq!(block["source"]["changed"], Value::Bool(false));
    }
    assert!(html.contains("class=\"bin\""), "reliability plot");
    assert!(html.contains("ECE "));
    assert_eq!(html.matches("<script").count(), 2 + docs.len());
}

#[test]
fn without_eval_the_report_shows_the_histogram_and_a_note() {
    let fixture = Fixture::new();
    fixtures::corpus(&fixture);
    let (stats, html) = fixture.build(&fixtures::workspace_options());
    assert_eq!(stats.evaluated, 0);
    assert!(html.contains("No reliability plot"));
    assert!(html.contains("class=\"bar"));
    assert!(!html.contains("class=\"bin\""));
}

#[test]
fn sources_resolve_against_the_current_directory_or_report_missing() {
    let fixture = Fixture::new();
    fixtures::corpus(&fixture);
    // Paths are "corpus/..." and the tests run in the crate directory: no source found.
    let (stats, html) = fixture.build(&ReportOptions::default());
    assert_eq!(stats.sources_missing, stats.documents);
    for (_, block) in data_blocks(&html) {
        let reason = block["source"]["missing"].as_str().unwrap();
        assert!(reason.starts_with("corpus/"), "{reason}");
    }
    assert!(html.contains(" not available"));
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let fixture = Fixture::new();
    let (doc, lost) = fixtures::hostile(&fixture, 9);
    let (stats, html) = fixture.build(&ReportOptions::default());
    assert_eq!(stats.documents, 2);
    assert_eq!(stats.sources_missing, 1);
    assert_self_contained(&html);
    assert_eq!(
        html.matches("<script").count(),
        4,
        "no script element from text"
    );
    for bad in ["<style>body", "<!--<script", "onerror=\"", "onmouseover=\""] {
        assert!(!html.contains(bad), "{bad}");
    }
    let blocks = data_blocks(&html);
    assert_eq!(blocks[0].1["doc"], written(&fixture, &doc));
    assert_eq!(blocks[1].1["doc"], written(&fixture, &lost));
    let text = blocks[0].1["source"]["text"].as_str().unwrap();
    for hostile in fixtures::hostile_strings(9) {
        assert!(text.contains(&hostile), "source text kept verbatim");
    }
    assert!(blocks[1].1["source"]["missing"]
        .as_str()
        .unwrap()
        .contains("<img src="));
}

#[test]
fn a_broken_document_is_listed_as_skipped() {
    let fixture = Fixture::new();
    fixtures::corpus(&fixture);
    fs::write(fixture.out().join("broken.json"), "{\"status\": \"ok\"").unwrap();
    fs::write(fixture.out().join("<b>x<b>.json"), "[]").unwrap();
    let (stats, html) = fixture.build(&fixtures::workspace_options());
    assert_eq!((stats.documents, stats.skipped), (5, 2));
    assert!(html.contains("2 files of the output directory could not be read"));
    assert!(html.contains("<code>broken.json</code>"));
    assert!(html.contains("&lt;b&gt;x&lt;b&gt;.json"));
}

#[test]
fn source_limits_cut_and_omit_sources() {
    let fixture = Fixture::new();
    fixtures::corpus(&fixture);
    let opts = ReportOptions {
        max_source_bytes: 1000,
        ..fixtures::workspace_options()
    };
    let (stats, html) = fixture.build(&opts);
    assert_eq!(stats.sources_truncated, stats.documents);
    for (_, block) in data_blocks(&html) {
        assert!(block["source"]["text"].as_str().unwrap().len() <= 1000);
        assert!(block["source"]["truncated"]
            .as_str()
            .unwrap()
            .contains("only the first"));
    }
    let opts = ReportOptions {
        max_total_source_bytes: 1,
        ..fixtures::workspace_options()
    };
    let (stats, html) = fixture.build(&opts);
    assert_eq!(
        (stats.sources_embedded, stats.sources_missing),
        (1, stats.documents - 1)
    );
    let last = &data_blocks(&html)[stats.documents - 1].1;
    assert!(last["source"]["missing"]
        .as_str()
        .unwrap()
        .contains("limit"));
}

#[test]
fn fatal_errors_name_their_path() {
    let fixture = Fixture::new();
    let missing = fixture.dir.path().join("nope");
    let err = write_report(&missing, &fixture.report(), &ReportOptions::default()).unwrap_err();
    assert!(matches!(err, ReportError::ReadDir { .. }), "{err}");
    let err =
        write_report(&fixture.out(), &fixture.report(), &ReportOptions::default()).unwrap_err();
    assert!(matches!(err, ReportError::NoDocuments { .. }), "{err}");
    fixtures::corpus(&fixture);
    let eval = fixture.dir.path().join("eval.json");
    fs::write(&eval, "{\"not\": \"an eval\"}").unwrap();
    let opts = ReportOptions {
        eval: Some(eval.clone()),
        ..ReportOptions::default()
    };
    let err = write_report(&fixture.out(), &fixture.report(), &opts).unwrap_err();
    assert!(matches!(err, ReportError::ParseEval { .. }), "{err}");
    assert!(err.to_string().contains("eval.json"));
    assert!(!fixture.report().exists(), "no half report");
    let dest = fixture.dir.path().join("no-such-dir/report.html");
    let err = write_report(&fixture.out(), &dest, &ReportOptions::default()).unwrap_err();
    assert!(matches!(err, ReportError::Write { .. }), "{err}");
}
