//! Prints the column scores of each argument (or of each stdin line).

use std::io::BufRead;

use iki_colmodel::ColumnModel;

fn main() {
    let model = ColumnModel::embedded();
    let show = |text: &str| {
        let scores = model.scores(text);
        let mut all: Vec<_> = scores.iter().collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1));
        let top: Vec<String> = all
            .iter()
            .take(3)
            .map(|(c, l)| format!("{c} {:.2}", l.exp()))
            .collect();
        println!("{:<60} {}", text, top.join("  "));
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            show(&line);
        }
    } else {
        args.iter().for_each(|a| show(a));
    }
}
