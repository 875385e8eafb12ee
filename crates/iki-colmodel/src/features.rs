//! Features of a cell's text, hashed into the model's table without allocating.
//!
//! One left-to-right pass reads the text as tokens: words (runs of letters and digits) and
//! single symbols (operators and punctuation). Markup a converter leaves in cells is read
//! through: `**`, `$`, braces, HTML tags are skipped, LaTeX `\frac` counts as a division and
//! `\times` / `\cdot` as a multiplication. Each group of features can be switched off
//! ([`FeatureSet`]) so the evaluation can measure what each contributes.
//!
//! Bags whose size grows with the text (skeleton bigrams, function words, suffixes, character
//! n-grams) are scaled by `1/sqrt(size)`, so a long cell is not more certain merely for being
//! long.

use crate::hash::{bucket, pair, word_hash, WordHasher};
use crate::lexicon::{self, Group, Groups, GROUPS};

/// Which feature groups a model uses (bits, stored in the model file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureSet(pub u32);

impl FeatureSet {
    /// Word shape and cell shape: case, length, digits, punctuation, token pattern of short cells.
    pub const SHAPE: u32 = 1;
    /// Operators and math: ÷ × x / : = % + ( ), `dibagi`, `dikali`, `x 100`, numbers with units.
    pub const MATH: u32 = 1 << 1;
    /// The domain's function words (the lexicon): their groups by position, and the words.
    pub const LEXICON: u32 = 1 << 2;
    /// Affixes of the first and last word (`ter-…-nya`, `me-`, `pe-…-an`) and suffixes of all.
    pub const AFFIX: u32 = 1 << 3;
    /// Bigrams of the token skeleton: function words as themselves, other words by shape and
    /// suffix, symbols as themselves.
    pub const SKELETON: u32 = 1 << 4;
    /// Every word as itself (topic-prone: names the corpus's subjects).
    pub const WORDS: u32 = 1 << 5;
    /// Character 2–4-grams of the whole text (topic-prone).
    pub const CHARS: u32 = 1 << 6;

    /// The set the shipped model uses (chosen by the evaluation; see the crate docs).
    pub const DEFAULT: FeatureSet =
        FeatureSet(Self::SHAPE | Self::MATH | Self::LEXICON | Self::AFFIX | Self::SKELETON);

    pub const fn has(self, bit: u32) -> bool {
        self.0 & bit != 0
    }
}

/// Receives hashed features.
pub(crate) trait Sink {
    fn add(&mut self, bucket: usize, value: f32);
}

/// Feature kinds: the first argument of [`bucket`], so equal keys of different kinds differ.
mod kind {
    pub const BIAS: u8 = 0;
    pub const CHARS_LEN: u8 = 1;
    pub const WORDS_LEN: u8 = 2;
    pub const CASE: u8 = 3;
    pub const FIRST_CHAR: u8 = 4;
    pub const LAST_CHAR: u8 = 5;
    pub const DIGIT_SHARE: u8 = 6;
    pub const PATTERN: u8 = 7;
    pub const OP: u8 = 8;
    pub const OP_COUNT: u8 = 9;
    pub const NUMBER: u8 = 10;
    pub const DIGIT_RUN: u8 = 11;
    pub const ANY_GROUP: u8 = 12;
    pub const FIRST_GROUP: u8 = 13;
    pub const LAST_GROUP: u8 = 14;
    pub const FUNCTION_WORD: u8 = 15;
    pub const FIRST_FUNCTION_WORD: u8 = 16;
    pub const ALL_HEADER: u8 = 17;
    pub const FIRST_PREFIX: u8 = 18;
    pub const FIRST_SUFFIX: u8 = 19;
    pub const LAST_SUFFIX: u8 = 20;
    pub const SUFFIX: u8 = 21;
    pub const SKELETON: u8 = 22;
    pub const WORD: u8 = 23;
    pub const FIRST_WORD: u8 = 24;
    pub const CHARS: u8 = 25;
    pub const GROUP_SHARE: u8 = 26;
    pub const OP_CLASS: u8 = 27;
    pub const MAGNITUDE: u8 = 28;
    pub const COLON_AT: u8 = 29;
    pub const MARKER: u8 = 30;
}

