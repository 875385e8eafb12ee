//! pdf-extract's `OutputDev` turned into [`Page`]s: every glyph with its position, advance and
//! size, and the straight lines the page strokes or fills (table borders).
//!
//! pdf-extract calls `output_character` with the text rendering matrix (`Trm` without the font
//! size), the glyph's width in text space and the font size. Glyphs are kept in PDF user space
//! while the page is read; at the end of the page its main text direction is found (the most
//! common of the four quarter turns) and everything is turned into the reading frame of
//! [`crate::page`]. Counts are bounded: past [`Collector::max_glyphs`] the collector stops the
//! library with an error and reports the document as too large.

use crate::page::{clean_glyph_text, Glyph, Page, Rule};
use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};

/// Most ruling segments kept per page; more are ignored (they only help column splitting).
const MAX_RULES_PER_PAGE: usize = 20_000;
/// Longest side of a filled rectangle that still counts as a drawn line, in points.
const MAX_RULE_THICKNESS: f64 = 2.5;
/// Shortest segment that counts as a rule, in points.
const MIN_RULE_LENGTH: f64 = 4.0;

/// A glyph in PDF user space (y upwards) before the page's direction is known.
#[derive(Debug, Clone)]
struct RawGlyph {
    x: f64,
    y: f64,
    /// Unit vector of the writing direction.
    dir: (f64, f64),
    advance: f64,
    size: f64,
    text: String,
}

/// A straight segment in user space.
#[derive(Debug, Clone, Copy)]
struct Segment {
    a: (f64, f64),
    b: (f64, f64),
}

/// Collects the pages pdf-extract walks through.
#[derive(Debug)]
pub struct Collector {
    pub pages: Vec<Page>,
    /// Most glyphs kept over the whole document.
    pub max_glyphs: usize,
    /// Set when `max_glyphs` was reached; the library was stopped with an error.
    pub overflowed: bool,
    glyph_count: usize,
    number: usize,
    media_box: Option<MediaBox>,
    raw: Vec<RawGlyph>,
    segments: Vec<Segment>,
}

impl Collector {
    pub fn new(max_glyphs: usize) -> Collector {
        Collector {
            pages: Vec::new(),
            max_glyphs,
            overflowed: false,
            glyph_count: 0,
            number: 0,
            media_box: None,
            raw: Vec::new(),
            segments: Vec::new(),
        }
    }

    /// Set the 1-based number the next page gets (pages may be read one by one).
    pub fn set_next_page_number(&mut self, number: usize) {
        self.number = number.saturating_sub(1);
    }

    /// After page `number` was read (successfully or not): keep what a failed page yielded
    /// before it failed, and give a page that never began an empty entry.
    pub fn finish_pending(&mut self, number: usize, pages_before: usize) {
        if self.pages.len() > pages_before {
            return;
        }
        if self.media_box.is_some() {
            self.finish_page();
        } else {
            self.pages.push(Page {
                number,
                width: 612.0,
                height: 792.0,
                ..Page::default()
            });
        }
    }

    fn add_segment(&mut self, ctm: &Transform, a: (f64, f64), b: (f64, f64)) {
        if self.segments.len() < MAX_RULES_PER_PAGE {
            self.segments.push(Segment {
                a: apply(ctm, a),
                b: apply(ctm, b),
            });
        }
    }

