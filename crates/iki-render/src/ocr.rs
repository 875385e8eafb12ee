//! Family 8: OCR slips a careful reader still undoes. Only generic words (title, labels,
//! column names, "Mengetahui", "Plt.", "NIP"), month names and NIP digits slip; headings, cell
//! texts and names never do, so the gold answer stays as it is.

use crate::rng::Dice;

/// Letter confusions of OCR engines: (printed, read).
const CONFUSIONS: [(char, &str); 14] = [
    ('I', "l"),
    ('i', "l"),
    ('l', "I"),
    ('O', "0"),
    ('o', "0"),
    ('m', "rn"),
    ('e', "c"),
    ('t', "l"),
    ('h', "b"),
    ('u', "n"),
    ('a', "o"),
    ('S', "5"),
    ('B', "8"),
    ('G', "C"),
];

/// NIP digit confusions: (digit, what OCR read).
const NIP_CONFUSIONS: [(char, &[&str]); 4] = [
    ('0', &["O", "o"]),
    ('1', &["l", "I"]),
    ('5', &["S"]),
    ('8', &["B"]),
];

/// One slip in a word of at least four letters: a confused letter, a dropped letter, a split
/// or a doubled letter. Shorter words are returned unchanged.
pub(crate) fn slip_word(word: &str, dice: &mut Dice) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 || !chars.iter().all(|c| c.is_alphabetic()) {
        return word.to_string();
    }
    match dice.between(0, 3) {
        0 => confuse(&chars, dice).unwrap_or_else(|| drop_letter(&chars, dice)),
        1 => drop_letter(&chars, dice),
        2 => split(&chars, dice),
        _ => double(&chars, dice),
    }
}

fn confuse(chars: &[char], dice: &mut Dice) -> Option<String> {
    let spots: Vec<(usize, &str)> = chars
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            CONFUSIONS
                .iter()
                .find(|(from, _)| from == c)
                .map(|(_, to)| (i, *to))
        })
        .collect();
    if spots.is_empty() {
        return None;
    }
    let (at, to) = *dice.pick(&spots);
    Some(replace_at(chars, at, to))
}

/// Drops a letter that is neither the first nor the last.
fn drop_letter(chars: &[char], dice: &mut Dice) -> String {
    let at = dice.between(1, chars.len() - 2);
    replace_at(chars, at, "")
}

/// A space inside the word, never after its first letter ("Mengetahu i").
fn split(chars: &[char], dice: &mut Dice) -> String {
    let at = dice.between(2, chars.len() - 1);
    let mut out: String = chars[..at].iter().collect();
    out.push(' ');
    out.extend(&chars[at..]);
    out
}

fn double(chars: &[char], dice: &mut Dice) -> String {
    let at = dice.between(1, chars.len() - 1);
    let doubled = format!("{}{}", chars[at], chars[at]);
    replace_at(chars, at, &doubled)
}

fn replace_at(chars: &[char], at: usize, with: &str) -> String {
    let mut out: String = chars[..at].iter().collect();
    out.push_str(with);
    out.extend(&chars[at + 1..]);
    out
}

/// A phrase with at most `max` of its words slipped, each with probability `p`.
pub(crate) fn slip_phrase(phrase: &str, p: f64, max: usize, dice: &mut Dice) -> String {
    let mut slipped = 0;
    let words: Vec<String> = phrase
        .split(' ')
        .map(|w| {
            if slipped < max && dice.chance(p) {
                let out = slip_word(w, dice);
                if out != w {
                    slipped += 1;
                }
                out
            } else {
                w.to_string()
            }
        })
        .collect();
    words.join(" ")
}

/// A month name as an OCR'd or old-spelling form may print it.
pub(crate) fn slip_month(month: &str, dice: &mut Dice) -> String {
    let old = match month {
        "Februari" => Some("Pebruari"),
        "November" => Some("Nopember"),
        "Oktober" => Some("0ktober"),
        "Agustus" => Some("Agustns"),
        _ => None,
    };
    match old {
        Some(old) if dice.chance(0.7) => old.to_string(),
        _ => slip_word(month, dice),
    }
}

/// "Plt." as OCR reads it.
pub(crate) fn slip_plt(dice: &mut Dice) -> &'static str {
    dice.word(&["Pit.", "Pit.", "PIt.", "Plt", "Pl t."])
}

/// A spaced NIP ("19690303 199303 1 009") with one or two digit confusions (0→O, 1→l/I,
/// 5→S, 8→B) and maybe a stray space or dot; [`repair_nip`] gives the digits back.
pub(crate) fn slip_nip(spaced: &str, dice: &mut Dice) -> String {
    let mut chars: Vec<String> = spaced.chars().map(String::from).collect();
    let spots: Vec<usize> = (0..chars.len())
        .filter(|i| {
            NIP_CONFUSIONS
                .iter()
                .any(|(d, _)| d.to_string() == chars[*i])
        })
        .collect();
    for _ in 0..dice.between(1, 2) {
        if spots.is_empty() {
            break;
        }
        let at = *dice.pick(&spots);
        let digit = chars[at].chars().next().unwrap_or('0');
        if let Some((_, reads)) = NIP_CONFUSIONS.iter().find(|(d, _)| *d == digit) {
            chars[at] = dice.pick(reads).to_string();
        }
    }
    let mut out: String = chars.concat();
    if dice.chance(0.3) {
        out = stray_mark(&out, dice);
    }
    out
}

/// A stray space inside the birth date or a dot between the first two groups.
fn stray_mark(nip: &str, dice: &mut Dice) -> String {
    match nip.find(' ') {
        Some(gap) if dice.chance(0.5) => format!("{}.{}", &nip[..gap], &nip[gap + 1..]),
        _ => {
            let at = nip.char_indices().nth(4).map(|(i, _)| i).unwrap_or(0);
            format!("{} {}", &nip[..at], &nip[at..])
        }
    }
}

/// The NIP digits a careful reader takes a slipped NIP to say: O/o→0, l/I/i/|→1, S/s→5,
/// B→8, spaces and dots dropped.
pub fn repair_nip(slipped: &str) -> String {
    slipped
        .chars()
        .filter_map(|c| match c {
            'O' | 'o' => Some('0'),
            'l' | 'I' | 'i' | '|' => Some('1'),
            'S' | 's' => Some('5'),
            'B' => Some('8'),
            d if d.is_ascii_digit() => Some(d),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::Family;

    #[test]
    fn word_slips_stay_close() {
        let mut dice = Dice::new(Family::Ocr, 7);
        for _ in 0..200 {
            let out = slip_word("Mengetahui", &mut dice);
            let a = out.chars().count() as isize;
            assert!((a - 10).abs() <= 1, "{out}");
            assert_ne!(out, "Mengetahui");
        }
        assert_eq!(slip_word("No", &mut dice), "No");
    }

    #[test]
    fn nip_slips_repair_to_the_digits() {
        let mut dice = Dice::new(Family::Ocr, 3);
        for _ in 0..200 {
            let slipped = slip_nip("19690303 199303 1 009", &mut dice);
            assert_eq!(repair_nip(&slipped), "196903031993031009", "{slipped}");
        }
    }
}
