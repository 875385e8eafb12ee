//! The parts of a `.docx` that give paragraphs and tables their look: `styles.xml` (a
//! paragraph style may carry list numbering, a table style its borders) and
//! `numbering.xml` (list definitions), plus the counters that number list paragraphs in
//! document order.

use std::collections::HashMap;

use roxmltree::Node;

use super::W;
use crate::numbering::NumFormat;
use crate::xml::{attr, child, children, is};

/// Most `basedOn` steps followed (a style chain that loops ends here).
const MAX_STYLE_CHAIN: usize = 16;
/// Levels a Word list has (0..=8).
const LEVELS: usize = 9;

/// What styles.xml says about paragraph and table styles.
#[derive(Debug, Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
}

#[derive(Debug, Default)]
struct Style {
    based_on: Option<String>,
    /// `w:numPr` of a paragraph style: (numId, ilvl).
    numbering: Option<(Option<String>, Option<u8>)>,
    /// A table style's borders: `Some(true)` when it draws any.
    borders: Option<bool>,
}

impl Styles {
    pub fn parse(root: Node) -> Styles {
        let mut styles = HashMap::new();
        for style in children(root, W, "style") {
            let Some(id) = attr(style, W, "styleId") else {
                continue;
            };
            let based_on = child(style, W, "basedOn")
                .and_then(|b| attr(b, W, "val"))
                .map(str::to_string);
            let numbering = child(style, W, "pPr")
                .and_then(|p| child(p, W, "numPr"))
                .map(num_pr);
            let borders = child(style, W, "tblPr")
                .and_then(|t| child(t, W, "tblBorders"))
                .map(draws_border);
            styles.insert(
                id.to_string(),
                Style {
                    based_on,
                    numbering,
                    borders,
                },
            );
        }
        Styles { styles }
    }

    /// The list numbering (numId, ilvl) paragraph style `id` gives, through `basedOn`.
    pub fn numbering(&self, id: &str) -> Option<(Option<String>, Option<u8>)> {
        self.chain(id).find_map(|s| s.numbering.clone())
    }

    /// Whether table style `id` draws borders; `None` when the styles do not say.
    pub fn table_borders(&self, id: &str) -> Option<bool> {
        self.chain(id).find_map(|s| s.borders)
    }

    fn chain<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Style> + 'a {
        let mut next = self.styles.get(id);
        std::iter::from_fn(move || {
            let style = next?;
            next = style.based_on.as_deref().and_then(|b| self.styles.get(b));
            Some(style)
        })
        .take(MAX_STYLE_CHAIN)
    }
}

/// `w:numPr`: (numId, ilvl) as given.
pub fn num_pr(node: Node) -> (Option<String>, Option<u8>) {
    let num_id = child(node, W, "numId")
        .and_then(|n| attr(n, W, "val"))
        .map(str::to_string);
    let level = child(node, W, "ilvl")
        .and_then(|n| attr(n, W, "val"))
        .and_then(|v| v.parse().ok());
    (num_id, level)
}

/// Whether a border set (`w:tblBorders`, `w:tcBorders`) draws any edge.
pub fn draws_border(borders: Node) -> bool {
    borders
        .children()
        .filter(|e| e.is_element())
        .any(|edge| attr(edge, W, "val").is_some_and(|v| !matches!(v, "nil" | "none")))
}

/// One level of a list definition.
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    format: NumFormat,
    /// `%1.` / `%1.%2)`: the label with each `%n` the counter of level n.
    text: String,
}

/// numbering.xml with the running counters of the document.
#[derive(Debug, Default)]
pub struct Numbering {
    abstracts: HashMap<String, Vec<Option<Level>>>,
    /// numId → (abstractNumId, start overrides per level).
    nums: HashMap<String, (String, Vec<(u8, u32)>)>,
    /// Counters per abstract list, one per level.
    counters: HashMap<String, [u32; LEVELS]>,
    /// Lists whose start overrides were applied (they restart once, on first use).
    restarted: std::collections::HashSet<String>,
}

