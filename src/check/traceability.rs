//! Traceability from threat to risk to control to test (§V.A, App. 4 "Traceability"), and the
//! dispositions of test findings (§V.C).

use super::scoring::{acceptable_after, acceptable_before};
use super::{Ctx, filled, reasoned};
use crate::finding::Finding;
use crate::model::DispositionStatus;
use std::collections::HashSet;

pub fn rules(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    let project = ctx.project;
    let section = |id: &str| ctx.catalog.section(id).to_string();

    // Every threat is assessed by a risk.
    let assessed: HashSet<&str> = project
        .risks
        .iter()
        .flat_map(|r| r.threats.iter().map(|t| t.as_str()))
        .collect();
    for threat in &project.threats {
        if !assessed.contains(threat.id.as_str()) {
            findings.push(
                Finding::new(
                    "T001",
                    format!("threat `{}` is not assessed by any risk", threat.id),
                )
                .at(ctx.at(threat.id.pos))
                .subject(threat.id.as_str())
                .guidance(section("TM-2"))
                .help(format!("add `{}` to the `threats` of a risk", threat.id)),
            );
        }
    }

    for risk in &project.risks {
        let unacceptable_before = acceptable_before(ctx, risk) == Some(false);
        if unacceptable_before && risk.controls.is_empty() {
            findings.push(
                Finding::new(
                    "T002",
                    format!(
                        "risk `{}` is not acceptable before controls ({} severity, {} exploitability) but lists no controls",
                        risk.id,
                        risk.severity.label(),
                        risk.before.exploitability.label()
                    ),
                )
                .at(ctx.at(risk.id.pos))
                .subject(risk.id.as_str())
                .guidance(section("RA-1"))
                .help("list the controls that reduce it under `controls`"),
            );
        }
        if !risk.controls.is_empty() && risk.after.is_none() {
            findings.push(
                Finding::new("T006", format!("risk `{}` has controls but no residual score (`after`)", risk.id))
                    .at(ctx.at(risk.id.pos))
                    .subject(risk.id.as_str())
                    .guidance(section("RA-1"))
                    .help("add `after: { exploitability: ... }` with the exploitability once the controls are in place"),
            );
        }
        let residual_unacceptable = match &risk.after {
            Some(_) => acceptable_after(ctx, risk) == Some(false),
            None => unacceptable_before && !risk.controls.is_empty(),
        };
        if residual_unacceptable {
            match &risk.acceptance {
                Some(acceptance) if reasoned(&Some(acceptance.rationale.clone())) => {}
                Some(_) => findings.push(
                    Finding::new("T004", format!("risk `{}` carries an unacceptable residual risk with an empty acceptance rationale", risk.id))
                        .at(ctx.at(risk.id.pos))
                        .subject(risk.id.as_str())
                        .guidance(section("RM-7"))
                        .help("explain the benefit-risk reasoning, or how the risk is transferred to users through labeling"),
                ),
                None => findings.push(
                    Finding::new(
                        "T004",
                        format!("the residual risk of `{}` is not acceptable and carries no acceptance or transfer rationale", risk.id),
                    )
                    .at(ctx.at(risk.id.pos))
                    .subject(risk.id.as_str())
                    .guidance(section("RM-7"))
                    .help("add controls, or `acceptance: { decision: accepted|transferred, rationale: ... }`"),
                ),
            }
        }
    }

    // Every control traces to a risk and is verified.
    for control in &project.controls {
        if ctx.risks_of(&control.id).is_empty() {
            findings.push(
                Finding::new(
                    "T003",
                    format!("control `{}` is not listed by any risk", control.id),
                )
                .at(ctx.at(control.id.pos))
                .subject(control.id.as_str())
                .guidance(section("RM-6"))
                .help(format!(
                    "add `{}` to the `controls` of the risk it reduces",
                    control.id
                )),
            );
        }
        if control.addresses.is_empty() && ctx.tests_of(&control.id).is_empty() {
            findings.push(
                Finding::new(
                    "T007",
                    format!("control `{}` is not verified by any test", control.id),
                )
                .at(ctx.at(control.id.pos))
                .subject(control.id.as_str())
                .guidance(section("TEST-1"))
                .help(format!("add a test with `verifies: [{}]`", control.id)),
            );
        }
    }

    for test in &project.tests {
        if test.result == crate::model::TestResult::Fail {
            findings.push(
                Finding::new("T008", format!("test `{}` failed", test.id))
                    .at(ctx.at(test.id.pos))
                    .subject(test.id.as_str())
                    .guidance(section("TEST-6"))
                    .help("fix and re-run it, or record what it found under `findings` with a disposition and set the result to `pass-with-findings`"),
            );
        }
        for found in &test.findings {
            let problem = match &found.disposition {
                None => Some("has no disposition".to_string()),
                Some(d) => match d.status {
                    DispositionStatus::Fixed if d.fixed_in.is_none() => Some(
                        "is marked fixed without `fixed_in` (the release that fixed it)"
                            .to_string(),
                    ),
                    DispositionStatus::Deferred if !filled(&d.plan) || d.due.is_none() => {
                        let lacking = match (filled(&d.plan), d.due.is_some()) {
                            (false, false) => "a release plan (`plan`) and a due date (`due`)",
                            (false, true) => "a release plan (`plan`)",
                            _ => "a due date (`due`)",
                        };
                        Some(format!("is deferred without {lacking}"))
                    }
                    DispositionStatus::Accepted if !reasoned(&d.rationale) => {
                        Some("is accepted without a rationale".to_string())
                    }
                    _ => None,
                },
            };
            if let Some(problem) = problem {
                let code = if problem.contains("deferred") {
                    "TEST-7"
                } else {
                    "TEST-6"
                };
                findings.push(
                    Finding::new("T005", format!("finding `{}` of test `{}` {problem}", found.id, test.id))
                        .at(ctx.at(found.id.pos))
                        .subject(found.id.as_str())
                        .guidance(section(code))
                        .help("give `disposition: { status: fixed|deferred|accepted, ... }`: fixed needs `fixed_in`, deferred needs `plan` and `due`, accepted needs `rationale`"),
                );
            }
        }
    }

    for anomaly in &project.anomalies {
        if anomaly.security_impact && anomaly.risk.is_none() {
            findings.push(
                Finding::new(
                    "T009",
                    format!(
                        "anomaly `{}` has security impact but links no security risk",
                        anomaly.id
                    ),
                )
                .at(ctx.at(anomaly.id.pos))
                .subject(anomaly.id.as_str())
                .guidance(section("UA-1"))
                .help("add `risk:` naming the security risk that assesses it"),
            );
        }
    }
    findings
}
