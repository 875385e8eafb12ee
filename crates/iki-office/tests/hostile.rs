//! Hostile office files end with their error code, or are read with their content intact;
//! none panics or runs away. (Their timings are measured by `examples/hostile_bench.rs`,
//! not asserted here.)

#[path = "support/hostile_files.rs"]
mod hostile_files;

use hostile_files::{cases, text_lines};
use iki_model::structured::Block;
use iki_office::{read_office, OfficeConfig};

#[test]
fn each_hostile_file_fails_with_its_code_or_is_read() {
    let mut failures = Vec::new();
    for case in cases() {
        let got = read_office(case.format, &case.bytes, &OfficeConfig::default());
        let ok = case.expect.met(&got);
        if !ok {
            let got = match got {
                Ok(t) => format!(
                    "read: {:?}",
                    text_lines(&t).iter().take(8).collect::<Vec<_>>()
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
