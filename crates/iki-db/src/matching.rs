//! Fuzzy keys for history: which forms hold the same position in the same organisation, and
//! which indicators of two years are the same indicator.
//!
//! Texts are compared folded (ASCII lowercase, punctuation and markup gone, spaces collapsed).
//! A position is its folded jabatan with the head-of-unit word and common abbreviations
//! normalised ("Kepala Seksi Pemerintahan" = "Kasi Pemerintahan" = "Seksi Pemerintahan"),
//! matched exactly or within a small edit distance (OCR slips). Indicators are matched by
//! their words weighted by rarity among the indicators being compared, so the words every
//! indicator of a position shares ("persentase fasilitasi … perangkat daerah") count little
//! and the words that tell indicators apart count much.

use std::collections::HashMap;

/// Lowercase ASCII letters and digits; everything else separates words.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// Abbreviations and synonyms of position words, applied to folded text word by word.
const POSITION_WORDS: &[(&str, &str)] = &[
    ("kasi", "seksi"),
    ("kasie", "seksi"),
    ("kasubag", "sub bagian"),
    ("kasubbag", "sub bagian"),
    ("subbag", "sub bagian"),
    ("subbagian", "sub bagian"),
    ("kabid", "bidang"),
    ("sekcam", "sekretaris kecamatan"),
];

/// Whole positions written two ways.
const POSITION_PHRASES: &[(&str, &str)] = &[("sekretaris camat", "sekretaris kecamatan")];

/// Acting markers before a position ("Plt.", OCR "Pit.", "Plh.").
const ACTING: &[&str] = &["plt", "pit", "plh"];

/// The key of a jabatan: folded, abbreviations expanded, acting marker and the word "kepala"
/// (the head of a unit holds the unit's position) dropped from the front.
pub(crate) fn position_key(jabatan: &str) -> String {
    let folded = fold(jabatan);
    let mut words: Vec<&str> = Vec::new();
    for word in folded.split(' ') {
        match POSITION_WORDS.iter().find(|(short, _)| *short == word) {
            Some((_, long)) => words.extend(long.split(' ')),
            None => words.push(word),
        }
    }
    while let Some(first) = words.first() {
        if ACTING.contains(first) || *first == "kepala" {
            words.remove(0);
        } else {
            break;
        }
    }
    let key = words.join(" ");
    POSITION_PHRASES
        .iter()
        .find(|(short, _)| *short == key)
        .map_or(key, |(_, long)| long.to_string())
}

/// Two position keys name the same position: the same words, long words allowed one OCR
/// slip each (short words such as the grades "muda" and "madya" must be equal).
pub(crate) fn same_position(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| same_word(x, y))
}

/// Heads of units whose title names the organisation they lead: "CAMAT LUMAJANG" leads
/// "Kecamatan Lumajang".
const HEADS: &[(&str, &str)] = &[
    ("camat", "kecamatan"),
    ("lurah", "kelurahan"),
    ("kepala desa", "desa"),
    ("bupati", "kabupaten"),
    ("walikota", "kota"),
    ("wali kota", "kota"),
    ("kepala dinas", "dinas"),
    ("kepala badan", "badan"),
];

/// The organisation a signatory's position names, if it is the title of a unit's head.
pub(crate) fn organization_of_position(position: &str) -> Option<String> {
    let folded = fold(position);
    let mut rest = folded.as_str();
    for marker in ACTING {
        if let Some(after) = rest.strip_prefix(marker).and_then(|r| r.strip_prefix(' ')) {
            rest = after;
        }
    }
    HEADS.iter().find_map(|(head, unit)| {
        let name = rest.strip_prefix(head)?.strip_prefix(' ')?;
        (!name.is_empty()).then(|| format!("{unit} {name}"))
    })
}

