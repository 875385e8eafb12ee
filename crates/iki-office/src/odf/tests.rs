use super::*;
use crate::testing::{render, zip_of};

const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0""#;

fn package(styles: &str, kind: &str, body: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0"?><office:document-content {NS}><office:automatic-styles>{styles}</office:automatic-styles><office:body><office:{kind}>{body}</office:{kind}></office:body></office:document-content>"#
    );
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
    ])
}

const RULED: &str = r#"<style:style style:name="T.A1" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000"/></style:style>"#;
const LIST: &str = r#"<text:list-style style:name="L1"><text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"/><text:list-level-style-number text:level="2" style:num-suffix=")" style:num-format="a"/></text:list-style>"#;

#[test]
fn paragraphs_spaces_and_breaks() {
    let body = r#"<text:h>INDIKATOR KINERJA<text:line-break/>INDIVIDU</text:h><text:p>Jabatan<text:tab/>:<text:s text:c="2"/>Camat <text:span>Lumajang</text:span></text:p>"#;
    let text = read_text(&package("", "text", body)).unwrap();
    assert_eq!(
        render(&text.text.blocks),
        [
            "INDIKATOR KINERJA",
            "INDIVIDU",
            "Jabatan\t:  Camat Lumajang"
        ]
    );
}

#[test]
fn lists_are_labelled_and_nest() {
    let body = r#"<text:list text:style-name="L1"><text:list-item><text:p>Satu</text:p><text:list><text:list-item><text:p>sub a</text:p></text:list-item><text:list-item><text:p>sub b</text:p></text:list-item></text:list></text:list-item><text:list-item><text:p>Dua</text:p></text:list-item></text:list>
<text:list text:style-name="L1"><text:list-item><text:p>Lagi</text:p></text:list-item></text:list>"#;
    let text = read_text(&package(LIST, "text", body)).unwrap();
    assert_eq!(
        render(&text.text.blocks),
        ["1. Satu", "a) sub a", "b) sub b", "2. Dua", "1. Lagi"]
    );
}

#[test]
fn spans_and_covered_cells() {
    let body = r#"<table:table><table:table-column table:number-columns-repeated="3"/>
<table:table-header-rows><table:table-row><table:table-cell table:style-name="T.A1"><text:p>No</text:p></table:table-cell><table:table-cell><text:p>Sasaran</text:p></table:table-cell><table:table-cell><text:p>Indikator</text:p></table:table-cell></table:table-row></table:table-header-rows>
<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>1</text:p></table:table-cell><table:table-cell table:number-rows-spanned="2"><text:p>S</text:p></table:table-cell><table:table-cell><text:p>I1</text:p></table:table-cell></table:table-row>
<table:table-row><table:covered-table-cell/><table:covered-table-cell/><table:table-cell><text:p>I2</text:p><text:p>lanjut</text:p></table:table-cell></table:table-row></table:table>"#;
    let text = read_text(&package(RULED, "text", body)).unwrap();
    assert_eq!(
        render(&text.text.blocks),
        ["No[1x1]|Sasaran[1x1]|Indikator[1x1] / 1[1x2]|S[1x2]|I1[1x1] / I2\nlanjut[1x1]"]
    );
}

#[test]
fn spreadsheets_are_sparse_and_keep_merges() {
    let body = r#"<table:table table:name="IKI">
<table:table-row><table:table-cell table:number-columns-spanned="3"><text:p>INDIKATOR KINERJA INDIVIDU</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>
<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>1</text:p></table:table-cell><table:table-cell><text:p>I1</text:p></table:table-cell></table:table-row>
<table:table-row><table:covered-table-cell/><table:table-cell><text:p>I2</text:p></table:table-cell></table:table-row>
</table:table>"#;
    let text = read_spreadsheet(&package("", "spreadsheet", body)).unwrap();
    assert_eq!(
        render(&text.text.blocks),
        ["INDIKATOR KINERJA INDIVIDU", "", "1[1x2]|I1[1x1] / I2[1x1]"]
    );
}

#[test]
fn a_dtd_is_corrupt() {
    let content = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>"#;
    let bytes = zip_of(&[("content.xml", content.as_bytes())]);
    assert_eq!(
        read_text(&bytes).unwrap_err().code(),
        iki_model::ErrorCode::OfficeCorrupt
    );
}
