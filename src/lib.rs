//! dossier: checks a medical device's cybersecurity documentation against the FDA premarket
//! cybersecurity guidance and section 524B of the FD&C Act, and renders the submission package.
//!
//! The pipeline runs one way: [`load`] reads a project folder into the [`model`], [`check`] runs
//! the rules over it, and the renderers write the package. This crate prints nothing and never
//! exits the process; the `dossier` binary does that.

pub mod build;
pub mod catalog;
pub mod check;
pub mod diff;
pub mod finding;
pub mod load;
pub mod mds2;
pub mod model;
pub mod render;
pub mod report;
pub mod sbom;
pub mod schema;
pub mod source;
pub mod suggest;

pub use finding::{Finding, Location, Severity};

/// An I/O error in words for a message: the reason without the operating system's error
/// number ("No such file or directory", not "... (os error 2)").
pub fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}
