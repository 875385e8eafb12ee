//! Parser for Indonesian *Indikator Kinerja Individu* (IKI) forms in OCR / PDF-to-text dumps,
//! and in documents whose tables' cells are given (office files, ruled page images).
//!
//! The pipeline, one layer per step, each owning one thing:
//!
//! ```text
//! bytes ──decode──▶ text ──input──▶ source lines        (line ends, HTML rows as given cells)
//! StructuredText ─────input──▶ source lines             (rows as given cells, spans laid out)
//!   ──scan──▶ line model        (one compact record per line: cells, words, columns, folded text)
//!   ──classify──▶ facts         (title, label, header, signature line, furniture ...; vocab)
//!   ──assemble──▶ forms         (title block, fields and lists, table, signature area)
//!        readers   : the table in any segmentation, scored; rows → indicators
//!        signatures: blocks from the classified lines
//!        grammars  : date, nip, names, formula, target, items, header (nom leaves)
//!   ──confidence──▶ every confidence, from typed evidence and the readers' provenance
//! ```
//! Fuzzy vocabulary matching lives in `vocab`, behind `classify`'s cheap gates.

pub mod assemble;
pub mod classify;
pub mod confidence;
pub mod date;
pub mod decode;
pub mod delimited;
pub mod formula;
pub mod header;
pub mod html_table;
pub mod input;
pub mod items;
pub mod markup;
pub mod names;
pub mod nip;
pub mod paragraph;
pub mod readers;
pub mod scan;
pub mod signatures;
pub mod target;
pub mod vocab;

/// The contract types, under the name the parser's modules use.
pub(crate) use iki_model as model;
pub use iki_model::*;

use iki_model::structured::StructuredText;

use crate::assemble::{Assembled, TableProvenance};
use crate::classify::{classify, View};
use crate::input::SourceLine;
use crate::scan::Scan;

/// Extract one input file (its display path and raw bytes) into an [`IkiDocument`].
/// Never fails: unreadable or non-IKI input yields `status: "failed"` with an error code.
pub fn extract(path: &str, bytes: &[u8]) -> IkiDocument {
    match decode::decode(bytes) {
        Ok(decoded) => {
            let encoding = Some(decoded.encoding.to_string());
            extract_text(
                source(path, bytes, SourceFormat::Text, encoding),
                &decoded.text,
            )
        }
        Err(e) => failed_document(
            source(path, bytes, SourceFormat::Text, None),
            e.code(),
            e.message(),
        ),
    }
}

/// Extract decoded text whose `source` the caller describes (a PDF's layout text, an OCR'd
/// page): the source's sha256 and format are the caller's.
pub fn extract_text(source: Source, text: &str) -> IkiDocument {
    let (doc, _) = read(source, &input::from_text(text));
    doc
}

/// Extract a document whose reader already knows its tables' cells (office files, ruled
/// tables from page images): the cells are read as given. Line numbers count the lines of
/// [`input::render_text`].
pub fn extract_structured(source: Source, doc: &StructuredText) -> IkiDocument {
    if doc.is_blank() {
        return failed_document(source, ErrorCode::EmptyFile, "the document holds no text");
    }
    let (doc, _) = read(source, &input::from_structured(doc));
    doc
}

/// [`extract`] with the evidence its confidence was computed from (calibration).
pub fn extract_with_evidence(path: &str, bytes: &[u8]) -> (IkiDocument, Vec<confidence::Found>) {
    let Ok(decoded) = decode::decode(bytes) else {
        return (extract(path, bytes), Vec::new());
    };
    let encoding = Some(decoded.encoding.to_string());
    let src = source(path, bytes, SourceFormat::Text, encoding);
    let (doc, tables) = read(src, &input::from_text(&decoded.text));
    let found = confidence::find(&doc, &tables);
    (doc, found)
}

/// How each record's table of a text was read (tests of the confidence model).
#[cfg(test)]
pub(crate) fn tables_of(bytes: &[u8]) -> Vec<Option<TableProvenance>> {
    let text = decode::decode(bytes).map(|d| d.text).unwrap_or_default();
    read(
        source("t", bytes, SourceFormat::Text, None),
        &input::from_text(&text),
    )
    .1
}

/// Read source lines into a document, with each record's table provenance.
fn read(source: Source, lines: &[SourceLine<'_>]) -> (IkiDocument, Vec<Option<TableProvenance>>) {
    let scan = Scan::new(lines);
    let classified = classify(&scan);
    let view = View {
        scan: &scan,
        c: &classified,
    };
    let assembled = assemble::assemble(&view);
    finish(source, assembled)
}

fn finish(source: Source, a: Assembled) -> (IkiDocument, Vec<Option<TableProvenance>>) {
    if a.kind != DocumentKind::Iki || a.records.is_empty() {
        let message = match a.kind {
            DocumentKind::Iki => "an IKI title was found but no form could be read",
            DocumentKind::Unknown => "the text is not an IKI form",
            _ => "the text is another kind of performance document, not an IKI form",
        };
        let mut doc = failed_document(source, ErrorCode::NotIki, message);
        doc.kind = a.kind;
        doc.signatories = a.signatories;
        doc.warnings = a.warnings;
        return (doc, Vec::new());
    }
    let status = if a
        .records
        .iter()
        .all(|r| !r.indicators.is_empty() && r.jabatan.is_some())
    {
        Status::Ok
    } else {
        Status::Partial
    };
    let mut doc = IkiDocument {
        schema_version: SCHEMA_VERSION.to_string(),
        source,
        kind: DocumentKind::Iki,
        status,
        error: None,
        confidence: 0.0,
        records: a.records,
        signatories: a.signatories,
        warnings: a.warnings,
    };
    confidence::assess(&mut doc, &a.tables);
    (doc, a.tables)
}
