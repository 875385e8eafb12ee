//! Run-together text: a form, or its table, flattened into one paragraph (text previews of
//! document-sharing sites, copy-paste from a viewer). A careful reader still sees where a
//! part begins; this module splits long lines there, into lines of the same number that the
//! rest of the parser reads as usual:
//!
//! - before the IKI title, when text precedes it;
//! - before a field label followed by its colon ("JABATAN :", "Tugas Pokok :");
//! - before and after a run of three or more column names (a table header);
//! - around a place-and-date ("Lumajang, 12 Oktober 2023"), before "NIP", around
//!   "Mengetahui", and between a position and a name that opens with a degree ("Drs.").
//!
//! Lines of ordinary length are left alone, so laid-out text never changes here.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::date::month;
use crate::input::SourceLine;
use crate::vocab;

/// Lines at least this long may be run-together parts.
const MIN_PARAGRAPH_BYTES: usize = 160;

/// Split run-together lines at the boundaries of the form's parts.
pub fn unflatten(lines: Vec<SourceLine<'_>>) -> Vec<SourceLine<'_>> {
    if !lines
        .iter()
        .any(|l| l.given.is_none() && l.text.len() >= MIN_PARAGRAPH_BYTES)
    {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len() + 16);
    let mut tokens = Tokens::new();
    for line in lines {
        if line.given.is_some() || line.text.len() < MIN_PARAGRAPH_BYTES {
            out.push(line);
            continue;
        }
        let cuts = cuts(&line.text, &mut tokens);
        if cuts.is_empty() {
            out.push(line);
            continue;
        }
        let text = line.text.as_ref();
        let mut start = 0;
        for cut in cuts.into_iter().chain(std::iter::once(text.len())) {
            let piece = text[start..cut].trim();
            if !piece.is_empty() {
                out.push(SourceLine {
                    no: line.no,
                    text: Cow::Owned(piece.to_string()),
                    given: None,
                    doubtful: 0,
                });
            }
            start = cut;
        }
    }
    out
}

/// A word of the line: its byte range, its folded form and the title trigrams it holds.
struct Word<'t> {
    start: usize,
    text: &'t str,
    folded: &'t str,
    /// [`vocab::title_trigrams`] of `folded`: a window of words can only be the IKI title
    /// when its words hold three of them together, so most windows skip the title test.
    trigrams: u16,
}

/// The words of `text`, folded into `arena` (one buffer for the line, not one per word).
fn words<'t>(text: &'t str, arena: &'t mut String) -> Vec<Word<'t>> {
    let mut spans = Vec::new(); // (start, end, folded start, folded end)
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                let from = arena.len();
                vocab::fold_into(&text[s..i], arena);
                spans.push((s, i, from, arena.len()));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    let arena: &'t str = arena;
    spans
        .into_iter()
        .map(|(s, e, fs, fe)| Word {
            start: s,
            text: &text[s..e],
            folded: &arena[fs..fe],
            trigrams: vocab::title_trigrams(&arena[fs..fe]),
        })
        .collect()
}

/// Byte offsets where the line splits, ascending, without 0.
/// The header token of each folded word met so far: the words of a document's long lines
/// repeat, and each position of a line may start a header run.
type Tokens = HashMap<String, Option<vocab::HeaderToken>>;

