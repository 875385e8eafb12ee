//! Output file stems: `OUT_DIR/<stem>.json` must stay inside `OUT_DIR` and never overwrite
//! another input's output (the run's own files live in `OUT_DIR/_run/`, which no
//! `<stem>.json` can name).
//!
//! A stem is built from the input's path ([`stem_for_walked`], [`stem_for_file`]), made safe
//! as one file name ([`sanitize`]) and made unique within the run ([`StemAllocator`]).

use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::{Component, Path};

/// Stems are cut to this many bytes so that `<stem>-NN.json` fits in a file name.
const MAX_STEM_BYTES: usize = 200;

/// walked-stem = component *("__" component), extension of the last component dropped.
///
/// `sub/dir/a.txt` under the walked root gives `sub__dir__a`.
pub fn stem_for_walked(relative: &Path) -> String {
    let without_ext = relative.with_extension("");
    let parts: Vec<String> = without_ext
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    sanitize(&parts.join("__"))
}

/// file-stem = file name without its extension (`.tar.gz` counts as one extension).
pub fn stem_for_file(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    sanitize(without_extension(&name))
}

/// entry-stem = archive-stem "__" component *("__" component), extension of the last
/// component dropped.
///
/// The entry name is split on `/` and `\` whatever the platform that wrote the archive;
/// empty, `.` and `..` components are dropped, so `../../etc/passwd.txt` in `a.zip` gives
/// `a__etc__passwd` and `C:\x.txt` gives `a__C___x`: names from a hostile archive never
/// leave `OUT_DIR`.
pub fn stem_for_entry(archive_stem: &str, entry_name: &str) -> String {
    let parts: Vec<&str> = entry_name
        .split(['/', '\\'])
        .filter(|part| !matches!(*part, "" | "." | ".."))
        .collect();
    let mut joined = archive_stem.to_string();
    if let Some((last, dirs)) = parts.split_last() {
        for dir in dirs {
            joined.push_str("__");
            joined.push_str(dir);
        }
        joined.push_str("__");
        joined.push_str(without_extension(last));
    }
    sanitize(&joined)
}

/// `name` without its extension; `.tar.gz` counts as one, a leading dot is not one.
fn without_extension(name: &str) -> &str {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tar.gz") && name.len() > ".tar.gz".len() {
        return &name[..name.len() - ".tar.gz".len()];
    }
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    }
}

/// Make `raw` safe as a single file name on any platform.
///
/// Path separators, NUL, `:` (drive letters, NTFS streams) and other characters Windows
/// forbids or that are control characters become `_`; `..` collapses to `_`; a leading dot
/// becomes `_` (no hidden outputs); the result is cut to [`MAX_STEM_BYTES`]; an empty
/// result is `input`.
pub fn sanitize(raw: &str) -> String {
    let mut out: String = raw
        .chars()
        .map(|c| if is_forbidden(c) { '_' } else { c })
        .collect();
    while out.contains("..") {
        out = out.replace("..", "_");
    }
    if out.starts_with('.') {
        out.replace_range(..1, "_");
    }
    let trimmed = out.trim_end_matches([' ', '.']).to_string();
    let cut = truncate_at_char_boundary(&trimmed, MAX_STEM_BYTES);
    if cut.is_empty() {
        "input".to_string()
    } else {
        cut.to_string()
    }
}

fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
}

