//! Findings as JUnit XML, for CI dashboards: one test suite per rule code, one test case per
//! subject (the item a finding is about), failed when it has a finding at or above the failing
//! severity. Rules without findings appear as one passing case, so the dashboard shows what was
//! checked.

use crate::check::codes::CODES;
use crate::finding::{Finding, Severity};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;

pub fn document(findings: &[Finding], failing: Severity) -> String {
    let mut report = Report::new("dossier check");
    for info in CODES {
        let mut suite = TestSuite::new(format!("{} {}", info.code, info.name));
        let of_code: Vec<&Finding> = findings.iter().filter(|f| f.code == info.code).collect();
        if of_code.is_empty() {
            let mut case = TestCase::new(
                format!("{}: no findings", info.code),
                TestCaseStatus::success(),
            );
            case.set_classname(info.code);
            suite.add_test_case(case);
        }
        // Group by subject, falling back to the location, then the message.
        let mut groups: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
        for finding in of_code {
            let key = finding
                .subject
                .clone()
                .or_else(|| finding.location.as_ref().map(|l| l.to_string()))
                .unwrap_or_else(|| finding.message.clone());
            groups.entry(xml_chars(&key)).or_default().push(finding);
        }
        for (subject, group) in groups {
            let failures: Vec<&&Finding> = group
                .iter()
                .filter(|f| f.counts() && f.severity >= failing)
                .collect();
            let details: String = group
                .iter()
                .map(|f| {
                    let place = f
                        .location
                        .as_ref()
                        .map(|l| format!("{l}: "))
                        .unwrap_or_default();
                    let suppressed = f
                        .suppressed
                        .as_ref()
                        .map(|s| format!(" [suppressed: {}]", s.reason))
                        .unwrap_or_default();
                    xml_chars(&format!(
                        "{}[{}] {place}{}{suppressed}\n",
                        f.severity, f.code, f.message
                    ))
                })
                .collect();
            let status = if failures.is_empty() {
                TestCaseStatus::success()
            } else {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(xml_chars(
                    &failures
                        .iter()
                        .map(|f| f.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                ));
                status.set_type(info.name);
                status.set_description(details.clone());
                status
            };
            let mut case = TestCase::new(format!("{}: {subject}", info.code), status);
            case.set_classname(info.code);
            case.set_system_out(details);
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().unwrap_or_default()
}

/// XML 1.0 cannot carry most control characters or U+FFFE/U+FFFF, even escaped, and the JUnit
/// writer drops what looks like a terminal escape sequence (with the text after it): in
/// project text each such character becomes U+FFFD before it reaches the writer.
fn xml_chars(xml: &str) -> String {
    xml.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_carry_are_replaced() {
        let finding = Finding::new("R002", "`T-a\u{FFFE}b\u{1b}]x` does not exist")
            .subject("T-a\u{FFFE}b\u{1b}]x");
        let xml = document(&[finding], Severity::Error);
        assert!(!xml.contains('\u{FFFE}') && !xml.contains('\u{1b}'));
        assert!(xml.contains("T-a\u{FFFD}b\u{FFFD}]x"));
    }
}
