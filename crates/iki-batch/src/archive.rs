//! Archives (`.zip`, `.tar`, `.tar.gz` / `.tgz`) read entry by entry, never unpacked to disk.
//!
//! Each entry whose name a directory walk would take becomes one [`Input`](crate::Input)
//! holding the entry's bytes, named `ARCHIVE!/ENTRY` with a stem from
//! [`stem_for_entry`](crate::stem::stem_for_entry) (so hostile names never leave `OUT_DIR`).
//! Every other member is accounted for as a skip ([`SkipReason`]): names iki does not read,
//! symlinks, devices and FIFOs. A tar hard link is read as the member it links to (the
//! archive is read again up to that member: tar streams cannot seek back).
//!
//! Hostile and damaged archives are bounded, each bound with its own error code:
//!
//! - an entry over `max_file_bytes` (declared or actual) is `file_too_large`;
//! - an entry the archive ends inside is `archive_truncated`: never parsed from a shorter text;
//! - all the decompressed bytes of one top-level archive (nested ones and hard-link re-reads
//!   included) over `max_archive_bytes` stop it with `archive_too_large`, and more than
//!   `max_archive_ratio` times its size on disk (past a 1 MiB floor) with
//!   `archive_ratio_exceeded`;
//! - an archive inside an archive is opened, one inside that is `archive_too_deep`;
//! - a zip whose central directory is missing or damaged is read from the local headers of its
//!   entries ([`recover_zip`]); a stream that cannot be decoded is `archive_corrupt` (a zip
//!   entry alone, the rest of a tar stream), and an archive without any input entry is one
//!   `archive_empty` document, so that every archive shows up in the output.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use flate2::read::MultiGzDecoder;
use iki_model::InputFormat;
use zip::result::ZipError;

use crate::error::InputError;
use crate::inputs::{format_of, is_taken_name, read_capped, Content, Enumerator};
use crate::skip::SkipReason;
use crate::stem::stem_for_entry;

mod recover;

use recover::{signatures, LocalHeader, Signature};

/// Archives nested this deep are not opened: the top-level archive is depth 1.
const MAX_DEPTH: u8 = 2;

/// The ratio limit applies only once an archive has expanded past this many bytes, so that
/// small, very compressible archives are never taken for bombs.
const RATIO_FLOOR: u64 = 1 << 20;

/// A hard link to a hard link to ... is followed this many times.
const MAX_LINK_HOPS: usize = 8;

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

    /// The format the first bytes announce (at least [`SNIFF_BYTES`] when the input is that
    /// long): a gzip stream is taken for a `.tar.gz`, a zip is an archive unless it is an
    /// office file (a `.docx` is a zip too, but one document).
    pub fn sniff(head: &[u8]) -> Option<Self> {
        if head.starts_with(b"\x1f\x8b") {
            Some(ArchiveFormat::TarGz)
        } else if head.get(257..262) == Some(b"ustar") {
            Some(ArchiveFormat::Tar)
        } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            InputFormat::sniff(head)
                .is_none()
                .then_some(ArchiveFormat::Zip)
        } else {
            None
        }
    }
}

/// How many leading bytes [`ArchiveFormat::sniff`] wants to see.
pub const SNIFF_BYTES: usize = 4096;

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

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// Where an archive's bytes are, so that it can be read again (tar hard links, zip recovery).
#[derive(Clone)]
enum Source {
    File(PathBuf),
    Memory(Rc<[u8]>),
}

impl Source {
    /// A fresh reader of the archive's raw bytes, from the start.
    fn open(&self) -> io::Result<Box<dyn ReadSeek>> {
        Ok(match self {
            Source::File(path) => Box::new(BufReader::with_capacity(1 << 16, File::open(path)?)),
            Source::Memory(bytes) => Box::new(Cursor::new(Rc::clone(bytes))),
        })
    }
}

/// One archive being read: its names, source, depth, budget and progress counter.
struct ArchiveCtx {
    display: String,
    stem: String,
    source: Source,
    format: ArchiveFormat,
    depth: u8,
    budget: Rc<Budget>,
    disk_read: Rc<Cell<u64>>,
    disk_reported: u64,
    emitted: usize,
    /// The last entry ended before its declared size: the stream ends there.
    truncated: bool,
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

