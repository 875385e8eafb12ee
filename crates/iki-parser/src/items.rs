//! Lettered and numbered item lists: tugas pokok, fungsi, tujuan, indikator tujuan.
//!
//! ```text
//! item_line = [bullet] [marker] text
//! bullet    = ("-" | "*" | "•") space
//! marker    = number ["." letter] ("." | ")") space     ; "1.", "3.a.", "2)"
//!           | letter ("." | ")") space                  ; "a.", "b)"
//! ```
//! Items written inline ("a. satu ; b. dua ;") are split at each *next* marker in sequence
//! only, so an abbreviation such as "Kab. Lumajang" never starts an item.

use nom::branch::alt;
use nom::bytes::complete::take_while_m_n;
use nom::character::complete::{char, one_of, satisfy, space0, space1};
use nom::combinator::{eof, opt, recognize};
use nom::{IResult, Parser};

use crate::model::{Item, Warning, WarningCode};

/// `bullet = ("-" | "*" | "•") space`.
fn bullet(input: &str) -> IResult<&str, char> {
    let (input, (b, _)) = (one_of("-*•–"), space1).parse(input)?;
    Ok((input, b))
}

/// `number ["." letter]`.
fn numeric_label(input: &str) -> IResult<&str, &str> {
    recognize((
        take_while_m_n(1, 3, |c: char| c.is_ascii_digit()),
        opt((char('.'), satisfy(|c| c.is_ascii_lowercase()))),
    ))
    .parse(input)
}

fn letter_label(input: &str) -> IResult<&str, &str> {
    recognize(satisfy(|c| c.is_ascii_lowercase())).parse(input)
}

/// `marker = label ("." | ")") (space | end)`; returns the label without punctuation.
pub fn marker(input: &str) -> IResult<&str, &str> {
    let (input, (label, _, _)) = (
        alt((numeric_label, letter_label)),
        one_of(".)"),
        alt((space1, eof)),
    )
        .parse(input)?;
    Ok((input, label))
}

/// A line split into its optional bullet, optional label and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLine<'a> {
    pub bullet: bool,
    pub label: Option<&'a str>,
    pub text: &'a str,
}

pub fn item_line(line: &str) -> ItemLine<'_> {
    let line = line.trim();
    let (rest, had_bullet) = match (space0::<_, nom::error::Error<&str>>, bullet).parse(line) {
        Ok((rest, _)) => (rest, true),
        Err(_) => (line, false),
    };
    match marker(rest) {
        Ok((text, label)) => ItemLine {
            bullet: had_bullet,
            label: Some(label),
            text: text.trim(),
        },
        Err(_) => ItemLine {
            bullet: had_bullet,
            label: None,
            text: rest.trim(),
        },
    }
}

/// The label expected after `label` in the same list: "a" → "b", "3" → "4", "3.a" → "b".
fn next_label(label: &str) -> Option<String> {
    let last = label.rsplit('.').next()?;
    if let Ok(n) = last.parse::<u32>() {
        return Some((n + 1).to_string());
    }
    let c = last.chars().next()?;
    (c.is_ascii_lowercase() && c != 'z')
        .then(|| ((c as u8) + 1) as char)
        .map(String::from)
}

/// Split inline items: text after `label` up to the next expected marker, repeatedly.
fn split_inline(label: &str, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut label = label.to_string();
    let mut rest = text;
    while let Some(next) = next_label(&label) {
        let Some((cut, after)) = find_marker(rest, &next) else {
            break;
        };
        out.push((label, rest[..cut].trim().to_string()));
        label = next;
        rest = after;
    }
    out.push((label, rest.trim().to_string()));
    out
}

/// Position of " next." / ";next)" in `text` (preceded by whitespace or ";"), and the text
/// after the marker.
fn find_marker<'a>(text: &'a str, next: &str) -> Option<(usize, &'a str)> {
    let mut from = 0;
    while let Some(i) = text[from..].find(next).map(|i| i + from) {
        let before_ok = text[..i]
            .chars()
            .last()
            .is_some_and(|c| c.is_whitespace() || c == ';');
        if before_ok {
            if let Ok((after, _)) = marker(&text[i..]) {
                return Some((i, after));
            }
        }
        from = i + next.len();
    }
    None
}

/// Builds one list from the lines under its label.
#[derive(Debug, Default)]
pub struct ListBuilder {
    pub items: Vec<Item>,
}

impl ListBuilder {
    /// Add one line of the list (the label's own value counts as a line).
    pub fn push(&mut self, text: &str, line: usize) {
        self.push_after(text, line, false);
    }

