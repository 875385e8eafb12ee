//! Fuzz target: `iki_parser::extract` on arbitrary bytes must never panic, hang or overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let doc = iki_parser::extract("fuzz.txt", data);
    assert!((0.0..=1.0).contains(&doc.confidence));
});
