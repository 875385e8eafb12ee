//! Parallel, resumable batch extraction of IKI documents from files, directories and
//! archives, in bounded memory.
//!
//! A run is a pipeline of three kinds of threads around bounded hand-overs:
//!
//! ```text
//! inputs thread ──(window of ≤ 4·N+4 inputs)──▶ N workers ──▶ writer (calling thread)
//!   enumerate: walk, open archives,              read (capped), resume check,     reorder, write in input
//!   allocate stems, read archive entries         extract under catch_unwind and   order, summary, progress
//!                                                the watchdog, render JSON
//! ```
//!
//! 1. [`inputs`] enumerates the PATH arguments lazily, in a fixed order, allocating each
//!    document's output stem ([`stem`]); [`archive`] reads zip and tar(.gz) entries one at a
//!    time under size, ratio and depth caps.
//! 2. [`process`]: workers read each input with a size cap, skip it when a resumed run
//!    already wrote it ([`resume`]), extract it with the caller's [`Extractor`] inside
//!    `catch_unwind` and under the [`watchdog`]'s time limit, and render the JSON.
//! 3. [`output`]: the single writer emits results in input order, so `-j 1` and `-j N`
//!    give the same bytes, to `OUT_DIR/<stem>.json` (atomically) and/or an NDJSON stream.
//! 4. [`summary`]: results fold into a [`BatchSummary`] (`OUT_DIR/_run/summary.json`, beside
//!    the run's manifest; see [`iki_model::outdir`]); its failure count decides the exit code
//!    of the binary. What the inputs hold that is no input is counted there too ([`skip`]).
//!
//! At most `4·N + 4` inputs are between the inputs thread and the writer at any time, so
//! memory depends on the size of the largest files, not on how many there are; `N` is capped
//! at [`JOBS_PER_CORE`] per core ([`max_jobs`]). Per-input problems are failed documents and
//! never stop the run; only an output that cannot be written ([`BatchError`]) does.

pub mod archive;
pub mod document_sink;
pub mod error;
pub mod inputs;
pub mod output;
mod pool;
pub mod process;
mod progress;
pub mod resume;
pub mod skip;
pub mod stem;
pub mod summary;
#[doc(hidden)]
pub mod testing;
pub mod watchdog;

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

pub use document_sink::{DocumentSink, SinkError};
pub use error::{BatchError, InputError};
pub use iki_model::InputFormat;
pub use inputs::{collect_inputs, enumerate_inputs, list_files, Content, Input, OwnOutputs};
pub use output::NdjsonTarget;
pub use process::{process_input, Extractor};
pub use skip::{SkipReason, Skipped};
pub use summary::{BatchSummary, ConfidenceBin, Failure};

use output::Sink;
use pool::{Job, Pool};
use process::{timed_out, Processed, Renderings, Worker};
use progress::Progress;
use summary::SummaryBuilder;
use watchdog::{Watchdog, SPARE_THREADS};

/// Default cap on the size of one input: 64 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Default cap on what one archive may decompress to: 64 GiB.
pub const DEFAULT_MAX_ARCHIVE_BYTES: u64 = 64 * 1024 * 1024 * 1024;
/// Default cap on how many times its size an archive may expand (past 1 MiB).
pub const DEFAULT_MAX_ARCHIVE_RATIO: u64 = 100;
/// Default per-file parse time limit.
pub const DEFAULT_PARSE_TIMEOUT: Duration = Duration::from_secs(120);

/// At most this many worker threads per core: more only take memory (each holds up to four
/// documents in flight) and, past a few thousand, cannot even be started.
pub const JOBS_PER_CORE: usize = 4;

/// The most worker threads a run starts: [`JOBS_PER_CORE`] per core.
pub fn max_jobs() -> usize {
    cores() * JOBS_PER_CORE
}

fn cores() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// Caps that protect the run from hostile or broken inputs. A cap of 0 means "no limit",
/// for every cap.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Larger files and archive entries fail with `file_too_large` without being read.
    pub max_file_bytes: u64,
    /// One archive may decompress to at most this many bytes (`archive_too_large`).
    pub max_archive_bytes: u64,
    /// One archive may expand to at most this many times its size (`archive_ratio_exceeded`);
    /// 0 disables the check.
    pub max_archive_ratio: u64,
    /// A parse running longer is abandoned (`parse_timeout`); `None` disables the watchdog.
    pub parse_timeout: Option<Duration>,
}

impl Limits {
    /// [`Limits::max_file_bytes`] with 0 read as "no limit".
    pub fn file_bytes_cap(&self) -> u64 {
        no_limit_if_zero(self.max_file_bytes)
    }

    /// [`Limits::max_archive_bytes`] with 0 read as "no limit".
    pub fn archive_bytes_cap(&self) -> u64 {
        no_limit_if_zero(self.max_archive_bytes)
    }
}