    /// Add one line; `wrapped_above` says the line above ran to the text's wrap width, so an
    /// unmarked line continues it even when it starts with a capital.
    pub fn push_after(&mut self, text: &str, line: usize, wrapped_above: bool) {
        // A value written under its label keeps the label's colon: ": BENDAHARA".
        let parsed = item_line(text.trim_start().trim_start_matches(':'));
        if parsed.text.is_empty() && parsed.label.is_none() {
            return;
        }
        match parsed.label {
            Some(label) => {
                for (label, text) in split_inline(label, parsed.text) {
                    self.items.push(Item {
                        label: Some(label),
                        text,
                        line,
                    });
                }
            }
            None => {
                let continues = !parsed.bullet
                    && (self.continues_last(parsed.text)
                        || (wrapped_above && !self.items.is_empty()));
                match self.items.last_mut() {
                    Some(last) if continues => {
                        last.text.push(' ');
                        last.text.push_str(parsed.text);
                    }
                    _ => self.items.push(Item {
                        label: None,
                        text: parsed.text.to_string(),
                        line,
                    }),
                }
            }
        }
    }

    /// An unmarked line continues the previous item when that item is labelled, or when it
    /// does not end a sentence and this line starts in lowercase (a wrapped line).
    fn continues_last(&self, text: &str) -> bool {
        let Some(last) = self.items.last() else {
            return false;
        };
        if last.label.is_some() {
            return true;
        }
        let ended = last.text.ends_with(['.', ';', ':']);
        let lower = text.starts_with(|c: char| c.is_lowercase());
        !ended && lower
    }

    pub fn finish(self, list_name: &str, warnings: &mut Vec<Warning>) -> Vec<Item> {
        check_sequence(&self.items, list_name, warnings);
        self.items
    }
}

/// Warn where letters restart or skip ("a, b, a, b" or "j, l").
fn check_sequence(items: &[Item], list_name: &str, warnings: &mut Vec<Warning>) {
    let mut prev: Option<&str> = None;
    for item in items {
        let Some(label) = item.label.as_deref() else {
            continue;
        };
        if let Some(p) = prev {
            let expected = next_label(p);
            if expected.as_deref() != Some(label.rsplit('.').next().unwrap_or(label))
                && !label.contains('.')
            {
                let code = if label <= p {
                    WarningCode::ListLabelRestarted
                } else {
                    WarningCode::ListLabelSkipped
                };
                warnings.push(Warning::new(
                    code,
                    format!("{list_name}: item \"{label}\" follows \"{p}\""),
                    Some(item.line),
                ));
            }
        }
        prev = Some(label);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_known_answers() {
        let cases = [
            ("a. menyusun rencana", Some("a"), "menyusun rencana", false),
            ("- b. melaksanakan", Some("b"), "melaksanakan", true),
            (
                "3.a. Persentase Desa",
                Some("3.a"),
                "Persentase Desa",
                false,
            ),
            ("12) Jumlah", Some("12"), "Jumlah", false),
            ("- melaksanakan tugas", None, "melaksanakan tugas", true),
            (
                "Meningkatnya Koordinasi",
                None,
                "Meningkatnya Koordinasi",
                false,
            ),
            ("Kab. Lumajang", None, "Kab. Lumajang", false),
        ];
        for (line, label, text, bullet) in cases {
            let p = item_line(line);
            assert_eq!((p.label, p.text, p.bullet), (label, text, bullet), "{line}");
        }
    }

    #[test]
    fn inline_items_split_in_sequence() {
        let mut b = ListBuilder::default();
        b.push("a. satu Kab. Lumajang ; b. dua c. tiga ; e. lima", 7);
        let items = b.finish("fungsi", &mut Vec::new());
        let got: Vec<_> = items
            .iter()
            .map(|i| (i.label.clone().unwrap(), i.text.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a".into(), "satu Kab. Lumajang ;".into()),
                ("b".into(), "dua".into()),
                ("c".into(), "tiga ; e. lima".into()),
            ]
        );
    }

    #[test]
    fn continuation_and_plain_items() {
        let mut b = ListBuilder::default();
        b.push("Meningkatnya Koordinasi Desa", 1);
        b.push("Meningkatnya Pemberdayaan", 2);
        b.push("dan Kesejahteraan", 3);
        let items = b.finish("tujuan", &mut Vec::new());
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].text, "Meningkatnya Pemberdayaan dan Kesejahteraan");
        assert_eq!(items[1].label, None);
    }

    #[test]
    fn sequence_warnings() {
        let mut b = ListBuilder::default();
        for (i, l) in ["a. x", "b. y", "a. z", "c. w", "e. v"].iter().enumerate() {
            b.push(l, i + 1);
        }
        let mut w = Vec::new();
        b.finish("tugas_pokok", &mut w);
        let codes: Vec<_> = w.iter().map(|w| w.code.clone()).collect();
        assert_eq!(
            codes,
            [
                WarningCode::ListLabelRestarted,
                WarningCode::ListLabelSkipped,
                WarningCode::ListLabelSkipped
            ]
        );
    }
}
