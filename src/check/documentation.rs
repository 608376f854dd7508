//! Documentation completeness: the Appendix 4 documents, the risk management report, the
//! architecture views, testing, labeling, the management plan and the metrics (§V, §VI, App. 4).

use super::{Ctx, filled};
use crate::catalog::EntryKind;
use crate::finding::{Finding, Location};
use crate::model::*;

pub fn rules(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    appendix4(ctx, &mut findings);
    risk_management(ctx, &mut findings);
    views(ctx, &mut findings);
    testing(ctx, &mut findings);
    labeling(ctx, &mut findings);
    plan(ctx, &mut findings);
    architecture_details(ctx, &mut findings);
    findings
}

/// Pushes a "missing" finding unless the catalog item is declared not applicable.
fn missing(
    ctx: &Ctx,
    findings: &mut Vec<Finding>,
    code: &'static str,
    catalog_id: &str,
    message: String,
    help: &str,
    location: Location,
) {
    if ctx.not_applicable(catalog_id).is_some() {
        return;
    }
    findings.push(
        ctx.about(code, catalog_id, message)
            .at(Some(location))
            .help(help),
    );
}

fn title(ctx: &Ctx, id: &str) -> String {
    ctx.catalog
        .get(id)
        .map(|e| e.title.clone())
        .unwrap_or_else(|| id.to_string())
}

/// Each row of Appendix 4 Table 1 has content to render.
fn appendix4(ctx: &Ctx, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    let rm = p.risk_management.as_ref();
    let has_sbom = p
        .sbom
        .as_ref()
        .is_some_and(|s| !s.sources.is_empty() || !s.components.is_empty());
    let rows: [(&str, bool, &str, &str); 14] = [
        (
            "APP4-1",
            rm.is_some_and(|r| filled(&r.process) && filled(&r.residual_risk)),
            "risk_management",
            "add `risk_management:` with `process` and `residual_risk`",
        ),
        ("APP4-2", !p.threats.is_empty(), "threats", "add `threats:`"),
        ("APP4-3", !p.risks.is_empty(), "risks", "add `risks:`"),
        (
            "APP4-4",
            has_sbom,
            "sbom",
            "list the SBOM files under `sbom.sources`, or the components under `sbom.components`",
        ),
        (
            "APP4-5",
            has_sbom,
            "sbom",
            "list the SBOM files under `sbom.sources` (or components under `sbom.components`); support level and end of support per component complete this document",
        ),
        (
            "APP4-6",
            !p.anomalies.is_empty(),
            "anomalies",
            "list unresolved anomalies under `anomalies:`, or declare APP4-6 not applicable when there are none",
        ),
        (
            "APP4-7",
            !p.threats.is_empty()
                && !p.risks.is_empty()
                && !p.controls.is_empty()
                && !p.tests.is_empty(),
            "risks",
            "traceability needs threats, risks, controls and tests",
        ),
        (
            "APP4-8",
            p.plan.as_ref().and_then(|pl| pl.metrics.as_ref()).is_some(),
            "plan",
            "add `plan.metrics`",
        ),
        ("APP4-9", !p.views.is_empty(), "views", "add `views:`"),
        (
            "APP4-10",
            p.controls.iter().any(|c| filled(&c.requirement)),
            "controls",
            "give controls a `requirement` with acceptance criteria",
        ),
        ("APP4-11", !p.views.is_empty(), "views", "add `views:`"),
        ("APP4-12", !p.tests.is_empty(), "tests", "add `tests:`"),
        (
            "APP4-13",
            labeling_items(p).iter().any(|(_, present, _)| *present),
            "labeling",
            "write the `labeling:` items",
        ),
        (
            "APP4-14",
            plan_elements(p).iter().any(|(_, present, _)| *present),
            "plan",
            "write the `plan:` elements",
        ),
    ];
    for (id, present, section, help) in rows {
        if !present {
            missing(
                ctx,
                findings,
                "D001",
                id,
                format!(
                    "the submission document {id} ({}) has no content",
                    title(ctx, id)
                ),
                help,
                p.section_location(section),
            );
        }
    }
}

