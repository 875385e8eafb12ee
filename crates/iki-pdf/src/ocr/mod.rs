//! Scans: PDF pages rendered by `pdftoppm` and page images (PNG, JPEG, TIFF) read by the
//! `tesseract` CLI (Indonesian data), page by page ([`crate::scan`]): deskewed, ruled tables
//! cut into cells, words placed in their cells. The pages then go through the same table,
//! layout, header/footer and page assembly as a text layer.
//!
//! Time and threads: every page has its own time limit ([`OcrOptions::page_timeout`],
//! `--ocr-timeout`), so a long scan is not judged by one budget; a page that runs out is
//! left out with a warning. The pages of one scan are read side by side, as many at once as
//! the run's [`OcrSlots`] allow (one per `-j` worker, shared by every document of the run),
//! so a 40-page scan can use every core while small files wait for none. Each tool is a
//! separate process with a deadline, so a crash or hang of either is an error here, never a
//! crash of the caller.

pub(crate) mod tesseract;
pub(crate) mod tools;

use crate::error::PdfError;
use crate::layout::GlyphKind;
use crate::page::Page;
use crate::scan::raster::{decode_pages, estimated_dpi};
use crate::scan::{read_page, PageContext};
use crate::text::{assemble, PdfText, PdfWarning, TextOrigin};
use iki_model::WarningCode;
use image::GrayImage;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tools::{run_tool, scratch_error, TempDir};

/// What to install when the tools are missing (Debian package names).
pub const OCR_PACKAGES: &str = "poppler-utils tesseract-ocr tesseract-ocr-ind";
/// Default time limit of one page's OCR (`--ocr-timeout`).
pub const DEFAULT_PAGE_TIMEOUT: Duration = Duration::from_secs(120);

/// How to OCR a scan.
#[derive(Debug, Clone)]
pub struct OcrOptions {
    /// tesseract language, `ind` for Indonesian.
    pub language: String,
    /// Render resolution of PDF pages, in dots per inch.
    pub dpi: u32,
    /// Wall time for one page (rendering, deskewing, every recognition run of it).
    pub page_timeout: Duration,
    /// Pages read at most (the rest are left out, with a warning).
    pub max_pages: usize,
    /// How many pages may be read at once, across every document that shares these slots.
    pub slots: OcrSlots,
}

impl Default for OcrOptions {
    fn default() -> OcrOptions {
        OcrOptions {
            language: "ind".to_string(),
            dpi: 300,
            page_timeout: DEFAULT_PAGE_TIMEOUT,
            max_pages: 200,
            slots: OcrSlots::new(
                std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            ),
        }
    }
}

/// Permits to read a page: a counting semaphore that every document of a run shares, so
/// the run reads at most that many pages at once however its scans are spread over workers.
#[derive(Debug, Clone)]
pub struct OcrSlots {
    free: Arc<(Mutex<usize>, Condvar)>,
    capacity: usize,
}

impl OcrSlots {
    pub fn new(capacity: usize) -> OcrSlots {
        let capacity = capacity.max(1);
        OcrSlots {
            free: Arc::new((Mutex::new(capacity), Condvar::new())),
            capacity,
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Wait for a permit; it returns when the guard drops.
    fn acquire(&self) -> SlotGuard<'_> {
        let (lock, freed) = &*self.free;
        let mut free = lock.lock().unwrap_or_else(PoisonError::into_inner);
        while *free == 0 {
            free = freed.wait(free).unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
        SlotGuard(self)
    }
}

struct SlotGuard<'a>(&'a OcrSlots);

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        let (lock, freed) = &*self.0.free;
        *lock.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        freed.notify_one();
    }
}

/// Check that `pdftoppm`, `tesseract` and tesseract's `language` data are installed.
pub fn ocr_available(language: &str) -> Result<(), PdfError> {
    let quick = || Instant::now() + Duration::from_secs(20);
    let unavailable = |what: String| {
        PdfError::OcrUnavailable(format!(
            "{what}; OCR needs `apt-get install {OCR_PACKAGES}`"
        ))
    };
    run_tool(Command::new("pdftoppm").arg("-v"), quick())
        .map_err(|_| unavailable("`pdftoppm` (poppler-utils) was not found".to_string()))?;
    let langs = run_tool(Command::new("tesseract").arg("--list-langs"), quick())
        .map_err(|_| unavailable("`tesseract` (tesseract-ocr) was not found".to_string()))?;
    let listed = String::from_utf8_lossy(&langs.stdout);
    if !listed.lines().any(|l| l.trim() == language) {
        return Err(unavailable(format!(
            "tesseract has no `{language}` language data (tesseract-ocr-{language})"
        )));
    }
    Ok(())
}

