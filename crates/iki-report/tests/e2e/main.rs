//! End-to-end tests of `iki_report::write_report`: output directories made with
//! `iki_parser::extract` on corpus and crafted files, the HTML checked as text (`html`) and, when
//! a Chromium is installed, rendered headless (`browser`; fails in CI without one, skipped with a
//! note on the terminal otherwise).

mod browser;
mod fixtures;
mod html;
