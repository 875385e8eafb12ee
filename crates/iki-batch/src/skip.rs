//! What a run passed over on purpose: files in walked directories and archive entries that are
//! no input iki reads. Each is a counted, listed skip in the summary (`skipped`), never a
//! silent loss: together with the documents they account for everything under the inputs.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// At most this many skips are listed by path; all are counted.
pub const MAX_LISTED_SKIPS: usize = 100;

/// Why a file or archive entry was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A name that announces no format iki reads (no extension, or an unknown one).
    UnknownType,
    /// A symbolic link (never followed inside directories and archives).
    Symlink,
    /// A named pipe.
    Fifo,
    /// A Unix domain socket.
    Socket,
    /// A block or character device.
    Device,
    /// A tar hard link whose target is not an earlier member of the archive.
    HardLinkTargetMissing,
    /// An archive member of another kind (a tar volume label, a multi-volume continuation).
    UnsupportedEntry,
    /// The run's own output (OUT_DIR or the NDJSON file) found under an input directory.
    OwnOutput,
}

impl SkipReason {
    /// The spelling in the summary, e.g. `"unknown_type"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::UnknownType => "unknown_type",
            SkipReason::Symlink => "symlink",
            SkipReason::Fifo => "fifo",
            SkipReason::Socket => "socket",
            SkipReason::Device => "device",
            SkipReason::HardLinkTargetMissing => "hard_link_target_missing",
            SkipReason::UnsupportedEntry => "unsupported_entry",
            SkipReason::OwnOutput => "own_output",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One skipped path: a file path, or `ARCHIVE!/ENTRY`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skip {
    pub path: String,
    pub reason: SkipReason,
}

/// The skips of a run: all counted by reason, the first [`MAX_LISTED_SKIPS`] listed in the
/// order met (the input order), so memory stays small however many there are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub count: usize,
    pub by_reason: BTreeMap<SkipReason, usize>,
    pub first: Vec<Skip>,
}

impl Skipped {
    pub fn add(&mut self, path: String, reason: SkipReason) {
        self.count += 1;
        *self.by_reason.entry(reason).or_default() += 1;
        if self.first.len() < MAX_LISTED_SKIPS {
            self.first.push(Skip { path, reason });
        }
    }
}

/// "0 skipped", or "3 skipped (2 unknown_type, 1 symlink)".
impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} skipped", self.count)?;
        if self.count > 0 {
            let mut reasons: Vec<(&SkipReason, &usize)> = self.by_reason.iter().collect();
            reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
            write!(f, " ({})", parts.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_skip_and_lists_the_first() {
        let mut skipped = Skipped::default();
        for i in 0..MAX_LISTED_SKIPS + 5 {
            skipped.add(format!("{i}.csv"), SkipReason::UnknownType);
        }
        skipped.add("link".to_string(), SkipReason::Symlink);
        assert_eq!(skipped.count, MAX_LISTED_SKIPS + 6);
        assert_eq!(skipped.first.len(), MAX_LISTED_SKIPS);
        assert_eq!(skipped.first[0].path, "0.csv");
        assert_eq!(skipped.by_reason[&SkipReason::Symlink], 1);
        assert_eq!(
            skipped.to_string(),
            "106 skipped (105 unknown_type, 1 symlink)"
        );
        assert_eq!(Skipped::default().to_string(), "0 skipped");
        let json = serde_json::to_value(&skipped).unwrap();
        assert_eq!(json["by_reason"]["unknown_type"], 105);
        assert_eq!(json["first"][0]["reason"], "unknown_type");
    }
}
