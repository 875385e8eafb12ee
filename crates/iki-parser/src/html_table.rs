//! HTML tables (`<table><tr><td>`) as lines of given cells, before the line model is built,
//! so the table readers read them like any other explicit cells.
//!
//! Each `<tr>` becomes one line of tab-separated cells; a `rowspan` cell leaves an empty cell in
//! the rows it spans (the continuation-row shape), a `colspan` cell is followed by empty cells.
//! The newlines a row spanned are kept after it, so line numbers still point at the source.

use std::sync::LazyLock;

use regex::Regex;

use std::borrow::Cow;

use crate::input::SourceLine;

static SPAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)(row|col)span\s*=\s*["']?(\d+)"#).expect("valid regex"));
static WRAPPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</?(?:table|thead|tbody|tfoot|colgroup|col|caption)\b[^>]*>")
        .expect("valid regex")
});
static INNER_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").expect("valid regex"));

/// An element found by [`elements`]: its attributes and its body (up to its end tag, the next
/// element of the same kind, or `stop`).
struct Element<'a> {
    start: usize,
    end: usize,
    attrs: &'a str,
    body: &'a str,
}

/// The next occurrence of a needle at or after a position, remembered so that a scan over a
/// whole text stays linear (no needle is searched for twice over the same bytes).
struct NextFinder<'n> {
    needle: &'n str,
    /// Known next match at or after `searched_from`; `None` when there is none.
    next: Option<usize>,
    searched_from: usize,
    searched: bool,
}

impl<'n> NextFinder<'n> {
    fn new(needle: &'n str) -> Self {
        NextFinder {
            needle,
            next: None,
            searched_from: 0,
            searched: false,
        }
    }

    fn at_or_after(&mut self, lower: &str, from: usize) -> Option<usize> {
        let stale = match self.next {
            Some(n) => n < from,
            None => !self.searched || from < self.searched_from,
        };
        if stale {
            let mut at = from;
            self.next = loop {
                match lower[at..].find(self.needle) {
                    Some(i) if is_tag_boundary(lower, at + i + self.needle.len()) => {
                        break Some(at + i)
                    }
                    Some(i) => at += i + self.needle.len(),
                    None => break None,
                }
            };
            self.searched_from = from;
            self.searched = true;
        }
        self.next
    }
}

/// Elements opened by any of `open` ("<tr") in `text`, in order. `lower` is `text` in ASCII
/// lowercase (same byte offsets). A missing end tag ends the element at the next opening.
fn elements<'a>(
    text: &'a str,
    lower: &str,
    open: &[&str],
    close: &[&str],
    stop: &str,
) -> Vec<Element<'a>> {
    let mut opens: Vec<NextFinder> = open.iter().map(|n| NextFinder::new(n)).collect();
    let mut closes: Vec<NextFinder> = close.iter().map(|n| NextFinder::new(n)).collect();
    let mut stops = NextFinder::new(stop);
    let first = |finders: &mut Vec<NextFinder>, from: usize| {
        finders
            .iter_mut()
            .filter_map(|f| f.at_or_after(lower, from).map(|i| (i, f.needle.len())))
            .min()
    };
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some((start, len)) = first(&mut opens, pos) {
        let Some(gt) = lower[start + len..].find('>').map(|i| i + start + len) else {
            break;
        };
        let body_start = gt + 1;
        let next_open = first(&mut opens, body_start).map(|(i, _)| i);
        let closing = first(&mut closes, body_start);
        let stop_at = stops.at_or_after(lower, body_start);
        let candidates = [closing.map(|(i, _)| i), next_open, stop_at];
        let body_end = candidates
            .iter()
            .flatten()
            .min()
            .copied()
            .unwrap_or(text.len());
        let end = match closing {
            Some((i, l)) if i == body_end => lower[i + l..]
                .find('>')
                .map_or(text.len(), |g| i + l + g + 1),
            _ => body_end,
        };
        out.push(Element {
            start,
            end,
            attrs: &text[start + len..gt],
            body: &text[body_start..body_end],
        });
        pos = end.max(body_start);
    }
    out
}

/// The tag name ends here ("<td>" or "<td class"), so "<tdx" or "<thead" do not count.
fn is_tag_boundary(lower: &str, at: usize) -> bool {
    lower[at..]
        .chars()
        .next()
        .is_none_or(|c| c == '>' || c.is_whitespace() || c == '/')
}

/// Largest rowspan / colspan honoured; hostile values are clamped.
const MAX_SPAN: usize = 64;

