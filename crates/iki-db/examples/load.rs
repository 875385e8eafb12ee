//! Load an NDJSON file written by `iki extract --ndjson` into a database and time the writer
//! alone (reading and decoding the JSON is not counted): the database half of an import,
//! from opening the database to the last commit.
//!
//!   cargo run --release -p iki-db --example load -- URL FILE.ndjson
//!
//! Prints documents, indicator rows, seconds spent in the writer and indicator rows per second
//! (used by `scripts/bench.sh` for the PostgreSQL COPY figure).

use std::io::{BufRead, BufReader};
use std::time::Instant;

use iki_db::{Database, DbUrl};
use iki_model::IkiDocument;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, file] = args.as_slice() else {
        eprintln!("usage: load URL FILE.ndjson");
        std::process::exit(2);
    };
    let url = DbUrl::parse(url).unwrap_or_else(|e| fail(&e));
    // Everything is decoded first: the writer works on a thread of its own, so timing it
    // between decoded chunks would hide part of its work behind the decoding.
    let reader = BufReader::new(std::fs::File::open(file).unwrap_or_else(|e| fail(&e)));
    let docs: Vec<IkiDocument> = reader
        .lines()
        .map(|line| {
            let line = line.unwrap_or_else(|e| fail(&e));
            serde_json::from_str(&line).unwrap_or_else(|e| fail(&e))
        })
        .collect();
    let documents = docs.len();
    let indicators: usize = docs
        .iter()
        .flat_map(|d| &d.records)
        .map(|r| r.indicators.len())
        .sum();
    let started = Instant::now();
    let writer = Database::open(&url)
        .and_then(Database::writer)
        .unwrap_or_else(|e| fail(&e));
    for doc in docs {
        writer.write(doc).unwrap_or_else(|e| fail(&e));
    }
    writer.finish().unwrap_or_else(|e| fail(&e));
    let writing = started.elapsed();
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
