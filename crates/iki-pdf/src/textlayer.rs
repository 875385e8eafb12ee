//! The text layer, in process: load the PDF (lopdf, through pdf-extract), refuse what is
//! encrypted, empty or too big, then read page by page through the [`Collector`].
//!
//! Checks done here before pdf-extract sees a page: a `%PDF-` header, decryption with the
//! empty password, the page tree walked with a visited set (a loop or a node reached twice is
//! `pdf_corrupt`; lopdf's own walk would only stop at its object count), and the claimed and
//! real page counts against [`Options::max_pages`], and form XObjects that draw themselves or
//! nest too deeply (`crate::xobjects`). Each page runs under `catch_unwind`, so a
//! panic on one page costs that page only. What no check can stop — a stack overflow deep in
//! the library — is why callers with untrusted files use [`crate::extract_isolated`].

use crate::collect::Collector;
use crate::error::PdfError;
use crate::fonts::normalize_cid_widths;
use crate::layout::GlyphKind;
use crate::page::Page;
use crate::text::{assemble, PdfText, PdfWarning, TextOrigin};
use crate::xobjects::check_forms;
use iki_model::WarningCode;
use pdf_extract::{Document, Object, ObjectId};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Deepest page tree accepted.
const MAX_TREE_DEPTH: usize = 64;

/// Limits on what one PDF may hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    /// More pages than this is `pdf_too_large`.
    pub max_pages: usize,
    /// More glyphs than this (whole document) is `pdf_too_large`.
    pub max_glyphs: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_pages: 2_000,
            max_glyphs: 5_000_000,
        }
    }
}

/// Layout text of a PDF's text layer, with the default [`Options`].
///
/// Runs the PDF library in this process: a hostile file can still overflow the stack, so
/// untrusted input goes through [`crate::extract_isolated`] instead.
pub fn layout_text(bytes: &[u8]) -> Result<PdfText, PdfError> {
    layout_text_with(bytes, &Options::default())
}

/// [`layout_text`] with explicit limits.
pub fn layout_text_with(bytes: &[u8], options: &Options) -> Result<PdfText, PdfError> {
    let (pages, warnings) = text_layer_pages(bytes, options)?;
    let failed: Vec<&PdfWarning> = warnings
        .iter()
        .filter(|w| w.code == WarningCode::PdfPageFailed)
        .collect();
    if !pages.is_empty() && failed.len() == pages.len() {
        return Err(PdfError::Corrupt(format!(
            "the PDF library failed on every page; first: {}",
            failed[0].message
        )));
    }
    assemble(&pages, GlyphKind::Letters, TextOrigin::TextLayer, warnings)
}

/// The positioned glyphs and rules of every page, before layout (for inspection and tests).
pub fn text_layer_pages(
    bytes: &[u8],
    options: &Options,
) -> Result<(Vec<Page>, Vec<PdfWarning>), PdfError> {
    let doc = load(bytes)?;
    let pages = page_ids(&doc, options.max_pages)?;
    guarded("checking form XObjects", || check_forms(&doc, &pages))??;
    read_pages(&doc, pages.len(), options)
}

/// Parse and decrypt (empty password only).
pub(crate) fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::Corrupt(
            "not a PDF: no %PDF- header in the first 1024 bytes".to_string(),
        ));
    }
    let mut doc = guarded("loading", || Document::load_mem(bytes))?.map_err(load_error)?;
    if doc.is_encrypted() {
        guarded("decrypting", || doc.decrypt(""))?.map_err(|_| encrypted())?;
    }
    guarded("repairing fonts", || normalize_cid_widths(&mut doc))?;
    Ok(doc)
}

fn encrypted() -> PdfError {
    PdfError::Encrypted("the PDF is encrypted and needs a password to be read".to_string())
}