    /// A member that is no input: counted and listed in the summary.
    fn skip(&mut self, en: &mut Enumerator<'_>, name: &str, reason: SkipReason) {
        en.skip(self.entry_display(name), reason);
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

    /// One file entry: skipped, refused, expanded (a nested archive) or read into memory.
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
            self.skip(en, name, SkipReason::UnknownType);
            return ControlFlow::Continue(());
        }
        let nested = ArchiveFormat::of_name(name);
        if nested.is_some() && self.depth >= MAX_DEPTH {
            return self.emit_failure(en, name, InputError::ArchiveTooDeep { path: display_path });
        }
        let limit = en.limits.file_bytes_cap();
        if declared > limit {
            let err = InputError::TooLarge {
                path: display_path,
                size: declared,
                limit,
            };
            return self.emit_failure(en, name, err);
        }
        let bytes = match read_capped(reader, &display_path, limit, declared) {
            Ok(bytes) if (bytes.len() as u64) < declared => {
                self.truncated = true;
                let err = InputError::ArchiveTruncated {
                    path: display_path,
                    expected: declared,
                };
                return self.emit_failure(en, name, err);
            }
            Ok(bytes) => bytes,
            Err(too_large @ InputError::TooLarge { .. }) => {
                return self.emit_failure(en, name, too_large)
            }
            Err(InputError::Io { err, .. }) => {
                return self.entry_read_error(en, name, display_path, declared, err, stream)
            }
            Err(other) => {
                let err = io::Error::other(other.to_string());
                return self.entry_read_error(en, name, display_path, declared, err, stream);
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
        declared: u64,
        err: io::Error,
        stream: bool,
    ) -> Flow {
        let tripped = self.budget.tripped.get().is_some();
        let failure = if !tripped && err.kind() == io::ErrorKind::UnexpectedEof {
            self.truncated = true;
            InputError::ArchiveTruncated {
                path,
                expected: declared,
            }
        } else {
            self.read_failure(path, err)
        };
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
            source: Source::Memory(Rc::from(bytes)),
            format,
            depth: self.depth + 1,
            budget: Rc::clone(&self.budget),
            disk_read: Rc::new(Cell::new(0)),
            disk_reported: 0,
            emitted: 0,
            truncated: false,
        };
        let flow = read_archive(en, &mut inner);
        match inner.finish(en, flow) {
            ControlFlow::Continue(()) => ControlFlow::Continue(()),
            ControlFlow::Break(()) => ControlFlow::Break(Halt::Consumer),
        }
    }

    /// A fresh reader of the archive's decompressed tar stream, charged to the budget.
    fn tar_stream(&self) -> io::Result<BudgetReader<Box<dyn Read>>> {
        let raw = self.source.open()?;
        let inner: Box<dyn Read> = match self.format {
            ArchiveFormat::TarGz => Box::new(MultiGzDecoder::new(raw)),
            _ => raw,
        };
        Ok(BudgetReader {
            inner,
            budget: Rc::clone(&self.budget),
        })
    }

    /// A hard link named `name`, member number `index`, to the earlier member `target`.
    fn hard_link(
        &mut self,
        en: &mut Enumerator<'_>,
        name: &str,
        target: &[u8],
        index: usize,
    ) -> Flow {
        if !is_taken_name(Path::new(name)) {
            self.skip(en, name, SkipReason::UnknownType);
            return ControlFlow::Continue(());
        }
        match self.link_target(target, index, en.limits.file_bytes_cap()) {
            Ok(Some((bytes, declared))) => {
                self.entry(en, name, declared, &mut bytes.as_slice(), false)
            }
            Ok(None) => {
                self.skip(en, name, SkipReason::HardLinkTargetMissing);
                ControlFlow::Continue(())
            }
            Err(err) => {
                let path = PathBuf::from(self.entry_display(name));
                let failure = self.read_failure(path, err);
                self.emit_failure(en, name, failure)
            }
        }
    }

    /// The bytes (at most `limit + 1`) and size of the file a hard link points to: the last
    /// member named `target` before member `before`, following links to links; `None` when
    /// there is none. Reads the archive again from its start (charged to the budget, so many
    /// links cannot loop it).
    fn link_target(
        &self,
        target: &[u8],
        before: usize,
        limit: u64,
    ) -> io::Result<Option<(Vec<u8>, u64)>> {
        let mut wanted = target.to_vec();
        let mut before = before;
        for _ in 0..MAX_LINK_HOPS {
            let mut tar = tar::Archive::new(self.tar_stream()?);
            let mut found = None;
            for (index, member) in tar.entries()?.enumerate().take(before) {
                let mut member = member?;
                if !same_member_name(&member.path_bytes(), &wanted) {
                    continue;
                }
                let kind = member.header().entry_type();
                found = if kind.is_hard_link() {
                    let next = member.link_name_bytes().map(|n| n.into_owned());
                    next.map(|next| (index, Found::Link(next)))
                } else if is_file_kind(kind) {
                    let size = member.size();
                    let mut bytes = Vec::new();
                    (&mut member)
                        .take(limit.saturating_add(1))
                        .read_to_end(&mut bytes)?;
                    Some((index, Found::File(bytes, size)))
                } else {
                    None
                };
            }
            match found {
                None => return Ok(None),
                Some((_, Found::File(bytes, size))) => return Ok(Some((bytes, size))),
                Some((index, Found::Link(next))) => {
                    wanted = next;
                    before = index;
                }
            }
        }
        Ok(None)
    }
}

