//! Print what the office reader hands the parser: one line per text line, table rows as
//! `| cell | cell |` with spans as `[cols x rows]`, then the reader's warnings.
//!
//! `cargo run -p iki-office --example office_dump -- FILE [--office]`

use iki_model::structured::Block;
use iki_model::InputFormat;
use iki_office::{read_office, LibreOffice, OfficeConfig};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: office_dump FILE [--office]");
        std::process::exit(2);
    };
    let config = OfficeConfig {
        libreoffice: args
            .iter()
            .any(|a| a == "--office")
            .then(LibreOffice::default),
    };
    let bytes = std::fs::read(path).expect("readable file");
    let format = InputFormat::from_name(path).expect("an office file name");
    match read_office(format, &bytes, &config) {
        Ok(text) => {
            for block in &text.text.blocks {
                match block {
                    Block::Line(line) => println!("{}", line.text),
                    Block::Table(table) => {
                        for row in &table.rows {
                            let cells: Vec<String> = row
                                .cells
                                .iter()
                                .map(|c| {
                                    let text = c.text.replace('\n', " / ");
                                    if c.col_span > 1 || c.row_span > 1 {
                                        format!("{text} [{}x{}]", c.col_span, c.row_span)
                                    } else {
                                        text
                                    }
                                })
                                .collect();
                            println!("| {} |", cells.join(" | "));
                        }
                    }
                    Block::PageBreak { page } => println!("---- page {page}"),
                }
            }
            for w in &text.warnings {
                eprintln!("warning {}: {}", w.code, w.message);
            }
        }
        Err(e) => {
            eprintln!("{}: {}", e.code(), e.message());
            std::process::exit(1);
        }
    }
}
