//! The labelled fields of a form ("Jabatan : ...", "Tugas Pokok :", lists of items) in the
//! style's shape: plain, numbered ("1. JABATAN :", "I.", "A.", "1)"), value on the next line
//! (maybe after a blank line), tab-separated, space-aligned with wrapped values, flattened one
//! token per line, or all labels in one line before all values (paired by position).

use crate::form::{Field, FieldKind};
use crate::gold::GoldItem;
use crate::style::{Apart, Numbering};
use crate::text::{chars, pad, roman, wrap};
use crate::writer::Writer;

/// Writes the fields in order, then a blank line.
pub(crate) fn write(w: &mut Writer, fields: &[Field]) {
    if fields.is_empty() {
        return;
    }
    if w.style.labels.apart == Apart::Block {
        block(w, fields);
        w.blanks(1, 2);
        return;
    }
    for (n, field) in fields.iter().enumerate() {
        let label = label(w, field.kind, n + 1);
        let items = items(w, &field.items);
        if w.style.labels.aligned.is_some() {
            aligned(w, &label, &field.items, &items);
        } else if w.style.labels.flat {
            flat(w, &label, &items);
        } else {
            let single_valued = matches!(field.kind, FieldKind::Jabatan | FieldKind::Eselon);
            plain(w, &label, &items, single_valued);
        }
    }
    w.blanks(1, 2);
}

/// The label as printed, without its colon: "2. TUGAS POKOK.", "- Jabatan", "**Fungsi**".
fn label(w: &mut Writer, kind: FieldKind, n: usize) -> String {
    let labels = &w.style.labels;
    let word = match kind {
        FieldKind::Jabatan => labels.jabatan_word,
        FieldKind::Eselon => "Eselon",
        FieldKind::TugasPokok => labels.tugas_word,
        FieldKind::Fungsi => "Fungsi",
        FieldKind::Tujuan => "Tujuan",
        FieldKind::IndikatorTujuan => "Indikator Tujuan",
    };
    let word = if labels.upper {
        word.to_uppercase()
    } else {
        word.to_string()
    };
    let (dot, bold, dash, numbering) = (labels.dot, labels.bold, labels.dash, labels.numbering);
    let mut text = w.generic(&word);
    if dot {
        text.push('.');
    }
    if bold {
        text = format!("**{text}**");
    }
    let number = match numbering {
        Numbering::None => String::new(),
        Numbering::Arabic => format!("{n}. "),
        Numbering::Roman => format!("{}. ", roman(n)),
        Numbering::Letter => format!("{}. ", letter(n)),
        Numbering::Paren => format!("{n}) "),
    };
    let dash = if dash { "- " } else { "" };
    format!("{dash}{number}{text}")
}

fn letter(n: usize) -> char {
    char::from(b'A' + ((n - 1) % 26) as u8)
}

/// Each item as printed: "a. text", "3.a) text", "- text" (an unlabelled item in a list of
/// several), or the bare text.
fn items(w: &Writer, items: &[GoldItem]) -> Vec<String> {
    let several = items.len() > 1;
    items
        .iter()
        .map(|item| match &item.label {
            Some(label) if w.style.lists.paren => format!("{label}) {}", item.text),
            Some(label) => format!("{label}. {}", item.text),
            None if several => format!("{} {}", w.style.marks.bullet, item.text),
            None => item.text.clone(),
        })
        .collect()
}

/// The separator between label and value.
fn colon(w: &Writer) -> &'static str {
    if w.style.labels.tabs {
        "\t:\t"
    } else {
        " : "
    }
}

/// The text before an item on its own line; a bulleted item gets no second dash.
fn indent<'a>(w: &'a Writer, item: &str) -> &'a str {
    let indent = w.style.lists.indent;
    let bulleted = item.starts_with(w.style.marks.bullet);
    if bulleted && indent.contains('-') {
        " "
    } else {
        indent
    }
}

/// "Label : first item" (or the label alone), the other items on lines of their own; with
/// `next_line` the value starts on the line after the label with ": ". A single-valued field
/// (Jabatan, Eselon) always has its value on the label's line.
fn plain(w: &mut Writer, label: &str, items: &[String], single_valued: bool) {
    let Some((first, rest)) = items.split_first() else {
        return;
    };
    let inline = match (single_valued, items.len()) {
        (true, _) => true,
        (false, 1) => w.dice.chance(0.85),
        _ => w.style.lists.first_inline,
    };
    if w.style.labels.next_line || w.style.labels.apart == Apart::Blank {
        w.text(label.to_string());
        if w.style.labels.apart == Apart::Blank {
            w.text("");
        }
        w.text(format!(": {first}"));
    } else if inline {
        w.text(format!("{label}{}{first}", colon(w)));
    } else {
        w.text(format!("{label}{}", colon(w).trim_end_matches([' ', '\t'])));
        let indent = if items.len() == 1 {
            ""
        } else {
            indent(w, first)
        };
        w.text(format!("{indent}{first}"));
    }
    for item in rest {
        w.text(format!("{}{item}", indent(w, item)));
    }
}

/// Every label in one line ("1. JABATAN 2. TUGAS POKOK 3. FUNGSI"), then each field's value in
/// the same order: ": first item", the other items on lines of their own.
fn block(w: &mut Writer, fields: &[Field]) {
    let labels: Vec<String> = fields
        .iter()
        .enumerate()
        .map(|(n, f)| label(w, f.kind, n + 1))
        .collect();
    w.text(labels.join(" "));
    for field in fields {
        let items = items(w, &field.items);
        let Some((first, rest)) = items.split_first() else {
            continue;
        };
        w.text(format!(": {first}"));
        for item in rest {
            w.text(format!("{}{item}", indent(w, item)));
        }
    }
}

/// Label, colon and items each on a line of their own (a borderless field table flattened).
fn flat(w: &mut Writer, label: &str, items: &[String]) {
    w.text(label.to_string());
    w.text(":");
    for item in items {
        w.text(item.clone());
    }
}

/// `pdftotext -layout` fields: the label padded to a column, values word-wrapped under the
/// value column, list items with a hanging indent.
fn aligned(w: &mut Writer, label: &str, gold: &[GoldItem], items: &[String]) {
    let label_width = w.style.labels.aligned.unwrap_or(16).max(chars(label) + 1);
    let value_col = label_width + 2;
    let width = w.dice.between(45, 90);
    let head = format!("{}: ", pad(label, label_width));
    if items.len() == 1 && gold[0].label.is_none() {
        wrapped(w, &head, value_col, &items[0], width);
        return;
    }
    w.text(head.trim_end().to_string());
    for item in items {
        wrapped(w, &" ".repeat(value_col), value_col, item, width);
    }
}

/// `text` wrapped to `width`, the first line after `head`, the others indented to
/// `indent` (plus the item marker's width, a hanging indent).
fn wrapped(w: &mut Writer, head: &str, indent: usize, text: &str, width: usize) {
    let hang = marker_width(text);
    for (i, line) in wrap(text, width).into_iter().enumerate() {
        if i == 0 {
            w.text(format!("{head}{line}"));
        } else {
            w.text(format!("{}{line}", " ".repeat(indent + hang)));
        }
    }
}

/// Width of an item's leading marker ("a. ", "- ", "3.a. "), 0 without one.
fn marker_width(text: &str) -> usize {
    let first = text.split(' ').next().unwrap_or("");
    let is_marker = first.len() <= 5
        && (first.ends_with('.') || first.ends_with(')') || first == "-" || first == "\u{F0B7}");
    if is_marker && text.len() > first.len() {
        chars(first) + 1
    } else {
        0
    }
}
