//! Family 7 at the byte edge: no-break spaces sprinkled over the text, line ends, and the
//! encoding (UTF-8, UTF-8 with BOM, windows-1252). A text windows-1252 cannot hold is written
//! as UTF-8 instead, so the gold answer never has to change for it.

use encoding_rs::WINDOWS_1252;

use crate::rng::Dice;
use crate::style::{Encoding, Marks};

/// No-break spaces: always before a label's colon, and in place of about one space in ten.
/// (Gold text collapses whitespace, NBSP included, so the answer is unchanged.)
pub(crate) fn sprinkle_nbsp(text: &str, dice: &mut Dice) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let before_colon = chars.get(i + 1) == Some(&':');
        if *c == ' ' && (before_colon || dice.chance(0.1)) {
            out.push('\u{a0}');
        } else {
            out.push(*c);
        }
    }
    out
}

/// The text as bytes in the marks' encoding and line ends, and the encoding's name as used.
pub(crate) fn encode(text: &str, marks: &Marks) -> (Vec<u8>, &'static str) {
    let text = if marks.crlf {
        text.replace('\n', "\r\n")
    } else {
        text.to_string()
    };
    match marks.encoding {
        Encoding::Utf8 => (text.into_bytes(), "utf-8"),
        Encoding::Utf8Bom => (bom(text), "utf-8-bom"),
        Encoding::Windows1252 => {
            let (bytes, _, unmappable) = WINDOWS_1252.encode(&text);
            if unmappable {
                (bom(text), "utf-8-bom (windows-1252 cannot hold the text)")
            } else {
                (bytes.into_owned(), "windows-1252")
            }
        }
    }
}

fn bom(text: String) -> Vec<u8> {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(text.into_bytes());
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(encoding: Encoding, crlf: bool) -> Marks {
        Marks {
            bullet: "-",
            math: false,
            nbsp: false,
            encoding,
            crlf,
        }
    }

    #[test]
    fn windows_1252_bytes_and_fallback() {
        let (bytes, name) = encode("A ÷ B × 100\u{a0}%\n", &marks(Encoding::Windows1252, true));
        assert_eq!(name, "windows-1252");
        assert_eq!(bytes, b"A \xF7 B \xD7 100\xA0%\r\n");
        let (bytes, name) = encode("\u{F0B7} x\n", &marks(Encoding::Windows1252, false));
        assert!(name.starts_with("utf-8-bom"));
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    }

    #[test]
    fn nbsp_before_colons() {
        let mut dice = Dice::new(crate::family::Family::Encoding, 0);
        let out = sprinkle_nbsp("Jabatan : Camat", &mut dice);
        assert!(out.starts_with("Jabatan\u{a0}:"));
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>().join(" "),
            "Jabatan : Camat"
        );
    }
}
