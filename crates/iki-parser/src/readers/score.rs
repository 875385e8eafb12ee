//! How well a proposed segmentation explains its table region.

use crate::classify::View;
use crate::readers::Proposal;

/// The score of a proposal (higher is better).
pub fn score(_view: &View<'_>, proposal: &Proposal) -> f32 {
    proposal.rows.len() as f32 - proposal.unread as f32
}
