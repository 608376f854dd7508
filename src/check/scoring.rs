//! Security risk is scored by exploitability, not probability (§V.A.2), against acceptance
//! criteria the project states (§V.A.2, RA-3).

use super::Ctx;
use crate::finding::Finding;
use crate::model::{Exploitability, HarmSeverity, Risk, Score};

/// Whether a score is acceptable for a severity under the project's criteria; `None` when the
/// project states no criteria (reported by the documentation rules).
pub fn acceptable(
    ctx: &Ctx,
    severity: HarmSeverity,
    exploitability: Exploitability,
) -> Option<bool> {
    let criteria = ctx.project.risk_management.as_ref()?.acceptance.as_ref()?;
    Some(criteria.acceptable(severity, exploitability))
}

/// The risk level before controls is acceptable.
pub fn acceptable_before(ctx: &Ctx, risk: &Risk) -> Option<bool> {
    acceptable(ctx, risk.severity, risk.before.exploitability)
}

/// The residual risk is acceptable (`None`: no residual score, or no criteria).
pub fn acceptable_after(ctx: &Ctx, risk: &Risk) -> Option<bool> {
    let after = risk.after.as_ref()?;
    acceptable(ctx, risk.severity, after.exploitability)
}

pub fn rules(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    for risk in &ctx.project.risks {
        let scores = [
            ("before", Some(&risk.before)),
            ("after", risk.after.as_ref()),
        ];
        for (when, score) in scores {
            let Some(score) = score else { continue };
            probabilistic(ctx, risk, when, score, &mut findings);
        }
        if let Some(after) = &risk.after
            && after.exploitability > risk.before.exploitability
        {
            findings.push(
                Finding::new(
                    "K002",
                    format!(
                        "risk `{}` is more exploitable after its controls ({}) than before ({})",
                        risk.id,
                        after.exploitability.label(),
                        risk.before.exploitability.label()
                    ),
                )
                .at(ctx.at(risk.id.pos))
                .subject(risk.id.as_str())
                .guidance(ctx.catalog.section("RA-1"))
                .help("controls should not raise exploitability; check the two scores"),
            );
        }
    }
    findings
}

fn probabilistic(ctx: &Ctx, risk: &Risk, when: &str, score: &Score, findings: &mut Vec<Finding>) {
    for (field, value) in [
        ("probability", &score.probability),
        ("likelihood", &score.likelihood),
    ] {
        if let Some(value) = value {
            findings.push(
                Finding::new(
                    "K001",
                    format!(
                        "risk `{}` is scored by {field} ({}) `{when}` controls; security risk is scored by exploitability, not probability",
                        risk.id, value.value.0
                    ),
                )
                .at(ctx.at(value.pos))
                .subject(risk.id.as_str())
                .guidance(ctx.catalog.section("RA-2"))
                .help(format!(
                    "remove `{field}` and give `exploitability` (very-low to very-high); assume worst-case exploitability or justify a reasonable one"
                )),
            );
        }
    }
}
