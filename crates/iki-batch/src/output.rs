//! The single writer: per-input JSON files in `OUT_DIR` and/or one NDJSON stream.
//!
//! Only the writer touches the outputs, in input order, so the bytes do not depend on the
//! number of threads. Files in `OUT_DIR` appear atomically (temp file in the same
//! directory, then rename), so a reader — or a resumed run — never sees half a document;
//! they get the mode the umask gives, like any file the user creates. The NDJSON stream and
//! the run's manifest (`OUT_DIR/_run/manifest.ndjson`, see [`iki_model::outdir`]) are written
//! line by line through buffers; memory does not grow with the number of documents.
//!
//! A run holds an advisory lock on `OUT_DIR/_run/lock` and on its NDJSON file, so a second
//! run into the same output fails at once, naming the first, instead of racing it.
//!
//! When resuming an NDJSON file, the writer first keeps the old lines as they are; at the
//! first input whose old line cannot stand (changed input, or the end of the old file) it
//! moves the old rest aside into an anonymous temporary file, truncates the output there,
//! and from then on appends, copying any later old line that is still valid from the
//! moved-aside rest. The result is byte for byte what a clean run writes.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use iki_model::outdir::{run_file, ManifestEntry, LOCK_FILE, MANIFEST_FILE, RUN_DIR, SUMMARY_FILE};

use crate::error::BatchError;
use crate::process::Processed;
use crate::resume::{remove_stale_temp_files, scan_ndjson, stats_of_line, NdjsonScan, ResumeIndex};
use crate::summary::{BatchSummary, DocStats};

/// Name prefix of the temporary files behind atomic writes.
pub(crate) const TEMP_PREFIX: &str = ".iki-tmp-";

/// Where the NDJSON stream goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NdjsonTarget {
    Stdout,
    File(PathBuf),
}

impl NdjsonTarget {
    /// The command-line spelling: `-` is stdout, anything else a file path.
    pub fn from_arg(arg: impl Into<PathBuf>) -> Self {
        let path = arg.into();
        if path.as_os_str() == "-" {
            NdjsonTarget::Stdout
        } else {
            NdjsonTarget::File(path)
        }
    }

    fn describe(&self) -> String {
        match self {
            NdjsonTarget::Stdout => "stdout".to_string(),
            NdjsonTarget::File(path) => path.display().to_string(),
        }
    }
}

enum NdjsonWriter {
    Stdout(BufWriter<io::Stdout>),
    File(BufWriter<File>),
}

impl NdjsonWriter {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            NdjsonWriter::Stdout(w) => w,
            NdjsonWriter::File(w) => w,
        }
    }
}

/// The old lines of a resumed NDJSON file and how far the writer got through them.
struct NdjsonResume {
    /// Byte ranges of the old usable lines, in input order.
    lines: Vec<(u64, u64)>,
    /// End of the last usable old line.
    valid_end: u64,
    /// Set once the output stopped matching the old file: the old rest, moved aside.
    moved: Option<MovedTail>,
}

struct MovedTail {
    file: File,
    /// Offset in the old output of the first byte of `file`.
    base: u64,
}

impl NdjsonResume {
    fn start_of(&self, index: usize) -> u64 {
        self.lines
            .get(index)
            .map_or(self.valid_end, |&(start, _)| start)
    }
}

struct NdjsonSink {
    target: String,
    writer: NdjsonWriter,
    resume: Option<NdjsonResume>,
    /// Documents handed to this sink so far (= index of the next one).
    written: usize,
}

/// The opened outputs of one run.
pub(crate) struct Sink {
    out_dir: Option<OutDir>,
    ndjson: Option<NdjsonSink>,
}

/// An `OUT_DIR` this run holds: its lock and the manifest being written.
struct OutDir {
    path: PathBuf,
    manifest: BufWriter<File>,
    /// Held until the run ends; holds who holds it.
    lock: File,
}

/// An `OUT_DIR` locked for this run, not yet touched otherwise.
struct LockedOutDir {
    path: PathBuf,
    lock: File,
}

impl LockedOutDir {
    /// Create `path` and its `_run` folder and take the lock.
    fn acquire(path: &Path) -> Result<Self, BatchError> {
        let create = |dir: &Path| {
            fs::create_dir_all(dir).map_err(|err| BatchError::CreateOutDir {
                path: dir.to_path_buf(),
                err,
            })
        };
        create(path)?;
        create(&path.join(RUN_DIR))?;
        Ok(LockedOutDir {
            path: path.to_path_buf(),
            lock: lock_out_dir(path)?,
        })
    }

