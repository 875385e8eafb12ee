//! Column-content model for IKI indicator tables: how much a cell's text reads like each
//! column (draft docs; figures filled in after measurement).

mod column;
mod features;
mod hash;
mod lexicon;
mod model;

#[cfg(feature = "train")]
pub mod eval;
#[cfg(feature = "train")]
pub mod train;

pub use column::Column;
pub use features::FeatureSet;
pub use model::{ColumnModel, ModelError, Scores};