impl Numbering {
    pub fn parse(root: Node) -> Numbering {
        let mut abstracts = HashMap::new();
        for abs in children(root, W, "abstractNum") {
            let Some(id) = attr(abs, W, "abstractNumId") else {
                continue;
            };
            let mut levels: Vec<Option<Level>> = vec![None; LEVELS];
            for lvl in children(abs, W, "lvl") {
                let Some(i) = attr(lvl, W, "ilvl").and_then(|v| v.parse::<usize>().ok()) else {
                    continue;
                };
                if i < LEVELS {
                    levels[i] = Some(level(lvl));
                }
            }
            abstracts.insert(id.to_string(), levels);
        }
        let mut nums = HashMap::new();
        for num in children(root, W, "num") {
            let (Some(id), Some(abs)) = (
                attr(num, W, "numId"),
                child(num, W, "abstractNumId").and_then(|a| attr(a, W, "val")),
            ) else {
                continue;
            };
            let overrides = children(num, W, "lvlOverride")
                .filter_map(|o| {
                    let level = attr(o, W, "ilvl")?.parse().ok()?;
                    let start = child(o, W, "startOverride")?;
                    Some((level, attr(start, W, "val")?.parse().ok()?))
                })
                .collect();
            nums.insert(id.to_string(), (abs.to_string(), overrides));
        }
        Numbering {
            abstracts,
            nums,
            ..Numbering::default()
        }
    }

    /// The label of the next paragraph of list `num_id` at `level`, counting it.
    pub fn next_label(&mut self, num_id: &str, level: u8) -> String {
        let Some((abs, overrides)) = self.nums.get(num_id).cloned() else {
            return String::new();
        };
        let Some(levels) = self.abstracts.get(&abs) else {
            return String::new();
        };
        let level = (level as usize).min(LEVELS - 1);
        let Some(def) = levels[level].clone() else {
            return String::new();
        };
        let starts: Vec<u32> = (0..LEVELS)
            .map(|i| levels[i].as_ref().map_or(1, |l| l.start))
            .collect();
        let counters = self.counters.entry(abs.clone()).or_insert([0; LEVELS]);
        if !overrides.is_empty() && self.restarted.insert(num_id.to_string()) {
            for (i, start) in overrides {
                if let Some(c) = counters.get_mut(i as usize) {
                    *c = start.saturating_sub(1);
                }
            }
        }
        counters[level] = if counters[level] == 0 {
            starts[level]
        } else {
            counters[level] + 1
        };
        for c in counters.iter_mut().skip(level + 1) {
            *c = 0;
        }
        let counters = *counters;
        if def.format == NumFormat::Bullet {
            return "-".to_string();
        }
        let mut label = def.text.clone();
        for (i, lvl) in levels.iter().enumerate().take(level + 1) {
            let placeholder = format!("%{}", i + 1);
            if label.contains(&placeholder) {
                let format = lvl.as_ref().map_or(NumFormat::Decimal, |l| l.format);
                let n = if counters[i] == 0 {
                    starts[i]
                } else {
                    counters[i]
                };
                label = label.replace(&placeholder, &format.format(n));
            }
        }
        label
    }
}

fn level(lvl: Node) -> Level {
    let val = |name: &str| child(lvl, W, name).and_then(|n| attr(n, W, "val"));
    Level {
        start: val("start").and_then(|v| v.parse().ok()).unwrap_or(1),
        format: val("numFmt").map_or(NumFormat::Decimal, NumFormat::from_word),
        text: val("lvlText").unwrap_or("").to_string(),
    }
}

/// Whether `node` is a `w:` element called `name` (re-exported for the body reader).
pub fn is_w(node: Node, name: &str) -> bool {
    is(node, W, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse;

    const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#61623;"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"#;

    #[test]
    fn lists_count_restart_and_nest() {
        let doc = parse(NUMBERING, "numbering").unwrap();
        let mut n = Numbering::parse(doc.root_element());
        assert_eq!(n.next_label("1", 0), "1.");
        assert_eq!(n.next_label("1", 1), "a)");
        assert_eq!(n.next_label("1", 1), "b)");
        assert_eq!(n.next_label("1", 0), "2.");
        assert_eq!(n.next_label("1", 1), "a)");
        // A second list on the same definition restarts where it says so.
        assert_eq!(n.next_label("2", 0), "1.");
        assert_eq!(n.next_label("2", 0), "2.");
        assert_eq!(n.next_label("3", 0), "-");
        assert_eq!(n.next_label("9", 0), "");
    }
}
