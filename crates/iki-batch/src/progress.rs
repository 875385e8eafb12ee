//! Progress on stderr: a bar while the run goes (only on a terminal, never when quiet) and a
//! one-line summary at the end (unless quiet).
//!
//! The bar measures on-disk bytes, the one total known before the inputs are enumerated
//! (a quick walk that only reads file sizes; archive entries count their compressed bytes),
//! so its rate and ETA hold for directories and archives alike. Files, files/s and failures
//! are in its message.

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use walkdir::WalkDir;

use crate::inputs::is_taken_name;
use crate::summary::{BatchSummary, DocStats};

const TEMPLATE: &str =
    "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}";

pub(crate) struct Progress {
    bar: ProgressBar,
    files: u64,
    failures: u64,
    quiet: bool,
    started: Instant,
}

impl Progress {
    pub(crate) fn new<P: AsRef<Path>>(paths: &[P], quiet: bool) -> Self {
        let bar = if quiet || !io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let style = ProgressStyle::with_template(TEMPLATE)
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            ProgressBar::with_draw_target(Some(disk_bytes(paths)), ProgressDrawTarget::stderr())
                .with_style(style)
        };
        Progress {
            bar,
            files: 0,
            failures: 0,
            quiet,
            started: Instant::now(),
        }
    }

    /// Count one finished document.
    pub(crate) fn record(&mut self, stats: &DocStats, disk_bytes: u64) {
        if self.bar.is_hidden() {
            return;
        }
        self.files += 1;
        self.failures += u64::from(stats.is_failed());
        self.bar.inc(disk_bytes);
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{} files ({:.0}/s), {} failed",
            self.files,
            self.files as f64 / seconds,
            self.failures
        ));
    }

    /// Clear the bar and, unless quiet, print the one-line summary.
    pub(crate) fn finish(self, summary: &BatchSummary, resumed: usize) {
        self.bar.finish_and_clear();
        if !self.quiet {
            let resumed = if resumed > 0 {
                format!(", {resumed} already written (resumed)")
            } else {
                String::new()
            };
            // A closed stderr must not turn a finished run into an error.
            let _ = writeln!(io::stderr(), "{summary}{resumed}");
        }
    }
}

/// Total size of the files the run will read (stat only).
fn disk_bytes<P: AsRef<Path>>(paths: &[P]) -> u64 {
    let mut total = 0;
    for path in paths {
        let path = path.as_ref();
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                total += WalkDir::new(path)
                    .follow_links(false)
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file() && is_taken_name(e.path()))
                    .filter_map(|e| e.metadata().ok())
                    .map(|m| m.len())
                    .sum::<u64>();
            }
            Ok(meta) => total += meta.len(),
            Err(_) => {}
        }
    }
    total
}
