//! The vocabulary every iki crate shares, and nothing else:
//!
//! - [`document`]: the output contract (`docs/contract.md`) as Rust types, `IkiDocument` down to
//!   `Warning`; the JSON Schema is generated from them.
//! - [`clock`]: which of an extractor's time is parsing (the batch's parse timeout).
//! - [`codes`]: warning and error codes as typed enums with their stable spellings.
//! - [`format`]: what an input file is, by content and by name.
//! - [`outdir`]: the layout of an `iki extract -o` directory (documents, manifest, summary, lock).
//! - [`structured`]: the explicit-cells input that readers of office files, HTML and ruled
//!   page images hand to the parser.
//!
//! The batch driver, the evaluator, the report and the PDF reader depend on this crate, not
//! on the parser.

pub mod clock;
pub mod codes;
pub mod document;
pub mod format;
pub mod outdir;
pub mod structured;
#[doc(hidden)]
pub mod testing;

pub use codes::{ErrorCode, WarningCode};
pub use document::*;
pub use format::InputFormat;

use sha2::{Digest, Sha256};

/// The `source` of a document read from `bytes` at `path`.
pub fn source(path: &str, bytes: &[u8], format: SourceFormat, encoding: Option<String>) -> Source {
    Source {
        path: path.to_string(),
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
        format,
        encoding,
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// A failed document: nothing extracted, `error` says why.
pub fn failed_document(source: Source, code: ErrorCode, message: impl Into<String>) -> IkiDocument {
    IkiDocument {
        schema_version: SCHEMA_VERSION.to_string(),
        source,
        kind: DocumentKind::Unknown,
        status: Status::Failed,
        error: Some(ErrorInfo::new(code, message)),
        confidence: 0.0,
        records: Vec::new(),
        signatories: Vec::new(),
        warnings: Vec::new(),
    }
}
