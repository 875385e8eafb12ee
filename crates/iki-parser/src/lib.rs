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

pub mod confidence;
pub mod date;
pub mod decode;
pub mod document;
pub mod flat;
pub mod formula;
pub mod header;
pub mod html_table;
pub mod items;
pub mod layout;
pub mod model;
pub mod names;
pub mod nip;
pub mod normalize;
pub mod signature;
pub mod table;
pub mod target;
pub mod vocab;

pub use model::*;

use sha2::{Digest, Sha256};

/// Extract one input file (its display path and raw bytes) into an [`IkiDocument`].
/// Never fails: unreadable or non-IKI input yields `status: "failed"` with an error code.
pub fn extract(path: &str, bytes: &[u8]) -> IkiDocument {
    let decoded = match decode::decode(bytes) {
        Ok(d) => d,
        Err(e) => return failed_document(path, bytes, None, e.code(), e.message()),
    };
    let lines = normalize::lines(&decoded.text);
    let parsed = document::parse(&lines);
    let encoding = Some(decoded.encoding.to_string());
    if parsed.kind != DocumentKind::Iki || parsed.records.is_empty() {
        let message = match parsed.kind {
            DocumentKind::Iki => "an IKI title was found but no form could be read",
            DocumentKind::Unknown => "the text is not an IKI form",
            _ => "the text is another kind of performance document, not an IKI form",
        };
        let mut doc = failed_document(path, bytes, encoding, "not_iki", message);
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
        source: source(path, bytes, encoding),
        kind: DocumentKind::Iki,
        status,
        error: None,
        confidence: 0.0,
        records: parsed.records,
        signatories: parsed.signatories,
        warnings: parsed.warnings,
    };
    confidence::assess(&mut doc, &lines, &decoded.text);
    doc
}

fn source(path: &str, bytes: &[u8], encoding: Option<String>) -> Source {
    Source {
        path: path.to_string(),
        sha256: format!("{:x}", Sha256::digest(bytes)),
        bytes: bytes.len() as u64,
        format: SourceFormat::Text,
        encoding,
    }
}

/// A failed document for `path` (used by the batch driver for I/O errors and panics too).
pub fn failed_document(
    path: &str,
    bytes: &[u8],
    encoding: Option<String>,
    code: &str,
    message: &str,
) -> IkiDocument {
    IkiDocument {
        schema_version: SCHEMA_VERSION.to_string(),
        source: source(path, bytes, encoding),
        kind: DocumentKind::Unknown,
        status: Status::Failed,
        error: Some(ErrorInfo {
            code: code.to_string(),
            message: message.to_string(),
        }),
        confidence: 0.0,
        records: Vec::new(),
        signatories: Vec::new(),
        warnings: Vec::new(),
    }
}
