//! The indicator table: columns found from its header row, rows rebuilt from tab-separated
//! cells.
//!
//! ```text
//! table    = header_row *(row | fragment | header_row | blank)
//! header   = cells where >= 2 name known columns, one of them Indikator (or Sasaran + Rumus)
//! row      = cells; an empty No and Sasaran make it a continuation row of the same sasaran
//! fragment = the rest of a row a page break split: its cells are appended to the row above
//! ```
//! Which lines are fragments is settled by [`is_fragment`], after the cells are known.

use std::sync::LazyLock;

use regex::Regex;

use crate::formula;
use crate::model::{Indicator, Warning, WarningCode};
use crate::normalize::Line;
use crate::target;
use crate::vocab::{column, fold, is_header_words, Column};

/// The columns of a table, in cell order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub columns: Vec<Option<Column>>,
    pub line: usize,
    /// Cells were attributed to columns by count, not by position (a flattened table).
    pub guessed: bool,
}

impl Header {
    fn index(&self, col: Column) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(col))
    }
}

/// Read a header row; `None` when the line is not one.
pub fn header(line: &Line) -> Option<Header> {
    if !line.tabbed || line.cells.len() < 2 {
        return None;
    }
    // Column names are at most seven words (see `column`); folding only adds word breaks,
    // so a cell with seven spaces already is data. Most rows stop here, unfolded.
    if line
        .cells
        .iter()
        .any(|c| c.bytes().filter(|b| *b == b' ').count() >= 7)
    {
        return None;
    }
    // Every filled cell must name a column: a data row mentioning "Sumber" is not a header.
    let mut columns = Vec::with_capacity(line.cells.len());
    for cell in &line.cells {
        if cell.is_empty() {
            columns.push(None);
            continue;
        }
        let folded = fold(cell);
        let col = match column(&folded) {
            Some(c) => c,
            // A garbled short name ("N0", "#") still holds a column's place.
            None if folded.len() <= 3 => Column::Other,
            None => return None,
        };
        columns.push(Some(col));
    }
    let known = columns
        .iter()
        .flatten()
        .filter(|c| **c != Column::Other)
        .count();
    let has = |c: Column| columns.contains(&Some(c));
    let indicator_table = has(Column::Indikator) || (has(Column::Sasaran) && has(Column::Rumus));
    (known >= 2 && indicator_table).then_some(Header {
        columns,
        line: line.no,
        guessed: false,
    })
}

/// One table row as cells per column, before it becomes an [`Indicator`].
#[derive(Debug, Clone)]
struct Row {
    line: usize,
    cells: Vec<String>,
}

/// Collects the lines of one table.
#[derive(Debug)]
pub struct TableBuilder {
    header: Header,
    rows: Vec<Row>,
    after_break: bool,
    pub warnings: Vec<Warning>,
}

impl TableBuilder {
    pub fn new(header: Header) -> Self {
        TableBuilder {
            header,
            rows: Vec::new(),
            after_break: false,
            warnings: Vec::new(),
        }
    }

    /// Offer a line to the table; `false` when the line does not belong to it (the table ends).
    pub fn push(&mut self, line: &Line) -> bool {
        if line.is_blank() {
            self.after_break = true;
            return true;
        }
        if header(line).is_some() {
            // A header repeated after a page break.
            self.after_break = true;
            return true;
        }
        if !line.tabbed || line.cells.len() < 2 {
            return false;
        }
        // The rest of a header whose names wrapped onto a second line ("Individu", "Formula").
        if self.rows.is_empty()
            && line
                .cells
                .iter()
                .all(|c| c.is_empty() || is_header_words(c))
        {
            return true;
        }
        let cells = self.fit_cells(line);
        let row = Row {
            line: line.no,
            cells,
        };
        let fragment = self
            .rows
            .last()
            .is_some_and(|prev| is_fragment(&self.header, prev, &row));
        if fragment {
            let prev = self.rows.last_mut().expect("checked above");
            join_fragment(prev, &row, &mut self.warnings);
        } else {
            self.rows.push(row);
        }
        self.after_break = false;
        true
    }

    /// The line's cells laid on the header's columns; surplus cells go to the last column.
    fn fit_cells(&mut self, line: &Line) -> Vec<String> {
        let n = self.header.columns.len();
        let mut cells: Vec<String> = line.cells.iter().take(n).cloned().collect();
        cells.resize(n, String::new());
        let surplus: Vec<&String> = line
            .cells
            .iter()
            .skip(n)
            .filter(|c| !c.is_empty())
            .collect();
        if !surplus.is_empty() {
            let last = &mut cells[n - 1];
            for extra in surplus {
                if !last.is_empty() {
                    last.push(' ');
                }
                last.push_str(extra);
            }
            self.warnings.push(Warning::new(
                WarningCode::ExtraCells,
                format!("row has {} cells, header {}", line.cells.len(), n),
                Some(line.no),
            ));
        }
        cells
    }

