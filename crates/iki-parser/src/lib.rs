//! Parser for Indonesian *Indikator Kinerja Individu* (IKI) forms in OCR / PDF-to-text dumps.
//!
//! The pipeline, one module per step:
//!
//! ```text
//! bytes ──decode──▶ text ──normalize──▶ [Line]            (markup removed, cells split, numbers kept)
//!        ──document──▶ forms                               (titles, "Jabatan" labels)
//!            header  : title, year, heading, label lines, eselon
//!            items   : lettered / numbered lists (inline ones split in sequence)
//!            table   : header row → columns, rows, continuation rows, page-broken fragments
//!              formula, target : the rumus and target cells
//!            signature : date, Mengetahui, position, name (names), NIP (nip)
//!        ──▶ IkiDocument (model) with warnings
//!        ──confidence──▶ every confidence, from the evidence in the document
//! ```
//! Fuzzy vocabulary matching lives in `vocab`; the grammars themselves use nom and are small
//! functions named after their rule.

pub mod classify;
pub mod confidence;
pub mod date;
pub mod decode;
pub mod document;
pub mod flat;
pub mod formula;
pub mod header;
pub mod html_table;
pub mod input;
pub mod items;
pub mod layout;
pub mod names;
pub mod nip;
pub mod normalize;
pub mod scan;
pub mod signature;
pub mod structured;
pub mod table;
pub mod target;
pub mod vocab;

/// The contract types, under the name the parser's modules use.
pub(crate) use iki_model as model;
pub use iki_model::*;

use iki_model::structured::StructuredText;

/// Extract one input file (its display path and raw bytes) into an [`IkiDocument`].
/// Never fails: unreadable or non-IKI input yields `status: "failed"` with an error code.
pub fn extract(path: &str, bytes: &[u8]) -> IkiDocument {
    let decoded = match decode::decode(bytes) {
        Ok(d) => d,
        Err(e) => {
            return failed_document(
                source(path, bytes, SourceFormat::Text, None),
                e.code(),
                e.message(),
            )
        }
    };
    let encoding = Some(decoded.encoding.to_string());
    extract_text(
        source(path, bytes, SourceFormat::Text, encoding),
        &decoded.text,
    )
}

/// Extract decoded text whose `source` the caller describes (a PDF's layout text, an OCR'd
/// page): the source's sha256 and format are the caller's.
pub fn extract_text(source: Source, text: &str) -> IkiDocument {
    let lines = normalize::lines(text);
    let parsed = document::parse(&lines);
    finish(source, parsed, &lines, text)
}

/// Extract a document whose reader already knows its tables' cells (office files, ruled
/// tables from page images): the cells are read as given. Line numbers count the lines of
/// [`structured::render_text`].
pub fn extract_structured(source: Source, doc: &StructuredText) -> IkiDocument {
    if doc.is_blank() {
        return failed_document(source, ErrorCode::EmptyFile, "the document holds no text");
    }
    let text = structured::render_text(doc);
    extract_text(source, &text)
}

fn finish(
    source: Source,
    parsed: document::ParsedText,
    lines: &[normalize::Line],
    text: &str,
) -> IkiDocument {
    if parsed.kind != DocumentKind::Iki || parsed.records.is_empty() {
        let message = match parsed.kind {
            DocumentKind::Iki => "an IKI title was found but no form could be read",
            DocumentKind::Unknown => "the text is not an IKI form",
            _ => "the text is another kind of performance document, not an IKI form",
        };
        let mut doc = failed_document(source, ErrorCode::NotIki, message);
        doc.kind = parsed.kind;
        doc.signatories = parsed.signatories;
        doc.warnings = parsed.warnings;
        return doc;
    }
    let status = if parsed
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
        records: parsed.records,
        signatories: parsed.signatories,
        warnings: parsed.warnings,
    };
    confidence::assess(&mut doc, lines, text);
    doc
}