/// Layout text (and cells) of a scanned PDF by OCR.
pub fn ocr_text(pdf_path: &Path, options: &OcrOptions) -> Result<PdfText, PdfError> {
    ocr_available(&options.language)?;
    let count = page_count(pdf_path)?;
    let read = count.min(options.max_pages);
    let mut text = read_pages(read, options, |number, dir, deadline| {
        let image = render(pdf_path, number, options.dpi, dir, deadline)?;
        Ok((image, f64::from(options.dpi)))
    })?;
    if read < count {
        text.warnings.push(too_many_pages(count, read));
    }
    Ok(text)
}

/// [`ocr_text`] for a PDF held in memory (an archive member, or bytes the batch has read):
/// the bytes go to a private scratch file for the poppler tools.
pub fn ocr_text_bytes(pdf: &[u8], options: &OcrOptions) -> Result<PdfText, PdfError> {
    ocr_available(&options.language)?;
    let dir = TempDir::new()?;
    let path = dir.path().join("input.pdf");
    std::fs::write(&path, pdf).map_err(|e| scratch_error("write a scratch copy of the PDF", e))?;
    ocr_text(&path, options)
}

/// Layout text (and cells) of a page image file by OCR: PNG, JPEG, PNM or a TIFF of one or
/// many pages.
pub fn ocr_image(bytes: &[u8], options: &OcrOptions) -> Result<PdfText, PdfError> {
    ocr_available(&options.language)?;
    // One page more than allowed tells whether pages were left out.
    let mut images = decode_pages(bytes, options.max_pages.saturating_add(1))?;
    let cut = images.len() > options.max_pages;
    images.truncate(options.max_pages);
    let images: Vec<Mutex<Option<GrayImage>>> =
        images.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let mut text = read_pages(images.len(), options, |number, _, _| {
        let image = images[number - 1]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .ok_or_else(|| PdfError::Internal("a page image was read twice".to_string()))?;
        let dpi = estimated_dpi(&image);
        Ok((image, dpi))
    })?;
    if cut {
        text.warnings
            .push(too_many_pages(options.max_pages + 1, options.max_pages));
    }
    Ok(text)
}

fn too_many_pages(count: usize, read: usize) -> PdfWarning {
    PdfWarning::new(
        WarningCode::PdfPageFailed,
        format!("the scan has {count} pages or more; only the first {read} were read"),
        None,
    )
}

/// Read pages 1..=count side by side under the shared slots, each with its own scratch
/// directory and deadline; `image(number, dir, deadline)` gives a page's pixels and
/// resolution. A page that fails is a warning; when none is read, the first failure is the
/// answer.
fn read_pages<F>(count: usize, options: &OcrOptions, image: F) -> Result<PdfText, PdfError>
where
    F: Fn(usize, &Path, Instant) -> Result<(GrayImage, f64), PdfError> + Sync,
{
    let results: Vec<Mutex<Option<Result<Page, PdfError>>>> =
        (0..count).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let threads = options.slots.capacity().min(count).max(1);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let _slot = options.slots.acquire();
                let result = read_one(i + 1, options, &image);
                *results[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
            });
        }
    });
    let mut pages = Vec::new();
    let mut warnings = Vec::new();
    let mut first_error = None;
    for (i, slot) in results.into_iter().enumerate() {
        let result = slot
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .unwrap_or_else(|| Err(PdfError::Internal("a page was never read".to_string())));
        match result {
            Ok(page) => pages.push(page),
            Err(e @ PdfError::OcrUnavailable(_)) => return Err(e),
            Err(e) => {
                warnings.push(PdfWarning::new(
                    WarningCode::PdfPageFailed,
                    format!("page {} could not be read by OCR: {e}", i + 1),
                    Some(i + 1),
                ));
                first_error.get_or_insert(e);
            }
        }
    }
    if pages.is_empty() {
        return Err(first_error.unwrap_or_else(|| PdfError::OcrFailed("no pages".to_string())));
    }
    let confidence = mean_confidence(&pages);
    let mut text =
        assemble(&pages, GlyphKind::Words, TextOrigin::Ocr, warnings).map_err(|e| match e {
            PdfError::NoTextLayer(_) => PdfError::OcrFailed("OCR recognised no text".to_string()),
            e => e,
        })?;
    text.ocr_confidence = Some(confidence);
    Ok(text)
}