    pub fn finish(mut self) -> (Vec<Indicator>, Vec<Warning>) {
        let mut indicators = Vec::new();
        let mut last_no: Option<String> = None;
        let mut last_sasaran: Option<String> = None;
        let mut seen_numbers: Vec<String> = Vec::new();
        for row in &self.rows {
            let get = |col: Column| {
                self.header
                    .index(col)
                    .map(|i| row.cells[i].trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            let mut no = get(Column::No).map(|n| n.trim_end_matches(['.', ')']).to_string());
            let mut sasaran = get(Column::Sasaran);
            if no.is_none() && sasaran.is_none() {
                // A continuation row repeats the sasaran (and number) above it.
                no = last_no.clone();
                sasaran = last_sasaran.clone();
            } else if let Some(n) = &no {
                check_number(n, &seen_numbers, row.line, &mut self.warnings);
                seen_numbers.push(n.clone());
            }
            let indikator = get(Column::Indikator).unwrap_or_default();
            if indikator.is_empty() {
                self.warnings.push(Warning::new(
                    WarningCode::RowWithoutIndicator,
                    "table row has no indicator text",
                    Some(row.line),
                ));
            }
            let rumus = get(Column::Rumus);
            let formula = rumus.as_deref().map(formula::parse);
            let mut target = get(Column::Target).and_then(|t| target::parse(&t));
            if let (Some(t), Some(unit)) = (target.as_mut(), get(Column::Satuan)) {
                if t.unit.is_none() {
                    t.unit = Some(unit);
                }
            }
            indicators.push(Indicator {
                no: no.clone(),
                sasaran: sasaran.clone(),
                indikator,
                rumus,
                formula,
                target,
                sumber_data: get(Column::SumberData),
                penanggung_jawab: get(Column::PenanggungJawab)
                    .map(|p| split_bullets(&p))
                    .unwrap_or_default(),
                line: row.line,
                // Set from evidence by `confidence::assess` once the document is read.
                confidence: 0.0,
            });
            last_no = no;
            last_sasaran = sasaran;
        }
        (indicators, self.warnings)
    }
}

/// Whether `row` is the rest of `prev` split by a page break rather than a row of its own:
/// - a numbered row (No cell filled) is always a row;
/// - with a No column, an unnumbered row that fills Sasaran is a fragment (a new sasaran would
///   carry a number);
/// - a row without indicator text is a fragment (it has nothing to be an indicator);
/// - a row that leaves empty every cell right of the indicator that `prev` filled is a fragment
///   (a continuation row carries its own formula, target or source).
fn is_fragment(header: &Header, prev: &Row, row: &Row) -> bool {
    let cell = |r: &Row, col: Column| header.index(col).is_some_and(|i| !r.cells[i].is_empty());
    if cell(row, Column::No) {
        return false;
    }
    if header.index(Column::No).is_some() && cell(row, Column::Sasaran) {
        return true;
    }
    if !cell(row, Column::Indikator) {
        return true;
    }
    let Some(ind) = header.index(Column::Indikator) else {
        return false;
    };
    let right = |r: &Row| r.cells.iter().skip(ind + 1).any(|c| !c.is_empty());
    right(prev) && !right(row)
}

/// Append a fragment's cells to the row above, cell by cell.
fn join_fragment(prev: &mut Row, fragment: &Row, warnings: &mut Vec<Warning>) {
    for (target, extra) in prev.cells.iter_mut().zip(&fragment.cells) {
        let extra = strip_header_bleed(extra, fragment.line, warnings);
        if extra.is_empty() {
            continue;
        }
        if !target.is_empty() {
            target.push(' ');
        }
        target.push_str(&extra);
    }
    warnings.push(Warning::new(
        WarningCode::RowJoined,
        format!(
            "text on line {} joined to the row above (page break)",
            fragment.line
        ),
        Some(fragment.line),
    ));
}

static HEADER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:no\.?|sasaran|strategis?|program|kegiatan|indikator|kinerja|utama|individu|rumus|formula|formulasi|perhitungan|penjelasan|sumber|data|penanggung|jawab|target|satuan|/)$")
        .expect("valid regex")
});

/// Drop a run of table-header words that a page break left at the start of a cell
/// ("Sasaran Strategi Indikator Kinerja Utama Rumus / Formula Sumber Data ... Desa paling").
fn strip_header_bleed(cell: &str, line: usize, warnings: &mut Vec<Warning>) -> String {
    let words: Vec<&str> = cell.split_whitespace().collect();
    let run = words
        .iter()
        .take_while(|w| HEADER_WORD.is_match(w) || w.eq_ignore_ascii_case("strategi"))
        .count();
    let named_columns = words[..run]
        .iter()
        .filter(|w| column(&fold(w)).is_some_and(|c| c != Column::Other))
        .count();
    if run >= 4 && named_columns >= 3 {
        warnings.push(Warning::new(
            WarningCode::HeaderTextInCell,
            format!(
                "dropped table-header words \"{}\" from a cell",
                words[..run].join(" ")
            ),
            Some(line),
        ));
        return words[run..].join(" ");
    }
    cell.to_string()
}