/// Symbols the reader gives operators and punctuation.
mod sym {
    pub const DIV: char = '÷';
    pub const MUL: char = '×';
    pub const SUM: char = '∑';
    pub const CMP: char = '≥';
    pub const DASH: char = '-';
}

/// The shape of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Shape {
    Num = 0,
    Upper = 1,
    Cap = 2,
    Lower = 3,
    Mixed = 4,
}

/// A word being read.
#[derive(Debug, Clone, Copy)]
struct Word {
    hash: WordHasher,
    chars: u32,
    upper: u32,
    lower: u32,
    digits: u32,
    first_upper: bool,
    ascii: bool,
    head: [char; 3],
    tail: [char; 3],
}

impl Word {
    const fn new() -> Self {
        Word {
            hash: WordHasher::new(),
            chars: 0,
            upper: 0,
            lower: 0,
            digits: 0,
            first_upper: false,
            ascii: true,
            head: ['\0'; 3],
            tail: ['\0'; 3],
        }
    }

    /// Adds a non-ASCII letter or digit (ASCII runs take [`Reader::ascii_run`]).
    fn push_non_ascii(&mut self, c: char) {
        self.ascii = false;
        if c.is_numeric() {
            self.digits += 1;
        } else if c.is_uppercase() {
            self.upper += 1;
            self.first_upper |= self.chars == 0;
        } else {
            self.lower += 1;
        }
        let low = c.to_lowercase().next().unwrap_or(c);
        self.hash.char(low);
        if (self.chars as usize) < 3 {
            self.head[self.chars as usize] = low;
        }
        self.tail = [self.tail[1], self.tail[2], low];
        self.chars += 1;
    }

    fn shape(&self) -> Shape {
        let letters = self.upper + self.lower;
        if letters == 0 {
            Shape::Num
        } else if self.digits > 0 {
            Shape::Mixed
        } else if self.upper == letters && letters >= 2 {
            Shape::Upper
        } else if self.first_upper && self.upper == 1 {
            Shape::Cap
        } else if self.upper == 0 {
            Shape::Lower
        } else {
            Shape::Mixed
        }
    }

    /// A suffix class that tells nominalised passives (`-nya`) and verbs (`-kan`, `-i`) apart.
    fn suffix_class(&self) -> u8 {
        let t = self.tail;
        if self.chars >= 5 && t == ['n', 'y', 'a'] {
            1
        } else if self.chars >= 5 && t[1..] == ['a', 'n'] && t[0] == 'k' {
            2
        } else if self.chars >= 5 && t[1..] == ['a', 'n'] {
            3
        } else {
            0
        }
    }

    /// The last `n` (≤ 3) lowercase characters as a key.
    fn suffix_key(&self, n: usize) -> u64 {
        let mut k = n as u64;
        for c in &self.tail[3 - n..] {
            k = pair(k, *c as u64);
        }
        k
    }

    /// The first `n` (≤ 3) lowercase characters as a key.
    fn prefix_key(&self, n: usize) -> u64 {
        let mut k = 16 + n as u64;
        for c in &self.head[..n] {
            k = pair(k, *c as u64);
        }
        k
    }
}

/// A token's class in the skeleton.
fn word_symbol(w: &Word, groups: Groups) -> u64 {
    if groups != 0 {
        pair(1, w.hash.finish())
    } else {
        pair(2, (w.shape() as u64) << 8 | w.suffix_class() as u64)
    }
}

fn char_symbol(c: char) -> u64 {
    pair(3, c as u64)
}

const BOS: u64 = 0x5eed_0001;
const EOS: u64 = 0x5eed_0002;

/// Sizes that scale the bags: words as one more than the spaces, characters as bytes. A
/// close enough measure, and a count the compiler turns into vector operations.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    chars: u32,
    tokens: u32,
}

fn count(text: &str) -> Counts {
    let spaces = text.bytes().filter(|b| *b == b' ').count();
    Counts {
        chars: text.len().min(u32::MAX as usize) as u32,
        tokens: (spaces + 1).min(u32::MAX as usize) as u32,
    }
}

/// The indexes of the set bits of a group set.
fn bits(groups: Groups) -> impl Iterator<Item = usize> {
    let mut rest = groups;
    std::iter::from_fn(move || {
        (rest != 0).then(|| {
            let g = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            g
        })
    })
}

