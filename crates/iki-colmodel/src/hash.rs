//! Hashing of words and features into the model's fixed table.
//!
//! Words are hashed with FNV-1a over their lowercase UTF-8 bytes, so a word hashes the same
//! whichever case it was printed in, and the lexicon can be looked up by hash without building
//! a lowercase string. A feature is a (kind, key) pair; [`bucket`] mixes both into a table index.

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a state for a word read one character at a time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordHasher(u64);

impl WordHasher {
    pub(crate) const fn new() -> Self {
        WordHasher(FNV_OFFSET)
    }

    pub(crate) fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ b as u64).wrapping_mul(FNV_PRIME);
    }

    /// Adds a character already folded to lowercase.
    pub(crate) fn char(&mut self, c: char) {
        if c.is_ascii() {
            self.byte(c as u8);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                self.byte(b);
            }
        }
    }

    pub(crate) const fn finish(self) -> u64 {
        self.0
    }
}

/// [`WordHasher`] over bytes that are already lowercase.
pub(crate) const fn word_hash(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    let mut i = 0;
    while i < bytes.len() {
        h = (h ^ bytes[i] as u64).wrapping_mul(FNV_PRIME);
        i += 1;
    }
    h
}

/// Combines two keys (order matters). Cheap: [`bucket`] mixes the result thoroughly.
pub(crate) const fn pair(a: u64, b: u64) -> u64 {
    (a.rotate_left(26) ^ b).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// A 64-bit finaliser (splitmix64), so nearby keys land far apart.
pub(crate) const fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The table index of feature `key` of kind `kind` in a table of `2^bits` rows.
pub(crate) const fn bucket(kind: u8, key: u64, bits: u32) -> usize {
    let h = mix(key.wrapping_add((kind as u64 + 1).wrapping_mul(0xd6e8_feb8_6659_fd93)));
    (h >> (64 - bits)) as usize
}
