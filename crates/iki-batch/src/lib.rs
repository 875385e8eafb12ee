//! Parallel batch extraction of IKI documents from files and directories.
//!
//! A run has four steps, each in its own module:
//!
//! 1. [`inputs`]: the PATH arguments become an ordered list of [`Input`]s, each with its
//!    display path and a unique output stem ([`stem`]).
//! 2. [`process`]: workers (rayon, or a plain loop for `jobs == 1`) read each input with a
//!    size cap, extract it with [`iki_parser::extract`] (which fills `source`) inside
//!    `catch_unwind`, and render the JSON.
//! 3. [`output`]: a single writer emits the results in input order, so `-j 1` and `-j N`
//!    give the same bytes, to `OUT_DIR/<stem>.json` and/or an NDJSON stream.
//! 4. [`summary`]: the results fold into a [`BatchSummary`] (`OUT_DIR/summary.json`); its
//!    failure count decides the exit code of the binary.
//!
//! Per-input problems are failed documents and never stop the run; only an output that
//! cannot be written ([`BatchError`]) does.

pub mod error;
pub mod inputs;
pub mod output;
pub mod process;
mod progress;
pub mod stem;
pub mod summary;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use rayon::iter::{ParallelBridge, ParallelIterator};

pub use error::{BatchError, InputError};
pub use inputs::{collect_inputs, Input, InputKind};
pub use output::NdjsonTarget;
pub use process::process_input;
pub use summary::{BatchSummary, ConfidenceBin, Failure};

use output::Sink;
use process::{process_for_batch, Extractor, Processed, Renderings};
use progress::Progress;
use summary::SummaryBuilder;

/// Default cap on the size of one input: 64 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Write `<stem>.json` per input plus `summary.json` here.
    pub out_dir: Option<PathBuf>,
    /// Write one compact document per line here.
    pub ndjson: Option<NdjsonTarget>,
    /// Worker threads: 1 = sequential on the calling thread, 0 = one per core.
    pub jobs: usize,
    /// No progress bar and no summary line on stderr.
    pub quiet: bool,
    /// Larger files fail with `file_too_large` without being read.
    pub max_file_bytes: u64,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            out_dir: None,
            ndjson: None,
            jobs: 0,
            quiet: false,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        }
    }
}

impl BatchOptions {
    fn renderings(&self) -> Renderings {
        Renderings {
            compact: self.ndjson.is_some(),
            pretty: self.out_dir.is_some(),
        }
    }
}

/// Collect the inputs named by `paths` and extract them all; see the crate docs.
///
/// With neither `out_dir` nor `ndjson` set nothing is written but the summary is returned.
pub fn run<P: AsRef<Path>>(
    paths: &[P],
    options: &BatchOptions,
) -> Result<BatchSummary, BatchError> {
    let started = Instant::now();
    let inputs = collect_inputs(paths);
    run_inputs(&inputs, options, iki_parser::extract, started)
}

fn run_inputs(
    inputs: &[Input],
    options: &BatchOptions,
    extract: Extractor,
    started: Instant,
) -> Result<BatchSummary, BatchError> {
    let mut sink = Sink::open(options.out_dir.as_deref(), options.ndjson.as_ref())?;
    let mut progress = Progress::new(inputs.len(), options.quiet);
    let mut summary = SummaryBuilder::default();
    let renderings = options.renderings();
    let work =
        |input: &Input| process_for_batch(input, options.max_file_bytes, extract, renderings);
    let emit = |input: &Input, processed: Processed| {
        sink.write(&input.stem, &processed.rendered)?;
        progress.record(&processed.stats);
        summary.add(processed.stats);
        Ok(())
    };
    drive(inputs, options.jobs, work, emit)?;
    let summary = summary.finish(started.elapsed());
    sink.finish(&summary)?;
    progress.finish(&summary);
    Ok(summary)
}

