//! Progress on stderr: a bar while the run goes (only on a terminal, never when quiet) and a
//! one-line summary at the end (unless quiet).

use std::fmt;
use std::io::{self, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::summary::{BatchSummary, DocStats};

const TEMPLATE: &str =
    "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files, {rate}, ETA {eta} {msg}";

pub(crate) struct Progress {
    bar: ProgressBar,
    failures: usize,
    quiet: bool,
}

impl Progress {
    pub(crate) fn new(total: usize, quiet: bool) -> Self {
        let bar = if quiet || !io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let style = ProgressStyle::with_template(TEMPLATE)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .with_key("rate", |state: &ProgressState, w: &mut dyn fmt::Write| {
                    let _ = write!(w, "{:.0} files/s", state.per_sec());
                });
            ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
                .with_style(style)
        };
        Progress {
            bar,
            failures: 0,
            quiet,
        }
    }

    /// Count one finished document.
    pub(crate) fn record(&mut self, stats: &DocStats) {
        self.bar.inc(1);
        if stats.is_failed() {
            self.failures += 1;
            self.bar.set_message(format!("{} failed", self.failures));
        }
    }

    /// Clear the bar and, unless quiet, print the one-line summary.
    pub(crate) fn finish(self, summary: &BatchSummary) {
        self.bar.finish_and_clear();
        if !self.quiet {
            // A closed stderr must not turn a finished run into an error.
            let _ = writeln!(io::stderr(), "{summary}");
        }
    }
}
