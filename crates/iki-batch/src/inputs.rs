//! Input enumeration: turn the PATH arguments into a stream of [`Input`]s, in a fixed order.
//!
//! The order (arguments in order, directories walked sorted by name without following
//! symlinks, archive entries in stored order) and every output stem are decided here, on one
//! thread, before any worker sees the input; so the output does not depend on the number of
//! threads. Enumeration is lazy: a directory or archive yields its inputs one at a time and
//! the caller can stop it, so nothing is listed or unpacked ahead of the workers. A path that
//! cannot be used is still an input (carrying the reason) so that it shows up as a failed
//! document instead of disappearing; what a directory or archive holds that is no input
//! (other file types, symlinks, FIFOs, sockets, devices, the run's own outputs) is a counted,
//! listed skip ([`Skipped`]).
//!
//! Formats: names decide inside directories and archives (reading the head of every file
//! would slow a walk of 10^5 files); a path named on the command line and standard input are
//! also recognised by their first bytes, so a `.tar.gz` piped in or a zip without an
//! extension is opened as an archive. The worker then tells PDFs, office files, images and
//! text apart by content ([`InputFormat::sniff`]).

use std::fs::{self, File};
use std::io::{self, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use iki_model::InputFormat;
use walkdir::WalkDir;

use crate::archive::{self, ArchiveFormat, SNIFF_BYTES};
use crate::error::InputError;
use crate::skip::{SkipReason, Skipped};
use crate::stem::{stem_for_file, stem_for_walked, StemAllocator};
use crate::Limits;

/// The display path and stem of the document read from standard input.
pub const STDIN_PATH: &str = "-";
const STDIN_STEM: &str = "stdin";

/// One unit of work: a document to extract, or one that already failed.
#[derive(Debug)]
pub struct Input {
    /// The path as shown in the output (`source.path`): as given, the walked root as given
    /// joined with the path below it, or `ARCHIVE!/ENTRY` for an archive entry.
    pub display_path: String,
    /// Unique, sanitised stem of `OUT_DIR/<stem>.json`.
    pub stem: String,
    /// The format the name announces (text when it announces none); the worker lets the
    /// content overrule it.
    pub format: InputFormat,
    pub content: Content,
    /// Bytes of on-disk input this document accounts for (progress only): the file size,
    /// or the compressed bytes read from an archive since its previous entry.
    pub disk_bytes: u64,
}

/// Where the bytes of an input are.
#[derive(Debug)]
pub enum Content {
    /// A file on disk, read by the worker.
    File(PathBuf),
    /// Already in memory: an archive entry or standard input.
    Bytes(Vec<u8>),
    /// The input could not be read at all.
    Failed(InputError),
}

/// Collect every input named by `paths` into a list, with what was skipped (tests and small
/// runs; the batch driver streams them with [`enumerate_inputs`]).
pub fn collect_inputs<P: AsRef<Path>>(paths: &[P], limits: &Limits) -> (Vec<Input>, Skipped) {
    let mut out = Vec::new();
    let (_, skipped) = enumerate_inputs(paths, limits, &OwnOutputs::default(), &mut |input| {
        out.push(input);
        ControlFlow::Continue(())
    });
    (out, skipped)
}

/// Hand every input named by `paths` to `emit`, in output order, until `emit` breaks; returns
/// how it ended and what was skipped.
///
/// Files named on the command line are always taken; directories contribute the files whose
/// names announce a format iki reads ([`is_taken_name`]: text, PDF, office, image and archive
/// files); archives contribute their entries (see [`archive`]); `-` is standard input (one
/// document, or an archive). Everything else found under the paths is a skip, and so are
/// `own_outputs`.
pub fn enumerate_inputs<P: AsRef<Path>>(
    paths: &[P],
    limits: &Limits,
    own_outputs: &OwnOutputs,
    emit: &mut dyn FnMut(Input) -> ControlFlow<()>,
) -> (ControlFlow<()>, Skipped) {
    let mut walker = Enumerator {
        limits,
        stems: StemAllocator::default(),
        emit,
        skipped: Skipped::default(),
        own_outputs,
    };
    let flow = paths.iter().try_for_each(|path| walker.path(path.as_ref()));
    (flow, walker.skipped)
}

/// The run's own output paths (OUT_DIR, the NDJSON file), told apart from inputs by file
/// identity (device and inode), so any spelling of the path matches. Outside Unix nothing
/// is recognised.
#[derive(Debug, Clone, Default)]
pub struct OwnOutputs {
    ids: Vec<(u64, u64)>,
}

impl OwnOutputs {
    /// The identities of those of `paths` that exist.
    pub fn of(paths: &[&Path]) -> Self {
        OwnOutputs {
            ids: paths
                .iter()
                .filter_map(|p| fs::metadata(p).ok())
                .filter_map(|m| file_id(&m))
                .collect(),
        }
    }

    fn contains(&self, meta: &fs::Metadata) -> bool {
        file_id(meta).is_some_and(|id| self.ids.contains(&id))
    }

    /// Whether inode `ino` might be one of them (a cheap test before a `stat`).
    fn may_contain(&self, ino: u64) -> bool {
        self.ids.iter().any(|&(_, i)| i == ino)
    }
}

#[cfg(unix)]
fn file_id(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The state of one enumeration: limits, the stems handed out so far, the skips and the
/// consumer.
pub(crate) struct Enumerator<'a> {
    pub(crate) limits: &'a Limits,
    pub(crate) stems: StemAllocator,
    pub(crate) emit: &'a mut dyn FnMut(Input) -> ControlFlow<()>,
    skipped: Skipped,
    own_outputs: &'a OwnOutputs,
}

impl Enumerator<'_> {
    /// Emit an input with a stem allocated from `base`.
    pub(crate) fn push(
        &mut self,
        display_path: String,
        stem_base: &str,
        format: InputFormat,
        content: Content,
        disk_bytes: u64,
    ) -> ControlFlow<()> {
        let stem = self.stems.allocate(stem_base);
        (self.emit)(Input {
            display_path,
            stem,
            format,
            content,
            disk_bytes,
        })
    }

    /// Emit a failed input.
    pub(crate) fn fail(
        &mut self,
        display: String,
        stem_base: &str,
        err: InputError,
    ) -> ControlFlow<()> {
        let format = format_of(&display);
        self.push(display, stem_base, format, Content::Failed(err), 0)
    }

    /// Count a path that is no input.
    pub(crate) fn skip(&mut self, display: String, reason: SkipReason) {
        self.skipped.add(display, reason);
    }

    fn path(&mut self, path: &Path) -> ControlFlow<()> {
        if path.as_os_str() == STDIN_PATH {
            return self.stdin();
        }
        let display = path.to_string_lossy().into_owned();
        match fs::metadata(path) {
            Ok(meta) if self.own_outputs.contains(&meta) => {
                self.skip(display, SkipReason::OwnOutput);
                ControlFlow::Continue(())
            }
            Ok(meta) if meta.is_dir() => self.dir(path),
            Ok(meta) if meta.is_file() => {
                let stem = stem_for_file(path);
                match ArchiveFormat::of_name(&display).or_else(|| sniff_archive(path)) {
                    Some(format) => {
                        archive::expand_file(self, path, display, &stem, format, meta.len())
                    }
                    None => self.file(path, display, &stem, meta.len()),
                }
            }
            Ok(_) => self.fail(
                display,
                &stem_for_file(path),
                InputError::NotAFile { path: path.into() },
            ),
            Err(err) => self.fail(display, &stem_for_file(path), InputError::io(path, err)),
        }
    }

    /// A regular file that is one input.
    fn file(&mut self, path: &Path, display: String, stem: &str, size: u64) -> ControlFlow<()> {
        let format = format_of(&display);
        self.push(
            display,
            stem,
            format,
            Content::File(path.to_path_buf()),
            size,
        )
    }

    fn dir(&mut self, root: &Path) -> ControlFlow<()> {
        let mut walker = walk(root);
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    self.walk_error(root, err)?;
                    continue;
                }
            };
            let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let display = root.join(relative).to_string_lossy().into_owned();
            if self.is_own_output(&entry) {
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                self.skip(display, SkipReason::OwnOutput);
                continue;
            }
            let kind = entry.file_type();
            if kind.is_dir() {
                continue;
            }
            if !kind.is_file() {
                self.skip(display, special_file_reason(kind));
            } else if !is_taken_name(entry.path()) {
                self.skip(display, SkipReason::UnknownType);
            } else {
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                let stem = stem_for_walked(relative);
                match ArchiveFormat::of_name(&display) {
                    Some(format) => {
                        archive::expand_file(self, entry.path(), display, &stem, format, size)?
                    }
                    None => self.file(entry.path(), display, &stem, size)?,
                }
            }
        }
        ControlFlow::Continue(())
    }

    /// Whether a walked entry is OUT_DIR or the NDJSON file (inode first, `stat` only then).
    fn is_own_output(&self, entry: &walkdir::DirEntry) -> bool {
        #[cfg(unix)]
        {
            use walkdir::DirEntryExt;
            if !self.own_outputs.may_contain(entry.ino()) {
                return false;
            }
        }
        entry
            .metadata()
            .is_ok_and(|m| self.own_outputs.contains(&m))
    }

    /// An entry the walk could not read (e.g. a subdirectory without permission).
    fn walk_error(&mut self, root: &Path, err: walkdir::Error) -> ControlFlow<()> {
        let path = err.path().unwrap_or(root).to_path_buf();
        let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let message = err.to_string();
        let io_err = err
            .into_io_error()
            .unwrap_or_else(|| io::Error::other(message));
        let input_err = InputError::io(&path, io_err);
        self.fail(
            path.to_string_lossy().into_owned(),
            &stem_for_walked(&relative),
            input_err,
        )
    }

    /// Standard input: an archive (by its first bytes) is expanded, anything else is one
    /// document.
    fn stdin(&mut self) -> ControlFlow<()> {
        let read = read_capped(
            io::stdin().lock(),
            Path::new(STDIN_PATH),
            self.limits.file_bytes_cap(),
            0,
        );
        let content = match read {
            Ok(bytes) => match ArchiveFormat::sniff(&bytes[..bytes.len().min(SNIFF_BYTES)]) {
                Some(format) => {
                    return archive::expand_bytes(
                        self,
                        STDIN_PATH.to_string(),
                        STDIN_STEM,
                        format,
                        bytes,
                    )
                }
                None => Content::Bytes(bytes),
            },
            Err(err) => Content::Failed(err),
        };
        self.push(
            STDIN_PATH.to_string(),
            STDIN_STEM,
            InputFormat::Text,
            content,
            0,
        )
    }
}

