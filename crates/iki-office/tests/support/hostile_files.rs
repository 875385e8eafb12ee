//! Hostile office files, built in memory: what each one is, and what reading it must give.
//! Shared by the tests (`tests/hostile.rs`) and the timing example (`examples/hostile_bench.rs`).

use std::io::{Cursor, Write};

use iki_model::structured::Block;
use iki_model::{ErrorCode, InputFormat};
use iki_office::OfficeText;

/// What reading a hostile file must give.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// Fails with this code.
    Fails(ErrorCode),
    /// Is read; its text holds this line.
    Reads(&'static str),
}

pub struct Case {
    pub name: &'static str,
    pub format: InputFormat,
    pub bytes: Vec<u8>,
    pub expect: Expect,
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// A zip of `parts`, deflated.
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, body) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

fn docx(document: &str) -> Vec<u8> {
    zip_of(&[("word/document.xml", document.as_bytes())])
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// A small IKI form as WordprocessingML paragraphs and a ruled table.
fn form_body() -> String {
    let cell = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
    let row = |cells: &[&str]| {
        format!(
            "<w:tr>{}</w:tr>",
            cells.iter().map(|c| cell(c)).collect::<String>()
        )
    };
    format!(
        r#"{}{}<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single"/></w:tblBorders></w:tblPr>{}{}</w:tbl>"#,
        p("INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2024"),
        p("Jabatan : Camat"),
        row(&["No", "Sasaran", "Indikator Kinerja Individu", "Target"]),
        row(&["1", "Meningkatnya layanan", "Persentase layanan", "100 %"]),
    )
}

/// A docx whose document part inflates to `size` bytes of spaces inside a paragraph.
fn zip_bomb_docx(size: usize) -> Vec<u8> {
    let mut document = format!("<w:document {W}><w:body><w:p><w:r><w:t>").into_bytes();
    document.resize(document.len() + size, b' ');
    document.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    zip_of(&[("word/document.xml", &document)])
}

fn entity_expansion_docx() -> Vec<u8> {
    let mut dtd = String::from(r#"<!ENTITY lol0 "lol">"#);
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        dtd.push_str(&format!(r#"<!ENTITY lol{i} "{refs}">"#));
    }
    docx(&format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [{dtd}]><w:document {W}><w:body>{}</w:body></w:document>"#,
        p("&lol9;")
    ))
}

fn external_entity_docx() -> Vec<u8> {
    docx(&format!(
        r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document {W}><w:body>{}</w:body></w:document>"#,
        p("&x;")
    ))
}

/// The form inside tables nested `depth` deep.
fn nested_docx(depth: usize) -> Vec<u8> {
    let mut body = form_body();
    for _ in 0..depth {
        body = format!("<w:tbl><w:tr><w:tc>{body}</w:tc></w:tr></w:tbl>");
    }
    docx(&format!(
        "<w:document {W}><w:body>{body}</w:body></w:document>"
    ))
}

fn nested_odt(depth: usize) -> Vec<u8> {
    let ns = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#;
    let mut body = "<text:p>INTI</text:p>".to_string();
    for _ in 0..depth {
        body = format!("<table:table><table:table-row><table:table-cell>{body}</table:table-cell></table:table-row></table:table>");
    }
    let content = format!(
        "<office:document-content {ns}><office:body><office:text>{body}</office:text></office:body></office:document-content>"
    );
    zip_of(&[("content.xml", content.as_bytes())])
}

/// A workbook of one sheet: `cells` (row, column, text) as inline strings, then
/// `empty_rows` empty rows after them, and the merged regions `merges` ("A1:D1").
pub fn xlsx(cells: &[(u32, u32, &str)], empty_rows: u32, merges: &[&str]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    let mut last_row = 0;
    let mut rows: std::collections::BTreeMap<u32, Vec<(u32, &str)>> = Default::default();
    for &(r, c, t) in cells {
        rows.entry(r).or_default().push((c, t));
    }
    for (r, cs) in &rows {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, t) in cs {
            let col = char::from(b'A' + *c as u8);
            sheet.push_str(&format!(
                r#"<c r="{col}{}" t="inlineStr"><is><t>{t}</t></is></c>"#,
                r + 1
            ));
        }
        sheet.push_str("</row>");
        last_row = *r + 1;
    }
    for r in last_row + 1..=last_row + empty_rows {
        sheet.push_str(&format!(r#"<row r="{r}"/>"#));
    }
    sheet.push_str("</sheetData>");
    if !merges.is_empty() {
        sheet.push_str(&format!(r#"<mergeCells count="{}">"#, merges.len()));
        for m in merges {
            sheet.push_str(&format!(r#"<mergeCell ref="{m}"/>"#));
        }
        sheet.push_str("</mergeCells>");
    }
    sheet.push_str("</worksheet>");
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="IKI" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let workbook_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    zip_of(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

/// The cells of a small IKI form typed into a sheet.
pub const FORM_CELLS: &[(u32, u32, &str)] = &[
    (0, 0, "INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2024"),
    (2, 0, "Jabatan"),
    (2, 1, ":"),
    (2, 2, "Camat"),
    (4, 0, "No"),
    (4, 1, "Sasaran"),
    (4, 2, "Indikator Kinerja Individu"),
    (4, 3, "Target"),
    (5, 0, "1"),
    (5, 1, "Meningkatnya layanan"),
    (5, 2, "Persentase layanan"),
    (5, 3, "100 %"),
];

/// Every hostile case.
pub fn cases() -> Vec<Case> {
    let good_docx = docx(&format!(
        "<w:document {W}><w:body>{}</w:body></w:document>",
        form_body()
    ));
    vec![
        Case {
            name: "zip bomb in word/document.xml (100 MiB of spaces)",
            format: InputFormat::Docx,
            bytes: zip_bomb_docx(100 << 20),
            expect: Expect::Fails(ErrorCode::OfficeTooLarge),
        },
        Case {
            name: "zip bomb in an xlsx part calamine would inflate",
            format: InputFormat::Xlsx,
            bytes: zip_of(&[("xl/worksheets/sheet1.xml", &vec![0u8; 100 << 20])]),
            expect: Expect::Fails(ErrorCode::OfficeTooLarge),
        },
        Case {
            name: "entity expansion (billion laughs) in a docx",
            format: InputFormat::Docx,
            bytes: entity_expansion_docx(),
            expect: Expect::Fails(ErrorCode::OfficeCorrupt),
        },
        Case {
            name: "external entity (file:///etc/passwd) in a docx",
            format: InputFormat::Docx,
            bytes: external_entity_docx(),
            expect: Expect::Fails(ErrorCode::OfficeCorrupt),
        },
        Case {
            name: "docx: a form inside tables nested 1,000 deep",
            format: InputFormat::Docx,
            bytes: nested_docx(1_000),
            expect: Expect::Reads("Jabatan : Camat"),
        },
        Case {
            name: "odt: tables nested 1,000 deep",
            format: InputFormat::Odt,
            bytes: nested_odt(1_000),
            expect: Expect::Reads("INTI"),
        },
        Case {
            name: "xlsx: a form, then a million empty rows",
            format: InputFormat::Xlsx,
            bytes: xlsx(FORM_CELLS, 1_000_000, &["A1:D1"]),
            expect: Expect::Reads("INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2024"),
        },
        Case {
            name: "xlsx: a form and a merge over the whole sheet",
            format: InputFormat::Xlsx,
            bytes: xlsx(FORM_CELLS, 0, &["A1:XFD1048576", "A7:XFD1048576"]),
            expect: Expect::Reads("INDIKATOR KINERJA INDIVIDU (IKI) TAHUN 2024"),
        },
        Case {
            name: "docx cut in half",
            format: InputFormat::Docx,
            bytes: good_docx[..good_docx.len() / 2].to_vec(),
            expect: Expect::Fails(ErrorCode::OfficeCorrupt),
        },
        Case {
            name: "docx with a damaged deflate stream",
            format: InputFormat::Docx,
            bytes: {
                let mut b = good_docx.clone();
                for byte in b.iter_mut().skip(40).take(60) {
                    *byte ^= 0x5A;
                }
                b
            },
            expect: Expect::Fails(ErrorCode::OfficeCorrupt),
        },
        Case {
            name: "xlsx that is not a zip",
            format: InputFormat::Xlsx,
            bytes: b"PK\x03\x04 this is no zip".to_vec(),
            expect: Expect::Fails(ErrorCode::OfficeCorrupt),
        },
        Case {
            name: "xls of random bytes",
            format: InputFormat::Xls,
            bytes: (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
            expect: Expect::Fails(ErrorCode::OfficeCorrupt),
        },
        Case {
            name: "ods without content.xml",
            format: InputFormat::Ods,
            bytes: zip_of(&[(
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            )]),
            expect: Expect::Fails(ErrorCode::OfficeCorrupt),
        },
    ]
}

impl Expect {
    /// Whether `got` is what was expected.
    pub fn met(&self, got: &Result<OfficeText, iki_office::OfficeError>) -> bool {
        match (self, got) {
            (Expect::Fails(code), Err(e)) => e.code() == *code,
            (Expect::Reads(line), Ok(text)) => text_lines(text).iter().any(|l| l == line),
            _ => false,
        }
    }
}

/// Every line and cell text of a read file, in order.
pub fn text_lines(text: &OfficeText) -> Vec<String> {
    let mut out = Vec::new();
    for b in &text.text.blocks {
        match b {
            Block::Line(l) => out.push(l.text.clone()),
            Block::Table(t) => {
                for r in &t.rows {
                    out.extend(r.cells.iter().map(|c| c.text.clone()));
                }
            }
            Block::PageBreak { .. } => {}
        }
    }
    out
}
