//! OpenDocument: `.odt` text documents and `.ods` spreadsheets, both from `content.xml`.
//!
//! ```text
//! office:text ─ text:p / text:h ─ text, text:s (spaces), text:tab, text:line-break,
//!             │                   text:span / text:a (followed), draw:frame/draw:text-box
//!             ├ text:list ─ text:list-item ─ (text:p | text:list)*   labels from the list style
//!             ├ table:table ─ table:table-row ─ table:table-cell (spans: number-columns-spanned,
//!             │               number-rows-spanned; table:covered-table-cell is what a span covers)
//!             └ text:section ─ (same as office:text)
//! office:spreadsheet ─ table:table (one per sheet) ─ rows and cells as above, with
//!                      number-rows-repeated / number-columns-repeated
//! ```
//!
//! calamine reads `.ods` too, but without its merged cells; the spans are what a form's
//! Sasaran column needs, so spreadsheets are read here, sparsely: repeated empty rows and
//! cells only move the position, so a sheet that declares a million rows costs nothing.
//! Whether a text table is ruled comes from its cells' styles (`fo:border*`).

use std::collections::HashMap;

use iki_model::structured::{Block, StructuredText};
use iki_model::{Warning, WarningCode};
use roxmltree::Node;

use crate::content::{into_blocks, CellContent, Content, TableContent};
use crate::error::OfficeError;
use crate::numbering::{labelled, NumFormat};
use crate::package::Package;
use crate::sheet::{Merge, Sheet};
use crate::xml::{self, attr, child, is};
use crate::OfficeText;

const OFFICE: &[&str] = &["urn:oasis:names:tc:opendocument:xmlns:office:1.0"];
const TEXT: &[&str] = &["urn:oasis:names:tc:opendocument:xmlns:text:1.0"];
const TABLE: &[&str] = &["urn:oasis:names:tc:opendocument:xmlns:table:1.0"];
const STYLE: &[&str] = &["urn:oasis:names:tc:opendocument:xmlns:style:1.0"];
const FO: &[&str] = &["urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"];
const DRAW: &[&str] = &["urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"];

/// Levels of nesting followed before content is read as plain lines.
pub const MAX_DEPTH: usize = 40;
/// Most rows or cells a repeat count may produce when they hold text.
const MAX_REPEAT: u32 = 1_000;
/// Widest span a cell may declare.
const MAX_SPAN: u32 = 1_000;
/// List levels ODF defines.
const LEVELS: usize = 10;

/// Read an `.odt` text document.
pub fn read_text(bytes: &[u8]) -> Result<OfficeText, OfficeError> {
    let parts = Parts::load(bytes, "odt")?;
    let doc = xml::parse(&parts.content, "content.xml")?;
    let body = body(doc.root_element(), "text")?;
    let mut reader = TextReader {
        styles: StyleIndex::new(&doc, parts.styles.as_deref()),
        lists: HashMap::new(),
        warnings: Vec::new(),
    };
    let mut content = Vec::new();
    reader.container(body, 0, &mut content);
    Ok(OfficeText {
        text: into_blocks(content),
        warnings: reader.warnings,
    })
}

/// Read an `.ods` spreadsheet.
pub fn read_spreadsheet(bytes: &[u8]) -> Result<OfficeText, OfficeError> {
    let parts = Parts::load(bytes, "ods")?;
    let doc = xml::parse(&parts.content, "content.xml")?;
    let body = body(doc.root_element(), "spreadsheet")?;
    let mut blocks = Vec::new();
    let mut sheets = 0;
    for table in body.children().filter(|n| is(*n, TABLE, "table")) {
        let sheet = read_sheet(table)?;
        if sheet.is_empty() {
            continue;
        }
        sheets += 1;
        if sheets > 1 {
            blocks.push(Block::PageBreak { page: sheets });
        }
        blocks.extend(sheet.blocks()?);
    }
    Ok(OfficeText {
        text: StructuredText { blocks },
        warnings: Vec::new(),
    })
}