/// The lines of `text` with each HTML table row as one line of given cells, at the line
/// where the row starts; `None` when the text has no table cells (`<td`/`<th`).
pub fn source_lines(text: &str) -> Option<Vec<SourceLine<'_>>> {
    if !text.contains('<') {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    if !(lower.contains("<td") || lower.contains("<th")) {
        return None;
    }
    let mut out: Vec<SourceLine<'_>> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut no = 1u32;
    let mut pos = 0;
    let mut table = 0u32;
    // Text outside rows, line by line; a piece on the line of a row is a line of its own.
    let plain = |out: &mut Vec<SourceLine<'_>>, piece: &str, no: &mut u32| {
        let mut first = true;
        for line in crate::input::split_lines(piece) {
            if !first {
                *no += 1;
            }
            first = false;
            let cleaned = WRAPPER.replace_all(line, "");
            if !cleaned.trim().is_empty() || out.last().is_none_or(|l| l.no != *no) {
                out.push(SourceLine {
                    no: *no,
                    text: Cow::Owned(cleaned.into_owned()),
                    given: None,
                });
            }
        }
    };
    for row in elements(text, &lower, &["<tr"], &["</tr"], "</table") {
        plain(&mut out, &text[pos..row.start], &mut no);
        // The piece before the row on its line, if blank, is replaced by the row.
        if out
            .last()
            .is_some_and(|l| l.no == no && l.given.is_none() && l.text.trim().is_empty())
        {
            out.pop();
        }
        // Rows of one table: no `</table>` or `<table` between them.
        let between = &lower[pos..row.start];
        if table == 0 || between.contains("<table") || between.contains("</table") {
            table += 1;
        }
        out.push(SourceLine {
            no,
            text: Cow::Owned(row_line(row.body, &mut spans)),
            given: Some(table),
        });
        no += text[row.start..row.end].matches('\n').count() as u32;
        pos = row.end;
    }
    let rest = &text[pos..];
    plain(&mut out, rest, &mut no);
    // A row that ends its line leaves an empty piece behind: drop it unless it is the
    // line's only entry.
    out.dedup_by(|b, a| {
        a.no == b.no && b.text.trim().is_empty() && b.given.is_none() && a.given.is_some()
    });
    Some(out)
}

/// One `<tr>` body as tab-separated cells, honouring spans from rows above.
fn row_line(body: &str, spans: &mut Vec<(usize, usize)>) -> String {
    let mut cells: Vec<String> = Vec::new();
    let mut new_spans = Vec::new();
    let lower = body.to_ascii_lowercase();
    for cell in elements(body, &lower, &["<td", "<th"], &["</td", "</th"], "</tr") {
        while let Some(pos) = spans.iter().position(|&(col, _)| col == cells.len()) {
            cells.push(String::new());
            spans[pos].1 -= 1;
        }
        let (rowspan, colspan) = span_attrs(cell.attrs);
        let text = INNER_TAG.replace_all(cell.body, " ");
        let text = text.replace(['\n', '\r', '\t'], " ");
        if rowspan > 1 {
            new_spans.push((cells.len(), rowspan - 1));
        }
        cells.push(text.trim().to_string());
        cells.extend(std::iter::repeat_n(String::new(), colspan - 1));
    }
    // Spanned columns at the end of the row.
    while let Some(pos) = spans
        .iter()
        .position(|&(col, n)| col == cells.len() && n > 0)
    {
        cells.push(String::new());
        spans[pos].1 -= 1;
    }
    for (_, n) in spans.iter_mut().filter(|(col, _)| *col >= cells.len()) {
        *n = n.saturating_sub(1);
    }
    spans.retain(|&(_, n)| n > 0);
    spans.extend(new_spans);
    cells.join("\t")
}

fn span_attrs(attrs: &str) -> (usize, usize) {
    let mut rowspan = 1;
    let mut colspan = 1;
    for caps in SPAN.captures_iter(attrs) {
        let n: usize = caps[2].parse().unwrap_or(1);
        let n = n.clamp(1, MAX_SPAN);
        if caps[1].eq_ignore_ascii_case("row") {
            rowspan = n;
        } else {
            colspan = n;
        }
    }
    (rowspan, colspan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given_lines(html: &str) -> Vec<(u32, String, bool)> {
        source_lines(html)
            .unwrap()
            .into_iter()
            .map(|l| (l.no, l.text.into_owned(), l.given.is_some()))
            .collect()
    }

    #[test]
    fn rows_are_given_lines_at_their_line() {
        let html = "<table>\n<tr><th>No</th><th>Sasaran</th></tr>\n<tr><td rowspan=\"2\">1</td><td>S</td></tr>\n<tr><td>I2</td></tr>\n</table>\nLumajang";
        let got = given_lines(html);
        assert_eq!(got[1], (2, "No\tSasaran".to_string(), true));
        assert_eq!(got[2], (3, "1\tS".to_string(), true));
        assert_eq!(got[3], (4, "\tI2".to_string(), true));
        assert_eq!(got.last().unwrap(), &(6, "Lumajang".to_string(), false));
    }

    #[test]
    fn one_line_table_rows_share_the_line_number() {
        let html = "Jabatan : X\n<table><tr><th>No</th><th>Indikator</th></tr><tr><td>1</td><td>A</td></tr></table>Lumajang, 2 Mei 2024\n";
        let got: Vec<(u32, String, bool)> = given_lines(html)
            .into_iter()
            .filter(|l| !l.1.is_empty())
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "Jabatan : X".to_string(), false),
                (2, "No\tIndikator".to_string(), true),
                (2, "1\tA".to_string(), true),
                (2, "Lumajang, 2 Mei 2024".to_string(), false),
            ]
        );
    }

    #[test]
    fn plain_text_has_no_html_lines() {
        assert!(source_lines("No\tSasaran\n").is_none());
        assert!(source_lines("a < b").is_none());
    }
}
