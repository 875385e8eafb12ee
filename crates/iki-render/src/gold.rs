//! The gold document as the renderer reads it: a light, lenient view of a
//! `fixtures/expected/*.json` file.
//!
//! Gold files leave out keys that cannot be checked by reading (`confidence`, `line`, ...), so
//! every field here has a default, and the parsed `Value` is kept beside the view: it is the
//! answer of every rendering (adjusted only where a family must change it, see the crate docs).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

/// Why a gold file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a gold document: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
}

/// A gold document.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDoc {
    #[serde(default)]
    pub records: Vec<GoldRecord>,
    #[serde(default)]
    pub signatories: Vec<GoldSignatory>,
    /// The gold JSON as read.
    #[serde(skip)]
    pub value: Value,
}

/// One IKI form of a gold document.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GoldRecord {
    pub heading: Option<String>,
    pub year: Option<i32>,
    pub organization: Option<String>,
    pub jabatan: Option<String>,
    pub eselon: Option<String>,
    pub tugas_pokok: Vec<GoldItem>,
    pub fungsi: Vec<GoldItem>,
    pub tujuan: Vec<GoldItem>,
    pub indikator_tujuan: Vec<GoldItem>,
    pub indicators: Vec<GoldIndicator>,
    pub signatory_refs: Vec<usize>,
}

/// One list item: its printed marker without the dot ("a", "3.a") and its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct GoldItem {
    pub label: Option<String>,
    pub text: String,
}

/// One indicator row.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GoldIndicator {
    pub no: Option<String>,
    pub sasaran: Option<String>,
    pub indikator: String,
    pub rumus: Option<String>,
    pub target: Option<GoldTarget>,
    pub formula: Option<GoldFormula>,
    pub sumber_data: Option<String>,
    pub penanggung_jawab: Vec<String>,
}

/// The parts of a formula the renderer prints as a fraction (family 15); other kinds keep
/// only their `kind`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GoldFormula {
    pub kind: String,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub scale: Option<f64>,
    pub unit: Option<String>,
}

/// A target cell as printed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GoldTarget {
    pub raw: String,
}

/// Who signs: the block's role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoldRole {
    #[default]
    Signer,
    Approver,
}

/// One signature block.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GoldSignatory {
    pub role: GoldRole,
    pub position: Option<String>,
    pub acting: bool,
    pub name: String,
    pub display_name: String,
    pub nip: Option<String>,
    pub place: Option<String>,
    /// ISO date "2023-02-02".
    pub date: Option<String>,
}

impl GoldSignatory {
    /// The name line as printed (the display name, else the plain name).
    pub fn name_line(&self) -> &str {
        if self.display_name.trim().is_empty() {
            &self.name
        } else {
            &self.display_name
        }
    }
}

impl GoldDoc {
    /// Reads the view of a gold JSON value, keeping the value.
    pub fn from_value(value: Value) -> Result<GoldDoc, serde_json::Error> {
        let mut doc: GoldDoc = serde_json::from_value(value.clone())?;
        doc.value = value;
        Ok(doc)
    }

    /// Reads a gold file.
    pub fn from_path(path: &Path) -> Result<GoldDoc, GoldError> {
        let text = std::fs::read_to_string(path).map_err(|source| GoldError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let json = |source| GoldError::Json {
            path: path.to_path_buf(),
            source,
        };
        let value: Value = serde_json::from_str(&text).map_err(json)?;
        GoldDoc::from_value(value).map_err(json)
    }
}

/// The gold files of a directory (`*.json`), sorted by file name, with their stems.
pub fn load_dir(dir: &Path) -> Result<Vec<(String, GoldDoc)>, GoldError> {
    let io = |source| GoldError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            GoldDoc::from_path(&p).map(|doc| (stem, doc))
        })
        .collect()
}