/// `content.xml` and `styles.xml` of a package.
struct Parts {
    content: String,
    styles: Option<String>,
}

impl Parts {
    fn load(bytes: &[u8], what: &str) -> Result<Parts, OfficeError> {
        let mut package = Package::open(bytes, what)?;
        let content = package
            .text("content.xml")?
            .ok_or_else(|| OfficeError::Corrupt(format!("the {what} has no content.xml")))?;
        let styles = package.text("styles.xml")?;
        Ok(Parts { content, styles })
    }
}

/// `office:body/office:<kind>`.
fn body<'a, 'i>(root: Node<'a, 'i>, kind: &str) -> Result<Node<'a, 'i>, OfficeError> {
    child(root, OFFICE, "body")
        .and_then(|b| child(b, OFFICE, kind))
        .ok_or_else(|| OfficeError::Corrupt(format!("content.xml has no office:{kind} body")))
}

/// What styles say about list labels and cell borders.
struct StyleIndex {
    /// List style name → its levels.
    lists: HashMap<String, Vec<ListLevel>>,
    /// Paragraph style name → the list style it applies.
    paragraph_lists: HashMap<String, String>,
    /// Table-cell style names that draw a border.
    bordered_cells: std::collections::HashSet<String>,
}

#[derive(Debug, Clone)]
struct ListLevel {
    format: NumFormat,
    prefix: String,
    suffix: String,
    start: u32,
    /// How many levels the label shows (`1.2.` shows two).
    display: usize,
}

impl Default for ListLevel {
    fn default() -> ListLevel {
        ListLevel {
            format: NumFormat::None,
            prefix: String::new(),
            suffix: String::new(),
            start: 1,
            display: 1,
        }
    }
}

impl StyleIndex {
    fn new(content: &roxmltree::Document, styles: Option<&str>) -> StyleIndex {
        let mut index = StyleIndex {
            lists: HashMap::new(),
            paragraph_lists: HashMap::new(),
            bordered_cells: Default::default(),
        };
        let styles_doc = styles.and_then(|s| xml::parse(s, "styles.xml").ok());
        for doc in std::iter::once(content).chain(styles_doc.as_ref()) {
            index.add(doc.root_element());
        }
        index
    }

    fn add(&mut self, root: Node) {
        for group in root
            .children()
            .filter(|n| is(*n, OFFICE, "automatic-styles") || is(*n, OFFICE, "styles"))
        {
            for style in group.children().filter(|n| n.is_element()) {
                let Some(name) = attr(style, STYLE, "name") else {
                    continue;
                };
                if is(style, TEXT, "list-style") {
                    self.lists.insert(name.to_string(), list_levels(style));
                } else if is(style, STYLE, "style") {
                    if let Some(list) = attr(style, STYLE, "list-style-name") {
                        self.paragraph_lists
                            .insert(name.to_string(), list.to_string());
                    }
                    let bordered =
                        child(style, STYLE, "table-cell-properties").is_some_and(draws_border);
                    if bordered {
                        self.bordered_cells.insert(name.to_string());
                    }
                }
            }
        }
    }
}

fn list_levels(style: Node) -> Vec<ListLevel> {
    let mut levels = vec![ListLevel::default(); LEVELS];
    for level in style.children().filter(|n| n.is_element()) {
        let Some(i) = attr(level, TEXT, "level").and_then(|l| l.parse::<usize>().ok()) else {
            continue;
        };
        if i == 0 || i > LEVELS {
            continue;
        }
        levels[i - 1] = if is(level, TEXT, "list-level-style-number") {
            ListLevel {
                format: NumFormat::from_odf(attr(level, STYLE, "num-format").unwrap_or("")),
                prefix: attr(level, STYLE, "num-prefix").unwrap_or("").to_string(),
                suffix: attr(level, STYLE, "num-suffix").unwrap_or("").to_string(),
                start: attr(level, TEXT, "start-value")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1),
                display: attr(level, TEXT, "display-levels")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1),
            }
        } else if is(level, TEXT, "list-level-style-bullet") {
            ListLevel {
                format: NumFormat::Bullet,
                ..ListLevel::default()
            }
        } else {
            ListLevel::default()
        };
    }
    levels
}

