//! One scanned page image to a page of OCR words and ruling lines, ready for the same table
//! and layout steps as a text-layer page.
//!
//! ```text
//! grey image ──raster──▶ ink (Otsu) ──▶ skew ──▶ deskewed image (and the skew left after it)
//!            ──rules──▶ horizontal and vertical rules (morphology) ──▶ erased from the image
//!            ──tesseract (page, psm 4)──▶ words with boxes
//!            ──grid──▶ cells; a cell that is narrow, holds ink but no word, or whose words
//!                      cross its rules is read again from its own crop (psm 6, all such
//!                      cells of the page in one tesseract run)
//!            ──▶ Page { glyphs: words in points, rules in points, skew_degrees }
//! ```
//! Pages without rules keep the word-box layout of the whole page.

pub mod raster;
pub mod rules;

use crate::error::PdfError;
use crate::grid::{find_grids, Grid};
use crate::ocr::tesseract::{recognise, OcrWord, Segmentation};
use crate::ocr::tools::scratch_error;
use crate::page::{Glyph, Page};
use crate::tables::RULE_TOLERANCE;
use image::{GrayImage, Luma};
use raster::{deskew, skew_degrees, Ink};
use rules::{erase, find_rules, PixelRule};
use std::path::Path;
use std::time::Instant;

/// Pages scanned coarser than this are enlarged to [`TARGET_DPI`] before OCR.
const MIN_DPI: f64 = 220.0;
/// The resolution tesseract reads best (x-height of 20–30 pixels at 10 pt).
const TARGET_DPI: f64 = 300.0;
/// Skew below this many degrees is left alone.
const NEGLIGIBLE_SKEW: f64 = 0.05;
/// A cell narrower than this many points is read again on its own (label and number columns).
const NARROW_CELL: f64 = 32.0;
/// White margin around a cell crop, in pixels: tesseract needs some paper around text.
const CROP_MARGIN: u32 = 16;

/// What reading one page needs besides its image.
pub(crate) struct PageContext<'a> {
    pub number: usize,
    pub language: &'a str,
    /// A scratch directory of this page's own.
    pub dir: &'a Path,
    pub deadline: Instant,
}

/// Read one page image scanned at `dpi`.
pub(crate) fn read_page(
    image: GrayImage,
    dpi: f64,
    context: &PageContext,
) -> Result<Page, PdfError> {
    let (image, dpi) = enlarged(image, dpi);
    let ink = Ink::of(&image);
    let skew = skew_degrees(&ink, dpi);
    let (image, ink, residual) = if skew.abs() >= NEGLIGIBLE_SKEW {
        let straight = deskew(&image, skew);
        let ink = Ink::of(&straight);
        let residual = skew_degrees(&ink, dpi);
        (straight, ink, residual)
    } else {
        (image, ink, skew)
    };
    let pixel_rules = find_rules(&ink, dpi);
    let mut text_only = image;
    erase(&mut text_only, &pixel_rules);
    let page_file = context.dir.join("page.pgm");
    write_pgm(&page_file, &text_only)?;
    let mut words = recognise(
        &page_file,
        context.language,
        Segmentation::Column,
        context.deadline,
    )?;
    words.retain(|w| inked(&text_only, ink.level, w));
    let scale = Scale { dpi };
    let mut page = Page {
        number: context.number,
        width: scale.points(text_only.width() as f64),
        height: scale.points(text_only.height() as f64),
        glyphs: words.iter().map(|w| scale.glyph(w, (0.0, 0.0))).collect(),
        rules: pixel_rules.iter().map(|r| r.to_rule(dpi)).collect(),
        skew_degrees: Some(residual),
        ..Page::default()
    };
    let grids = find_grids(&page.rules, RULE_TOLERANCE);
    let doubtful = doubtful_cells(&page, &grids, &ink, &pixel_rules, scale);
    if !doubtful.is_empty() {
        reread_cells(&mut page, &doubtful, &text_only, scale, context)?;
    }
    Ok(page)
}

