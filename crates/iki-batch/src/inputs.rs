//! Input enumeration: turn the PATH arguments into a stream of [`Input`]s, in a fixed order.
//!
//! The order (arguments in order, directories walked sorted by name without following
//! symlinks, archive entries in stored order) and every output stem are decided here, on one
//! thread, before any worker sees the input; so the output does not depend on the number of
//! threads. Enumeration is lazy: a directory or archive yields its inputs one at a time and
//! the caller can stop it, so nothing is listed or unpacked ahead of the workers. A path that
//! cannot be used is still an input (carrying the reason) so that it shows up as a failed
//! document instead of disappearing.

use std::fs;
use std::io::{self, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use iki_model::InputFormat;
use walkdir::WalkDir;

use crate::archive::{self, ArchiveFormat};
use crate::error::InputError;
use crate::stem::{stem_for_file, stem_for_walked, StemAllocator};
use crate::Limits;

/// Extensions of text and PDF inputs taken from walked directories and archives (compared
/// case-insensitively); archives (`.zip`, `.tar`, `.tar.gz`, `.tgz`) are taken too.
const TAKEN_EXTENSIONS: &[&str] = &["txt", "md", "pdf"];

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

/// Collect every input named by `paths` into a list (tests and small runs; the batch driver
/// streams them with [`enumerate_inputs`]).
pub fn collect_inputs<P: AsRef<Path>>(paths: &[P], limits: &Limits) -> Vec<Input> {
    let mut out = Vec::new();
    let _ = enumerate_inputs(paths, limits, &mut |input| {
        out.push(input);
        ControlFlow::Continue(())
    });
    out
}

/// Hand every input named by `paths` to `emit`, in output order, until `emit` breaks.
///
/// Files named on the command line are always taken; directories contribute their `.txt`,
/// `.md`, `.pdf` and archive files; archives contribute their entries (see [`archive`]);
/// `-` is one document read from standard input.
pub fn enumerate_inputs<P: AsRef<Path>>(
    paths: &[P],
    limits: &Limits,
    emit: &mut dyn FnMut(Input) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut walker = Enumerator {
        limits,
        stems: StemAllocator::default(),
        emit,
    };
    for path in paths {
        walker.path(path.as_ref())?;
    }
    ControlFlow::Continue(())
}

/// The state of one enumeration: limits, the stems handed out so far and the consumer.
pub(crate) struct Enumerator<'a> {
    pub(crate) limits: &'a Limits,
    pub(crate) stems: StemAllocator,
    pub(crate) emit: &'a mut dyn FnMut(Input) -> ControlFlow<()>,
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

    fn path(&mut self, path: &Path) -> ControlFlow<()> {
        if path.as_os_str() == STDIN_PATH {
            return self.stdin();
        }
        let display = path.to_string_lossy().into_owned();
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => self.dir(path),
            Ok(meta) if meta.is_file() => {
                self.file(path, display, &stem_for_file(path), meta.len())
            }
            Ok(_) => self.fail(
                display,
                &stem_for_file(path),
                InputError::NotAFile { path: path.into() },
            ),
            Err(err) => self.fail(display, &stem_for_file(path), InputError::io(path, err)),
        }
    }

    /// A regular file: an archive is opened and expanded, anything else is one input.
    fn file(&mut self, path: &Path, display: String, stem: &str, size: u64) -> ControlFlow<()> {
        match ArchiveFormat::of_name(&display) {
            Some(format) => archive::expand_file(self, path, display, stem, format, size),
            None => {
                let format = format_of(&display);
                self.push(
                    display,
                    stem,
                    format,
                    Content::File(path.to_path_buf()),
                    size,
                )
            }
        }
    }

    fn dir(&mut self, root: &Path) -> ControlFlow<()> {
        let walker = WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .min_depth(1);
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_taken_name(entry.path()) => {
                    let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                    let display = root.join(relative).to_string_lossy().into_owned();
                    let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                    self.file(entry.path(), display, &stem_for_walked(relative), size)?;
                }
                Ok(_) => {}
                Err(err) => self.walk_error(root, err)?,
            }
        }
        ControlFlow::Continue(())
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

    fn stdin(&mut self) -> ControlFlow<()> {
        let content = match read_capped(
            io::stdin().lock(),
            Path::new(STDIN_PATH),
            self.limits.max_file_bytes,
            0,
        ) {
            Ok(bytes) => Content::Bytes(bytes),
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

/// True for names walked directories and archives contribute.
pub(crate) fn is_taken_name(path: &Path) -> bool {
    let name = path.to_string_lossy();
    ArchiveFormat::of_name(&name).is_some()
        || extension_lowercase(&name).is_some_and(|ext| TAKEN_EXTENSIONS.contains(&ext.as_str()))
}

/// The format a name announces; text when it announces none.
pub(crate) fn format_of(name: &str) -> InputFormat {
    InputFormat::from_name(name).unwrap_or(InputFormat::Text)
}

fn extension_lowercase(name: &str) -> Option<String> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let dot = file.rfind('.').filter(|&i| i > 0)?;
    Some(file[dot + 1..].to_ascii_lowercase())
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
        collect_inputs(paths, &Limits::default())
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
        let inputs = collect(&[root]);
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
        let flow = enumerate_inputs(&[dir.path()], &Limits::default(), &mut |_| {
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
    fn extension_table() {
        for (name, want) in [
            ("a.TXT", Some("txt")),
            ("dir.d/a", None),
            (".md", None),
            ("x.tar.gz", Some("gz")),
            ("a\\b.Pdf", Some("pdf")),
        ] {
            assert_eq!(extension_lowercase(name).as_deref(), want, "{name}");
        }
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
        let inputs = collect(&[dir.path()]);
        let stems: Vec<&str> = inputs.iter().map(|i| i.stem.as_str()).collect();
        assert_eq!(stems, ["real"]);
    }
}
