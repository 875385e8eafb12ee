//! The domain vocabulary and fuzzy matching against it (strsim), kept outside the grammars:
//! a line is classified first, then the grammar for that kind of line runs on it.
//!
//! Matching works on [`fold`]ed text (lowercase letters, digits and single spaces), so "TUGAS
//! POKOK", "Tugas pokok :" and the OCR slip "Tugas Pokol" compare equal or close.

use std::sync::LazyLock;

use regex::Regex;
use strsim::normalized_levenshtein;

use crate::model::DocumentKind;

/// Lowercase, ASCII-fold common OCR look-alikes in words, keep letters/digits, single spaces.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return fold_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            space = true;
        }
    }
    out
}

/// Append [`fold`]`(s)` to `out`.
pub fn fold_into(s: &str, out: &mut String) {
    let start = out.len();
    let mut space = false;
    if s.is_ascii() {
        // SAFETY-free fast path: ASCII bytes pushed as chars.
        for &b in s.as_bytes() {
            if b.is_ascii_alphanumeric() {
                if space && out.len() > start {
                    out.push(' ');
                }
                space = false;
                out.push(b.to_ascii_lowercase() as char);
            } else {
                space = true;
            }
        }
        return;
    }
    for c in s.chars() {
        if c.is_alphanumeric() {
            if space && out.len() > start {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
}

/// At least the first `n` characters of [`fold`]`(s)` (all of it when shorter), folding
/// only a head of `s` when that is enough: folding emits each character as it reads, so
/// the fold of a head is a prefix of the fold of the whole.
pub fn fold_head(s: &str, n: usize) -> String {
    let head = head(s, 2 * n);
    if head.len() < s.len() {
        let folded = fold(head);
        if folded.chars().count() >= n {
            return folded;
        }
    }
    fold(s)
}

/// [`fold`] for ASCII text, byte by byte.
fn fold_ascii(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut space = false;
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(b' ');
            }
            space = false;
            out.push(b.to_ascii_lowercase());
        } else {
            space = true;
        }
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// Similarity of two folded words or phrases, 0..1.
pub fn similar(a: &str, b: &str) -> f64 {
    normalized_levenshtein(a, b)
}

/// What the fuzzy gates need of a word, computed once per word: its length in characters
/// and the set of its characters.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    len: usize,
    set: u64,
}

impl Shape {
    pub fn of(s: &str) -> Shape {
        Shape {
            len: char_len(s),
            set: letter_set(s),
        }
    }

    /// A lower bound on the edit distance between two words of these shapes: the length
    /// difference, and the characters one has and the other lacks (an edit removes at most
    /// one character of one side's set and adds at most one of the other's).
    fn min_edits(self, other: Shape) -> usize {
        let missing = (self.set & !other.set)
            .count_ones()
            .max((other.set & !self.set).count_ones());
        self.len.abs_diff(other.len).max(missing as usize)
    }
}

/// Whether `similar(a, b) >= threshold`.
pub fn close(a: &str, b: &str, threshold: f64) -> bool {
    a == b || close_shaped(a, Shape::of(a), b, Shape::of(b), threshold)
}

/// [`close`] with the shapes of both sides given. This runs on every line against many
/// vocabulary words and almost all pairs are far apart, so cheap lower bounds on the edit
/// distance (length difference, characters one side has and the other lacks) rule most of
/// them out before the distance, bounded by what the threshold allows, is computed.
pub fn close_shaped(a: &str, sa: Shape, b: &str, sb: Shape, threshold: f64) -> bool {
    let longest = sa.len.max(sb.len);
    if longest == 0 {
        return true;
    }
    // A bound on the distance the threshold allows, a little generous for rounding; the
    // exact test follows.
    // (An integer exceeds the slack's floor exactly when it exceeds the slack: no cast.)
    let generous = ((1.0 - threshold) * longest as f64 + 1e-6).max(0.0);
    if sa.len.abs_diff(sb.len) as f64 > generous || sa.min_edits(sb) as f64 > generous {
        return false;
    }
    // The same float test as `normalized_levenshtein(a, b) >= threshold` for a distance `d`.
    let passes = |d: usize| 1.0 - (d as f64) / (longest as f64) >= threshold;
    let mut allowed = (((1.0 - threshold) * longest as f64) as usize).min(longest);
    while allowed > 0 && !passes(allowed) {
        allowed -= 1;
    }
    while allowed < longest && passes(allowed + 1) {
        allowed += 1;
    }
    within_distance(a, b, allowed)
}

/// The characters of `s` as a 64-bit set: letters and digits by themselves, anything else
/// hashed into the remaining bits (collisions only weaken the bound).
fn letter_set(s: &str) -> u64 {
    s.chars().fold(0, |set, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            _ => 36 + (c as u32 % 28),
        };
        set | 1 << bit
    })
}

