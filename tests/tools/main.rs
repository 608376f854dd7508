//! Tests that need external tools: poppler (`pdftotext`, `pdfinfo`, `pdffonts`), `qpdf`,
//! headless Chromium and Python's openpyxl. `.ci/run` installs them and runs this suite with
//! `cargo test --features external-tools --test tools`. A missing tool fails the test with a
//! message saying what to install; nothing is skipped.

mod cdp;
mod mds2;
mod package;
mod pdf;
