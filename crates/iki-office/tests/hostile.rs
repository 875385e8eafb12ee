//! Hostile office files end with their error code, or are read with their content intact;
//! none panics or runs away. (Their timings are measured by `examples/hostile_bench.rs`,
//! not asserted here.)

#[path = "support/hostile_files.rs"]
mod hostile_files;

use hostile_files::{cases, Expect};
use iki_model::structured::Block;
use iki_office::{read_office, OfficeConfig};

fn lines(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    for b in blocks {
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

#[test]
fn each_hostile_file_fails_with_its_code_or_is_read() {
    let mut failures = Vec::new();
    for case in cases() {
        let got = read_office(case.format, &case.bytes, &OfficeConfig::default());
        let ok = match (&case.expect, &got) {
            (Expect::Fails(code), Err(e)) => e.code() == *code,
            (Expect::Reads(line), Ok(text)) => lines(&text.text.blocks).iter().any(|l| l == line),
            _ => false,
        };
        if !ok {
            let got = match got {
                Ok(t) => format!(
                    "read: {:?}",
                    lines(&t.text.blocks).iter().take(8).collect::<Vec<_>>()
                ),
                Err(e) => format!("{}: {}", e.code(), e.message()),
            };
            failures.push(format!(
                "{}: expected {:?}, got {got}",
                case.name, case.expect
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_million_empty_rows_leave_the_form_as_it_was() {
    use hostile_files::{xlsx, FORM_CELLS};
    let plain = read_office(
        iki_model::InputFormat::Xlsx,
        &xlsx(FORM_CELLS, 0, &["A1:D1"]),
        &OfficeConfig::default(),
    )
    .unwrap();
    let padded = read_office(
        iki_model::InputFormat::Xlsx,
        &xlsx(FORM_CELLS, 1_000_000, &["A1:D1"]),
        &OfficeConfig::default(),
    )
    .unwrap();
    assert_eq!(plain.text, padded.text);
    assert!(matches!(&plain.text.blocks[0], Block::Line(l) if l.text.starts_with("INDIKATOR")));
}