/// Whether the Levenshtein distance of `a` and `b` is at most `k`: the dynamic programme
/// over characters, given up as soon as a whole row exceeds `k`.
fn within_distance(a: &str, b: &str, k: usize) -> bool {
    // Vocabulary words are short and ASCII: one machine word holds a whole DP column (this
    // runs for every pair the shape gates let through).
    if a.is_ascii() && b.is_ascii() && b.len() <= 64 {
        return ascii_distance(a.as_bytes(), b.as_bytes()) <= k;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row = vec![0; b.len() + 1];
    within_distance_in(&a, &b, k, &mut row)
}

/// The Levenshtein distance of ASCII `a` and `b` (at most 64 bytes), bit-parallel: the DP
/// column over `b` is kept as bit vectors of its vertical steps (+1, -1), updated in a few
/// word operations per byte of `a` (Myers 1999, as Hyyrö formulates it for edit distance).
fn ascii_distance(a: &[u8], b: &[u8]) -> usize {
    let m = b.len();
    if m == 0 {
        return a.len();
    }
    // Where each byte occurs in `b`.
    let mut peq = [0u64; 128];
    for (j, &c) in b.iter().enumerate() {
        peq[usize::from(c & 0x7f)] |= 1 << j;
    }
    let mut plus = u64::MAX; // vertical steps +1 (the first column counts up)
    let mut minus = 0u64; // vertical steps -1
    let mut distance = m;
    let last = 1u64 << (m - 1);
    for &c in a {
        let eq = peq[usize::from(c & 0x7f)];
        let xv = eq | minus;
        let xh = ((eq & plus).wrapping_add(plus) ^ plus) | eq;
        let h_plus = minus | !(xh | plus);
        let h_minus = plus & xh;
        if h_plus & last != 0 {
            distance += 1;
        } else if h_minus & last != 0 {
            distance -= 1;
        }
        // Row 0 of the DP grows by one per byte of `a`: a +1 step enters at position 0.
        let h_plus = (h_plus << 1) | 1;
        let h_minus = h_minus << 1;
        plus = h_minus | !(xv | h_plus);
        minus = h_plus & xv;
    }
    distance
}

/// [`within_distance`] over any symbols, with `row` (of `b.len() + 1`) as scratch.
fn within_distance_in<T: PartialEq>(a: &[T], b: &[T], k: usize, row: &mut [usize]) -> bool {
    for (j, r) in row.iter_mut().enumerate() {
        *r = j;
    }
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut best = row[0];
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
            best = best.min(row[j + 1]);
        }
        if best > k {
            return false;
        }
    }
    row[b.len()] <= k
}

fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Whether folded `word` is `target` up to OCR noise: exact for short words, one or two
/// edits for longer ones.
pub fn word_is(word: &str, target: &str) -> bool {
    word == target || shaped_word_is(word, Shape::of(word), target, Shape::of(target))
}

/// [`word_is`] with both shapes known (a [`Lexicon`] keeps its words' shapes).
fn shaped_word_is(word: &str, shape: Shape, target: &str, target_shape: Shape) -> bool {
    if word == target {
        return true;
    }
    if target_shape.len < 5 {
        return false;
    }
    // The first gate of `close_shaped` in integers: the thresholds here allow at most a
    // quarter of the longer length in edits.
    // The length difference first: it alone rules out most pairs, before the sets.
    let longest = shape.len.max(target_shape.len);
    if 4 * shape.len.abs_diff(target_shape.len) > longest
        || 4 * shape.min_edits(target_shape) > longest
    {
        return false;
    }
    let threshold = if target_shape.len >= 9 { 0.77 } else { 0.8 };
    close_shaped(word, shape, target, target_shape, threshold)
}

/// A word list with each word's [`Shape`] computed once, for the checks that compare every
/// line's words against a whole list.
pub struct Lexicon {
    entries: Vec<(String, Shape)>,
    /// The length of the longest entry: much longer text is too far from all of them.
    longest: usize,
}

impl Lexicon {
    pub fn new<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> Lexicon {
        let entries: Vec<(String, Shape)> = words
            .into_iter()
            .map(|w| (w.as_ref().to_string(), Shape::of(w.as_ref())))
            .collect();
        let longest = entries.iter().map(|(_, s)| s.len).max().unwrap_or(0);
        Lexicon { entries, longest }
    }

    /// Whether text of `len` characters is too long to be `threshold`-similar to any entry
    /// (the length difference alone costs too many edits).
    fn too_long(&self, len: usize, threshold: f64) -> bool {
        len as f64 * threshold > self.longest as f64 + 1e-6
    }

    /// The position of the first entry that folded `word` is up to OCR noise ([`word_is`]).
    pub fn find_word(&self, word: &str) -> Option<usize> {
        if let Some(i) = self.entries.iter().position(|(w, _)| w == word) {
            return Some(i);
        }
        // A word of three characters or less is more than the allowed edits away from any
        // word long enough to be matched fuzzily (five characters or more).
        if word.len() < 4 || self.too_long(char_len(word), 0.77) {
            return None;
        }
        let shape = Shape::of(word);
        self.entries
            .iter()
            .position(|(w, s)| shaped_word_is(word, shape, w, *s))
    }

    /// The position of the first entry whose similarity to `text` is at least `threshold`
    /// ([`close`]), trying exact equality first.
    pub fn find_close(&self, text: &str, threshold: f64) -> Option<usize> {
        if let Some(i) = self.entries.iter().position(|(w, _)| w == text) {
            return Some(i);
        }
        if self.too_long(char_len(text), threshold) {
            return None;
        }
        let shape = Shape::of(text);
        self.entries
            .iter()
            .position(|(w, s)| close_shaped(text, shape, w, *s, threshold))
    }
}