    /// Start the run: remove what a killed run left (when resuming) and the previous run's
    /// summary (so a summary is there only when its run finished), and begin a new manifest.
    fn start(self, resume: bool) -> Result<OutDir, BatchError> {
        let path = self.path;
        if resume {
            for dir in [path.clone(), path.join(RUN_DIR)] {
                remove_stale_temp_files(&dir)
                    .map_err(|err| BatchError::ResumeRead { path: dir, err })?;
            }
        }
        let summary = run_file(&path, SUMMARY_FILE);
        match fs::remove_file(&summary) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => {
                return Err(BatchError::WriteFile { path: summary, err })
            }
            _ => {}
        }
        let manifest_path = run_file(&path, MANIFEST_FILE);
        let manifest = File::create(&manifest_path).map_err(|err| BatchError::WriteFile {
            path: manifest_path,
            err,
        })?;
        Ok(OutDir {
            path,
            manifest: BufWriter::with_capacity(1 << 16, manifest),
            lock: self.lock,
        })
    }
}

impl OutDir {
    fn manifest_error(&self, err: io::Error) -> BatchError {
        BatchError::WriteFile {
            path: run_file(&self.path, MANIFEST_FILE),
            err,
        }
    }
}

/// Lock `OUT_DIR/_run/lock` and write who holds it; fails with the holder another run wrote.
fn lock_out_dir(out_dir: &Path) -> Result<File, BatchError> {
    let path = run_file(out_dir, LOCK_FILE);
    let wrap = |err| BatchError::WriteFile {
        path: path.clone(),
        err,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(wrap)?;
    if !try_lock(&file) {
        let mut holder = String::new();
        let _ = file.read_to_string(&mut holder);
        return Err(BatchError::Locked {
            path: out_dir.to_path_buf(),
            holder: holder_or_unknown(holder.trim()),
        });
    }
    let args: Vec<String> = std::env::args().collect();
    let holder = format!("pid {}: {}\n", std::process::id(), args.join(" "));
    file.set_len(0)
        .and_then(|()| file.write_all(holder.as_bytes()))
        .map_err(wrap)?;
    Ok(file)
}

fn holder_or_unknown(holder: &str) -> String {
    if holder.is_empty() {
        "pid unknown".to_string()
    } else {
        holder.to_string()
    }
}

/// Take an exclusive advisory lock without waiting: false when another process holds it.
/// Where locks cannot be taken at all (a network mount without a lock service, a device
/// such as `/dev/stdout`) the run goes on unlocked rather than not at all.
fn try_lock(file: &File) -> bool {
    !matches!(file.try_lock(), Err(TryLockError::WouldBlock))
}

impl Sink {
    /// Lock and create `out_dir` (with parents) and open the NDJSON target; with `resume`,
    /// also find what a previous run wrote (see [`crate::resume`]).
    pub(crate) fn open(
        out_dir: Option<&Path>,
        ndjson: Option<&NdjsonTarget>,
        resume: bool,
    ) -> Result<(Self, ResumeIndex), BatchError> {
        // Every lock is taken before anything is changed: a run that cannot have all its
        // outputs leaves them as they were.
        let locked = out_dir.map(LockedOutDir::acquire).transpose()?;
        let (ndjson, scan) = match ndjson {
            None => (None, None),
            Some(NdjsonTarget::Stdout) if resume => return Err(BatchError::ResumeStdout),
            Some(target) if resume => {
                let (sink, scan) = open_ndjson_resumed(target)?;
                (Some(sink), Some(scan))
            }
            Some(target) => (Some(open_ndjson(target)?), None),
        };
        let out_dir = locked.map(|dir| dir.start(resume)).transpose()?;
        let resume_dir = out_dir
            .as_ref()
            .filter(|_| resume)
            .map(|d| d.path.as_path());
        let index = ResumeIndex::new(scan.as_ref(), resume_dir);
        Ok((Sink { out_dir, ndjson }, index))
    }

    /// Write one document (the next in input order) and return its statistics (for a
    /// reused NDJSON line, read back from it).
    pub(crate) fn write(&mut self, processed: Processed) -> Result<DocStats, BatchError> {
        let rendered = &processed.rendered;
        let file_name = format!("{}.json", processed.stem);
        if let (Some(dir), Some(pretty)) = (&self.out_dir, &rendered.pretty) {
            if !processed.reused {
                write_atomically(&dir.path.join(&file_name), pretty)?;
            }
        }
        let mut old_line = None;
        if let Some(sink) = &mut self.ndjson {
            old_line = sink
                .write(processed.reused, rendered.compact.as_deref())
                .map_err(|err| sink.error(err))?;
        }
        let stats = match (processed.stats, old_line, &self.ndjson) {
            (Some(stats), _, _) => stats,
            (None, Some(line), Some(sink)) => {
                stats_of_line(&line, processed.bytes_read).map_err(|err| sink.error(err))?
            }
            _ => {
                return Err(BatchError::Enumeration(
                    "a reused document without statistics".to_string(),
                ))
            }
        };
        if let Some(dir) = &mut self.out_dir {
            let entry = ManifestEntry {
                file: file_name,
                path: stats.path.clone(),
                sha256: stats.sha256.clone(),
                status: stats.status,
            };
            serde_json::to_writer(&mut dir.manifest, &entry)
                .map_err(io::Error::from)
                .and_then(|()| dir.manifest.write_all(b"\n"))
                .map_err(|err| dir.manifest_error(err))?;
        }
        Ok(stats)
    }

    /// Finish the manifest and write the summary (when there is an `OUT_DIR`), and finish
    /// the NDJSON stream.
    pub(crate) fn finish(mut self, summary: &BatchSummary) -> Result<(), BatchError> {
        if let Some(dir) = &mut self.out_dir {
            dir.manifest
                .flush()
                .map_err(|err| dir.manifest_error(err))?;
            let mut json = serde_json::to_vec_pretty(summary).map_err(BatchError::Summary)?;
            json.push(b'\n');
            write_atomically(&run_file(&dir.path, SUMMARY_FILE), &json)?;
            // Nobody holds the directory once this run ends (a killed run leaves its name).
            let _ = dir.lock.set_len(0);
        }
        if let Some(sink) = &mut self.ndjson {
            sink.finish().map_err(|err| BatchError::WriteNdjson {
                target: sink.target.clone(),
                err,
            })?;
        }
        Ok(())
    }
}

impl NdjsonSink {
    fn error(&self, err: io::Error) -> BatchError {
        BatchError::WriteNdjson {
            target: self.target.clone(),
            err,
        }
    }

    /// Write one document's line; for a reused document, the old line (kept in place or
    /// copied from the moved-aside rest) is returned.
    fn write(&mut self, reused: bool, line: Option<&[u8]>) -> io::Result<Option<Vec<u8>>> {
        let index = self.written;
        self.written += 1;
        let Some(resume) = &mut self.resume else {
            return write_line(self.writer.writer(), line).map(|()| None);
        };
        let NdjsonWriter::File(file) = &mut self.writer else {
            return write_line(self.writer.writer(), line).map(|()| None);
        };
        let old = resume.lines.get(index).copied();
        match (&mut resume.moved, reused, old) {
            // Still inside the old prefix and the old line stands: nothing to write.
            (None, true, Some((start, end))) => read_range(file.get_mut(), 0, start, end).map(Some),
            (None, false, _) => {
                let start = resume.start_of(index);
                let moved = move_tail_aside(file.get_mut(), start, resume.valid_end)?;
                resume.moved = Some(moved);
                write_line(file, line).map(|()| None)
            }
            (Some(moved), true, Some((start, end))) => {
                let bytes = read_range(&mut moved.file, moved.base, start, end)?;
                file.write_all(&bytes)?;
                Ok(Some(bytes))
            }
            (Some(_), false, _) => write_line(file, line).map(|()| None),
            (_, true, None) => Err(io::Error::other("a reused document has no old NDJSON line")),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        if let (Some(resume), NdjsonWriter::File(file)) = (&self.resume, &mut self.writer) {
            if resume.moved.is_none() {
                // Every document matched an old line; drop old lines past the last input.
                let end = resume.start_of(self.written);
                file.get_mut().set_len(end)?;
            }
        }
        self.writer.writer().flush()
    }
}

/// The bytes `start..end` of the old output, read from `file` which holds it from `base` on.
fn read_range(file: &mut File, base: u64, start: u64, end: u64) -> io::Result<Vec<u8>> {
    let offset = start
        .checked_sub(base)
        .ok_or_else(|| io::Error::other("old NDJSON line before the moved tail"))?;
    let len = usize::try_from(end.saturating_sub(start)).map_err(io::Error::other)?;
    let mut bytes = vec![0; len];
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// Write one NDJSON line (rendered with its newline).
fn write_line(writer: &mut dyn Write, line: Option<&[u8]>) -> io::Result<()> {
    let line = line.ok_or_else(|| io::Error::other("no NDJSON rendering of a document"))?;
    writer.write_all(line)
}

/// Copy the old bytes `start..end` of `file` to an anonymous temp file, then truncate
/// `file` at `start` and position it there for appending.
fn move_tail_aside(file: &mut File, start: u64, end: u64) -> io::Result<MovedTail> {
    let mut tail = tempfile::tempfile()?;
    file.seek(SeekFrom::Start(start))?;
    io::copy(&mut (&mut *file).take(end.saturating_sub(start)), &mut tail)?;
    file.set_len(start)?;
    file.seek(SeekFrom::Start(start))?;
    Ok(MovedTail {
        file: tail,
        base: start,
    })
}

fn open_ndjson(target: &NdjsonTarget) -> Result<NdjsonSink, BatchError> {
    let writer = match target {
        NdjsonTarget::Stdout => {
            NdjsonWriter::Stdout(BufWriter::with_capacity(1 << 16, io::stdout()))
        }
        NdjsonTarget::File(path) => {
            let file = open_ndjson_locked(path)?;
            // Devices (`/dev/stdout`, `/dev/null`) cannot be truncated and need not be.
            if file.metadata().is_ok_and(|m| m.is_file()) {
                file.set_len(0).map_err(|err| BatchError::WriteFile {
                    path: path.clone(),
                    err,
                })?;
            }
            NdjsonWriter::File(BufWriter::with_capacity(1 << 16, file))
        }
    };
    Ok(NdjsonSink {
        target: target.describe(),
        writer,
        resume: None,
        written: 0,
    })
}

/// Open an existing NDJSON file for resuming: scan it, cut a torn last line, keep the rest.
fn open_ndjson_resumed(target: &NdjsonTarget) -> Result<(NdjsonSink, NdjsonScan), BatchError> {
    let NdjsonTarget::File(path) = target else {
        return Err(BatchError::ResumeStdout);
    };
    let read_err = |err| BatchError::ResumeRead {
        path: path.clone(),
        err,
    };
    let file = open_ndjson_locked(path)?;
    let scan = scan_ndjson(path).map_err(read_err)?;
    file.set_len(scan.valid_end)
        .map_err(|err| BatchError::WriteFile {
            path: path.clone(),
            err,
        })?;
    let resume = NdjsonResume {
        lines: scan.lines.iter().map(|l| (l.start, l.end)).collect(),
        valid_end: scan.valid_end,
        moved: None,
    };
    let sink = NdjsonSink {
        target: target.describe(),
        writer: NdjsonWriter::File(BufWriter::with_capacity(1 << 16, file)),
        resume: Some(resume),
        written: 0,
    };
    Ok((sink, scan))
}

/// Open (or create) an NDJSON output file, unchanged, and lock it for this run.
fn open_ndjson_locked(path: &Path) -> Result<File, BatchError> {
    let wrap = |err| BatchError::WriteFile {
        path: path.to_path_buf(),
        err,
    };
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(wrap)?;
    if try_lock(&file) {
        Ok(file)
    } else {
        Err(BatchError::Locked {
            path: path.to_path_buf(),
            holder: "it holds a lock on the file".to_string(),
        })
    }
}

/// Write `bytes` (JSON with its final newline) to `path` through a temp file in the same
/// directory.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), BatchError> {
    let wrap = |err: io::Error| BatchError::WriteFile {
        path: path.to_path_buf(),
        err,
    };
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(".json");
    // Temp files are private by default; the output gets what the umask allows, like the
    // NDJSON file and anything else the user creates.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(dir).map_err(wrap)?;
    temp.write_all(bytes).map_err(wrap)?;
    temp.persist(path).map_err(|err| wrap(err.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_is_stdout() {
        assert_eq!(NdjsonTarget::from_arg("-"), NdjsonTarget::Stdout);
        assert_eq!(
            NdjsonTarget::from_arg("out.ndjson"),
            NdjsonTarget::File(PathBuf::from("out.ndjson"))
        );
    }

    #[test]
    fn atomic_write_leaves_only_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        write_atomically(&target, b"{}\n").unwrap();
        write_atomically(&target, b"[1]\n").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "[1]\n");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.json"]);
    }

    #[test]
    fn moving_the_tail_aside_keeps_old_lines_readable() {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"one\ntwo\nthree\n").unwrap();
        let mut moved = move_tail_aside(&mut file, 4, 14).unwrap();
        file.write_all(b"TWO\n").unwrap();
        let out = read_range(&mut moved.file, moved.base, 8, 14).unwrap();
        assert_eq!(out, b"three\n");
        file.write_all(&out).unwrap();
        let mut all = String::new();
        file.seek(SeekFrom::Start(0)).unwrap();
        file.read_to_string(&mut all).unwrap();
        assert_eq!(all, "one\nTWO\nthree\n");
    }
}
