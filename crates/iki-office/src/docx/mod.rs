//! `.docx` (WordprocessingML): the main document part read into [`Content`] — paragraphs
//! with their list labels and line breaks, tables with their cells as Word stores them.
//!
//! ```text
//! w:body ─ w:p ─ runs: w:t text, w:tab, w:br / w:cr line breaks, w:txbxContent text boxes
//!        │       (w:del, w:instrText, w:rPr, mc:Fallback are not text)
//!        ├ w:tbl ─ w:tr ─ w:tc ─ (w:p | w:tbl)*     w:gridSpan = columns, w:vMerge = rows,
//!        │                                          w:gridBefore = empty leading columns
//!        └ w:sdt ─ w:sdtContent ─ (same as w:body)
//! ```
//!
//! A cell spanning rows is written by Word as a `w:vMerge="restart"` cell and a
//! `w:vMerge` (continue) cell in each row below; here it becomes one cell with its
//! `row_span`, the continuation cells left out. List labels come from `numbering.xml`
//! through the paragraph's `w:numPr` or its style ([`styles`]). Nesting is followed
//! [`MAX_DEPTH`] levels deep; deeper content is read as plain lines with a warning, so a
//! hostile file cannot exhaust the stack.

mod styles;

use iki_model::{Warning, WarningCode};
use roxmltree::Node;

use crate::content::{into_blocks, CellContent, Content, TableContent};
use crate::error::OfficeError;
use crate::numbering::labelled;
use crate::package::Package;
use crate::xml::{self, attr, child, relationship_target};
use crate::OfficeText;
use styles::{draws_border, is_w, num_pr, Numbering, Styles};

/// The WordprocessingML namespaces (transitional and strict).
pub(crate) const W: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Levels of nesting (tables, cells, content controls) followed before content is read as
/// plain lines.
pub const MAX_DEPTH: usize = 40;
/// Widest span a cell may declare (Word allows 63 columns).
const MAX_SPAN: u32 = 1_000;

/// Read a `.docx` file.
pub fn read(bytes: &[u8]) -> Result<OfficeText, OfficeError> {
    let mut package = Package::open(bytes, "docx")?;
    let main = package
        .text("_rels/.rels")?
        .and_then(|r| relationship_target(&r, "officeDocument", ""))
        .unwrap_or_else(|| "word/document.xml".to_string());
    let (folder, file) = main.rsplit_once('/').unwrap_or(("", main.as_str()));
    let folder = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let rels = package.text(&format!("{folder}_rels/{file}.rels"))?;
    let part = |kind: &str| {
        rels.as_deref()
            .and_then(|r| relationship_target(r, kind, &folder))
            .unwrap_or_else(|| format!("{folder}{kind}.xml"))
    };
    let (styles_part, numbering_part) = (part("styles"), part("numbering"));
    let document = package.text(&main)?.ok_or_else(|| {
        OfficeError::Corrupt(format!("the docx has no main document part ({main})"))
    })?;
    let mut warnings = Vec::new();
    let styles_text = package.text(&styles_part)?;
    let numbering_text = package.text(&numbering_part)?;
    let styles = match styles_text.as_deref().map(|t| xml::parse(t, &styles_part)) {
        Some(Ok(doc)) => Styles::parse(doc.root_element()),
        Some(Err(e)) => {
            warnings.push(skipped(format!("styles ignored: {e}")));
            Styles::default()
        }
        None => Styles::default(),
    };
    let numbering = match numbering_text
        .as_deref()
        .map(|t| xml::parse(t, &numbering_part))
    {
        Some(Ok(doc)) => Numbering::parse(doc.root_element()),
        Some(Err(e)) => {
            warnings.push(skipped(format!("list numbering ignored: {e}")));
            Numbering::default()
        }
        None => Numbering::default(),
    };
    let doc = xml::parse(&document, &main)?;
    let body = child(doc.root_element(), W, "body")
        .ok_or_else(|| OfficeError::Corrupt(format!("{main} has no w:body")))?;
    let mut reader = Reader {
        styles,
        numbering,
        warnings,
    };
    let mut content = Vec::new();
    reader.container(body, 0, &mut content);
    Ok(OfficeText {
        text: into_blocks(content),
        warnings: reader.warnings,
    })
}

fn skipped(message: String) -> Warning {
    Warning::new(WarningCode::OfficeContentSkipped, message, None)
}

struct Reader {
    styles: Styles,
    numbering: Numbering,
    warnings: Vec<Warning>,
}

/// How a cell takes part in a vertical merge.
#[derive(Debug, Clone, Copy, PartialEq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

