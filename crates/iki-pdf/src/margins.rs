//! Running headers and footers: lines repeated in the page margins, removed before parsing.
//!
//! A line is a running header (footer) when all of these hold:
//! - it is among the first (last) [`EDGE_LINES`] lines of its page;
//! - the same text, digits ignored (page numbers, dates), sits at the same height on at least
//!   half the pages, and on at least two;
//! - on those pages it lies above (below) every line that is not such a repeat, so it is in
//!   the margin band no body text enters; a form title that opens most pages is body text
//!   and stays, because body text elsewhere starts as high as it does;
//! - it is set apart from the body by white space on most of its pages.
//!
//! A bare page number ("3", "- 3 -", "Halaman 3 dari 9", "3/9") in the margin band goes
//! whatever the page count.

use crate::layout::TextLine;
use std::collections::{HashMap, HashSet};

/// How many lines at each end of a page may be a header or footer.
const EDGE_LINES: usize = 3;
/// Points of height difference tolerated between repeats of one header line.
const SAME_HEIGHT: f64 = 3.0;
/// White space (in ems of the line's size) that sets a header or footer apart from the body.
const APART: f64 = 1.3;

/// Which margin a line sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Edge {
    Top,
    Bottom,
}

/// A candidate line: its page, index on the page, edge and key.
#[derive(Debug, Clone)]
struct Candidate {
    page: usize,
    index: usize,
    edge: Edge,
    key: String,
    y: f64,
    apart: bool,
}

/// Remove running headers and footers from `pages` (each a page's lines, top to bottom).
/// Returns how many lines were removed.
pub fn remove_running_lines(pages: &mut [Vec<TextLine>]) -> usize {
    let candidates = candidates(pages);
    let repeated = repeated_keys(&candidates, pages.len());
    let doomed: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| repeated.contains_key(&(c.edge, c.key.clone())) || is_page_number(&c.key))
        .collect();
    let bands = bands(pages, &doomed);
    let mut remove: Vec<(usize, usize)> = doomed
        .iter()
        .filter(|c| in_band(c, &bands))
        .filter(|c| is_page_number(&c.key) || repeated.get(&(c.edge, c.key.clone())) == Some(&true))
        .map(|c| (c.page, c.index))
        .collect();
    remove.sort_unstable();
    remove.dedup();
    for &(page, index) in remove.iter().rev() {
        pages[page].remove(index);
    }
    for page in pages.iter_mut() {
        if let Some(first) = page.first_mut() {
            first.blank_before = 0;
        }
    }
    remove.len()
}

/// The first and last few lines of every page, with their normalised keys.
fn candidates(pages: &[Vec<TextLine>]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (p, lines) in pages.iter().enumerate() {
        let n = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let edge = if i < EDGE_LINES && 2 * i < n {
                Edge::Top
            } else if i + EDGE_LINES >= n {
                Edge::Bottom
            } else {
                continue;
            };
            let neighbour = match edge {
                Edge::Top => lines.get(i + 1).map(|l| l.y - line.y),
                Edge::Bottom => i.checked_sub(1).map(|j| line.y - lines[j].y),
            };
            out.push(Candidate {
                page: p,
                index: i,
                edge,
                key: key(&line.text),
                y: line.y,
                apart: neighbour.is_none_or(|d| d >= (1.0 + APART) * line.size),
            });
        }
    }
    out.retain(|c| !c.key.is_empty());
    out
}

/// Keys repeated at one height on at least half the pages (and two); the value says whether
/// the repeats are set apart from the body on most of their pages.
fn repeated_keys(candidates: &[Candidate], pages: usize) -> HashMap<(Edge, String), bool> {
    let mut groups: HashMap<(Edge, String), Vec<&Candidate>> = HashMap::new();
    for c in candidates {
        groups.entry((c.edge, c.key.clone())).or_default().push(c);
    }
    let needed = pages.div_ceil(2).max(2);
    groups
        .into_iter()
        .filter_map(|(k, group)| {
            let y = median(group.iter().map(|c| c.y).collect());
            let same: Vec<&&Candidate> = group
                .iter()
                .filter(|c| (c.y - y).abs() <= SAME_HEIGHT)
                .collect();
            let mut on_pages: Vec<usize> = same.iter().map(|c| c.page).collect();
            on_pages.dedup();
            if on_pages.len() < needed {
                return None;
            }
            let apart = same.iter().filter(|c| c.apart).count() * 2 > same.len();
            Some((k, apart))
        })
        .collect()
}

