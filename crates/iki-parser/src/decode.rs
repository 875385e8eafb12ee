//! Bytes to text, once, at the edge: UTF-8 (with or without BOM), else windows-1252.
//!
//! Binary input (NUL bytes or mostly control characters) and empty input are refused here
//! with a stable error code, so nothing downstream ever sees them.

use encoding_rs::WINDOWS_1252;
use iki_model::ErrorCode;

/// Text decoded from an input file and the encoding it was read with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Why bytes could not be turned into text worth parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    Binary,
}

impl DecodeError {
    pub fn code(self) -> ErrorCode {
        match self {
            DecodeError::Empty => ErrorCode::EmptyFile,
            DecodeError::Binary => ErrorCode::BinaryFile,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            DecodeError::Empty => "the file is empty or holds only whitespace",
            DecodeError::Binary => "the file is binary, not text (NUL or control bytes)",
        }
    }
}

/// Decode `bytes`: UTF-8 (a BOM is dropped) when valid, windows-1252 otherwise.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    let (body, had_bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let decoded = match std::str::from_utf8(body) {
        Ok(text) => Decoded {
            text: text.to_string(),
            encoding: if had_bom { "utf-8-bom" } else { "utf-8" },
        },
        Err(_) => {
            let (text, _, _) = WINDOWS_1252.decode(body);
            Decoded {
                text: text.into_owned(),
                encoding: "windows-1252",
            }
        }
    };
    if decoded.text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(decoded)
}

/// NUL bytes anywhere in the first 64 KiB, or more than 10% control bytes there.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    control * 10 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        assert_eq!(decode(b"").unwrap_err(), DecodeError::Empty);
        assert_eq!(decode(b" \n\t ").unwrap_err(), DecodeError::Empty);
        assert_eq!(decode(b"ab\0cd").unwrap_err(), DecodeError::Binary);
        assert_eq!(
            decode(b"\x01\x02\x03\x04abc").unwrap_err(),
            DecodeError::Binary
        );
        let d = decode(b"\xEF\xBB\xBFJabatan").unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Jabatan", "utf-8-bom"));
        let d = decode(b"Caf\xe9 \x96 x").unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("Caf\u{e9} \u{2013} x", "windows-1252")
        );
        assert_eq!(decode("Rp 1.000 ÷ 2".as_bytes()).unwrap().encoding, "utf-8");
    }
}
