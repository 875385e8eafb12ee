//! The order documents are reviewed in, and the pages of the list.
//!
//! The list starts with the documents most in need of a look: lowest confidence first (failed
//! documents have confidence 0), then by name, so the order is stable between runs. The page
//! script pages through this order (after its filters) [`page_count`]s the same way.

use std::cmp::Ordering;

use crate::index::IndexEntry;

/// Document ids in review order: confidence ascending (NaN first), then name, then id.
pub fn review_order(entries: &[IndexEntry]) -> Vec<usize> {
    let mut order: Vec<&IndexEntry> = entries.iter().collect();
    order.sort_by(|a, b| {
        compare_confidence(a.confidence, b.confidence)
            .then_with(|| a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    });
    order.into_iter().map(|e| e.id).collect()
}

fn compare_confidence(a: f64, b: f64) -> Ordering {
    let key = |c: f64| if c.is_nan() { f64::NEG_INFINITY } else { c };
    key(a).total_cmp(&key(b))
}

/// Pages needed for `len` documents, `page_size` per page; an empty list still has one page.
pub fn page_count(len: usize, page_size: usize) -> usize {
    len.div_ceil(page_size.max(1)).max(1)
}

/// The 1-based page that holds position `position` (0-based) of the order.
pub fn page_of(position: usize, page_size: usize) -> usize {
    position / page_size.max(1) + 1
}

/// The positions of the order on 1-based page `page` (empty past the last page).
pub fn page_range(page: usize, len: usize, page_size: usize) -> std::ops::Range<usize> {
    let size = page_size.max(1);
    let start = page.saturating_sub(1).saturating_mul(size).min(len);
    start..start.saturating_add(size).min(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: usize, name: &str, confidence: f64) -> IndexEntry {
        let doc = iki_parser::extract("x.txt", b"");
        let mut entry = IndexEntry::of(id, name, &doc, 0.7);
        entry.confidence = confidence;
        entry
    }

    #[test]
    fn lowest_confidence_first_then_name() {
        let entries = [
            entry(0, "a", 0.9),
            entry(1, "b", 0.0),
            entry(2, "c", 0.5),
            entry(3, "0", 0.9),
            entry(4, "d", f64::NAN),
            entry(5, "b", 0.0),
        ];
        assert_eq!(review_order(&entries), [4, 1, 5, 2, 3, 0]);
        assert!(review_order(&[]).is_empty());
    }

    #[test]
    fn pages_table() {
        for (len, size, pages) in [
            (0, 100, 1),
            (1, 100, 1),
            (100, 100, 1),
            (101, 100, 2),
            (10_000, 100, 100),
            (5, 0, 5),
        ] {
            assert_eq!(page_count(len, size), pages, "{len} / {size}");
        }
    }

    #[test]
    fn every_position_is_on_exactly_one_page() {
        let (len, size) = (250, 100);
        let mut seen = Vec::new();
        for page in 1..=page_count(len, size) {
            let range = page_range(page, len, size);
            assert!(range.len() <= size);
            for position in range {
                assert_eq!(page_of(position, size), page);
                seen.push(position);
            }
        }
        assert_eq!(seen, (0..len).collect::<Vec<_>>());
        assert_eq!(page_range(3, len, size), 200..250);
        assert_eq!(page_range(4, len, size), 250..250);
        assert_eq!(page_range(0, len, size), 0..100);
    }
}
