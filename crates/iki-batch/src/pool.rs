//! The worker threads: `-j N` long-lived threads take inputs from one queue, process them
//! ([`Worker::process`]) and send the results to the writer.
//!
//! Exactly `N` threads take work, so each input stays on a thread that is warm (caches, its
//! allocator arena) and no run permit is handed from thread to thread per input. When the
//! [`watchdog`](crate::watchdog) takes over a hung parse, [`Pool::take_over`] starts a
//! replacement thread, as long as the pool (hung threads included) stays within
//! `N + SPARE_THREADS` threads; past that, each hung parse costs the run one worker. A hung
//! thread whose parse returns after all drops its result and goes back to work if the pool is
//! short of a worker, or ends otherwise.

use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;

use crate::inputs::Input;
use crate::process::Worker;
use crate::{panic_text, Message};

/// One unit of work: the input's position in the output order and the input.
pub(crate) type Job = (usize, Input);

pub(crate) struct Pool {
    jobs: Mutex<Receiver<Job>>,
    worker: Worker,
    results: Sender<Message>,
    /// Threads that take work (`-j N`).
    target: usize,
    /// Most threads the pool may have, hung ones included.
    max_threads: usize,
    counts: Mutex<Counts>,
    /// Number of the next thread, for its name.
    next_name: AtomicUsize,
}

/// Threads that take work and threads whose parse the watchdog took over. Signed: a hung
/// thread may return (and be counted out) before the watchdog has counted it in.
#[derive(Debug, Default)]
struct Counts {
    active: isize,
    hung: isize,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic never happens while these locks are held; if one did, the data is still whole.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Pool {
    /// Start `target` worker threads on `jobs`; the pool may grow to `max_threads` to replace
    /// hung ones. The threads end when `jobs` is closed and empty.
    pub(crate) fn start(
        worker: Worker,
        jobs: Receiver<Job>,
        results: Sender<Message>,
        target: usize,
        max_threads: usize,
    ) -> io::Result<Arc<Pool>> {
        let target = target.max(1);
        let pool = Arc::new(Pool {
            jobs: Mutex::new(jobs),
            worker,
            results,
            target,
            max_threads: max_threads.max(target),
            counts: Mutex::new(Counts::default()),
            next_name: AtomicUsize::new(0),
        });
        for _ in 0..target {
            pool.spawn_worker()?;
            lock(&pool.counts).active += 1;
        }
        Ok(pool)
    }

    fn spawn_worker(self: &Arc<Self>) -> io::Result<()> {
        let pool = Arc::clone(self);
        let name = format!(
            "iki-worker-{}",
            self.next_name.fetch_add(1, Ordering::Relaxed)
        );
        thread::Builder::new()
            .name(name)
            .spawn(move || pool.work())
            .map(drop)
    }

    /// The loop of one worker thread.
    fn work(&self) {
        loop {
            let job = lock(&self.jobs).recv();
            let Ok((index, input)) = job else {
                return;
            };
            // The parser's panics are caught in `process`; one anywhere else is a bug, and
            // it ends the run instead of leaving the writer waiting for this input.
            match catch_unwind(AssertUnwindSafe(|| self.worker.process(index, input))) {
                Ok(Some(processed)) => {
                    // The writer has gone only after an error it reports itself.
                    let _ = self.results.send(Message::Done(processed));
                }
                Ok(None) => {
                    if !self.rejoin() {
                        return;
                    }
                }
                Err(payload) => {
                    let why = panic_text(payload.as_ref());
                    let _ = self.results.send(Message::WorkerFailed(why));
                    return;
                }
            }
        }
    }

    /// The watchdog took over the parse of one worker: start a replacement unless the pool
    /// is at its thread limit.
    pub(crate) fn take_over(self: &Arc<Self>) {
        let mut counts = lock(&self.counts);
        counts.active -= 1;
        counts.hung += 1;
        let room = counts.active + counts.hung < self.max_threads as isize;
        if room && counts.active < self.target as isize && self.spawn_worker().is_ok() {
            counts.active += 1;
        }
    }

    /// A worker's parse returned after the watchdog took it over: true if the thread goes
    /// back to work (the pool is short of a worker), false if it ends.
    fn rejoin(&self) -> bool {
        let mut counts = lock(&self.counts);
        counts.hung -= 1;
        if counts.active < self.target as isize {
            counts.active += 1;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resume::ResumeIndex;
    use crate::watchdog::Watchdog;
    use std::sync::mpsc;

    /// A pool of `target` workers whose job queue is already closed.
    fn idle_pool(target: usize, max_threads: usize) -> Arc<Pool> {
        let worker = Worker {
            extract: crate::tests::parser(),
            renderings: crate::process::Renderings {
                compact: true,
                pretty: false,
                document: false,
            },
            max_file_bytes: 1024,
            resume: ResumeIndex::default(),
            watchdog: Watchdog::new(None),
        };
        let (_, jobs) = mpsc::channel();
        let (results, _) = mpsc::channel();
        Pool::start(worker, jobs, results, target, max_threads).unwrap()
    }

    fn counts(pool: &Pool) -> (isize, isize) {
        let counts = lock(&pool.counts);
        (counts.active, counts.hung)
    }

    #[test]
    fn hung_workers_are_replaced_up_to_the_thread_limit() {
        let pool = idle_pool(1, 3);
        pool.take_over();
        assert_eq!(counts(&pool), (1, 1), "replaced");
        pool.take_over();
        assert_eq!(counts(&pool), (1, 2), "replaced: 3 threads");
        pool.take_over();
        assert_eq!(counts(&pool), (0, 3), "at the limit: not replaced");
        assert!(pool.rejoin(), "a returning thread fills the gap");
        assert_eq!(counts(&pool), (1, 2));
        assert!(!pool.rejoin(), "the pool is full: the thread ends");
        assert_eq!(counts(&pool), (1, 1));
    }

    #[test]
    fn a_thread_that_returns_before_it_is_counted_hung_ends_and_is_replaced() {
        let pool = idle_pool(2, 6);
        assert!(!pool.rejoin());
        pool.take_over();
        assert_eq!(counts(&pool), (2, 0));
    }
}
