//! Family 6: page breaks with their furniture. The written lines are cut into pages; each
//! break prints a footer (page number, e-signature note), maybe a form feed, a running header
//! or website boilerplate, and inside a table maybe the repeated column-name row. A row the
//! break falls in may be split: the first words of its long cells before the furniture, the
//! rest of them on a line of their own after it (the other cells empty), as `pdftotext`
//! prints a row that runs over a page.
//!
//! Families 12 and 14: the boilerplate of a document-sharing site's text preview instead
//! ([`paginate_site`]): view and download counts, an upload date and "Citation preview" before
//! the text, page counters, advertisements and page markers "(2)" between its pages.

use crate::form::Column;
use crate::lines::Line;
use crate::rng::Dice;

/// What the pages of one document carry.
struct Furniture {
    page_number: Option<usize>,
    running_header: Option<String>,
    website: bool,
    /// A web browser's print header (date, time, page title) and footer (address, n/N).
    browser: bool,
    esign: bool,
    form_feed: bool,
    repeat_header: f64,
    split_row: f64,
}

impl Furniture {
    fn pick(dice: &mut Dice, running: String) -> Furniture {
        let mut f = Furniture {
            page_number: dice.chance(0.8).then(|| dice.between(0, 3)),
            running_header: dice.chance(0.5).then_some(running),
            website: dice.chance(0.3),
            browser: dice.chance(0.3),
            esign: dice.chance(0.2),
            form_feed: dice.chance(0.4),
            repeat_header: *dice.pick(&[0.0, 0.5, 1.0]),
            split_row: *dice.pick(&[0.3, 0.6]),
        };
        if f.page_number.is_none() && f.running_header.is_none() && !f.website {
            f.page_number = Some(0);
        }
        f
    }

    /// The footer of page `n` of `total`.
    fn footer(&self, n: usize, total: usize) -> Vec<String> {
        let mut out = Vec::new();
        if self.esign {
            out.push("Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan BSrE".to_string());
        }
        if self.browser {
            out.push(format!(
                "file:///home/user/Downloads/iki-{total}.html{}{n}/{total}",
                " ".repeat(40)
            ));
        }
        match self.page_number {
            Some(0) => out.push(format!("- {n} -")),
            Some(1) => out.push(format!("Halaman {n} dari {total}")),
            Some(2) => out.push(n.to_string()),
            Some(_) => out.push(format!("Hal. {n}")),
            None => {}
        }
        out
    }

    /// The header of page `n` of `total`.
    fn header(&self, n: usize, total: usize) -> Vec<String> {
        let mut out = Vec::new();
        if self.website {
            out.push(format!("Anda di halaman {n} dari {total}"));
        }
        if self.browser {
            out.push(format!(
                "1/{}/24, 9:{:02} AM{}IKI",
                10 + total % 18,
                total % 60,
                " ".repeat(50)
            ));
        }
        if let Some(running) = &self.running_header {
            out.push(running.clone());
        }
        out
    }
}

/// A running header: the regency's, the document's, or one naming the title.
fn running_header(dice: &mut Dice, year: Option<i32>) -> String {
    let year = year.map(|y| format!(" Tahun {y}")).unwrap_or_default();
    match dice.between(0, 3) {
        0 => format!("Lampiran Keputusan Camat{year}"),
        1 => "Pemerintah Kabupaten Lumajang".to_string(),
        2 => format!("Dokumen IKI{year}"),
        _ => format!("Indikator Kinerja Individu{year}"),
    }
}

impl Furniture {
    /// What a person inspecting the rendering should know about its pages.
    fn describe(&self, pages: usize) -> String {
        let mut parts = vec![format!("{pages} pages")];
        if let Some(style) = self.page_number {
            let example = match style {
                0 => "- n -",
                1 => "Halaman n dari N",
                2 => "n",
                _ => "Hal. n",
            };
            parts.push(format!("page numbers \"{example}\""));
        }
        if let Some(running) = &self.running_header {
            parts.push(format!("running header {running:?}"));
        }
        for (on, name) in [
            (self.website, "website boilerplate"),
            (self.browser, "browser print header and footer"),
            (self.esign, "e-signature footer"),
            (self.form_feed, "form feeds"),
        ] {
            if on {
                parts.push(name.to_string());
            }
        }
        parts.push(format!(
            "repeat header {} split row {}",
            self.repeat_header, self.split_row
        ));
        parts.join(", ")
    }
}