fn risk_management(ctx: &Ctx, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    let location = p.section_location("risk_management");
    let default = RiskManagement::default();
    let rm = p.risk_management.as_ref().unwrap_or(&default);
    let fields: [(&str, bool, &str); 10] = [
        ("RM-1", filled(&rm.process), "process"),
        ("TM-5", filled(&rm.threat_modeling), "threat_modeling"),
        ("TM-3", !rm.assumptions.is_empty(), "assumptions"),
        (
            "RA-3",
            filled(&rm.scoring) && rm.acceptance.is_some(),
            "scoring` and `acceptance",
        ),
        ("RA-4", filled(&rm.safety_transfer), "safety_transfer"),
        ("RM-4", filled(&rm.residual_risk), "residual_risk"),
        ("TPLC-1", filled(&rm.lifecycle), "lifecycle"),
        ("IO-1", filled(&rm.interoperability), "interoperability"),
        ("SB-2", filled(&rm.third_party), "third_party"),
        ("UA-2", filled(&rm.anomaly_criteria), "anomaly_criteria"),
    ];
    for (id, present, field) in fields {
        if !present {
            missing(
                ctx,
                findings,
                "D009",
                id,
                format!(
                    "the risk management file lacks {id} ({}): write `risk_management.{field}`",
                    title(ctx, id)
                ),
                "add the field to the `risk_management` section",
                location.clone(),
            );
        }
    }
    for risk in &p.risks {
        if risk.severity > HarmSeverity::Negligible && risk.hazard.is_none() {
            findings.push(
                ctx.about("D010", "RA-4", format!("risk `{}` can cause {} harm but links no safety hazard", risk.id, risk.severity.label()))
                    .subject(risk.id.as_str())
                    .at(ctx.at(risk.id.pos))
                    .help("add `hazard: { id: HAZ-..., description: ... }` naming the hazard in the ISO 14971 risk file"),
            );
        }
    }
}

fn views(ctx: &Ctx, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    for kind in ViewKind::ALL {
        if !p.views.iter().any(|v| v.kind == kind) {
            missing(
                ctx,
                findings,
                "D002",
                kind.catalog_id(),
                format!(
                    "no {} ({}) is given",
                    kind.label().to_lowercase(),
                    kind.catalog_id()
                ),
                "add a view of this kind under `views:`, or declare it not applicable with the reason it is omitted",
                p.section_location("views"),
            );
        }
    }
    for view in &p.views {
        if view.diagram.is_none() {
            findings.push(
                ctx.about(
                    "D013",
                    "VIEWRULE-1",
                    format!("view `{}` has no diagram", view.id),
                )
                .subject(view.id.as_str())
                .at(ctx.at(view.id.pos))
                .help("add `diagram: { kind: data-flow|state|swim-lane|call-flow, file: ... }`"),
            );
        }
    }
}

fn testing(ctx: &Ctx, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    for kind in TestKind::ALL {
        if !p.tests.iter().any(|t| t.kind == kind) {
            missing(
                ctx,
                findings,
                "D006",
                kind.catalog_id(),
                format!(
                    "no {} ({}) is recorded",
                    kind.label().to_lowercase(),
                    kind.catalog_id()
                ),
                "add a test of this kind under `tests:`",
                p.section_location("tests"),
            );
        }
    }
    for test in &p.tests {
        if test.tester.is_none() {
            findings.push(
                ctx.about("D015", "TEST-5", format!("test `{}` does not say who tested and how independent they are", test.id))
                    .subject(test.id.as_str())
                    .at(ctx.at(test.id.pos))
                    .help("add `tester: { name: ..., independence: developer|internal-independent|third-party }`"),
            );
        }
        if matches!(test.kind, TestKind::Vulnerability | TestKind::Penetration)
            && test.tools.is_empty()
        {
            findings.push(
                ctx.about(
                    "D008",
                    test.kind.catalog_id(),
                    format!(
                        "{} `{}` names no tools",
                        test.kind.label().to_lowercase(),
                        test.id
                    ),
                )
                .subject(test.id.as_str())
                .at(ctx.at(test.id.pos))
                .help("list each tool with `name`, `version` and `settings`"),
            );
        }
        if test.kind == TestKind::Penetration {
            let report = [
                (
                    "PENTEST-1",
                    test.tester.as_ref().is_some_and(|t| t.expertise.is_some()),
                    "the tester's independence and expertise (`tester.expertise`)",
                ),
                ("PENTEST-2", filled(&test.scope), "the scope (`scope`)"),
                (
                    "PENTEST-3",
                    test.duration.is_some(),
                    "the duration (`duration`)",
                ),
                ("PENTEST-4", filled(&test.method), "the methods (`method`)"),
                (
                    "PENTEST-5",
                    test.report.is_some() || !test.findings.is_empty(),
                    "the results: a `report` reference or `findings`",
                ),
            ];
            for (id, present, what) in report {
                if !present {
                    findings.push(
                        ctx.about("D007", id, format!("penetration test `{}` does not give {what}", test.id))
                            .subject(test.id.as_str())
                            .at(ctx.at(test.id.pos))
                            .help("the penetration test report states independence and expertise, scope, duration, methods and results"),
                    );
                }
            }
        }
    }
}