/// A header field of the form, found by its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Jabatan,
    Eselon,
    TugasPokok,
    Fungsi,
    Tujuan,
    IndikatorTujuan,
    /// "Indikator" alone: the first half of "Indikator Tujuan" wrapped over two lines, or
    /// the whole label written short.
    Indikator,
    /// The issuing unit: "Unit Organisasi", "Perangkat Daerah", "Instansi".
    Organisasi,
    /// "Tahun : 2023", "Periode : 2023".
    Tahun,
    /// A field this tool does not extract ("Atasan Langsung", "Pangkat/Gol"): it ends the
    /// list above it and its value is not list text.
    Other,
}

const LABELS: &[(&str, Label)] = &[
    ("jabatan", Label::Jabatan),
    ("nama jabatan", Label::Jabatan),
    ("unit kerja", Label::Jabatan),
    ("eselon", Label::Eselon),
    ("tugas pokok", Label::TugasPokok),
    ("tugas", Label::TugasPokok),
    ("tupoksi", Label::TugasPokok),
    ("fungsi", Label::Fungsi),
    ("tujuan", Label::Tujuan),
    ("indikator tujuan", Label::IndikatorTujuan),
    ("indikator", Label::Indikator),
    ("unit organisasi", Label::Organisasi),
    ("perangkat daerah", Label::Organisasi),
    ("instansi", Label::Organisasi),
    ("satuan kerja", Label::Organisasi),
    ("skpd", Label::Organisasi),
    ("opd", Label::Organisasi),
    ("tahun", Label::Tahun),
    ("tahun anggaran", Label::Tahun),
    ("periode", Label::Tahun),
    ("atasan langsung", Label::Other),
    ("pangkat", Label::Other),
    ("golongan", Label::Other),
    ("pangkat golongan", Label::Other),
    ("pangkat gol", Label::Other),
    ("nama", Label::Other),
    ("nama pegawai", Label::Other),
    ("kedudukan", Label::Other),
];

/// The label names with their spaces removed, compared against squeezed text.
static SQUEEZED_LABELS: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::new(LABELS.iter().map(|(name, _)| name.replace(' ', ""))));

/// The label a folded label text names, if any ("tugas pokok" → TugasPokok); exact names
/// first, then OCR-noisy ones (words run together or split count as the same).
pub fn label(folded: &str) -> Option<Label> {
    if folded.is_empty() || folded.split(' ').count() > 4 {
        return None;
    }
    let squeezed: String = folded.chars().filter(|c| *c != ' ').collect();
    squeezed_label(&squeezed)
}

/// [`label`] of a label text with its spaces removed.
fn squeezed_label(squeezed: &str) -> Option<Label> {
    let labels = &*SQUEEZED_LABELS;
    // Text much longer than every label is none of them, exactly or at 0.8.
    if labels.too_long(char_len(squeezed), 0.8) {
        return None;
    }
    let found = labels
        .entries
        .iter()
        .position(|(name, _)| name == squeezed)
        .or_else(|| {
            let shape = Shape::of(squeezed);
            labels.entries.iter().position(|(name, s)| {
                // At 0.8 the length difference may be a fifth of the longer side at most.
                name.len() >= 5
                    && 5 * shape.len.abs_diff(s.len) <= shape.len.max(s.len)
                    && close_shaped(squeezed, shape, name, *s, 0.8)
            })
        });
    found.map(|i| LABELS[i].1)
}

/// The labels of a line that names several header fields and no values ("1. Jabatan 2. Tugas
/// Pokok 3. Fungsi", "JABATAN TUGAS FUNGSI"): every word is a field number or part of a
/// label, two labels or more. The values follow on lines of their own, each opening with
/// ":", in the same order.
pub fn label_block(folded: &str) -> Option<Vec<Label>> {
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() < 2 || words.len() > 14 {
        return None;
    }
    let is_number = |w: &str| {
        w.bytes().all(|b| b.is_ascii_digit())
            || (w.len() <= 4 && w.bytes().all(|b| b"ivx".contains(&b)))
    };
    let mut labels = Vec::new();
    let mut squeezed = String::new();
    let mut i = 0;
    while i < words.len() {
        if is_number(words[i]) {
            i += 1;
            continue;
        }
        // The longest run of up to three words that names a label (what `label` reads of
        // the run's words joined by spaces: the words run together).
        let found = (1..=3usize).rev().find_map(|n| {
            let run = words.get(i..i + n)?;
            if run.iter().any(|w| is_number(w)) {
                return None;
            }
            squeezed.clear();
            run.iter().for_each(|w| squeezed.push_str(w));
            squeezed_label(&squeezed).map(|l| (l, n))
        });
        let (l, n) = found?;
        labels.push(l);
        i += n;
    }
    (labels.len() >= 2).then_some(labels)
}

/// A column of the indicator table: the one column type of the parser and the column
/// model.
pub use iki_colmodel::Column;

