//! The `tesseract` command line: one page image, or a list of cell crops in one run, read
//! into words with their boxes (pixels) and confidences from its TSV output.

use super::tools::{run_tool, ToolOutput};
use crate::error::PdfError;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// How tesseract segments what it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Segmentation {
    /// A page as one column of text of varying sizes (`--psm 4`): keeps the list numbers
    /// that full page segmentation drops as noise, and bold table headers.
    Column,
    /// One block of text (`--psm 6`): a table cell.
    Block,
}

/// One recognised word, in the pixels of the image it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OcrWord {
    /// 1-based image of a list run (1 for a single image).
    pub image: u32,
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    /// Top and height of the word's tesseract line (words of one line share a baseline).
    pub line_top: f64,
    pub line_height: f64,
    /// 0..1; `None` where tesseract gives none.
    pub confidence: Option<f32>,
    pub text: String,
}

/// Read `image` (an image file, or a `.txt` file listing images) with `language`.
pub(crate) fn recognise(
    image: &Path,
    language: &str,
    segmentation: Segmentation,
    deadline: Instant,
) -> Result<Vec<OcrWord>, PdfError> {
    let psm = match segmentation {
        Segmentation::Column => "4",
        Segmentation::Block => "6",
    };
    let mut command = Command::new("tesseract");
    // One thread each: the pages of a scan and the files of a batch already run side by side.
    command
        .arg(image)
        .arg("stdout")
        .args(["-l", language, "--psm", psm])
        // Inverted (white on black) text does not occur in these forms; looking for it costs time.
        .args(["-c", "tessedit_do_invert=0", "tsv"])
        .env("OMP_THREAD_LIMIT", "1");
    let out: ToolOutput = run_tool(&mut command, deadline)?;
    if !out.success {
        return Err(PdfError::OcrFailed(format!(
            "tesseract failed on {}: {}",
            image.display(),
            out.complaint()
        )));
    }
    Ok(words(&String::from_utf8_lossy(&out.stdout)))
}

/// One row of tesseract's TSV.
#[derive(Debug, Clone)]
struct TsvRow {
    level: u32,
    /// page, block, paragraph, line
    line: (u32, u32, u32, u32),
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
        line: (u(1)?, u(2)?, u(3)?, u(4)?),
        left: n(6)?,
        top: n(7)?,
        width: n(8)?,
        height: n(9)?,
        conf: n(10)?,
        text: f.get(11).map_or("", |t| t.trim()).to_string(),
    })
}

/// The words of a TSV, in tesseract's order, each with its line's box; table borders read
/// as bars are dropped and certain confusions repaired.
pub(crate) fn words(tsv: &str) -> Vec<OcrWord> {
    let rows: Vec<TsvRow> = tsv.lines().skip(1).filter_map(tsv_row).collect();
    let lines: BTreeMap<(u32, u32, u32, u32), &TsvRow> = rows
        .iter()
        .filter(|r| r.level == 4)
        .map(|r| (r.line, r))
        .collect();
    let words: Vec<&TsvRow> = rows
        .iter()
        .filter(|r| r.level == 5 && !is_rule(&r.text))
        .collect();
    words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let line = lines.get(&word.line).copied().unwrap_or(word);
            let previous = i
                .checked_sub(1)
                .map(|j| words[j])
                .filter(|p| p.line == word.line)
                .map(|p| p.text.as_str());
            OcrWord {
                image: word.line.0,
                left: word.left,
                top: word.top,
                width: word.width,
                height: word.height,
                line_top: line.top,
                line_height: line.height,
                confidence: (word.conf >= 0.0).then(|| (word.conf / 100.0).clamp(0.0, 1.0) as f32),
                text: repair_word(&word.text, previous),
            }
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t
4\t1\t1\t1\t1\t0\t300\t400\t900\t50\t-1\t
5\t1\t1\t1\t1\t1\t300\t400\t200\t50\t96.5\tJabatan
5\t1\t1\t1\t1\t2\t520\t410\t20\t40\t90\t:
5\t1\t1\t1\t1\t3\t560\t400\t300\t50\t80\tSekretaris
5\t1\t1\t1\t1\t4\t870\t400\t8\t50\t30\t|
4\t2\t1\t1\t1\t0\t10\t20\t90\t30\t-1\t
5\t2\t1\t1\t1\t1\t10\t22\t90\t28\t70\t10096
";

    #[test]
    fn tsv_rows_become_words_with_their_lines() {
        let w = words(TSV);
        let texts: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["Jabatan", ":", "Sekretaris", "100%"]);
        assert_eq!(w[1].line_top, 400.0);
        assert_eq!(w[1].top, 410.0);
        assert_eq!(w[3].image, 2);
        assert!((w[0].confidence.unwrap() - 0.965).abs() < 1e-6);
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
        assert!(words("header\nnonsense\n").is_empty());
    }
}
