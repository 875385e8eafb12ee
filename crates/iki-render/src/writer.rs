//! The document writer: forms in order, each as letterhead, title block, fields, table and
//! signature blocks. The part writers (`fields`, `table`, `signature`) append to one
//! [`Writer`]; the style decides their shape, the dice their per-line variation.

use crate::fields;
use crate::form::{self, Form};
use crate::gold::GoldDoc;
use crate::lines::Line;
use crate::ocr;
use crate::rng::Dice;
use crate::signature;
use crate::style::{Style, TitleMarkup};
use crate::table;
use crate::text::chars;

/// Lines being written, with the style and dice of the rendering.
pub(crate) struct Writer<'a> {
    pub style: &'a Style,
    pub dice: &'a mut Dice,
    pub lines: Vec<Line>,
}

impl Writer<'_> {
    /// Appends a text line (after the style's left margin).
    pub(crate) fn text(&mut self, text: impl Into<String>) {
        let text = text.into();
        let line = if self.style.margin > 0 && !text.is_empty() {
            format!("{}{text}", " ".repeat(self.style.margin))
        } else {
            text
        };
        self.lines.push(Line::Text(line));
    }

    /// Appends `lo..=hi` blank lines.
    pub(crate) fn blanks(&mut self, lo: usize, hi: usize) {
        for _ in 0..self.dice.between(lo, hi) {
            self.lines.push(Line::Text(String::new()));
        }
    }

    /// A generic label or heading phrase as printed: in family 8 one of its words may slip.
    pub(crate) fn generic(&mut self, phrase: &str) -> String {
        if self.style.ocr {
            ocr::slip_phrase(phrase, 0.35, 1, self.dice)
        } else {
            phrase.to_string()
        }
    }
}

/// Writes every form of `doc`.
pub(crate) fn write(doc: &GoldDoc, style: &Style, dice: &mut Dice) -> Vec<Line> {
    let forms = form::forms(doc, style, dice);
    let kabupaten = kabupaten(doc);
    let mut w = Writer {
        style,
        dice,
        lines: Vec::new(),
    };
    w.blanks(0, 2);
    for (i, form) in forms.iter().enumerate() {
        if i > 0 && !style.run_on {
            w.blanks(1, 3);
        }
        if let Some(org) = form.letterhead {
            letterhead(&mut w, &kabupaten, org);
        }
        title(&mut w, form);
        fields::write(&mut w, &form.fields);
        if let Some(t) = &form.table {
            table::write(&mut w, t);
        }
        signature::write(&mut w, &form.signatures);
        if style.run_on {
            // The next form starts mid-page, right after this one's last line.
            while matches!(w.lines.last(), Some(Line::Text(t)) if t.trim().is_empty()) {
                w.lines.pop();
            }
        }
    }
    w.lines
}

/// The regency of the letterhead: the signature place, else Lumajang (the corpus' own).
fn kabupaten(doc: &GoldDoc) -> String {
    doc.signatories
        .iter()
        .find_map(|s| s.place.as_deref())
        .unwrap_or("Lumajang")
        .to_uppercase()
}

/// "PEMERINTAH KABUPATEN X", the unit, and maybe an address block.
fn letterhead(w: &mut Writer, kabupaten: &str, org: &str) {
    let pemerintah = w.generic("PEMERINTAH KABUPATEN");
    w.text(format!("{pemerintah} {kabupaten}"));
    w.text(org);
    if w.style.address {
        let number = w.dice.between(1, 120);
        let phone = w.dice.between(410_000, 890_000);
        w.text(format!("Jl. Raya No. {number} Telp. (0334) {phone}"));
        let postcode = w.dice.between(67311, 67399);
        w.text(format!("{kabupaten} - {postcode}"));
    }
    w.blanks(1, 2);
}

/// The title block: "INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2023" and the heading lines.
fn title(w: &mut Writer, form: &Form) {
    let lines = title_lines(w, form);
    let last = lines.len() - 1;
    for (i, line) in lines.iter().enumerate() {
        let line = match w.style.title.markup {
            TitleMarkup::None => line.clone(),
            TitleMarkup::Bold => bold_block(line, i == 0, i == last),
            TitleMarkup::Hash if i == 0 => format!("# {line}"),
            TitleMarkup::Hash => format!("## {line}"),
        };
        let line = match w.style.title.center {
            Some(width) => format!(
                "{}{line}",
                " ".repeat(width.saturating_sub(chars(&line)) / 2)
            ),
            None => line,
        };
        w.text(line);
    }
    w.blanks(1, 2);
}

/// `**` before the block's first line and after its last.
fn bold_block(line: &str, first: bool, last: bool) -> String {
    let open = if first { "**" } else { "" };
    let close = if last { "**" } else { "" };
    format!("{open}{line}{close}")
}

fn title_lines(w: &mut Writer, form: &Form) -> Vec<String> {
    let mut first = if w.style.ocr {
        ocr::slip_phrase("INDIKATOR KINERJA INDIVIDU", 0.5, 2, w.dice)
    } else {
        "INDIKATOR KINERJA INDIVIDU".to_string()
    };
    if w.style.title.iki {
        first.push_str(" (IKI)");
    }
    let mut lines = vec![first];
    if let Some(year) = form.year {
        let tahun = format!("{} {year}", w.generic("TAHUN"));
        if w.style.title.year_own_line {
            lines.push(tahun);
        } else {
            lines[0] = format!("{} {tahun}", lines[0]);
        }
    }
    if let Some(heading) = form.heading {
        lines.extend(heading_lines(w, heading));
    }
    lines
}

/// The heading on one line, or split over two at a word.
fn heading_lines(w: &mut Writer, heading: &str) -> Vec<String> {
    let words: Vec<&str> = heading.split_whitespace().collect();
    if words.len() < 4 || !w.dice.chance(0.3) {
        return vec![words.join(" ")];
    }
    let at = w.dice.between(2, words.len() - 2);
    vec![words[..at].join(" "), words[at..].join(" ")]
}
