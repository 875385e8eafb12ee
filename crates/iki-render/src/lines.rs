//! The output line model: plain text lines, and tab-table rows kept as cells so that page
//! furniture (family 6) can break a table and split a row before the lines are joined.

use crate::form::Column;

/// One output line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Line {
    Text(String),
    /// A tab-separated table row; `header` for the column-name row.
    Row {
        cells: Vec<String>,
        columns: Vec<Column>,
        header: bool,
    },
}

impl Line {
    /// The line as printed, trailing spaces removed (tab rows keep their trailing tabs).
    pub(crate) fn render(&self) -> String {
        match self {
            Line::Text(text) => text.trim_end_matches(' ').to_string(),
            Line::Row { cells, .. } => cells.join("\t"),
        }
    }

    pub(crate) fn is_body_row(&self) -> bool {
        matches!(self, Line::Row { header: false, .. })
    }

    pub(crate) fn is_row(&self) -> bool {
        matches!(self, Line::Row { .. })
    }
}

/// The lines joined with `\n`, ending with one.
pub(crate) fn join(lines: &[Line]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(&line.render());
        out.push('\n');
    }
    out
}
