//! Prints cells scored per second over the foreign-office cells, repeated (a quick check
//! beside the criterion bench; run with `--release`).

use std::hint::black_box;
use std::time::Instant;

use iki_colmodel::ColumnModel;

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/foreign.tsv");
    let text = std::fs::read_to_string(path).expect("data/foreign.tsv reads");
    let cells: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t').map(|(_, cell)| cell))
        .collect();
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let model = ColumnModel::embedded();
    let start = Instant::now();
    for _ in 0..rounds {
        for cell in &cells {
            black_box(model.scores(black_box(cell)));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = (rounds * cells.len()) as f64;
    let bytes: usize = cells.iter().map(|c| c.len()).sum();
    println!(
        "{n} cells (mean {:.1} bytes) in {secs:.3} s: {:.0} cells/s, {:.0} ns a cell",
        bytes as f64 / cells.len() as f64,
        n / secs,
        secs / n * 1e9
    );
}
