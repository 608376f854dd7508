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
