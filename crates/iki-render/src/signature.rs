//! Signature blocks: "Lumajang, 02 Februari 2023", "Mengetahui" for approvers, the position
//! ("Plt." when acting), room for the signature, the name as printed and "NIP. 19690303
//! 199303 1 009". In the space-aligned family an approver and a signer may stand side by side,
//! name lines level, as `pdftotext -layout` prints a two-column signature table.

use crate::gold::{GoldRole, GoldSignatory};
use crate::ocr;
use crate::text::{chars, day_text, iso_parts, pad, spaced_nip, MONTHS};
use crate::writer::Writer;

/// Writes the blocks that close a form.
pub(crate) fn write(w: &mut Writer, sigs: &[&GoldSignatory]) {
    let mut i = 0;
    while i < sigs.len() {
        let pair = w.style.signs.two_column && i + 1 < sigs.len();
        if pair {
            let left = block(w, sigs[i]);
            let right = block(w, sigs[i + 1]);
            side_by_side(w, left, right);
            i += 2;
        } else {
            let lines = block(w, sigs[i]);
            let indent = if w.style.signs.two_column {
                w.dice.between(40, 70)
            } else {
                0
            };
            for line in lines {
                w.text(indented(&line, indent));
            }
            i += 1;
        }
        w.blanks(1, 2);
    }
}

fn indented(line: &str, indent: usize) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!("{}{line}", " ".repeat(indent))
    }
}

/// Two blocks side by side, bottoms (name and NIP lines) level.
fn side_by_side(w: &mut Writer, mut left: Vec<String>, mut right: Vec<String>) {
    let height = left.len().max(right.len());
    let top_pad = |block: &mut Vec<String>| {
        let missing = height - block.len();
        block.splice(0..0, std::iter::repeat_n(String::new(), missing));
    };
    top_pad(&mut left);
    top_pad(&mut right);
    let width = left.iter().map(|l| chars(l)).max().unwrap_or(0);
    let column = width + w.dice.between(6, 30);
    for (l, r) in left.iter().zip(&right) {
        w.text(format!("{}{r}", pad(l, column)));
    }
}

/// The lines of one block, top to bottom.
fn block(w: &mut Writer, sig: &GoldSignatory) -> Vec<String> {
    let lead = if w.style.signs.lead_space { " " } else { "" };
    let mut lines = Vec::new();
    if let Some(line) = date_line(w, sig) {
        lines.push(line);
    }
    if sig.role == GoldRole::Approver {
        let mut word = w.generic("Mengetahui");
        if w.style.signs.mengetahui_comma {
            word.push(',');
        }
        lines.push(word);
    }
    lines.extend(
        position_lines(w, sig)
            .into_iter()
            .map(|p| format!("{lead}{p}")),
    );
    signature_room(w, &mut lines);
    lines.push(format!("{lead}{}", name_line(w, sig)));
    if let Some(nip) = &sig.nip {
        lines.push(format!("{lead}{}", nip_line(w, nip)));
    }
    lines
}

/// "Lumajang, 02 Februari 2023" (month slipped in family 8).
fn date_line(w: &mut Writer, sig: &GoldSignatory) -> Option<String> {
    let place = sig.place.as_deref()?;
    let (day, month, year) = iso_parts(sig.date.as_deref()?)?;
    let name = MONTHS[month - 1];
    let month = if w.style.ocr && w.dice.chance(0.6) {
        ocr::slip_month(name, w.dice)
    } else if w.dice.chance(0.1) {
        name.to_uppercase()
    } else {
        name.to_string()
    };
    let day = day_text(day, w.style.signs.two_digit_day);
    Some(format!("{place}, {day} {month} {year}"))
}

/// The position ("Plt. " first when acting), maybe over two lines, maybe with a comma.
fn position_lines(w: &mut Writer, sig: &GoldSignatory) -> Vec<String> {
    let plt = if !sig.acting {
        ""
    } else if w.style.ocr && w.dice.chance(0.6) {
        ocr::slip_plt(w.dice)
    } else {
        "Plt."
    };
    let mut text = match (&sig.position, plt) {
        (None, "") => return Vec::new(),
        (None, plt) => plt.to_string(),
        (Some(p), "") => p.clone(),
        (Some(p), plt) => format!("{plt} {p}"),
    };
    if w.style.signs.position_comma && sig.role == GoldRole::Signer {
        text.push(',');
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() >= 4 && w.style.signs.two_column && w.dice.chance(0.4) {
        let at = w.dice.between(2, words.len() - 2);
        return vec![words[..at].join(" "), words[at..].join(" ")];
    }
    vec![text]
}

/// Blank lines where the signature goes; a transcript may describe it instead.
fn signature_room(w: &mut Writer, lines: &mut Vec<String>) {
    let blanks = w.dice.between(1, 3);
    lines.extend(std::iter::repeat_n(String::new(), blanks));
    if w.style.signs.note && w.dice.chance(0.5) {
        lines.push("A handwritten signature in blue ink over the title.".to_string());
        lines.push(String::new());
    }
}

fn name_line(w: &Writer, sig: &GoldSignatory) -> String {
    let name = sig.name_line();
    if w.style.signs.bold_name {
        format!("**{name}**")
    } else {
        name.to_string()
    }
}

/// "NIP. 19690303 199303 1 009" (digits slipped in family 8).
fn nip_line(w: &mut Writer, nip: &str) -> String {
    let spaced = spaced_nip(nip);
    let digits = if w.style.ocr && w.dice.chance(0.6) {
        ocr::slip_nip(&spaced, w.dice)
    } else {
        spaced
    };
    let prefix = if w.style.ocr && w.dice.chance(0.3) {
        w.dice.pick(&["NlP.", "NIP ,", "N I P."]).to_string()
    } else {
        w.style.signs.nip_prefix.to_string()
    };
    format!("{prefix} {digits}")
}