/// One page: its image, then [`read_page`], within the page's own deadline.
fn read_one<F>(number: usize, options: &OcrOptions, image: &F) -> Result<Page, PdfError>
where
    F: Fn(usize, &Path, Instant) -> Result<(GrayImage, f64), PdfError>,
{
    let deadline = Instant::now() + options.page_timeout;
    let dir = TempDir::new()?;
    let (pixels, dpi) = image(number, dir.path(), deadline)?;
    let context = PageContext {
        number,
        language: &options.language,
        dir: dir.path(),
        deadline,
    };
    read_page(pixels, dpi, &context)
}

/// Mean word confidence in [0, 1], weighted by word length (0 without words).
fn mean_confidence(pages: &[Page]) -> f64 {
    let (mut weighted, mut chars) = (0.0, 0.0);
    for g in pages.iter().flat_map(|p| &p.glyphs) {
        if let Some(c) = g.confidence {
            let n = g.text.chars().count() as f64;
            weighted += f64::from(c) * n;
            chars += n;
        }
    }
    if chars == 0.0 {
        0.0
    } else {
        ((weighted / chars).clamp(0.0, 1.0) * 1000.0).round() / 1000.0
    }
}

/// The page count of a PDF (`pdfinfo`).
fn page_count(pdf: &Path) -> Result<usize, PdfError> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let out = run_tool(Command::new("pdfinfo").arg(pdf), deadline)?;
    if !out.success {
        return Err(poppler_error("pdfinfo", &out.complaint()));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse::<usize>()))
        .and_then(Result::ok)
        .filter(|&n| n > 0)
        .ok_or_else(|| PdfError::OcrFailed("pdfinfo found no pages in the PDF".to_string()))
}

fn poppler_error(tool: &str, complaint: &str) -> PdfError {
    if complaint.contains("Incorrect password") {
        return PdfError::Encrypted(
            "the PDF is encrypted and needs a password to be read".to_string(),
        );
    }
    PdfError::OcrFailed(format!("{tool} could not read the PDF: {complaint}"))
}

/// Render page `number` of `pdf` in grey at `dpi` (`pdftoppm`, PGM in `dir`).
fn render(
    pdf: &Path,
    number: usize,
    dpi: u32,
    dir: &Path,
    deadline: Instant,
) -> Result<GrayImage, PdfError> {
    let n = number.to_string();
    let stem = dir.join("render");
    let mut command = Command::new("pdftoppm");
    command
        .args(["-r", &dpi.to_string(), "-gray", "-singlefile"])
        .args(["-f", &n, "-l", &n])
        .arg(pdf)
        .arg(&stem);
    let out = run_tool(&mut command, deadline)?;
    if !out.success {
        return Err(poppler_error("pdftoppm", &out.complaint()));
    }
    let file = stem.with_extension("pgm");
    let bytes = std::fs::read(&file).map_err(|e| scratch_error("read a rendered page", e))?;
    let _ = std::fs::remove_file(&file);
    let mut pages = decode_pages(&bytes, 1)?;
    pages
        .pop()
        .ok_or_else(|| PdfError::OcrFailed("pdftoppm rendered no page".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_bound_the_pages_read_at_once() {
        let slots = OcrSlots::new(2);
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| {
                    let _slot = slots.acquire();
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn confidence_is_weighted_by_length() {
        let glyph = |text: &str, c: f32| crate::page::Glyph {
            x0: 0.0,
            x1: 1.0,
            y: 0.0,
            size: 1.0,
            text: text.to_string(),
            confidence: Some(c),
        };
        let page = Page {
            glyphs: vec![glyph("abcd", 1.0), glyph("x", 0.5)],
            ..Page::default()
        };
        assert_eq!(mean_confidence(&[page]), 0.9);
        assert_eq!(mean_confidence(&[]), 0.0);
    }
}