/// Run `work` over `inputs` and hand each result to `emit` in input order.
fn drive<W, E>(inputs: &[Input], jobs: usize, work: W, mut emit: E) -> Result<(), BatchError>
where
    W: Fn(&Input) -> Processed + Sync,
    E: FnMut(&Input, Processed) -> Result<(), BatchError>,
{
    if jobs == 1 {
        return inputs.iter().try_for_each(|input| emit(input, work(input)));
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let cancelled = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel();
    thread::scope(|scope| {
        scope.spawn(|| {
            // `par_bridge` hands out inputs roughly in order, which keeps the writer's
            // reordering buffer small.
            pool.install(|| {
                inputs.iter().enumerate().par_bridge().for_each_with(
                    sender,
                    |sender, (index, input)| {
                        if !cancelled.load(Ordering::Relaxed) {
                            // The writer has gone only after an error it reports itself.
                            let _ = sender.send((index, work(input)));
                        }
                    },
                );
            });
        });
        let result = emit_in_order(inputs, receiver, &mut emit);
        if result.is_err() {
            cancelled.store(true, Ordering::Relaxed);
        }
        result
    })
}

/// The single writer: buffer results that arrive early, emit them in input order.
fn emit_in_order<E>(
    inputs: &[Input],
    receiver: mpsc::Receiver<(usize, Processed)>,
    emit: &mut E,
) -> Result<(), BatchError>
where
    E: FnMut(&Input, Processed) -> Result<(), BatchError>,
{
    let mut early = BTreeMap::new();
    let mut next = 0;
    for (index, processed) in receiver {
        early.insert(index, processed);
        while let Some(processed) = early.remove(&next) {
            emit(&inputs[next], processed)?;
            next += 1;
        }
    }
    debug_assert_eq!(next, inputs.len(), "every input yields exactly one result");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use iki_parser::{IkiDocument, Status};
    use std::fs;

    fn sometimes_panics(path: &str, bytes: &[u8]) -> IkiDocument {
        if path.ends_with("07.txt") {
            panic!("bad file");
        }
        let mut doc = iki_parser::extract(path, bytes);
        if bytes.len().is_multiple_of(2) {
            doc.status = Status::Ok;
            doc.error = None;
        }
        doc
    }

    fn corpus(n: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..n {
            fs::write(dir.path().join(format!("{i:02}.txt")), "x".repeat(i)).unwrap();
        }
        dir
    }

    fn run_to_ndjson(dir: &Path, jobs: usize) -> (BatchSummary, String) {
        let out = tempfile::tempdir().unwrap();
        let ndjson = out.path().join("out.ndjson");
        let options = BatchOptions {
            ndjson: Some(NdjsonTarget::File(ndjson.clone())),
            jobs,
            quiet: true,
            ..BatchOptions::default()
        };
        let inputs = collect_inputs(&[dir]);
        let summary = run_inputs(&inputs, &options, sometimes_panics, Instant::now()).unwrap();
        (summary, fs::read_to_string(ndjson).unwrap())
    }

    #[test]
    fn sequential_and_parallel_runs_give_the_same_bytes() {
        let dir = corpus(40);
        let (summary_1, ndjson_1) = run_to_ndjson(dir.path(), 1);
        let (summary_4, ndjson_4) = run_to_ndjson(dir.path(), 4);
        assert_eq!(ndjson_1, ndjson_4);
        assert_eq!(ndjson_1.lines().count(), 40);
        assert_eq!(summary_1.status_counts, summary_4.status_counts);
        assert_eq!(summary_1.failures, summary_4.failures);
        assert_eq!(summary_1.ok(), 20);
        assert!(summary_1
            .failures
            .iter()
            .any(|f| f.path.ends_with("07.txt") && f.code == "internal_error"));
    }

    #[test]
    fn out_dir_gets_one_file_per_input_and_a_summary() {
        let dir = corpus(3);
        let out = tempfile::tempdir().unwrap();
        let out_dir = out.path().join("nested/out");
        let options = BatchOptions {
            out_dir: Some(out_dir.clone()),
            jobs: 2,
            quiet: true,
            ..BatchOptions::default()
        };
        let summary = run(&[dir.path()], &options).unwrap();
        assert_eq!(summary.files, 3);
        let mut names: Vec<String> = fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["00.json", "01.json", "02.json", "summary.json"]);
        let written: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(out_dir.join("summary.json")).unwrap())
                .unwrap();
        assert_eq!(written["files"], 3);
        assert_eq!(written["bytes"], 3);
        assert_eq!(written["status_counts"]["failed"], summary.failed());
        assert_eq!(
            written["confidence_histogram"].as_array().unwrap().len(),
            10
        );
    }

    #[test]
    fn an_unwritable_out_dir_stops_the_run() {
        let dir = corpus(1);
        let blocker = dir.path().join("00.txt");
        let options = BatchOptions {
            out_dir: Some(blocker.join("out")),
            quiet: true,
            ..BatchOptions::default()
        };
        let err = run(&[dir.path()], &options).unwrap_err();
        assert!(matches!(err, BatchError::CreateOutDir { .. }), "{err}");
        assert!(!err.is_broken_pipe());
    }
}
