//! The registry of finding codes. A code never changes meaning once released; add new ones.
//!
//! `L…` loading and the project format, `R…` references, `C…` Appendix 1 coverage,
//! `T…` traceability, `K…` risk scoring, `Y…` cyber device and section 524B,
//! `D…` documentation completeness, `S…` SBOM and support, `V…` vulnerabilities,
//! `M…` the MDS2 form, `P…` policy (suppressions).

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
    "S001", "sbom-unreadable", Error, Some("§V.A.4(b)"), "An SBOM, VEX file or KEV catalog named in the project cannot be read.";
    "S002", "sbom-element-missing", Error, Some("§V.A.4(b); NTIA minimum elements"), "An SBOM component lacks a supplier, version or unique identifier.";
    "S003", "sbom-document-incomplete", Warning, Some("§V.A.4(b); NTIA minimum elements"), "An SBOM file lacks its author, timestamp or dependency relationships.";
    "S004", "support-level-missing", Error, Some("§V.A.4(b)"), "A component has no level of support (or an unknown one without justification).";
    "S005", "end-of-support-missing", Error, Some("§V.A.4(b)"), "A component has no end-of-support date (or an unknown one without justification).";
    "S006", "past-end-of-support", Error, Some("§V.A.4(b); §VI.A"), "A component is past its end of support.";
    "S007", "end-of-support-soon", Warning, Some("§V.A.4(b); §VI.A"), "A component reaches its end of support within the horizon.";
    "S008", "component-outlived-by-device", Note, Some("App. 1 H"), "A component's support ends before the device's.";
    "S009", "support-entry-unmatched", Warning, Some("§V.A.4(b)"), "A support entry matches no SBOM component.";
    "S010", "device-end-of-support", Warning, Some("§VI.A"), "The device's own end of support is missing or already past.";
    "S012", "component-unmaintained", Warning, Some("§V.A.4"), "A component is no longer maintained or abandoned.";
    "V001", "vulnerability-unassessed", Error, Some("§V.A.4"), "A vulnerability from an SBOM or VEX file has no assessment.";
    "V002", "not-affected-without-justification", Error, Some("§V.A.4"), "A vulnerability is marked not affected without a justification.";
    "V003", "affected-without-risk", Error, Some("§V.A.4; §V.A.2"), "A vulnerability affects the device but links no security risk.";
    "V004", "known-exploited-affects-device", Error, Some("§V.A.2"), "A vulnerability in the CISA KEV catalog affects the device.";
    "V005", "under-investigation", Warning, Some("§V.A.4"), "A vulnerability is still under investigation.";
    "V006", "discovery-unstated", Warning, Some("§V.A.4"), "A vulnerability does not say how it was discovered.";
    "V007", "vulnerability-component-unknown", Warning, Some("§V.A.4"), "A vulnerability names a component that is not in the SBOM.";
    "V008", "fixed-without-release", Warning, Some("§V.A.4"), "A vulnerability is marked fixed without the release that fixed it.";
    "P001", "suppression-expired", Error, None, "A suppression in dossier.yaml has expired.";
    "P002", "suppression-unused", Warning, None, "A suppression in dossier.yaml matches no finding.";
    "P003", "unknown-code", Error, None, "A policy entry names a code that does not exist, or a P code, which the policy cannot apply to.";
    "P004", "suppression-without-reason", Error, None, "A suppression gives no real reason.";
    "C001", "recommendation-not-addressed", Error, Some("§V.B.1; App. 1"), "An Appendix 1 recommendation is neither addressed by a control nor declared not applicable.";
    "C002", "placeholder-rationale", Error, Some("§V.B.1"), "A guidance item is declared not applicable without a real reason.";
    "C003", "control-not-implemented", Error, Some("§V.B.1"), "A control claims a recommendation but names no implementing component.";
    "C004", "control-not-verified", Error, Some("§V.B.1; §V.C"), "A control claims a recommendation but no passing test verifies it.";
    "C005", "addressed-and-not-applicable", Warning, Some("§V.B.1"), "A recommendation is both addressed by a control and declared not applicable.";
    "C006", "duplicate-not-applicable", Warning, None, "A guidance item is declared not applicable twice.";
    "T001", "threat-not-assessed", Error, Some("§V.A.1"), "A threat is not assessed by any risk.";
    "T002", "unacceptable-risk-without-controls", Error, Some("§V.A.2"), "A risk that is not acceptable before controls lists no controls.";
    "T003", "orphan-control", Warning, Some("§V.A"), "A control is not listed by any risk.";
    "T004", "residual-risk-not-accepted", Error, Some("§V.A"), "A residual risk is not acceptable and carries no acceptance or transfer rationale.";
    "T005", "finding-without-disposition", Error, Some("§V.C"), "A test finding has no (complete) disposition.";
    "T006", "missing-residual-score", Error, Some("§V.A.2"), "A risk with controls has no score after controls.";
    "T007", "control-without-test", Warning, Some("§V.C"), "A control is not verified by any test.";
    "T008", "failed-test", Error, Some("§V.C"), "A test failed.";
    "T009", "anomaly-without-risk", Warning, Some("§V.A.5"), "An anomaly with security impact links no security risk.";
    "K001", "probability-scoring", Error, Some("§V.A.2"), "A security risk is scored by probability or likelihood instead of exploitability.";
    "K002", "exploitability-rises", Warning, Some("§V.A.2"), "A risk is more exploitable after its controls than before.";
    "Y002", "cyber-device-without-cvd", Error, Some("§524B(b)(1); §VI.B; §VII.C.1"), "A cyber device's plan has no coordinated vulnerability disclosure.";
    "Y003", "cyber-device-without-patch-timelines", Error, Some("§524B(b)(2); §VII.C.1"), "A cyber device's plan lacks the regular patch cycle or the out-of-cycle window.";
    "Y004", "cyber-device-without-sbom", Error, Some("§524B(b)(3); §V.A.4(b); §VII.C.3"), "A cyber device has no SBOM.";
    "Y005", "critical-window-not-shorter", Warning, Some("§524B(b)(2)(B); §VII.C.1"), "The out-of-cycle window for critical vulnerabilities is not shorter than the regular cycle.";
    "Y006", "cyber-device-denied", Warning, Some("§524B(c); §VII.B"), "The project says the device is not a cyber device, but its architecture can reach the internet.";
    "D001", "document-missing", Error, Some("App. 4 Table 1"), "A document of Appendix 4 Table 1 has no content.";
    "D002", "view-missing", Error, Some("§V.B.2"), "An architecture view kind is neither given nor declared omitted with a reason.";
    "D003", "labeling-item-missing", Error, Some("§VI.A"), "A labeling item of §VI.A is not covered.";
    "D004", "plan-element-missing", Error, Some("§VI.B"), "An element of the cybersecurity management plan is missing.";
    "D005", "metric-missing", Error, Some("§V.A.6"), "A total product life cycle metric is neither reported nor planned.";
    "D006", "test-kind-missing", Error, Some("§V.C"), "One of the four kinds of cybersecurity testing is missing.";
    "D007", "pentest-report-incomplete", Warning, Some("§V.C"), "A penetration test lacks an item of the report.";
    "D008", "test-tools-missing", Warning, Some("§V.C"), "A vulnerability or penetration test names no tools.";
    "D009", "risk-management-incomplete", Error, Some("§V.A"), "The risk management file lacks an element of the guidance.";
    "D010", "risk-without-hazard", Warning, Some("§V.A.2"), "A risk that can cause harm links no safety hazard.";
    "D011", "cyber-plan-incomplete", Error, Some("§VII.C.1"), "A cyber device's plan lacks an addition of §VII.C.1.";
    "D012", "flow-security-unstated", Warning, Some("App. 2"), "A flow does not state its authentication or encryption.";
    "D013", "view-without-diagram", Warning, Some("§V.B.2; App. 2.A"), "An architecture view has no diagram.";
    "D014", "control-without-requirement", Warning, Some("§V.B.1"), "A control that addresses a recommendation has no requirement with acceptance criteria.";
    "D015", "tester-unstated", Warning, Some("§V.C"), "A test does not say who tested and how independent they are.";
    "M001", "mds2-unanswered", Warning, Some("ANSI/NEMA HN 1-2019 (MDS2); §VI.A"), "Questions of an MDS2 section have no answer, from the model or the `mds2` section.";
    "M002", "mds2-contradicts-model", Error, Some("ANSI/NEMA HN 1-2019 (MDS2); §VI.A"), "An MDS2 answer in the `mds2` section contradicts what the model shows.";
    "M003", "mds2-unknown-question", Error, Some("ANSI/NEMA HN 1-2019 (MDS2); §VI.A"), "`mds2.answers` names a question ID the MDS2 form does not have.";
    "M004", "mds2-answer-under-gate", Warning, Some("ANSI/NEMA HN 1-2019 (MDS2); §VI.A"), "An MDS2 question is answered although its gating question makes it N/A.";
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
