//! Per-file parse time limit.
//!
//! A parse that hangs cannot be killed inside its thread, so the limit is a watchdog: every
//! parse registers when it starts, with its [`ParseClock`] (time spent reading under its own
//! limits, a PDF worker or OCR, is not parse time); a watchdog thread that finds one whose
//! clock is past the limit
//! takes it over and hands it to its handler, which writes a failed document
//! (`parse_timeout`) in its place and has the [pool](crate::pool) start a replacement
//! worker. The hung thread keeps running; whatever it returns later is dropped. The pool may
//! have [`SPARE_THREADS`] threads beyond `-j N` so that a few hung parses do not slow the
//! run; each hung parse past those costs one worker for the rest of the run, and with
//! `N + SPARE_THREADS` of them the run can go no further. The limit is a safeguard for
//! pathological inputs, not a sandbox.

use iki_model::clock::ParseClock;
use iki_model::InputFormat;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Threads the pool may have beyond the number of jobs, to replace hung ones.
pub(crate) const SPARE_THREADS: usize = 4;

/// A parse in progress, with what the watchdog needs to write its failed document.
pub(crate) struct Running {
    pub display_path: String,
    pub stem: String,
    pub format: InputFormat,
    pub bytes: Arc<Vec<u8>>,
    pub disk_bytes: u64,
    clock: ParseClock,
}

impl Running {
    pub(crate) fn new(
        display_path: &str,
        stem: &str,
        format: InputFormat,
        bytes: Arc<Vec<u8>>,
        disk_bytes: u64,
        clock: ParseClock,
    ) -> Self {
        Running {
            display_path: display_path.to_string(),
            stem: stem.to_string(),
            format,
            bytes,
            disk_bytes,
            clock,
        }
    }
}

struct Shared {
    limit: Option<Duration>,
    running: Mutex<HashMap<usize, Running>>,
    stopped: AtomicBool,
}

/// Cloneable handle on the parse registry.
#[derive(Clone)]
pub(crate) struct Watchdog {
    shared: Arc<Shared>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The data under these locks stays consistent even if a holder panicked.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Watchdog {
    pub(crate) fn new(limit: Option<Duration>) -> Self {
        Watchdog {
            shared: Arc::new(Shared {
                limit: limit.filter(|d| !d.is_zero()),
                running: Mutex::new(HashMap::new()),
                stopped: AtomicBool::new(false),
            }),
        }
    }

    /// True when there is a limit (and so a watchdog thread once spawned).
    pub(crate) fn is_active(&self) -> bool {
        self.shared.limit.is_some()
    }

    /// Start the watchdog thread (none without a limit); `on_timeout` gets each parse it
    /// takes over.
    pub(crate) fn spawn<F>(&self, on_timeout: F) -> Option<JoinHandle<()>>
    where
        F: Fn(usize, Running) + Send + 'static,
    {
        let limit = self.shared.limit?;
        let tick = (limit / 8).clamp(Duration::from_millis(5), Duration::from_millis(250));
        let watchdog = self.clone();
        thread::Builder::new()
            .name("iki-watchdog".to_string())
            .spawn(move || {
                while !watchdog.shared.stopped.load(Ordering::Acquire) {
                    thread::park_timeout(tick);
                    for (index, running) in watchdog.take_overdue(limit) {
                        on_timeout(index, running);
                    }
                }
            })
            .ok()
    }

    fn take_overdue(&self, limit: Duration) -> Vec<(usize, Running)> {
        let mut running = lock(&self.shared.running);
        let overdue: Vec<usize> = running
            .iter()
            .filter(|(_, r)| r.clock.elapsed() > limit)
            .map(|(&index, _)| index)
            .collect();
        overdue
            .into_iter()
            .filter_map(|index| running.remove(&index).map(|r| (index, r)))
            .collect()
    }

    /// Stop the watchdog thread (it ends within one tick).
    pub(crate) fn stop(&self, handle: Option<JoinHandle<()>>) {
        self.shared.stopped.store(true, Ordering::Release);
        if let Some(handle) = handle {
            handle.thread().unpark();
            let _ = handle.join();
        }
    }

    /// Register the parse of input `index` (a no-op without a limit).
    pub(crate) fn watch(&self, index: usize, running: impl FnOnce() -> Running) {
        if self.shared.limit.is_some() {
            lock(&self.shared.running).insert(index, running());
        }
    }

    /// The parse of `index` returned: true if it is still this worker's, false if the
    /// watchdog took it over (then the worker drops its result).
    pub(crate) fn unwatch(&self, index: usize) -> bool {
        self.shared.limit.is_none() || lock(&self.shared.running).remove(&index).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn overdue_parses_are_taken_over_once() {
        let watchdog = Watchdog::new(Some(Duration::from_millis(20)));
        let (sender, receiver) = mpsc::channel();
        let handle = watchdog.spawn(move |index, running| {
            let _ = sender.send((index, running.display_path));
        });
        watchdog.watch(3, || {
            Running::new(
                "slow.txt",
                "slow",
                InputFormat::Text,
                Arc::new(Vec::new()),
                0,
                ParseClock::start(),
            )
        });
        let (index, path) = receiver.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!((index, path.as_str()), (3, "slow.txt"));
        assert!(!watchdog.unwatch(3), "the worker learns it was taken over");
        watchdog.watch(4, || {
            Running::new(
                "fast.txt",
                "fast",
                InputFormat::Text,
                Arc::new(Vec::new()),
                0,
                ParseClock::start(),
            )
        });
        assert!(watchdog.unwatch(4));
        watchdog.stop(handle);
    }

    #[test]
    fn without_a_limit_nothing_is_watched() {
        let watchdog = Watchdog::new(None);
        assert!(watchdog.spawn(|_, _| {}).is_none());
        watchdog.watch(0, || unreachable!("no registration without a limit"));
        assert!(watchdog.unwatch(0));
    }
}
