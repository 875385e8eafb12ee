//! Scoring speed: cells per second over the foreign-office cells (short, like the candidate
//! cells the parser scores), single thread; criterion reports elements/s.
//!
//! `cargo bench -p iki-colmodel --bench score`. CI compiles this but does not run it.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iki_colmodel::{Column, ColumnModel};

fn cells() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/foreign.tsv");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t').map(|(_, cell)| cell.to_string()))
        .collect()
}

fn bench(c: &mut Criterion) {
    let model = ColumnModel::embedded();
    let cells = cells();
    let bytes: usize = cells.iter().map(String::len).sum();
    let mut group = c.benchmark_group("colmodel");
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(cells.len() as u64));
    group.bench_function(
        format!("scores/{} cells, {bytes} bytes", cells.len()),
        |b| {
            b.iter(|| {
                for cell in &cells {
                    black_box(model.scores(black_box(cell)));
                }
            })
        },
    );
    group.bench_function("log_odds", |b| {
        b.iter(|| {
            for cell in &cells {
                black_box(model.log_odds(black_box(cell), Column::Rumus, Column::Indikator));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