/// `1/sqrt(n)`, 1 for an empty bag.
fn inv_sqrt(n: u32) -> f32 {
    1.0 / (n.max(1) as f32).sqrt()
}

/// A logarithmic bucket: 0, 1, 2–3, 4–7, … capped.
fn log_bucket(n: u32, cap: u32) -> u64 {
    (32 - n.leading_zeros()).min(cap) as u64
}

/// Reads `text` and hands every feature to `sink`.
pub(crate) fn extract(text: &str, set: FeatureSet, bits: u32, sink: &mut impl Sink) {
    let counts = count(text);
    let mut r = Reader {
        sink,
        set,
        bits,
        token_scale: inv_sqrt(counts.tokens + 1),
        char_scale: inv_sqrt(counts.chars + 1),
        word: Word::new(),
        in_word: false,
        gap: true,
        words: 0,
        capitalised: 0,
        nonheader_words: 0,
        digits: 0,
        visible: 0,
        any_groups: 0,
        first_groups: None,
        last_groups: 0,
        last_word: Word::new(),
        prev: BOS,
        prev_kind: Prev::Start,
        pattern: BOS,
        tokens: 0,
        ops: 0,
        op_seen: 0,
        first_char: None,
        last_char: '\0',
        window: [' '; 3],
        digit_runs: 0,
        longest_run: 0,
        group_words: [0; GROUPS],
        classes_seen: 0,
        after_multiply: false,
        first_number: false,
        number: 0,
        first_colon: None,
        marker: false,
        short_first: false,
    };
    r.emit(kind::BIAS, 0, 1.0);
    r.chars_gram(' ');
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII letters, digits and spaces are most of the text: no decoding for them.
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            i = r.ascii_run(bytes, i);
            continue;
        }
        if b == b' ' {
            r.space();
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        match c {
            '\\' => {
                // A LaTeX command: read its letters, keep what it means.
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                match &bytes[start..i] {
                    b"frac" => r.symbol(sym::DIV),
                    b"times" | b"cdot" => r.symbol(sym::MUL),
                    b"" if bytes.get(i) == Some(&b'%') => {}
                    _ => r.space(),
                }
            }
            '<' if bytes
                .get(i)
                .is_some_and(|d| d.is_ascii_alphabetic() || *d == b'/') =>
            {
                // An HTML tag.
                i = bytes[i..]
                    .iter()
                    .position(|d| *d == b'>')
                    .map_or(bytes.len(), |p| i + p + 1);
                r.space();
            }
            '*' if bytes.get(i) == Some(&b'*') => {
                i += 1;
                r.space();
            }
            '$' | '{' | '}' | '_' | '^' | '`' | '#' | '|' => r.space(),
            c if c.is_alphanumeric() => r.letter(c),
            c if c.is_whitespace() => r.space(),
            '*' | '×' | '✕' => r.symbol(sym::MUL),
            '÷' | '∶' => r.symbol(sym::DIV),
            '∑' | 'Σ' | 'Ʃ' => r.symbol(sym::SUM),
            '≥' | '≤' | '>' | '<' => r.symbol(sym::CMP),
            '–' | '—' | '−' | '‐' | '•' | '\u{f0b7}' => r.symbol(sym::DASH),
            c => r.symbol(c),
        }
    }
    r.finish();
}

const OTHER: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 3;

/// The class of each byte (non-ASCII bytes are [`OTHER`]).
static ASCII_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'0'..=b'9' => DIGIT,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

/// What the previous token was, for number-with-unit and decimal features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    Start,
    Number,
    /// A number directly followed by `.` or `,`.
    NumberPoint,
    Word,
    Symbol,
}

