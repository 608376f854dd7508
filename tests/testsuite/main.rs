//! The integration test suite: one binary, one module per area. Tests run the real `dossier`
//! binary on real example projects and real third-party files from ../shared/data.

mod build;
mod ci;
mod cli;
mod diff;
mod examples;
mod labeling;
mod loader;
mod mds2;
mod rules;
mod sbom_real;
mod schema;
mod supply;
mod util;