fn load_error(e: pdf_extract::Error) -> PdfError {
    match e {
        pdf_extract::Error::Decryption(_) => encrypted(),
        e => PdfError::Corrupt(format!("the PDF cannot be parsed: {e}")),
    }
}

/// Run `f`, turning a panic of the PDF library into `pdf_crashed`.
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, PdfError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        PdfError::Crashed(format!(
            "the PDF library panicked while {what}: {}",
            panic_message(payload.as_ref())
        ))
    })
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_string()
    }
}

/// The page objects in order, walking the page tree with loop and size checks.
pub(crate) fn page_ids(doc: &Document, max_pages: usize) -> Result<Vec<ObjectId>, PdfError> {
    let corrupt = |m: &str| PdfError::Corrupt(m.to_string());
    let root = doc
        .catalog()
        .map_err(|_| corrupt("the PDF has no document catalog"))?;
    let tree = root
        .get(b"Pages")
        .and_then(Object::as_reference)
        .map_err(|_| corrupt("the PDF's catalog has no page tree"))?;
    check_claimed_count(doc, tree, max_pages)?;
    let mut pages = Vec::new();
    let mut seen = HashSet::new();
    let mut stack = vec![(tree, 0usize)];
    while let Some((id, depth)) = stack.pop() {
        if !seen.insert(id) {
            return Err(corrupt("the PDF's page tree loops back on itself"));
        }
        if depth > MAX_TREE_DEPTH {
            return Err(corrupt("the PDF's page tree is nested too deeply"));
        }
        let Ok(node) = doc.get_dictionary(id) else {
            continue;
        };
        let kind = node.get_type().unwrap_or(b"");
        match node.get_deref(b"Kids", doc).and_then(Object::as_array) {
            Ok(kids) if kind != b"Page" => {
                for kid in kids.iter().rev() {
                    if let Ok(kid) = kid.as_reference() {
                        stack.push((kid, depth + 1));
                    }
                }
            }
            _ if kind == b"Pages" => {}
            _ => pages.push(id),
        }
        if pages.len() > max_pages {
            return Err(too_many_pages(max_pages));
        }
    }
    if pages.is_empty() {
        return Err(corrupt("the PDF has no pages"));
    }
    Ok(pages)
}

/// Refuse early a page tree whose `/Count` claims more than `max_pages`.
fn check_claimed_count(doc: &Document, tree: ObjectId, max_pages: usize) -> Result<(), PdfError> {
    let count = doc
        .get_dictionary(tree)
        .and_then(|d| d.get(b"Count"))
        .and_then(Object::as_i64)
        .unwrap_or(0);
    if count > max_pages as i64 {
        return Err(too_many_pages(max_pages));
    }
    Ok(())
}

fn too_many_pages(max_pages: usize) -> PdfError {
    PdfError::TooLarge(format!("the PDF has more than {max_pages} pages"))
}

/// Read pages 1..=count; a page the library fails on is a warning, not the end.
fn read_pages(
    doc: &Document,
    count: usize,
    options: &Options,
) -> Result<(Vec<Page>, Vec<PdfWarning>), PdfError> {
    let mut collector = Collector::new(options.max_glyphs);
    let mut warnings = Vec::new();
    for n in 1..=count {
        collector.set_next_page_number(n);
        let before = collector.pages.len();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(doc, &mut collector, n as u32)
        }));
        if collector.overflowed {
            return Err(PdfError::TooLarge(format!(
                "the PDF has more than {} glyphs",
                options.max_glyphs
            )));
        }
        let problem = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(format!("page {n} could not be read: {e}")),
            Err(payload) => Some(format!(
                "the PDF library panicked on page {n}: {}",
                panic_message(payload.as_ref())
            )),
        };
        if let Some(message) = problem {
            warnings.push(PdfWarning::new(
                WarningCode::PdfPageFailed,
                message,
                Some(n),
            ));
        }
        collector.finish_pending(n, before);
    }
    Ok((collector.pages, warnings))
}
