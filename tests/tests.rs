//! End-to-end tests of the `iki` binary, one module per theme, linked into one test binary.

mod batch;
mod cli;
mod fixtures;
mod pdf;
mod pdf_document;
mod report;
mod scan;
mod schema;
