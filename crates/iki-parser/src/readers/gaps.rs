//! Tables whose cells are separated by runs of spaces that do not line up from row to row
//! (a converter turned the tabs between cells into spaces).

use crate::classify::{HeaderFact, View};
use crate::readers::Proposal;

/// Read the table whose header is line `at` as gap-separated cells.
pub fn read(_view: &View<'_>, _at: usize, _h: &HeaderFact) -> Option<Proposal> {
    None
}
