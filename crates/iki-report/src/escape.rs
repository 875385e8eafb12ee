//! Escaping for the three places document text goes: HTML text and attributes, JSON inside a
//! `<script type="application/json">` block, and the base64 of the Content-Security-Policy hash.
//!
//! Source texts and extracted values are hostile input (`</script>`, `<img onerror>`, `<!--`):
//! server-rendered text goes through [`html`]; data blocks go through [`script_json`], which
//! leaves no `<`, `>` or `&` in the block at all, so nothing in it can end the block or open a
//! comment. The page script then only ever puts text into the DOM as `textContent`.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// `text` safe as HTML text and as a quoted attribute value.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `value` as compact JSON that can stand inside a `<script>` element: `<`, `>`, `&` and the
/// JavaScript line terminators U+2028 / U+2029 become `\uXXXX` escapes. They can only occur
/// inside JSON strings, where the escape means the same character, so `JSON.parse` gives back
/// exactly `value`.
pub fn script_json<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    Ok(escape_json_text(&serde_json::to_string(value)?))
}

/// The escaping of [`script_json`] on already serialized JSON.
pub fn escape_json_text(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

/// The CSP source expression allowing exactly this inline script: `'sha256-BASE64'`.
pub fn csp_hash(script: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(script.as_bytes())))
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &[&str] = &[
        "</script><script>alert(1)</script>",
        "</SCRIPT >",
        "<!--<script>",
        "<img src=http://127.0.0.1:9/x onerror=alert(1)>",
        "a & b \"quoted\" 'single'",
        "line\u{2028}separator\u{2029}paragraph",
        "]]> <![CDATA[ \\u003c already escaped",
        "\u{0}\u{1f} control, emoji 🙂, Indonesian: Sekretaris Kecamatan",
    ];

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#"<a href="x" title='y'>&amp;</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
        assert_eq!(html("plain text, ünïcode"), "plain text, ünïcode");
        for text in HOSTILE {
            let escaped = html(text);
            assert!(
                !escaped.contains('<') && !escaped.contains('>'),
                "{escaped}"
            );
            assert!(
                !escaped.contains('"') && !escaped.contains('\''),
                "{escaped}"
            );
        }
    }

    #[test]
    fn script_json_cannot_end_the_block_and_round_trips() {
        for text in HOSTILE {
            let value = serde_json::json!({ "text": text, "list": [text, 1, null] });
            let escaped = script_json(&value).unwrap();
            for bad in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
                assert!(!escaped.contains(bad), "{bad:?} left in {escaped}");
            }
            let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
            assert_eq!(back, value);
        }
    }

    #[test]
    fn script_json_keeps_plain_json_unchanged() {
        let value = serde_json::json!({ "a": [1, 2.5, true], "b": "Lumajang, 02 Februari 2023" });
        assert_eq!(script_json(&value).unwrap(), value.to_string());
    }

    #[test]
    fn base64_known_answers() {
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64(input), expected);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn csp_hash_of_empty_script() {
        // `echo -n "" | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            csp_hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }
}
