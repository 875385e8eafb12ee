//! The page model the layout works on: glyphs and ruling lines in the page's *reading frame*.
//!
//! The reading frame is the page turned so that its text runs left to right: x grows to the
//! right, y grows downwards, both in points from the frame's top-left corner. A page whose
//! text runs upwards (a landscape table on a portrait page, whatever its `/Rotate`) is turned
//! before layout, so the layout never sees rotation. Both the text layer (pdf-extract glyphs)
//! and OCR (tesseract words) are brought into this one model.

/// One positioned piece of text: a glyph from the text layer or a word from OCR.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Left edge of the glyph.
    pub x0: f64,
    /// Right edge (left edge plus advance).
    pub x1: f64,
    /// Baseline, downwards from the top of the frame.
    pub y: f64,
    /// Font size (or word height for OCR), in points.
    pub size: f64,
    /// The text it stands for (one character, a ligature's letters, or an OCR word).
    pub text: String,
    /// OCR word confidence in [0, 1]; `None` for text-layer glyphs.
    pub confidence: Option<f32>,
}

impl Glyph {
    /// A glyph that prints nothing visible: it separates words but is never output.
    pub fn is_space(&self) -> bool {
        self.text.chars().all(char::is_whitespace)
    }
}

/// A straight ruling line (table border) in the reading frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Vertical lines separate columns; horizontal ones separate rows.
    pub vertical: bool,
    /// x of a vertical rule, y of a horizontal one.
    pub at: f64,
    /// Start of the rule along its length.
    pub from: f64,
    /// End of the rule along its length.
    pub to: f64,
}

/// One page ready for layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// 1-based page number.
    pub number: usize,
    /// Frame width in points.
    pub width: f64,
    /// Frame height in points.
    pub height: f64,
    /// Quarter turns (0-3, counter-clockwise) the page's text was turned by to read upright.
    pub quarter_turns: u8,
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    /// Glyphs in another direction than the page's main one (vertical side labels); not laid out.
    pub skipped_glyphs: usize,
    /// Scans: the skew left after deskewing the page image, in degrees.
    pub skew_degrees: Option<f64>,
}

/// Clean one glyph's text: control characters dropped, no-break spaces made spaces, the
/// common Latin ligatures spelled out, soft hyphens removed.
pub fn clean_glyph_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\u{00A0}' | '\u{2007}' | '\u{202F}' => out.push(' '),
            '\u{00AD}' | '\u{FEFF}' | '\u{200B}' => {}
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_text_is_cleaned() {
        assert_eq!(clean_glyph_text("\u{FB01}"), "fi");
        assert_eq!(clean_glyph_text("a\u{0}b"), "ab");
        assert_eq!(clean_glyph_text("\u{00A0}"), " ");
        assert_eq!(clean_glyph_text("ko\u{00AD}ta"), "kota");
    }

    #[test]
    fn spaces_are_spaces() {
        let g = |t: &str| Glyph {
            x0: 0.0,
            x1: 1.0,
            y: 0.0,
            size: 10.0,
            text: t.into(),
            confidence: None,
        };
        assert!(g(" ").is_space());
        assert!(g("").is_space());
        assert!(!g("a").is_space());
    }
}