/// The margin bands: everything above the highest body line and below the lowest, over the
/// whole document (body = every line not in `doomed`).
fn bands(pages: &[Vec<TextLine>], doomed: &[&Candidate]) -> (f64, f64) {
    let doomed: HashSet<(usize, usize)> = doomed.iter().map(|c| (c.page, c.index)).collect();
    let mut top = f64::INFINITY;
    let mut bottom = f64::NEG_INFINITY;
    for (p, lines) in pages.iter().enumerate() {
        for (i, line) in lines.iter().enumerate() {
            if doomed.contains(&(p, i)) {
                continue;
            }
            top = top.min(line.y - line.size);
            bottom = bottom.max(line.y);
        }
    }
    (top, bottom)
}

fn in_band(c: &Candidate, &(top, bottom): &(f64, f64)) -> bool {
    match c.edge {
        Edge::Top => c.y < top,
        Edge::Bottom => c.y > bottom,
    }
}

/// A line's identity across pages: lower case, digit runs as `#`, spaces collapsed.
fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = ' ';
    for c in text.trim().chars() {
        let c = if c.is_ascii_digit() {
            '#'
        } else if c.is_whitespace() {
            ' '
        } else {
            c
        };
        if (c == '#' || c == ' ') && c == last {
            continue;
        }
        out.extend(c.to_lowercase());
        last = c;
    }
    out
}

/// A key that is only a page number: "#", "- # -", "#/#", "halaman # dari #", "page # of #".
fn is_page_number(key: &str) -> bool {
    if !key.contains('#') {
        return false;
    }
    let words = ["halaman", "hal.", "hal", "page", "dari", "of"];
    key.split([' ', '/', '-', '|', '(', ')'])
        .filter(|w| !w.is_empty())
        .all(|w| w == "#" || w == "#." || words.contains(&w))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: f64) -> TextLine {
        TextLine {
            text: text.to_string(),
            y,
            size: 10.0,
            blank_before: 0,
        }
    }

    fn page(n: usize, body: &[&str], body_top: f64) -> Vec<TextLine> {
        let mut lines = vec![line("11/26/26, 1:47 AM      IKI", 20.0)];
        for (i, t) in body.iter().enumerate() {
            lines.push(line(t, body_top + 12.0 * i as f64));
        }
        lines.push(line(&format!("file:///tmp/x.html      {n}/3"), 820.0));
        lines
    }

    #[test]
    fn keys_ignore_numbers_and_case() {
        assert_eq!(key("Halaman 12  dari 30"), "halaman # dari #");
        assert!(is_page_number("halaman # dari #"));
        assert!(is_page_number("- # -"));
        assert!(is_page_number("#/#"));
        assert!(!is_page_number("no sasaran"));
        assert!(!is_page_number("#. meningkatnya"));
    }

    #[test]
    fn running_header_and_footer_go_titles_stay() {
        let title = "INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2023";
        let mut pages = vec![
            page(1, &[title, "Jabatan : Camat"], 60.0),
            page(2, &["rest of the table", "more"], 60.0),
            page(3, &[title, "Jabatan : Sekretaris"], 60.0),
        ];
        let removed = remove_running_lines(&mut pages);
        assert_eq!(removed, 6);
        assert_eq!(pages[0][0].text, title);
        assert_eq!(pages[2][0].text, title);
        assert!(pages.iter().all(|p| p.len() == 2));
    }

    #[test]
    fn titles_on_every_page_stay_when_not_apart() {
        let title = "INDIKATOR KINERJA INDIVIDU (IKI)";
        let mut pages: Vec<Vec<TextLine>> = (0..3)
            .map(|_| {
                vec![
                    line(title, 60.0),
                    line("Jabatan : X", 72.0),
                    line("y", 84.0),
                ]
            })
            .collect();
        assert_eq!(remove_running_lines(&mut pages), 0);
    }

    #[test]
    fn single_page_keeps_everything_but_a_page_number() {
        let mut pages = vec![vec![
            line("Judul", 60.0),
            line("isi", 72.0),
            line("1", 820.0),
        ]];
        assert_eq!(remove_running_lines(&mut pages), 1);
        assert_eq!(pages[0].len(), 2);
    }
}