/// Whether cell properties draw any edge (`fo:border`, `fo:border-top`, ...).
fn draws_border(props: Node) -> bool {
    props.attributes().any(|a| {
        a.namespace().is_some_and(|n| FO.contains(&n))
            && a.name().starts_with("border")
            && !matches!(a.value().trim(), "" | "none" | "hidden")
            && !a.value().trim().starts_with("0pt")
            && !a.value().trim().starts_with("0cm")
    })
}

struct TextReader {
    styles: StyleIndex,
    /// Counters per list style, one per level, continued by `text:continue-numbering`.
    lists: HashMap<String, [u32; LEVELS]>,
    warnings: Vec<Warning>,
}

impl TextReader {
    fn container(&mut self, node: Node, depth: usize, out: &mut Vec<Content>) {
        if depth >= MAX_DEPTH {
            self.flatten(node, out);
            return;
        }
        for item in node.children().filter(|n| n.is_element()) {
            if is(item, TEXT, "p") || is(item, TEXT, "h") {
                self.paragraph(item, "", depth, out);
            } else if is(item, TEXT, "list") {
                self.list(item, 0, None, depth + 1, out);
            } else if is(item, TABLE, "table") {
                self.table(item, depth + 1, out);
            } else if is(item, TEXT, "section") || is(item, TEXT, "index-body") {
                self.container(item, depth + 1, out);
            } else if item.tag_name().name().ends_with("-of-content")
                || is(item, TEXT, "alphabetical-index")
                || is(item, TEXT, "illustration-index")
            {
                if let Some(body) = child(item, TEXT, "index-body") {
                    self.container(body, depth + 1, out);
                }
            }
        }
    }

    fn flatten(&mut self, node: Node, out: &mut Vec<Content>) {
        self.warnings.push(Warning::new(
            WarningCode::OfficeNestingFlattened,
            format!("content nested more than {MAX_DEPTH} levels deep read as plain lines"),
            None,
        ));
        for p in node
            .descendants()
            .filter(|n| is(*n, TEXT, "p") || is(*n, TEXT, "h"))
        {
            out.push(Content::Paragraph(paragraph_text(p).0));
        }
    }

    fn paragraph(&mut self, p: Node, label: &str, depth: usize, out: &mut Vec<Content>) {
        let (text, boxes) = paragraph_text(p);
        out.push(Content::Paragraph(labelled(label, &text)));
        for text_box in boxes {
            self.container(text_box, depth + 1, out);
        }
    }

    /// A `text:list` at `level` (0 for the outermost), its items labelled from its style.
    fn list(
        &mut self,
        list: Node,
        level: usize,
        inherited: Option<String>,
        depth: usize,
        out: &mut Vec<Content>,
    ) {
        if depth >= MAX_DEPTH {
            self.flatten(list, out);
            return;
        }
        let style = attr(list, TEXT, "style-name")
            .map(str::to_string)
            .or(inherited)
            .or_else(|| self.first_paragraph_list_style(list));
        let level = level.min(LEVELS - 1);
        let key = style.clone().unwrap_or_default();
        let continues = attr(list, TEXT, "continue-numbering") == Some("true")
            || attr(list, TEXT, "continue-list").is_some();
        if level == 0 && !continues {
            self.lists.insert(key.clone(), [0; LEVELS]);
        }
        let levels = style
            .as_ref()
            .and_then(|s| self.styles.lists.get(s))
            .cloned()
            .unwrap_or_default();
        for item in list.children().filter(|n| n.is_element()) {
            let is_item = is(item, TEXT, "list-item");
            if !is_item && !is(item, TEXT, "list-header") {
                continue;
            }
            let start = attr(item, TEXT, "start-value").and_then(|v| v.parse::<u32>().ok());
            let has_paragraph = item
                .children()
                .any(|c| is(c, TEXT, "p") || is(c, TEXT, "h"));
            let mut label = if is_item && has_paragraph {
                self.next_label(&key, &levels, level, start)
            } else {
                String::new()
            };
            if let Some(number) = child(item, TEXT, "number").and_then(|n| n.text()) {
                label = number.trim().to_string();
            }
            for part in item.children().filter(|n| n.is_element()) {
                if is(part, TEXT, "p") || is(part, TEXT, "h") {
                    self.paragraph(part, &label, depth, out);
                    label.clear();
                } else if is(part, TEXT, "list") {
                    self.list(part, level + 1, style.clone(), depth + 1, out);
                } else if is(part, TABLE, "table") {
                    self.table(part, depth + 1, out);
                }
            }
        }
    }

