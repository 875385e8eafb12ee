//! Markup inside a cell or line: HTML inline tags, `**` / `__`, entities, Markdown heading
//! marks and LaTeX formulas (`$\\frac{A}{B} \\times 100\\%$` → `A / B x 100%`), removed with
//! whitespace collapsed. The scanner calls it only on text that holds a markup character.

use std::sync::LazyLock;

use regex::Regex;

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
    fn deep_latex_does_not_overflow() {
        let deep = format!("${}x{}$", "{".repeat(10_000), "}".repeat(10_000));
        let _ = clean_cell(&deep);
    }
}