/// The files `paths` name, archives left whole: each path as given, a directory replaced by
/// the files its walk takes (same walk, order and paths as [`enumerate_inputs`]; an entry the
/// walk cannot read is listed too, to fail when enumerated). Enumerating the listed paths one
/// at a time yields the inputs `enumerate_inputs(paths)` yields, in the same order: a
/// distributed job lists on one machine and leaves reading and archives to its tasks.
pub fn list_files<P: AsRef<Path>>(paths: &[P]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        let path = path.as_ref();
        if path.as_os_str() == STDIN_PATH || !fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            files.push(path.to_path_buf());
            continue;
        }
        for entry in walk(path) {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_taken_name(entry.path()) => {
                    files.push(entry.into_path());
                }
                Ok(_) => {}
                Err(err) => files.push(err.path().unwrap_or(path).to_path_buf()),
            }
        }
    }
    files
}

/// A directory's walk: sorted by name, symlinks not followed, the root itself left out.
fn walk(root: &Path) -> walkdir::IntoIter {
    WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
}

/// Most bytes [`read_capped`] reserves up front from a size it was told (which may lie).
const MAX_RESERVE: u64 = 1 << 20;

/// Read all of `reader` unless it holds more than `limit` bytes; at most `limit + 1` bytes
/// are read, so a lying size header or a growing file is caught too. `expected` is the size
/// the caller believes the input has (0 if unknown): room for it is reserved (up to 1 MiB)
/// so that a file is read in one or two calls instead of a growing series.
pub(crate) fn read_capped(
    reader: impl Read,
    path: &Path,
    limit: u64,
    expected: u64,
) -> Result<Vec<u8>, InputError> {
    let reserve = expected.min(limit).min(MAX_RESERVE).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| InputError::io(path, err))?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// True for names walked directories and archives contribute: a format iki reads (text,
