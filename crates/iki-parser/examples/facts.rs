//! Print the line model and facts of a file, one line each: `facts FILE [FROM [TO]]`.
//! A debugging aid for the scan and classify layers.
use iki_parser::classify::{classify, View};
use iki_parser::scan::Scan;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bytes = std::fs::read(&args[0]).expect("readable file");
    let text = iki_parser::decode::decode(&bytes).expect("text").text;
    let from: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let to: usize = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let lines = iki_parser::input::from_text(&text);
    let scan = Scan::new(&lines);
    let c = classify(&scan);
    let view = View { scan: &scan, c: &c };
    for i in 0..view.len() {
        let no = view.no(i);
        if no < from || no > to {
            continue;
        }
        let f = view.facts(i);
        let line = view.line(i);
        println!(
            "{no:>5} {:?} cells={} bits={:#x} label={:?} col={:?} header={} anchor={:?} | {}",
            line.delim,
            line.cell_count(),
            f.bits,
            f.label.map(|(l, _)| l),
            f.column,
            f.header.is_some(),
            f.anchor,
            view.text(i)
        );
    }
}
