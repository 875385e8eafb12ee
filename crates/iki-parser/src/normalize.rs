//! The normalised line model every grammar reads: one [`Line`] per physical input line, its
//! tab-separated cells with markup removed (`**`, HTML tags, LaTeX) and whitespace collapsed.
//!
//! Line numbers are kept exactly (separator rows such as `--\t--` become blank lines rather than
//! disappearing), so every extracted value can point back at its source line.

use std::sync::LazyLock;

use regex::Regex;

/// One physical input line after markup removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the input text.
    pub no: usize,
    /// Cells, cleaned; empty cells are kept because their position matters. A tabbed line's
    /// cells are its tab-separated fields; any other line is split at wide gaps (4+ spaces),
    /// as side-by-side signature blocks are.
    pub cells: Vec<String>,
    /// Where each cell starts: the character column for a space-laid line, the field index
    /// times [`TAB_X`] for a tabbed line.
    pub starts: Vec<usize>,
    /// Whether the cells come from tabs, pipes or an HTML / space-aligned table: a table line.
    pub tabbed: bool,
    /// The non-empty cells joined with one space.
    pub text: String,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// The character column where the line's text ends (space-laid lines only).
    pub fn end_x(&self) -> Option<usize> {
        if self.tabbed {
            return None;
        }
        let (cell, start) = self
            .cells
            .iter()
            .zip(&self.starts)
            .rev()
            .find(|(c, _)| !c.is_empty())?;
        Some(start + cell.chars().count())
    }

    /// Number of cells that hold text.
    pub fn filled(&self) -> usize {
        self.cells.iter().filter(|c| !c.is_empty()).count()
    }
}

/// Split `text` into cleaned lines (CRLF, CR and LF all end a line).
pub fn lines(text: &str) -> Vec<Line> {
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let text = crate::html_table::rewrite(&text);
    let text = crate::layout::rewrite_tables(&text);
    text.split('\n')
        .enumerate()
        .flat_map(|(i, raw)| {
            raw.split(crate::html_table::ROW_BREAK)
                .map(move |piece| line(i + 1, piece))
        })
        .collect()
}

/// Synthetic column distance between tab fields, for [`Line::starts`].
pub const TAB_X: usize = 10_000;

fn line(no: usize, raw: &str) -> Line {
    let (raw_cells, starts, tabbed): (Vec<&str>, Vec<usize>, bool) = if raw.contains('\t') {
        let cells: Vec<&str> = raw.split('\t').collect();
        let starts = (0..cells.len()).map(|i| i * TAB_X).collect();
        (cells, starts, true)
    } else if let Some(cells) = pipe_cells(raw) {
        let starts = (0..cells.len()).map(|i| i * TAB_X).collect();
        (cells, starts, true)
    } else {
        let (cells, starts) = gap_cells(raw);
        (cells, starts, false)
    };
    let mut cells: Vec<String> = raw_cells.into_iter().map(clean_cell).collect();
    let mut starts = starts;
    if is_separator_row(&cells) || is_page_furniture(&cells) {
        cells = vec![String::new()];
        starts = vec![0];
    }
    let mut text = String::with_capacity(raw.len());
    for cell in cells.iter().filter(|c| !c.is_empty()) {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(cell);
    }
    Line {
        no,
        cells,
        starts,
        text,
        tabbed,
    }
}

/// Split a line without tabs at gaps of four or more spaces; with the character column where
/// each part starts.
fn gap_cells(raw: &str) -> (Vec<&str>, Vec<usize>) {
    let mut cells = Vec::new();
    let mut starts = Vec::new();
    let mut cell_start: Option<(usize, usize)> = None; // (byte, char column)
    let mut spaces = 0;
    let mut last_end = 0;
    for (col, (byte, c)) in raw.char_indices().enumerate() {
        if c == ' ' || c == '\u{a0}' {
            spaces += 1;
            continue;
        }
        match cell_start {
            Some((b, x)) if spaces >= 4 => {
                cells.push(&raw[b..last_end]);
                starts.push(x);
                cell_start = Some((byte, col));
            }
            None => cell_start = Some((byte, col)),
            _ => {}
        }
        spaces = 0;
        last_end = byte + c.len_utf8();
    }
    match cell_start {
        Some((b, x)) => {
            cells.push(&raw[b..last_end]);
            starts.push(x);
        }
        None => {
            cells.push("");
            starts.push(0);
        }
    }
    (cells, starts)
}

/// The cells of a Markdown pipe row `| a | | c |`; `None` for any other line.
fn pipe_cells(raw: &str) -> Option<Vec<&str>> {
    let t = raw.trim();
    let inner = t.strip_prefix('|')?.strip_suffix('|')?;
    inner.contains('|').then(|| inner.split('|').collect())
}