/// LBL-n -> whether the labeling says it.
fn labeling_items(p: &Project) -> Vec<(&'static str, bool, &'static str)> {
    let default = Labeling::default();
    let l = p.labeling.as_ref().unwrap_or(&default);
    let device: Vec<&str> = super::cyber::device_components(p)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let has_ports = p
        .flows
        .iter()
        .any(|f| device.contains(&f.from.as_str()) || device.contains(&f.to.as_str()));
    vec![
        ("LBL-1", filled(&l.security_controls), "security_controls"),
        ("LBL-2", filled(&l.diagrams), "diagrams"),
        (
            "LBL-3",
            has_ports,
            "flows of the device (the ports table is generated from them)",
        ),
        ("LBL-4", filled(&l.infrastructure), "infrastructure"),
        ("LBL-5", filled(&l.sbom), "sbom"),
        ("LBL-6", filled(&l.updates), "updates"),
        ("LBL-7", filled(&l.security_events), "security_events"),
        ("LBL-8", filled(&l.critical_functions), "critical_functions"),
        ("LBL-9", filled(&l.backup_restore), "backup_restore"),
        (
            "LBL-10",
            filled(&l.configuration_recovery),
            "configuration_recovery",
        ),
        (
            "LBL-11",
            filled(&l.secure_configuration),
            "secure_configuration",
        ),
        ("LBL-12", filled(&l.forensics), "forensics"),
        ("LBL-13", filled(&l.end_of_support), "end_of_support"),
        ("LBL-14", filled(&l.decommissioning), "decommissioning"),
    ]
}

fn labeling(ctx: &Ctx, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    for (id, present, field) in labeling_items(p) {
        if !present {
            missing(
                ctx,
                findings,
                "D003",
                id,
                format!("the labeling lacks {id} ({})", title(ctx, id)),
                &format!("write `labeling.{field}` in plain language for the customer"),
                p.section_location("labeling"),
            );
        }
    }
}

/// PLAN-n -> whether the plan says it.
fn plan_elements(p: &Project) -> Vec<(&'static str, bool, &'static str)> {
    let default = Plan::default();
    let plan = p.plan.as_ref().unwrap_or(&default);
    let timelines = plan.patch_timelines.as_ref();
    vec![
        ("PLAN-1", !plan.personnel.is_empty(), "personnel"),
        ("PLAN-2", plan.monitoring.is_some(), "monitoring"),
        ("PLAN-3", filled(&plan.kev), "kev"),
        ("PLAN-4", filled(&plan.periodic_testing), "periodic_testing"),
        (
            "PLAN-5",
            timelines.is_some_and(|t| t.regular_cycle_days.is_some() || t.critical_days.is_some()),
            "patch_timelines",
        ),
        ("PLAN-6", filled(&plan.update_process), "update_process"),
        (
            "PLAN-7",
            filled(&plan.patching_capability),
            "patching_capability",
        ),
        ("PLAN-8", plan.cvd.is_some(), "cvd"),
        ("PLAN-9", filled(&plan.communication), "communication"),
    ]
}

