//! Streaming a generated corpus to a directory, a `.tar.gz` or a `.zip` until it reaches a
//! size, one document in memory at a time.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::render::Generator;

/// Where the corpus goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    Dir,
    TarGz,
    Zip,
}

impl OutputKind {
    /// From the output path: `.tar.gz`/`.tgz`, `.zip`, anything else a directory.
    pub fn of_path(path: &Path) -> Self {
        let name = path.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            OutputKind::TarGz
        } else if name.ends_with(".zip") {
            OutputKind::Zip
        } else {
            OutputKind::Dir
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub files: u64,
    pub bytes: u64,
}

/// Write documents from `seed` to `out` until their text adds up to `bytes` (or `max_files`).
pub fn write_corpus(
    out: &Path,
    seed: u64,
    bytes: u64,
    max_files: Option<u64>,
) -> io::Result<WriteStats> {
    let mut generator = Generator::new(seed);
    let mut sink = Sink::create(out)?;
    let mut stats = WriteStats::default();
    while stats.bytes < bytes && max_files.is_none_or(|max| stats.files < max) {
        let doc = generator.document();
        sink.add(&doc.name, doc.text.as_bytes())?;
        stats.files += 1;
        stats.bytes += doc.text.len() as u64;
    }
    sink.finish()?;
    Ok(stats)
}

enum Sink {
    Dir(std::path::PathBuf),
    TarGz(Box<tar::Builder<flate2::write::GzEncoder<BufWriter<File>>>>),
    Zip(Box<zip::ZipWriter<BufWriter<File>>>),
}

impl Sink {
    fn create(out: &Path) -> io::Result<Self> {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        Ok(match OutputKind::of_path(out) {
            OutputKind::Dir => {
                fs::create_dir_all(out)?;
                Sink::Dir(out.to_path_buf())
            }
            OutputKind::TarGz => {
                let file = BufWriter::new(File::create(out)?);
                let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
                Sink::TarGz(Box::new(tar::Builder::new(gz)))
            }
            OutputKind::Zip => {
                let file = BufWriter::new(File::create(out)?);
                Sink::Zip(Box::new(zip::ZipWriter::new(file)))
            }
        })
    }

    fn add(&mut self, name: &str, data: &[u8]) -> io::Result<()> {
        match self {
            Sink::Dir(root) => {
                let path = root.join(name);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(path, data)
            }
            Sink::TarGz(builder) => {
                let mut header = tar::Header::new_gnu();
                header.set_size(data.len() as u64);
                header.set_mode(0o644);
                header.set_mtime(1_700_000_000);
                header.set_cksum();
                builder.append_data(&mut header, name, data)
            }
            Sink::Zip(writer) => {
                let options = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .last_modified_time(zip::DateTime::default());
                writer.start_file(name, options).map_err(io::Error::other)?;
                writer.write_all(data)
            }
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Dir(_) => Ok(()),
            Sink::TarGz(builder) => builder.into_inner()?.finish()?.flush(),
            Sink::Zip(writer) => writer.finish().map_err(io::Error::other)?.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_until_the_size_in_every_kind() {
        let tmp = tempfile::tempdir().unwrap();
        for name in ["dir", "c.tar.gz", "c.zip"] {
            let out = tmp.path().join(name);
            let stats = write_corpus(&out, 3, 200_000, None).unwrap();
            assert!(
                stats.bytes >= 200_000 && stats.files > 3,
                "{name}: {stats:?}"
            );
            assert!(out.exists());
        }
        let again = tmp.path().join("again");
        write_corpus(&again, 3, 200_000, None).unwrap();
        let first = fs::read_dir(tmp.path().join("dir/")).unwrap().count();
        assert_eq!(first, fs::read_dir(&again).unwrap().count());
    }
}
