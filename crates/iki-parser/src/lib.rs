//! Parser for Indonesian *Indikator Kinerja Individu* (IKI) forms in OCR / PDF-to-text dumps.

pub mod model;

pub use model::*;

/// Extract one input file (its display path and raw bytes) into an [`IkiDocument`].
/// Never fails: unreadable or non-IKI input yields `status: "failed"` with an error code.
pub fn extract(path: &str, bytes: &[u8]) -> IkiDocument {
    failed_document(path, bytes, None, "not_implemented", "parser not implemented yet")
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
        source: Source {
            path: path.to_string(),
            sha256: String::new(),
            bytes: bytes.len() as u64,
            format: SourceFormat::Text,
            encoding,
        },
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
