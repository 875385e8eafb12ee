//! The two charts of the overview as inline SVG, drawn here so the page needs no chart library:
//! the confidence histogram and the reliability plot (measured accuracy against confidence).
//!
//! Plain SVG elements with classes (styled by the page's CSS) and `<title>` tooltips; no
//! `xmlns`, no links, no external references. Every number is formatted here; the only text
//! that could come from data (none today) would go through [`crate::escape::html`].

use std::fmt::Write;

use crate::escape;
use crate::eval::{ReliabilityBin, BINS};

/// Per-document dots are drawn up to this many documents; beyond, only the bins.
const MAX_DOTS: usize = 2_000;

/// A plot area inside an SVG canvas.
#[derive(Debug, Clone, Copy)]
struct Frame {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

impl Frame {
    fn x(&self, fraction: f64) -> f64 {
        self.left + fraction.clamp(0.0, 1.0) * self.width
    }

    fn y(&self, fraction: f64) -> f64 {
        self.top + (1.0 - fraction.clamp(0.0, 1.0)) * self.height
    }

    fn bottom(&self) -> f64 {
        self.top + self.height
    }
}

/// The confidence histogram: one bar per bin, bars below `low` in the warning colour, a dashed
/// line at `low`.
pub fn histogram(counts: &[usize; BINS], low: f64) -> String {
    let frame = Frame {
        left: 44.0,
        top: 16.0,
        width: 380.0,
        height: 170.0,
    };
    let max = nice_max(counts.iter().copied().max().unwrap_or(0));
    let mut svg = open_svg(470, 230, "Histogram of document confidence");
    y_axis(&mut svg, &frame, max);
    for (i, &count) in counts.iter().enumerate() {
        bar(&mut svg, &frame, i, count, max, low);
    }
    x_axis(&mut svg, &frame, "document confidence");
    threshold(&mut svg, &frame, low);
    svg.push_str("</svg>");
    svg
}

fn bar(svg: &mut String, frame: &Frame, bin: usize, count: usize, max: usize, low: f64) {
    let slot = frame.width / BINS as f64;
    let (min_c, max_c) = (bin as f64 / BINS as f64, (bin + 1) as f64 / BINS as f64);
    let height = frame.height * count as f64 / max as f64;
    let x = frame.left + slot * bin as f64 + 2.0;
    let class = if max_c <= low + 1e-9 {
        "bar low"
    } else {
        "bar"
    };
    let _ = write!(
        svg,
        r#"<rect class="{class}" x="{x:.1}" y="{:.1}" width="{:.1}" height="{height:.1}"><title>{}</title></rect>"#,
        frame.bottom() - height,
        slot - 4.0,
        escape::html(&format!("{min_c:.1}–{max_c:.1}: {count} documents")),
    );
    if count > 0 {
        let _ = write!(
            svg,
            r#"<text class="count" x="{:.1}" y="{:.1}">{count}</text>"#,
            x + (slot - 4.0) / 2.0,
            frame.bottom() - height - 4.0
        );
    }
}

/// The reliability plot: the diagonal of perfect calibration, one dot per evaluated document,
/// and per bin a point at (mean confidence, mean accuracy) sized by its count.
pub fn reliability(bins: &[ReliabilityBin], points: &[(f64, f64)]) -> String {
    let frame = Frame {
        left: 44.0,
        top: 16.0,
        width: 200.0,
        height: 200.0,
    };
    let mut svg = open_svg(
        270,
        262,
        "Reliability: measured accuracy against confidence",
    );
    fraction_axis_y(&mut svg, &frame);
    x_axis(&mut svg, &frame, "confidence");
    let _ = write!(
        svg,
        r#"<line class="diagonal" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
        frame.x(0.0),
        frame.y(0.0),
        frame.x(1.0),
        frame.y(1.0)
    );
    if points.len() <= MAX_DOTS {
        for &(confidence, accuracy) in points {
            dot(&mut svg, &frame, confidence, accuracy);
        }
    }
    bin_points(&mut svg, &frame, bins);
    svg.push_str("</svg>");
    svg
}

fn dot(svg: &mut String, frame: &Frame, confidence: f64, accuracy: f64) {
    let _ = write!(
        svg,
        r#"<circle class="doc" cx="{:.1}" cy="{:.1}" r="2"/>"#,
        frame.x(confidence),
        frame.y(accuracy)
    );
}

fn bin_points(svg: &mut String, frame: &Frame, bins: &[ReliabilityBin]) {
    let filled: Vec<&ReliabilityBin> = bins.iter().filter(|b| b.count > 0).collect();
    let most = filled.iter().map(|b| b.count).max().unwrap_or(1) as f64;
    let line: Vec<String> = filled
        .iter()
        .map(|b| {
            format!(
                "{:.1},{:.1}",
                frame.x(b.mean_confidence),
                frame.y(b.mean_accuracy)
            )
        })
        .collect();
    if line.len() > 1 {
        let _ = write!(
            svg,
            r#"<polyline class="calibration" points="{}"/>"#,
            line.join(" ")
        );
    }
    for b in filled {
        let r = 3.0 + 5.0 * (b.count as f64 / most).sqrt();
        let tip = format!(
            "{:.1}–{:.1}: {} documents, mean confidence {:.3}, measured accuracy {:.3}",
            b.min, b.max, b.count, b.mean_confidence, b.mean_accuracy
        );
        let _ = write!(
            svg,
            r#"<circle class="bin" cx="{:.1}" cy="{:.1}" r="{r:.1}"><title>{}</title></circle>"#,
            frame.x(b.mean_confidence),
            frame.y(b.mean_accuracy),
            escape::html(&tip)
        );
    }
}

fn open_svg(width: u32, height: u32, label: &str) -> String {
    format!(
        r#"<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{}">"#,
        escape::html(label)
    )
}

/// The x axis from 0 to 1 with ticks every 0.1 (labelled every 0.2) and a caption.
fn x_axis(svg: &mut String, frame: &Frame, caption: &str) {
    let y = frame.bottom();
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/>"#,
        frame.left,
        frame.left + frame.width
    );
    for tick in 0..=BINS {
        let x = frame.x(tick as f64 / BINS as f64);
        let _ = write!(
            svg,
            r#"<line class="axis" x1="{x:.1}" y1="{y:.1}" x2="{x:.1}" y2="{:.1}"/>"#,
            y + 4.0
        );
        if tick % 2 == 0 {
            let _ = write!(
                svg,
                r#"<text class="tick" x="{x:.1}" y="{:.1}">{:.1}</text>"#,
                y + 16.0,
                tick as f64 / BINS as f64
            );
        }
    }
    let _ = write!(
        svg,
        r#"<text class="caption" x="{:.1}" y="{:.1}">{}</text>"#,
        frame.left + frame.width / 2.0,
        y + 34.0,
        escape::html(caption)
    );
}

