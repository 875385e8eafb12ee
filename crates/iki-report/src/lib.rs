//! A self-contained HTML review report of an `iki extract -o OUT_DIR` directory.
//!
//! [`write_report`] reads the document JSON files the directory's last run wrote (its
//! manifest says which; documents an earlier run left there are counted as stale, not shown)
//! and the source text each came from, and writes one HTML file that needs nothing else: no network,
//! no external scripts, styles or fonts. A reviewer sees the totals, a confidence histogram and
//! (given an `iki eval --json` file) a reliability plot, then the documents lowest confidence
//! first, paginated; opening one shows its extracted records beside its source lines, each
//! value linked to the lines it came from, low-confidence values and warnings marked.
//!
//! ```text
//! OUT_DIR/*.json ──load──▶ IkiDocument ──index──▶ IndexEntry + Totals        (list, overview)
//!        source.path ──source──▶ SourceView ─┐
//!        IkiDocument ────────────────────────┴──escape──▶ data block d{N}  (scratch file)
//! eval JSON ──eval──▶ Accuracy ──▶ reliability bins ──svg──▶ charts
//! html: head + overview + index block + page script + data blocks ──▶ dest (atomic rename)
//! ```
//!
//! It stays usable at 10,000 documents because the list only reads the small index block and
//! the page script parses a document's data block only when that document is opened. Data
//! blocks are JSON with `<`, `>` and `&` escaped (see [`escape`]), the page script puts
//! document text into the DOM only as text, and a Content-Security-Policy forbids any request.

mod error;
pub mod escape;
pub mod eval;
mod html;
pub mod index;
mod load;
mod options;
pub mod pagination;
pub mod source;
pub mod svg;

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::path::Path;

use iki_model::IkiDocument;
use serde::Serialize;

pub use error::{DocumentError, ReportError};
pub use eval::Accuracy;
pub use html::content_security_policy;
pub use index::{IndexEntry, Totals};
pub use load::{document_files, load_document, DocumentFile, DocumentFiles};
pub use options::*;
pub use source::{SourceLimits, SourceView};

/// Writes the report of `out_dir` to `dest` (replaced atomically: a reader never sees half a
/// report) and says what went into it.
pub fn write_report(
    out_dir: &Path,
    dest: &Path,
    opts: &ReportOptions,
) -> Result<ReportStats, ReportError> {
    let documents = load::document_files(out_dir)?;
    let accuracy = opts.eval.as_deref().map(Accuracy::read).transpose()?;
    let write_error = |source| ReportError::Write {
        path: dest.to_path_buf(),
        source,
    };
    let dir = parent_dir(dest);
    let mut builder = Builder::new(
        opts,
        accuracy.as_ref(),
        tempfile::tempfile_in(dir).map_err(write_error)?,
    );
    for file in &documents.files {
        builder.add(file).map_err(write_error)?;
    }
    let listing = documents.listing;
    builder.stats.stale = listing.stale.len();
    builder.totals.stale = listing.stale;
    builder.totals.missing = listing.missing;
    builder.totals.unfinished = listing.run == iki_model::outdir::RunState::Unfinished;
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| format!("IKI review: {}", out_dir.display()));
    let info = html::PageInfo {
        title: &title,
        out_dir: &out_dir.display().to_string(),
        page_size: opts.page_size.max(1),
        low: opts.low_confidence,
        accuracy: accuracy.as_ref(),
        max_source_mib: opts.max_source_bytes.div_ceil(1024 * 1024),
    };
    let mut stats = builder.stats.clone();
    stats.bytes = assemble(dest, dir, &info, builder).map_err(write_error)?;
    Ok(stats)
}

/// The directory a file is written in ("." for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// The data of one document's block.
#[derive(Serialize)]
struct DataBlock<'a> {
    doc: &'a IkiDocument,
    source: &'a SourceView,
}

/// The index block: what the page script needs for the list.
#[derive(Serialize)]
struct IndexBlock<'a> {
    config: Config,
    docs: &'a [IndexEntry],
    /// Document ids in review order (see [`pagination::review_order`]).
    order: Vec<usize>,
}

#[derive(Serialize)]
struct Config {
    page_size: usize,
    low: f64,
    has_eval: bool,
}

/// Folds the documents, one at a time, into index entries, totals and data blocks (written to
/// a scratch file, so memory holds one document at a time whatever the directory's size).
struct Builder<'a> {
    opts: &'a ReportOptions,
    accuracy: Option<&'a Accuracy>,
    blocks: BufWriter<File>,
    entries: Vec<IndexEntry>,
    totals: Totals,
    stats: ReportStats,
    source_bytes: u64,
}

