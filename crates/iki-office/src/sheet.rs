//! One worksheet (`.xlsx`, `.xls`, `.ods`) as the parser's blocks. A sheet is a grid, and
//! an IKI form typed into one is laid out in it: title rows (one text, often merged across
//! the width), a header block, the indicator table (merged Sasaran cells), a signature
//! block. The cells are kept sparse — only cells with text are stored, so a sheet that
//! claims a million rows costs what its text costs — and become blocks:
//!
//! - rows separated by an empty row (one no merged cell reaches across) form groups;
//! - inside a group, rows with two or more filled cells are table rows, and so is every
//!   row between the first and the last of them (a continuation row that fills only its
//!   Indikator cell); the rows before and after them are lines (a title, a date);
//! - a table keeps only the columns its rows use (empty spacer columns drop out); merged
//!   regions become column and row spans.

use std::collections::{BTreeMap, BTreeSet};

use iki_model::structured::{Block, Cell, Row, Table};

use crate::error::OfficeError;

/// Most filled cells one sheet may hold.
pub const MAX_CELLS: usize = 1_000_000;
/// Most merged regions one sheet may declare.
pub const MAX_MERGES: usize = 100_000;
/// Empty rows inside a merged cell that still keep a table together.
const MAX_MERGED_GAP: u32 = 64;
/// Most grid positions (rows × used columns) of one table.
const MAX_TABLE_CELLS: usize = 4_000_000;

/// A merged region, inclusive, 0-based (row, column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first: (u32, u32),
    pub last: (u32, u32),
}

/// The filled cells and merged regions of one sheet.
#[derive(Debug, Default)]
pub struct Sheet {
    cells: BTreeMap<(u32, u32), String>,
    merges: Vec<Merge>,
}

impl Sheet {
    /// Store the text of cell (row, col); blank text is not stored.
    pub fn insert(&mut self, row: u32, col: u32, text: String) -> Result<(), OfficeError> {
        if text.trim().is_empty() {
            return Ok(());
        }
        if self.cells.len() >= MAX_CELLS {
            return Err(OfficeError::TooLarge(format!(
                "a sheet holds more than {MAX_CELLS} filled cells"
            )));
        }
        self.cells.insert((row, col), text);
        Ok(())
    }

