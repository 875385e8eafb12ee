//! Ruling lines in a page image, by morphology: an opening with a line-shaped element keeps
//! exactly the ink runs at least as long as the element, so along each row (column) the runs
//! of ink longer than a few letters are rule pieces; pieces in neighbouring rows (columns)
//! that overlap are one rule, as thick as the rows it spans. Small gaps are closed first, as a
//! closing with a short element would, so grain and JPEG blocks do not break a rule.

use super::raster::Ink;
use crate::page::Rule;

/// A rule found in the image, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PixelRule {
    pub vertical: bool,
    /// First and last row (column) the rule covers across its thickness.
    pub across: (usize, usize),
    /// First and last column (row) along its length.
    pub along: (usize, usize),
}

impl PixelRule {
    /// The rule in points, for a page scanned at `dpi`.
    pub fn to_rule(self, dpi: f64) -> Rule {
        let pt = 72.0 / dpi;
        Rule {
            vertical: self.vertical,
            at: (self.across.0 + self.across.1) as f64 / 2.0 * pt,
            from: self.along.0 as f64 * pt,
            to: (self.along.1 + 1) as f64 * pt,
        }
    }
}

/// The horizontal and vertical rules of a page scanned at `dpi`.
pub fn find_rules(ink: &Ink, dpi: f64) -> Vec<PixelRule> {
    // A rule is longer than a word of a few letters (0.3 in), and no thicker than a heavy
    // border (1/25 in); gaps of up to 1/100 in inside it are grain.
    let min_length = (0.3 * dpi).round() as usize;
    let max_thickness = (dpi / 25.0).round().max(2.0) as usize;
    let gap = (dpi / 100.0).round().max(1.0) as usize;
    let mut rules = lines(ink, false, min_length, gap, max_thickness);
    rules.extend(lines(ink, true, min_length, gap, max_thickness));
    rules
}

/// Rules in one direction: long runs per row (column), joined across neighbouring rows.
fn lines(
    ink: &Ink,
    vertical: bool,
    min_length: usize,
    gap: usize,
    max_thickness: usize,
) -> Vec<PixelRule> {
    let (rows, length) = if vertical {
        (ink.width, ink.height)
    } else {
        (ink.height, ink.width)
    };
    let at = |row: usize, i: usize| {
        if vertical {
            ink.at(row, i)
        } else {
            ink.at(i, row)
        }
    };
    let mut open: Vec<PixelRule> = Vec::new();
    let mut done: Vec<PixelRule> = Vec::new();
    for row in 0..rows {
        let runs = long_runs(|i| at(row, i), length, min_length, gap);
        let mut next_open = Vec::new();
        for run in runs {
            // Continue a rule of the previous row that overlaps this run by half its length.
            let continued = open.iter().position(|r| {
                let overlap = r.along.1.min(run.1).saturating_sub(r.along.0.max(run.0));
                r.across.1 + 1 == row && 2 * overlap >= (run.1 - run.0).min(r.along.1 - r.along.0)
            });
            match continued {
                Some(i) => {
                    let mut r = open.swap_remove(i);
                    r.across.1 = row;
                    r.along = (r.along.0.min(run.0), r.along.1.max(run.1));
                    next_open.push(r);
                }
                None => next_open.push(PixelRule {
                    vertical,
                    across: (row, row),
                    along: run,
                }),
            }
        }
        done.append(&mut open);
        open = next_open;
    }
    done.append(&mut open);
    done.retain(|r| r.across.1 - r.across.0 < max_thickness);
    done
}

/// Runs of ink (first, last) at least `min_length` long along a line of `length` pixels,
/// bridging gaps of up to `gap` pixels.
fn long_runs(
    ink: impl Fn(usize) -> bool,
    length: usize,
    min_length: usize,
    gap: usize,
) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_ink = 0;
    for i in 0..length {
        if ink(i) {
            match start {
                Some(_) if i - last_ink <= gap + 1 => {}
                Some(s) => {
                    if last_ink + 1 - s >= min_length {
                        runs.push((s, last_ink));
                    }
                    start = Some(i);
                }
                None => start = Some(i),
            }
            last_ink = i;
        }
    }
    if let Some(s) = start {
        if last_ink + 1 - s >= min_length {
            runs.push((s, last_ink));
        }
    }
    runs
}

