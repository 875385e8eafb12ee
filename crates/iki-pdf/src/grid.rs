//! Ruled tables as cell grids, from ruling lines: the PDF's vector rules or the rules found
//! in a page image (`crate::scan::rules`). One grid builder serves both, so a scan and its
//! text-layer PDF are cut into the same cells.
//!
//! ```text
//! rules ──merge──▶ segments (collinear pieces joined)
//!       ──connect──▶ tables (horizontal and vertical segments that cross)
//!       ──lines──▶ column lines xs, row lines ys (outer lines a table lacks are inferred
//!                  from the other rules' ends)
//!       ──borders──▶ grid slots joined where no rule separates them: spanning cells
//! ```
//! The method is the lattice idea of Camelot and img2table: intersecting rules define the
//! grid, and a missing rule between two slots makes one cell of them.

use crate::page::Rule;

/// A border counts as drawn when rules cover at least this share of it.
const DRAWN: f64 = 0.5;

/// One ruled table: its lines and its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Column lines, ascending (`cols + 1` of them).
    pub xs: Vec<f64>,
    /// Row lines, ascending (`rows + 1` of them).
    pub ys: Vec<f64>,
    /// Cells in reading order (by top row, then left column); together they tile the grid.
    pub cells: Vec<GridCell>,
    /// Grid lines no rule drew, inferred from where the other rules end.
    pub inferred_rules: u32,
    /// Cell index of every slot, row-major (`rows × cols`).
    slots: Vec<usize>,
}

/// A cell of a [`Grid`]: its top-left slot and how many rows and columns it spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridCell {
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
}

impl Grid {
    pub fn rows(&self) -> usize {
        self.ys.len() - 1
    }

    pub fn cols(&self) -> usize {
        self.xs.len() - 1
    }

    /// The table's box: left, top, right, bottom.
    pub fn bbox(&self) -> [f64; 4] {
        [
            self.xs[0],
            self.ys[0],
            self.xs[self.xs.len() - 1],
            self.ys[self.ys.len() - 1],
        ]
    }

    /// A cell's box: left, top, right, bottom.
    pub fn cell_box(&self, cell: &GridCell) -> [f64; 4] {
        [
            self.xs[cell.col],
            self.ys[cell.row],
            self.xs[cell.col + cell.cols],
            self.ys[cell.row + cell.rows],
        ]
    }

    /// The cell holding point (x, y), if the point lies inside the table.
    pub fn cell_at(&self, x: f64, y: f64) -> Option<usize> {
        let col = interval(&self.xs, x)?;
        let row = interval(&self.ys, y)?;
        self.slots.get(row * self.cols() + col).copied()
    }

    /// Whether point (x, y) lies inside the table (with `margin` around it).
    pub fn contains(&self, x: f64, y: f64, margin: f64) -> bool {
        let [l, t, r, b] = self.bbox();
        x >= l - margin && x <= r + margin && y >= t - margin && y <= b + margin
    }
}

/// The index `i` with `lines[i] <= v < lines[i + 1]`.
fn interval(lines: &[f64], v: f64) -> Option<usize> {
    if lines.len() < 2 || !(v >= lines[0] && v < lines[lines.len() - 1]) {
        return None;
    }
    Some(lines.partition_point(|&l| l <= v).saturating_sub(1))
}

/// The ruled tables that `rules` draw, top to bottom. `tolerance` is how far apart (in the
/// rules' unit) two rules may lie and still be one line, or meet. A table needs at least two
/// columns: a lone box or a list with rules between items is left to the text layout.
pub fn find_grids(rules: &[Rule], tolerance: f64) -> Vec<Grid> {
    let horizontal = merge(rules.iter().filter(|r| !r.vertical), tolerance);
    let vertical = merge(rules.iter().filter(|r| r.vertical), tolerance);
    let mut grids: Vec<Grid> = connected(&horizontal, &vertical, tolerance)
        .into_iter()
        .filter_map(|(h, v)| {
            let h: Vec<Rule> = h.iter().map(|&i| horizontal[i]).collect();
            let v: Vec<Rule> = v.iter().map(|&i| vertical[i]).collect();
            grid(&h, &v, tolerance)
        })
        .collect();
    grids.sort_by(|a, b| a.ys[0].total_cmp(&b.ys[0]));
    grids
}

