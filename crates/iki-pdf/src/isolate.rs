//! PDF decoding in a child process, so nothing the PDF library does can take the batch down.
//!
//! pdf-extract panics on many malformed files, and lopdf under it can overflow the stack,
//! which no `catch_unwind` stops. So the batch runs the text layer in a worker: the `iki`
//! binary itself started as `iki __pdf-worker` ([`WORKER_ARG`]), which calls
//! [`crate::worker_main`]. The protocol is one exchange over pipes:
//!
//! ```text
//! parent → stdin : {"protocol":1,"options":{"max_pages":…,"max_glyphs":…}}\n <PDF bytes> EOF
//! child → stdout : {"ok":{PdfText}}  |  {"err":{"code":"pdf_encrypted","message":…}}
//! ```
//!
//! The parent enforces the wall-time limit (kill, then `pdf_timeout`); the child runs (limits
//! from `iki-child`) under
//! `RLIMIT_AS` (memory: an allocation failure aborts it, reported as `pdf_too_large`),
//! `RLIMIT_CPU` as a backstop should the parent die, and `RLIMIT_CORE` 0. Any other death — a
//! signal, a stack overflow, a non-zero exit, an unreadable answer — is `pdf_crashed`, with
//! the last line the worker wrote to stderr in the message.

use crate::error::PdfError;
use crate::text::{PdfText, MAX_TEXT_BYTES};
use crate::textlayer::Options;
use iki_child::{describe, last_line};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::Duration;

/// The argument that starts a binary in PDF worker mode.
pub const WORKER_ARG: &str = "__pdf-worker";
/// Version of the stdin/stdout exchange.
pub const PROTOCOL: u32 = 1;
/// Most stderr bytes kept from a worker (its tail).
const STDERR_TAIL: usize = 16 << 10;

/// What a worker may spend on one PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Wall time before the worker is killed (`--pdf-timeout`, default 60 s).
    pub timeout: Duration,
    /// Address-space limit of the worker in bytes (`RLIMIT_AS`); `None` for no limit.
    pub memory_bytes: Option<u64>,
    /// Page and glyph limits checked inside the worker.
    pub options: Options,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            timeout: Duration::from_secs(60),
            memory_bytes: Some(2 << 30),
            options: Options::default(),
        }
    }
}

/// The first line a worker reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    pub protocol: u32,
    pub options: Options,
}

/// The one JSON value a worker writes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    Ok(PdfText),
    Err(PdfError),
}

impl From<Result<PdfText, PdfError>> for Response {
    fn from(r: Result<PdfText, PdfError>) -> Response {
        match r {
            Ok(t) => Response::Ok(t),
            Err(e) => Response::Err(e),
        }
    }
}

/// Read the PDF at `pdf_path` in a worker started as `exe __pdf-worker`.
pub fn extract_isolated(exe: &Path, pdf_path: &Path, limits: &Limits) -> Result<PdfText, PdfError> {
    let bytes = std::fs::read(pdf_path)
        .map_err(|e| PdfError::Io(format!("cannot read {}: {e}", pdf_path.display())))?;
    extract_isolated_bytes(exe, &bytes, limits)
}

/// Read a PDF held in memory (e.g. an archive member) in a worker started as
/// `exe __pdf-worker`.
pub fn extract_isolated_bytes(
    exe: &Path,
    pdf: &[u8],
    limits: &Limits,
) -> Result<PdfText, PdfError> {
    let mut command = Command::new(exe);
    command.arg(WORKER_ARG);
    run_worker(command, pdf, limits)
}

