//! Family 15: a ratio formula printed as a fraction over lines, as equation editors leave it in
//! converted text: the numerator, an optional line of dashes, the denominator, and "x 100%" on
//! one of those lines.
//!
//! A careful reader writes such a rumus as `numerator / denominator x 100%` (the rule for
//! `\frac{A}{B}` in `fixtures/README.md`), whichever line the scale stood on; the formula's
//! parts do not change. [`Fraction::rumus`] is that text: the cell's text in every writer and
//! the gold `rumus` of the rendering.

use crate::gold::GoldIndicator;
use crate::style::{Fractions, ScaleAt};
use crate::text::{chars, wrap};

/// A ratio formula's printed parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Fraction {
    pub numerator: String,
    pub denominator: String,
    /// "x 100%", "x 100"; `None` without a scale.
    pub scale: Option<String>,
}

impl Fraction {
    /// The fraction of an indicator whose gold formula is a ratio with both parts given.
    pub(crate) fn of(ind: &GoldIndicator) -> Option<Fraction> {
        ind.rumus.as_ref()?;
        let formula = ind.formula.as_ref().filter(|f| f.kind == "ratio")?;
        let part = |p: &Option<String>| {
            p.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        let scale = formula.scale.map(|s| {
            let number = if s.fract() == 0.0 {
                format!("{}", s as i64)
            } else {
                s.to_string()
            };
            format!("x {number}{}", formula.unit.as_deref().unwrap_or(""))
        });
        Some(Fraction {
            numerator: part(&formula.numerator)?,
            denominator: part(&formula.denominator)?,
            scale,
        })
    }

    /// The rumus as a careful reader writes the fraction down.
    pub(crate) fn rumus(&self) -> String {
        match &self.scale {
            Some(scale) => format!("{} / {} {scale}", self.numerator, self.denominator),
            None => format!("{} / {}", self.numerator, self.denominator),
        }
    }

    /// The width a column needs for the fraction's parts to stand on one line each: without
    /// dashes a wrapped numerator could not be told from the denominator.
    pub(crate) fn one_line_width(&self, style: Fractions) -> usize {
        let scale = self.scale.as_deref().map_or(0, |s| chars(s) + 1);
        let at = |here: ScaleAt| if style.scale_at == here { scale } else { 0 };
        let top = chars(&self.numerator) + at(ScaleAt::Numerator);
        let bottom = chars(&self.denominator) + at(ScaleAt::Denominator);
        top.max(bottom)
    }

    /// The cell's lines in a column `width` characters wide.
    pub(crate) fn lines(&self, width: usize, style: Fractions) -> Vec<String> {
        let with_scale = |text: &str, here: bool| match (&self.scale, here) {
            (Some(scale), true) => format!("{text} {scale}"),
            _ => text.to_string(),
        };
        let scale_at = match (style.dashes, style.scale_at) {
            (false, ScaleAt::Dashes) => ScaleAt::Denominator,
            (_, at) => at,
        };
        let top = wrap(
            &with_scale(&self.numerator, scale_at == ScaleAt::Numerator),
            width,
        );
        let bottom = wrap(
            &with_scale(&self.denominator, scale_at == ScaleAt::Denominator),
            width,
        );
        let mut lines = top.clone();
        if style.dashes {
            let widest = top
                .iter()
                .chain(&bottom)
                .map(|l| chars(l))
                .max()
                .unwrap_or(3);
            let scale = self
                .scale
                .as_deref()
                .filter(|_| scale_at == ScaleAt::Dashes);
            let room = scale.map_or(0, |s| chars(s) + 1);
            let dashes = "-".repeat(widest.min(width).saturating_sub(room).max(3));
            lines.push(with_scale(&dashes, scale.is_some()));
        }
        lines.extend(bottom);
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gold::GoldFormula;

    fn ratio(scale: Option<f64>, unit: Option<&str>) -> GoldIndicator {
        GoldIndicator {
            rumus: Some("(A/B)*100%".to_string()),
            formula: Some(GoldFormula {
                kind: "ratio".to_string(),
                numerator: Some("Jumlah dokumen yang selesai".to_string()),
                denominator: Some("Jumlah dokumen".to_string()),
                scale,
                unit: unit.map(str::to_string),
            }),
            ..GoldIndicator::default()
        }
    }

    #[test]
    fn the_reader_writes_numerator_slash_denominator() {
        let f = Fraction::of(&ratio(Some(100.0), Some("%"))).unwrap();
        assert_eq!(
            f.rumus(),
            "Jumlah dokumen yang selesai / Jumlah dokumen x 100%"
        );
        let f = Fraction::of(&ratio(None, None)).unwrap();
        assert_eq!(f.rumus(), "Jumlah dokumen yang selesai / Jumlah dokumen");
        let mut count = ratio(None, None);
        count.formula.as_mut().unwrap().kind = "count".to_string();
        assert!(Fraction::of(&count).is_none());
    }

    #[test]
    fn lines_hold_every_word_once() {
        let f = Fraction::of(&ratio(Some(100.0), Some("%"))).unwrap();
        for dashes in [true, false] {
            for scale_at in [ScaleAt::Numerator, ScaleAt::Dashes, ScaleAt::Denominator] {
                let lines = f.lines(14, Fractions { dashes, scale_at });
                let words: Vec<&str> = lines
                    .iter()
                    .flat_map(|l| l.split_whitespace())
                    .filter(|w| !w.starts_with("---"))
                    .collect();
                let rumus = f.rumus();
                let mut expected: Vec<&str> = rumus.split_whitespace().collect();
                expected.retain(|w| *w != "/");
                let (mut a, mut b) = (words.clone(), expected.clone());
                a.sort_unstable();
                b.sort_unstable();
                assert_eq!(a, b, "{lines:?}");
                assert_eq!(lines.iter().any(|l| l.starts_with("---")), dashes);
            }
        }
    }
}
