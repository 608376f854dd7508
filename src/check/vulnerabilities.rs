//! Known vulnerabilities: every one assessed, justified when not affecting the device, linked to
//! a security risk when it does, and none from the CISA KEV catalog left affecting it
//! (§V.A.2, §V.A.4, section 524B(b)(2)).

use super::{Ctx, filled};
use crate::finding::Finding;
use crate::model::*;

pub fn rules(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    let project = ctx.project;
    let inventory = &project.inventory;
    let section = |id: &str| ctx.catalog.section(id).to_string();

    for v in &project.vulnerabilities {
        let at = ctx.at(v.id.pos);
        let id = v.id.as_str();
        let kev = v.kev || inventory.in_kev(id);
        match v.state {
            VexState::NotAffected if v.justification.is_none() => findings.push(
                Finding::new("V002", format!("`{id}` is marked not affected without a justification"))
                    .at(at.clone())
                    .subject(id)
                    .guidance(section("SB-7"))
                    .help("add `justification:` (component-not-present, vulnerable-code-not-present, vulnerable-code-not-in-execute-path, vulnerable-code-cannot-be-controlled-by-adversary, inline-mitigations-already-exist)"),
            ),
            VexState::Affected if v.risk.is_none() => findings.push(
                Finding::new("V003", format!("`{id}` affects the device but links no security risk"))
                    .at(at.clone())
                    .subject(id)
                    .guidance(section("SB-7"))
                    .help("add `risk:` naming the security risk that assesses it and its controls"),
            ),
            VexState::UnderInvestigation => findings.push(
                Finding::new("V005", format!("`{id}` is still under investigation"))
                    .at(at.clone())
                    .subject(id)
                    .guidance(section("SB-6"))
                    .help("finish the assessment before submission: affected, not affected or fixed"),
            ),
            VexState::Fixed if v.fixed_in.is_none() => findings.push(
                Finding::new("V008", format!("`{id}` is marked fixed without the release that fixed it"))
                    .at(at.clone())
                    .subject(id)
                    .guidance(section("SB-6"))
                    .help("add `fixed_in:`"),
            ),
            _ => {}
        }
        if kev && matches!(v.state, VexState::Affected | VexState::UnderInvestigation) {
            findings.push(kev_finding(ctx, id, inventory.in_kev(id), at.clone()));
        }
        if !filled(&Some(v.discovered_by.clone())) {
            findings.push(
                Finding::new("V006", format!("`{id}` does not say how it was discovered"))
                    .at(at.clone())
                    .subject(id)
                    .guidance(section("SB-6"))
                    .help("say which scan, advisory or report found it (`discovered_by`)"),
            );
        }
        for component in &v.components {
            if !inventory.components.is_empty() && inventory.find(component).is_none() {
                findings.push(unknown_component(ctx, id, component, ctx.at(component.pos)));
            }
        }
    }

    // Statements from SBOM and VEX files that the project does not assess itself.
    for v in &inventory.vulnerabilities {
        if project.vulnerabilities.iter().any(|y| y.id.value == v.id) {
            continue;
        }
        let at = Some(v.location.clone());
        let id = v.id.as_str();
        match v.state {
            None => findings.push(
                Finding::new("V001", match &v.state_text {
                    Some(text) => format!("`{id}` in `{}` has the state `{text}`, which is not a VEX status", v.location.file),
                    None => format!("`{id}` in `{}` has no assessment", v.location.file),
                })
                .at(at.clone())
                .subject(id)
                .guidance(section("SB-7"))
                .help("assess it: affected, not affected (with justification), fixed; in the VEX file or under `vulnerabilities:` in the project"),
            ),
            Some(VexState::NotAffected) if v.justification.is_none() && v.detail.is_none() => findings.push(
                Finding::new("V002", format!("`{id}` in `{}` is marked not affected without a justification", v.location.file))
                    .at(at.clone())
                    .subject(id)
                    .guidance(section("SB-7")),
            ),
            Some(VexState::Affected) => findings.push(
                Finding::new("V003", format!("`{id}` affects the device (per `{}`) but links no security risk", v.location.file))
                    .at(at.clone())
                    .subject(id)
                    .guidance(section("SB-7"))
                    .help(format!("add `{id}` under `vulnerabilities:` with its assessment and `risk:`")),
            ),
            Some(VexState::UnderInvestigation) => findings.push(
                Finding::new("V005", format!("`{id}` in `{}` is still under investigation", v.location.file))
                    .at(at.clone())
                    .subject(id)
                    .guidance(section("SB-6")),
            ),
            _ => {}
        }
        if inventory.in_kev(id)
            && matches!(
                v.state,
                Some(VexState::Affected | VexState::UnderInvestigation) | None
            )
        {
            findings.push(kev_finding(ctx, id, true, at.clone()));
        }
        for reference in &v.affects {
            if !inventory.components.is_empty() && inventory.find(reference).is_none() {
                findings.push(unknown_component(ctx, id, reference, at.clone()));
            }
        }
    }
    findings
}

/// V004. `in_catalog`: found in the project's KEV catalog file, else marked `kev: true`.
fn kev_finding(
    ctx: &Ctx,
    id: &str,
    in_catalog: bool,
    at: Option<crate::finding::Location>,
) -> Finding {
    let source = if in_catalog {
        "is in the CISA Known Exploited Vulnerabilities catalog"
    } else {
        "is marked as known exploited (`kev: true`)"
    };
    Finding::new("V004", format!("`{id}` {source} and affects the device"))
        .at(at)
        .subject(id)
        .guidance(ctx.catalog.section("RA-6"))
        .help("known exploited vulnerabilities are to be designed out: fix or remove the component before submission")
}

fn unknown_component(
    ctx: &Ctx,
    id: &str,
    component: &str,
    at: Option<crate::finding::Location>,
) -> Finding {
    let labels: Vec<String> = ctx
        .project
        .inventory
        .components
        .iter()
        .map(|c| c.label())
        .collect();
    let help = crate::suggest::did_you_mean(component, labels.iter().map(String::as_str))
        .unwrap_or_else(|| {
            "name components by purl, CPE, bom-ref or name@version as the SBOM writes them"
                .to_string()
        });
    Finding::new(
        "V007",
        format!("`{id}` names component `{component}`, which is not in the SBOM"),
    )
    .at(at)
    .subject(id)
    .guidance(ctx.catalog.section("SB-6"))
    .help(help)
}
