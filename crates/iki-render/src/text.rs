//! Small text helpers: word wrap, padding, Indonesian dates, spaced NIPs, roman numerals and
//! the ÷ / × rewriting of formulas.

/// Indonesian month names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// Greedy word wrap to `width` characters; a word longer than `width` gets a line of its own
/// (words are never broken, so joining the lines with one space gives the text back).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let fits = current.is_empty() || chars(&current) + 1 + chars(word) <= width;
        if !fits {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Length in characters.
pub(crate) fn chars(s: &str) -> usize {
    s.chars().count()
}

/// The longest word of `text`, in characters.
pub(crate) fn longest_word(text: &str) -> usize {
    text.split_whitespace().map(chars).max().unwrap_or(0)
}

/// `s` padded with spaces to `width` characters.
pub(crate) fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(chars(s))));
    out
}

/// (day, month 1–12, year) of an ISO date "2023-02-02".
pub(crate) fn iso_parts(iso: &str) -> Option<(u32, usize, i32)> {
    let mut parts = iso.split('-');
    let year = parts.next()?.parse().ok()?;
    let month: usize = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    (1..=12).contains(&month).then_some((day, month, year))
}

/// The day as printed: "02" or "2".
pub(crate) fn day_text(day: u32, two_digits: bool) -> String {
    if two_digits {
        format!("{day:02}")
    } else {
        day.to_string()
    }
}

/// A NIP written the usual way: "19690303 199303 1 009" (birth date, appointment, gender,
/// serial); anything that is not 18 digits is returned unchanged.
pub(crate) fn spaced_nip(nip: &str) -> String {
    if nip.len() != 18 || !nip.bytes().all(|b| b.is_ascii_digit()) {
        return nip.to_string();
    }
    format!(
        "{} {} {} {}",
        &nip[..8],
        &nip[8..14],
        &nip[14..15],
        &nip[15..]
    )
}

/// Roman numeral of 1–39 (field numbering "I.", "II.", ...).
pub(crate) fn roman(n: usize) -> String {
    let mut out = "X".repeat(n / 10);
    let ones = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    out.push_str(ones[n % 10]);
    out
}

/// The formula text with its operators printed as math symbols: "dibagi" → "÷", a lone
/// "x" / "X" / "*" / "dikali" before a number → "×". Whitespace is kept as it is.
pub(crate) fn math_symbols(rumus: &str) -> String {
    let words: Vec<String> = rumus.split(' ').map(math_word).collect();
    words.join(" ")
}

fn math_word(word: &str) -> String {
    match word {
        "dibagi" | "Dibagi" => return "÷".to_string(),
        "dikali" | "Dikali" | "x" | "X" | "*" => return "×".to_string(),
        _ => {}
    }
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    for (i, c) in chars.iter().enumerate() {
        let after_paren = i > 0 && chars[i - 1] == ')';
        let before_number = chars.get(i + 1).is_none_or(|n| n.is_ascii_digit());
        if matches!(c, 'x' | 'X' | '*') && after_paren && before_number {
            out.push('×');
        } else {
            out.push(*c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_and_joins_back() {
        let text = "Jumlah fasilitasi dokumen perencanaan yang terpenuhi/Jumlah dokumen";
        for width in [1, 5, 12, 30, 200] {
            let lines = wrap(text, width);
            assert_eq!(lines.join(" "), text);
            for line in &lines {
                assert!(chars(line) <= width.max(longest_word(text)));
            }
        }
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn dates_nips_and_numerals() {
        assert_eq!(iso_parts("2023-02-02"), Some((2, 2, 2023)));
        assert_eq!(iso_parts("2023-13-02"), None);
        assert_eq!(day_text(2, true), "02");
        assert_eq!(day_text(2, false), "2");
        assert_eq!(spaced_nip("196903031993031009"), "19690303 199303 1 009");
        assert_eq!(spaced_nip("12345"), "12345");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(14), "XIV");
    }

    #[test]
    fn math_symbols_rewrite_operators_only() {
        assert_eq!(
            math_symbols("Jumlah A dibagi Jumlah B x 100%"),
            "Jumlah A ÷ Jumlah B × 100%"
        );
        assert_eq!(math_symbols("(A/B)*100%"), "(A/B)×100%");
        assert_eq!(math_symbols("(A dibagi B)x 100 %"), "(A ÷ B)× 100 %");
        assert_eq!(math_symbols("A dikali 100"), "A × 100");
        assert_eq!(math_symbols("Jumlah xenon box"), "Jumlah xenon box");
    }
}