/// Run `command` as a PDF worker on `pdf` under `limits`. The command must speak the protocol
/// of this module (normally `exe __pdf-worker`); tests use it to start misbehaving workers.
pub fn run_worker(mut command: Command, pdf: &[u8], limits: &Limits) -> Result<PdfText, PdfError> {
    let request = request_line(limits)?;
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    iki_child::apply(
        &mut command,
        iki_child::Limits {
            memory_bytes: limits.memory_bytes,
            cpu_seconds: limits.timeout.as_secs().saturating_add(5),
            own_group: false,
        },
    );
    let mut child = command
        .spawn()
        .map_err(|e| PdfError::Internal(format!("cannot start the PDF worker: {e}")))?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let (status, answer, tail) = thread::scope(|s| {
        s.spawn(move || feed(stdin, &request, pdf));
        let answer = s.spawn(move || read_capped(stdout, MAX_TEXT_BYTES * 2));
        let tail = s.spawn(move || read_tail(stderr));
        let status = wait_with_deadline(&mut child, limits.timeout);
        (status, answer.join(), tail.join())
    });
    let answer = answer.unwrap_or_default();
    let tail = tail.unwrap_or_default();
    interpret(status?, &answer, &tail, limits)
}

fn request_line(limits: &Limits) -> Result<Vec<u8>, PdfError> {
    let request = Request {
        protocol: PROTOCOL,
        options: limits.options.clone(),
    };
    let mut line = serde_json::to_vec(&request)
        .map_err(|e| PdfError::Internal(format!("cannot encode the worker request: {e}")))?;
    line.push(b'\n');
    Ok(line)
}

/// Write the request and the PDF; a worker that stops reading (it died) just ends the feed.
fn feed(stdin: Option<std::process::ChildStdin>, request: &[u8], pdf: &[u8]) {
    if let Some(mut stdin) = stdin {
        let _ = stdin.write_all(request).and_then(|_| stdin.write_all(pdf));
    }
}

fn read_capped(stdout: Option<std::process::ChildStdout>, cap: usize) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(stdout) = stdout {
        let _ = stdout.take(cap as u64).read_to_end(&mut out);
    }
    out
}

/// The last [`STDERR_TAIL`] bytes the worker wrote to stderr, as text.
fn read_tail(stderr: Option<std::process::ChildStderr>) -> String {
    let mut tail: Vec<u8> = Vec::new();
    if let Some(mut stderr) = stderr {
        let mut buf = [0u8; 8192];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            tail.extend_from_slice(&buf[..n]);
            if tail.len() > 2 * STDERR_TAIL {
                tail.drain(..tail.len() - STDERR_TAIL);
            }
        }
    }
    String::from_utf8_lossy(&tail).into_owned()
}

/// Wait for the child; past `timeout` kill it and answer `pdf_timeout`.
pub(crate) fn wait_with_deadline(
    child: &mut Child,
    timeout: Duration,
) -> Result<ExitStatus, PdfError> {
    iki_child::wait_with_deadline(child, timeout, false).map_err(|e| match e {
        iki_child::WaitError::TimedOut => PdfError::Timeout(format!(
            "reading the PDF took longer than {} s",
            timeout.as_secs_f64()
        )),
        iki_child::WaitError::Io(e) => {
            PdfError::Internal(format!("cannot wait for the PDF worker: {e}"))
        }
    })
}

/// The worker's answer, or what its death means.
fn interpret(
    status: ExitStatus,
    answer: &[u8],
    stderr: &str,
    limits: &Limits,
) -> Result<PdfText, PdfError> {
    if status.success() {
        return match serde_json::from_slice::<Response>(answer) {
            Ok(Response::Ok(text)) => Ok(text),
            Ok(Response::Err(e)) => Err(e),
            Err(_) => Err(PdfError::Crashed(format!(
                "the PDF worker gave no readable answer{}",
                last_line(stderr)
            ))),
        };
    }
    if stderr.contains("memory allocation of") || stderr.contains("out of memory") {
        let limit = limits
            .memory_bytes
            .map_or(String::new(), |m| format!(" of {} MiB", m >> 20));
        return Err(PdfError::TooLarge(format!(
            "reading the PDF needs more than the worker's memory limit{limit}"
        )));
    }
    if stderr.contains("has overflowed its stack") {
        return Err(PdfError::Crashed(
            "the PDF library overflowed its stack (deeply nested or looping objects)".to_string(),
        ));
    }
    Err(PdfError::Crashed(format!(
        "the PDF worker {}{}",
        describe(status),
        last_line(stderr)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_round_trip() {
        let r = Response::Err(PdfError::Corrupt("bad".into()));
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"err":{"code":"pdf_corrupt","message":"bad"}}"#);
    }
}
