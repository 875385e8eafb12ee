//! End-to-end tests of the `iki` binary, one module per theme, linked into one test binary.

mod batch;
mod cli;
mod common;
mod db;
mod fixtures;
mod hostile;
mod office;
mod pdf;
mod pdf_document;
mod python;
mod report;
mod scan;
mod schema;