struct Reader<'s, S: Sink> {
    sink: &'s mut S,
    set: FeatureSet,
    bits: u32,
    token_scale: f32,
    char_scale: f32,
    word: Word,
    in_word: bool,
    /// Whitespace since the last token.
    gap: bool,
    words: u32,
    capitalised: u32,
    nonheader_words: u32,
    digits: u32,
    visible: u32,
    any_groups: Groups,
    first_groups: Option<Groups>,
    last_groups: Groups,
    last_word: Word,
    prev: u64,
    prev_kind: Prev,
    /// Hash of the token classes so far (the whole pattern of a short cell).
    pattern: u64,
    tokens: u32,
    ops: u32,
    /// Operators seen (bits by [`op_bit`]), each reported once.
    op_seen: u32,
    first_char: Option<char>,
    last_char: char,
    window: [char; 3],
    digit_runs: u32,
    longest_run: u32,
    group_words: [u32; GROUPS],
    /// Operator classes seen (bits), each reported once.
    classes_seen: u32,
    /// The previous token multiplied (`x`, `×`, `dikali`), for "x 100".
    after_multiply: bool,
    /// The first number's value has been reported.
    first_number: bool,
    /// Value of the number being read (digits only, saturating).
    number: u64,
    /// Token index of the first `:` (a `Label : value` line has it early).
    first_colon: Option<u32>,
    /// The text opens with an item marker (`1.`, `b)`, `3.a.`).
    marker: bool,
    /// The first token was a number or a single letter.
    short_first: bool,
}

