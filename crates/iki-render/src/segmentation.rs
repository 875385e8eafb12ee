//! The ways a converter may separate a table's cells, one table writer each, for the
//! segmentation property test (`tests/segmentations.rs`): a random table rendered in every
//! segmentation must read back cell for cell. Each segmentation is also drawn, among other
//! variants, by one layout family ([`Segmentation::family`]).

use crate::family::Family;
use crate::rng::Dice;
use crate::style::{HtmlShape, Runs, Sheet, Style, TableKind};

/// One way of separating cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segmentation {
    /// One row per line, cells separated by tabs.
    Tabs,
    /// Markdown pipe rows with a `|---|` rule.
    Pipes,
    /// `pdftotext -layout`: space-aligned columns, cells word-wrapped.
    AlignedSpaces,
    /// Runs of two or more spaces that do not line up from row to row, one line a row.
    UnalignedSpaces,
    /// Unaligned runs of spaces, long cells wrapped onto continuation lines.
    WrappedSpaces,
    /// One cell per line (an empty cell an empty line).
    CellPerLine,
    /// One cell per line, a blank line after each row.
    CellLinesBlankRows,
    /// Single tabs, line breaks inside cells splitting a row over lines.
    PastedTabs,
    /// Pipe rows made from HTML with rowspan: continuation rows shifted left.
    ShiftedPipes,
    /// An HTML table, one row per line.
    Html,
    /// An HTML table, one tag per line, No and Sasaran spanning continuation rows.
    HtmlRowspan,
    /// Comma-separated values, the whole sheet, quoted where needed.
    Csv,
    /// Semicolon-separated values, every cell quoted.
    SemicolonCsv,
    /// Column by column.
    ColumnMajor,
    /// Cell fragments one a line, read across each row's visual lines.
    Interleaved,
    /// The table run together into one paragraph.
    Paragraph,
}

impl Segmentation {
    /// Every segmentation.
    pub const ALL: [Segmentation; 16] = [
        Segmentation::Tabs,
        Segmentation::Pipes,
        Segmentation::AlignedSpaces,
        Segmentation::UnalignedSpaces,
        Segmentation::WrappedSpaces,
        Segmentation::CellPerLine,
        Segmentation::CellLinesBlankRows,
        Segmentation::PastedTabs,
        Segmentation::ShiftedPipes,
        Segmentation::Html,
        Segmentation::HtmlRowspan,
        Segmentation::Csv,
        Segmentation::SemicolonCsv,
        Segmentation::ColumnMajor,
        Segmentation::Interleaved,
        Segmentation::Paragraph,
    ];

    /// The layout family whose renderings use this segmentation among others.
    pub fn family(self) -> Family {
        match self {
            Segmentation::Tabs => Family::Numbered,
            Segmentation::Pipes | Segmentation::Html | Segmentation::HtmlRowspan => Family::Markup,
            Segmentation::AlignedSpaces => Family::Layout,
            Segmentation::UnalignedSpaces | Segmentation::WrappedSpaces => Family::Spaced,
            Segmentation::CellPerLine => Family::Flattened,
            Segmentation::CellLinesBlankRows | Segmentation::PastedTabs => Family::Pasted,
            Segmentation::ShiftedPipes => Family::Web,
            Segmentation::Csv | Segmentation::SemicolonCsv => Family::Spreadsheet,
            Segmentation::ColumnMajor | Segmentation::Interleaved => Family::ReadingOrder,
            Segmentation::Paragraph => Family::Paragraph,
        }
    }

    /// The table writer's choices for this segmentation.
    fn table(self) -> TableKind {
        match self {
            Segmentation::Tabs | Segmentation::Csv | Segmentation::SemicolonCsv => TableKind::Tabs,
            Segmentation::Pipes => TableKind::Pipe { rule: true },
            Segmentation::AlignedSpaces => TableKind::Aligned {
                gap: 3,
                middle: false,
                blank_between_rows: false,
            },
            Segmentation::UnalignedSpaces | Segmentation::WrappedSpaces => TableKind::Spaced {
                wrap: self == Segmentation::WrappedSpaces,
                runs: Runs::Expanded,
                broken_header: false,
                merged_no: false,
            },
            Segmentation::CellPerLine => TableKind::Flat,
            Segmentation::CellLinesBlankRows => TableKind::CellLines,
            Segmentation::PastedTabs => TableKind::PastedTabs {
                breaks: true,
                blank_between_rows: false,
            },
            Segmentation::ShiftedPipes => TableKind::ShiftedPipes { rule: true },
            Segmentation::Html => TableKind::Html {
                shape: HtmlShape::RowPerLine,
                rowspan: false,
                list_cells: false,
            },
            Segmentation::HtmlRowspan => TableKind::Html {
                shape: HtmlShape::Pretty,
                rowspan: true,
                list_cells: false,
            },
            Segmentation::ColumnMajor => TableKind::ColumnMajor,
            Segmentation::Interleaved => TableKind::Interleaved { middle: false },
            Segmentation::Paragraph => TableKind::Paragraph { per_row: false },
        }
    }

    /// The whole sheet as delimited rows, for the CSV segmentations.
    fn sheet(self) -> Option<Sheet> {
        let (delimiter, quote_all) = match self {
            Segmentation::Csv => (',', false),
            Segmentation::SemicolonCsv => (';', true),
            _ => return None,
        };
        Some(Sheet {
            delimiter,
            quote_all,
            pad: true,
            line_breaks: false,
        })
    }
}

impl Style {
    /// The corpus' plain style (fields "Label : value", one-column signatures, no furniture)
    /// with the table in `segmentation`.
    pub(crate) fn segmented(segmentation: Segmentation, dice: &mut Dice) -> Style {
        let mut style = Style::plain(segmentation.family(), dice);
        style.table = segmentation.table();
        style.sheet = segmentation.sheet();
        style.labels.tabs = style.sheet.is_some();
        style
    }
}