/// Warn on a repeated or skipped row number.
fn check_number(no: &str, seen: &[String], line: usize, warnings: &mut Vec<Warning>) {
    if seen.iter().any(|s| s == no) {
        warnings.push(Warning::new(
            WarningCode::DuplicateRowNumber,
            format!("row number {no} appears more than once"),
            Some(line),
        ));
        return;
    }
    let (Some(prev), Ok(n)) = (seen.last(), no.parse::<u32>()) else {
        return;
    };
    if let Ok(p) = prev.parse::<u32>() {
        if n != p + 1 {
            warnings.push(Warning::new(
                WarningCode::RowNumberSkipped,
                format!("row number {n} follows {p}"),
                Some(line),
            ));
        }
    }
}

static BULLET_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)[-•]\s+").expect("valid regex"));

/// "- Kasubag Umum - Kasubag Keuangan" → ["Kasubag Umum", "Kasubag Keuangan"].
pub fn split_bullets(cell: &str) -> Vec<String> {
    if !cell.trim_start().starts_with(['-', '•']) {
        return vec![cell.trim().to_string()];
    }
    BULLET_SPLIT
        .split(cell)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::lines;

    fn table(text: &str) -> (Vec<Indicator>, Vec<Warning>) {
        let ls = lines(text);
        let mut t = TableBuilder::new(header(&ls[0]).expect("header"));
        for l in &ls[1..] {
            assert!(t.push(l), "line {} left the table", l.no);
        }
        t.finish()
    }

    #[test]
    fn continuation_rows_repeat_sasaran() {
        let (ind, _) = table("No\tSasaran\tIndikator\tRumus\n3.\tS\tI1\tR1\n\t\tI2\tR2\n");
        assert_eq!(ind.len(), 2);
        assert_eq!(ind[1].no.as_deref(), Some("3"));
        assert_eq!(ind[1].sasaran.as_deref(), Some("S"));
        assert_eq!(ind[1].indikator, "I2");
    }

    #[test]
    fn page_broken_row_is_joined() {
        let text = "No\tSasaran\tIndikator\tRumus\tSumber Data\tPenanggung Jawab\n\
                    5\tS a\tI a\tR a\tKecamatan\tSub Bagian\n\n\
                    \tS b\tI b\tR b\tLumajang\tUmum\n\
                    6\tT\tJ\tQ\tX\t- A - B\n\
                    \t\t\tQ2\t\t\n";
        let (ind, warnings) = table(text);
        assert_eq!(ind.len(), 2);
        assert_eq!(ind[0].sasaran.as_deref(), Some("S a S b"));
        assert_eq!(ind[0].sumber_data.as_deref(), Some("Kecamatan Lumajang"));
        assert_eq!(ind[0].penanggung_jawab, vec!["Sub Bagian Umum"]);
        assert_eq!(ind[1].rumus.as_deref(), Some("Q Q2"));
        assert_eq!(ind[1].penanggung_jawab, vec!["A", "B"]);
        assert_eq!(
            warnings
                .iter()
                .filter(|w| w.code == WarningCode::RowJoined)
                .count(),
            2
        );
    }

    #[test]
    fn repeated_header_and_trailing_fragment() {
        let text = "Sasaran\tIndikator\tTarget\tSumber Data\n\
                    S1\tJumlah dokumen dan\t3 dokumen\tKeuangan\n\n\
                    Sasaran\tIndikator\tTarget\tSumber Data\n\
                    \tperubahannya\t\t\n\
                    S2\tI2\t100 %\tKec\n";
        let (ind, _) = table(text);
        assert_eq!(ind.len(), 2);
        assert_eq!(ind[0].indikator, "Jumlah dokumen dan perubahannya");
        assert_eq!(ind[0].no, None);
        assert_eq!(ind[1].target.as_ref().unwrap().value, Some(100.0));
    }

    #[test]
    fn duplicate_numbers_warn() {
        let (_, w) = table("No\tSasaran\tIndikator\n15\ta\tb\n15\tc\td\n17\te\tf\n");
        let codes: Vec<_> = w.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(codes, ["duplicate_row_number", "row_number_skipped"]);
    }

    #[test]
    fn header_bleed_is_dropped() {
        let mut w = Vec::new();
        let s = strip_header_bleed(
            "Sasaran Strategi Indikator Kinerja Utama Rumus / Formula Sumber Data Penanggung Jawab Desa paling lambat",
            1,
            &mut w,
        );
        assert_eq!(s, "Desa paling lambat");
        assert_eq!(
            strip_header_bleed("Data Kependudukan", 1, &mut w),
            "Data Kependudukan"
        );
    }
}