/// A count axis from 0 to `max`, labelled at 0, the middle (when it is a whole number) and `max`.
fn y_axis(svg: &mut String, frame: &Frame, max: usize) {
    grid_line(svg, frame, frame.y(0.0), "0");
    if max & 1 == 0 {
        grid_line(svg, frame, frame.y(0.5), &(max / 2).to_string());
    }
    grid_line(svg, frame, frame.y(1.0), &max.to_string());
}

/// A fraction axis from 0 to 1 with grid lines every 0.25.
fn fraction_axis_y(svg: &mut String, frame: &Frame) {
    for step in 0..=4 {
        let fraction = step as f64 / 4.0;
        grid_line(svg, frame, frame.y(fraction), &format!("{fraction:.2}"));
    }
    let _ = write!(
        svg,
        r#"<text class="caption" transform="translate(12 {:.1}) rotate(-90)">measured accuracy</text>"#,
        frame.top + frame.height / 2.0
    );
}

fn grid_line(svg: &mut String, frame: &Frame, y: f64, label: &str) {
    let _ = write!(
        svg,
        r#"<line class="grid" x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="ylabel" x="{:.1}" y="{:.1}">{}</text>"#,
        frame.left,
        frame.left + frame.width,
        frame.left - 6.0,
        y + 4.0,
        escape::html(label)
    );
}

fn threshold(svg: &mut String, frame: &Frame, low: f64) {
    let x = frame.x(low);
    let _ = write!(
        svg,
        r#"<line class="threshold" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/><text class="tick" x="{x:.1}" y="{:.1}">{}</text>"#,
        frame.top - 4.0,
        frame.bottom(),
        frame.top - 6.0,
        escape::html(&format!("review below {low}"))
    );
}

/// A round axis maximum at or above `max` (1, 2, 5 × 10^k), at least 1.
fn nice_max(max: usize) -> usize {
    let mut scale = 1;
    loop {
        for step in [1, 2, 5] {
            if step * scale >= max {
                return step * scale;
            }
        }
        scale *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval;

    #[test]
    fn nice_max_table() {
        for (max, nice) in [
            (0, 1),
            (1, 1),
            (2, 2),
            (3, 5),
            (7, 10),
            (10, 10),
            (11, 20),
            (4_999, 5_000),
            (10_001, 20_000),
        ] {
            assert_eq!(nice_max(max), nice, "{max}");
        }
    }

    #[test]
    fn histogram_has_a_bar_per_bin_and_no_references() {
        let svg = histogram(&[0, 0, 1, 0, 0, 0, 0, 3, 10, 40], 0.7);
        assert_eq!(svg.matches("<rect").count(), BINS);
        assert_eq!(svg.matches(r#"class="bar low""#).count(), 7);
        assert!(svg.contains("0.9–1.0: 40 documents"));
        assert_no_references(&svg);
    }

    #[test]
    fn reliability_draws_bins_dots_and_diagonal() {
        let points = [(0.95, 1.0), (0.91, 0.8), (0.55, 0.25)];
        let svg = reliability(&eval::reliability(&points), &points);
        assert_eq!(svg.matches(r#"class="doc""#).count(), 3);
        assert_eq!(svg.matches(r#"class="bin""#).count(), 2);
        assert!(svg.contains("polyline") && svg.contains("diagonal"));
        assert_no_references(&svg);
        let empty = reliability(&eval::reliability(&[]), &[]);
        assert!(!empty.contains("polyline"));
    }

    fn assert_no_references(svg: &str) {
        for bad in ["http", "href", "xmlns", "url(", "NaN", "inf"] {
            assert!(!svg.contains(bad), "{bad} in {svg}");
        }
    }
}
