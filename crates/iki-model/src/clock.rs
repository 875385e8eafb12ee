//! Which of an extractor's time is parsing.
//!
//! The batch's `--parse-timeout` guards against a parse that never ends. Reading a PDF or
//! a scan is not parsing: the PDF worker has its own limit (`--pdf-timeout`) and OCR has one
//! per page (`--ocr-timeout`), so a long scan on a busy machine must not fail as a slow parse.
//! An extractor therefore runs such bounded reading inside [`ParseClock::reading`], which
//! stops the clock meanwhile; the batch's watchdog reads [`ParseClock::elapsed`].
//!
//! ```
//! use iki_model::clock::ParseClock;
//! let clock = ParseClock::start();
//! let pages = clock.reading(|| 40); // e.g. OCR, limited per page elsewhere
//! assert!(clock.elapsed().as_secs() < 1 && pages == 40);
//! ```

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Parse time of one input: wall time since it started, less the time spent reading under
/// [`ParseClock::reading`]. Clones share the clock.
#[derive(Debug, Clone)]
pub struct ParseClock {
    state: Arc<Mutex<State>>,
}

#[derive(Debug)]
struct State {
    started: Instant,
    /// Reading sections in progress (nested or on several threads).
    reading: usize,
    /// When the outermost reading section began.
    reading_since: Option<Instant>,
    /// Reading time of the sections that ended.
    read: Duration,
}

impl ParseClock {
    /// A clock running from now.
    pub fn start() -> ParseClock {
        ParseClock {
            state: Arc::new(Mutex::new(State {
                started: Instant::now(),
                reading: 0,
                reading_since: None,
                read: Duration::ZERO,
            })),
        }
    }

    /// Run `read`, work that is time-limited on its own (a PDF worker, OCR processes), with
    /// the clock stopped.
    pub fn reading<T>(&self, read: impl FnOnce() -> T) -> T {
        self.enter();
        let _resume = Resume(self);
        read()
    }

    /// Parse time so far.
    pub fn elapsed(&self) -> Duration {
        let state = self.lock();
        let now = Instant::now();
        let reading = state
            .reading_since
            .map_or(Duration::ZERO, |since| now - since);
        (now - state.started).saturating_sub(state.read + reading)
    }

    fn enter(&self) {
        let mut state = self.lock();
        if state.reading == 0 {
            state.reading_since = Some(Instant::now());
        }
        state.reading += 1;
    }

    fn leave(&self) {
        let mut state = self.lock();
        state.reading = state.reading.saturating_sub(1);
        if state.reading == 0 {
            if let Some(since) = state.reading_since.take() {
                state.read += since.elapsed();
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // Plain numbers: consistent even if a holder panicked.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for ParseClock {
    fn default() -> ParseClock {
        ParseClock::start()
    }
}

/// Ends a reading section, also when the reading panics.
struct Resume<'a>(&'a ParseClock);

impl Drop for Resume<'_> {
    fn drop(&mut self) {
        self.0.leave();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread::sleep;

    #[test]
    fn reading_time_is_not_parse_time() {
        let clock = ParseClock::start();
        clock.reading(|| sleep(Duration::from_millis(60)));
        assert!(
            clock.elapsed() < Duration::from_millis(40),
            "{:?}",
            clock.elapsed()
        );
        sleep(Duration::from_millis(30));
        assert!(clock.elapsed() >= Duration::from_millis(30));
    }

    #[test]
    fn nested_and_shared_sections_count_once() {
        let clock = ParseClock::start();
        let other = clock.clone();
        clock.reading(|| {
            other.reading(|| sleep(Duration::from_millis(30)));
            sleep(Duration::from_millis(30));
            assert!(other.elapsed() < Duration::from_millis(25));
        });
        assert!(clock.elapsed() < Duration::from_millis(25));
    }

    #[test]
    fn a_panicking_read_stops_reading() {
        let clock = ParseClock::start();
        let caught = std::panic::catch_unwind(|| clock.reading(|| panic!("boom")));
        assert!(caught.is_err());
        sleep(Duration::from_millis(30));
        assert!(clock.elapsed() >= Duration::from_millis(30));
    }
}