/// The lines with page breaks inserted (see [`break_points`]), and a description of the
/// furniture.
pub(crate) fn paginate(
    lines: Vec<Line>,
    year: Option<i32>,
    dice: &mut Dice,
) -> (Vec<Line>, String) {
    let running = running_header(dice, year);
    let furniture = Furniture::pick(dice, running);
    let breaks = break_points(&lines, dice);
    let total = breaks.len() + 1;
    let mut out: Vec<Line> = Vec::with_capacity(lines.len() + breaks.len() * 6);
    let mut header: Option<Line> = None;
    let mut page = 1;
    for (i, line) in lines.into_iter().enumerate() {
        if breaks.contains(&i) {
            let in_table = line.is_body_row() && out.last().is_some_and(Line::is_row);
            let fragment = if in_table && dice.chance(furniture.split_row) {
                split_last_row(&mut out, dice)
            } else {
                None
            };
            page_break(&mut out, &furniture, page, total);
            page += 1;
            if in_table && dice.chance(furniture.repeat_header) {
                out.extend(header.clone());
            }
            out.extend(fragment);
        }
        if matches!(line, Line::Row { header: true, .. }) {
            header = Some(line.clone());
        }
        out.push(line);
    }
    (out, furniture.describe(total))
}

/// Where pages end: about every 30–55 lines, moved on to the next place a page may end (after
/// a blank line, or between two table rows: title and signature blocks are not torn), plus,
/// in about half of the tables, a break between two of its rows; no page shorter than
/// [`MIN_PAGE_LINES`].
fn break_points(lines: &[Line], dice: &mut Dice) -> Vec<usize> {
    let page = dice.between(30, 55);
    let mut points = Vec::new();
    let mut next = page;
    for i in 1..lines.len() {
        if i >= next && may_break_before(lines, i) {
            points.push(i);
            next = i + page;
        }
    }
    for rows in table_row_runs(lines) {
        if rows.len() > 1 && dice.chance(0.5) {
            points.push(rows[dice.between(1, rows.len() - 1)]);
        }
    }
    points.sort_unstable();
    let mut kept: Vec<usize> = Vec::with_capacity(points.len());
    for point in points {
        if kept
            .last()
            .is_none_or(|last| point >= last + MIN_PAGE_LINES)
        {
            kept.push(point);
        }
    }
    kept
}

/// What a document-sharing site prints around the pages of a text preview.
struct Site {
    /// "halaman 2 dari 9" after each page.
    counter: bool,
    /// "(3)" before each page but the first.
    markers: bool,
    /// "advertisement" between some pages.
    ads: bool,
    /// Lines before the text.
    top: Vec<String>,
    /// Lines after the text.
    bottom: Vec<String>,
}

impl Site {
    fn pick(dice: &mut Dice) -> Site {
        let mut top = Vec::new();
        if dice.chance(0.6) {
            top.push("Citation preview".to_string());
        }
        let views = dice.between(40, 98_000);
        let downloads = dice.between(0, views / 10);
        match dice.between(0, 2) {
            0 => top.push(format!("{views} views {downloads} downloads")),
            1 => top.push(format!("Dilihat {views} kali · Diunduh {downloads} kali")),
            _ => {}
        }
        if dice.chance(0.5) {
            let (day, month, year) = (
                dice.between(1, 28),
                dice.between(1, 12),
                dice.between(2015, 2024),
            );
            top.push(format!("Diunggah {day:02}/{month:02}/{year}"));
        }
        let mut bottom = Vec::new();
        if dice.chance(0.5) {
            bottom.push(
                dice.word(&["Download", "Unduh dokumen", "Laporkan dokumen ini"])
                    .to_string(),
            );
        }
        let mut site = Site {
            counter: dice.chance(0.6),
            markers: dice.chance(0.6),
            ads: dice.chance(0.4),
            top,
            bottom,
        };
        if !site.counter && !site.markers && site.top.is_empty() {
            site.markers = true;
        }
        site
    }

    fn describe(&self, pages: usize) -> String {
        let mut parts = vec![format!("site preview, {pages} pages")];
        for (on, name) in [
            (self.counter, "page counters"),
            (self.markers, "page markers"),
            (self.ads, "advertisements"),
        ] {
            if on {
                parts.push(name.to_string());
            }
        }
        parts.extend(self.top.iter().map(|t| format!("{t:?}")));
        parts.join(", ")
    }
}

