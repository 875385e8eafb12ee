//! Rows to indicators, whatever reader found them:
//!
//! ```text
//! rows     = *(row | fragment)
//! row      = cells; an empty No and Sasaran make it a continuation row of the same sasaran
//! fragment = the rest of a row a page break split: its cells are appended to the row above
//! ```
//! Which rows are fragments is settled by [`is_fragment`], after the cells are known.

use crate::classify::View;
use crate::formula;
use crate::model::{Indicator, Warning, WarningCode};
use crate::readers::{Header, Row};
use crate::target;
use crate::vocab::{self, Column};

/// A row ready to become an indicator, with what happened to it on the way.
#[derive(Debug, Clone)]
pub struct BuiltRow {
    pub row: Row,
    /// A page-broken fragment was joined to it.
    pub joined: bool,
}

/// Join page-broken fragments to the rows they continue.
pub fn join_fragments(
    view: &View<'_>,
    header: &Header,
    rows: Vec<Row>,
    warnings: &mut Vec<Warning>,
) -> Vec<BuiltRow> {
    let mut out: Vec<BuiltRow> = Vec::with_capacity(rows.len());
    for row in rows {
        match out.last_mut() {
            Some(prev) if is_fragment(header, &prev.row, &row) => {
                join_fragment(view, &mut prev.row, &row, warnings);
                prev.joined = true;
            }
            _ => out.push(BuiltRow { row, joined: false }),
        }
    }
    out
}

/// Whether `row` is the rest of `prev` split by a page break rather than a row of its own:
/// - a numbered row (No cell filled) is always a row;
/// - with a No column, an unnumbered row that fills Sasaran is a fragment (a new sasaran would
///   carry a number);
/// - a row without indicator text is a fragment (it has nothing to be an indicator);
/// - a row that leaves empty every cell right of the indicator that `prev` filled is a fragment
///   (a continuation row carries its own formula, target or source).
fn is_fragment(header: &Header, prev: &Row, row: &Row) -> bool {
    let cell = |r: &Row, col: Column| header.index(col).is_some_and(|i| r.filled(i));
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
fn join_fragment(view: &View<'_>, prev: &mut Row, fragment: &Row, warnings: &mut Vec<Warning>) {
    let line = view.no(fragment.first);
    for (target, extra) in prev.cells.iter_mut().zip(&fragment.cells) {
        let extra = strip_header_bleed(extra, line, warnings);
        if extra.is_empty() {
            continue;
        }
        if !target.is_empty() {
            target.push(' ');
        }
        target.push_str(extra);
    }
    prev.lines += fragment.lines;
    prev.doubtful += fragment.doubtful;
    warnings.push(Warning::new(
        WarningCode::RowJoined,
        format!("text on line {line} joined to the row above (page break)"),
        Some(line),
    ));
}

/// Drop a run of table-header words that a page break left at the start of a cell
/// ("Sasaran Strategi Indikator Kinerja Utama Rumus / Formula Sumber Data ... Desa paling").
fn strip_header_bleed<'c>(cell: &'c str, line: usize, warnings: &mut Vec<Warning>) -> &'c str {
    let mut run = 0;
    let mut named = 0;
    let mut cut = 0;
    for (at, word) in word_offsets(cell) {
        let folded = vocab::fold(word);
        if !(word == "/" || vocab::is_header_words(&folded) || folded == "no") {
            break;
        }
        run += 1;
        named += usize::from(vocab::column_word(&folded).is_some_and(|c| c != Column::Other));
        cut = at + word.len();
    }
    if run >= 4 && named >= 3 {
        warnings.push(Warning::new(
            WarningCode::HeaderTextInCell,
            format!(
                "dropped table-header words \"{}\" from a cell",
                &cell[..cut]
            ),
            Some(line),
        ));
        return cell[cut..].trim_start();
    }
    cell
}