impl Reader {
    /// Block content of a body, cell, text box or content control.
    fn container(&mut self, node: Node, depth: usize, out: &mut Vec<Content>) {
        if depth >= MAX_DEPTH {
            self.flatten(node, out);
            return;
        }
        for item in node.children().filter(|n| n.is_element()) {
            if is_w(item, "p") {
                self.paragraph(item, depth, out);
            } else if is_w(item, "tbl") {
                self.table(item, depth + 1, out);
            } else if is_w(item, "sdt") {
                if let Some(inner) = child(item, W, "sdtContent") {
                    self.container(inner, depth + 1, out);
                }
            } else if is_w(item, "customXml") || is_w(item, "ins") || is_w(item, "moveTo") {
                self.container(item, depth + 1, out);
            }
        }
    }

    /// Content nested past [`MAX_DEPTH`]: each paragraph's text as a line, found without
    /// recursion.
    fn flatten(&mut self, node: Node, out: &mut Vec<Content>) {
        self.warnings.push(Warning::new(
            WarningCode::OfficeNestingFlattened,
            format!("content nested more than {MAX_DEPTH} levels deep read as plain lines"),
            None,
        ));
        for p in node.descendants().filter(|n| is_w(*n, "p")) {
            let (text, _) = paragraph_text(p);
            out.push(Content::Paragraph(text));
        }
    }

    fn paragraph(&mut self, p: Node, depth: usize, out: &mut Vec<Content>) {
        let (text, boxes) = paragraph_text(p);
        let label = self.list_label(p);
        out.push(Content::Paragraph(labelled(&label, &text)));
        for text_box in boxes {
            self.container(text_box, depth + 1, out);
        }
    }

    /// The list label of paragraph `p`, counting it; empty when it is no list item.
    fn list_label(&mut self, p: Node) -> String {
        let props = child(p, W, "pPr");
        let direct = props.and_then(|pp| child(pp, W, "numPr")).map(num_pr);
        let style = props
            .and_then(|pp| child(pp, W, "pStyle"))
            .and_then(|s| attr(s, W, "val"))
            .and_then(|id| self.styles.numbering(id));
        let num_id = direct
            .as_ref()
            .and_then(|d| d.0.clone())
            .or_else(|| style.as_ref().and_then(|s| s.0.clone()));
        let level = direct
            .as_ref()
            .and_then(|d| d.1)
            .or_else(|| style.as_ref().and_then(|s| s.1))
            .unwrap_or(0);
        match num_id {
            Some(id) if id != "0" => self.numbering.next_label(&id, level),
            _ => String::new(),
        }
    }

    fn table(&mut self, tbl: Node, depth: usize, out: &mut Vec<Content>) {
        if depth >= MAX_DEPTH {
            self.flatten(tbl, out);
            return;
        }
        let ruled = self.ruled(tbl);
        let mut rows: Vec<Vec<(CellContent, VMerge, u32)>> = Vec::new();
        for tr in wrapped(tbl, "tr") {
            let mut col = 0u32;
            let mut cells: Vec<(CellContent, VMerge, u32)> = Vec::new();
            let before = child(tr, W, "trPr")
                .and_then(|p| child(p, W, "gridBefore"))
                .and_then(|g| attr(g, W, "val"))
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(0)
                .min(MAX_SPAN);
            if before > 0 {
                cells.push((CellContent::new(Vec::new(), before), VMerge::None, 0));
                col = before;
            }
            for tc in wrapped(tr, "tc") {
                let props = child(tc, W, "tcPr");
                let prop = |name: &str| props.and_then(|p| child(p, W, name));
                let span = prop("gridSpan")
                    .and_then(|g| attr(g, W, "val"))
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_SPAN);
                let vmerge = match prop("vMerge") {
                    None => VMerge::None,
                    Some(v) if attr(v, W, "val") == Some("restart") => VMerge::Restart,
                    Some(_) => VMerge::Continue,
                };
                let mut content = Vec::new();
                self.container(tc, depth + 1, &mut content);
                // Legacy horizontal merge: the continuing cell widens the one before it.
                let hmerge_continue =
                    prop("hMerge").is_some_and(|h| attr(h, W, "val") != Some("restart"));
                match cells.last_mut() {
                    Some((prev, _, _)) if hmerge_continue => {
                        prev.col_span += span;
                        prev.content.extend(content);
                    }
                    _ => cells.push((CellContent::new(content, span), vmerge, col)),
                }
                col += span;
            }
            rows.push(cells);
        }
        out.push(Content::Table(TableContent {
            rows: resolve_vertical_merges(rows),
            ruled,
        }));
    }

    /// Whether the table draws any border: its own `w:tblBorders`, its style's, or a
    /// cell's `w:tcBorders`. A style the file does not define counts as ruled (the table
    /// stays data).
    fn ruled(&self, tbl: Node) -> bool {
        let props = child(tbl, W, "tblPr");
        if let Some(borders) = props.and_then(|p| child(p, W, "tblBorders")) {
            if draws_border(borders) {
                return true;
            }
        } else if let Some(style) = props
            .and_then(|p| child(p, W, "tblStyle"))
            .and_then(|s| attr(s, W, "val"))
        {
            if self.styles.table_borders(style) != Some(false) {
                return true;
            }
        }
        wrapped(tbl, "tr")
            .flat_map(|tr| wrapped(tr, "tc"))
            .filter_map(|tc| child(tc, W, "tcPr").and_then(|p| child(p, W, "tcBorders")))
            .any(draws_border)
    }
}

