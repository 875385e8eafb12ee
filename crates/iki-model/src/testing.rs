//! For tests that need an outside tool (pdftoppm, tesseract, chromium). Not part of the API.
//!
//! A missing tool must not pass unseen: in CI (`CI` set, as CI services and `.ci/run` do) it
//! fails the test, since CI installs every tool the tests use; elsewhere the test returns
//! early and says so on the terminal, where `cargo test` shows it next to the test's `ok`
//! (a note printed with `eprintln!` would vanish into the captured output of a passing test).

use std::io::Write;

/// True when running in CI: `CI` is set to anything but empty, `0` or `false`.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// Call when `test` cannot run because a tool is missing (`why` says which and how to
/// install it), then return from the test. Panics in CI.
pub fn tool_missing(test: &str, why: &str) {
    assert!(
        !in_ci(),
        "{test}: {why} (CI is set: CI must install every tool the tests use; see .ci/run)"
    );
    // Straight to the process's stderr: not captured by the test harness.
    let _ = writeln!(std::io::stderr(), "\nnote: {test} SKIPPED: {why}");
}
