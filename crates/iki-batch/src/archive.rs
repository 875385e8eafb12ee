//! Archives (`.zip`, `.tar`, `.tar.gz` / `.tgz`) read entry by entry, never unpacked to disk.
//!
//! Each entry whose name a directory walk would take becomes one [`Input`](crate::Input)
//! holding the entry's bytes, named `ARCHIVE!/ENTRY` with a stem from
//! [`stem_for_entry`](crate::stem::stem_for_entry) (so hostile names never leave `OUT_DIR`).
//! Hostile archives are bounded, each bound with its own error code:
//!
//! - an entry over `max_file_bytes` (declared or actual) is `file_too_large`;
//! - all the decompressed bytes of one top-level archive (nested ones included) over
//!   `max_archive_bytes` stop it with `archive_too_large`, and more than `max_archive_ratio`
//!   times its size on disk (past a 1 MiB floor) with `archive_ratio_exceeded`;
//! - an archive inside an archive is opened, one inside that is `archive_too_deep`;
//! - a stream that cannot be decoded is `archive_corrupt` (a zip entry alone, the rest of a
//!   tar stream), and an archive without any input entry is one `archive_empty` document, so
//!   that every archive shows up in the output.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use flate2::read::MultiGzDecoder;

use crate::error::InputError;
use crate::inputs::{format_of, is_taken_name, read_capped, Content, Enumerator};
use crate::stem::stem_for_entry;

/// Archives nested this deep are not opened: the top-level archive is depth 1.
const MAX_DEPTH: u8 = 2;

/// The ratio limit applies only once an archive has expanded past this many bytes, so that
/// small, very compressible archives are never taken for bombs.
const RATIO_FLOOR: u64 = 1 << 20;

/// The container formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveFormat {
    Zip,
    Tar,
    TarGz,
}

impl ArchiveFormat {
    /// The format a file name announces (case-insensitive), if any.
    pub fn of_name(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".zip") {
            Some(ArchiveFormat::Zip)
        } else if lower.ends_with(".tar") {
            Some(ArchiveFormat::Tar)
        } else if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
            Some(ArchiveFormat::TarGz)
        } else {
            None
        }
    }
}

/// Why reading an archive stopped before its end.
enum Halt {
    /// The consumer asked to stop the whole enumeration.
    Consumer,
    /// This archive cannot be read further; go on with the next input.
    Archive,
}

type Flow = ControlFlow<Halt>;

/// Which limit the decompressed bytes crossed.
#[derive(Debug, Clone, Copy)]
enum Trip {
    Total(u64),
    Ratio(u64),
}

/// The decompression budget of one top-level archive, shared with its nested archives.
struct Budget {
    used: Cell<u64>,
    total_limit: u64,
    ratio_limit: u64,
    compressed: u64,
    tripped: Cell<Option<Trip>>,
}

impl Budget {
    fn charge(&self, n: usize) -> io::Result<()> {
        let used = self.used.get().saturating_add(n as u64);
        self.used.set(used);
        let ratio_cap = self.ratio_limit.saturating_mul(self.compressed.max(1));
        let trip = if used > self.total_limit {
            Some(Trip::Total(self.total_limit))
        } else if self.ratio_limit > 0 && used > RATIO_FLOOR && used > ratio_cap {
            Some(Trip::Ratio(self.ratio_limit))
        } else {
            None
        };
        match trip {
            Some(trip) => {
                self.tripped.set(Some(trip));
                Err(io::Error::other("archive decompression limit exceeded"))
            }
            None => Ok(()),
        }
    }
}

/// Charges every decompressed byte read through it to a [`Budget`].
struct BudgetReader<R> {
    inner: R,
    budget: Rc<Budget>,
}

impl<R: Read> Read for BudgetReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.budget.charge(n)?;
        Ok(n)
    }
}

/// Counts the bytes read from the archive file (for progress).
struct DiskCounter<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R: Read> Read for DiskCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for DiskCounter<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// One archive being read: its names, depth, budget and progress counter.
struct ArchiveCtx {
    display: String,
    stem: String,
    depth: u8,
    budget: Rc<Budget>,
    disk_read: Rc<Cell<u64>>,
    disk_reported: u64,
    emitted: usize,
}

impl ArchiveCtx {
    fn entry_display(&self, name: &str) -> String {
        format!("{}!/{}", self.display, name)
    }

