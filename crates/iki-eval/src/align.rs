//! Order-preserving sequence alignment (an LCS-style dynamic program over text similarity), so
//! that one missing or extra element does not shift every later one.

use crate::compare::soft_normalize;

/// Minimum similarity for two elements to be aligned at all.
pub const ALIGN_THRESHOLD: f64 = 0.5;

/// One step of an alignment: indexes into the gold and the predicted sequence.
/// `(Some, Some)` is an aligned pair, `(Some, None)` a gold-only and `(None, Some)` a pred-only
/// element.
pub type Step = (Option<usize>, Option<usize>);

/// What an element is aligned on: weighted text parts (e.g. jabatan, heading, first
/// indicator), soft-normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    parts: Vec<(f64, String)>,
    label: String,
}

impl Key {
    /// A key of weighted parts; empty parts mean "unknown" and are skipped when comparing.
    pub fn new(parts: &[(f64, &str)]) -> Key {
        let shown: Vec<&str> = parts
            .iter()
            .map(|(_, text)| text.trim())
            .filter(|text| !text.is_empty())
            .collect();
        Key {
            parts: parts
                .iter()
                .map(|(w, text)| (*w, soft_normalize(text)))
                .collect(),
            label: shown.join(" / "),
        }
    }

    /// A key of one text.
    pub fn text(text: &str) -> Key {
        Key::new(&[(1.0, text)])
    }

    /// The weighted mean similarity of the parts set on both sides. When no part is set on both
    /// sides: 1 if both keys are entirely empty, else 0.
    pub fn similarity(&self, other: &Key) -> f64 {
        self.weighted_mean(other, text_similarity)
    }

    /// A cheap upper bound of [`Key::similarity`] (edit distance is at least the length
    /// difference), to skip hopeless pairs.
    fn similarity_bound(&self, other: &Key) -> f64 {
        self.weighted_mean(other, length_bound)
    }

    fn weighted_mean(&self, other: &Key, part_similarity: fn(&str, &str) -> f64) -> f64 {
        let mut weight = 0.0;
        let mut sum = 0.0;
        for ((w, a), (_, b)) in self.parts.iter().zip(&other.parts) {
            if !a.is_empty() && !b.is_empty() {
                weight += w;
                sum += w * part_similarity(a, b);
            }
        }
        if weight > 0.0 {
            sum / weight
        } else if self.is_empty() && other.is_empty() {
            1.0
        } else {
            0.0
        }
    }

    fn is_empty(&self) -> bool {
        self.parts.iter().all(|(_, t)| t.is_empty())
    }

    /// The set parts as written, joined with " / ", for display.
    pub fn describe(&self) -> &str {
        &self.label
    }
}

fn text_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        1.0
    } else {
        strsim::normalized_levenshtein(a, b)
    }
}

fn length_bound(a: &str, b: &str) -> f64 {
    let (la, lb) = (a.chars().count(), b.chars().count());
    1.0 - la.abs_diff(lb) as f64 / la.max(lb).max(1) as f64
}

/// Aligns two sequences of keys in order, maximizing the summed similarity of aligned pairs;
/// pairs below [`ALIGN_THRESHOLD`] are never aligned. Steps come out in document order.
pub fn align(gold: &[Key], pred: &[Key]) -> Vec<Step> {
    let sims = similarity_matrix(gold, pred);
    let (n, m) = (gold.len(), pred.len());
    let mut best = vec![vec![0.0f64; m + 1]; n + 1];
    for i in 1..=n {
        for j in 1..=m {
            let skip = best[i - 1][j].max(best[i][j - 1]);
            best[i][j] = match sims[i - 1][j - 1] {
                Some(s) => skip.max(best[i - 1][j - 1] + s),
                None => skip,
            };
        }
    }
    backtrack(&best, &sims)
}