/// PDF, office, image; see [`InputFormat::from_name`]) or an archive.
pub fn is_taken_name(path: &Path) -> bool {
    let name = path.to_string_lossy();
    let file = name.rsplit(['/', '\\']).next().unwrap_or(&name);
    // A leading dot starts a hidden name, not an extension (`.md` is no Markdown file).
    let has_extension = file.rfind('.').is_some_and(|dot| dot > 0);
    has_extension
        && (ArchiveFormat::of_name(file).is_some() || InputFormat::from_name(file).is_some())
}

/// The archive format the first bytes of the file at `path` announce (a path named on the
/// command line: content decides, whatever the name says, but for office files, which are
/// zips themselves); `None` when they announce none or the file cannot be read (the worker
/// then reports the read error).
fn sniff_archive(path: &Path) -> Option<ArchiveFormat> {
    let by_name = InputFormat::from_name(&path.to_string_lossy());
    if matches!(
        by_name,
        Some(InputFormat::Docx | InputFormat::Odt | InputFormat::Xlsx | InputFormat::Ods)
    ) {
        return None;
    }
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    File::open(path)
        .and_then(|f| f.take(SNIFF_BYTES as u64).read_to_end(&mut head))
        .ok()?;
    ArchiveFormat::sniff(&head)
}

/// The skip reason of a directory entry that is neither a file nor a directory.
fn special_file_reason(kind: fs::FileType) -> SkipReason {
    if kind.is_symlink() {
        return SkipReason::Symlink;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return SkipReason::Fifo;
        }
        if kind.is_socket() {
            return SkipReason::Socket;
        }
        if kind.is_block_device() || kind.is_char_device() {
            return SkipReason::Device;
        }
    }
    SkipReason::UnsupportedEntry
}