    /// Record a merged region (a single cell is no merge).
    pub fn merge(&mut self, merge: Merge) -> Result<(), OfficeError> {
        if merge.last.0 < merge.first.0 || merge.last.1 < merge.first.1 || merge.first == merge.last
        {
            return Ok(());
        }
        if self.merges.len() >= MAX_MERGES {
            return Err(OfficeError::TooLarge(format!(
                "a sheet declares more than {MAX_MERGES} merged regions"
            )));
        }
        self.merges.push(merge);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The sheet as blocks (see the module docs).
    pub fn blocks(&self) -> Result<Vec<Block>, OfficeError> {
        let origins: BTreeMap<(u32, u32), Merge> =
            self.merges.iter().map(|m| (m.first, *m)).collect();
        let mut out = Vec::new();
        for (n, (first, last)) in self.groups(&origins).into_iter().enumerate() {
            if n > 0 {
                out.push(Block::line(""));
            }
            self.push_group(first, last, &origins, &mut out)?;
        }
        Ok(out)
    }

    /// Filled rows grouped: (first row, last row) of each group.
    fn groups(&self, origins: &BTreeMap<(u32, u32), Merge>) -> Vec<(u32, u32)> {
        let rows: BTreeSet<u32> = self.cells.keys().map(|&(r, _)| r).collect();
        let mut groups: Vec<(u32, u32)> = Vec::new();
        // The last row a merged cell of the current group reaches.
        let mut reach = 0u32;
        for row in rows {
            let reach_of_row = origins
                .range((row, 0)..=(row, u32::MAX))
                .map(|(_, m)| m.last.0)
                .max()
                .unwrap_or(row);
            match groups.last_mut() {
                Some((_, last))
                    if row == *last + 1
                        || (row <= reach.saturating_add(1) && row - *last <= MAX_MERGED_GAP) =>
                {
                    *last = row;
                    reach = reach.max(reach_of_row);
                }
                _ => {
                    groups.push((row, row));
                    reach = reach_of_row;
                }
            }
        }
        groups
    }

    fn filled_in_row(&self, row: u32) -> usize {
        self.cells.range((row, 0)..=(row, u32::MAX)).count()
    }

    fn push_group(
        &self,
        first: u32,
        last: u32,
        origins: &BTreeMap<(u32, u32), Merge>,
        out: &mut Vec<Block>,
    ) -> Result<(), OfficeError> {
        let table_rows: Vec<u32> = (first..=last)
            .filter(|&r| self.filled_in_row(r) >= 2)
            .collect();
        // The table runs from its first to its last row of two filled cells, and on over
        // the rows its merged cells cover.
        let table = match (table_rows.first(), table_rows.last()) {
            (Some(&a), Some(&b)) => {
                let mut end = b;
                loop {
                    let reach = origins
                        .range((a, 0)..=(end, u32::MAX))
                        .map(|(_, m)| m.last.0)
                        .max()
                        .unwrap_or(end)
                        .clamp(end, last);
                    if reach == end {
                        break;
                    }
                    end = reach;
                }
                Some(a..=end)
            }
            _ => None,
        };
        for row in first..=last {
            match &table {
                Some(t) if t.contains(&row) => {
                    if row == *t.start() {
                        out.push(Block::Table(self.table(*t.start(), *t.end(), origins)?));
                    }
                }
                _ => self.push_line_row(row, out),
            }
        }
        Ok(())
    }

    /// A row of at most one filled cell as lines (empty rows inside a group are blank lines).
    fn push_line_row(&self, row: u32, out: &mut Vec<Block>) {
        let text = self
            .cells
            .range((row, 0)..=(row, u32::MAX))
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        for line in text.split('\n') {
            out.push(Block::line(line));
        }
    }

    /// Rows `first..=last` as a table of the columns they use.
    fn table(
        &self,
        first: u32,
        last: u32,
        origins: &BTreeMap<(u32, u32), Merge>,
    ) -> Result<Table, OfficeError> {
        let inside = |&(r, _): &(u32, u32)| r >= first && r <= last;
        let merges: Vec<Merge> = origins
            .iter()
            .filter(|(k, _)| inside(k))
            .map(|(_, m)| *m)
            .collect();
        let columns: Vec<u32> = self
            .cells
            .keys()
            .filter(|k| inside(k))
            .map(|&(_, c)| c)
            .chain(merges.iter().map(|m| m.first.1))
            .collect::<BTreeSet<u32>>()
            .into_iter()
            .collect();
        let height = (last - first + 1) as usize;
        if height.saturating_mul(columns.len()) > MAX_TABLE_CELLS {
            return Err(OfficeError::TooLarge(format!(
                "a table of {height} rows and {} columns (limit {MAX_TABLE_CELLS} cells)",
                columns.len()
            )));
        }
        // Positions a merged cell covers (its own position excluded), and each origin's
        // spans in table rows and used columns.
        let mut covered: BTreeSet<(u32, u32)> = BTreeSet::new();
        let mut spans: BTreeMap<(u32, u32), (u32, u32)> = BTreeMap::new();
        for m in &merges {
            let cols: Vec<u32> = columns
                .iter()
                .copied()
                .filter(|&c| m.first.1 <= c && c <= m.last.1)
                .collect();
            let bottom = m.last.0.min(last);
            for row in m.first.0..=bottom {
                covered.extend(cols.iter().map(|&c| (row, c)));
            }
            covered.remove(&m.first);
            spans.insert(m.first, (cols.len().max(1) as u32, bottom - m.first.0 + 1));
        }
        let mut rows = Vec::with_capacity(height);
        for row in first..=last {
            let mut cells = Vec::new();
            for &col in &columns {
                if covered.contains(&(row, col)) {
                    continue;
                }
                let text = self.cells.get(&(row, col)).cloned().unwrap_or_default();
                let (col_span, row_span) = spans.get(&(row, col)).copied().unwrap_or((1, 1));
                cells.push(Cell {
                    col_span,
                    row_span,
                    ..Cell::text(text)
                });
            }
            rows.push(Row { cells });
        }
        Ok(Table::from_rows(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::render;

    /// A merged region as (first, last) positions.
    type Region = ((u32, u32), (u32, u32));

    fn sheet(cells: &[(u32, u32, &str)], merges: &[Region]) -> Sheet {
        let mut s = Sheet::default();
        for &(r, c, t) in cells {
            s.insert(r, c, t.to_string()).unwrap();
        }
        for &(first, last) in merges {
            s.merge(Merge { first, last }).unwrap();
        }
        s
    }

    #[test]
    fn a_form_in_a_sheet() {
        let s = sheet(
            &[
                (0, 0, "INDIKATOR KINERJA INDIVIDU"),
                (2, 0, "No"),
                (2, 2, "Sasaran"),
                (2, 3, "Indikator"),
                (3, 0, "1"),
                (3, 2, "S1"),
                (3, 3, "I1"),
                (4, 3, "I2"),
                (5, 3, "I3"),
                (6, 0, "2"),
                (6, 2, "S2"),
                (6, 3, "I4"),
                (9, 5, "Lumajang, 2 Januari 2024"),
                (10, 5, "Camat"),
            ],
            &[((0, 0), (0, 6)), ((3, 0), (4, 0)), ((3, 2), (4, 2))],
        );
        assert_eq!(
            render(&s.blocks().unwrap()),
            [
                "INDIKATOR KINERJA INDIVIDU",
                "",
                "No[1x1]|Sasaran[1x1]|Indikator[1x1] / 1[1x2]|S1[1x2]|I1[1x1] / I2[1x1] \
                 / [1x1]|[1x1]|I3[1x1] / 2[1x1]|S2[1x1]|I4[1x1]",
                "",
                "Lumajang, 2 Januari 2024",
                "Camat",
            ]
        );
    }

    #[test]
    fn empty_rows_cost_nothing() {
        let s = sheet(&[(0, 0, "a"), (999_999, 16_000, "b")], &[]);
        assert_eq!(render(&s.blocks().unwrap()), ["a", "", "b"]);
    }
}
