//! The layout families a gold document is rendered in: 1–8 from issue #3 ("Robustness"), 9–16
//! from issue #10 (layouts real archives contain that 1–8 do not draw; the crate docs say
//! which structure each one draws).

use std::fmt;
use std::str::FromStr;

/// One way IKI forms reach the parser in the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// 1. Space-aligned columns as `pdftotext -layout` writes them, cells word-wrapped.
    Layout,
    /// 2. Markdown pipe tables and HTML tables, continuation rows with empty leading cells.
    Markup,
    /// 3. Numbered or lettered header fields, values on the label's line or the next.
    Numbered,
    /// 4. Header synonyms and extra columns (Satuan, Keterangan).
    Synonyms,
    /// 5. Tables flattened one cell per line.
    Flattened,
    /// 6. Page furniture between and inside tables, rows split by page breaks.
    Furniture,
    /// 7. Encodings and line ends: BOM, windows-1252, CRLF, NBSP, bullet glyphs, ÷ ×.
    Encoding,
    /// 8. OCR slips in headings, labels, months and NIPs.
    Ocr,
    /// 9. Cells separated by runs of two or more spaces that do not line up from row to row
    ///    (a converter expanded the tabs), cells maybe wrapped, header words broken over lines.
    Spaced,
    /// 10. Spreadsheet exports: the whole sheet as CSV / TSV rows (`,` `;` or tab), quoting,
    ///     line breaks inside quoted cells, padded empty cells.
    Spreadsheet,
    /// 11. Word-processor copy-paste: single tabs with line breaks inside cells, or one cell
    ///     per line with a blank line between rows; lost bullet glyphs; labels apart from values.
    Pasted,
    /// 12. Text of a web page: an HTML table's text without markup, pipe tables whose
    ///     continuation rows shift left (rowspan), site boilerplate and page markers.
    Web,
    /// 13. Reading order of OCR / PDF converters: column-major tables, or the lines of
    ///     neighbouring cells interleaved with no mark where a row ends.
    ReadingOrder,
    /// 14. Text previews: the table, or the whole text, run together in paragraphs.
    Paragraph,
    /// 15. Formulas as fractions over two or three lines (numerator, dashes, denominator).
    Fractions,
    /// 16. Form structure: forms running on mid-page, labels in a block before their values,
    ///     header rows broken or glued to the first row, indicators renumbered per sasaran.
    Structure,
}

impl Family {
    /// Every family, in issue order.
    pub const ALL: [Family; 16] = [
        Family::Layout,
        Family::Markup,
        Family::Numbered,
        Family::Synonyms,
        Family::Flattened,
        Family::Furniture,
        Family::Encoding,
        Family::Ocr,
        Family::Spaced,
        Family::Spreadsheet,
        Family::Pasted,
        Family::Web,
        Family::ReadingOrder,
        Family::Paragraph,
        Family::Fractions,
        Family::Structure,
    ];

    /// The family's number (1–16).
    pub fn number(self) -> u8 {
        Family::ALL.iter().position(|f| *f == self).unwrap_or(0) as u8 + 1
    }

    /// A short stable name, e.g. "layout".
    pub fn name(self) -> &'static str {
        match self {
            Family::Layout => "layout",
            Family::Markup => "markup",
            Family::Numbered => "numbered",
            Family::Synonyms => "synonyms",
            Family::Flattened => "flattened",
            Family::Furniture => "furniture",
            Family::Encoding => "encoding",
            Family::Ocr => "ocr",
            Family::Spaced => "spaced",
            Family::Spreadsheet => "spreadsheet",
            Family::Pasted => "pasted",
            Family::Web => "web",
            Family::ReadingOrder => "reading-order",
            Family::Paragraph => "paragraph",
            Family::Fractions => "fractions",
            Family::Structure => "structure",
        }
    }

    /// The directory name of the family's renderings, e.g. "1-layout".
    pub fn slug(self) -> String {
        format!("{}-{}", self.number(), self.name())
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.slug())
    }
}

impl FromStr for Family {
    type Err = String;

    /// Accepts the number ("3"), the name ("numbered") or the slug ("3-numbered").
    fn from_str(s: &str) -> Result<Family, String> {
        let wanted = s.trim().to_ascii_lowercase();
        Family::ALL
            .into_iter()
            .find(|f| wanted == f.number().to_string() || wanted == f.name() || wanted == f.slug())
            .ok_or_else(|| format!("unknown family {s:?} (use 1-16 or a name such as layout)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_names_and_slugs_round_trip() {
        for (i, f) in Family::ALL.into_iter().enumerate() {
            assert_eq!(f.number() as usize, i + 1);
            assert_eq!(f.name().parse::<Family>(), Ok(f));
            assert_eq!(f.slug().parse::<Family>(), Ok(f));
            assert_eq!(f.number().to_string().parse::<Family>(), Ok(f));
        }
        assert!("seventeen".parse::<Family>().is_err());
        assert_eq!(
            "13-reading-order".parse::<Family>(),
            Ok(Family::ReadingOrder)
        );
    }
}
