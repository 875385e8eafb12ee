//! The seeded random source of a rendering and the few draws the renderer makes with it.
//!
//! Xoshiro256++ is a fixed, documented algorithm, so a seed gives the same rendering on every
//! platform (Cargo.lock pins the sampling code).

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

use crate::family::Family;

/// The random source every rendering step draws from.
pub(crate) struct Dice(Xoshiro256PlusPlus);

impl Dice {
    /// The dice of one (family, seed) pair; families draw from different streams.
    #[cfg(test)]
    pub(crate) fn new(family: Family, seed: u64) -> Dice {
        Dice::for_document(family, seed, 0)
    }

    /// The dice of one (document, family, seed) triple: `document` is a fingerprint of the
    /// document, so one seed renders different documents in different variants.
    pub(crate) fn for_document(family: Family, seed: u64, document: u64) -> Dice {
        let mixed = seed
            ^ (family.number() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ document.rotate_left(17);
        Dice(Xoshiro256PlusPlus::seed_from_u64(mixed))
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.0.random_bool(p.clamp(0.0, 1.0))
    }

    /// A number in `lo..=hi`.
    pub(crate) fn between(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            return lo;
        }
        self.0.random_range(lo..=hi)
    }

    /// One of some fixed words.
    pub(crate) fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.between(0, words.len().saturating_sub(1))]
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.between(0, items.len().saturating_sub(1))]
    }
}

/// FNV-1a of some bytes: a stable fingerprint (unlike `std`'s hasher, fixed across releases).
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