/// Classify one folded header cell by its words; `None` when it names no known column.
pub fn column(folded: &str) -> Option<Column> {
    if folded.is_empty() {
        return None;
    }
    // Header names are short; a longer cell is data.
    if folded.split(' ').nth(7).is_some() {
        return None;
    }
    // Order matters: "INDIKATOR KINERJA" also holds "kinerja", "SASARAN/KINERJA UTAMA" too.
    // The earliest column in COLUMN_ORDER that a word or the whole cell names wins.
    let lexicon = &*COLUMN_LEXICON;
    let by_word = folded
        .split(' ')
        .filter_map(|w| lexicon.find_word(w).map(|i| COLUMN_WORDS[i].1));
    let by_cell = match folded {
        "kinerja" | "kinerja utama" => Some(Column::Sasaran),
        "pj" | "pic" => Some(Column::PenanggungJawab),
        "no" | "nomor" | "nomer" | "no urut" | "nomor urut" => Some(Column::No),
        _ => None,
    };
    by_word
        .chain(by_cell)
        .min_by_key(|c| rank(*c))
        .or_else(|| column_by_whole_name(folded))
}

/// The column one folded word names on its own ("indikator", "rumus", "no", "pj"), OCR
/// slips included; `None` for modifiers such as "kinerja" or "data".
pub fn column_word(folded: &str) -> Option<Column> {
    match folded {
        "no" | "nomor" | "nomer" => return Some(Column::No),
        "pj" | "pic" => return Some(Column::PenanggungJawab),
        _ => {}
    }
    COLUMN_LEXICON.find_word(folded).map(|i| COLUMN_WORDS[i].1)
}

/// What one printed word of a header run is, folded ("RUMUS/FORMULA" folds to two words):
/// the column its first naming part names, or a tail of a name ("KINERJA", "DATA").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderToken {
    Names(Column),
    Tail,
}

/// The [`HeaderToken`] of a folded printed word; `None` when a part of it belongs to no
/// column name.
pub fn header_token(folded: &str) -> Option<HeaderToken> {
    let mut named = None;
    for part in folded.split(' ') {
        match column_word(part) {
            Some(c) => {
                named.get_or_insert(c);
            }
            // An ASCII part is already folded; `is_header_words` would fold it again.
            None if part.is_ascii() && !part.is_empty() => {
                if !HEADER_TAIL_WORDS.contains(&part) {
                    return None;
                }
            }
            None if is_header_words(part) => {}
            None => return None,
        }
    }
    Some(named.map_or(HeaderToken::Tail, HeaderToken::Names))
}

/// Which column wins when a header cell names several.
const COLUMN_ORDER: [Column; 9] = [
    Column::Indikator,
    Column::Sasaran,
    Column::Rumus,
    Column::SumberData,
    Column::PenanggungJawab,
    Column::Target,
    Column::Satuan,
    Column::No,
    Column::Other,
];

fn rank(c: Column) -> usize {
    COLUMN_ORDER
        .iter()
        .position(|o| *o == c)
        .unwrap_or(usize::MAX)
}

/// Words that name a column wherever they stand in a header cell, in [`COLUMN_ORDER`].
const COLUMN_WORDS: &[(&str, Column)] = &[
    ("indikator", Column::Indikator),
    ("sasaran", Column::Sasaran),
    ("rumus", Column::Rumus),
    ("formula", Column::Rumus),
    ("formulasi", Column::Rumus),
    ("penjelasan", Column::Rumus),
    ("perhitungan", Column::Rumus),
    ("sumber", Column::SumberData),
    ("penanggung", Column::PenanggungJawab),
    ("penanggungjawab", Column::PenanggungJawab),
    ("target", Column::Target),
    ("satuan", Column::Satuan),
    ("keterangan", Column::Other),
    ("capaian", Column::Other),
    ("realisasi", Column::Other),
];

static COLUMN_LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::new(COLUMN_WORDS.iter().map(|(w, _)| *w)));

/// Whole column names with spaces removed, for names whose words OCR split or joined
/// ("INDIK ATOR KINERJA", "RU MUS / FORMULA").
const COLUMN_NAMES: &[(&str, Column)] = &[
    ("sasaran", Column::Sasaran),
    ("sasaranstrategis", Column::Sasaran),
    ("sasarankegiatan", Column::Sasaran),
    ("sasaranprogram", Column::Sasaran),
    ("indikator", Column::Indikator),
    ("indikatorkinerja", Column::Indikator),
    ("indikatorkinerjaindividu", Column::Indikator),
    ("indikatorkinerjautama", Column::Indikator),
    ("indikatorkegiatan", Column::Indikator),
    ("rumus", Column::Rumus),
    ("formula", Column::Rumus),
    ("rumusformula", Column::Rumus),
    ("rumusformulaperhitungan", Column::Rumus),
    ("formulasiperhitungan", Column::Rumus),
    ("penjelasanformulasiperhitungan", Column::Rumus),
    ("sumberdata", Column::SumberData),
    ("penanggungjawab", Column::PenanggungJawab),
    ("target", Column::Target),
    ("satuan", Column::Satuan),
    ("keterangan", Column::Other),
];

static COLUMN_NAME_LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::new(COLUMN_NAMES.iter().map(|(name, _)| *name)));

fn column_by_whole_name(folded: &str) -> Option<Column> {
    let squeezed: String = folded.chars().filter(|c| *c != ' ').collect();
    if squeezed.len() < 5 {
        return None;
    }
    COLUMN_NAME_LEXICON
        .find_close(&squeezed, 0.8)
        .map(|i| COLUMN_NAMES[i].1)
}