/// Collinear rules joined into segments: same line within `tolerance`, and overlapping or
/// separated by at most `tolerance` along it.
fn merge<'a>(rules: impl Iterator<Item = &'a Rule>, tolerance: f64) -> Vec<Rule> {
    let mut sorted: Vec<Rule> = rules
        .filter(|r| r.at.is_finite() && r.from.is_finite() && r.to.is_finite())
        .map(|r| Rule {
            from: r.from.min(r.to),
            to: r.from.max(r.to),
            ..*r
        })
        .collect();
    sorted.sort_by(|a, b| a.at.total_cmp(&b.at));
    // Lines: rules whose positions lie within `tolerance` of the line's first.
    let mut out = Vec::new();
    let mut start = 0;
    while start < sorted.len() {
        let mut end = start + 1;
        while end < sorted.len() && sorted[end].at - sorted[start].at <= tolerance {
            end += 1;
        }
        let mut line: Vec<Rule> = sorted[start..end].to_vec();
        line.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut current: Option<(Rule, f64, f64)> = None; // segment, Σ at·length, Σ length
        for r in line {
            let weight = (r.to - r.from).max(1e-6);
            current = match current {
                Some((mut s, sum, len)) if r.from <= s.to + tolerance => {
                    s.to = s.to.max(r.to);
                    Some((s, sum + r.at * weight, len + weight))
                }
                other => {
                    if let Some((s, sum, len)) = other {
                        out.push(Rule { at: sum / len, ..s });
                    }
                    Some((r, r.at * weight, weight))
                }
            };
        }
        if let Some((s, sum, len)) = current {
            out.push(Rule { at: sum / len, ..s });
        }
        start = end;
    }
    out
}

/// Whether a horizontal and a vertical segment cross or touch.
fn meet(h: &Rule, v: &Rule, tolerance: f64) -> bool {
    v.at >= h.from - tolerance
        && v.at <= h.to + tolerance
        && h.at >= v.from - tolerance
        && h.at <= v.to + tolerance
}

