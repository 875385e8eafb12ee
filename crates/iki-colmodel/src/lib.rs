//! Column-content model for IKI indicator tables: how much a cell's text reads like each
//! [`Column`] (No, Sasaran, Indikator, Rumus, Target, Satuan, Sumber data, Penanggung jawab),
//! or like no cell at all ([`Column::Other`]: labels, list items, signature lines, furniture).
//!
//! ```
//! use iki_colmodel::{Column, ColumnModel};
//!
//! let model = ColumnModel::embedded();
//! let scores = model.scores("(Jumlah surat yang dijawab / Jumlah surat masuk) x 100%");
//! assert_eq!(scores.best(), Column::Rumus);
//! assert!(model.log_odds("Kecamatan Kunir", Column::SumberData, Column::Indikator) > 0.0);
//! ```
//!
//! The parser uses it to score candidate table segmentations (cells that fit their column),
//! to attribute the cells of flattened tables, and as confidence evidence that does not depend
//! on layout (a cell that reads like another column's). [`Scores`] are log-probabilities under
//! a uniform prior over the nine columns; a caller adds what it knows (which columns the
//! header names) as its own prior. Scoring allocates nothing.
//!
//! # Features
//!
//! Chosen to carry across offices rather than learn the corpus's topics (groups as in
//! [`FeatureSet`]; one pass over the text, hashed into a table of 4096 rows):
//! - **shape**: length in characters and words (log buckets), case pattern, first and last
//!   character class, share of digits, where the first `:` falls (`Label : value`), an opening
//!   item marker (`1.`, `b)`), and the whole token pattern of cells of up to six tokens
//!   (`Num .`, `Num %`, `Cap Cap`);
//! - **math**: each operator (`÷ × x * / : = % + ( ) ∑ ≥`), operator classes shared by their
//!   spellings (divide: `÷ / \frac dibagi`; multiply: `× x * \times dikali`; percent: `%
//!   persen`), `x 100`, a number followed by a unit word or `%`, decimals, digit-run counts and
//!   lengths, the size class of the first number (row numbers are small, targets often 100);
//! - **function words** (a lexicon of about 330 words in eleven groups: measures
//!   opening an indicator — Persentase, Jumlah, Indeks, Tingkat, Nilai, Rasio, Cakupan …;
//!   offices and posts — Kecamatan, Dinas, Bidang, Seksi, Kepala, Kasubag …; records —
//!   laporan, register, aplikasi …; units — dokumen, kali, orang, hari …; formula words;
//!   header and label words; signature words; degrees; months; page furniture; connectives):
//!   which groups occur, open and close the cell, what share of the words each makes up, and
//!   the function words themselves;
//! - **affixes**: prefixes and suffixes of the first word (`ter-…-nya` nominalised passives
//!   open a sasaran, `me-` verbs and `pe-…-an` nouns open duty items), suffix classes, and the
//!   last three letters of every word;
//! - **skeleton**: bigrams of the token sequence with function words as themselves, other
//!   words by shape and suffix class, symbols as themselves.
//!
//! Two topic-prone groups exist for measurement only: every word as itself, and character
//! 2–4-grams. Markup a converter leaves in a cell (`**`, `$`, braces, HTML tags) is read
//! through; LaTeX `\frac` and `\times` count as their operators.
//!
//! # Training
//!
//! Multinomial logistic regression, fitted by seeded SGD with L2 (see [`train`]) on the cells
//! of the hand-checked answers (`fixtures/expected`, `fixtures/crafted`), with `Other` taken
//! from the source text outside the tables. The model is `data/columns.bin` (74 KB),
//! embedded with `include_bytes!`; `cargo run -p iki-colmodel --bin iki-colmodel-train`
//! rebuilds it, byte for byte the same from the same data (a test fails when it is stale).
//!
//! # Measured
//!
//! `cargo run --release -p iki-colmodel --bin iki-colmodel-train -- --eval` (`-v` for the
//! confusion matrices, `--ablate` for the feature study). "Table" is the accuracy among the
//! eight table columns for cells known to be table cells; ECE is the expected calibration
//! error of the top probability (10 bins).
//!
//! | measured on (never trained on) | cells | accuracy | table | ECE |
//! |---|---:|---:|---:|---:|
//! | leave one source out (5 corpus documents + crafted) | 1498 | 0.931 | 0.863 | 0.041 |
//! | foreign offices, development set (`data/foreign.tsv`) | 170 | 0.788 | 0.801 | 0.039 |
//! | foreign offices, hold-out (`data/foreign-holdout.tsv`, scored once) | 96 | 0.802 | 0.842 | 0.068 |
//!
//! Per column on the foreign sets: No, Sasaran, Target and Satuan 0.94–1.00; Penanggung jawab
//! 0.80–0.94; Rumus 0.75–0.78 and Indikator 0.67–0.70 (a count formula "Jumlah X" reads like
//! an indicator "Jumlah X"; the corpus has both); `Other` 0.65–0.76 (single words such as
//! "Bobot", "download" read as a Satuan); **Sumber data 0.11–0.50**: the corpus's
//! sources are office names and activity descriptions, so records ("Laporan …", "Aplikasi
//! …", "Register …") go to Satuan, Penanggung jawab or Other. More fixtures from other
//! offices would fix that, not more features.
//!
//! The feature study (`--ablate`) shows what generalises. Accuracy leaving one source out
//! (same office, other documents) / on the foreign development set / on the hold-out:
//!
//! | features | leave-one-out | foreign | hold-out |
//! |---|---:|---:|---:|
//! | all five groups (shipped) | 0.931 | 0.788 | 0.802 |
//! | without shape | 0.929 | 0.765 | 0.729 |
//! | without math | 0.913 | 0.759 | 0.781 |
//! | without function words | 0.919 | 0.729 | 0.750 |
//! | without affixes | 0.911 | 0.771 | 0.781 |
//! | without skeleton | 0.927 | 0.800 | 0.812 |
//! | plus every word | 0.929 | 0.794 | 0.802 |
//! | plus character n-grams | 0.933 | 0.794 | 0.781 |
//! | every word alone | 0.838 | 0.447 | 0.458 |
//! | character n-grams alone | 0.865 | 0.576 | 0.583 |
//! | every word and character n-grams | 0.903 | 0.576 | 0.583 |
//!
//! Topic features alone do well on the corpus's own documents and collapse on other offices;
//! added to the domain features they change nothing measurable, so they stay out. Removing
//! shape, math, function words or affixes costs accuracy somewhere; the skeleton's effect is
//! within noise (one foreign cell is 0.006, one hold-out cell 0.010) and it stays for the
//! leave-one-out gain.
//!
//! Speed (`cargo bench -p iki-colmodel --bench score`, or `cargo run --release -p
//! iki-colmodel --example cells_per_second`): about 5,000 instructions (callgrind) and 0.4 µs of CPU
//! time for a 30-byte cell, about 2.5 million cells a second on one core.

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
