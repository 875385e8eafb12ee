//! The output contract (`docs/contract.md`, v1) as Rust types.
//!
//! Field names and enum spellings are the promise other systems import; the JSON Schema in
//! `schema/iki-document.schema.json` is generated from these types (`iki schema`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::codes::{ErrorCode, WarningCode};

pub const SCHEMA_VERSION: &str = "1";

/// One JSON document per input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IkiDocument {
    pub schema_version: String,
    pub source: Source,
    pub kind: DocumentKind,
    pub status: Status,
    pub error: Option<ErrorInfo>,
    /// Estimated fraction of this document's fields extracted correctly.
    pub confidence: f64,
    pub records: Vec<IkiRecord>,
    pub signatories: Vec<Signatory>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub format: SourceFormat,
    /// Encoding as detected, e.g. "utf-8", "windows-1252"; null when nothing was decoded.
    pub encoding: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    Text,
    Pdf,
    /// A PDF without a text layer, read by OCR.
    PdfOcr,
    /// An image file (PNG, JPEG, TIFF), read by OCR.
    ImageOcr,
    Docx,
    Odt,
    /// Legacy Word, converted by LibreOffice.
    Doc,
    Xlsx,
    Xls,
    Ods,
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Iki,
    Iku,
    PerjanjianKinerja,
    Skp,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Partial,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorInfo {
    /// Stable snake_case code, e.g. "empty_file", "binary_file", "not_iki".
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorInfo {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorInfo {
            code,
            message: message.into(),
        }
    }
}

/// One IKI form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IkiRecord {
    pub span: Span,
    pub heading: Option<String>,
    pub year: Option<i32>,
    pub organization: Option<String>,
    pub jabatan: Option<String>,
    pub eselon: Option<String>,
    pub tugas_pokok: Vec<Item>,
    pub fungsi: Vec<Item>,
    pub tujuan: Vec<Item>,
    pub indikator_tujuan: Vec<Item>,
    pub indicators: Vec<Indicator>,
    /// Indexes into `IkiDocument::signatories` of the blocks that close this form.
    pub signatory_refs: Vec<usize>,
    pub confidence: f64,
    pub warnings: Vec<Warning>,
}

/// 1-based, inclusive lines of the input text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Span {
    pub start_line: usize,
    pub end_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Item {
    /// "a", "1", "3.a"; null for a plain paragraph.
    pub label: Option<String>,
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Indicator {
    pub no: Option<String>,
    pub sasaran: Option<String>,
    pub indikator: String,
    pub rumus: Option<String>,
    pub formula: Option<Formula>,
    pub target: Option<Target>,
    pub sumber_data: Option<String>,
    pub penanggung_jawab: Vec<String>,
    pub line: usize,
    pub confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Formula {
    Ratio {
        numerator: String,
        denominator: String,
        scale: Option<f64>,
        unit: Option<String>,
    },
    Average {
        terms: Vec<String>,
        divisor: f64,
    },
    Count {
        subject: String,
    },
    Text {
        text: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Target {
    pub raw: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Signer,
    Approver,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Signatory {
    pub role: Role,
    pub position: Option<String>,
    pub acting: bool,
    pub name: String,
    pub display_name: String,
    pub degrees: Vec<String>,
    pub nip: Option<String>,
    pub nip_info: Option<NipInfo>,
    pub place: Option<String>,
    /// ISO date, e.g. "2023-02-02".
    pub date: Option<String>,
    pub line: usize,
    pub confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NipInfo {
    /// "YYYY-MM-DD"; null when the digits name no calendar date (see `birth_digits`).
    pub birth_date: Option<String>,
    /// The birth-date digits as printed, "YYYYMMDD".
    pub birth_digits: String,
    /// "YYYY-MM"; null when the digits name no month (see `appointed_digits`).
    pub appointed: Option<String>,
    /// The appointment digits as printed, "YYYYMM".
    pub appointed_digits: String,
    pub gender: Gender,
    pub serial: String,
    /// False when the dates are impossible or the appointment precedes age 18.
    pub plausible: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    /// Stable snake_case code, e.g. "duplicate_row_number", "nip_repaired".
    pub code: WarningCode,
    pub message: String,
    pub line: Option<usize>,
}

impl Warning {
    pub fn new(code: WarningCode, message: impl Into<String>, line: Option<usize>) -> Self {
        Warning {
            code,
            message: message.into(),
            line,
        }
    }
}