impl<'a> Builder<'a> {
    fn new(opts: &'a ReportOptions, accuracy: Option<&'a Accuracy>, scratch: File) -> Self {
        Builder {
            opts,
            accuracy,
            blocks: BufWriter::new(scratch),
            entries: Vec::new(),
            totals: Totals::default(),
            stats: ReportStats::default(),
            source_bytes: 0,
        }
    }

    fn add(&mut self, file: &DocumentFile) -> io::Result<()> {
        let doc = match load::load_document(&file.path) {
            Ok(doc) => doc,
            Err(err) => {
                self.skip(file, &err);
                return Ok(());
            }
        };
        let id = self.entries.len();
        let source = self.source_view(&doc);
        let mut entry = IndexEntry::of(id, &file.name, &doc, self.opts.low_confidence);
        entry.source = source.state();
        entry.accuracy = self.accuracy.and_then(|a| a.of(&file.name));
        self.count(&entry, &source);
        self.totals.add(&entry, &doc, self.opts.low_confidence);
        let json = escape::script_json(&DataBlock {
            doc: &doc,
            source: &source,
        })
        .map_err(io::Error::other)?;
        self.blocks
            .write_all(html::data_block(id, &json).as_bytes())?;
        self.entries.push(entry);
        Ok(())
    }

    fn skip(&mut self, file: &DocumentFile, err: &DocumentError) {
        self.stats.skipped += 1;
        self.totals.skipped.push(index::Skipped {
            name: format!("{}.json", file.name),
            reason: err.to_string(),
        });
    }

    /// The document's source, unless the report already holds its budget of source text.
    fn source_view(&mut self, doc: &IkiDocument) -> SourceView {
        if self.source_bytes >= self.opts.max_total_source_bytes {
            return SourceView::missing(format!(
                "not embedded: the report already holds {} MiB of source text, its limit",
                self.opts.max_total_source_bytes / (1024 * 1024)
            ));
        }
        let limits = SourceLimits {
            max_bytes: self.opts.max_source_bytes,
            max_lines: self.opts.max_source_lines.max(1),
        };
        let view = source::source_view(doc, self.opts.sources_root.as_deref(), limits);
        self.source_bytes += view.embedded_bytes() as u64;
        view
    }

    fn count(&mut self, entry: &IndexEntry, source: &SourceView) {
        let stats = &mut self.stats;
        stats.documents += 1;
        stats.evaluated += usize::from(entry.accuracy.is_some());
        match source {
            SourceView::Missing { .. } => stats.sources_missing += 1,
            SourceView::Shown {
                truncated, changed, ..
            } => {
                stats.sources_embedded += 1;
                stats.sources_truncated += usize::from(truncated.is_some());
                stats.sources_changed += usize::from(*changed);
            }
        }
    }

    fn index_json(&self) -> io::Result<String> {
        let block = IndexBlock {
            config: Config {
                page_size: self.opts.page_size.max(1),
                low: self.opts.low_confidence,
                has_eval: self.accuracy.is_some(),
            },
            docs: &self.entries,
            order: pagination::review_order(&self.entries),
        };
        escape::script_json(&block).map_err(io::Error::other)
    }
}

/// Writes the page to a temporary file next to `dest` and renames it over `dest`; returns the
/// size written.
fn assemble(dest: &Path, dir: &Path, info: &html::PageInfo, builder: Builder) -> io::Result<u64> {
    let index_json = builder.index_json()?;
    let mut scratch = builder.blocks.into_inner().map_err(|e| e.into_error())?;
    scratch.rewind()?;
    let mut temp = tempfile::Builder::new();
    // A report is for sharing: the mode the umask gives, not a temporary file's private one.
    #[cfg(unix)]
    temp.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut out = BufWriter::new(temp.tempfile_in(dir)?);
    out.write_all(html::head_and_body(info, &builder.totals).as_bytes())?;
    out.write_all(html::index_and_script(&index_json).as_bytes())?;
    io::copy(&mut scratch, &mut out)?;
    out.write_all(html::END.as_bytes())?;
    let tmp = out.into_inner().map_err(|e| e.into_error())?;
    let bytes = tmp.as_file().metadata()?.len();
    tmp.persist(dest).map_err(|e| e.error)?;
    Ok(bytes)
}
