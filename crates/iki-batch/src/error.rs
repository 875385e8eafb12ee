//! Error types of the batch driver.
//!
//! Two kinds, kept apart on purpose: an [`InputError`] belongs to one input and becomes a
//! failed document (the run goes on); a [`BatchError`] stops the whole run (the output cannot
//! be written). Both carry the path they concern by wrapping, never by string concatenation.

use iki_model::ErrorCode;
use std::io;
use std::path::PathBuf;

/// Why one input could not be read. Turned into a failed document, never propagated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The path does not exist (or is a dangling symlink).
    #[error("{}: no such file or directory", path.display())]
    NotFound { path: PathBuf },
    /// The file (or archive entry) is larger than the configured cap; it was not read.
    #[error("{}: file is {size} bytes, over the limit of {limit} bytes", path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    /// Neither a regular file nor a directory (a FIFO, socket, device ...).
    #[error("{}: not a regular file or directory", path.display())]
    NotAFile { path: PathBuf },
    /// Any other I/O error while inspecting, walking or reading the path.
    #[error("{}: {err}", path.display())]
    Io { path: PathBuf, err: io::Error },
    /// The archive (or the rest of it) cannot be decoded: bad header, truncated stream,
    /// checksum mismatch.
    #[error("{}: corrupt archive: {err}", path.display())]
    ArchiveCorrupt { path: PathBuf, err: io::Error },
    /// The archive entry ends before the size its header gives: the archive was cut off.
    #[error(
        "{}: the archive ends inside this entry (its header gives {expected} bytes); the entry was not read",
        path.display()
    )]
    ArchiveTruncated { path: PathBuf, expected: u64 },
    /// The archive holds no entry iki reads.
    #[error("{}: the archive holds no input files", path.display())]
    ArchiveEmpty { path: PathBuf },
    /// Reading stopped here: the archive decompressed to more than the configured total.
    #[error(
        "{}: the archive decompresses to more than {limit} bytes; the rest of it was not read",
        path.display()
    )]
    ArchiveTooLarge { path: PathBuf, limit: u64 },
    /// Reading stopped here: the archive expands more than the configured ratio (a
    /// decompression bomb).
    #[error(
        "{}: the archive expands more than {limit}x its size; the rest of it was not read",
        path.display()
    )]
    ArchiveRatio { path: PathBuf, limit: u64 },
    /// An archive inside an archive inside an archive: not opened.
    #[error("{}: archives are read only one level deep inside another archive", path.display())]
    ArchiveTooDeep { path: PathBuf },
}

impl InputError {
    /// Wrap an I/O error with the path it concerns; `NotFound` gets its own variant.
    pub fn io(path: impl Into<PathBuf>, err: io::Error) -> Self {
        let path = path.into();
        if err.kind() == io::ErrorKind::NotFound {
            InputError::NotFound { path }
        } else {
            InputError::Io { path, err }
        }
    }

    /// The stable snake_case code put into the failed document's `error.code`.
    pub fn code(&self) -> ErrorCode {
        match self {
            InputError::NotFound { .. } => ErrorCode::NotFound,
            InputError::TooLarge { .. } => ErrorCode::FileTooLarge,
            InputError::NotAFile { .. } => ErrorCode::NotAFile,
            InputError::Io { .. } => ErrorCode::IoError,
            InputError::ArchiveCorrupt { .. } => ErrorCode::ArchiveCorrupt,
            InputError::ArchiveTruncated { .. } => ErrorCode::ArchiveTruncated,
            InputError::ArchiveEmpty { .. } => ErrorCode::ArchiveEmpty,
            InputError::ArchiveTooLarge { .. } => ErrorCode::ArchiveTooLarge,
            InputError::ArchiveRatio { .. } => ErrorCode::ArchiveRatioExceeded,
            InputError::ArchiveTooDeep { .. } => ErrorCode::ArchiveTooDeep,
        }
    }

    /// The size to report as `source.bytes` when the input was not read.
    pub fn reported_size(&self) -> u64 {
        match self {
            InputError::TooLarge { size, .. } => *size,
            InputError::ArchiveTruncated { expected, .. } => *expected,
            _ => 0,
        }
    }
}

/// An error that stops the whole run: the results cannot be written (exit code 3), or the
/// arguments cannot work together (a usage error, exit code 2; see [`BatchError::is_usage`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    #[error("cannot create output directory {}: {err}", path.display())]
    CreateOutDir { path: PathBuf, err: io::Error },
    #[error("cannot write {}: {err}", path.display())]
    WriteFile { path: PathBuf, err: io::Error },
    #[error("cannot write NDJSON to {target}: {err}")]
    WriteNdjson { target: String, err: io::Error },
    #[error("cannot read {} to resume from it: {err}", path.display())]
    ResumeRead { path: PathBuf, err: io::Error },
    #[error("--resume needs -o OUT_DIR or --ndjson FILE: output on stdout cannot be resumed")]
    ResumeStdout,
    /// Another run holds the output (OUT_DIR or the NDJSON file).
    #[error("{} is being written by another iki run ({holder}); wait for it or choose another output", path.display())]
    Locked { path: PathBuf, holder: String },
    #[error("cannot serialize the batch summary: {0}")]
    Summary(#[source] serde_json::Error),
    #[error("cannot start the worker threads: {0}")]
    ThreadPool(#[source] io::Error),
    #[error("internal error while listing the inputs: {0}")]
    Enumeration(String),
    #[error("internal error in a worker thread: {0}")]
    Worker(String),
    /// The run's document sink (a database) could not take a document.
    #[error("cannot write to the database: {0}")]
    Sink(#[source] crate::SinkError),
}

impl BatchError {
    /// True when the arguments, not the output, are at fault.
    pub fn is_usage(&self) -> bool {
        matches!(self, BatchError::ResumeStdout)
    }

    /// True when the run stopped because the reader of stdout (or of the NDJSON file) went
    /// away, e.g. `iki extract dir | head`; the binary then exits quietly.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            BatchError::CreateOutDir { err, .. }
            | BatchError::WriteFile { err, .. }
            | BatchError::WriteNdjson { err, .. } => err.kind() == io::ErrorKind::BrokenPipe,
            _ => false,
        }
    }
}
