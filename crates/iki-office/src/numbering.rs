//! List labels as a word processor draws them: the number formats both `.docx` and `.odt`
//! name (`decimal` / `1`, `lowerLetter` / `a`, roman numerals) and bullets.
//!
//! The labels are not in the file's text: a list paragraph says only "item 3 of list 7",
//! and the label (`3.`, `c)`, a bullet) is computed from the list's definition. The parser
//! reads lists by their labels, so the readers write them back in front of the text; a
//! bullet becomes `-`, the bullet the parser knows.

/// How a list level writes its counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumFormat {
    Decimal,
    /// `01`, `02`, ...
    DecimalZero,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Bullet,
    /// No label at all.
    None,
}

impl NumFormat {
    /// A WordprocessingML `w:numFmt` value; unknown ones count in decimal.
    pub fn from_word(value: &str) -> NumFormat {
        match value {
            "decimalZero" => NumFormat::DecimalZero,
            "lowerLetter" => NumFormat::LowerLetter,
            "upperLetter" => NumFormat::UpperLetter,
            "lowerRoman" => NumFormat::LowerRoman,
            "upperRoman" => NumFormat::UpperRoman,
            "bullet" => NumFormat::Bullet,
            "none" => NumFormat::None,
            _ => NumFormat::Decimal,
        }
    }

    /// An OpenDocument `style:num-format` value (`1`, `a`, `A`, `i`, `I`, empty).
    pub fn from_odf(value: &str) -> NumFormat {
        match value {
            "" => NumFormat::None,
            "a" => NumFormat::LowerLetter,
            "A" => NumFormat::UpperLetter,
            "i" => NumFormat::LowerRoman,
            "I" => NumFormat::UpperRoman,
            _ => NumFormat::Decimal,
        }
    }

    /// Counter `n` (1-based) in this format.
    pub fn format(self, n: u32) -> String {
        match self {
            NumFormat::Decimal => n.to_string(),
            NumFormat::DecimalZero => format!("{n:02}"),
            NumFormat::LowerLetter => letters(n),
            NumFormat::UpperLetter => letters(n).to_uppercase(),
            NumFormat::LowerRoman => roman(n),
            NumFormat::UpperRoman => roman(n).to_uppercase(),
            NumFormat::Bullet => "-".to_string(),
            NumFormat::None => String::new(),
        }
    }
}

/// `a`..`z`, then `aa`, `bb`, ... as word processors count past `z`.
fn letters(n: u32) -> String {
    if n == 0 {
        return "0".to_string();
    }
    let letter = char::from(b'a' + ((n - 1) % 26) as u8);
    let times = ((n - 1) / 26 + 1).min(16) as usize;
    std::iter::repeat_n(letter, times).collect()
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const PARTS: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, text) in PARTS {
        while n >= value {
            out.push_str(text);
            n -= value;
        }
    }
    out
}

/// A label in front of a paragraph's text: `"3."` + `"text"` → `"3. text"`.
pub fn labelled(label: &str, text: &str) -> String {
    let label = label.trim();
    if label.is_empty() {
        text.to_string()
    } else {
        format!("{label} {}", text.trim_start())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(NumFormat::Decimal.format(12), "12");
        assert_eq!(NumFormat::LowerLetter.format(1), "a");
        assert_eq!(NumFormat::LowerLetter.format(26), "z");
        assert_eq!(NumFormat::LowerLetter.format(27), "aa");
        assert_eq!(NumFormat::UpperRoman.format(14), "XIV");
        assert_eq!(NumFormat::from_odf("a").format(3), "c");
        assert_eq!(NumFormat::from_word("bullet").format(3), "-");
        assert_eq!(labelled("b.", " teks"), "b. teks");
        assert_eq!(labelled("", "teks"), "teks");
    }
}