/// The lines with a document-sharing site's boilerplate around and between their pages.
pub(crate) fn paginate_site(lines: Vec<Line>, dice: &mut Dice) -> (Vec<Line>, String) {
    let site = Site::pick(dice);
    let breaks = break_points(&lines, dice);
    let total = breaks.len() + 1;
    let mut out: Vec<Line> = Vec::with_capacity(lines.len() + breaks.len() * 5 + 6);
    for top in &site.top {
        out.push(Line::Text(top.clone()));
    }
    if !site.top.is_empty() {
        out.push(Line::Text(String::new()));
    }
    let mut page = 1;
    for (i, line) in lines.into_iter().enumerate() {
        if breaks.contains(&i) {
            out.push(Line::Text(String::new()));
            if site.counter {
                out.push(Line::Text(format!("halaman {page} dari {total}")));
            }
            if site.ads && dice.chance(0.5) {
                out.push(Line::Text("advertisement".to_string()));
            }
            page += 1;
            if site.markers {
                out.push(Line::Text(format!("({page})")));
            }
            out.push(Line::Text(String::new()));
        }
        out.push(line);
    }
    if site.counter {
        out.push(Line::Text(format!("halaman {total} dari {total}")));
    }
    out.extend(site.bottom.iter().cloned().map(Line::Text));
    (out, site.describe(total))
}

/// No page is shorter than this many lines.
const MIN_PAGE_LINES: usize = 6;

fn may_break_before(lines: &[Line], i: usize) -> bool {
    let after_blank = matches!(&lines[i - 1], Line::Text(t) if t.trim().is_empty());
    let inside_table = lines[i].is_body_row() && lines[i - 1].is_row();
    after_blank || inside_table
}

/// The indexes of each table's body rows.
fn table_row_runs(lines: &[Line]) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match line {
            Line::Row { header: true, .. } => runs.push(Vec::new()),
            Line::Row { header: false, .. } => {
                if let Some(run) = runs.last_mut() {
                    run.push(i);
                }
            }
            Line::Text(_) => {}
        }
    }
    runs
}

/// Footer of page `n`, maybe a form feed, header of page `n + 1`.
fn page_break(out: &mut Vec<Line>, furniture: &Furniture, n: usize, total: usize) {
    out.push(Line::Text(String::new()));
    for line in furniture.footer(n, total) {
        out.push(Line::Text(line));
    }
    let mut header = furniture.header(n + 1, total);
    if furniture.form_feed {
        match header.first_mut() {
            Some(first) => first.insert(0, '\u{c}'),
            None => header.push("\u{c}".to_string()),
        }
    }
    for line in header {
        out.push(Line::Text(line));
    }
    out.push(Line::Text(String::new()));
}

/// Splits the last written row: its long cells (not No, Sasaran or Indikator, so the rest is
/// never taken for a continuation row) keep their first words; the rest is returned as a
/// fragment row. `None` when no cell is long enough.
fn split_last_row(out: &mut [Line], dice: &mut Dice) -> Option<Line> {
    let Some(Line::Row {
        cells,
        columns,
        header: false,
    }) = out.last_mut()
    else {
        return None;
    };
    let mut rest = vec![String::new(); cells.len()];
    for (i, cell) in cells.iter_mut().enumerate() {
        let splittable = !matches!(
            columns.get(i),
            Some(Column::No | Column::Sasaran | Column::Indikator | Column::Target) | None
        );
        let words: Vec<&str> = cell.split_whitespace().collect();
        if !splittable || words.len() < 3 || !dice.chance(0.7) {
            continue;
        }
        let at = dice.between(1, words.len() - 1);
        rest[i] = words[at..].join(" ");
        *cell = words[..at].join(" ");
    }
    rest.iter().any(|r| !r.is_empty()).then(|| Line::Row {
        cells: rest,
        columns: columns.clone(),
        header: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::Family;

    fn row(cells: &[&str]) -> Line {
        Line::Row {
            cells: cells.iter().map(|c| c.to_string()).collect(),
            columns: vec![Column::No, Column::Indikator, Column::Rumus],
            header: false,
        }
    }

    #[test]
    fn a_split_row_joins_back() {
        let text = "Jumlah dokumen yang disusun dibagi jumlah dokumen x 100%";
        let mut dice = Dice::new(Family::Furniture, 1);
        for _ in 0..50 {
            let mut out = vec![row(&["1", "Persentase dokumen", text])];
            if let Some(Line::Row { cells: rest, .. }) = split_last_row(&mut out, &mut dice) {
                let Line::Row { cells, .. } = &out[0] else {
                    unreachable!()
                };
                assert_eq!(cells[0], "1");
                assert_eq!(rest[0], "");
                assert_eq!(rest[1], "");
                assert_eq!(format!("{} {}", cells[2], rest[2]), text);
            }
        }
    }
}
