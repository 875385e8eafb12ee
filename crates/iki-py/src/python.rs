//! The extension module `iki._native`: argument conversion and GIL release around the
//! functions of this crate, nothing else. The typed Python API (`iki/__init__.py`) wraps it;
//! `iki/_native.pyi` is its stub.
//!
//! Every function that reads or parses runs inside `Python::detach`, so other Python threads
//! (a Dask worker's other tasks, its heartbeat) run while a document is parsed or a PDF
//! worker is awaited. Problems with an input are documents, never exceptions; exceptions are
//! for misuse (a directory given to `extract_file`, a negative timeout).

use std::ffi::OsString;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

use crate::{PathError, Settings};
use iki_pdf::WorkerCommand;

/// Settings from the keyword arguments every reading function takes.
fn settings(ocr: bool, pdf_timeout: f64, pdf_worker: Vec<OsString>) -> PyResult<Settings> {
    let timeout = Duration::try_from_secs_f64(pdf_timeout)
        .ok()
        .filter(|t| !t.is_zero())
        .ok_or_else(|| PyValueError::new_err("pdf_timeout must be a number of seconds > 0"))?;
    let mut argv = pdf_worker.into_iter();
    let program = argv
        .next()
        .ok_or_else(|| PyValueError::new_err("pdf_worker needs a program"))?;
    Ok(Settings {
        ocr,
        pdf_timeout: timeout,
        pdf_worker: WorkerCommand {
            program: PathBuf::from(program),
            args: argv.collect(),
        },
    })
}

fn path_error(err: PathError) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// One document (compact JSON) from bytes named `path`.
#[pyfunction]
fn extract(
    py: Python<'_>,
    data: &[u8],
    path: &str,
    ocr: bool,
    pdf_timeout: f64,
    pdf_worker: Vec<OsString>,
) -> PyResult<String> {
    let settings = settings(ocr, pdf_timeout, pdf_worker)?;
    Ok(py.detach(|| crate::extract_bytes(data, path, &settings)))
}

/// The one document (compact JSON) of the file at `path`.
#[pyfunction]
fn extract_file(
    py: Python<'_>,
    path: PathBuf,
    ocr: bool,
    pdf_timeout: f64,
    pdf_worker: Vec<OsString>,
) -> PyResult<String> {
    let settings = settings(ocr, pdf_timeout, pdf_worker)?;
    py.detach(|| crate::extract_file(&path, &settings))
        .map_err(path_error)
}

/// Documents (compact JSON) a thread extracts ahead of the reader, at most [`AHEAD`] of them.
///
/// Dropping the iterator closes the channel, and the thread stops at its next document.
#[pyclass(module = "iki._native")]
struct DocumentIter {
    receiver: Mutex<Receiver<String>>,
}

/// Documents extracted before the reader asks for them: enough to hide the hand-over, few
/// enough that a large archive never sits in memory.
const AHEAD: usize = 8;

#[pymethods]
impl DocumentIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> Option<String> {
        // Locked without the GIL: a thread waiting here must not hold up the one that owns
        // the lock and needs the GIL back.
        let receiver = &self.receiver;
        py.detach(|| {
            receiver
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .recv()
                .ok()
        })
    }
}

/// Every document (compact JSON) `iki extract PATH` writes for `path`, as it is extracted.
#[pyfunction]
#[pyo3(signature = (path, display, ocr, pdf_timeout, pdf_worker))]
fn iter_path(
    path: PathBuf,
    display: Option<String>,
    ocr: bool,
    pdf_timeout: f64,
    pdf_worker: Vec<OsString>,
) -> PyResult<DocumentIter> {
    let settings = settings(ocr, pdf_timeout, pdf_worker)?;
    if path.as_os_str() == iki_batch::inputs::STDIN_PATH {
        return Err(path_error(PathError::Stdin));
    }
    let (sender, receiver) = mpsc::sync_channel(AHEAD);
    thread::Builder::new()
        .name("iki-documents".to_string())
        .spawn(move || {
            let _ =
                crate::each_document(
                    &path,
                    display.as_deref(),
                    &settings,
                    &mut |line| match sender.send(line) {
                        Ok(()) => ControlFlow::Continue(()),
                        Err(_) => ControlFlow::Break(()),
                    },
                );
        })
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start a thread: {e}")))?;
    Ok(DocumentIter {
        receiver: Mutex::new(receiver),
    })
}

/// The failed document (compact JSON) of an input that could not be fetched.
#[pyfunction]
fn unreadable(path: &str, message: &str) -> String {
    crate::unreadable(path, message)
}

/// The files `paths` name, directories walked as the CLI walks them, archives left whole.
#[pyfunction]
fn list_files(py: Python<'_>, paths: Vec<PathBuf>) -> Vec<String> {
    py.detach(|| crate::list_files(&paths.iter().map(PathBuf::as_path).collect::<Vec<_>>()))
}

/// Whether a directory walk takes a file of this name.
#[pyfunction]
fn is_input_name(name: &str) -> bool {
    crate::is_input_name(name)
}

/// The JSON Schema of the document.
#[pyfunction]
fn schema() -> String {
    crate::schema_json()
}

/// Raise `RuntimeError` when the OCR tools or the Indonesian language data are missing.
#[pyfunction]
fn check_ocr(py: Python<'_>) -> PyResult<()> {
    py.detach(|| iki_pdf::ocr_available("ind"))
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Serve one PDF worker exchange on this process's stdin and stdout (the body of
/// `iki/_pdf_worker.py`); the process exit code.
#[pyfunction]
fn pdf_worker_main(py: Python<'_>) -> i32 {
    let code = py.detach(iki_pdf::worker_main);
    if code == ExitCode::SUCCESS {
        0
    } else {
        1
    }
}

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PDF_WORKER_ARG", iki_pdf::WORKER_ARG)?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(extract_file, m)?)?;
    m.add_class::<DocumentIter>()?;
    m.add_function(wrap_pyfunction!(iter_path, m)?)?;
    m.add_function(wrap_pyfunction!(unreadable, m)?)?;
    m.add_function(wrap_pyfunction!(list_files, m)?)?;
    m.add_function(wrap_pyfunction!(is_input_name, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(check_ocr, m)?)?;
    m.add_function(wrap_pyfunction!(pdf_worker_main, m)?)?;
    Ok(())
}
