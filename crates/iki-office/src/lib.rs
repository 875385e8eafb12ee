//! Office input for iki: word-processor files and spreadsheets read into the explicit-cells
//! model ([`StructuredText`]), so their tables reach the parser with the cells, spans and
//! line breaks the file gives — no column is guessed.
//!
//! ```text
//! .docx ──package (capped zip)──▶ docx: w:p, w:tbl (gridSpan, vMerge), numbering ──┐
//! .odt  ──package──▶ odf: text:p, text:list, table:table (spans, covered cells) ─────┼─ content ─▶ StructuredText
//! .doc  ──libreoffice (isolated child, --office)──▶ .docx ──▶ docx ──────────────────┘
//! .xlsx ──package check──▶ calamine (streamed cells, merged regions) ──┐
//! .xls  ──calamine──────────────────────────────────────────────────────┼─ sheet ─▶ StructuredText
//! .ods  ──package──▶ odf: table:table rows and cells, sparse ──────────┘
//! ```
//!
//! Hostile files stay bounded: parts inflate through size and ratio caps ([`package`]),
//! XML is parsed without a DTD and with a node cap ([`xml`]), nesting is followed
//! [`docx::MAX_DEPTH`] levels deep, and sheets keep only filled cells ([`sheet`]). Each
//! failure is an [`OfficeError`] whose [`OfficeError::code`] is the contract's error code.
//! This crate depends on the contract types, not on the parser; `iki-extract` hands the
//! result to `iki_parser::extract_structured`.

mod content;
pub mod docx;
mod error;
mod libreoffice;
mod numbering;
pub mod odf;
pub mod package;
pub mod sheet;
mod workbook;
pub mod xml;

use iki_model::structured::StructuredText;
use iki_model::{InputFormat, Warning};

pub use error::OfficeError;
pub use libreoffice::{LibreOffice, LIBREOFFICE_PACKAGE};

/// How office files are read.
#[derive(Debug, Clone, Default)]
pub struct OfficeConfig {
    /// Converts legacy `.doc` files (`--office`); without it they fail with
    /// `office_unsupported`.
    pub libreoffice: Option<LibreOffice>,
}

/// What an office file holds, for the parser, and what its reader noticed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfficeText {
    pub text: StructuredText,
    pub warnings: Vec<Warning>,
}

/// Read one office file of `format`. The content decides where it and the name disagree:
/// a `.doc` that is really a `.docx` (a zip) is read as one, and a `.docx` or `.xlsx` that
/// is really a legacy binary file goes the legacy way.
pub fn read_office(
    format: InputFormat,
    bytes: &[u8],
    config: &OfficeConfig,
) -> Result<OfficeText, OfficeError> {
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    match format {
        InputFormat::Docx | InputFormat::Doc if zip => docx::read(bytes),
        InputFormat::Docx | InputFormat::Doc => read_doc(bytes, config),
        InputFormat::Odt => odf::read_text(bytes),
        InputFormat::Ods => odf::read_spreadsheet(bytes),
        InputFormat::Xlsx | InputFormat::Xls if zip => workbook::read_xlsx(bytes),
        InputFormat::Xls => workbook::read_xls(bytes),
        InputFormat::Xlsx if ole => workbook::read_xls(bytes),
        InputFormat::Xlsx => Err(OfficeError::Corrupt(
            "not an xlsx workbook (no zip signature)".to_string(),
        )),
        InputFormat::Text | InputFormat::Pdf | InputFormat::Image => Err(OfficeError::Unsupported(
            format!("{format:?} is not an office format"),
        )),
    }
}

/// A legacy Word file through LibreOffice, when this run may start it.
fn read_doc(bytes: &[u8], config: &OfficeConfig) -> Result<OfficeText, OfficeError> {
    let Some(libreoffice) = &config.libreoffice else {
        return Err(OfficeError::Unsupported(format!(
            "legacy Word (.doc) files are read through LibreOffice: run with --office \
             (needs the {LIBREOFFICE_PACKAGE} package: apt-get install {LIBREOFFICE_PACKAGE})"
        )));
    };
    let docx = libreoffice.convert_to_docx(bytes)?;
    docx::read(&docx)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Office packages built in memory for the readers' tests, and their blocks as text.
    use std::io::{Cursor, Write};

    use iki_model::structured::Block;

    /// Blocks as comparable text: a line as itself, a table as its rows joined by ` / `,
    /// each row's cells as `text[cols x rows]` joined by `|`, a page break as `<page>`.
    pub fn render(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Line(l) => l.text.clone(),
                Block::Table(t) => t
                    .rows
                    .iter()
                    .map(|r| {
                        r.cells
                            .iter()
                            .map(|c| format!("{}[{}x{}]", c.text, c.col_span, c.row_span))
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .collect::<Vec<_>>()
                    .join(" / "),
                Block::PageBreak { .. } => "<page>".into(),
            })
            .collect()
    }

    /// A deflated zip of `parts`.
    pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(body).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }
}