fn no_limit_if_zero(cap: u64) -> u64 {
    if cap == 0 {
        u64::MAX
    } else {
        cap
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_archive_bytes: DEFAULT_MAX_ARCHIVE_BYTES,
            max_archive_ratio: DEFAULT_MAX_ARCHIVE_RATIO,
            parse_timeout: Some(DEFAULT_PARSE_TIMEOUT),
        }
    }
}

/// How to run a batch.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Write `<stem>.json` per input here, and the run's manifest and summary in `_run/`.
    pub out_dir: Option<PathBuf>,
    /// Write one compact document per line here.
    pub ndjson: Option<NdjsonTarget>,
    /// Worker threads: 0 = one per core; at most [`max_jobs`].
    pub jobs: usize,
    /// No progress bar and no summary line on stderr.
    pub quiet: bool,
    /// Skip inputs the outputs already hold (same path and sha256); see [`resume`].
    pub resume: bool,
    pub limits: Limits,
    /// Also hand every document to this sink (e.g. a database writer).
    pub document_sink: Option<Arc<dyn DocumentSink>>,
}

impl BatchOptions {
    fn renderings(&self) -> Renderings {
        Renderings {
            compact: self.ndjson.is_some(),
            pretty: self.out_dir.is_some(),
            document: self.document_sink.is_some(),
        }
    }

    /// The worker threads the run starts: `jobs`, one per core for 0, capped at [`max_jobs`].
    pub fn effective_jobs(&self) -> usize {
        match self.jobs {
            0 => cores(),
            n => n.min(max_jobs()),
        }
    }
}

/// Extract every input named by `paths` with `extract`; see the crate docs.
///
/// With neither `out_dir` nor `ndjson` set nothing is written but the summary is returned.
pub fn run<P: AsRef<Path>>(
    paths: &[P],
    options: &BatchOptions,
    extract: Extractor,
) -> Result<BatchSummary, BatchError> {
    let started = Instant::now();
    let (mut sink, resume) = Sink::open(
        options.out_dir.as_deref(),
        options.ndjson.as_ref(),
        options.resume,
    )?;
    let mut progress = Progress::new(paths, options.quiet);
    let jobs = options.effective_jobs();
    let watchdog = Watchdog::new(options.limits.parse_timeout);
    let own_outputs = own_outputs(options);
    let worker = Worker {
        extract,
        renderings: options.renderings(),
        max_file_bytes: options.limits.file_bytes_cap(),
        resume,
        watchdog: watchdog.clone(),
    };
    let (sender, receiver) = mpsc::channel();
    let (job_sender, job_receiver) = mpsc::channel();
    let max_threads = jobs
        + if watchdog.is_active() {
            SPARE_THREADS
        } else {
            0
        };
    let pool = Pool::start(worker, job_receiver, sender.clone(), jobs, max_threads)
        .map_err(BatchError::ThreadPool)?;
    let watchdog_thread = watchdog.spawn(timeout_handler(sender.clone(), pool, options));
    let window = Arc::new(Window::new(4 * jobs + 4));
    let producer = spawn_producer(
        paths,
        options.limits.clone(),
        own_outputs,
        Arc::clone(&window),
        job_sender,
        sender,
    );

    let mut summary = SummaryBuilder::default();
    let mut resumed = 0;
    let skipped = write_in_order(&receiver, &window, |mut processed| {
        let (disk_bytes, reused) = (processed.disk_bytes, processed.reused);
        let document = processed.rendered.document.take();
        let stats = sink.write(processed)?;
        if let (Some(document_sink), Some(doc)) = (&options.document_sink, document) {
            document_sink.write(*doc).map_err(BatchError::Sink)?;
        }
        progress.record(&stats, disk_bytes);
        resumed += usize::from(reused);
        summary.add(stats);
        Ok(())
    });
    window.close();
    watchdog.stop(watchdog_thread);
    if skipped.is_ok() {
        // The producer has sent its total, so it is finishing; hung workers are not waited for.
        let _ = producer.map(|handle| handle.join());
    }
    let skipped = skipped?;
    if let Some(document_sink) = &options.document_sink {
        document_sink.finish().map_err(BatchError::Sink)?;
    }
    let summary = summary.finish(started.elapsed(), skipped);
    sink.finish(&summary)?;
    progress.finish(&summary, resumed);
    Ok(summary)
}

/// The run's own outputs, once they exist (the sink has created them).
fn own_outputs(options: &BatchOptions) -> OwnOutputs {
    let mut paths: Vec<&Path> = Vec::new();
    paths.extend(options.out_dir.as_deref());
    if let Some(NdjsonTarget::File(path)) = &options.ndjson {
        paths.push(path);
    }
    OwnOutputs::of(&paths)
}