/// The format a name announces; text when it announces none.
pub(crate) fn format_of(name: &str) -> InputFormat {
    InputFormat::from_name(name).unwrap_or(InputFormat::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, b"x").unwrap();
    }

    fn collect<P: AsRef<Path>>(paths: &[P]) -> Vec<Input> {
        collect_inputs(paths, &Limits::default()).0
    }

    #[test]
    fn walks_sorted_filters_extensions_and_names_stems() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "b.txt",
            "a.md",
            "a.TXT",
            "sub/c.pdf",
            "notes.csv",
            "sub/.md",
        ] {
            touch(&root.join(name));
        }
        let (inputs, skipped) = collect_inputs(&[root], &Limits::default());
        let skipped: Vec<(String, SkipReason)> = skipped
            .first
            .into_iter()
            .map(|s| (s.path, s.reason))
            .collect();
        let under = |name: &str| root.join(name).to_string_lossy().into_owned();
        assert_eq!(
            skipped,
            [
                (under("notes.csv"), SkipReason::UnknownType),
                (under("sub/.md"), SkipReason::UnknownType)
            ]
        );
        let rel: Vec<String> = inputs
            .iter()
            .map(|i| {
                Path::new(&i.display_path)
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(rel, ["a.TXT", "a.md", "b.txt", "sub/c.pdf"]);
        let stems: Vec<&str> = inputs.iter().map(|i| i.stem.as_str()).collect();
        assert_eq!(stems, ["a", "a-2", "b", "sub__c"]);
        assert_eq!(inputs[3].format, InputFormat::Pdf);
        assert!(matches!(inputs[0].content, Content::File(_)));
    }

    #[test]
    fn named_files_are_always_taken() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("notes.csv");
        touch(&csv);
        let inputs = collect(&[&csv]);
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0].format, InputFormat::Text);
        assert_eq!(inputs[0].stem, "notes");
    }

    #[test]
    fn missing_path_is_a_failed_input() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.txt");
        let inputs = collect(&[&missing]);
        assert_eq!(inputs.len(), 1);
        match &inputs[0].content {
            Content::Failed(err) => assert_eq!(err.code(), iki_model::ErrorCode::NotFound),
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn enumeration_stops_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..5 {
            touch(&dir.path().join(format!("{i}.txt")));
        }
        let mut seen = 0;
        let own = OwnOutputs::default();
        let (flow, _) = enumerate_inputs(&[dir.path()], &Limits::default(), &own, &mut |_| {
            seen += 1;
            if seen == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(flow, ControlFlow::Break(()));
        assert_eq!(seen, 2);
    }

    #[test]
    fn taken_names_table() {
        for (name, taken) in [
            ("a.TXT", true),
            ("dir.d/a", false),
            (".md", false),
            ("x.tar.gz", true),
            ("a\\b.Pdf", true),
            ("form.docx", true),
            ("scan.TIFF", true),
            ("page.html", true),
            ("notes.csv", false),
            ("README", false),
        ] {
            assert_eq!(is_taken_name(Path::new(name)), taken, "{name}");
        }
    }

    #[test]
    fn listed_files_enumerate_to_the_same_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in ["b.txt", "a.md", "sub/c.pdf", "sub/d.zip", "notes.csv"] {
            touch(&root.join(name));
        }
        let missing = root.join("missing.txt");
        let paths = [root.to_path_buf(), missing.clone()];
        let listed = list_files(&paths);
        let names: Vec<String> = listed
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        // The archive stays one file; the CSV is not taken from a walk.
        assert_eq!(
            names,
            ["a.md", "b.txt", "sub/c.pdf", "sub/d.zip", "missing.txt"]
        );
        let whole: Vec<(String, InputFormat)> = collect(&paths)
            .into_iter()
            .map(|i| (i.display_path, i.format))
            .collect();
        let one_by_one: Vec<(String, InputFormat)> = listed
            .iter()
            .flat_map(|p| collect(&[p]))
            .map(|i| (i.display_path, i.format))
            .collect();
        assert_eq!(whole, one_by_one);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_inside_directories_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        touch(&outside.path().join("secret.txt"));
        touch(&dir.path().join("real.txt"));
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            dir.path().join("file-link.txt"),
        )
        .unwrap();
        let (inputs, skipped) = collect_inputs(&[dir.path()], &Limits::default());
        let stems: Vec<&str> = inputs.iter().map(|i| i.stem.as_str()).collect();
        assert_eq!(stems, ["real"]);
        assert_eq!(skipped.count, 3, "the three symlinks: {skipped:?}");
        assert_eq!(skipped.by_reason[&SkipReason::Symlink], 3);
    }
}
