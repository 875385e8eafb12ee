//! Times reading each hostile office file (built in memory as the tests build them) and
//! prints a table: case, size, outcome, and the median of 5 reads in wall milliseconds and in
//! CPU milliseconds of the reading thread (steadier than wall time on a shared machine).
//!
//! `cargo run --release -p iki-office --example hostile_bench`

#[path = "../tests/support/hostile_files.rs"]
mod hostile_files;

use std::time::Instant;

use iki_office::{read_office, OfficeConfig};

fn main() {
    println!("| hostile file | bytes | outcome | wall ms | CPU ms |");
    println!("|---|---:|---|---:|---:|");
    for case in hostile_files::cases() {
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        let mut outcome = String::new();
        for _ in 0..5 {
            let (start, start_cpu) = (Instant::now(), thread_cpu_ms());
            let got = read_office(case.format, &case.bytes, &OfficeConfig::default());
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            cpu.push(thread_cpu_ms() - start_cpu);
            let expected = if case.expect.met(&got) {
                ""
            } else {
                " (UNEXPECTED)"
            };
            outcome = match got {
                Ok(t) => format!(
                    "read ({} blocks, {} warnings)",
                    t.text.blocks.len(),
                    t.warnings.len()
                ),
                Err(e) => e.code().to_string(),
            } + expected;
        }
        times.sort_by(f64::total_cmp);
        cpu.sort_by(f64::total_cmp);
        println!(
            "| {} | {} | {} | {:.1} | {:.1} |",
            case.name,
            case.bytes.len(),
            outcome,
            times[2],
            cpu[2]
        );
    }
}

/// CPU time of the calling thread in milliseconds.
fn thread_cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec the call writes into.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1000.0 + t.tv_nsec as f64 / 1e6
}
