//! Load an NDJSON file written by `iki extract --ndjson` into a database and time the writer
//! alone (reading and decoding the JSON is not counted): the database half of an import.
//!
//!   cargo run --release -p iki-db --example load -- URL FILE.ndjson
//!
//! Prints documents, indicator rows, seconds spent in the writer and indicator rows per second
//! (used by `scripts/bench.sh` for the PostgreSQL COPY figure).

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use iki_db::{Database, DbUrl};
use iki_model::IkiDocument;

/// Documents decoded before each timed hand-over to the writer.
const CHUNK: usize = 1000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, file] = args.as_slice() else {
        eprintln!("usage: load URL FILE.ndjson");
        std::process::exit(2);
    };
    let url = DbUrl::parse(url).unwrap_or_else(|e| fail(&e));
    let reader = BufReader::new(std::fs::File::open(file).unwrap_or_else(|e| fail(&e)));
    let mut writing = Duration::ZERO;
    let started = Instant::now();
    let writer = Database::open(&url)
        .and_then(Database::writer)
        .unwrap_or_else(|e| fail(&e));
    writing += started.elapsed();
    let (mut documents, mut indicators) = (0usize, 0usize);
    let mut chunk: Vec<IkiDocument> = Vec::with_capacity(CHUNK);
    let mut lines = reader.lines();
    loop {
        chunk.clear();
        for line in lines.by_ref().take(CHUNK) {
            let line = line.unwrap_or_else(|e| fail(&e));
            chunk.push(serde_json::from_str(&line).unwrap_or_else(|e| fail(&e)));
        }
        if chunk.is_empty() {
            break;
        }
        documents += chunk.len();
        indicators += chunk
            .iter()
            .flat_map(|d| &d.records)
            .map(|r| r.indicators.len())
            .sum::<usize>();
        let start = Instant::now();
        for doc in chunk.drain(..) {
            writer.write(doc).unwrap_or_else(|e| fail(&e));
        }
        writing += start.elapsed();
    }
    let start = Instant::now();
    writer.finish().unwrap_or_else(|e| fail(&e));
    writing += start.elapsed();
    let seconds = writing.as_secs_f64();
    println!(
        "documents {documents} indicators {indicators} writer_seconds {seconds:.2} indicator_rows_per_second {:.0}",
        indicators as f64 / seconds
    );
}

fn fail(err: &dyn std::fmt::Display) -> ! {
    eprintln!("load: {err}");
    std::process::exit(1);
}
