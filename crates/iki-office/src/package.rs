//! The zip container of OOXML (`.docx`, `.xlsx`) and OpenDocument (`.odt`, `.ods`) files,
//! read with caps so that a zip bomb costs a bounded amount of time and memory.
//!
//! Every part is inflated through a counter: a part larger than [`MAX_PART_BYTES`], a
//! package larger than [`MAX_PACKAGE_BYTES`] in all, or a part that expands more than
//! [`MAX_RATIO`] times its compressed size (counted after its first MiB, so small parts
//! with repetitive XML pass) stops with [`OfficeError::TooLarge`]. The sizes a zip declares
//! are never trusted: the bytes that come out are counted.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use crate::error::OfficeError;

/// Largest part (one XML file) inflated.
pub const MAX_PART_BYTES: u64 = 64 << 20;
/// Largest sum of inflated parts of one package.
pub const MAX_PACKAGE_BYTES: u64 = 256 << 20;
/// Largest inflated / compressed ratio of one part, past its first MiB.
pub const MAX_RATIO: u64 = 200;
/// Most entries a package may list.
pub const MAX_ENTRIES: usize = 20_000;

/// An opened office package.
pub struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Bytes still allowed to be inflated from this package.
    budget: u64,
}

impl<'a> Package<'a> {
    /// Open the zip in `bytes`; `what` names the format in messages ("docx").
    pub fn open(bytes: &'a [u8], what: &str) -> Result<Package<'a>, OfficeError> {
        let zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| OfficeError::Corrupt(format!("not a readable {what} (zip): {e}")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(OfficeError::TooLarge(format!(
                "the {what} package lists {} entries (limit {MAX_ENTRIES})",
                zip.len()
            )));
        }
        Ok(Package {
            zip,
            budget: MAX_PACKAGE_BYTES,
        })
    }

    /// Whether the package holds a part named `name`.
    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// The part `name` as text (UTF-8, or UTF-16 with a byte-order mark), or `None` when
    /// the package has no such part.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, OfficeError> {
        let Some(bytes) = self.bytes(name)? else {
            return Ok(None);
        };
        decode_xml(bytes)
            .map(Some)
            .ok_or_else(|| OfficeError::Corrupt(format!("part {name} is not UTF-8 or UTF-16")))
    }

    /// The inflated bytes of part `name`, or `None` when the package has no such part.
    pub fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, OfficeError> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        self.inflate(index, true).map(Some)
    }

    /// Inflate every part into a counter: the whole package stays within the caps. Used
    /// before handing the package to a reader that inflates parts itself (calamine).
    pub fn check_all(&mut self) -> Result<(), OfficeError> {
        for index in 0..self.zip.len() {
            self.inflate(index, false)?;
        }
        Ok(())
    }

    /// Inflate entry `index` through the caps, keeping the bytes when `keep`.
    fn inflate(&mut self, index: usize, keep: bool) -> Result<Vec<u8>, OfficeError> {
        let mut file = self
            .zip
            .by_index(index)
            .map_err(|e| OfficeError::Corrupt(format!("cannot open a part of the package: {e}")))?;
        let name = file
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| format!("#{index}"));
        let compressed = file.compressed_size();
        let limit = MAX_PART_BYTES
            .min(self.budget)
            .min((1 << 20) + compressed.saturating_mul(MAX_RATIO));
        let mut out = Vec::new();
        let mut total: u64 = 0;
        let mut buf = vec![0u8; 64 << 10];
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    return Err(OfficeError::Corrupt(format!(
                        "part {name} cannot be inflated: {e}"
                    )))
                }
            };
            total += n as u64;
            if total > limit {
                return Err(OfficeError::TooLarge(too_large(
                    &name,
                    total,
                    compressed,
                    self.budget,
                )));
            }
            if keep {
                out.extend_from_slice(&buf[..n]);
            }
        }
        self.budget -= total;
        Ok(out)
    }
}

fn too_large(name: &str, total: u64, compressed: u64, budget: u64) -> String {
    if total > MAX_PART_BYTES {
        format!("part {name} inflates past {} MiB", MAX_PART_BYTES >> 20)
    } else if total > budget {
        format!("the package inflates past {} MiB", MAX_PACKAGE_BYTES >> 20)
    } else {
        format!(
            "part {name} inflates more than {MAX_RATIO} times its {compressed} compressed bytes (a zip bomb)"
        )
    }
}

/// XML bytes as text: UTF-8 (a BOM dropped) or UTF-16 with a BOM.
fn decode_xml(bytes: Vec<u8>) -> Option<String> {
    let utf16 = |be: bool, body: &[u8]| {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| {
                if be {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).ok()
    };
    match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).ok(),
        [0xFF, 0xFE, rest @ ..] => utf16(false, rest),
        [0xFE, 0xFF, rest @ ..] => utf16(true, rest),
        _ => String::from_utf8(bytes).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::zip_of;

    #[test]
    fn parts_are_read_and_missing_parts_are_none() {
        let bytes = zip_of(&[("word/document.xml", b"\xEF\xBB\xBF<w/>")]);
        let mut package = Package::open(&bytes, "docx").unwrap();
        assert_eq!(
            package.text("word/document.xml").unwrap().as_deref(),
            Some("<w/>")
        );
        assert_eq!(package.text("word/numbering.xml").unwrap(), None);
    }

    #[test]
    fn a_bomb_stops_at_the_ratio() {
        let body = vec![b' '; 40 << 20];
        let bytes = zip_of(&[("word/document.xml", &body)]);
        assert!(bytes.len() < 200 << 10, "{}", bytes.len());
        let mut package = Package::open(&bytes, "docx").unwrap();
        let err = package.text("word/document.xml").unwrap_err();
        assert!(matches!(err, OfficeError::TooLarge(_)), "{err:?}");
        assert!(err.message().contains("zip bomb"), "{err}");
    }

    #[test]
    fn not_a_zip_is_corrupt() {
        let err = Package::open(b"PK\x03\x04 truncated", "docx")
            .err()
            .unwrap();
        assert!(matches!(err, OfficeError::Corrupt(_)), "{err:?}");
    }
}
