//! The registry of finding codes. A code never changes meaning once released; add new ones.
//!
//! `L…` loading and the project format, `R…` references, `C…` Appendix 1 coverage,
//! `T…` traceability, `K…` risk scoring, `Y…` cyber device and section 524B,
//! `D…` documentation completeness, `S…` SBOM and support, `V…` vulnerabilities,
//! `P…` policy (suppressions).

use crate::finding::Severity;

/// What a code means, for `dossier explain`, SARIF rules and the book.
#[derive(Clone, Copy, Debug)]
pub struct CodeInfo {
    pub code: &'static str,
    /// Short kebab-case name, used as the SARIF rule name.
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Guidance section, when the rule comes from the guidance.
    pub guidance: Option<&'static str>,
}

macro_rules! codes {
    ($( $code:literal, $name:literal, $sev:ident, $guidance:expr, $summary:literal; )*) => {
        pub const CODES: &[CodeInfo] = &[
            $( CodeInfo { code: $code, name: $name, severity: Severity::$sev, summary: $summary, guidance: $guidance }, )*
        ];
    };
}

codes! {
    "L001", "yaml-syntax", Error, None, "A file is not well-formed YAML (or repeats a key).";
    "L002", "not-utf8", Error, None, "A file is not UTF-8 (or UTF-16 with a byte order mark) text.";
    "L003", "empty-file", Error, None, "A content file is empty or holds only comments.";
    "L004", "file-too-large", Error, None, "A file is larger than the loader accepts.";
    "L005", "yaml-budget", Error, None, "A file nests too deeply or expands too many aliases (an alias bomb).";
    "L006", "unreadable-path", Error, None, "A file or folder cannot be read: permissions, a symlink loop, or a symlink out of the project.";
    "L007", "unknown-key", Error, None, "A top-level key is not a dossier collection or section.";
    "L008", "unknown-field", Error, None, "A field is not part of the item it is written in.";
    "L009", "wrong-type", Error, None, "A value has the wrong type or shape.";
    "L010", "missing-field", Error, None, "A required field is missing.";
    "L011", "invalid-value", Error, None, "A value is not one of the allowed words, or is malformed.";
    "L012", "settings-outside-project-file", Error, None, "A setting that belongs in dossier.yaml appears in a content file.";
    "L013", "not-a-mapping", Error, None, "A file or section is not a mapping of keys to values.";
    "L014", "duplicate-section-key", Error, None, "Two files set the same key of a section such as `plan` or `labeling`.";
    "L015", "unknown-edition", Error, None, "`guidance_edition` names an edition dossier does not know.";
    "R001", "duplicate-id", Error, None, "Two items share an ID.";
    "R002", "dangling-reference", Error, None, "A reference names an ID that does not exist.";
    "R003", "wrong-reference-kind", Error, None, "A reference names an item of the wrong kind.";
    "R004", "unknown-catalog-id", Error, None, "A guidance ID does not exist in the catalog edition.";
    "R005", "missing-file", Error, None, "A file named in the project does not exist.";
}

/// The registry entry of a code.
pub fn info(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}

/// The severity a code has unless policy changes it.
pub fn default_severity(code: &str) -> Severity {
    info(code).map(|c| c.severity).unwrap_or(Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_and_names_are_unique() {
        let codes: BTreeSet<_> = CODES.iter().map(|c| c.code).collect();
        let names: BTreeSet<_> = CODES.iter().map(|c| c.name).collect();
        assert_eq!(codes.len(), CODES.len());
        assert_eq!(names.len(), CODES.len());
    }
}