fn truncate_at_char_boundary(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Hands out unique stems in input order: the first `a` is `a`, the next `a-2`, `a-3` ...
///
/// Uniqueness is checked case-insensitively, so outputs do not clash on case-insensitive
/// file systems either. Only a 64-bit hash of each stem is kept (8 bytes per input instead
/// of the whole name, so a run over 10^5 files stays small); a hash collision — odds about
/// n²/2^65, 10^-9 for 10^5 files — only gives a stem an unneeded `-N` suffix, still unique
/// and still the same at every thread count.
#[derive(Debug, Default)]
pub struct StemAllocator {
    taken: KeySet,
}

impl StemAllocator {
    /// The first free stem among `base`, `base-2`, `base-3` ...
    pub fn allocate(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        let mut n = 2;
        while !self.taken.insert(key(&candidate)) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
    }
}

/// A set of keys that costs little more than 8 bytes a key, because memory must not grow
/// much with the number of inputs: a sorted vector of most keys, grown by an eighth at a
/// time, and a small hash set of the newest ones, merged into the vector once it holds a
/// sixteenth as many (so a key is sorted in O(log n) times, amortised).
#[derive(Debug, Default)]
struct KeySet {
    sorted: Vec<u64>,
    recent: HashSet<u64>,
}

impl KeySet {
    /// Add `key`; `false` when it was there already.
    fn insert(&mut self, key: u64) -> bool {
        if self.sorted.binary_search(&key).is_ok() || !self.recent.insert(key) {
            return false;
        }
        if self.recent.len() >= (self.sorted.len() / 16).max(1024) {
            let grown = self.sorted.len() + self.recent.len();
            if grown > self.sorted.capacity() {
                self.sorted.reserve_exact(grown / 8 + self.recent.len());
            }
            self.sorted.extend(self.recent.drain());
            self.sorted.sort_unstable();
        }
        true
    }
}

/// The key of a stem: a fixed (unkeyed, so deterministic) hash of its lowercase form.
fn key(stem: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    stem.to_lowercase().hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_set_finds_every_key_after_merges() {
        let mut set = KeySet::default();
        // Enough keys for several merges into the sorted part; multiples of a large odd
        // number so they come in no order.
        let keys: Vec<u64> = (1..5_000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        for &k in &keys {
            assert!(set.insert(k), "new key {k} reported taken");
        }
        assert!(!set.sorted.is_empty(), "no merge happened");
        for &k in &keys {
            assert!(!set.insert(k), "key {k} lost");
        }
        assert_eq!(set.sorted.len() + set.recent.len(), keys.len());
    }

    #[test]
    fn sanitize_table() {
        let cases = [
            ("plain", "plain"),
            ("a/b", "a_b"),
            ("a\\b", "a_b"),
            ("C:evil", "C_evil"),
            ("nul\0byte", "nul_byte"),
            ("..", "_"),
            ("...", "_"),
            ("a..b", "a_b"),
            (".hidden", "_hidden"),
            ("trailing. ", "trailing"),
            ("", "input"),
            ("Kecamatan Lumajang 2023", "Kecamatan Lumajang 2023"),
        ];
        for (raw, want) in cases {
            assert_eq!(sanitize(raw), want, "sanitize({raw:?})");
        }
    }

    #[test]
    fn sanitize_cuts_long_names_on_a_char_boundary() {
        let long = "é".repeat(150); // 300 bytes
        let s = sanitize(&long);
        assert!(s.len() <= MAX_STEM_BYTES);
        assert!(s.chars().all(|c| c == 'é'));
    }

    #[test]
    fn walked_stems_join_components() {
        assert_eq!(stem_for_walked(Path::new("a.txt")), "a");
        assert_eq!(
            stem_for_walked(Path::new("sub/dir/a.b.md")),
            "sub__dir__a.b"
        );
        assert_eq!(stem_for_walked(Path::new("../x/y.txt")), "x__y");
    }

    #[test]
    fn file_stems_drop_one_extension() {
        assert_eq!(stem_for_file(Path::new("/tmp/report.txt")), "report");
        assert_eq!(stem_for_file(Path::new("bundle.TAR.GZ")), "bundle");
        assert_eq!(stem_for_file(Path::new("noext")), "noext");
        assert_eq!(stem_for_file(Path::new(".profile")), "_profile");
        assert_eq!(stem_for_file(Path::new("..")), "input");
    }

    #[test]
    fn entry_stems_stay_inside_out_dir() {
        let cases = [
            ("a.txt", "z__a"),
            ("dir/b.md", "z__dir__b"),
            ("../../etc/passwd.txt", "z__etc__passwd"),
            ("/abs/path.txt", "z__abs__path"),
            ("C:\\Windows\\x.txt", "z__C___Windows__x"),
            ("nul\0name.txt", "z__nul_name"),
            ("..", "z"),
            ("inner.tar.gz", "z__inner"),
            ("./.hidden.txt", "z__.hidden"),
        ];
        for (name, want) in cases {
            let stem = stem_for_entry("z", name);
            assert_eq!(stem, want, "stem_for_entry({name:?})");
            assert!(!stem.contains(['/', '\\', '\0', ':']));
        }
    }

    #[test]
    fn allocator_makes_stems_unique() {
        let mut stems = StemAllocator::default();
        assert_eq!(stems.allocate("a"), "a");
        assert_eq!(stems.allocate("a"), "a-2");
        assert_eq!(stems.allocate("A"), "A-3");
        assert_eq!(stems.allocate("a-2"), "a-2-2");
        assert_eq!(stems.allocate("summary"), "summary");
    }
}