impl<S: Sink> Reader<'_, S> {
    fn op_class(&mut self, class: Option<OpClass>) {
        self.after_multiply = class == Some(OpClass::Multiply);
        if let Some(class) = class {
            if self.set.has(FeatureSet::MATH) && self.classes_seen & 1 << class as u32 == 0 {
                self.classes_seen |= 1 << class as u32;
                self.emit(kind::OP_CLASS, class as u64, 1.0);
            }
        }
    }

    fn emit(&mut self, kind: u8, key: u64, value: f32) {
        self.sink.add(bucket(kind, key, self.bits), value);
    }

    /// Character n-grams ending at `c` (lowercased; runs of space as one).
    #[inline]
    fn chars_gram(&mut self, c: char) {
        if self.set.has(FeatureSet::CHARS) {
            self.chars_gram_on(c);
        }
    }

    fn chars_gram_on(&mut self, c: char) {
        let c = if c.is_whitespace() {
            ' '
        } else {
            c.to_lowercase().next().unwrap_or(c)
        };
        if c == ' ' && self.window[2] == ' ' {
            return;
        }
        let w = self.window;
        let mut key = c as u64;
        for (n, prev) in [w[2], w[1], w[0]].into_iter().enumerate() {
            key = pair(key, prev as u64);
            if prev == '\0' {
                break;
            }
            self.emit(kind::CHARS, pair(key, n as u64), self.char_scale);
        }
        self.window = [w[1], w[2], c];
    }

    /// Starts a word unless one is open.
    fn open_word(&mut self) {
        if !self.in_word {
            self.in_word = true;
            self.word = Word::new();
            self.number = 0;
        }
    }

    /// The run of ASCII letters and digits at `bytes[start..]`: part of a word, read in one
    /// loop. Returns where the run ends.
    fn ascii_run(&mut self, bytes: &[u8], start: usize) -> usize {
        self.open_word();
        let w = &mut self.word;
        let mut i = start;
        while i < bytes.len() {
            let b = bytes[i];
            match ASCII_CLASS[b as usize] {
                DIGIT => {
                    w.digits += 1;
                    self.number = self
                        .number
                        .saturating_mul(10)
                        .saturating_add((b - b'0') as u64);
                }
                UPPER => {
                    w.upper += 1;
                    w.first_upper |= w.chars == 0;
                }
                LOWER => w.lower += 1,
                _ => break,
            }
            let low = b.to_ascii_lowercase();
            w.hash.byte(low);
            if w.chars < 3 {
                w.head[w.chars as usize] = low as char;
            }
            w.chars += 1;
            i += 1;
        }
        let run = &bytes[start..i];
        let n = run.len();
        let last = |k: usize| run[n - k].to_ascii_lowercase() as char;
        w.tail = match n {
            1 => [w.tail[1], w.tail[2], last(1)],
            2 => [w.tail[2], last(2), last(1)],
            _ => [last(3), last(2), last(1)],
        };
        for &b in run {
            self.chars_gram(b as char);
        }
        i
    }

    /// A non-ASCII letter or digit: part of a word.
    fn letter(&mut self, c: char) {
        self.open_word();
        self.word.push_non_ascii(c);
        self.chars_gram(c);
    }

    fn space(&mut self) {
        self.end_word();
        self.gap = true;
        self.chars_gram(' ');
    }

    fn end_word(&mut self) {
        if self.in_word {
            self.in_word = false;
            let w = self.word;
            self.finish_word(&w);
        }
    }

    /// One operator or punctuation character.
    fn symbol(&mut self, c: char) {
        self.end_word();
        self.visible += 1;
        self.first_char.get_or_insert(c);
        self.last_char = c;
        if self.set.has(FeatureSet::MATH) {
            if let Some(bit) = op_bit(c) {
                self.ops += 1;
                if self.op_seen & 1 << bit == 0 {
                    self.op_seen |= 1 << bit;
                    self.emit(kind::OP, c as u64, 1.0);
                }
            }
            if c == '%' && matches!(self.prev_kind, Prev::Number) {
                self.emit(kind::NUMBER, 1, 1.0);
            }
        }
        let point = (c == '.' || c == ',') && !self.gap && self.prev_kind == Prev::Number;
        if c == ':' && self.first_colon.is_none() {
            self.first_colon = Some(self.tokens);
        }
        if (c == '.' || c == ')') && self.tokens == 1 && self.short_first {
            self.marker = true;
        }
        self.op_class(op_class_of_symbol(c));
        self.token(char_symbol(c));
        self.prev_kind = if point {
            Prev::NumberPoint
        } else {
            Prev::Symbol
        };
        self.gap = false;
        self.chars_gram(c);
    }

    /// Shared by words and symbols: the skeleton bigram and the short-cell pattern.
    fn token(&mut self, symbol: u64) {
        if self.set.has(FeatureSet::SKELETON) {
            self.emit(kind::SKELETON, pair(self.prev, symbol), self.token_scale);
        }
        if self.tokens < 6 {
            self.pattern = pair(self.pattern, symbol);
        }
        self.tokens += 1;
        self.prev = symbol;
    }

    fn finish_word(&mut self, w: &Word) {
        // A lone "x" between operands is a multiplication sign.
        if w.chars == 1 && w.tail[2] == 'x' {
            self.gap = true;
            self.symbol(sym::MUL);
            self.gap = true;
            return;
        }
        let shape = w.shape();
        let groups = if w.ascii {
            lexicon::groups(w.hash.finish())
        } else {
            0
        };
        let first = self.first_groups.is_none();
        if self.tokens == 0 {
            self.short_first = shape == Shape::Num || w.chars == 1;
        }
        self.words += 1;
        self.visible += w.chars;
        self.digits += w.digits;
        self.first_char.get_or_insert(if w.first_upper {
            'A'
        } else if shape == Shape::Num {
            '0'
        } else {
            'a'
        });
        self.last_char = if shape == Shape::Num { '0' } else { 'a' };
        if matches!(shape, Shape::Cap | Shape::Upper) {
            self.capitalised += 1;
        }
        if groups & 1 << Group::Header as u8 == 0 {
            self.nonheader_words += 1;
        }
        for g in bits(groups) {
            self.group_words[g] += 1;
        }

        if self.set.has(FeatureSet::MATH) {
            if shape == Shape::Num {
                if self.after_multiply {
                    self.emit(kind::NUMBER, 5, 1.0); // "x 100"
                }
                if !self.first_number {
                    self.first_number = true;
                    let value = if w.chars <= 6 { self.number } else { u64::MAX };
                    self.emit(kind::MAGNITUDE, magnitude(value), 1.0);
                }
                self.digit_runs += 1;
                self.longest_run = self.longest_run.max(w.digits);
                if self.prev_kind == Prev::NumberPoint {
                    self.emit(kind::NUMBER, 2, 1.0); // a decimal number
                }
            } else if self.prev_kind == Prev::Number {
                let unit = groups & 1 << Group::Unit as u8 != 0;
                self.emit(kind::NUMBER, if unit { 3 } else { 4 }, 1.0);
            }
            if groups & 1 << Group::Formula as u8 != 0 {
                let h = w.hash.finish();
                self.emit(kind::OP, h, 1.0);
            }
        }
        if self.set.has(FeatureSet::LEXICON) && groups != 0 {
            for g in bits(groups & !self.any_groups) {
                self.emit(kind::ANY_GROUP, g as u64, 1.0);
            }
            self.emit(kind::FUNCTION_WORD, w.hash.finish(), self.token_scale);
            if first {
                self.emit(kind::FIRST_FUNCTION_WORD, w.hash.finish(), 1.0);
            }
        }
        if self.set.has(FeatureSet::LEXICON) && first {
            for g in bits(groups) {
                self.emit(kind::FIRST_GROUP, g as u64, 1.0);
            }
        }
        if self.set.has(FeatureSet::AFFIX) && shape != Shape::Num {
            if first {
                for n in 2..=3 {
                    if w.chars as usize > n {
                        self.emit(kind::FIRST_PREFIX, w.prefix_key(n), 1.0);
                        self.emit(kind::FIRST_SUFFIX, w.suffix_key(n), 1.0);
                    }
                }
                self.emit(kind::FIRST_SUFFIX, w.suffix_class() as u64 | 64, 1.0);
            }
            if w.chars >= 4 {
                self.emit(kind::SUFFIX, w.suffix_key(3), self.token_scale);
            }
        }
        if self.set.has(FeatureSet::WORDS) {
            self.emit(kind::WORD, w.hash.finish(), self.token_scale);
            if first {
                self.emit(kind::FIRST_WORD, w.hash.finish(), 1.0);
            }
        }
        self.op_class(
            if groups & 1 << Group::Formula as u8 != 0 || groups & 1 << Group::Unit as u8 != 0 {
                op_class_of_word(w.hash.finish())
            } else {
                None
            },
        );
        self.any_groups |= groups;
        if first {
            self.first_groups = Some(groups);
        }
        self.last_groups = groups;
        self.last_word = *w;
        self.token(word_symbol(w, groups));
        self.prev_kind = if shape == Shape::Num {
            Prev::Number
        } else {
            Prev::Word
        };
        self.gap = false;
    }

    fn finish(mut self) {
        self.end_word();
        self.chars_gram(' ');
        self.token(EOS);
        let words = self.words;
        if self.set.has(FeatureSet::SHAPE) {
            self.emit(kind::CHARS_LEN, log_bucket(self.visible, 10), 1.0);
            self.emit(kind::WORDS_LEN, log_bucket(words, 7), 1.0);
            let case = if words == 0 {
                0
            } else if self.capitalised == 0 {
                1
            } else if self.capitalised == words {
                2
            } else if self.capitalised * 2 >= words {
                3
            } else {
                4
            };
            self.emit(kind::CASE, case, 1.0);
            let first = self.first_char.unwrap_or('\0');
            self.emit(kind::FIRST_CHAR, first as u64, 1.0);
            self.emit(kind::LAST_CHAR, self.last_char as u64, 1.0);
            let share = if self.visible == 0 || self.digits == 0 {
                0
            } else if self.digits == self.visible {
                1
            } else if self.digits * 2 >= self.visible {
                2
            } else if self.digits * 10 >= self.visible {
                3
            } else {
                4
            };
            self.emit(kind::DIGIT_SHARE, share, 1.0);
            let colon = match self.first_colon {
                None => 0,
                Some(i) => 1 + i.min(4) as u64,
            };
            self.emit(kind::COLON_AT, colon, 1.0);
            if self.marker {
                self.emit(kind::MARKER, (self.tokens > 3) as u64, 1.0);
            }
            if self.tokens <= 6 {
                self.emit(kind::PATTERN, self.pattern, 1.0);
            } else {
                self.emit(kind::PATTERN, 0, 1.0);
            }
        }
        if self.set.has(FeatureSet::MATH) {
            self.emit(kind::OP_COUNT, log_bucket(self.ops, 4), 1.0);
            self.emit(kind::DIGIT_RUN, log_bucket(self.digit_runs, 3), 1.0);
            self.emit(kind::DIGIT_RUN, 16 + log_bucket(self.longest_run, 5), 1.0);
        }
        if self.set.has(FeatureSet::LEXICON) {
            if words > 0 && self.nonheader_words == 0 {
                self.emit(kind::ALL_HEADER, 0, 1.0);
            }
            for g in bits(self.last_groups) {
                self.emit(kind::LAST_GROUP, g as u64, 1.0);
            }
            for g in bits(self.any_groups) {
                // How much of the cell a group's words make up.
                let n = self.group_words[g];
                let share = if n == words {
                    2
                } else if n * 3 >= words {
                    1
                } else {
                    0
                };
                self.emit(kind::GROUP_SHARE, (g as u64) << 4 | share, 1.0);
            }
        }
        if self.set.has(FeatureSet::AFFIX) && words > 0 {
            let last = self.last_word;
            if last.shape() != Shape::Num && last.chars >= 3 {
                self.emit(kind::LAST_SUFFIX, last.suffix_key(3), 1.0);
            }
        }
    }
}