/// Words that finish a header name wrapped onto the next line ("Individu", "Formula").
const HEADER_TAIL_WORDS: &[&str] = &[
    "individu",
    "kinerja",
    "kegiatan",
    "program",
    "utama",
    "formula",
    "formulasi",
    "perhitungan",
    "penghitungan",
    "data",
    "jawab",
    "target",
    "strategis",
    "strategi",
    "sumber",
    "penanggung",
    "sasaran",
    "indikator",
    "rumus",
    "satuan",
    "keterangan",
    "capaian",
    "penjelasan",
    "dan",
    "cara",
];

/// Whether every word of `text` belongs to a table header (the tail of a wrapped header).
pub fn is_header_words(text: &str) -> bool {
    // Folded ASCII text folds to itself: no copy for the folded lines classify passes.
    let folded = text
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' ')
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ");
    let f = if folded {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(fold(text))
    };
    !f.is_empty() && f.split(' ').all(|w| HEADER_TAIL_WORDS.contains(&w))
}

/// How many folded characters [`is_iki_title`] reads.
pub const TITLE_HEAD: usize = 48;

/// Trigrams of the IKI title ("ind", "dik", "kat", "tor", "kin", "ner", "rja", "ivi",
/// "vid", "idu"); a line holding fewer than [`TITLE_MIN_TRIGRAMS`] of them in its head is no
/// title, which two or three OCR slips still leave.
fn title_trigram(w: &[u8]) -> Option<u32> {
    Some(match w {
        b"ind" => 0,
        b"dik" => 1,
        b"kat" => 2,
        b"tor" => 3,
        b"kin" => 4,
        b"ner" => 5,
        b"rja" => 6,
        b"ivi" => 7,
        b"vid" => 8,
        b"idu" => 9,
        _ => return None,
    })
}

/// See [`title_trigram`].
pub const TITLE_MIN_TRIGRAMS: u32 = 3;

/// The set of title trigrams ([`title_trigram`]) that `s` contains, one bit each, in one
/// pass over its bytes (the trigrams are ASCII, so byte windows find exactly what
/// `str::contains` finds).
pub fn title_trigrams(s: &str) -> u16 {
    s.as_bytes()
        .windows(3)
        .filter_map(title_trigram)
        .fold(0, |set, k| set | 1 << k)
}

/// The generic title of an IKI form, "INDIKATOR KINERJA INDIVIDU", within a folded line.
pub fn is_iki_title(folded: &str) -> bool {
    // Cheap gate for the fuzzy comparison (this runs on every line): the title's trigrams.
    // The title comes first: look at the head of the line only.
    let folded = head(folded, TITLE_HEAD);
    title_trigrams(folded).count_ones() >= TITLE_MIN_TRIGRAMS
        && starts_with_phrase(folded, &["indikator", "kinerja", "individu"])
}

/// The first `n` characters of `s`, without copying.
pub fn head(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    if s.as_bytes()[..n].is_ascii() {
        return &s[..n];
    }
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// Whether the first words of `folded` are `phrase` up to OCR noise.
pub fn starts_with_phrase(folded: &str, phrase: &[&str]) -> bool {
    let words: Vec<&str> = folded.split(' ').take(phrase.len() + 1).collect();
    if words.len() >= phrase.len() && words.iter().zip(phrase).all(|(w, p)| word_is(w, p)) {
        return true;
    }
    // Words run together or split by OCR: compare the squeezed prefix.
    let squeezed: String = folded.chars().filter(|c| *c != ' ').collect();
    let target: String = phrase.concat();
    let n = char_len(&target);
    let prefix: String = squeezed.chars().take(n).collect();
    close(&prefix, &target, 0.85)
}

/// Words that make a signature line a position rather than a name.
const POSITION_WORDS: &[&str] = &[
    "kepala",
    "sekretaris",
    "camat",
    "kasi",
    "kasubag",
    "kasubbag",
    "kabid",
    "kabag",
    "seksi",
    "bagian",
    "bidang",
    "sub",
    "subbag",
    "pengadministrasi",
    "pengelola",
    "analis",
    "kecamatan",
    "lurah",
    "kelurahan",
    "bupati",
    "walikota",
    "wali",
    "gubernur",
    "direktur",
    "inspektur",
    "pelaksana",
    "bendahara",
    "perencana",
    "pranata",
    "staf",
    "staff",
    "dinas",
    "badan",
    "kantor",
    "sekcam",
    "plt",
    "plh",
    "pj",
    "ketua",
    "koordinator",
    "pengawas",
    "penyuluh",
    "jabatan",
    "fungsional",
    "umum",
    "kepegawaian",
    "keuangan",
    "pemerintahan",
    "pelayanan",
    "pemberdayaan",
    "masyarakat",
    "daerah",
    "kabupaten",
    "kota",
    "provinsi",
    "muda",
    "madya",
    "pertama",
    "ahli",
    "terampil",
    "penyelia",
    "administrator",
    "operator",
    "verifikator",
    "bidan",
    "perawat",
    "guru",
    "dokter",
    "sekretariat",
    "unit",
    "uptd",
    "puskesmas",
    "rsud",
    "arsiparis",
    "auditor",
];

static POSITION_LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::new(POSITION_WORDS.iter().copied()));

/// Civil-service ranks (pangkat) printed under a name: "Pembina Utama Muda", "Penata Tk. I".
const RANK_WORDS: &[&str] = &["pembina", "penata", "pengatur", "juru"];

