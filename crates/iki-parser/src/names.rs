//! Names with academic degrees: "Drs. DEDWI SUPRAPTO, M.Si." → name "DEDWI SUPRAPTO",
//! degrees ["Drs.", "M.Si."].
//!
//! ```text
//! name_line = *prefix_degree name *("," suffix_degree)
//! prefix    = "Drs." | "Dra." | "Ir." | "Dr." | "dr." | "drg." | "Prof." ...
//! suffix    = short capitalised abbreviation: "S.Sos", "M.Si.", "S.H.", "SH", "SE.", "S.STP"
//! ```
//! An initial such as "A." is part of the name, not a degree.

const PREFIX_DEGREES: &[&str] = &["drs", "dra", "ir", "dr", "drg", "prof", "apt", "ns"];

/// A name line split into the bare name and its degrees in printed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    pub name: String,
    pub degrees: Vec<String>,
}

pub fn split_degrees(line: &str) -> PersonName {
    let mut segments = line.split(',').map(str::trim);
    let head = segments.next().unwrap_or("");
    let mut degrees = Vec::new();
    let mut words: Vec<&str> = head.split_whitespace().collect();
    while words.len() > 1 && is_prefix_degree(words[0]) {
        degrees.push(words.remove(0).to_string());
    }
    let mut name = words.join(" ");
    for seg in segments.filter(|s| !s.is_empty()) {
        if is_suffix_degree(seg) {
            degrees.push(seg.to_string());
        } else if degrees.is_empty() || !seg.split_whitespace().all(is_suffix_degree) {
            // Not a degree: part of the name as printed.
            name.push_str(", ");
            name.push_str(seg);
        } else {
            degrees.extend(seg.split_whitespace().map(str::to_string));
        }
    }
    PersonName { name, degrees }
}

fn is_prefix_degree(word: &str) -> bool {
    let bare = word.trim_end_matches('.').to_lowercase();
    PREFIX_DEGREES.contains(&bare.as_str())
}

/// "S.Sos", "M.Si.", "S.H.", "SH", "SE.", "S.STP", "A.Md.Kep", "M.Kes": letters and dots,
/// at most 12 characters, starting with a capital.
fn is_suffix_degree(seg: &str) -> bool {
    let len = seg.chars().count();
    (1..=12).contains(&len)
        && seg.starts_with(|c: char| c.is_uppercase())
        && seg.chars().all(|c| c.is_alphabetic() || c == '.')
        && (seg.contains('.') || len <= 4)
}

/// Whether a line carries degrees (a strong sign it is a name line).
pub fn has_degrees(line: &str) -> bool {
    !split_degrees(line).degrees.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("MASRUHIN, S.Sos", "MASRUHIN", &["S.Sos"]),
            ("Ir. HOLAP, S.Sos", "HOLAP", &["Ir.", "S.Sos"]),
            (
                "Drs. DEDWI SUPRAPTO, M.Si.",
                "DEDWI SUPRAPTO",
                &["Drs.", "M.Si."],
            ),
            (
                "MUJIBUR ROHMAN, S.H., M.M.",
                "MUJIBUR ROHMAN",
                &["S.H.", "M.M."],
            ),
            ("NOVI MAHERAWATI, SH.", "NOVI MAHERAWATI", &["SH."]),
            ("Drs. A. SYAIFUL HADI", "A. SYAIFUL HADI", &["Drs."]),
            ("SLAMET ADIYONO", "SLAMET ADIYONO", &[]),
            ("RIZKA PUSPITASARI, S.STP", "RIZKA PUSPITASARI", &["S.STP"]),
            (
                "DWI HARTANTI MAYASARI, SE.",
                "DWI HARTANTI MAYASARI",
                &["SE."],
            ),
        ];
        for (line, name, degrees) in cases {
            let p = split_degrees(line);
            assert_eq!(p.name, *name, "{line}");
            assert_eq!(p.degrees, *degrees, "{line}");
        }
    }
}
