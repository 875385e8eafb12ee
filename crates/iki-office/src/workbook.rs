//! `.xlsx` and `.xls` workbooks through calamine: each visible worksheet's filled cells and
//! merged regions become a [`Sheet`], sheets follow each other separated by page breaks.
//!
//! An `.xlsx` is first inflated through the package caps ([`Package::check_all`]), so
//! calamine never sees a zip bomb; its cells are then streamed (`worksheet_cells_reader`)
//! and only filled ones are kept, so a sheet of a million empty rows costs the time to
//! read its XML and no memory. An `.xls` is at most 65,536 rows by 256 columns and read
//! whole by calamine.

use std::io::Cursor;

use calamine::{Data, DataRef, Dimensions, Reader, SheetType, SheetVisible, Xls, Xlsx};
use iki_model::structured::{Block, StructuredText};
use iki_model::{Warning, WarningCode};

use crate::error::OfficeError;
use crate::package::Package;
use crate::sheet::{Merge, Sheet};
use crate::OfficeText;

/// Read an `.xlsx` (or `.xlsm`) workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<OfficeText, OfficeError> {
    Package::open(bytes, "xlsx")?.check_all()?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut read = Sheets::default();
    for name in visible_names(book.sheets_metadata(), &mut read.warnings) {
        let mut sheet = Sheet::default();
        {
            let mut cells = book.worksheet_cells_reader(&name).map_err(corrupt)?;
            while let Some(cell) = cells.next_cell().map_err(corrupt)? {
                let (row, col) = cell.get_position();
                sheet.insert(row, col, data_ref_text(cell.get_value()))?;
            }
        }
        add_merges(
            &mut sheet,
            book.merge_cells_by_sheet_name(&name).map_err(corrupt)?,
        )?;
        read.push(sheet)?;
    }
    Ok(read.finish())
}

/// Read a legacy `.xls` workbook.
pub fn read_xls(bytes: &[u8]) -> Result<OfficeText, OfficeError> {
    let mut book = Xls::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut read = Sheets::default();
    for name in visible_names(book.sheets_metadata(), &mut read.warnings) {
        let range = book.worksheet_range(&name).map_err(corrupt)?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut sheet = Sheet::default();
        for (r, c, value) in range.used_cells() {
            sheet.insert(top + r as u32, left + c as u32, data_text(value))?;
        }
        add_merges(
            &mut sheet,
            book.merge_cells_by_sheet_name(&name).map_err(corrupt)?,
        )?;
        read.push(sheet)?;
    }
    Ok(read.finish())
}

fn add_merges(sheet: &mut Sheet, regions: Vec<Dimensions>) -> Result<(), OfficeError> {
    for m in regions {
        sheet.merge(Merge {
            first: m.start,
            last: m.end,
        })?;
    }
    Ok(())
}

fn corrupt(e: impl std::fmt::Display) -> OfficeError {
    OfficeError::Corrupt(format!("not a readable workbook: {e}"))
}

/// The blocks of the sheets read so far, and what was left out.
#[derive(Default)]
struct Sheets {
    blocks: Vec<Block>,
    sheets: u32,
    warnings: Vec<Warning>,
}

impl Sheets {
    fn push(&mut self, sheet: Sheet) -> Result<(), OfficeError> {
        if sheet.is_empty() {
            return Ok(());
        }
        self.sheets += 1;
        if self.sheets > 1 {
            self.blocks.push(Block::PageBreak { page: self.sheets });
        }
        self.blocks.extend(sheet.blocks()?);
        Ok(())
    }

    fn finish(self) -> OfficeText {
        OfficeText {
            text: StructuredText {
                blocks: self.blocks,
            },
            warnings: self.warnings,
        }
    }
}

/// Visible worksheet names of a workbook's metadata, with a warning for the others.
fn visible_names(sheets: &[calamine::Sheet], warnings: &mut Vec<Warning>) -> Vec<String> {
    let mut names = Vec::new();
    for sheet in sheets {
        if sheet.visible == SheetVisible::Visible && sheet.typ == SheetType::WorkSheet {
            names.push(sheet.name.clone());
        } else {
            warnings.push(Warning::new(
                WarningCode::OfficeContentSkipped,
                format!(
                    "sheet {:?} is hidden or not a worksheet; not read",
                    sheet.name
                ),
                None,
            ));
        }
    }
    names
}

/// A cell value as the text a reader sees.
fn data_ref_text(value: &DataRef) -> String {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => b.to_string().to_uppercase(),
        DataRef::DateTime(d) => serial_date(d.as_f64()),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

fn data_text(value: &Data) -> String {
    match value {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string().to_uppercase(),
        Data::DateTime(d) => serial_date(d.as_f64()),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// A number as a spreadsheet shows it in a general format: integers without a fraction.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// An Excel date serial (days since 1899-12-30) as an ISO date.
fn serial_date(serial: f64) -> String {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return number_text(serial);
    }
    // Days since 1970-01-01, then the civil date (Howard Hinnant's days-to-civil).
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_shown() {
        assert_eq!(number_text(100.0), "100");
        assert_eq!(number_text(0.5), "0.5");
        assert_eq!(serial_date(44959.0), "2023-02-02");
        assert_eq!(serial_date(25569.0), "1970-01-01");
    }
}
