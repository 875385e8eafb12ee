//! Seeded synthetic IKI documents for scale tests and benchmarks (a dev tool, not part of
//! `iki`).
//!
//! [`Generator`] draws random but plausible forms from the domain vocabulary in [`vocab`]
//! and renders them in one of three layouts seen in real dumps ([`render`]): tab-separated
//! numbered forms (kecamatan style), Markdown-headed forms with a numbered table (bidang
//! style) and bold-titled forms with LaTeX formulas and "Mengetahui" signature blocks. The
//! same seed gives the same bytes. [`write`] streams any number of them into a directory,
//! a `.tar.gz` or a `.zip`, in bounded memory.

pub mod render;
pub mod rng;
pub mod vocab;
pub mod write;

pub use render::Generator;
pub use rng::Rng;
pub use write::{write_corpus, OutputKind, WriteStats};