/// Child elements `name` of `node`, also those Word wraps in a content control or custom
/// XML element (`w:sdt/w:sdtContent/w:tr`), a few levels deep.
fn wrapped<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    let mut stack: Vec<(Node<'a, 'i>, usize)> = node.children().rev().map(|n| (n, 0)).collect();
    std::iter::from_fn(move || {
        while let Some((n, level)) = stack.pop() {
            if is_w(n, name) {
                return Some(n);
            }
            let wrapper = is_w(n, "sdt") || is_w(n, "sdtContent") || is_w(n, "customXml");
            if wrapper && level < 8 {
                stack.extend(n.children().rev().map(|c| (c, level + 1)));
            }
        }
        None
    })
}

/// Rows with `w:vMerge` continuation cells folded into the cell above (its `row_span`
/// grows; any text a continuation cell holds is appended to it).
fn resolve_vertical_merges(rows: Vec<Vec<(CellContent, VMerge, u32)>>) -> Vec<Vec<CellContent>> {
    // Grid column → (row, index in that row) of the cell a merge continues.
    let mut open: std::collections::HashMap<u32, (usize, usize)> = Default::default();
    let mut out: Vec<Vec<CellContent>> = Vec::with_capacity(rows.len());
    for (r, row) in rows.into_iter().enumerate() {
        let mut cells = Vec::with_capacity(row.len());
        for (cell, vmerge, col) in row {
            if vmerge == VMerge::Continue {
                if let Some(&(r0, i0)) = open.get(&col) {
                    let origin: &mut CellContent = &mut out[r0][i0];
                    origin.row_span += 1;
                    if !cell.content.iter().all(is_blank) {
                        origin.content.extend(cell.content);
                    }
                    continue;
                }
            }
            for c in col..col + cell.col_span {
                open.remove(&c);
            }
            if vmerge != VMerge::None {
                open.insert(col, (r, cells.len()));
            }
            cells.push(cell);
        }
        out.push(cells);
    }
    out
}

fn is_blank(content: &Content) -> bool {
    matches!(content, Content::Paragraph(p) if p.trim().is_empty())
}

/// The text of one paragraph and the text boxes anchored in it, found without recursion.
fn paragraph_text<'a, 'i>(p: Node<'a, 'i>) -> (String, Vec<Node<'a, 'i>>) {
    let mut text = String::new();
    let mut boxes = Vec::new();
    let mut stack: Vec<Node> = p.children().rev().collect();
    while let Some(n) = stack.pop() {
        if !n.is_element() {
            continue;
        }
        let name = n.tag_name().name();
        if n.tag_name().namespace() == Some(MC) && name == "Fallback" {
            continue;
        }
        if n.tag_name().namespace().is_some_and(|ns| W.contains(&ns)) {
            match name {
                "t" => {
                    text.push_str(n.text().unwrap_or(""));
                    continue;
                }
                "tab" | "ptab" => {
                    text.push('\t');
                    continue;
                }
                "br" => {
                    if !matches!(attr(n, W, "type"), Some("page" | "column")) {
                        text.push('\n');
                    }
                    continue;
                }
                "cr" => {
                    text.push('\n');
                    continue;
                }
                "noBreakHyphen" => {
                    text.push('-');
                    continue;
                }
                "txbxContent" => {
                    boxes.push(n);
                    continue;
                }
                "pPr" | "rPr" | "del" | "moveFrom" | "delText" | "instrText" | "p" | "tbl" => {
                    continue
                }
                _ => {}
            }
        }
        stack.extend(n.children().rev());
    }
    (text, boxes)
}

#[cfg(test)]
mod tests;
