//! Findings out: for people (rustc-style) and for machines (JSON, SARIF, JUnit, GitHub
//! workflow annotations).

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