fn word_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split([' ', '\n'])
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// The indicators of the rows, with the warnings reading them raised.
/// Whether a row's cells hold two rows: its sasaran and its indicator (the cells that open
/// with a word of their own kind, "Terpenuhinya ...", "Jumlah ...") each have a later physical
/// line that opens such a cell again, after a line that does not end mid-phrase. One column
/// doing so is a wrapped title at most; both at once is the next row's start.
fn two_rows_in_one(header: &Header, cells: &[String]) -> bool {
    let reopens = |col: Column, opens: fn(&str) -> bool| {
        header.index(col).is_some_and(|i| {
            let lines: Vec<&str> = cells[i].lines().map(str::trim).collect();
            lines
                .windows(2)
                .any(|w| !crate::vocab::ends_mid_phrase(w[0]) && opens(w[1]))
        })
    };
    reopens(Column::Sasaran, crate::vocab::opens_sasaran)
        && reopens(Column::Indikator, crate::vocab::opens_indicator)
}

pub fn indicators(
    view: &View<'_>,
    header: &Header,
    rows: &[BuiltRow],
    warnings: &mut Vec<Warning>,
) -> Vec<Indicator> {
    let mut out = Vec::with_capacity(rows.len());
    let mut last_no: Option<String> = None;
    let mut last_sasaran: Option<String> = None;
    let mut seen_numbers: Vec<String> = Vec::new();
    for built in rows {
        let row = &built.row;
        let line = view.no(row.first);
        let get = |col: Column| {
            header
                .index(col)
                .map(|i| cell_text(&row.cells[i], col))
                .filter(|s| !s.is_empty())
        };
        let mut no = get(Column::No).map(|n| n.trim_end_matches(['.', ')']).to_string());
        let mut sasaran = get(Column::Sasaran);
        if no.is_none() && sasaran.is_none() {
            // A continuation row repeats the sasaran (and number) above it.
            no = last_no.clone();
            sasaran = last_sasaran.clone();
        } else if let Some(n) = &no {
            check_number(n, &seen_numbers, line, warnings);
            seen_numbers.push(n.clone());
            if sasaran.is_none() {
                // A numbered row under a sasaran cell merged over several rows.
                sasaran = last_sasaran.clone();
            }
        }
        if two_rows_in_one(header, &row.cells) {
            warnings.push(Warning::new(
                WarningCode::RowsMerged,
                "the row's sasaran and indicator cells each open a second cell on a later line: \
                 two rows told apart by nothing (no row numbers, no blank line) read as one",
                Some(line),
            ));
        }
        let indikator = get(Column::Indikator).unwrap_or_default();
        if indikator.is_empty() {
            warnings.push(Warning::new(
                WarningCode::RowWithoutIndicator,
                "table row has no indicator text",
                Some(line),
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
        out.push(Indicator {
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
            line,
            // Set from evidence by `confidence` once the document is read.
            confidence: 0.0,
        });
        last_no = no;
        last_sasaran = sasaran;
    }
    out
}

/// A cell's text: the lines a reader kept apart (a cell wrapped over physical lines) joined,
/// a rumus typeset as a fraction over lines as `numerator / denominator`.
fn cell_text(cell: &str, col: Column) -> String {
    if !cell.contains('\n') {
        return cell.trim().to_string();
    }
    let lines: Vec<&str> = cell.split('\n').collect();
    if col == Column::Rumus {
        return formula::join_lines(&lines);
    }
    lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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

/// "- Kasubag Umum - Kasubag Keuangan" → ["Kasubag Umum", "Kasubag Keuangan"].
pub fn split_bullets(cell: &str) -> Vec<String> {
    let t = cell.trim();
    if !t.starts_with(['-', '•']) {
        return vec![t.to_string()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    for word in t.split(' ').filter(|w| !w.is_empty()) {
        if word == "-" || word == "•" {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets() {
        assert_eq!(
            split_bullets("- Kasubag Umum - Kasubag Keuangan"),
            ["Kasubag Umum", "Kasubag Keuangan"]
        );
        assert_eq!(split_bullets("Sub Bagian Umum"), ["Sub Bagian Umum"]);
        assert_eq!(split_bullets("• A • B-C"), ["A", "B-C"]);
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

#[cfg(test)]
mod table_tests {
    use crate::classify::{classify, View};
    use crate::model::{Indicator, Warning, WarningCode};
    use crate::readers::{first_table, read_table};
    use crate::scan::Scan;

    /// The indicators of the table at the first line of `text`, and the warnings.
    fn table(text: &str) -> (Vec<Indicator>, Vec<Warning>) {
        let (_, ind, warnings) = first_table(text);
        (ind, warnings)
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
        let joined = warnings
            .iter()
            .filter(|w| w.code == WarningCode::RowJoined)
            .count();
        assert_eq!(joined, 2);
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
        let codes: Vec<WarningCode> = w.iter().map(|w| w.code.clone()).collect();
        assert_eq!(
            codes,
            [
                WarningCode::DuplicateRowNumber,
                WarningCode::RowNumberSkipped
            ]
        );
    }

    #[test]
    fn flattened_rows_are_rebuilt_by_count() {
        let text = "No\nSasaran\nIndikator Kinerja\nRumus\n1\nMeningkatnya A\nPersentase A\nJumlah A dibagi B\nPersentase A2\nJumlah A2 dibagi B\n2\nMeningkatnya C\nJumlah C\nJumlah C\n\nLumajang, 02 Februari 2023\n";
        let (ind, w) = table(text);
        assert!(w.iter().any(|w| w.code == WarningCode::FlattenedTable));
        let got: Vec<(Option<&str>, Option<&str>, &str)> = ind
            .iter()
            .map(|i| (i.no.as_deref(), i.sasaran.as_deref(), i.indikator.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("1"), Some("Meningkatnya A"), "Persentase A"),
                (Some("1"), Some("Meningkatnya A"), "Persentase A2"),
                (Some("2"), Some("Meningkatnya C"), "Jumlah C"),
            ]
        );
    }

    #[test]
    fn given_cells_of_one_source_table() {
        use iki_model::structured::{Block, Row, StructuredText, Table};
        let doc = StructuredText {
            blocks: vec![Block::Table(Table::from_rows(vec![
                Row::of(["No", "Sasaran", "Indikator Kinerja"]),
                Row::of(["1", "Meningkatnya A", "Persentase A"]),
                // A row of one merged cell stays in the table: the source says so.
                Row::of(["catatan"]),
            ]))],
        };
        let scan = Scan::new(&crate::input::from_structured(&doc));
        let c = classify(&scan);
        let view = View { scan: &scan, c: &c };
        let read = read_table(&view, 0).unwrap();
        assert_eq!(read.proposal.rows.len(), 2);
        assert_eq!(read.proposal.end, 3);
    }
}

#[cfg(test)]
mod evidence_tests {
    use iki_model::structured::{Block, CellEvidence, Row, StructuredText, Table};

    /// A form of given cells whose second indicator's target cell the OCR doubts.
    fn form(doubt: bool) -> StructuredText {
        let mut rows = vec![
            Row::of(["No", "Sasaran", "Indikator Kinerja", "Target"]),
            Row::of(["1", "Meningkatnya layanan", "Persentase layanan", "100 %"]),
            Row::of(["2", "Meningkatnya kinerja", "Persentase kinerja", "90 %"]),
        ];
        if doubt {
            rows[2].cells[3].evidence = CellEvidence {
                ocr_confidence: Some(0.41),
                low_confidence_words: 1,
                ..CellEvidence::default()
            };
        }
        StructuredText {
            blocks: vec![
                Block::line("INDIKATOR KINERJA INDIVIDU"),
                Block::line("Jabatan : Camat"),
                Block::Table(Table::from_rows(rows)),
            ],
        }
    }

    #[test]
    fn a_doubtful_ocr_cell_lowers_its_row_only() {
        let src = || crate::source("x", b"x", crate::SourceFormat::ImageOcr, None);
        let sure = crate::extract_structured(src(), &form(false));
        let doubted = crate::extract_structured(src(), &form(true));
        let rows = |d: &crate::IkiDocument| -> Vec<f64> {
            d.records[0]
                .indicators
                .iter()
                .map(|i| i.confidence)
                .collect()
        };
        assert_eq!(rows(&sure)[0], rows(&doubted)[0]);
        assert!(
            rows(&doubted)[1] < rows(&sure)[1],
            "{:?} {:?}",
            rows(&sure),
            rows(&doubted)
        );
    }
}