/// What the writer receives. (Each message is moved once through the channel; boxing the
/// document would cost an allocation per input to save a few hundred bytes per queued one.)
#[allow(clippy::large_enum_variant)]
enum Message {
    Done(Processed),
    /// The producer finished: this many inputs in all, and what it skipped.
    Total(usize, Skipped),
    /// The producer panicked (a bug): the run cannot know its inputs.
    ProducerFailed(String),
    /// A worker panicked outside the parser (a bug): one input will never arrive.
    WorkerFailed(String),
}

/// What the watchdog does with a parse it took over: replace the worker, and send the
/// failed document in the parse's place.
fn timeout_handler(
    sender: Sender<Message>,
    pool: Arc<Pool>,
    options: &BatchOptions,
) -> impl Fn(usize, watchdog::Running) + Send + 'static {
    let renderings = options.renderings();
    let seconds = options
        .limits
        .parse_timeout
        .map_or(0.0, |d| d.as_secs_f64());
    move |index, running| {
        pool.take_over();
        let _ = sender.send(Message::Done(timed_out(
            index, &running, seconds, renderings,
        )));
    }
}

/// Enumerate the inputs on their own thread and queue each for the workers, at most
/// `window` ahead of the writer. Closing the queue at the end lets the workers finish.
fn spawn_producer<P: AsRef<Path>>(
    paths: &[P],
    limits: Limits,
    own_outputs: OwnOutputs,
    window: Arc<Window>,
    jobs: Sender<Job>,
    sender: Sender<Message>,
) -> Option<thread::JoinHandle<()>> {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
    let spawn_failed_sender = sender.clone();
    let spawned = thread::Builder::new()
        .name("iki-inputs".to_string())
        .spawn(move || {
            let mut count = 0;
            let result = catch_unwind(AssertUnwindSafe(|| {
                enumerate_inputs(&paths, &limits, &own_outputs, &mut |input| {
                    if !window.acquire() {
                        return ControlFlow::Break(());
                    }
                    if jobs.send((count, input)).is_err() {
                        // Every worker has ended (after a bug they report themselves).
                        return ControlFlow::Break(());
                    }
                    count += 1;
                    ControlFlow::Continue(())
                })
            }));
            drop(jobs);
            let message = match result {
                Ok((_, skipped)) => Message::Total(count, skipped),
                Err(payload) => Message::ProducerFailed(panic_text(payload.as_ref())),
            };
            let _ = sender.send(message);
        });
    match spawned {
        Ok(handle) => Some(handle),
        Err(err) => {
            let _ = spawn_failed_sender.send(Message::ProducerFailed(err.to_string()));
            None
        }
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// The single writer: buffer results that arrive early, emit them in input order, and
/// let the producer go one further for each one emitted. Returns the producer's skips.
fn write_in_order<E>(
    receiver: &Receiver<Message>,
    window: &Window,
    mut emit: E,
) -> Result<Skipped, BatchError>
where
    E: FnMut(Processed) -> Result<(), BatchError>,
{
    let mut early = BTreeMap::new();
    let mut next = 0;
    let mut total = None;
    let mut skipped = Skipped::default();
    while total != Some(next) {
        match receiver.recv() {
            Ok(Message::Done(processed)) => {
                early.insert(processed.index, processed);
            }
            Ok(Message::Total(count, producer_skips)) => {
                total = Some(count);
                skipped = producer_skips;
            }
            Ok(Message::ProducerFailed(why)) => return Err(BatchError::Enumeration(why)),
            Ok(Message::WorkerFailed(why)) => return Err(BatchError::Worker(why)),
            Err(_) => return Err(BatchError::Enumeration("the workers stopped".to_string())),
        }
        while let Some(processed) = early.remove(&next) {
            emit(processed)?;
            next += 1;
            window.release();
        }
    }
    Ok(skipped)
}

/// Bounds how many inputs are enumerated but not yet written.
struct Window {
    state: Mutex<WindowState>,
    changed: Condvar,
    capacity: usize,
}

struct WindowState {
    in_flight: usize,
    closed: bool,
}

impl Window {
    fn new(capacity: usize) -> Self {
        Window {
            state: Mutex::new(WindowState {
                in_flight: 0,
                closed: false,
            }),
            changed: Condvar::new(),
            capacity: capacity.max(1),
        }
    }

    /// Wait for room for one more input; false once the run is over.
    fn acquire(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while state.in_flight >= self.capacity && !state.closed {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.in_flight += 1;
        !state.closed
    }

    fn release(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.in_flight = state.in_flight.saturating_sub(1);
        self.changed.notify_all();
    }

    fn close(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.closed = true;
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests;