fn cuts(text: &str, tokens: &mut Tokens) -> Vec<usize> {
    let mut arena = String::with_capacity(text.len());
    let words = words(text, &mut arena);
    let mut cuts: Vec<usize> = Vec::new();
    let n = words.len();
    let mut i = 0;
    while i < n {
        // The IKI title: its trigrams gate the test (a trigram lies inside one word, so the
        // window's words hold every trigram its joined text holds).
        let window = &words[i..n.min(i + 4)];
        let trigrams = window.iter().fold(0u16, |m, w| m | w.trigrams);
        if i > 0
            && trigrams.count_ones() >= vocab::TITLE_MIN_TRIGRAMS
            && vocab::is_iki_title(&joined(window))
        {
            cuts.push(words[i].start);
        }
        // A label before its colon: "Tugas Pokok :" or "JABATAN:".
        if let Some(len) = label_before_colon(&words[i..]) {
            // A field number ("II.", "2.", "3)") or bullet goes with its label.
            let at = if i > 0 && is_field_number(words[i - 1].text) {
                i - 1
            } else {
                i
            };
            if at > 0 {
                cuts.push(words[at].start);
            }
            i += len;
            continue;
        }
        // A table header: three or more column names in a row.
        let run = header_run(&words[i..], tokens);
        if run > 0 {
            if i > 0 {
                cuts.push(words[i].start);
            }
            if i + run < n {
                cuts.push(words[i + run].start);
            }
            i += run;
            continue;
        }
        // A place and date: "Lumajang, 12 Oktober 2023".
        if let Some((place, len)) = place_date(&words, i) {
            if place > 0 {
                cuts.push(words[place].start);
            }
            if i + len < n {
                cuts.push(words[i + len].start);
            }
            i += len;
            continue;
        }
        let f = words[i].folded;
        if i > 0 && (f == "nip" || (f.starts_with("nip") && words[i].text.len() <= 5)) {
            cuts.push(words[i].start);
        }
        if vocab::is_approve(f) {
            if i > 0 {
                cuts.push(words[i].start);
            }
            if i + 1 < n {
                cuts.push(words[i + 1].start);
            }
        }
        if i > 0 && is_prefix_degree(words[i].text) && vocab::is_position(words[i - 1].folded) {
            cuts.push(words[i].start);
        }
        i += 1;
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.retain(|&c| c > 0 && c < text.len());
    cuts
}

fn joined(words: &[Word<'_>]) -> String {
    words
        .iter()
        .map(|w| w.folded)
        .filter(|f| !f.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The number of words of a field label that starts `words` and ends at a colon (on its
/// last word, or standing alone after it).
fn label_before_colon(words: &[Word<'_>]) -> Option<usize> {
    for len in 1..=3usize.min(words.len()) {
        let last = &words[len - 1];
        let colon_on_word = last.text.ends_with(':');
        let colon_after = words.get(len).is_some_and(|w| w.text == ":");
        if !(colon_on_word || colon_after) {
            continue;
        }
        let name = joined(&words[..len]);
        return vocab::label(&name).map(|_| len + usize::from(colon_after));
    }
    None
}

/// The number of words of a run of three or more column names that starts `words`; 0 when
/// none does.
fn header_run(words: &[Word<'_>], tokens: &mut Tokens) -> usize {
    let mut columns = Vec::new();
    let mut taken = 0;
    for (k, w) in words.iter().enumerate() {
        let f = w.folded;
        if f.is_empty() {
            taken = k + 1;
            continue;
        }
        let token = match tokens.get(f) {
            Some(token) => *token,
            None => *tokens
                .entry(f.to_string())
                .or_insert_with(|| vocab::header_token(f)),
        };
        match token {
            Some(vocab::HeaderToken::Names(col)) if columns.last() != Some(&col) => {
                columns.push(col)
            }
            Some(vocab::HeaderToken::Names(_)) => {}
            Some(vocab::HeaderToken::Tail) if !columns.is_empty() => {}
            _ => break,
        }
        taken = k + 1;
        if columns.is_empty() {
            return 0;
        }
    }
    let named = columns
        .iter()
        .filter(|c| **c != vocab::Column::Other)
        .count();
    let has = |c: vocab::Column| columns.contains(&c);
    let table =
        has(vocab::Column::Indikator) || (has(vocab::Column::Sasaran) && has(vocab::Column::Rumus));
    if named >= 3 && table {
        taken
    } else {
        0
    }
}

/// A place and date whose day starts at word `i - ...`: finds "Place, DD Month YYYY" where
/// word `i` is the place's last word (ending with a comma). Returns the index of the place's
/// first word and the number of words from `i` to the year.
fn place_date(words: &[Word<'_>], i: usize) -> Option<(usize, usize)> {
    let w = &words[i];
    if !w.text.ends_with(',') || w.text.len() < 3 {
        return None;
    }
    let day = words.get(i + 1)?;
    let month_word = words.get(i + 2)?;
    let year = words.get(i + 3)?;
    let day_ok = day.text.len() <= 2 && day.text.bytes().all(|b| b.is_ascii_digit());
    let year_ok = year.text.len() >= 4 && year.text[..4].bytes().all(|b| b.is_ascii_digit());
    if !(day_ok && year_ok && month(month_word.text).is_some()) {
        return None;
    }
    // The place: this word, and the one before when it is capitalised too ("Kota Batu,").
    let place = if i > 0
        && words[i - 1].text.starts_with(|c: char| c.is_uppercase())
        && words[i - 1].folded == "kota"
    {
        i - 1
    } else {
        i
    };
    Some((place, 4))
}

/// "2.", "II.", "3)", "-": what numbers or marks a field.
fn is_field_number(word: &str) -> bool {
    let t = word.trim_end_matches(['.', ')']);
    word == "-"
        || (t.len() < word.len()
            && !t.is_empty()
            && t.len() <= 4
            && (t.bytes().all(|b| b.is_ascii_digit()) || t.bytes().all(|b| b"IVX".contains(&b))))
}

fn is_prefix_degree(word: &str) -> bool {
    if !word.ends_with('.') {
        return false;
    }
    let bare = word.trim_end_matches('.').to_lowercase();
    ["drs", "dra", "dr", "ir", "h", "hj", "prof"].contains(&bare.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<String> {
        let lines = vec![SourceLine {
            no: 1,
            text: Cow::Borrowed(text),
            given: None,
            doubtful: 0,
        }];
        unflatten(lines)
            .into_iter()
            .map(|l| l.text.into_owned())
            .collect()
    }

    #[test]
    fn a_form_in_one_paragraph() {
        let text = "INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2022 KEPALA SEKSI PELAYANAN UMUM Jabatan : Kepala Seksi Pelayanan Umum Tugas Pokok : melaksanakan pelayanan administrasi No Sasaran Indikator Kinerja Rumus Target 1 Meningkatnya kualitas pelayanan Persentase layanan 95 % Sumberwaru, 3 Januari 2022 Kepala Seksi Pelayanan Umum DEWI ANGGRAENI, S.AP NIP. 19850217 201001 2 009";
        assert_eq!(
            split(text),
            [
                "INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2022 KEPALA SEKSI PELAYANAN UMUM",
                "Jabatan : Kepala Seksi Pelayanan Umum",
                "Tugas Pokok : melaksanakan pelayanan administrasi",
                "No Sasaran Indikator Kinerja Rumus Target",
                "1 Meningkatnya kualitas pelayanan Persentase layanan 95 %",
                "Sumberwaru, 3 Januari 2022",
                "Kepala Seksi Pelayanan Umum DEWI ANGGRAENI, S.AP",
                "NIP. 19850217 201001 2 009",
            ]
        );
    }

    #[test]
    fn ordinary_lines_are_left_alone() {
        let text = "Jabatan : Kepala Seksi";
        assert_eq!(split(text), [text]);
    }
}
