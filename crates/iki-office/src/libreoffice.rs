//! Legacy Word (`.doc`) through LibreOffice headless, converted to `.docx` and read like
//! any `.docx`. Nothing in Rust reads the binary Word format well, and LibreOffice does;
//! but a 1990s file can make it hang or crash, so each conversion runs as PDFs do: a child
//! process with a wall-time limit, an address-space limit, no core dumps, a profile
//! directory of its own (two conversions never share one) and its own process group, so
//! a timeout kills LibreOffice and every process it started.
//!
//! ```text
//! soffice --headless --norestore -env:UserInstallation=file://TMP/profile
//!         --convert-to docx --outdir TMP/out TMP/in/document.doc
//! ```

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::Duration;

use crate::error::OfficeError;

/// The Debian package that provides `soffice` for Word files.
pub const LIBREOFFICE_PACKAGE: &str = "libreoffice-writer-nogui";
/// Largest converted file read back.
const MAX_OUTPUT_BYTES: u64 = 64 << 20;

/// How LibreOffice is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibreOffice {
    /// The `soffice` program (found on `PATH` by default).
    pub program: PathBuf,
    /// Wall time before the conversion is killed (`office_timeout`).
    pub timeout: Duration,
    /// Address-space limit of LibreOffice in bytes; `None` for no limit.
    pub memory_bytes: Option<u64>,
}

impl Default for LibreOffice {
    fn default() -> LibreOffice {
        LibreOffice {
            program: PathBuf::from("soffice"),
            timeout: Duration::from_secs(120),
            memory_bytes: Some(4 << 30),
        }
    }
}

impl LibreOffice {
    /// Whether the program runs (`soffice --version`); the error says what to install.
    pub fn check(&self) -> Result<String, String> {
        let missing = |why: String| {
            format!(
                "{} cannot be run ({why}); install LibreOffice: apt-get install {LIBREOFFICE_PACKAGE}",
                self.program.display()
            )
        };
        let mut child = Command::new(&self.program)
            .arg("--version")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| missing(e.to_string()))?;
        let stdout = child.stdout.take();
        let reader = thread::spawn(move || read_tail(stdout));
        let status = iki_child::wait_with_deadline(&mut child, Duration::from_secs(60), false)
            .map_err(|e| missing(format!("{e:?}")))?;
        let version = reader.join().unwrap_or_default();
        if status.success() {
            Ok(version.trim().to_string())
        } else {
            Err(missing(format!(
                "`--version` {}",
                iki_child::describe(status)
            )))
        }
    }

    /// Convert a Word file (`.doc`, or anything LibreOffice opens as text) to `.docx`.
    pub fn convert_to_docx(&self, bytes: &[u8]) -> Result<Vec<u8>, OfficeError> {
        let internal = |what: &str, e: std::io::Error| {
            OfficeError::Unsupported(format!(
                "cannot prepare the LibreOffice conversion ({what}): {e}"
            ))
        };
        let dir = tempfile::Builder::new()
            .prefix("iki-office-")
            .tempdir()
            .map_err(|e| internal("temporary directory", e))?;
        let (input_dir, out_dir, profile) = (
            dir.path().join("in"),
            dir.path().join("out"),
            dir.path().join("profile"),
        );
        for d in [&input_dir, &out_dir, &profile] {
            std::fs::create_dir(d).map_err(|e| internal("directory", e))?;
        }
        let input = input_dir.join("document.doc");
        std::fs::write(&input, bytes).map_err(|e| internal("input file", e))?;
        let mut command = Command::new(&self.program);
        command
            .args(["--headless", "--invisible", "--norestore", "--nologo"])
            .args(["--nodefault", "--nolockcheck"])
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--convert-to", "docx", "--outdir"])
            .arg(&out_dir)
            .arg(&input)
            .env("HOME", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        iki_child::apply(
            &mut command,
            iki_child::Limits {
                memory_bytes: self.memory_bytes,
                cpu_seconds: self.timeout.as_secs().saturating_add(5),
                own_group: true,
            },
        );
        let mut child = command.spawn().map_err(|e| {
            OfficeError::Unsupported(format!(
                "cannot start {} ({e}); install LibreOffice: apt-get install {LIBREOFFICE_PACKAGE}",
                self.program.display()
            ))
        })?;
        let stderr = child.stderr.take();
        let tail = thread::spawn(move || read_tail(stderr));
        let status = iki_child::wait_with_deadline(&mut child, self.timeout, true);
        // Helpers LibreOffice started may outlive it; its group goes with it.
        iki_child::kill_group(&child);
        let tail = tail.join().unwrap_or_default();
        let status = status.map_err(|e| match e {
            iki_child::WaitError::TimedOut => OfficeError::Timeout(format!(
                "LibreOffice took longer than {} s to convert the file",
                self.timeout.as_secs_f64()
            )),
            iki_child::WaitError::Io(e) => {
                OfficeError::Unsupported(format!("cannot wait for LibreOffice: {e}"))
            }
        })?;
        read_output(&out_dir.join("document.docx"), status, &tail)
    }
}

/// The converted file, or what its absence means.
fn read_output(path: &Path, status: ExitStatus, stderr: &str) -> Result<Vec<u8>, OfficeError> {
    let last = iki_child::last_line(stderr);
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(_) => {
            return Err(OfficeError::Corrupt(format!(
                "LibreOffice could not convert the file (it {}){last}",
                iki_child::describe(status)
            )))
        }
    };
    let mut bytes = Vec::new();
    file.take(MAX_OUTPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| OfficeError::Corrupt(format!("cannot read LibreOffice's output: {e}")))?;
    if bytes.len() as u64 > MAX_OUTPUT_BYTES {
        return Err(OfficeError::TooLarge(format!(
            "LibreOffice's conversion is larger than {} MiB",
            MAX_OUTPUT_BYTES >> 20
        )));
    }
    Ok(bytes)
}

fn read_tail(stream: Option<impl Read>) -> String {
    let mut out = Vec::new();
    if let Some(stream) = stream {
        let _ = stream.take(1 << 20).read_to_end(&mut out);
    }
    let start = out.len().saturating_sub(16 << 10);
    String::from_utf8_lossy(&out[start..]).into_owned()
}