/// Groups of segments connected by crossings: (horizontal indexes, vertical indexes).
fn connected(h: &[Rule], v: &[Rule], tolerance: f64) -> Vec<(Vec<usize>, Vec<usize>)> {
    // Union-find over h (0..h.len()) then v.
    let mut sets = Sets::new(h.len() + v.len());
    for (i, hr) in h.iter().enumerate() {
        for (j, vr) in v.iter().enumerate() {
            if meet(hr, vr, tolerance) {
                sets.join(i, h.len() + j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<usize>, Vec<usize>)> =
        Default::default();
    for i in 0..h.len() + v.len() {
        let r = sets.root(i);
        let group = groups.entry(r).or_default();
        if i < h.len() {
            group.0.push(i);
        } else {
            group.1.push(i - h.len());
        }
    }
    groups
        .into_values()
        .filter(|(h, v)| !h.is_empty() && !v.is_empty())
        .collect()
}

/// Positions clustered within `tolerance`, each cluster's mean.
fn cluster(mut values: Vec<f64>, tolerance: f64) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let mut out: Vec<(f64, usize, f64)> = Vec::new(); // first, count, sum
    for v in values {
        match out.last_mut() {
            Some((first, n, sum)) if v - *first <= tolerance => {
                *n += 1;
                *sum += v;
            }
            _ => out.push((v, 1, v)),
        }
    }
    out.into_iter().map(|(_, n, sum)| sum / n as f64).collect()
}

/// The grid of one connected group of rules, or `None` when it is not a table.
fn grid(h: &[Rule], v: &[Rule], tolerance: f64) -> Option<Grid> {
    let mut xs = cluster(v.iter().map(|r| r.at).collect(), tolerance);
    let mut ys = cluster(h.iter().map(|r| r.at).collect(), tolerance);
    let mut inferred = 0;
    // Outer lines a table leaves undrawn: the rules of the other direction end there.
    let h_left = h.iter().map(|r| r.from).fold(f64::INFINITY, f64::min);
    let h_right = h.iter().map(|r| r.to).fold(f64::NEG_INFINITY, f64::max);
    let v_top = v.iter().map(|r| r.from).fold(f64::INFINITY, f64::min);
    let v_bottom = v.iter().map(|r| r.to).fold(f64::NEG_INFINITY, f64::max);
    for (lines, low, high) in [(&mut xs, h_left, h_right), (&mut ys, v_top, v_bottom)] {
        if low < lines[0] - 2.0 * tolerance {
            lines.insert(0, low);
            inferred += 1;
        }
        if high > lines[lines.len() - 1] + 2.0 * tolerance {
            lines.push(high);
            inferred += 1;
        }
    }
    if xs.len() < 3 || ys.len() < 2 {
        return None;
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    // Which borders between neighbouring slots are drawn.
    let drawn = |rules: &[Rule], at: f64, from: f64, to: f64| {
        let covered: f64 = rules
            .iter()
            .filter(|r| (r.at - at).abs() <= tolerance)
            .map(|r| (r.to.min(to) - r.from.max(from)).max(0.0))
            .sum();
        covered >= DRAWN * (to - from)
    };
    let mut sets = Sets::new(rows * cols);
    for r in 0..rows {
        for c in 0..cols {
            if c + 1 < cols && !drawn(v, xs[c + 1], ys[r], ys[r + 1]) {
                sets.join(r * cols + c, r * cols + c + 1);
            }
            if r + 1 < rows && !drawn(h, ys[r + 1], xs[c], xs[c + 1]) {
                sets.join(r * cols + c, (r + 1) * cols + c);
            }
        }
    }
    let slots = rectangles(&mut sets, rows, cols);
    let mut cells: Vec<GridCell> = Vec::new();
    let mut index = vec![usize::MAX; rows * cols];
    let mut slot_cell = vec![0usize; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            let id = slots[r * cols + c];
            if index[id] == usize::MAX {
                let (mut last_r, mut last_c) = (r, c);
                for rr in r..rows {
                    for cc in c..cols {
                        if slots[rr * cols + cc] == id {
                            last_r = last_r.max(rr);
                            last_c = last_c.max(cc);
                        }
                    }
                }
                index[id] = cells.len();
                cells.push(GridCell {
                    row: r,
                    col: c,
                    rows: last_r - r + 1,
                    cols: last_c - c + 1,
                });
            }
            slot_cell[r * cols + c] = index[id];
        }
    }
    Some(Grid {
        xs,
        ys,
        cells,
        inferred_rules: inferred,
        slots: slot_cell,
    })
}

/// Grow the joined regions until each is a rectangle (an L-shaped region swallows what its
/// bounding box covers); the region id of every slot.
fn rectangles(sets: &mut Sets, rows: usize, cols: usize) -> Vec<usize> {
    loop {
        let mut boxes: std::collections::BTreeMap<usize, (usize, usize, usize, usize)> =
            Default::default();
        for r in 0..rows {
            for c in 0..cols {
                let b = boxes.entry(sets.root(r * cols + c)).or_insert((r, c, r, c));
                *b = (b.0.min(r), b.1.min(c), b.2.max(r), b.3.max(c));
            }
        }
        let mut changed = false;
        for (id, (r0, c0, r1, c1)) in boxes {
            for r in r0..=r1 {
                for c in c0..=c1 {
                    changed |= sets.join(id, r * cols + c);
                }
            }
        }
        if !changed {
            return (0..rows * cols).map(|i| sets.root(i)).collect();
        }
    }
}

/// Disjoint sets (union-find) over `0..n`; a set's root is its smallest member.
struct Sets(Vec<usize>);

impl Sets {
    fn new(n: usize) -> Sets {
        Sets((0..n).collect())
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    /// Join the sets of `a` and `b`; whether they were apart.
    fn join(&mut self, a: usize, b: usize) -> bool {
        let (a, b) = (self.root(a), self.root(b));
        self.0[a.max(b)] = a.min(b);
        a != b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(at: f64, from: f64, to: f64) -> Rule {
        Rule {
            vertical: false,
            at,
            from,
            to,
        }
    }

    fn v(at: f64, from: f64, to: f64) -> Rule {
        Rule {
            vertical: true,
            at,
            from,
            to,
        }
    }

    /// A 3 × 3 table on x 0, 10, 20, 30 and y 0, 10, 20, 30, drawn as per-cell pieces.
    fn full_table() -> Vec<Rule> {
        let mut rules = Vec::new();
        for i in 0..4 {
            for j in 0..3 {
                let (a, b) = (10.0 * j as f64, 10.0 * (j + 1) as f64);
                rules.push(h(10.0 * i as f64, a, b));
                rules.push(v(10.0 * i as f64, a, b));
            }
        }
        rules
    }

    #[test]
    fn a_full_table_is_a_grid_of_single_cells() {
        let grids = find_grids(&full_table(), 1.0);
        assert_eq!(grids.len(), 1);
        let g = &grids[0];
        assert_eq!((g.rows(), g.cols()), (3, 3));
        assert_eq!(g.cells.len(), 9);
        assert!(g.cells.iter().all(|c| c.rows == 1 && c.cols == 1));
        assert_eq!(g.cell_at(15.0, 25.0), Some(7));
        assert_eq!(g.cell_at(35.0, 5.0), None);
        assert_eq!(g.inferred_rules, 0);
    }

    #[test]
    fn a_missing_rule_makes_a_spanning_cell() {
        // Remove the vertical piece between (0,0) and (0,1), and the horizontal piece between
        // (1,2) and (2,2): a cell spanning two columns and one spanning two rows.
        let rules: Vec<Rule> = full_table()
            .into_iter()
            .filter(|r| !(r.vertical && r.at == 10.0 && r.from == 0.0))
            .filter(|r| !(!r.vertical && r.at == 20.0 && r.from == 20.0))
            .collect();
        let g = &find_grids(&rules, 1.0)[0];
        assert_eq!(g.cells.len(), 7);
        assert_eq!(
            g.cells[0],
            GridCell {
                row: 0,
                col: 0,
                rows: 1,
                cols: 2
            }
        );
        let tall = g.cells[g.cell_at(25.0, 15.0).unwrap()];
        assert_eq!((tall.row, tall.col, tall.rows, tall.cols), (1, 2, 2, 1));
        assert_eq!(g.cell_at(25.0, 25.0), g.cell_at(25.0, 15.0));
    }

    #[test]
    fn missing_outer_borders_are_inferred() {
        // Only inner verticals: the horizontals' ends give the left and right lines.
        let rules = vec![
            h(0.0, 0.0, 30.0),
            h(10.0, 0.0, 30.0),
            h(20.0, 0.0, 30.0),
            v(10.0, 0.0, 20.0),
            v(20.0, 0.0, 20.0),
        ];
        let g = &find_grids(&rules, 1.0)[0];
        assert_eq!(g.xs, vec![0.0, 10.0, 20.0, 30.0]);
        assert_eq!(g.inferred_rules, 2);
        assert_eq!(g.cells.len(), 6);
    }

    #[test]
    fn slightly_offset_pieces_are_one_line() {
        let rules = vec![
            h(0.0, 0.0, 10.2),
            h(0.4, 10.0, 20.0),
            h(10.0, 0.0, 20.0),
            v(0.0, 0.0, 10.0),
            v(9.8, 0.0, 10.0),
            v(20.3, 0.3, 9.5),
        ];
        let g = &find_grids(&rules, 1.0)[0];
        assert_eq!((g.rows(), g.cols()), (1, 2));
    }

    #[test]
    fn lone_boxes_and_underlines_are_not_tables() {
        let boxed = vec![
            h(0.0, 0.0, 30.0),
            h(10.0, 0.0, 30.0),
            v(0.0, 0.0, 10.0),
            v(30.0, 0.0, 10.0),
        ];
        assert!(find_grids(&boxed, 1.0).is_empty());
        assert!(find_grids(&[h(50.0, 0.0, 100.0)], 1.0).is_empty());
        assert!(find_grids(&[], 1.0).is_empty());
    }

    #[test]
    fn two_tables_are_found_top_to_bottom() {
        let mut rules: Vec<Rule> = full_table()
            .into_iter()
            .map(|r| {
                if r.vertical {
                    Rule {
                        from: r.from + 100.0,
                        to: r.to + 100.0,
                        ..r
                    }
                } else {
                    Rule {
                        at: r.at + 100.0,
                        ..r
                    }
                }
            })
            .collect();
        rules.extend(full_table());
        let grids = find_grids(&rules, 1.0);
        assert_eq!(grids.len(), 2);
        assert!(grids[0].ys[0] < grids[1].ys[0]);
    }
}