/// Write a grey image as a binary PGM (P5), which tesseract reads without decoding work.
fn write_pgm(path: &Path, image: &GrayImage) -> Result<(), PdfError> {
    use image::codecs::pnm::{PnmEncoder, PnmSubtype, SampleEncoding};
    use image::ImageEncoder;
    let file = std::fs::File::create(path).map_err(|e| scratch_error("write an image", e))?;
    PnmEncoder::new(std::io::BufWriter::new(file))
        .with_subtype(PnmSubtype::Graymap(SampleEncoding::Binary))
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::L8,
        )
        .map_err(|e| scratch_error("write an image", e))
}

/// Whether a word has ink under it. Between two table columns tesseract sometimes reads
/// white paper as a dash; a word with (almost) no ink in its box is not there.
fn inked(image: &GrayImage, level: u8, w: &OcrWord) -> bool {
    let x0 = w.left.max(0.0) as u32;
    let y0 = w.top.max(0.0) as u32;
    let x1 = ((w.left + w.width).max(0.0) as u32).min(image.width());
    let y1 = ((w.top + w.height).max(0.0) as u32).min(image.height());
    let mut count = 0u32;
    for y in y0..y1 {
        for x in x0..x1 {
            count += u32::from(image.get_pixel(x, y).0[0] <= level);
        }
    }
    let area = (x1.saturating_sub(x0)) * (y1.saturating_sub(y0));
    count >= 10 || count * 50 >= area.max(1)
}

/// A page scanned coarser than [`MIN_DPI`], enlarged to [`TARGET_DPI`].
fn enlarged(image: GrayImage, dpi: f64) -> (GrayImage, f64) {
    if dpi >= MIN_DPI {
        return (image, dpi);
    }
    let factor = TARGET_DPI / dpi;
    let (w, h) = (
        (image.width() as f64 * factor).round() as u32,
        (image.height() as f64 * factor).round() as u32,
    );
    let big = image::imageops::resize(&image, w, h, image::imageops::FilterType::Triangle);
    (big, TARGET_DPI)
}

/// Pixels to points for a page scanned at `dpi`.
#[derive(Debug, Clone, Copy)]
struct Scale {
    dpi: f64,
}

impl Scale {
    fn points(&self, pixels: f64) -> f64 {
        pixels * 72.0 / self.dpi
    }

    fn pixels(&self, points: f64) -> f64 {
        points * self.dpi / 72.0
    }

    /// An OCR word as a glyph in points; `offset` is where its image lies on the page.
    fn glyph(&self, w: &OcrWord, (dx, dy): (f64, f64)) -> Glyph {
        Glyph {
            x0: self.points(w.left + dx),
            x1: self.points(w.left + w.width + dx),
            // On the line's baseline, so the words of a line stay one line.
            y: self.points(w.line_top + 0.78 * w.line_height + dy),
            size: self.points((w.line_height / 1.25).max(1.0)),
            text: w.text.clone(),
            confidence: w.confidence,
        }
    }
}

/// A cell to read again: its box in points.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Doubtful {
    bbox: [f64; 4],
}

/// The cells whose page reading is in doubt: narrow cells with ink, cells with ink and no
/// word, and every cell a word crossing a rule touches.
fn doubtful_cells(
    page: &Page,
    grids: &[Grid],
    ink: &Ink,
    rules: &[PixelRule],
    scale: Scale,
) -> Vec<Doubtful> {
    let border = rules
        .iter()
        .map(|r| r.across.1 - r.across.0 + 1)
        .max()
        .unwrap_or(2) as f64
        + 2.0;
    let mut out: Vec<Doubtful> = Vec::new();
    for grid in grids {
        let mut words = vec![0usize; grid.cells.len()];
        let mut flagged = vec![false; grid.cells.len()];
        for g in &page.glyphs {
            let (x, y) = ((g.x0 + g.x1) / 2.0, g.y - 0.3 * g.size);
            let Some(cell) = grid.cell_at(x, y) else {
                continue;
            };
            words[cell] += 1;
            let [left, _, right, _] = grid.cell_box(&grid.cells[cell]);
            if g.x0 < left - RULE_TOLERANCE || g.x1 > right + RULE_TOLERANCE {
                // Every cell the word reaches into.
                for probe in [g.x0 + 1.0, x, g.x1 - 1.0] {
                    if let Some(c) = grid.cell_at(probe, y) {
                        flagged[c] = true;
                    }
                }
            }
        }
        for (i, cell) in grid.cells.iter().enumerate() {
            let bbox = grid.cell_box(cell);
            let inked = has_ink(ink, bbox, border, scale);
            let narrow = bbox[2] - bbox[0] < NARROW_CELL;
            if flagged[i] || (inked && (narrow || words[i] == 0)) {
                out.push(Doubtful { bbox });
            }
        }
    }
    out
}

