//! Input collection: turn the PATH arguments into an ordered list of [`Input`]s.
//!
//! The list is fixed before any work starts, so every input has its place in the output
//! order, its display path and its output stem whatever the number of threads. A path that
//! cannot be used is still an input (with the reason), so that it shows up as a failed
//! document instead of disappearing.

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::InputError;
use crate::stem::{stem_for_file, stem_for_walked, StemAllocator};

/// Extensions taken from walked directories (compared case-insensitively).
const WALKED_EXTENSIONS: &[&str] = &["txt", "md", "pdf"];

/// One unit of work: a file to read, or a path that already failed.
#[derive(Debug)]
pub struct Input {
    /// The path as shown in the output (`source.path`): as given, or the walked root as
    /// given joined with the path relative to it.
    pub display_path: String,
    /// Where to read the file.
    pub fs_path: PathBuf,
    /// Unique, sanitised stem of `OUT_DIR/<stem>.json`.
    pub stem: String,
    pub kind: InputKind,
}

/// How an input is to be handled, decided from its path before reading it.
#[derive(Debug)]
#[non_exhaustive]
pub enum InputKind {
    /// A text dump (`.txt`, `.md`, or any file named explicitly).
    Text,
    /// A PDF file.
    Pdf,
    /// A `.zip`, `.tar`, `.tar.gz` or `.tgz` archive.
    Archive,
    /// The path could not be used at all (missing, unreadable directory ...).
    Unusable(InputError),
}

/// Collect the inputs named by `paths`, in argument order; directories are walked
/// recursively (symlinks not followed, entries sorted by name) and contribute their
/// `.txt`, `.md` and `.pdf` files. Stems are unique across the whole list.
pub fn collect_inputs<P: AsRef<Path>>(paths: &[P]) -> Vec<Input> {
    let mut stems = StemAllocator::default();
    let mut inputs = Vec::new();
    for path in paths {
        collect_path(path.as_ref(), &mut stems, &mut inputs);
    }
    inputs
}

fn collect_path(path: &Path, stems: &mut StemAllocator, out: &mut Vec<Input>) {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => collect_dir(path, stems, out),
        Ok(meta) if meta.is_file() => out.push(named_file(path, stems)),
        Ok(_) => out.push(unusable(
            path,
            stems,
            InputError::NotAFile { path: path.into() },
        )),
        Err(err) => out.push(unusable(path, stems, InputError::io(path, err))),
    }
}

/// A file named on the command line: always taken, whatever its extension.
fn named_file(path: &Path, stems: &mut StemAllocator) -> Input {
    Input {
        display_path: path.to_string_lossy().into_owned(),
        fs_path: path.to_path_buf(),
        stem: stems.allocate(&stem_for_file(path)),
        kind: kind_of(path),
    }
}

fn unusable(path: &Path, stems: &mut StemAllocator, err: InputError) -> Input {
    Input {
        display_path: path.to_string_lossy().into_owned(),
        fs_path: path.to_path_buf(),
        stem: stems.allocate(&stem_for_file(path)),
        kind: InputKind::Unusable(err),
    }
}

fn collect_dir(root: &Path, stems: &mut StemAllocator, out: &mut Vec<Input>) {
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1);
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() && is_walked_extension(entry.path()) => {
                out.push(walked_file(root, entry.path(), stems));
            }
            Ok(_) => {}
            Err(err) => out.push(walk_error(root, err, stems)),
        }
    }
}

fn walked_file(root: &Path, path: &Path, stems: &mut StemAllocator) -> Input {
    let relative = path.strip_prefix(root).unwrap_or(path);
    Input {
        display_path: root.join(relative).to_string_lossy().into_owned(),
        fs_path: path.to_path_buf(),
        stem: stems.allocate(&stem_for_walked(relative)),
        kind: kind_of(path),
    }
}

/// An entry the walk could not read (e.g. a subdirectory without permission).
fn walk_error(root: &Path, err: walkdir::Error, stems: &mut StemAllocator) -> Input {
    let path = err.path().unwrap_or(root).to_path_buf();
    let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
    let message = err.to_string();
    let io_err = err
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other(message));
    let input_err = InputError::io(&path, io_err);
    Input {
        display_path: path.to_string_lossy().into_owned(),
        stem: stems.allocate(&stem_for_walked(&relative)),
        fs_path: path,
        kind: InputKind::Unusable(input_err),
    }
}

fn is_walked_extension(path: &Path) -> bool {
    extension_lowercase(path).is_some_and(|ext| WALKED_EXTENSIONS.contains(&ext.as_str()))
}

fn kind_of(path: &Path) -> InputKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".pdf") {
        InputKind::Pdf
    } else if [".zip", ".tar", ".tar.gz", ".tgz"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        InputKind::Archive
    } else {
        InputKind::Text
    }
}

fn extension_lowercase(path: &Path) -> Option<String> {
    path.extension()
        .map(|ext| ext.to_string_lossy().to_ascii_lowercase())
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

    #[test]
    fn walks_sorted_filters_extensions_and_names_stems() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in ["b.txt", "a.md", "a.TXT", "sub/c.pdf", "notes.csv", "z.zip"] {
            touch(&root.join(name));
        }
        let inputs = collect_inputs(&[root]);
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
        assert!(matches!(inputs[3].kind, InputKind::Pdf));
    }

    #[test]
    fn named_files_are_always_taken() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("notes.csv");
        let zip = dir.path().join("forms.zip");
        touch(&csv);
        touch(&zip);
        let inputs = collect_inputs(&[&csv, &zip]);
        assert_eq!(inputs.len(), 2);
        assert!(matches!(inputs[0].kind, InputKind::Text));
        assert!(matches!(inputs[1].kind, InputKind::Archive));
        assert_eq!(inputs[1].stem, "forms");
    }

    #[test]
    fn missing_path_is_an_unusable_input() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.txt");
        let inputs = collect_inputs(&[&missing]);
        assert_eq!(inputs.len(), 1);
        match &inputs[0].kind {
            InputKind::Unusable(err) => assert_eq!(err.code(), "not_found"),
            other => panic!("expected unusable, got {other:?}"),
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
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            dir.path().join("file-link.txt"),
        )
        .unwrap();
        let inputs = collect_inputs(&[dir.path()]);
        let stems: Vec<&str> = inputs.iter().map(|i| i.stem.as_str()).collect();
        assert_eq!(stems, ["real"]);
    }
}
