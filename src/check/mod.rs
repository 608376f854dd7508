//! Rules over the loaded project. Each rule is a pure function of the project (and the guidance
//! catalog) that returns findings; rules never print and never touch the disk.

pub mod codes;