    /// The list style a list's first paragraph names through its paragraph style.
    fn first_paragraph_list_style(&self, list: Node) -> Option<String> {
        let p = list
            .descendants()
            .find(|n| is(*n, TEXT, "p") || is(*n, TEXT, "h"))?;
        let style = attr(p, TEXT, "style-name")?;
        self.styles.paragraph_lists.get(style).cloned()
    }

    fn next_label(
        &mut self,
        key: &str,
        levels: &[ListLevel],
        level: usize,
        start: Option<u32>,
    ) -> String {
        let def = levels.get(level).cloned().unwrap_or_default();
        let counters = self.lists.entry(key.to_string()).or_insert([0; LEVELS]);
        counters[level] = match start {
            Some(s) => s,
            None if counters[level] == 0 => def.start,
            None => counters[level] + 1,
        };
        for c in counters.iter_mut().skip(level + 1) {
            *c = 0;
        }
        match def.format {
            NumFormat::None => String::new(),
            NumFormat::Bullet => "-".to_string(),
            _ => {
                let first = (level + 1).saturating_sub(def.display.max(1));
                let numbers: Vec<String> = (first..=level)
                    .map(|l| {
                        let format = levels.get(l).map_or(NumFormat::Decimal, |d| d.format);
                        format.format(counters[l].max(1))
                    })
                    .collect();
                format!("{}{}{}", def.prefix, numbers.join("."), def.suffix)
            }
        }
    }

    fn table(&mut self, table: Node, depth: usize, out: &mut Vec<Content>) {
        if depth >= MAX_DEPTH {
            self.flatten(table, out);
            return;
        }
        let mut rows = Vec::new();
        let mut ruled = false;
        for row in table_rows(table) {
            let repeat = repeat_of(row, "number-rows-repeated");
            let mut cells = Vec::new();
            for cell in row.children().filter(|n| is(*n, TABLE, "table-cell")) {
                ruled |= attr(cell, TABLE, "style-name")
                    .is_some_and(|s| self.styles.bordered_cells.contains(s));
                let mut content = Vec::new();
                self.container(cell, depth + 1, &mut content);
                let mut c = CellContent::new(content, span_of(cell, "number-columns-spanned"));
                c.row_span = span_of(cell, "number-rows-spanned");
                for _ in 0..repeat_of(cell, "number-columns-repeated").min(MAX_REPEAT) {
                    cells.push(c.clone());
                }
            }
            for _ in 0..repeat.min(MAX_REPEAT) {
                rows.push(cells.clone());
            }
        }
        out.push(Content::Table(TableContent { rows, ruled }));
    }
}

/// The rows of a table, also inside header-row, row and row-group wrappers.
fn table_rows<'a, 'i: 'a>(table: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    let mut stack: Vec<(Node<'a, 'i>, usize)> = table.children().rev().map(|n| (n, 0)).collect();
    std::iter::from_fn(move || {
        while let Some((n, level)) = stack.pop() {
            if is(n, TABLE, "table-row") {
                return Some(n);
            }
            let wrapper = is(n, TABLE, "table-header-rows")
                || is(n, TABLE, "table-rows")
                || is(n, TABLE, "table-row-group");
            if wrapper && level < 8 {
                stack.extend(n.children().rev().map(|c| (c, level + 1)));
            }
        }
        None
    })
}