/// Whether a folded signature line is a rank (pangkat / golongan), not a position or name.
pub fn is_rank(folded: &str) -> bool {
    folded
        .split(' ')
        .next()
        .is_some_and(|w| RANK_WORDS.iter().any(|r| word_is(w, r) || w == *r))
        && folded.split(' ').count() <= 6
}

/// Whether a folded signature line reads as a position ("KEPALA SEKSI ...", "CAMAT X").
pub fn is_position(folded: &str) -> bool {
    folded.split(' ').any(|w| {
        POSITION_WORDS.contains(&w) || (w.len() >= 5 && POSITION_LEXICON.find_word(w).is_some())
    })
}

static PAGE_FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:(?:anda\s+(?:berada\s+)?di\s+)?(?:halaman|hal\.?|page)\s*\d+\s*(?:(?:dari|of|/)\s*\d+)?|-\s*\d{1,4}\s*-|\(\s*\d{1,4}\s*\)|[\d.,]+\s*(?:views?|dilihat|kali\s+dilihat)(?:\s+[\d.,]+\s*(?:downloads?|unduhan))?|[\d.,]+\s*(?:downloads?|unduhan)|(?:uploaded|diunggah)\b.*\d{4})\W*$",
    )
    .expect("valid regex")
});

/// What a web browser prints around each page of a printed web page: a header with the date,
/// the time and the page's title ("11/26/26, 2:10 AM   IKI"), a footer with the page's
/// address and a page counter ("file:///…/iki.html   1/14").
static BROWSER_PRINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4},?\s+\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+\S.{0,100})?$|^(?:file|https?)://\S+(?:\s+.{0,100}?)?(?:\s+\d{1,4}\s*/\s*\d{1,4})?$",
    )
    .expect("valid regex")
});

/// What document-sharing sites print around a text preview: lines of these words alone.
static SITE_BOILERPLATE: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new([
        "download",
        "unduh",
        "citation preview",
        "advertisement",
        "iklan",
        "report this document",
        "laporkan dokumen ini",
        "share",
        "embed",
        "print",
        "download pdf",
        "save",
        "view more",
        "load more",
        "bagikan",
    ])
});

static E_SIGNATURE_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)ditandatangani\s+secara\s+elektronik|sertifikat\s+elektronik|\bBSrE\b")
        .expect("valid regex")
});

/// Whether a (trimmed) line is page furniture only: page numbers, viewer boilerplate, the
/// electronic-signature footer printed on every page.
pub fn is_furniture_text(text: &str) -> bool {
    // Cheap tests first, this runs on every line: page numbers have digits, the footer
    // names its electronic certificate, site boilerplate is a few known words.
    (text.len() < 80 && text.bytes().any(|b| b.is_ascii_digit()) && PAGE_FURNITURE.is_match(text))
        || (text.len() < 300
            && (text.contains("://") || text.as_bytes().first().is_some_and(u8::is_ascii_digit))
            && BROWSER_PRINT.is_match(text))
        || (text.len() < 40 && SITE_BOILERPLATE.find_close(&fold(text), 0.9).is_some())
        || (text.len() < 400
            && (contains_ignoring_case(text, "elektronik") || contains_ignoring_case(text, "bsre"))
            && E_SIGNATURE_FOOTER.is_match(text))
}

/// Whether `text` contains the lowercase ASCII `word` in any letter case.
fn contains_ignoring_case(text: &str, word: &str) -> bool {
    let (text, word) = (text.as_bytes(), word.as_bytes());
    let first = word[0];
    (0..text.len().saturating_sub(word.len() - 1)).any(|i| {
        text[i].to_ascii_lowercase() == first && text[i..i + word.len()].eq_ignore_ascii_case(word)
    })
}

/// "Mengetahui" / "Menyetujui" opening an approver block (folded text).
pub fn is_approve(folded: &str) -> bool {
    if folded.starts_with("mengetahui") || folded.starts_with("menyetujui") {
        return true;
    }
    if !folded.starts_with('m') {
        return false;
    }
    // OCR variants ("Mengetahu i", "Mengelahui"): the first two words run together, near
    // the word's length.
    let squeezed: String = folded.split(' ').take(2).collect();
    (8..=13).contains(&squeezed.chars().count())
        && APPROVE_WORDS.find_close(&squeezed, 0.8).is_some()
}

static APPROVE_WORDS: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::new(["mengetahui", "menyetujui"]));

/// Words describing a page rather than its text ("A handwritten signature in black ink ...").
const DESCRIPTION_WORDS: &[&str] = &[
    "signature",
    "tanda tangan",
    "ttd",
    "stempel",
    "cap dinas",
    "materai",
    "meterai",
];

/// A description of a signature, stamp or seal in place of the text (folded).
pub fn is_signature_description(folded: &str) -> bool {
    DESCRIPTION_WORDS.iter().any(|w| folded.contains(w))
}

/// Words that open an indicator ("Persentase ...", "Jumlah ..."): what is measured.
const MEASURE_OPENERS: &[&str] = &[
    "persentase",
    "prosentase",
    "jumlah",
    "indeks",
    "indek",
    "tingkat",
    "nilai",
    "rasio",
    "cakupan",
    "rata",
    "angka",
    "capaian",
    "presentase",
    "proporsi",
    "banyaknya",
    "kualitas",
    "ketepatan",
    "predikat",
    "skor",
    "opini",
    "terlaksananya",
    "tersedianya",
    "terpenuhinya",
];