    /// Rules from a path: every straight segment when stroked, thin rectangles when filled.
    fn add_path(&mut self, ctm: &Transform, path: &Path, stroked: bool) {
        let mut current: Option<(f64, f64)> = None;
        let mut start: Option<(f64, f64)> = None;
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    current = Some((x, y));
                    start = Some((x, y));
                }
                PathOp::LineTo(x, y) => {
                    if let (true, Some(c)) = (stroked, current) {
                        self.add_segment(ctm, c, (x, y));
                    }
                    current = Some((x, y));
                }
                PathOp::CurveTo(_, _, _, _, x, y) => current = Some((x, y)),
                PathOp::Rect(x, y, w, h) => self.add_rect(ctm, (x, y, w, h), stroked),
                PathOp::Close => {
                    if let (true, Some(c), Some(s)) = (stroked, current, start) {
                        self.add_segment(ctm, c, s);
                    }
                    current = start;
                }
            }
        }
    }

    fn add_rect(&mut self, ctm: &Transform, (x, y, w, h): (f64, f64, f64, f64), stroked: bool) {
        if stroked {
            let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
            for i in 0..4 {
                self.add_segment(ctm, corners[i], corners[(i + 1) % 4]);
            }
            return;
        }
        let a = apply(ctm, (x, y));
        let b = apply(ctm, (x + w, y + h));
        let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
        if dx.min(dy) <= MAX_RULE_THICKNESS && dx.max(dy) >= MIN_RULE_LENGTH {
            let (mx, my) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
            let segment = if dx < dy {
                Segment {
                    a: (mx, a.1),
                    b: (mx, b.1),
                }
            } else {
                Segment {
                    a: (a.0, my),
                    b: (b.0, my),
                }
            };
            if self.segments.len() < MAX_RULES_PER_PAGE {
                self.segments.push(segment);
            }
        }
    }

    /// Turn the collected page into the reading frame and store it.
    fn finish_page(&mut self) {
        let media_box = self.media_box.take().unwrap_or(MediaBox {
            llx: 0.0,
            lly: 0.0,
            urx: 612.0,
            ury: 792.0,
        });
        let raw = std::mem::take(&mut self.raw);
        let segments = std::mem::take(&mut self.segments);
        let turns = main_direction(&raw);
        let frame = Frame::new(turns, &media_box);
        let mut page = Page {
            number: self.number,
            width: frame.width,
            height: frame.height,
            quarter_turns: turns,
            ..Page::default()
        };
        for g in raw {
            if quarter_turn(g.dir) != turns {
                page.skipped_glyphs += 1;
                continue;
            }
            let (x, y) = frame.map((g.x, g.y));
            page.glyphs.push(Glyph {
                x0: x,
                x1: x + g.advance,
                y,
                size: g.size,
                text: g.text,
                confidence: None,
            });
        }
        page.rules = segments.iter().filter_map(|s| frame.rule(s)).collect();
        self.pages.push(page);
    }
}

/// `point × ctm` (row vectors, as PDF and euclid write it).
fn apply(m: &Transform, (x, y): (f64, f64)) -> (f64, f64) {
    (x * m.m11 + y * m.m21 + m.m31, x * m.m12 + y * m.m22 + m.m32)
}

/// Which quarter turn (0-3, counter-clockwise) a writing direction is closest to.
fn quarter_turn((dx, dy): (f64, f64)) -> u8 {
    if dx.abs() >= dy.abs() {
        if dx >= 0.0 {
            0
        } else {
            2
        }
    } else if dy > 0.0 {
        1
    } else {
        3
    }
}

/// The most common writing direction on a page (0 when it has no glyphs).
fn main_direction(glyphs: &[RawGlyph]) -> u8 {
    let mut counts = [0usize; 4];
    for g in glyphs.iter().filter(|g| !g.text.trim().is_empty()) {
        counts[quarter_turn(g.dir) as usize] += 1;
    }
    let mut best = 0;
    for turn in 1..4 {
        if counts[turn] > counts[best] {
            best = turn;
        }
    }
    best as u8
}

/// User space (y up) to reading frame (text left to right, y down, origin top-left).
#[derive(Debug, Clone, Copy)]
struct Frame {
    turns: u8,
    min_x: f64,
    min_y: f64,
    width: f64,
    height: f64,
}

impl Frame {
    fn new(turns: u8, b: &MediaBox) -> Frame {
        let corners = [
            (b.llx, b.lly),
            (b.urx, b.lly),
            (b.urx, b.ury),
            (b.llx, b.ury),
        ];
        let turned: Vec<(f64, f64)> = corners.iter().map(|&p| turn(turns, p)).collect();
        let min_x = turned.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let max_x = turned.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        let min_y = turned.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let max_y = turned.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        Frame {
            turns,
            min_x,
            min_y,
            width: max_x - min_x,
            height: max_y - min_y,
        }
    }