fn repeat_of(node: Node, name: &str) -> u32 {
    attr(node, TABLE, name)
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

fn span_of(node: Node, name: &str) -> u32 {
    repeat_of(node, name).min(MAX_SPAN)
}

/// One sheet of a spreadsheet, sparse.
fn read_sheet(table: Node) -> Result<Sheet, OfficeError> {
    let mut sheet = Sheet::default();
    let mut row_index: u64 = 0;
    for row in table_rows(table) {
        let repeat = u64::from(repeat_of(row, "number-rows-repeated"));
        let mut filled: Vec<(u32, String, u32, u32)> = Vec::new();
        let mut col: u64 = 0;
        for cell in row.children().filter(|n| n.is_element()) {
            let covered = is(cell, TABLE, "covered-table-cell");
            if !covered && !is(cell, TABLE, "table-cell") {
                continue;
            }
            let cols = u64::from(repeat_of(cell, "number-columns-repeated"));
            let text = if covered {
                String::new()
            } else {
                cell_text(cell)
            };
            let spans = (
                span_of(cell, "number-columns-spanned"),
                span_of(cell, "number-rows-spanned"),
            );
            let spanned = spans != (1, 1);
            if !text.trim().is_empty() || spanned {
                for k in 0..cols.min(u64::from(MAX_REPEAT)) {
                    if let Ok(c) = u32::try_from(col + k) {
                        filled.push((c, text.clone(), spans.0, spans.1));
                    }
                }
            }
            col = col.saturating_add(cols);
        }
        if filled.is_empty() {
            row_index = row_index.saturating_add(repeat);
            continue;
        }
        for k in 0..repeat.min(u64::from(MAX_REPEAT)) {
            let Ok(r) = u32::try_from(row_index + k) else {
                break;
            };
            for (c, text, cols, rows) in &filled {
                sheet.insert(r, *c, text.clone())?;
                sheet.merge(Merge {
                    first: (r, *c),
                    last: (r.saturating_add(rows - 1), c.saturating_add(cols - 1)),
                })?;
            }
        }
        row_index = row_index.saturating_add(repeat);
    }
    Ok(sheet)
}

/// A spreadsheet cell's text: its paragraphs, one a line.
fn cell_text(cell: Node) -> String {
    cell.children()
        .filter(|n| is(*n, TEXT, "p") || is(*n, TEXT, "h"))
        .map(|p| paragraph_text(p).0)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of a paragraph and the text boxes anchored in it, found without recursion.
/// Whitespace in the XML collapses as ODF says; `text:s` is where spaces are kept.
fn paragraph_text<'a, 'i>(p: Node<'a, 'i>) -> (String, Vec<Node<'a, 'i>>) {
    let mut text = String::new();
    let mut boxes = Vec::new();
    let mut stack: Vec<Node> = p.children().rev().collect();
    while let Some(n) = stack.pop() {
        if n.is_text() {
            for c in n.text().unwrap_or("").chars() {
                let c = if c.is_whitespace() && c != '\u{a0}' {
                    ' '
                } else {
                    c
                };
                if !(c == ' ' && (text.is_empty() || text.ends_with(' '))) {
                    text.push(c);
                }
            }
            continue;
        }
        if !n.is_element() {
            continue;
        }
        if is(n, TEXT, "s") {
            let count = attr(n, TEXT, "c")
                .and_then(|c| c.parse::<usize>().ok())
                .unwrap_or(1)
                .min(1_000);
            text.extend(std::iter::repeat_n(' ', count));
        } else if is(n, TEXT, "tab") {
            text.push('\t');
        } else if is(n, TEXT, "line-break") {
            text.push('\n');
        } else if is(n, DRAW, "text-box") {
            boxes.push(n);
        } else if is(n, TEXT, "note")
            || is(n, OFFICE, "annotation")
            || is(n, TEXT, "tracked-changes")
            || is(n, TEXT, "p")
            || is(n, TEXT, "h")
        {
            continue;
        } else {
            stack.extend(n.children().rev());
        }
    }
    (text.trim_end_matches(' ').to_string(), boxes)
}

#[cfg(test)]
mod tests;