/// The measures that open an indicator and almost never stand first in a wrapped line of a
/// title-case phrase (unlike "Capaian", "Kualitas", "Nilai").
const STRONG_MEASURES: &[&str] = &[
    "persentase",
    "prosentase",
    "presentase",
    "jumlah",
    "indeks",
    "indek",
    "tingkat",
    "rasio",
    "rata",
    "cakupan",
];

/// The first word of `text`, lowercased without trailing punctuation, if it is capitalised.
fn capitalised_first(text: &str) -> Option<String> {
    let first = text.split_whitespace().next()?;
    first.starts_with(|c: char| c.is_uppercase()).then(|| {
        first
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    })
}

/// Whether `word` (lowercase) is a nominalised passive that opens a sasaran
/// ("terlaksananya", "meningkatnya").
fn is_nominalised(word: &str) -> bool {
    word.len() >= 8
        && word.ends_with("nya")
        && ["ter", "me", "di", "ber", "ke"]
            .iter()
            .any(|p| word.starts_with(p))
}

/// Whether a line opens a sasaran cell beyond doubt: a capitalised nominalised passive.
pub fn opens_sasaran(text: &str) -> bool {
    capitalised_first(text).is_some_and(|w| is_nominalised(&w))
}

/// Whether a line opens an indicator cell beyond doubt: a capitalised strong measure word.
pub fn opens_indicator(text: &str) -> bool {
    capitalised_first(text)
        .is_some_and(|w| STRONG_MEASURES.contains(&w.split('-').next().unwrap_or("")))
}

/// Whether a cell's first word opens a cell of its own: a measure ("Persentase", "Jumlah")
/// or a nominalised passive ("Terlaksananya", "Meningkatnya", "Tersedianya") that opens a
/// sasaran. Such a word starts a new cell; wrapped text rarely starts with one.
pub fn opens_cell(text: &str) -> bool {
    let Some(word) = capitalised_first(text) else {
        return false;
    };
    is_nominalised(&word) || MEASURE_OPENERS.contains(&word.split('-').next().unwrap_or(""))
}

/// Phrases that name another kind of performance document, with its kind.
const NEAR_MISSES: &[(&str, DocumentKind)] = &[
    ("perjanjian kinerja", DocumentKind::PerjanjianKinerja),
    ("indikator kinerja utama", DocumentKind::Iku),
    ("sasaran kinerja pegawai", DocumentKind::Skp),
    ("matriks cascading", DocumentKind::Unknown),
    ("cascading kinerja", DocumentKind::Unknown),
    ("pohon kinerja", DocumentKind::Unknown),
    ("rencana aksi", DocumentKind::Unknown),
];

/// The kind of performance document a folded line names, if it names another than IKI.
pub fn near_miss_kind(folded: &str) -> Option<DocumentKind> {
    NEAR_MISSES
        .iter()
        .find(|(phrase, _)| folded.contains(phrase))
        .map(|(_, kind)| *kind)
}

/// Words a cell or sentence does not end with unless it was cut.
const CONNECTIVES: [&str; 17] = [
    "dan", "yang", "atau", "di", "ke", "dari", "untuk", "dengan", "pada", "serta", "oleh",
    "terhadap", "dalam", "/", "x", "dibagi", "dan/atau",
];

/// Whether a text stops mid-phrase: its last word is a connective ("... dan", "... yang",
/// "dipenuhi /"), unless a clause ended before it ("kepada Camat; dan" ends a list item
/// before the last one). Text cut at a row or line boundary ends so.
pub fn ends_mid_phrase(text: &str) -> bool {
    let mut words = text.split_whitespace().rev();
    let Some(last) = words.next() else {
        return false;
    };
    let after_clause = words.next().is_some_and(|w| w.ends_with([';', ',', ':']));
    !after_clause && is_connective(last)
}

