//! What a report is built from ([`ReportOptions`]) and what building it did ([`ReportStats`]).

use std::path::PathBuf;

/// Largest part of one source text embedded in the report: 2 MiB.
pub const DEFAULT_MAX_SOURCE_BYTES: usize = 2 * 1024 * 1024;
/// Most lines of one source text shown (a source of blank lines would otherwise make a view of
/// millions of elements).
pub const DEFAULT_MAX_SOURCE_LINES: usize = 50_000;
/// Source texts stop being embedded once this many bytes of them are in the report: 256 MiB.
pub const DEFAULT_MAX_TOTAL_SOURCE_BYTES: u64 = 256 * 1024 * 1024;
/// Documents per page of the list.
pub const DEFAULT_PAGE_SIZE: usize = 100;
/// Values below this confidence are marked for review.
pub const DEFAULT_LOW_CONFIDENCE: f64 = 0.7;

/// How to build a report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The JSON output of `iki eval --json` for the same output directory; enables the
    /// reliability plot and a measured-accuracy column.
    pub eval: Option<PathBuf>,
    /// Resolve each document's `source.path` against this directory instead of the current one.
    pub sources_root: Option<PathBuf>,
    /// Bytes of one source text embedded at most; the rest is cut (and the report says so).
    pub max_source_bytes: usize,
    /// Lines of one source text embedded at most.
    pub max_source_lines: usize,
    /// Bytes of all source texts embedded at most; later documents show no source.
    pub max_total_source_bytes: u64,
    /// Documents per page of the list.
    pub page_size: usize,
    /// Confidence below which a document, record, indicator or signature is marked.
    pub low_confidence: f64,
    /// Page title; defaults to "IKI review: OUT_DIR".
    pub title: Option<String>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            eval: None,
            sources_root: None,
            max_source_bytes: DEFAULT_MAX_SOURCE_BYTES,
            max_source_lines: DEFAULT_MAX_SOURCE_LINES,
            max_total_source_bytes: DEFAULT_MAX_TOTAL_SOURCE_BYTES,
            page_size: DEFAULT_PAGE_SIZE,
            low_confidence: DEFAULT_LOW_CONFIDENCE,
            title: None,
        }
    }
}

/// What went into a report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportStats {
    /// Documents in the report.
    pub documents: usize,
    /// Document JSON files that could not be read and are only listed.
    pub skipped: usize,
    /// Document JSON files an earlier run left in the directory, not shown.
    pub stale: usize,
    /// Documents whose source text is embedded (whole or cut).
    pub sources_embedded: usize,
    /// Documents whose source text was cut at the byte or line limit.
    pub sources_truncated: usize,
    /// Documents whose source file differs from the one extracted (sha256 mismatch).
    pub sources_changed: usize,
    /// Documents shown without a source text (unreadable, never decoded, or over the budget).
    pub sources_missing: usize,
    /// Documents with a measured accuracy from the evaluation file.
    pub evaluated: usize,
    /// Size of the written report.
    pub bytes: u64,
}