/// Page numbers and viewer boilerplate: "- 4 -", "Halaman 2 dari 9", "Anda di halaman 1 dari 45".
fn is_page_furniture(cells: &[String]) -> bool {
    let filled: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
    filled.len() == 1 && is_furniture_text(filled[0])
}

pub use crate::vocab::is_furniture_text;

/// A table rule such as `--\t---\t--` or `|---|---|`: dashes, pipes, colons and `=` only.
fn is_separator_row(cells: &[String]) -> bool {
    let rule = |c: char| matches!(c, '-' | '|' | ':' | '=' | '+' | ' ');
    cells.iter().all(|c| c.chars().all(rule)) && cells.concat().contains("--")
}

static HTML_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)</?(?:b|strong|i|em|u|ol|ul|li|p|br|span|div|font|sup|sub|center|h[1-6])\b[^>]*>",
    )
    .expect("valid regex")
});
static LATEX_SPAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$([^$]*)\$").expect("valid regex"));

/// Remove markup from one cell and collapse whitespace.
pub fn clean_cell(raw: &str) -> String {
    // Most cells hold no markup at all.
    if !raw
        .bytes()
        .any(|b| matches!(b, b'*' | b'_' | b'<' | b'&' | b'#' | b'$' | b'\\'))
    {
        return collapse(raw);
    }
    let mut s = if raw.contains("**") || raw.contains("__") {
        raw.replace("**", " ").replace("__", " ")
    } else {
        raw.to_string()
    };
    if s.contains('<') {
        s = HTML_TAG.replace_all(&s, " ").into_owned();
    }
    if s.contains('&') {
        s = s
            .replace("&nbsp;", " ")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
    }
    if s.starts_with('#') {
        // A Markdown heading marker: "## SEKRETARIS".
        let rest = s.trim_start_matches('#');
        if rest.starts_with(' ') {
            s = rest.to_string();
        }
    }
    if s.contains('$') {
        s = LATEX_SPAN
            .replace_all(&s, |c: &regex::Captures| latex_to_text(&c[1]))
            .into_owned();
    } else if s.contains("\\frac") || s.contains("\\text") {
        s = latex_to_text(&s);
    }
    collapse(&s)
}