/// Whether `word` is a connective ([`CONNECTIVES`]), in any case.
pub fn is_connective(word: &str) -> bool {
    CONNECTIVES.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn browser_print_headers_and_footers_are_furniture() {
        for line in [
            "11/26/26, 2:10 AM                                   IKI",
            "11/26/26, 2:10 AM IKI",
            "26/11/2026 14.10",
            "file:///tmp/export/iki-kecamatan.html                       1/14",
            "https://example.go.id/dokumen/iki?id=7     Indikator Kinerja     3 / 9",
        ] {
            assert!(is_furniture_text(line), "{line}");
        }
        for line in [
            "1.    Terselenggaranya fasilitasi kebutuhan operasional kantor",
            "Lumajang, 10 Januari 2024",
            "Jumlah dokumen yang diselesaikan / Jumlah dokumen x 100%",
            "NIP. 19720818 199403 1 009",
        ] {
            assert!(!is_furniture_text(line), "{line}");
        }
    }

    proptest! {
        /// The bounded check agrees with the plain normalised edit distance it replaces.
        #[test]
        fn close_is_normalized_levenshtein(
            a in "[a-eé ]{0,12}",
            b in "[a-eé ]{0,12}",
            threshold in prop::sample::select(vec![0.5, 0.77, 0.8, 0.85, 0.9]),
        ) {
            prop_assert_eq!(close(&a, &b, threshold), normalized_levenshtein(&a, &b) >= threshold);
        }

        /// The bit-parallel distance is the edit distance, up to a 64-byte side.
        #[test]
        fn ascii_distance_is_levenshtein(a in "[a-f0-9 ]{0,70}", b in "[a-f0-9 ]{1,64}") {
            prop_assert_eq!(ascii_distance(a.as_bytes(), b.as_bytes()), strsim::levenshtein(&a, &b));
        }

        /// The byte-wise ASCII fold is the plain character-by-character fold.
        #[test]
        fn ascii_fold_is_the_plain_fold(s in "[a-zA-Z0-9 .,:/()_-]{0,40}") {
            let mut plain = String::new();
            let mut space = false;
            for c in s.chars() {
                if c.is_alphanumeric() {
                    if space && !plain.is_empty() {
                        plain.push(' ');
                    }
                    space = false;
                    plain.push(c.to_ascii_lowercase());
                } else {
                    space = true;
                }
            }
            let mut appended = String::from("x");
            fold_into(&s, &mut appended);
            prop_assert_eq!(&fold(&s), &plain);
            prop_assert_eq!(appended, format!("x{plain}"));
        }

        /// Folding a head gives a prefix of the whole fold, long enough for its readers.
        #[test]
        fn fold_head_is_a_long_enough_prefix(s in "[a-zA-Zé.,: -]{0,80}", n in 0usize..40) {
            let (whole, head) = (fold(&s), fold_head(&s, n));
            prop_assert!(whole.starts_with(&head));
            prop_assert!(head.chars().count() >= n.min(whole.chars().count()));
        }
    }

    #[test]
    fn labels_known_answers() {
        let cases = [
            ("Tugas pokok", Some(Label::TugasPokok)),
            ("TUGAS POKOK", Some(Label::TugasPokok)),
            ("Tugas Pokol", Some(Label::TugasPokok)),
            ("Unit Kerja", Some(Label::Jabatan)),
            ("JABATAN", Some(Label::Jabatan)),
            ("lndikator Tujuan", Some(Label::IndikatorTujuan)),
            ("Indikator", Some(Label::Indikator)),
            ("Fungsi", Some(Label::Fungsi)),
            ("NIP", None),
            ("Lumajang", None),
        ];
        for (text, expected) in cases {
            assert_eq!(label(&fold(text)), expected, "{text}");
        }
        assert_eq!(
            label_block(&fold("1. Jabatan 2. Tugas Pokok 3. Fungsi")),
            Some(vec![Label::Jabatan, Label::TugasPokok, Label::Fungsi])
        );
        assert_eq!(
            label_block(&fold("JABATAN TUGAS FUNGSI")),
            Some(vec![Label::Jabatan, Label::TugasPokok, Label::Fungsi])
        );
        assert_eq!(label_block(&fold("1. Jabatan")), None);
        assert_eq!(label_block(&fold("a. menyusun rencana kerja")), None);
    }

    #[test]
    fn columns_known_answers() {
        let cases = [
            ("No.", Some(Column::No)),
            ("Sasaran (Program/Kegiatan)*", Some(Column::Sasaran)),
            ("KINERJA", Some(Column::Sasaran)),
            ("SASARAN/KINERJA UTAMA", Some(Column::Sasaran)),
            ("Indikator Kinerja Individu", Some(Column::Indikator)),
            ("INDIKATOR KEGIATAN", Some(Column::Indikator)),
            ("lNDIKATOR KINERJA", Some(Column::Indikator)),
            ("Rumus/ Formula Perhitungan", Some(Column::Rumus)),
            ("PENJELASAN / FORMULASI PERHITUNGAN", Some(Column::Rumus)),
            ("TARGET", Some(Column::Target)),
            ("Sumber Data", Some(Column::SumberData)),
            ("Penanggung Jawab", Some(Column::PenanggungJawab)),
            ("Meningkatnya Fasilitasi", None),
            ("INDIK ATOR KINERJA INDIVIDU", Some(Column::Indikator)),
            ("RU MUS / FORMULA PERHITUNGAN", Some(Column::Rumus)),
            ("5ASARAN", Some(Column::Sasaran)),
            ("Kecamatan Lumajang", None),
        ];
        for (text, expected) in cases {
            assert_eq!(column(&fold(text)), expected, "{text}");
        }
    }

    #[test]
    fn titles_and_positions() {
        assert!(is_iki_title(&fold("**INDIKATOR KINERJA INDIVIDU (IKI)")));
        assert!(is_iki_title(&fold("lNDIKATOR KINERJA lNDIVIDU")));
        assert!(is_iki_title(&fold("INDIKATORKINERJA INDIVIDU TAHUN 2024")));
        assert!(!is_iki_title(&fold("INDIKATOR KINERJA UTAMA")));
        assert!(!is_iki_title(&fold("Indikator Tujuan :")));
        assert!(is_position(&fold("Plt. CAMAT CANDIPURO")));
        assert!(is_position(&fold("Kasi Pelayanan Umum")));
        assert!(!is_position(&fold("MASRUHIN, S.Sos")));
        assert!(!is_position(&fold("Drs. A. SYAIFUL HADI")));
    }
}
