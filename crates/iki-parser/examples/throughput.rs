//! Parser throughput over files, single thread: `throughput FILE... [--secs N] [--rounds N]`.
//! A quick loop for profiling (perf, callgrind); the criterion bench is the reported figure.
use std::time::{Duration, Instant};

fn main() {
    let mut secs = 3.0;
    let mut min_rounds = 1;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--rounds" {
            min_rounds = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
        } else if arg == "--secs" {
            secs = args.next().and_then(|s| s.parse().ok()).unwrap_or(secs);
        } else {
            files.push((arg.clone(), std::fs::read(&arg).expect("readable file")));
        }
    }
    let budget = Duration::from_secs_f64(secs);
    let start = Instant::now();
    let (mut bytes, mut rounds) = (0usize, 0usize);
    while start.elapsed() < budget || rounds < min_rounds {
        for (name, data) in &files {
            std::hint::black_box(iki_parser::extract(name, data));
            bytes += data.len();
        }
        rounds += 1;
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!("{rounds} rounds, {:.1} MB/s", bytes as f64 / elapsed / 1e6);
}
