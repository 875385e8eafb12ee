//! Print every table the readers find in a file: `tables FILE`: the segmentation chosen, its
//! margin, and each row's cells. A debugging aid for the table readers.
use iki_parser::classify::{classify, View};
use iki_parser::readers::{opens_table, read_table};
use iki_parser::scan::Scan;

fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let bytes = std::fs::read(&path).expect("readable file");
    let text = iki_parser::decode::decode(&bytes).expect("text").text;
    let lines = iki_parser::input::from_text(&text);
    let scan = Scan::new(&lines);
    let c = classify(&scan);
    let view = View { scan: &scan, c: &c };
    let mut i = 0;
    while i < view.len() {
        if opens_table(&view, i) {
            if let Some(read) = read_table(&view, i) {
                let p = &read.proposal;
                println!(
                    "line {}..{}: {:?} margin {:?}, {} rows, columns {:?}",
                    view.no(i),
                    view.no(p.end.min(view.len() - 1)),
                    p.segmentation,
                    read.margin,
                    p.rows.len(),
                    p.header.columns
                );
                for row in &p.rows {
                    println!("  {:>4} {}", view.no(row.first), row.cells.join(" | "));
                }
                i = p.end.max(i + 1);
                continue;
            }
        }
        i += 1;
    }
}