/// What a hard link's target turned out to be: a file (its first bytes and its size), or
/// another link (its target).
enum Found {
    File(Vec<u8>, u64),
    Link(Vec<u8>),
}

/// Member names compare without a leading `./`, which some tars write and others do not.
fn same_member_name(a: &[u8], b: &[u8]) -> bool {
    fn trim(name: &[u8]) -> &[u8] {
        let mut name = name;
        while let Some(rest) = name.strip_prefix(b"./") {
            name = rest;
        }
        name
    }
    trim(a) == trim(b)
}

/// Tar member kinds that hold a file's bytes.
fn is_file_kind(kind: tar::EntryType) -> bool {
    kind.is_file() || kind.is_contiguous() || kind.is_gnu_sparse()
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
    let mut ctx = top_level(
        en,
        display,
        stem,
        Source::File(path.to_path_buf()),
        format,
        size,
    );
    let reader = DiskCounter {
        inner: BufReader::with_capacity(1 << 16, file),
        read: Rc::clone(&ctx.disk_read),
    };
    let flow = read_format(en, &mut ctx, reader);
    ctx.finish(en, flow)
}

/// Expand an archive held in memory (standard input) into inputs.
pub(crate) fn expand_bytes(
    en: &mut Enumerator<'_>,
    display: String,
    stem: &str,
    format: ArchiveFormat,
    bytes: Vec<u8>,
) -> ControlFlow<()> {
    let size = bytes.len() as u64;
    let source = Source::Memory(Rc::from(bytes));
    let mut ctx = top_level(en, display, stem, source, format, size);
    let flow = read_archive(en, &mut ctx);
    ctx.finish(en, flow)
}

fn top_level(
    en: &Enumerator<'_>,
    display: String,
    stem: &str,
    source: Source,
    format: ArchiveFormat,
    size: u64,
) -> ArchiveCtx {
    let budget = Budget {
        used: Cell::new(0),
        total_limit: en.limits.archive_bytes_cap(),
        ratio_limit: en.limits.max_archive_ratio,
        compressed: size,
        tripped: Cell::new(None),
    };
    ArchiveCtx {
        display,
        stem: stem.to_string(),
        source,
        format,
        depth: 1,
        budget: Rc::new(budget),
        disk_read: Rc::new(Cell::new(0)),
        disk_reported: 0,
        emitted: 0,
        truncated: false,
    }
}

/// Read the archive of `ctx` from its source.
fn read_archive(en: &mut Enumerator<'_>, ctx: &mut ArchiveCtx) -> Flow {
    match ctx.source.open() {
        Ok(reader) => read_format(en, ctx, reader),
        Err(err) => ctx.fail_archive(en, err),
    }
}

fn read_format<R: Read + Seek>(en: &mut Enumerator<'_>, ctx: &mut ArchiveCtx, reader: R) -> Flow {
    match ctx.format {
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
    for (index, entry) in entries.enumerate() {
        let mut entry = match entry {
            Ok(entry) => entry,
            // The stream ended inside the last entry, which failed as truncated already.
            Err(_) if ctx.truncated => return ControlFlow::Continue(()),
            Err(err) => return ctx.fail_archive(en, err),
        };
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        if is_file_kind(kind) {
            let declared = entry.size();
            ctx.entry(en, &name, declared, &mut entry, true)?;
        } else if kind.is_hard_link() {
            let target = entry.link_name_bytes().map(|t| t.into_owned());
            match target {
                Some(target) => ctx.hard_link(en, &name, &target, index)?,
                None => ctx.skip(en, &name, SkipReason::HardLinkTargetMissing),
            }
        } else if let Some(reason) = tar_skip_reason(kind) {
            ctx.skip(en, &name, reason);
        }
    }
    ControlFlow::Continue(())
}

/// Why a tar member that is neither a file nor a hard link is skipped; `None` for members
/// that stand for no file (directories, global headers).
fn tar_skip_reason(kind: tar::EntryType) -> Option<SkipReason> {
    if kind.is_dir() || kind.is_pax_global_extensions() {
        None
    } else if kind.is_symlink() {
        Some(SkipReason::Symlink)
    } else if kind.is_fifo() {
        Some(SkipReason::Fifo)
    } else if kind.is_character_special() || kind.is_block_special() {
        Some(SkipReason::Device)
    } else {
        Some(SkipReason::UnsupportedEntry)
    }
}

fn zip_entries<R: Read + Seek>(en: &mut Enumerator<'_>, ctx: &mut ArchiveCtx, reader: R) -> Flow {
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(zip) => zip,
        Err(err) => return recover_zip(en, ctx, err),
    };
    for index in 0..zip.len() {
        let fallback_name = || format!("#{index}");
        let mut file = match zip.by_index(index) {
            Ok(file) => file,
            Err(err) => {
                let name = fallback_name();
                let path = PathBuf::from(ctx.entry_display(&name));
                ctx.entry_read_error(en, &name, path, 0, io::Error::other(err), false)?;
                continue;
            }
        };
        let name = match file.name() {
            Ok(name) => name.into_owned(),
            Err(_) => String::from_utf8_lossy(file.name_raw()).into_owned(),
        };
        if file.is_dir() {
            continue;
        }
        if file.is_symlink() {
            ctx.skip(en, &name, SkipReason::Symlink);
            continue;
        }
        let declared = file.size();
        let mut budgeted = BudgetReader {
            inner: &mut file,
            budget: Rc::clone(&ctx.budget),
        };
        ctx.entry(en, &name, declared, &mut budgeted, false)?;
    }
    ControlFlow::Continue(())
}

