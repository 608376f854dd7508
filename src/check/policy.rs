//! The project's policy over findings: severity per code, suppressed single findings (each with
//! a reason and an optional expiry), and `--allow` from the command line. Suppressed findings are
//! kept, marked, and no longer counted.

use crate::finding::{Finding, Location, Severity, Suppressed};
use crate::model::{Date, Level, Project};
use crate::suggest::did_you_mean;

/// Applies the policy to `findings` (in place) and adds findings about the policy itself.
pub fn apply(
    project: &Project,
    findings: &mut Vec<Finding>,
    allow: &[String],
    as_of: Option<Date>,
) {
    let policy = &project.settings.check;
    let sources = &project.sources;
    // The P codes judge the policy itself, so the policy cannot re-rate or hide them.
    let applicable = |code: &str| super::codes::info(code).is_some() && !code.starts_with('P');
    let mut about_policy = Vec::new();

    for (code, level) in &policy.severity {
        if !applicable(code) {
            about_policy.push(unknown_code(code, Some(sources.location(level.pos))));
        }
    }
    for code in allow {
        if !applicable(code) {
            about_policy.push(unknown_code(code, None));
        }
    }

    // Severity per code first, so suppressions see the final severity.
    for finding in findings.iter_mut() {
        if finding.code.starts_with('P') {
            continue;
        }
        match policy.severity.get(finding.code).map(|l| l.value) {
            Some(Level::Error) => finding.severity = Severity::Error,
            Some(Level::Warning) => finding.severity = Severity::Warning,
            Some(Level::Note) => finding.severity = Severity::Note,
            Some(Level::Allow) => {
                let pos = policy.severity[finding.code].pos;
                finding.suppressed = Some(Suppressed {
                    reason: format!("{} is set to `allow` in dossier.yaml", finding.code),
                    expires: None,
                    by: at(sources.location(pos)),
                });
            }
            None => {}
        }
        if finding.suppressed.is_none() && allow.iter().any(|a| a == finding.code) {
            finding.suppressed = Some(Suppressed {
                reason: format!("{} allowed on the command line", finding.code),
                expires: None,
                by: "--allow".to_string(),
            });
        }
    }

    for rule in &policy.suppress {
        let location = sources.location(rule.code.pos);
        if !applicable(&rule.code) {
            about_policy.push(unknown_code(&rule.code, Some(location.clone())));
            continue;
        }
        let reasoned = !super::is_placeholder(&rule.reason.value);
        if !reasoned {
            about_policy.push(
                Finding::new(
                    "P004",
                    format!(
                        "the suppression of {} gives no real reason",
                        rule.code.value
                    ),
                )
                .at(Some(sources.location(rule.reason.pos)))
                .help("say why the finding is acceptable; a reviewer reads it"),
            );
        }
        let expired = match (&rule.expires, as_of) {
            (Some(expires), Some(as_of)) => expires.value < as_of,
            _ => false,
        };
        let mut matched = 0;
        for finding in findings.iter_mut().filter(|f| matches(rule, f)) {
            matched += 1;
            // A suppression without a real reason still applies; P004 fails the check instead.
            if !expired && finding.suppressed.is_none() {
                finding.suppressed = Some(Suppressed {
                    reason: rule.reason.value.trim().to_string(),
                    expires: rule.expires.as_ref().map(|e| e.value.to_string()),
                    by: at(location.clone()),
                });
            }
        }
        if expired {
            let expires = rule
                .expires
                .as_ref()
                .map(|e| e.value.to_string())
                .unwrap_or_default();
            about_policy.push(
                Finding::new(
                    "P001",
                    format!("the suppression of {} expired on {expires}", describe(rule)),
                )
                .at(Some(location.clone()))
                .subject(
                    rule.subject
                        .clone()
                        .unwrap_or_else(|| rule.code.value.clone()),
                )
                .help("fix the finding, or renew the suppression with a new reason and date"),
            );
        } else if matched == 0 {
            about_policy.push(
                Finding::new(
                    "P002",
                    format!("the suppression of {} matches no finding", describe(rule)),
                )
                .at(Some(location))
                .subject(
                    rule.subject
                        .clone()
                        .unwrap_or_else(|| rule.code.value.clone()),
                )
                .help("remove it: the finding is gone, or the subject or file is misspelled"),
            );
        }
    }
    findings.extend(about_policy);
}

fn matches(rule: &crate::model::Suppression, finding: &Finding) -> bool {
    finding.code == rule.code.value
        && rule
            .subject
            .as_ref()
            .is_none_or(|s| finding.subject.as_deref() == Some(s.as_str()))
        && rule
            .file
            .as_ref()
            .is_none_or(|file| finding.location.as_ref().is_some_and(|l| &l.file == file))
}

fn describe(rule: &crate::model::Suppression) -> String {
    match &rule.subject {
        Some(subject) => format!("{} for `{subject}`", rule.code.value),
        None => rule.code.value.clone(),
    }
}

fn at(location: Location) -> String {
    location.to_string()
}

/// P003: a code that does not exist, or a P code, which the policy cannot apply to.
fn unknown_code(code: &str, location: Option<Location>) -> Finding {
    if super::codes::info(code).is_some() {
        return Finding::new(
            "P003",
            format!(
                "`{code}` judges the policy itself; it cannot be re-rated, suppressed or allowed"
            ),
        )
        .at(location)
        .help("remove the entry, and fix what the finding points at");
    }
    let codes = super::codes::CODES.iter().map(|c| c.code);
    let help = did_you_mean(code, codes).unwrap_or_else(|| {
        "the chapter \"Checking a project\" of the book lists every code".to_string()
    });
    Finding::new("P003", format!("`{code}` is not a dossier finding code"))
        .at(location)
        .help(help)
}