/// Whether the inside of a cell (its borders left out) holds more ink than grain.
fn has_ink(ink: &Ink, bbox: [f64; 4], border: f64, scale: Scale) -> bool {
    let Some((x0, y0, x1, y1)) = inner_pixels(bbox, border, scale, ink.width, ink.height) else {
        return false;
    };
    let mut count = 0usize;
    for y in y0..y1 {
        count += (x0..x1).filter(|&x| ink.at(x, y)).count();
    }
    let area = (x1 - x0) * (y1 - y0);
    count >= 20 && count * 500 >= area
}

/// A cell's box in pixels, `border` pixels inside its rules; `None` when nothing is left.
fn inner_pixels(
    bbox: [f64; 4],
    border: f64,
    scale: Scale,
    width: usize,
    height: usize,
) -> Option<(usize, usize, usize, usize)> {
    let px = |v: f64| scale.pixels(v);
    let x0 = (px(bbox[0]) + border).max(0.0) as usize;
    let y0 = (px(bbox[1]) + border).max(0.0) as usize;
    let x1 = ((px(bbox[2]) - border).max(0.0) as usize).min(width);
    let y1 = ((px(bbox[3]) - border).max(0.0) as usize).min(height);
    (x1 > x0 + 2 && y1 > y0 + 2).then_some((x0, y0, x1, y1))
}

/// Read the doubtful cells again, each from its own crop (one tesseract run for all of
/// them), and put their words in place of the page reading's words in those cells. A cell
/// whose crop yields nothing keeps what the page reading found.
fn reread_cells(
    page: &mut Page,
    cells: &[Doubtful],
    text_only: &GrayImage,
    scale: Scale,
    context: &PageContext,
) -> Result<(), PdfError> {
    let mut list = String::new();
    let mut origins = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let Some((x0, y0, x1, y1)) = inner_pixels(
            cell.bbox,
            1.0,
            scale,
            text_only.width() as usize,
            text_only.height() as usize,
        ) else {
            origins.push(None);
            continue;
        };
        let (w, h) = ((x1 - x0) as u32, (y1 - y0) as u32);
        let mut crop = GrayImage::from_pixel(w + 2 * CROP_MARGIN, h + 2 * CROP_MARGIN, Luma([255]));
        let part = image::imageops::crop_imm(text_only, x0 as u32, y0 as u32, w, h).to_image();
        image::imageops::replace(&mut crop, &part, CROP_MARGIN as i64, CROP_MARGIN as i64);
        let file = context.dir.join(format!("cell-{i}.pgm"));
        write_pgm(&file, &crop)?;
        list.push_str(&file.to_string_lossy());
        list.push('\n');
        origins.push(Some((
            x0 as f64 - CROP_MARGIN as f64,
            y0 as f64 - CROP_MARGIN as f64,
        )));
    }
    if list.is_empty() {
        return Ok(());
    }
    let list_file = context.dir.join("cells.txt");
    std::fs::write(&list_file, list).map_err(|e| scratch_error("write the cell list", e))?;
    let words = recognise(
        &list_file,
        context.language,
        Segmentation::Block,
        context.deadline,
    )?;
    // The i-th listed crop is tesseract's image i + 1 (crops without pixels are not listed).
    let listed: Vec<(usize, (f64, f64))> = origins
        .iter()
        .enumerate()
        .filter_map(|(i, o)| o.map(|o| (i, o)))
        .collect();
    for (n, &(cell, offset)) in listed.iter().enumerate() {
        let found: Vec<Glyph> = words
            .iter()
            .filter(|w| w.image as usize == n + 1)
            .map(|w| scale.glyph(w, offset))
            .collect();
        if found.is_empty() {
            continue;
        }
        let [l, t, r, b] = cells[cell].bbox;
        page.glyphs.retain(|g| {
            let (x, y) = ((g.x0 + g.x1) / 2.0, g.y - 0.3 * g.size);
            !(x >= l && x < r && y >= t && y < b)
        });
        page.glyphs.extend(found);
    }
    Ok(())
}