/// Paint the rules white (with a pixel around them, where anti-aliasing and blur leave grey),
/// so the OCR engine sees text only.
pub fn erase(image: &mut image::GrayImage, rules: &[PixelRule]) {
    let (w, h) = (image.width() as usize, image.height() as usize);
    for r in rules {
        let across = (
            r.across.0.saturating_sub(1),
            (r.across.1 + 1).min(if r.vertical { w } else { h } - 1),
        );
        let along = (r.along.0, r.along.1.min(if r.vertical { h } else { w } - 1));
        for a in across.0..=across.1 {
            for b in along.0..=along.1 {
                let (x, y) = if r.vertical { (a, b) } else { (b, a) };
                image.put_pixel(x as u32, y as u32, image::Luma([255]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    fn ink_of(image: &GrayImage) -> Ink {
        Ink::of(image)
    }

    /// A 100-dpi page with a 2-column ruled table and a word between the rules.
    fn page() -> GrayImage {
        let mut img = GrayImage::from_pixel(600, 400, Luma([240]));
        let mut fill = |x0: u32, x1: u32, y0: u32, y1: u32| {
            for y in y0..=y1 {
                for x in x0..=x1 {
                    img.put_pixel(x, y, Luma([10]));
                }
            }
        };
        for y in [50, 120, 190] {
            fill(50, 550, y, y + 1);
        }
        for x in [50, 300, 550] {
            fill(x, x + 1, 50, 191);
        }
        // A "word": short strokes, no long run.
        for i in 0..5 {
            fill(80 + 12 * i, 86 + 12 * i, 80, 95);
        }
        // A gap of one pixel in the middle rule (grain).
        img.put_pixel(400, 120, Luma([240]));
        img.put_pixel(400, 121, Luma([240]));
        img
    }

    #[test]
    fn table_rules_are_found_and_words_are_not() {
        let rules = find_rules(&ink_of(&page()), 100.0);
        let horizontal: Vec<&PixelRule> = rules.iter().filter(|r| !r.vertical).collect();
        let vertical: Vec<&PixelRule> = rules.iter().filter(|r| r.vertical).collect();
        assert_eq!(horizontal.len(), 3, "{horizontal:?}");
        assert_eq!(vertical.len(), 3, "{vertical:?}");
        assert_eq!(horizontal[1].across, (120, 121));
        assert_eq!(horizontal[1].along, (50, 551));
        let r = horizontal[0].to_rule(100.0);
        assert!((r.at - 50.5 * 0.72).abs() < 1e-9 && (r.to - 552.0 * 0.72).abs() < 1e-9);
    }

    #[test]
    fn the_grid_of_the_found_rules_is_the_table() {
        let rules: Vec<Rule> = find_rules(&ink_of(&page()), 100.0)
            .iter()
            .map(|r| r.to_rule(100.0))
            .collect();
        let grids = crate::grid::find_grids(&rules, 2.5);
        assert_eq!(grids.len(), 1);
        assert_eq!((grids[0].rows(), grids[0].cols()), (2, 2));
    }

    #[test]
    fn erased_rules_leave_the_words() {
        let mut img = page();
        let rules = find_rules(&ink_of(&img), 100.0);
        erase(&mut img, &rules);
        assert_eq!(img.get_pixel(300, 100).0[0], 255);
        assert_eq!(img.get_pixel(82, 85).0[0], 10);
        assert!(find_rules(&ink_of(&img), 100.0).is_empty());
    }

    #[test]
    fn runs_bridge_small_gaps() {
        let line = |i: usize| i < 10 || (12..30).contains(&i);
        assert_eq!(long_runs(line, 40, 20, 2), vec![(0, 29)]);
        assert_eq!(long_runs(line, 40, 20, 1), Vec::<(usize, usize)>::new());
    }
}