fn plan(ctx: &Ctx, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    let default = Plan::default();
    let plan = p.plan.as_ref().unwrap_or(&default);
    let location = p.section_location("plan");
    for (id, present, field) in plan_elements(p) {
        if !present {
            missing(
                ctx,
                findings,
                "D004",
                id,
                format!("the management plan lacks {id} ({})", title(ctx, id)),
                &format!("add `plan.{field}`"),
                location.clone(),
            );
        }
    }
    // The three TPLC metrics: measured values, or a plan for a first product.
    let metrics = plan.metrics.as_ref();
    let planned = metrics.is_some_and(|m| filled(&m.plan));
    let values = [
        (
            "METRIC-1",
            metrics.and_then(|m| m.patched_percent).is_some(),
            "patched_percent",
        ),
        (
            "METRIC-2",
            metrics.and_then(|m| m.days_to_patch).is_some(),
            "days_to_patch",
        ),
        (
            "METRIC-3",
            metrics.and_then(|m| m.days_to_deploy).is_some(),
            "days_to_deploy",
        ),
    ];
    for (id, present, field) in values {
        if !present && !planned {
            missing(
                ctx,
                findings,
                "D005",
                id,
                format!(
                    "metric {id} ({}) is neither reported nor planned",
                    title(ctx, id)
                ),
                &format!("give `plan.metrics.{field}`, or `plan.metrics.plan` for a first product"),
                location.clone(),
            );
        }
    }
    if let Some(m) = metrics
        && let Some(percent) = m.patched_percent
        && !(0.0..=100.0).contains(&percent)
    {
        findings.push(
            ctx.about(
                "L011",
                "METRIC-1",
                format!(
                    "`plan.metrics.patched_percent` is {percent}; a percentage is between 0 and 100"
                ),
            )
            .at(Some(location.clone())),
        );
    }
    // Cyber-device additions of §VII.C.1, where the edition has them.
    if ctx.cyber.cyber_device && ctx.catalog.of_kind(EntryKind::PlanCyber).next().is_some() {
        let cvd = plan.cvd.as_ref();
        let additions: [(&str, bool, &str); 4] = [
            (
                "PLAN-C1",
                cvd.is_none()
                    || cvd.is_some_and(|c| {
                        filled(&c.external_reports)
                            && filled(&c.internal_findings)
                            && filled(&c.procedures)
                    }),
                "cvd.external_reports`, `cvd.internal_findings` and `cvd.procedures",
            ),
            (
                "PLAN-C2",
                plan.patch_timelines.as_ref().is_none_or(|t| {
                    filled(&t.regular_justification) && filled(&t.critical_justification)
                }),
                "patch_timelines.regular_justification` and `critical_justification",
            ),
            ("PLAN-C3", filled(&plan.upkeep), "upkeep"),
            (
                "PLAN-C4",
                !plan.fielded_versions.is_empty(),
                "fielded_versions",
            ),
        ];
        for (id, present, field) in additions {
            if !present && ctx.not_applicable(id).is_none() {
                // Section 524B(a) does not cover an IDE; there these are advice.
                let severity = if p.settings.submission.kind.under_524b() {
                    crate::finding::Severity::Error
                } else {
                    crate::finding::Severity::Warning
                };
                findings.push(
                    ctx.about(
                        "D011",
                        id,
                        format!(
                            "the plan of this cyber device lacks {id} ({})",
                            title(ctx, id)
                        ),
                    )
                    .severity(severity)
                    .at(Some(location.clone()))
                    .help(format!("add `plan.{field}`")),
                );
            }
        }
    }
}

/// Per-path details of Appendix 2 and requirements of §V.B.1.
fn architecture_details(ctx: &Ctx, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    for flow in &p.flows {
        if flow.unused {
            continue;
        }
        for (present, what, id) in [
            (flow.authentication.is_some(), "authentication", "PATH-9"),
            (flow.encryption.is_some(), "encryption", "PATH-10"),
        ] {
            if !present {
                findings.push(
                    ctx.about(
                        "D012",
                        id,
                        format!(
                            "flow `{}` does not state its {what} (write `none` if there is none)",
                            flow.id
                        ),
                    )
                    .subject(flow.id.as_str())
                    .at(ctx.at(flow.id.pos))
                    .help(format!("add `{what}:` to the flow")),
                );
            }
        }
    }
    for control in &p.controls {
        if !control.addresses.is_empty() && !filled(&control.requirement) {
            findings.push(
                ctx.about(
                    "D014",
                    "ARCH-1",
                    format!(
                        "control `{}` has no requirement with acceptance criteria",
                        control.id
                    ),
                )
                .subject(control.id.as_str())
                .at(ctx.at(control.id.pos))
                .help("add `requirement:` saying what must hold and how it is verified"),
            );
        }
    }
}