    /// On-disk bytes read since the previous entry.
    fn disk_delta(&mut self) -> u64 {
        let now = self.disk_read.get();
        let delta = now.saturating_sub(self.disk_reported);
        self.disk_reported = now;
        delta
    }

    fn emit(&mut self, en: &mut Enumerator<'_>, name: &str, content: Content) -> Flow {
        self.emitted += 1;
        let display = self.entry_display(name);
        let stem = stem_for_entry(&self.stem, name);
        let format = format_of(name);
        let disk = self.disk_delta();
        match en.push(display, &stem, format, content, disk) {
            ControlFlow::Continue(()) => ControlFlow::Continue(()),
            ControlFlow::Break(()) => ControlFlow::Break(Halt::Consumer),
        }
    }

    fn emit_failure(&mut self, en: &mut Enumerator<'_>, name: &str, err: InputError) -> Flow {
        self.emit(en, name, Content::Failed(err))
    }

    /// The failure for a read error: the budget's limit if it tripped, else corruption.
    fn read_failure(&self, path: PathBuf, err: io::Error) -> InputError {
        match self.budget.tripped.get() {
            Some(Trip::Total(limit)) => InputError::ArchiveTooLarge { path, limit },
            Some(Trip::Ratio(limit)) => InputError::ArchiveRatio { path, limit },
            None => InputError::ArchiveCorrupt { path, err },
        }
    }

    /// The whole archive (or its rest) failed; reported under the archive's own name.
    fn fail_archive(&mut self, en: &mut Enumerator<'_>, err: io::Error) -> Flow {
        self.emitted += 1;
        let failure = self.read_failure(PathBuf::from(&self.display), err);
        let display = self.display.clone();
        let stem = self.stem.clone();
        match en.fail(display, &stem, failure) {
            ControlFlow::Continue(()) => ControlFlow::Break(Halt::Archive),
            ControlFlow::Break(()) => ControlFlow::Break(Halt::Consumer),
        }
    }

    /// After the last entry: an archive that yielded nothing is one `archive_empty` input.
    fn finish(&mut self, en: &mut Enumerator<'_>, flow: Flow) -> ControlFlow<()> {
        match flow {
            ControlFlow::Break(Halt::Consumer) => ControlFlow::Break(()),
            ControlFlow::Break(Halt::Archive) => ControlFlow::Continue(()),
            ControlFlow::Continue(()) if self.emitted == 0 => {
                let path = PathBuf::from(&self.display);
                let display = self.display.clone();
                let stem = self.stem.clone();
                en.fail(display, &stem, InputError::ArchiveEmpty { path })
            }
            ControlFlow::Continue(()) => ControlFlow::Continue(()),
        }
    }

    /// One entry: skipped, refused, expanded (a nested archive) or read into memory.
    ///
    /// `stream` is true when a read error breaks the rest of the archive (tar), false when
    /// the next entry can still be read (zip).
    fn entry(
        &mut self,
        en: &mut Enumerator<'_>,
        name: &str,
        declared: u64,
        reader: &mut dyn Read,
        stream: bool,
    ) -> Flow {
        let display_path = PathBuf::from(self.entry_display(name));
        if !is_taken_name(Path::new(name)) {
            return ControlFlow::Continue(());
        }
        let nested = ArchiveFormat::of_name(name);
        if nested.is_some() && self.depth >= MAX_DEPTH {
            return self.emit_failure(en, name, InputError::ArchiveTooDeep { path: display_path });
        }
        let limit = en.limits.max_file_bytes;
        if declared > limit {
            let err = InputError::TooLarge {
                path: display_path,
                size: declared,
                limit,
            };
            return self.emit_failure(en, name, err);
        }
        let bytes = match read_capped(reader, &display_path, limit, declared) {
            Ok(bytes) => bytes,
            Err(too_large @ InputError::TooLarge { .. }) => {
                return self.emit_failure(en, name, too_large)
            }
            Err(InputError::Io { err, .. }) => {
                return self.entry_read_error(en, name, display_path, err, stream)
            }
            Err(other) => {
                let err = io::Error::other(other.to_string());
                return self.entry_read_error(en, name, display_path, err, stream);
            }
        };
        match nested {
            Some(format) => self.nested(en, name, format, bytes),
            None => self.emit(en, name, Content::Bytes(bytes)),
        }
    }

    fn entry_read_error(
        &mut self,
        en: &mut Enumerator<'_>,
        name: &str,
        path: PathBuf,
        err: io::Error,
        stream: bool,
    ) -> Flow {
        let tripped = self.budget.tripped.get().is_some();
        let failure = self.read_failure(path, err);
        self.emit_failure(en, name, failure)?;
        if tripped || stream {
            ControlFlow::Break(Halt::Archive)
        } else {
            ControlFlow::Continue(())
        }
    }

