//! Scans: render pages with `pdftoppm`, read them with the `tesseract` CLI (Indonesian data),
//! and lay the recognised words out like text-layer glyphs.
//!
//! tesseract's TSV output gives every word with its box and confidence. Words are placed on
//! their tesseract line's baseline (so a table row that tesseract split into blocks is one line
//! again) and go through the same layout, header/footer and page assembly as the text layer;
//! the mean word confidence is reported so the document's confidence can reflect OCR.
//! Each tool run has its own time limit; both tools run as separate processes anyway, so a
//! crash of either is an error here, never a crash of the caller.

use crate::error::PdfError;
use crate::isolate::wait_with_deadline;
use crate::layout::GlyphKind;
use crate::page::{Glyph, Page};
use crate::text::{assemble, PdfText, TextOrigin};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// What to install when the tools are missing (Debian package names).
pub const OCR_PACKAGES: &str = "poppler-utils tesseract-ocr tesseract-ocr-ind";

/// How to OCR a scanned PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrOptions {
    /// tesseract language, `ind` for Indonesian.
    pub language: String,
    /// Render resolution in dots per inch.
    pub dpi: u32,
    /// Wall time for the whole document (rendering and every page's recognition).
    pub timeout: Duration,
    /// Pages read at most (the rest are left out, with a warning).
    pub max_pages: usize,
}

impl Default for OcrOptions {
    fn default() -> OcrOptions {
        OcrOptions {
            language: "ind".to_string(),
            dpi: 300,
            timeout: Duration::from_secs(600),
            max_pages: 200,
        }
    }
}

/// Check that `pdftoppm`, `tesseract` and tesseract's `language` data are installed.
pub fn ocr_available(language: &str) -> Result<(), PdfError> {
    let quick = Duration::from_secs(20);
    let unavailable = |what: String| {
        PdfError::OcrUnavailable(format!(
            "{what}; OCR needs `apt-get install {OCR_PACKAGES}`"
        ))
    };
    run_tool(Command::new("pdftoppm").arg("-v"), quick)
        .map_err(|_| unavailable("`pdftoppm` (poppler-utils) was not found".to_string()))?;
    let langs = run_tool(Command::new("tesseract").arg("--list-langs"), quick)
        .map_err(|_| unavailable("`tesseract` (tesseract-ocr) was not found".to_string()))?;
    let listed = String::from_utf8_lossy(&langs.stdout);
    if !listed.lines().any(|l| l.trim() == language) {
        return Err(unavailable(format!(
            "tesseract has no `{language}` language data (tesseract-ocr-{language})"
        )));
    }
    Ok(())
}

/// Layout text of a scanned PDF by OCR.
pub fn ocr_text(pdf_path: &Path, options: &OcrOptions) -> Result<PdfText, PdfError> {
    ocr_available(&options.language)?;
    let deadline = Instant::now() + options.timeout;
    let dir = TempDir::new()?;
    let images = render(pdf_path, dir.path(), options, deadline)?;
    let mut pages = Vec::with_capacity(images.len());
    let mut confidence = Confidence::default();
    for (i, image) in images.iter().enumerate() {
        let tsv = recognise(image, &options.language, deadline)?;
        let (page, page_confidence) = page_from_tsv(&tsv, i + 1, options.dpi);
        confidence.add(&page_confidence);
        pages.push(page);
    }
    let mut text =
        assemble(&pages, GlyphKind::Words, TextOrigin::Ocr, Vec::new()).map_err(|e| match e {
            PdfError::NoTextLayer(_) => PdfError::OcrFailed("OCR recognised no text".to_string()),
            e => e,
        })?;
    text.ocr_confidence = Some(confidence.mean());
    Ok(text)
}

/// [`ocr_text`] for a PDF held in memory (an archive member, or bytes the batch has read):
/// the bytes go to a private scratch file for `pdftoppm`.
pub fn ocr_text_bytes(pdf: &[u8], options: &OcrOptions) -> Result<PdfText, PdfError> {
    ocr_available(&options.language)?;
    let dir = TempDir::new()?;
    let path = dir.path().join("input.pdf");
    std::fs::write(&path, pdf)
        .map_err(|e| PdfError::OcrFailed(format!("cannot write a scratch copy of the PDF: {e}")))?;
    ocr_text(&path, options)
}

