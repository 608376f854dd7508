//! Findings out: for people (rustc-style) and for machines (JSON).

pub mod human;
pub mod json;
