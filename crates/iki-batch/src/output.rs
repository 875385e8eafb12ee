//! The single writer: per-input JSON files in `OUT_DIR` and/or one NDJSON stream.
//!
//! Only the writer touches the outputs, in input order, so the bytes do not depend on the
//! number of threads. Files in `OUT_DIR` appear atomically (temp file in the same
//! directory, then rename), so a reader never sees half a document.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::BatchError;
use crate::process::Rendered;
use crate::summary::BatchSummary;

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

struct NdjsonSink {
    target: String,
    writer: Box<dyn Write>,
}

/// The opened outputs of one run.
pub(crate) struct Sink {
    out_dir: Option<PathBuf>,
    ndjson: Option<NdjsonSink>,
}

impl Sink {
    /// Create `out_dir` (with parents) and open the NDJSON target.
    pub(crate) fn open(
        out_dir: Option<&Path>,
        ndjson: Option<&NdjsonTarget>,
    ) -> Result<Self, BatchError> {
        if let Some(dir) = out_dir {
            fs::create_dir_all(dir).map_err(|err| BatchError::CreateOutDir {
                path: dir.to_path_buf(),
                err,
            })?;
        }
        Ok(Sink {
            out_dir: out_dir.map(Path::to_path_buf),
            ndjson: ndjson.map(open_ndjson).transpose()?,
        })
    }

    /// Write one document's renderings.
    pub(crate) fn write(&mut self, stem: &str, rendered: &Rendered) -> Result<(), BatchError> {
        if let (Some(dir), Some(pretty)) = (&self.out_dir, &rendered.pretty) {
            write_atomically(&dir.join(format!("{stem}.json")), pretty)?;
        }
        if let (Some(sink), Some(line)) = (&mut self.ndjson, &rendered.compact) {
            write_line(sink, line)?;
        }
        Ok(())
    }

    /// Write `summary.json` (when there is an `OUT_DIR`) and flush the NDJSON stream.
    pub(crate) fn finish(mut self, summary: &BatchSummary) -> Result<(), BatchError> {
        if let Some(dir) = &self.out_dir {
            let json = serde_json::to_string_pretty(summary).map_err(BatchError::Summary)?;
            write_atomically(&dir.join("summary.json"), &json)?;
        }
        if let Some(sink) = &mut self.ndjson {
            sink.writer.flush().map_err(|err| BatchError::WriteNdjson {
                target: sink.target.clone(),
                err,
            })?;
        }
        Ok(())
    }
}

fn open_ndjson(target: &NdjsonTarget) -> Result<NdjsonSink, BatchError> {
    let writer: Box<dyn Write> = match target {
        NdjsonTarget::Stdout => Box::new(BufWriter::new(io::stdout().lock())),
        NdjsonTarget::File(path) => {
            let file = File::create(path).map_err(|err| BatchError::WriteFile {
                path: path.clone(),
                err,
            })?;
            Box::new(BufWriter::new(file))
        }
    };
    Ok(NdjsonSink {
        target: target.describe(),
        writer,
    })
}

fn write_line(sink: &mut NdjsonSink, line: &str) -> Result<(), BatchError> {
    sink.writer
        .write_all(line.as_bytes())
        .and_then(|()| sink.writer.write_all(b"\n"))
        .map_err(|err| BatchError::WriteNdjson {
            target: sink.target.clone(),
            err,
        })
}

/// Write `json` plus a final newline to `path` through a temp file in the same directory.
fn write_atomically(path: &Path, json: &str) -> Result<(), BatchError> {
    let wrap = |err: io::Error| BatchError::WriteFile {
        path: path.to_path_buf(),
        err,
    };
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".iki-tmp-")
        .suffix(".json")
        .tempfile_in(dir)
        .map_err(wrap)?;
    temp.write_all(json.as_bytes()).map_err(wrap)?;
    temp.write_all(b"\n").map_err(wrap)?;
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
        write_atomically(&target, "{}").unwrap();
        write_atomically(&target, "[1]").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "[1]\n");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.json"]);
    }
}