/// The key of an organisation: folded, "kec."/"kel." spelled out.
pub(crate) fn organization_key(organization: &str) -> String {
    fold(organization)
        .split(' ')
        .map(|w| match w {
            "kec" => "kecamatan",
            "kel" => "kelurahan",
            "kab" => "kabupaten",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every word of the query is a word of the organisation (`--organization Lumajang` matches
/// "kecamatan lumajang").
pub(crate) fn organization_matches(query_key: &str, organization_key: &str) -> bool {
    let words: Vec<&str> = organization_key.split(' ').collect();
    query_key
        .split(' ')
        .all(|q| words.iter().any(|w| same_word(q, w)))
}

/// Words that carry no meaning of their own in an indicator.
const STOPWORDS: &[&str] = &[
    "dan", "yang", "di", "pada", "ke", "dari", "untuk", "dalam", "dengan", "atas", "serta", "oleh",
    "per", "the",
];

/// The significant words of an indicator, in order.
fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|w| w.len() >= 2 && !STOPWORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// Equal words, or long words one edit apart ("fasilitas"/"fasilitasi", an OCR slip).
fn same_word(a: &str, b: &str) -> bool {
    a == b || (a.len().min(b.len()) >= 6 && strsim::levenshtein(a, b) <= 1)
}

/// What an indicator measures, from its first word; indicators measuring different things (a
/// percentage and a count) are different indicators however alike their words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Percentage,
    Count,
    Average,
    Other,
}

fn measure(text: &str) -> Measure {
    let folded = fold(text);
    let first = folded.split(' ').next().unwrap_or("");
    match first {
        "persentase" | "prosentase" | "presentase" | "persen" => Measure::Percentage,
        "jumlah" | "banyaknya" => Measure::Count,
        "rata" | "ratarata" => Measure::Average,
        _ => Measure::Other,
    }
}

/// Indicators scoring below this are not the same indicator.
const MATCH_THRESHOLD: f64 = 0.5;

/// One indicator as compared across years.
#[derive(Debug, Clone)]
pub(crate) struct IndicatorText<'a> {
    pub indikator: &'a str,
    /// Sasaran and rumus together: they decide between equally good matches.
    pub context: String,
}

/// Pairs `(i, j)` of `old[i]` and `new[j]` that are the same indicator: a greedy
/// assignment, best score first, over the pairs that [`overlap`] accepts, ties broken by the
/// overlap of sasaran and rumus.
pub(crate) fn match_indicators(
    old: &[IndicatorText<'_>],
    new: &[IndicatorText<'_>],
) -> Vec<(usize, usize)> {
    let old_words: Vec<Vec<String>> = old.iter().map(|t| words(t.indikator)).collect();
    let new_words: Vec<Vec<String>> = new.iter().map(|t| words(t.indikator)).collect();
    let weights = rarity(old_words.iter().chain(&new_words));
    let old_context: Vec<Vec<String>> = old.iter().map(|t| words(&t.context)).collect();
    let new_context: Vec<Vec<String>> = new.iter().map(|t| words(&t.context)).collect();
    let context_weights = rarity(old_context.iter().chain(&new_context));
    let mut pairs = Vec::new();
    for (i, a) in old.iter().enumerate() {
        for (j, b) in new.iter().enumerate() {
            let (ma, mb) = (measure(a.indikator), measure(b.indikator));
            if ma != mb && ma != Measure::Other && mb != Measure::Other {
                continue;
            }
            let Some(score) = overlap(&old_words[i], &new_words[j], &weights) else {
                continue;
            };
            if score >= MATCH_THRESHOLD {
                let context = overlap_score(&old_context[i], &new_context[j], &context_weights);
                pairs.push((score, context, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.total_cmp(&a.1))
            .then((a.2, a.3).cmp(&(b.2, b.3)))
    });
    let (mut old_used, mut new_used) = (vec![false; old.len()], vec![false; new.len()]);
    let mut matched = Vec::new();
    for (_, _, i, j) in pairs {
        if !old_used[i] && !new_used[j] {
            old_used[i] = true;
            new_used[j] = true;
            matched.push((i, j));
        }
    }
    matched
}

/// Weight of each word: ln(1 + n / df) over the `n` word lists given, so a word in every list
/// weighs ln 2 and a word in one of twenty weighs ln 21.
fn rarity<'a>(lists: impl Iterator<Item = &'a Vec<String>>) -> HashMap<&'a str, f64> {
    let mut df: HashMap<&str, usize> = HashMap::new();
    let mut n = 0usize;
    for list in lists {
        n += 1;
        let mut seen: Vec<&str> = list.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for word in seen {
            *df.entry(word).or_default() += 1;
        }
    }
    df.into_iter()
        .map(|(w, d)| (w, (1.0 + n as f64 / d as f64).ln()))
        .collect()
}

/// Which words of two word lists correspond: equal words ([`same_word`]), then acronyms of
/// the words left over ("PD" for "Perangkat Daerah", "SOP" for "Standar Operasional
/// Prosedur").
fn correspond(a: &[String], b: &[String]) -> (Vec<bool>, Vec<bool>) {
    let (mut in_a, mut in_b) = (vec![false; a.len()], vec![false; b.len()]);
    for (i, word) in a.iter().enumerate() {
        if let Some(k) = (0..b.len()).find(|&k| !in_b[k] && same_word(word, &b[k])) {
            in_a[i] = true;
            in_b[k] = true;
        }
    }
    expand_acronyms(a, &mut in_a, b, &mut in_b);
    expand_acronyms(b, &mut in_b, a, &mut in_a);
    (in_a, in_b)
}

/// Mark each unmatched short word of `short` that spells the initials of a run of unmatched
/// words of `long`, and that run.
fn expand_acronyms(
    short: &[String],
    short_used: &mut [bool],
    long: &[String],
    long_used: &mut [bool],
) {
    for (i, word) in short.iter().enumerate() {
        let n = word.len();
        if short_used[i] || !(2..=5).contains(&n) || !word.bytes().all(|b| b.is_ascii_alphabetic())
        {
            continue;
        }
        let run = (0..long.len().saturating_sub(n - 1)).find(|&start| {
            (start..start + n).all(|k| !long_used[k])
                && long[start..start + n]
                    .iter()
                    .zip(word.bytes())
                    .all(|(w, initial)| w.as_bytes().first() == Some(&initial))
        });
        if let Some(start) = run {
            short_used[i] = true;
            long_used[start..start + n]
                .iter_mut()
                .for_each(|u| *u = true);
        }
    }
}

/// How much two indicators' words overlap (weighted Dice, 0..1), or `None` when each has words
/// the other lacks: a reworded indicator drops or adds words ("Persentase fasilitasi
/// pengadaan BMD" / "Persentase pengadaan BMD"), while one word put in place of another
/// ("… Administrasi Keuangan …" / "… Administrasi Kepegawaian …") makes another indicator.
fn overlap(a: &[String], b: &[String], weights: &HashMap<&str, f64>) -> Option<f64> {
    let (in_a, in_b) = correspond(a, b);
    if in_a.contains(&false) && in_b.contains(&false) {
        return None;
    }
    Some(dice(a, &in_a, b, &in_b, weights))
}

/// Weighted Dice of two word lists without the containment condition (for tie-breaks).
fn overlap_score(a: &[String], b: &[String], weights: &HashMap<&str, f64>) -> f64 {
    let (in_a, in_b) = correspond(a, b);
    dice(a, &in_a, b, &in_b, weights)
}

fn dice(
    a: &[String],
    in_a: &[bool],
    b: &[String],
    in_b: &[bool],
    weights: &HashMap<&str, f64>,
) -> f64 {
    let weight = |w: &String| weights.get(w.as_str()).copied().unwrap_or(1.0);
    let total: f64 = a.iter().chain(b).map(weight).sum();
    if total == 0.0 {
        return 0.0;
    }
    let shared: f64 = a
        .iter()
        .zip(in_a)
        .chain(b.iter().zip(in_b))
        .filter(|(_, used)| **used)
        .map(|(w, _)| weight(w))
        .sum();
    shared / total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_punctuation_and_case() {
        assert_eq!(
            fold("  Persentase (Jumlah/A)*100 %  "),
            "persentase jumlah a 100"
        );
        assert_eq!(
            fold("Sub Bagian  Umum, dan Kepegawaian."),
            "sub bagian umum dan kepegawaian"
        );
        assert_eq!(fold(""), "");
    }

    #[test]
    fn positions_written_differently_are_one_position() {
        let key = position_key("Seksi Pemerintahan");
        assert_eq!(position_key("KEPALA SEKSI PEMERINTAHAN"), key);
        assert_eq!(position_key("Kasi Pemerintahan"), key);
        assert_eq!(position_key("Plt. KASI PEMERINTAHAN"), key);
        assert_eq!(
            position_key("KASUBAG KEUANGAN"),
            position_key("Sub Bagian Keuangan")
        );
        assert_eq!(
            position_key("SEKRETARIS CAMAT"),
            position_key("Sekretaris Kecamatan")
        );
        assert!(same_position(
            &position_key("Seksi Pemerintahan"),
            &position_key("Seksi Pemerintahn")
        ));
    }

    #[test]
    fn different_positions_stay_apart() {
        let pairs = [
            ("Seksi Pemerintahan", "Seksi Pelayanan Umum"),
            ("Sub Bagian Keuangan", "Sub Bagian Umum dan Kepegawaian"),
            ("Pengadministrasi Umum", "Pengadministrasi Keuangan"),
            ("Sekretaris", "Sekretaris Kecamatan"),
            ("Analis Kepegawaian Muda", "Analis Kepegawaian Madya"),
        ];
        for (a, b) in pairs {
            assert!(
                !same_position(&position_key(a), &position_key(b)),
                "{a} / {b}"
            );
        }
    }

    #[test]
    fn heads_name_their_organisation() {
        assert_eq!(
            organization_of_position("CAMAT LUMAJANG").as_deref(),
            Some("kecamatan lumajang")
        );
        assert_eq!(
            organization_of_position("Pit. CAMAT CANDIPURO").as_deref(),
            Some("kecamatan candipuro")
        );
        assert_eq!(organization_of_position("KEPALA SEKSI PEMERINTAHAN"), None);
        assert_eq!(organization_of_position("CAMAT"), None);
        assert!(organization_matches("lumajang", "kecamatan lumajang"));
        assert!(organization_matches(
            &organization_key("Kec. Lumajang"),
            "kecamatan lumajang"
        ));
        assert!(!organization_matches("candipuro", "kecamatan lumajang"));
    }

    fn texts<'a>(list: &[&'a str]) -> Vec<IndicatorText<'a>> {
        list.iter()
            .map(|t| IndicatorText {
                indikator: t,
                context: String::new(),
            })
            .collect()
    }

    #[test]
    fn shared_words_do_not_make_different_indicators_one() {
        let old = texts(&[
            "Persentase fasilitasi Administrasi Keuangan Perangkat Daerah",
            "Persentase fasilitasi Administrasi Kepegawaian Perangkat Daerah",
        ]);
        let new = texts(&["Persentase fasilitasi Administrasi Kepegawaian Perangkat Daerah"]);
        assert_eq!(match_indicators(&old, &new), [(1, 0)]);
        let new = texts(&["Persentase fasilitasi Administrasi Umum Perangkat Daerah"]);
        assert!(match_indicators(&old[..1], &new).is_empty());
    }

    #[test]
    fn acronyms_stand_for_their_words() {
        let old = texts(&[
            "Persentase fasilitasi Administrasi Umum Perangkat Daerah",
            "Persentase Pelayanan Administrasi Kecamatan sesuai Standar Pelayanan dan Standar Operasional Prosedur",
        ]);
        let new = texts(&[
            "Persentase Pelayanan Administrasi Kecamatan sesuai SP dan SOP",
            "Persentase fasilitasi Administrasi Umum PD",
        ]);
        let mut pairs = match_indicators(&old, &new);
        pairs.sort_unstable();
        assert_eq!(pairs, [(0, 1), (1, 0)]);
    }

    #[test]
    fn shortened_wording_is_the_same_indicator() {
        let old = texts(&[
            "Persentase fasilitasi pengadaan BMD",
            "Persentase Fasilitasi Penyediaan Jasa",
        ]);
        let new = texts(&["Persentase pengadaan BMD"]);
        assert_eq!(match_indicators(&old, &new), [(0, 0)]);
    }

    #[test]
    fn a_count_is_not_a_percentage() {
        let old = texts(&["Persentase Fasilitasi Koordinasi Ketenteraman dan Ketertiban Umum"]);
        let new = texts(&["Jumlah Fasilitasi Koordinasi Ketenteraman dan Ketertiban Umum"]);
        assert!(match_indicators(&old, &new).is_empty());
    }
}