/// Collapse whitespace runs (including NBSP) into one space; map bullet glyphs to "-".
pub fn collapse(s: &str) -> String {
    if s.is_ascii() {
        return collapse_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        let c = match c {
            '\u{F0B7}' | '\u{2022}' | '\u{25CF}' | '\u{25AA}' | '\u{F0A7}' | '\u{F0D8}' => '-',
            c => c,
        };
        if c.is_whitespace() || c.is_control() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// [`collapse`] for ASCII text, byte by byte.
fn collapse_ascii(s: &str) -> String {
    // Most text is already collapsed: single spaces between words, nothing else.
    let bytes = s.as_bytes();
    let clean = bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !bytes.windows(2).any(|w| w == b"  ")
        && !bytes
            .iter()
            .any(|&b| b != b' ' && (b.is_ascii_whitespace() || b.is_ascii_control()));
    if clean {
        return s.to_string();
    }
    let mut out = Vec::with_capacity(s.len());
    let mut pending_space = false;
    for &b in s.as_bytes() {
        if b.is_ascii_whitespace() || b.is_ascii_control() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(b' ');
                pending_space = false;
            }
            out.push(b);
        }
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// Deepest brace nesting LaTeX conversion follows; deeper input is kept as plain text.
const MAX_LATEX_DEPTH: usize = 16;

/// LaTeX formula text to plain text: `\frac{A}{B}` → `A / B`, `\times` → `x`, `\%` → `%`,
/// `\text{..}` → its content, `\left(`/`\right)` → parentheses; other commands dropped.
pub fn latex_to_text(src: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = src.chars().collect();
    let mut pos = 0;
    latex_group(&chars, &mut pos, &mut out, 0, false);
    tidy_parens(&collapse(&out))
}

/// Convert until the end of input or, when `in_braces`, the matching `}`.
fn latex_group(chars: &[char], pos: &mut usize, out: &mut String, depth: usize, in_braces: bool) {
    while *pos < chars.len() {
        let c = chars[*pos];
        *pos += 1;
        match c {
            '}' if in_braces => return,
            '{' => {
                if depth < MAX_LATEX_DEPTH {
                    latex_group(chars, pos, out, depth + 1, true);
                }
            }
            '\\' => latex_command(chars, pos, out, depth),
            '$' => {}
            c => out.push(c),
        }
    }
}

fn latex_command(chars: &[char], pos: &mut usize, out: &mut String, depth: usize) {
    let start = *pos;
    while *pos < chars.len() && chars[*pos].is_ascii_alphabetic() {
        *pos += 1;
    }
    let name: String = chars[start..*pos].iter().collect();
    if name.is_empty() {
        // An escaped symbol: `\%`, `\\` (line break), `\,` (thin space) ...
        if let Some(&sym) = chars.get(*pos) {
            *pos += 1;
            match sym {
                '%' | '&' | '#' | '_' | '{' | '}' | '$' => out.push(sym),
                _ => out.push(' '),
            }
        }
        return;
    }
    match name.as_str() {
        "frac" | "dfrac" | "tfrac" => {
            let numerator = latex_argument(chars, pos, depth);
            let denominator = latex_argument(chars, pos, depth);
            out.push_str(&format!(" {numerator} / {denominator} "));
        }
        "text" | "textbf" | "mathrm" | "textit" | "mbox" | "operatorname" => {
            out.push_str(&latex_argument(chars, pos, depth));
        }
        "times" | "cdot" => out.push_str(" x "),
        "div" => out.push_str(" / "),
        "left" | "right" | "big" | "Big" | "bigg" | "Bigg" => {}
        "begin" | "end" => {
            latex_argument(chars, pos, depth);
            // `\begin{array}{l}`: the column spec is a second argument.
            skip_spaces(chars, pos);
            if chars.get(*pos) == Some(&'{') && name == "begin" {
                latex_argument(chars, pos, depth);
            }
        }
        "sum" => out.push_str(" jumlah "),
        _ => out.push(' '),
    }
}

fn skip_spaces(chars: &[char], pos: &mut usize) {
    while *pos < chars.len() && chars[*pos].is_whitespace() {
        *pos += 1;
    }
}

/// One `{...}` argument (or a single character) converted to text.
fn latex_argument(chars: &[char], pos: &mut usize, depth: usize) -> String {
    skip_spaces(chars, pos);
    let mut arg = String::new();
    match chars.get(*pos) {
        Some('{') => {
            *pos += 1;
            if depth < MAX_LATEX_DEPTH {
                latex_group(chars, pos, &mut arg, depth + 1, true);
            }
        }
        Some(&c) => {
            *pos += 1;
            arg.push(c);
        }
        None => {}
    }
    collapse(&arg)
}

/// `( a + b )` → `(a + b)`.
fn tidy_parens(s: &str) -> String {
    s.replace("( ", "(").replace(" )", ")")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_known_answers() {
        let cases = [
            (
                "**INDIKATOR KINERJA INDIVIDU (IKI)****ANALIS**",
                "INDIKATOR KINERJA INDIVIDU (IKI) ANALIS",
            ),
            ("<b>NO</b>", "NO"),
            (
                "<ol style=\"list-style-type: none\"> a. satu ; b. dua",
                "a. satu ; b. dua",
            ),
            ("a\u{a0}\u{a0}b  c ", "a b c"),
            ("\u{F0B7} butir", "- butir"),
            (
                r"$\frac{\text{Jumlah A}}{\text{Jumlah B}} \times 100\%$",
                "Jumlah A / Jumlah B x 100%",
            ),
            (
                r"$(\text{Jumlah A} / \text{Jumlah B}) \times 100$",
                "(Jumlah A / Jumlah B) x 100",
            ),
            (
                r"$\frac{\text{Jumlah} \left(\begin{array}{l} \text{a} + \\ \text{b} \end{array} \right)}{2} \times 100$",
                "Jumlah (a + b) / 2 x 100",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(clean_cell(input), expected, "input: {input}");
        }
    }

    #[test]
    fn pipes_and_furniture() {
        let ls = lines("| No | Sasaran |\n|---|---|\n|  | x |\n- 4 -\nHalaman 2 dari 9\nAnda di halaman 1 dari 45\n1.\nDokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh BSrE");
        assert_eq!(ls[0].cells, vec!["No", "Sasaran"]);
        assert!(ls[1].is_blank());
        assert_eq!(ls[2].cells, vec!["", "x"]);
        assert!(ls[3].is_blank() && ls[4].is_blank() && ls[5].is_blank());
        assert_eq!(ls[6].text, "1.");
        assert!(ls[7].is_blank());
    }

    #[test]
    fn lines_keep_numbers_and_cells() {
        let ls = lines("No\tSasaran\r\n--\t--\n\t\tx\n");
        assert_eq!(ls.len(), 4);
        assert_eq!(ls[0].cells, vec!["No", "Sasaran"]);
        assert!(ls[1].is_blank());
        assert_eq!(ls[2].cells, vec!["", "", "x"]);
        assert_eq!(ls[2].no, 3);
        assert_eq!(ls[2].filled(), 1);
    }

    #[test]
    fn deep_latex_does_not_overflow() {
        let deep = format!("${}x{}$", "{".repeat(10_000), "}".repeat(10_000));
        let _ = clean_cell(&deep);
    }
}