/// A zip whose central directory cannot be read: its entries as their local headers
/// describe them, found by their signatures. An entry with a data descriptor (sizes after
/// the data) is bounded by the next signature and checked against its descriptor. When no
/// entry is found the archive fails with the central directory's error.
fn recover_zip(en: &mut Enumerator<'_>, ctx: &mut ArchiveCtx, directory_err: ZipError) -> Flow {
    let scanned = ctx.source.open().and_then(|mut r| {
        let marks = signatures(&mut r)?;
        let len = r.seek(SeekFrom::End(0))?;
        Ok((r, marks, len))
    });
    let (mut reader, marks, len) = match scanned {
        Ok(scanned) => scanned,
        Err(err) => return ctx.fail_archive(en, err),
    };
    let mut parsed = 0;
    let mut next_free = 0;
    for (i, mark) in marks.iter().enumerate() {
        if mark.kind != Signature::Local || mark.offset < next_free {
            continue;
        }
        let boundary = marks.get(i + 1).map_or(len, |m| m.offset);
        let Ok(header) = LocalHeader::read(&mut reader, mark.offset) else {
            continue;
        };
        let name = String::from_utf8_lossy(&header.name).into_owned();
        if header
            .compressed
            .is_some_and(|c| header.data_start.saturating_add(c) > len)
        {
            // The archive ends inside this entry's data: nothing after it can be read.
            parsed += 1;
            let mut nothing: &[u8] = &[];
            ctx.entry(en, &name, header.uncompressed.max(1), &mut nothing, false)?;
            break;
        }
        let Some(options) = header.read_options(&mut reader, boundary) else {
            continue;
        };
        if reader.seek(SeekFrom::Start(mark.offset)).is_err() {
            break;
        }
        if let Ok(Some(mut file)) =
            zip::read::read_zipfile_from_stream_with_options(&mut reader, options)
        {
            parsed += 1;
            if !file.is_dir() {
                let declared = file.size();
                let mut budgeted = BudgetReader {
                    inner: &mut file,
                    budget: Rc::clone(&ctx.budget),
                };
                ctx.entry(en, &name, declared, &mut budgeted, false)?;
            }
        }
        // Dropping the entry moved the reader past its data.
        next_free = reader.stream_position().unwrap_or(boundary);
    }
    if parsed == 0 {
        return ctx.fail_archive(en, io::Error::other(directory_err));
    }
    ControlFlow::Continue(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_archives_but_not_office_zips() {
        let zip = crate::testing::zip_bytes(&[("a.txt", b"x")]);
        assert_eq!(ArchiveFormat::sniff(&zip), Some(ArchiveFormat::Zip));
        let docx = crate::testing::zip_bytes(&[("word/document.xml", b"<w/>")]);
        assert_eq!(ArchiveFormat::sniff(&docx), None);
        let tar = crate::testing::tar_bytes(&[crate::testing::TarMember::File("a.txt", b"x")]);
        assert_eq!(ArchiveFormat::sniff(&tar), Some(ArchiveFormat::Tar));
        assert_eq!(
            ArchiveFormat::sniff(&crate::testing::gzip(&tar)),
            Some(ArchiveFormat::TarGz)
        );
        assert_eq!(ArchiveFormat::sniff(b"INDIKATOR KINERJA"), None);
    }

    #[test]
    fn member_names_compare_without_leading_dot_slash() {
        assert!(same_member_name(b"./a/b.txt", b"a/b.txt"));
        assert!(!same_member_name(b"a/b.txt", b"b.txt"));
    }
}