    /// An archive inside this one: read from memory with the same budget.
    fn nested(
        &mut self,
        en: &mut Enumerator<'_>,
        name: &str,
        format: ArchiveFormat,
        bytes: Vec<u8>,
    ) -> Flow {
        self.emitted += 1;
        let mut inner = ArchiveCtx {
            display: self.entry_display(name),
            stem: stem_for_entry(&self.stem, name),
            depth: self.depth + 1,
            budget: Rc::clone(&self.budget),
            disk_read: Rc::new(Cell::new(0)),
            disk_reported: 0,
            emitted: 0,
        };
        let flow = read_format(en, &mut inner, format, Cursor::new(bytes));
        match inner.finish(en, flow) {
            ControlFlow::Continue(()) => ControlFlow::Continue(()),
            ControlFlow::Break(()) => ControlFlow::Break(Halt::Consumer),
        }
    }
}

/// Expand the archive file at `path` into inputs; see the module docs.
pub(crate) fn expand_file(
    en: &mut Enumerator<'_>,
    path: &Path,
    display: String,
    stem: &str,
    format: ArchiveFormat,
    size: u64,
) -> ControlFlow<()> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) => return en.fail(display, stem, InputError::io(path, err)),
    };
    let budget = Budget {
        used: Cell::new(0),
        total_limit: en.limits.max_archive_bytes,
        ratio_limit: en.limits.max_archive_ratio,
        compressed: size,
        tripped: Cell::new(None),
    };
    let disk_read = Rc::new(Cell::new(0));
    let mut ctx = ArchiveCtx {
        display,
        stem: stem.to_string(),
        depth: 1,
        budget: Rc::new(budget),
        disk_read: Rc::clone(&disk_read),
        disk_reported: 0,
        emitted: 0,
    };
    let reader = DiskCounter {
        inner: io::BufReader::with_capacity(1 << 16, file),
        read: disk_read,
    };
    let flow = read_format(en, &mut ctx, format, reader);
    ctx.finish(en, flow)
}

fn read_format<R: Read + Seek>(
    en: &mut Enumerator<'_>,
    ctx: &mut ArchiveCtx,
    format: ArchiveFormat,
    reader: R,
) -> Flow {
    match format {
        ArchiveFormat::Zip => zip_entries(en, ctx, reader),
        ArchiveFormat::Tar => tar_entries(en, ctx, reader),
        ArchiveFormat::TarGz => tar_entries(en, ctx, MultiGzDecoder::new(reader)),
    }
}

fn tar_entries<R: Read>(en: &mut Enumerator<'_>, ctx: &mut ArchiveCtx, reader: R) -> Flow {
    let budgeted = BudgetReader {
        inner: reader,
        budget: Rc::clone(&ctx.budget),
    };
    let mut tar = tar::Archive::new(budgeted);
    let entries = match tar.entries() {
        Ok(entries) => entries,
        Err(err) => return ctx.fail_archive(en, err),
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(err) => return ctx.fail_archive(en, err),
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let declared = entry.size();
        ctx.entry(en, &name, declared, &mut entry, true)?;
    }
    ControlFlow::Continue(())
}

fn zip_entries<R: Read + Seek>(en: &mut Enumerator<'_>, ctx: &mut ArchiveCtx, reader: R) -> Flow {
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(zip) => zip,
        Err(err) => return ctx.fail_archive(en, io::Error::other(err)),
    };
    for index in 0..zip.len() {
        let fallback_name = || format!("#{index}");
        let mut file = match zip.by_index(index) {
            Ok(file) => file,
            Err(err) => {
                let name = fallback_name();
                let path = PathBuf::from(ctx.entry_display(&name));
                ctx.entry_read_error(en, &name, path, io::Error::other(err), false)?;
                continue;
            }
        };
        if !file.is_file() {
            continue;
        }
        let name = match file.name() {
            Ok(name) => name.into_owned(),
            Err(_) => String::from_utf8_lossy(file.name_raw()).into_owned(),
        };
        let declared = file.size();
        let mut budgeted = BudgetReader {
            inner: &mut file,
            budget: Rc::clone(&ctx.budget),
        };
        ctx.entry(en, &name, declared, &mut budgeted, false)?;
    }
    ControlFlow::Continue(())
}