/// Render the pages to grey PNGs in `dir`; their paths in page order.
fn render(
    pdf: &Path,
    dir: &Path,
    options: &OcrOptions,
    deadline: Instant,
) -> Result<Vec<PathBuf>, PdfError> {
    let mut command = Command::new("pdftoppm");
    command
        .args(["-r", &options.dpi.to_string(), "-gray", "-png"])
        .args(["-l", &options.max_pages.to_string()])
        .arg(pdf)
        .arg(dir.join("page"));
    let out = run_tool(&mut command, remaining(deadline)?)?;
    if !out.success {
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("Incorrect password") {
            return Err(PdfError::Encrypted(
                "the PDF is encrypted and needs a password to be read".to_string(),
            ));
        }
        return Err(PdfError::OcrFailed(format!(
            "pdftoppm could not render the PDF: {}",
            stderr.lines().last().unwrap_or("").trim()
        )));
    }
    let mut images: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| PdfError::OcrFailed(format!("cannot list rendered pages: {e}")))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    images.sort();
    if images.is_empty() {
        return Err(PdfError::OcrFailed(
            "pdftoppm rendered no pages".to_string(),
        ));
    }
    Ok(images)
}

/// tesseract's TSV for one page image.
fn recognise(image: &Path, language: &str, deadline: Instant) -> Result<String, PdfError> {
    let mut command = Command::new("tesseract");
    // psm 4 (one column of text of varying sizes) keeps the list numbers that full page
    // segmentation drops as noise, and the bold table headers that psm 6 loses; one thread
    // each, as the batch already runs files in parallel.
    command
        .arg(image)
        .arg("stdout")
        .args(["-l", language, "--psm", "4", "tsv"])
        .env("OMP_THREAD_LIMIT", "1");
    let out = run_tool(&mut command, remaining(deadline)?)?;
    if !out.success {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(PdfError::OcrFailed(format!(
            "tesseract failed on {}: {}",
            image.display(),
            stderr.lines().last().unwrap_or("").trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn remaining(deadline: Instant) -> Result<Duration, PdfError> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(PdfError::Timeout(
            "OCR took longer than its time limit".to_string(),
        ));
    }
    Ok(left)
}

/// Word confidences weighted by word length.
#[derive(Debug, Default, Clone)]
struct Confidence {
    weighted: f64,
    chars: f64,
}

impl Confidence {
    fn add(&mut self, other: &Confidence) {
        self.weighted += other.weighted;
        self.chars += other.chars;
    }

    /// Mean confidence in [0, 1] (0 without words).
    fn mean(&self) -> f64 {
        if self.chars == 0.0 {
            0.0
        } else {
            ((self.weighted / self.chars / 100.0).clamp(0.0, 1.0) * 1000.0).round() / 1000.0
        }
    }
}

/// One row of tesseract's TSV.
#[derive(Debug, Clone)]
struct TsvRow {
    level: u32,
    line: (u32, u32, u32),
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    conf: f64,
    text: String,
}

/// `level page block par line word left top width height conf text`
fn tsv_row(line: &str) -> Option<TsvRow> {
    let f: Vec<&str> = line.splitn(12, '\t').collect();
    if f.len() < 11 {
        return None;
    }
    let n = |i: usize| f[i].trim().parse::<f64>().ok();
    let u = |i: usize| f[i].trim().parse::<u32>().ok();
    Some(TsvRow {
        level: u(0)?,
        line: (u(2)?, u(3)?, u(4)?),
        left: n(6)?,
        top: n(7)?,
        width: n(8)?,
        height: n(9)?,
        conf: n(10)?,
        text: f.get(11).map_or("", |t| t.trim()).to_string(),
    })
}

/// A page of OCR words in points: each word on its tesseract line's baseline.
fn page_from_tsv(tsv: &str, number: usize, dpi: u32) -> (Page, Confidence) {
    let scale = 72.0 / dpi.max(1) as f64;
    let rows: Vec<TsvRow> = tsv.lines().skip(1).filter_map(tsv_row).collect();
    let mut page = Page {
        number,
        ..Page::default()
    };
    if let Some(p) = rows.iter().find(|r| r.level == 1) {
        page.width = p.width * scale;
        page.height = p.height * scale;
    }
    let lines: BTreeMap<(u32, u32, u32), &TsvRow> = rows
        .iter()
        .filter(|r| r.level == 4)
        .map(|r| (r.line, r))
        .collect();
    let mut confidence = Confidence::default();
    let words: Vec<&TsvRow> = rows
        .iter()
        .filter(|r| r.level == 5 && !is_rule(&r.text))
        .collect();
    for (i, word) in words.iter().enumerate() {
        let line = lines.get(&word.line).copied().unwrap_or(word);
        let chars = word.text.chars().count() as f64;
        if word.conf >= 0.0 {
            confidence.weighted += word.conf * chars;
            confidence.chars += chars;
        }
        let previous = i
            .checked_sub(1)
            .map(|j| words[j])
            .filter(|p| p.line == word.line)
            .map(|p| p.text.as_str());
        page.glyphs.push(Glyph {
            x0: word.left * scale,
            x1: (word.left + word.width) * scale,
            y: (line.top + 0.78 * line.height) * scale,
            size: (line.height / 1.25).max(1.0) * scale,
            text: repair_word(&word.text, previous),
            confidence: (word.conf >= 0.0).then(|| (word.conf / 100.0) as f32),
        });
    }
    (page, confidence)
}

/// A "word" that is only a table border read as bars (or nothing at all).
fn is_rule(text: &str) -> bool {
    text.chars()
        .all(|c| matches!(c, '|' | '¦') || c.is_whitespace())
}

/// Undo OCR confusions that are certain in these forms: "100%" read as "10096", and a
/// percent sign standing alone after a number read as "96", "Yo", "Y6" and the like.
fn repair_word(text: &str, previous: Option<&str>) -> String {
    const PERCENT: [&str; 6] = ["96", "Yo", "Y6", "Yø", "%o", "9%"];
    let after_number = previous.is_some_and(|p| p.ends_with(|c: char| c.is_ascii_digit()));
    match text {
        "10096" => "100%".to_string(),
        t if after_number && PERCENT.contains(&t) => "%".to_string(),
        t if t.ends_with("10096") && t.len() <= 7 => format!("{}100%", &t[..t.len() - 5]),
        t => t.to_string(),
    }
}

/// What a finished tool run produced.
#[derive(Debug)]
struct ToolOutput {
    success: bool,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Run a tool with a time limit, collecting its output.
fn run_tool(command: &mut Command, timeout: Duration) -> Result<ToolOutput, PdfError> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command.spawn().map_err(|e| {
        PdfError::OcrUnavailable(format!(
            "cannot run `{program}` ({e}); OCR needs `apt-get install {OCR_PACKAGES}`"
        ))
    })?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let (status, stdout, stderr) = thread::scope(|s| {
        let out = s.spawn(move || read_all(stdout));
        let err = s.spawn(move || read_all(stderr));
        let status = wait_with_deadline(&mut child, timeout);
        (status, out.join(), err.join())
    });
    let status = status.map_err(|e| match e {
        PdfError::Timeout(_) => {
            PdfError::Timeout(format!("`{program}` took longer than its time limit"))
        }
        e => e,
    })?;
    Ok(ToolOutput {
        success: status.success(),
        stdout: stdout.unwrap_or_default(),
        stderr: stderr.unwrap_or_default(),
    })
}

fn read_all(pipe: Option<impl Read>) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(mut pipe) = pipe {
        let _ = pipe.read_to_end(&mut out);
    }
    out
}

/// A private scratch directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, PdfError> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "iki-ocr-{}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            nanos
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir(&path)
            .map_err(|e| PdfError::OcrFailed(format!("cannot create a scratch directory: {e}")))?;
        Ok(TempDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t
4\t1\t1\t1\t1\t0\t300\t400\t900\t50\t-1\t
5\t1\t1\t1\t1\t1\t300\t400\t200\t50\t96.5\tJabatan
5\t1\t1\t1\t1\t2\t520\t410\t20\t40\t90\t:
5\t1\t1\t1\t1\t3\t560\t400\t300\t50\t80\tSekretaris
";

    #[test]
    fn tsv_words_become_a_page() {
        let (page, conf) = page_from_tsv(TSV, 1, 300);
        assert_eq!(page.glyphs.len(), 3);
        assert!((page.width - 595.2).abs() < 0.1);
        let ys: Vec<f64> = page.glyphs.iter().map(|g| g.y).collect();
        assert!(ys.iter().all(|y| (y - ys[0]).abs() < 1e-9));
        let mean = conf.mean();
        assert!(mean > 0.8 && mean < 0.9, "{mean}");
    }

    #[test]
    fn ocr_page_lays_out_as_one_line() {
        let (page, _) = page_from_tsv(TSV, 1, 300);
        let lines = crate::layout::layout_page(&page, GlyphKind::Words);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text.trim(), "Jabatan : Sekretaris");
    }

    #[test]
    fn rules_and_percent_confusions() {
        assert!(is_rule("|"));
        assert!(is_rule("||"));
        assert!(!is_rule("1."));
        assert_eq!(repair_word("10096", None), "100%");
        assert_eq!(repair_word("(10096", Some("x")), "(100%");
        assert_eq!(repair_word("100", None), "100");
        assert_eq!(repair_word("Yo", Some("100")), "%");
        assert_eq!(repair_word("Yo", Some("kata")), "Yo");
        assert_eq!(repair_word("96", None), "96");
    }

    #[test]
    fn bad_rows_are_skipped() {
        assert!(tsv_row("x\ty").is_none());
        let (page, conf) = page_from_tsv("header\nnonsense\n", 1, 300);
        assert!(page.glyphs.is_empty());
        assert_eq!(conf.mean(), 0.0);
    }
}