/// What an operator does, shared by its spellings (`÷`, `/`, `\\frac`, "dibagi" divide), so
/// a weight learnt from one spelling carries to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpClass {
    Divide = 0,
    Multiply = 1,
    Percent = 2,
}

fn op_class_of_symbol(c: char) -> Option<OpClass> {
    match c {
        sym::DIV | '/' => Some(OpClass::Divide),
        sym::MUL => Some(OpClass::Multiply),
        '%' => Some(OpClass::Percent),
        _ => None,
    }
}

fn op_class_of_word(hash: u64) -> Option<OpClass> {
    const DIBAGI: u64 = word_hash(b"dibagi");
    const BAGI: u64 = word_hash(b"bagi");
    const DIBANDINGKAN: u64 = word_hash(b"dibandingkan");
    const DIKALI: u64 = word_hash(b"dikali");
    const DIKALIKAN: u64 = word_hash(b"dikalikan");
    const KALIKAN: u64 = word_hash(b"kalikan");
    const PERSEN: u64 = word_hash(b"persen");
    match hash {
        DIBAGI | BAGI | DIBANDINGKAN => Some(OpClass::Divide),
        DIKALI | DIKALIKAN | KALIKAN => Some(OpClass::Multiply),
        PERSEN => Some(OpClass::Percent),
        _ => None,
    }
}

