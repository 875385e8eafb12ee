use super::*;
use crate::testing::{render, zip_of};

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

fn docx(body: &str, numbering: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![("word/document.xml", document.as_bytes())];
    let numbering = numbering.map(|n| format!("<w:numbering {NS}>{n}</w:numbering>"));
    if let Some(n) = &numbering {
        parts.push(("word/numbering.xml", n.as_bytes()));
    }
    zip_of(&parts)
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn tc(props: &str, body: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
}

const BORDERS: &str = r#"<w:tblPr><w:tblBorders><w:top w:val="single"/><w:insideH w:val="single"/></w:tblBorders></w:tblPr>"#;

#[test]
fn paragraphs_runs_breaks_and_tabs() {
    let body = r#"<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t>Jabatan</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">: Camat</w:t></w:r></w:p>
<w:p><w:r><w:t>Lumajang,</w:t><w:br/><w:t>Camat</w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>7</w:t></w:r></w:p>"#;
    let text = read(&docx(body, None)).unwrap();
    assert_eq!(
        render(&text.text.blocks),
        ["Jabatan\t: Camat", "Lumajang,", "Camat", "7"]
    );
}

#[test]
fn grid_spans_and_vertical_merges() {
    let row1 = format!(
        "<w:tr>{}{}{}</w:tr>",
        tc(r#"<w:vMerge w:val="restart"/>"#, &p("1")),
        tc(r#"<w:vMerge w:val="restart"/>"#, &p("Sasaran A")),
        tc("", &p("Indikator 1"))
    );
    let row2 = format!(
        "<w:tr>{}{}{}</w:tr>",
        tc("<w:vMerge/>", "<w:p/>"),
        tc("<w:vMerge/>", "<w:p/>"),
        tc("", &p("Indikator 2"))
    );
    let row3 = format!(
        "<w:tr>{}{}</w:tr>",
        tc(r#"<w:gridSpan w:val="2"/>"#, &p("Jumlah")),
        tc("", &format!("{}{}", p("- Camat"), p("- Sekcam")))
    );
    let body = format!("<w:tbl>{BORDERS}{row1}{row2}{row3}</w:tbl>");
    let text = read(&docx(&body, None)).unwrap();
    assert_eq!(
        render(&text.text.blocks),
        ["1[1x2]|Sasaran A[1x2]|Indikator 1[1x1] / Indikator 2[1x1] / Jumlah[2x1]|- Camat\n- Sekcam[1x1]"]
    );
}

#[test]
fn list_labels_come_from_numbering() {
    let numbering = r#"<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>"#;
    let item = |t: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
        )
    };
    let body = format!(
        "{}{}{}",
        p("Tugas Pokok :"),
        item("menyusun rencana;"),
        item("melaksanakan;")
    );
    let text = read(&docx(&body, Some(numbering))).unwrap();
    assert_eq!(
        render(&text.text.blocks),
        ["Tugas Pokok :", "a. menyusun rencana;", "b. melaksanakan;"]
    );
}

#[test]
fn a_borderless_signature_table_is_read_as_lines() {
    let signer = format!("{}{}{}{}", p("Mengetahui"), p("Camat"), p(""), p("BUDI"));
    let other = format!(
        "{}{}{}{}",
        p("Lumajang, 2 Januari 2024"),
        p("Sekretaris"),
        p(""),
        p("ANI")
    );
    let body = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        tc("", &signer),
        tc("", &other)
    );
    let text = read(&docx(&body, None)).unwrap();
    assert_eq!(
        render(&text.text.blocks),
        [
            "Mengetahui",
            "Camat",
            "",
            "BUDI",
            "Lumajang, 2 Januari 2024",
            "Sekretaris",
            "",
            "ANI"
        ]
    );
}

#[test]
fn text_boxes_are_read_once() {
    let body = format!(
        r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>{}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        p("KOTAK"),
        p("KOTAK")
    );
    let text = read(&docx(&body, None)).unwrap();
    assert_eq!(render(&text.text.blocks), ["", "KOTAK"]);
}

#[test]
fn tables_nested_a_thousand_deep_are_bounded() {
    let mut body = p("INTI");
    for _ in 0..1_000 {
        body = format!("<w:tbl>{BORDERS}<w:tr><w:tc>{body}</w:tc></w:tr></w:tbl>");
    }
    let text = read(&docx(&body, None)).unwrap();
    assert_eq!(render(&text.text.blocks), ["INTI[1x1]"]);
    assert!(text
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::OfficeNestingFlattened));
}

#[test]
fn broken_files_fail_with_codes() {
    let err = read(b"PK\x03\x04garbage").unwrap_err();
    assert_eq!(err.code(), iki_model::ErrorCode::OfficeCorrupt);
    let no_body = zip_of(&[("word/other.xml", b"<x/>")]);
    assert_eq!(
        read(&no_body).unwrap_err().code(),
        iki_model::ErrorCode::OfficeCorrupt
    );
    let bad_xml = docx("<w:p><w:r>", None);
    assert_eq!(
        read(&bad_xml).unwrap_err().code(),
        iki_model::ErrorCode::OfficeCorrupt
    );
}
