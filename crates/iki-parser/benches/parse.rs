//! Parser throughput on each corpus file, single thread (criterion reports bytes/s).
//!
//! `cargo bench -p iki-parser --bench parse`. CI compiles this (`cargo clippy
//! --all-targets`) but does not run it; the figures are in the README's Performance section.

use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| {
                    e.path()
                        .extension()
                        .is_some_and(|x| x == "txt" || x == "md")
                })
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    fs::read(e.path()).ok().map(|bytes| (name, bytes))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("extract");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (name, bytes) in corpus() {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(&name, |b| {
            b.iter(|| iki_parser::extract(black_box(&name), black_box(&bytes)))
        });
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