/// A number's size class: row numbers are small, targets are often 100.
fn magnitude(value: u64) -> u64 {
    match value {
        0 => 0,
        1..=9 => 1,
        10..=20 => 2,
        21..=99 => 3,
        100 => 4,
        101..=999 => 5,
        _ => 6,
    }
}

/// Operators, by bit; `None` for plain punctuation.
fn op_bit(c: char) -> Option<u32> {
    Some(match c {
        sym::DIV => 0,
        sym::MUL => 1,
        '/' => 2,
        ':' => 3,
        '=' => 4,
        '%' => 5,
        '+' => 6,
        '(' | ')' => 7,
        sym::SUM => 8,
        sym::CMP => 9,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Collect(Vec<usize>);
    impl Sink for Collect {
        fn add(&mut self, bucket: usize, _: f32) {
            self.0.push(bucket);
        }
    }

    fn features(text: &str) -> Vec<usize> {
        let mut c = Collect(Vec::new());
        extract(text, FeatureSet(u32::MAX), 16, &mut c);
        c.0.sort_unstable();
        c.0
    }

    #[test]
    fn case_does_not_change_words() {
        // Case changes the shape features, not the lexicon ones.
        let a = features("Persentase");
        let b = features("PERSENTASE");
        let shared = a.iter().filter(|x| b.contains(x)).count();
        assert!(shared > a.len() / 2, "{shared} of {}", a.len());
    }

    #[test]
    fn latex_reads_as_its_operators() {
        let plain = features("A ÷ B × 100");
        let latex = features("$\\frac{A}{B} \\times 100$");
        assert_eq!(plain.len(), latex.len());
        let op = |text: &str| {
            let mut c = Collect(Vec::new());
            extract(text, FeatureSet(FeatureSet::MATH), 16, &mut c);
            c.0.sort_unstable();
            c.0
        };
        assert_eq!(op("A ÷ B × 100"), op("$\\frac{A}{B} \\times 100$"));
    }

    #[test]
    fn markup_is_skipped() {
        assert_eq!(features("**Jumlah desa**"), features("Jumlah desa"));
        assert_eq!(features("<b>Jumlah</b> desa"), features(" Jumlah  desa"));
    }

    #[test]
    fn empty_text_has_features() {
        assert!(!features("").is_empty());
    }
}