    fn map(&self, p: (f64, f64)) -> (f64, f64) {
        let (x, y) = turn(self.turns, p);
        (x - self.min_x, y - self.min_y)
    }

    /// A segment as a rule in the frame, if it is (nearly) horizontal or vertical.
    fn rule(&self, s: &Segment) -> Option<Rule> {
        let a = self.map(s.a);
        let b = self.map(s.b);
        let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
        if dx.max(dy) < MIN_RULE_LENGTH || dx.min(dy) > MAX_RULE_THICKNESS {
            return None;
        }
        let vertical = dy > dx;
        let (at, from, to) = if vertical {
            ((a.0 + b.0) / 2.0, a.1.min(b.1), a.1.max(b.1))
        } else {
            ((a.1 + b.1) / 2.0, a.0.min(b.0), a.0.max(b.0))
        };
        Some(Rule {
            vertical,
            at,
            from,
            to,
        })
    }
}

/// Turn a user-space point so that text written in direction `turns` runs along +x, then flip
/// y so it grows downwards.
fn turn(turns: u8, (x, y): (f64, f64)) -> (f64, f64) {
    match turns % 4 {
        0 => (x, -y),
        1 => (y, x),
        2 => (-x, y),
        _ => (-y, -x),
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.number += 1;
        self.media_box = Some(*media_box);
        self.raw.clear();
        self.segments.clear();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.finish_page();
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        if self.glyph_count >= self.max_glyphs {
            self.overflowed = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        self.glyph_count += 1;
        let along = (trm.m11, trm.m12);
        let up = (trm.m21, trm.m22);
        let scale_x = (along.0 * along.0 + along.1 * along.1).sqrt();
        let scale_y = (up.0 * up.0 + up.1 * up.1).sqrt();
        let size = (font_size * scale_y).abs();
        if !(size.is_finite() && trm.m31.is_finite() && trm.m32.is_finite()) || scale_x == 0.0 {
            return Ok(());
        }
        let mut advance = width * font_size * scale_x;
        if !advance.is_finite() || advance <= 0.0 {
            advance = size * 0.5;
        }
        self.raw.push(RawGlyph {
            x: trm.m31,
            y: trm.m32,
            dir: (along.0 / scale_x, along.1 / scale_x),
            advance,
            size,
            text: clean_glyph_text(text),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _colorspace: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.add_path(ctm, path, true);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _colorspace: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.add_path(ctm, path, false);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_turns() {
        assert_eq!(quarter_turn((1.0, 0.0)), 0);
        assert_eq!(quarter_turn((0.0, 1.0)), 1);
        assert_eq!(quarter_turn((-1.0, 0.1)), 2);
        assert_eq!(quarter_turn((0.0, -1.0)), 3);
    }

    #[test]
    fn frame_maps_upright_page_top_left() {
        let b = MediaBox {
            llx: 0.0,
            lly: 0.0,
            urx: 600.0,
            ury: 800.0,
        };
        let f = Frame::new(0, &b);
        assert_eq!((f.width, f.height), (600.0, 800.0));
        assert_eq!(f.map((10.0, 790.0)), (10.0, 10.0));
    }

    #[test]
    fn frame_turns_text_running_upwards() {
        // Text written bottom-to-top along x = 100 on a portrait page: the first glyph is
        // lower (smaller y) than the next, and lines further right come later.
        let b = MediaBox {
            llx: 0.0,
            lly: 0.0,
            urx: 600.0,
            ury: 800.0,
        };
        let f = Frame::new(1, &b);
        assert_eq!((f.width, f.height), (800.0, 600.0));
        let first = f.map((100.0, 50.0));
        let next = f.map((100.0, 60.0));
        let next_line = f.map((120.0, 50.0));
        assert!(next.0 > first.0 && (next.1 - first.1).abs() < 1e-9);
        assert!(next_line.1 > first.1);
    }
}