fn similarity_matrix(gold: &[Key], pred: &[Key]) -> Vec<Vec<Option<f64>>> {
    gold.iter()
        .map(|g| pred.iter().map(|p| pair_similarity(g, p)).collect())
        .collect()
}

/// The similarity of two keys if it reaches [`ALIGN_THRESHOLD`].
fn pair_similarity(gold: &Key, pred: &Key) -> Option<f64> {
    if gold.similarity_bound(pred) < ALIGN_THRESHOLD {
        return None;
    }
    Some(gold.similarity(pred)).filter(|s| *s >= ALIGN_THRESHOLD)
}

fn backtrack(best: &[Vec<f64>], sims: &[Vec<Option<f64>>]) -> Vec<Step> {
    let (mut i, mut j) = (sims.len(), best[0].len() - 1);
    let mut steps = Vec::with_capacity(i + j);
    while i > 0 || j > 0 {
        let diagonal = (i > 0 && j > 0)
            .then(|| sims[i - 1][j - 1])
            .flatten()
            .filter(|s| best[i][j] <= best[i - 1][j - 1] + s + 1e-9);
        if diagonal.is_some() {
            steps.push((Some(i - 1), Some(j - 1)));
            i -= 1;
            j -= 1;
        } else if j > 0 && (i == 0 || best[i][j - 1] >= best[i - 1][j]) {
            steps.push((None, Some(j - 1)));
            j -= 1;
        } else {
            steps.push((Some(i - 1), None));
            i -= 1;
        }
    }
    steps.reverse();
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(items: &[&str]) -> Vec<Key> {
        items.iter().map(|s| Key::text(s)).collect()
    }

    #[test]
    fn identical_sequences_align_one_to_one() {
        let k = keys(&["alpha one", "beta two", "gamma three"]);
        let steps = align(&k, &k);
        assert_eq!(
            steps,
            vec![(Some(0), Some(0)), (Some(1), Some(1)), (Some(2), Some(2))]
        );
    }

    #[test]
    fn extra_pred_element_is_skipped() {
        let g = keys(&["alpha one", "beta two", "gamma three"]);
        let p = keys(&["alpha one", "zzzzzzzzzzzz", "beta two", "gamma three"]);
        let steps = align(&g, &p);
        assert_eq!(
            steps,
            vec![
                (Some(0), Some(0)),
                (None, Some(1)),
                (Some(1), Some(2)),
                (Some(2), Some(3))
            ]
        );
    }

    #[test]
    fn missing_pred_element_is_skipped() {
        let g = keys(&["alpha one", "beta two", "gamma three"]);
        let p = keys(&["alpha one", "gamma three"]);
        let steps = align(&g, &p);
        assert_eq!(
            steps,
            vec![(Some(0), Some(0)), (Some(1), None), (Some(2), Some(1))]
        );
    }

    #[test]
    fn empty_sides() {
        assert!(align(&[], &[]).is_empty());
        assert_eq!(align(&keys(&["a"]), &[]), vec![(Some(0), None)]);
        assert_eq!(align(&[], &keys(&["a"])), vec![(None, Some(0))]);
    }

    #[test]
    fn key_parts_missing_on_one_side_are_skipped() {
        let gold = Key::new(&[(1.0, "Camat"), (1.0, "")]);
        let pred = Key::new(&[(1.0, "CAMAT."), (1.0, "IKI CAMAT")]);
        assert_eq!(gold.similarity(&pred), 1.0);
        assert_eq!(Key::text("").similarity(&Key::text("")), 1.0);
        assert_eq!(Key::text("").similarity(&Key::text("a")), 0.0);
        assert_eq!(pred.describe(), "CAMAT. / IKI CAMAT");
    }

    #[test]
    fn dissimilar_elements_stay_unaligned() {
        let steps = align(&keys(&["abcdef"]), &keys(&["uvwxyz"]));
        assert_eq!(steps.len(), 2);
        assert!(steps.iter().all(|(g, p)| g.is_none() || p.is_none()));
    }
}
