//! Checking that every reference names an existing item of the right kind.

use crate::finding::Finding;
use crate::model::*;
use crate::suggest::did_you_mean;

/// One reference field: the item holding it, what it may point at, and the value.
struct RefSite<'a> {
    owner: String,
    field: &'static str,
    allowed: &'static [ItemKind],
    target: &'a Ref,
}

/// Findings for every reference to a missing ID or to an item of the wrong kind.
pub fn resolve(project: &Project) -> Vec<Finding> {
    let mut sites = Vec::new();
    collect(project, &mut sites);
    let mut findings = Vec::new();
    for site in sites {
        let id = site.target.value.as_str();
        let expected = site
            .allowed
            .iter()
            .map(|k| k.noun())
            .collect::<Vec<_>>()
            .join(" or ");
        let location = Some(project.sources.location(site.target.pos));
        match project.kind_of(id) {
            Some(kind) if site.allowed.contains(&kind) => {}
            Some(kind) => findings.push(
                Finding::new(
                    "R003",
                    format!(
                        "{} lists `{id}` under `{}`, but `{id}` is a {}, not a {expected}",
                        site.owner,
                        site.field,
                        kind.noun()
                    ),
                )
                .at(location)
                .subject(id)
                .help(format!("`{}` takes the ID of a {expected}", site.field)),
            ),
            None => {
                let candidates = project
                    .ids
                    .iter()
                    .filter(|(_, kind)| site.allowed.contains(kind))
                    .map(|(id, _)| id.as_str());
                let help = did_you_mean(id, candidates).unwrap_or_else(|| {
                    format!("define a {expected} with `id: {id}`, or fix the reference")
                });
                findings.push(
                    Finding::new(
                        "R002",
                        format!(
                            "{} names {expected} `{id}` under `{}`, which does not exist",
                            site.owner, site.field
                        ),
                    )
                    .at(location)
                    .subject(id)
                    .help(help),
                );
            }
        }
    }
    findings
}

fn collect<'a>(project: &'a Project, out: &mut Vec<RefSite<'a>>) {
    use ItemKind::*;
    let mut add =
        |owner: String, field: &'static str, allowed: &'static [ItemKind], refs: &'a [Ref]| {
            for target in refs {
                out.push(RefSite {
                    owner: owner.clone(),
                    field,
                    allowed,
                    target,
                });
            }
        };
    for flow in &project.flows {
        let owner = format!("flow `{}`", flow.id);
        add(
            owner.clone(),
            "from",
            &[Component],
            std::slice::from_ref(&flow.from),
        );
        add(owner, "to", &[Component], std::slice::from_ref(&flow.to));
    }
    for boundary in &project.boundaries {
        add(
            format!("boundary `{}`", boundary.id),
            "components",
            &[Component],
            &boundary.components,
        );
    }
    for asset in &project.assets {
        add(
            format!("asset `{}`", asset.id),
            "held_by",
            &[Component],
            &asset.held_by,
        );
    }
    for threat in &project.threats {
        add(
            format!("threat `{}`", threat.id),
            "targets",
            &[Component, Flow, Asset],
            &threat.targets,
        );
    }
    for risk in &project.risks {
        let owner = format!("risk `{}`", risk.id);
        add(owner.clone(), "threats", &[Threat], &risk.threats);
        add(owner, "controls", &[Control], &risk.controls);
    }
    for control in &project.controls {
        add(
            format!("control `{}`", control.id),
            "implemented_by",
            &[Component],
            &control.implemented_by,
        );
    }
    for test in &project.tests {
        let owner = format!("test `{}`", test.id);
        add(owner.clone(), "verifies", &[Control], &test.verifies);
        add(owner, "threats", &[Threat], &test.threats);
    }
    for anomaly in &project.anomalies {
        if let Some(risk) = &anomaly.risk {
            add(
                format!("anomaly `{}`", anomaly.id),
                "risk",
                &[Risk],
                std::slice::from_ref(risk),
            );
        }
    }
    for vulnerability in &project.vulnerabilities {
        if let Some(risk) = &vulnerability.risk {
            add(
                format!("vulnerability `{}`", vulnerability.id),
                "risk",
                &[Risk],
                std::slice::from_ref(risk),
            );
        }
    }
    for view in &project.views {
        let owner = format!("view `{}`", view.id);
        add(owner.clone(), "components", &[Component], &view.components);
        add(owner, "flows", &[Flow], &view.flows);
    }
}
