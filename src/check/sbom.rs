//! SBOM completeness and component support (§V.A.4(b), §VI.A item 13): the NTIA baseline
//! elements per component, level of support and end of support, judged as of a date.

use super::{Ctx, reasoned};
use crate::finding::{Finding, Severity};
use crate::model::*;

pub fn rules(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    let project = ctx.project;
    let inventory = &project.inventory;
    let section = |id: &str| ctx.catalog.section(id).to_string();

    for document in &inventory.documents {
        let mut lacking = Vec::new();
        if document.authors.is_empty() {
            lacking.push("author");
        }
        if document.timestamp.is_none() {
            lacking.push("timestamp");
        }
        if document.components > 1 && document.dependencies == 0 {
            lacking.push("dependency relationships");
        }
        if !lacking.is_empty() {
            findings.push(
                Finding::new("S003", format!("SBOM `{}` has no {}", document.path, lacking.join(", ")))
                    .at(Some(crate::finding::Location::file(&document.path)))
                    .subject(&document.path)
                    .guidance(section("SB-3"))
                    .help("regenerate the SBOM with a tool that records the author, the timestamp and the dependency graph (NTIA minimum elements)"),
            );
        }
    }

    let as_of = ctx.options.as_of;
    let horizon = ctx.options.horizon_months;
    let device_end = project
        .settings
        .device
        .end_of_support
        .as_ref()
        .map(|e| e.value);
    // Components whose support ends before the device's: (end, label).
    let mut outlived: Vec<(Date, String)> = Vec::new();
    for component in &inventory.components {
        let label = component.label();
        let at = Some(component.location.clone());
        let support_at = component.support_location.clone().or_else(|| at.clone());
        let justified = reasoned(&component.justification);

        let mut lacking = Vec::new();
        if component
            .supplier
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            lacking.push("supplier");
        }
        if component.version.is_none() {
            lacking.push("version");
        }
        if component.purl.is_none() && component.cpe.is_none() && component.swid.is_none() {
            lacking.push("unique identifier (purl, CPE or SWID)");
        }
        if !lacking.is_empty() && !justified {
            findings.push(
                Finding::new("S002", format!("component `{label}` lacks {}", lacking.join(", ")))
                    .at(at.clone())
                    .subject(&label)
                    .guidance(section("SB-3"))
                    .help("add the missing elements in the SBOM, or give a `justification` in an `sbom.support` entry for this component"),
            );
        }

        // Level of support.
        match (component.support, &component.support_text) {
            (Some(SupportLevel::Unknown), _) if !justified => findings.push(
                Finding::new("S004", format!("the level of support of `{label}` is unknown, with no justification"))
                    .at(support_at.clone())
                    .subject(&label)
                    .guidance(section("SB-5"))
                    .help("find out from the supplier, or say why it cannot be known (`justification`)"),
            ),
            (Some(_), _) => {}
            (None, Some(text)) => findings.push(
                Finding::new("S004", format!("`{label}` has a level of support `{text}` that is none of: actively maintained, no longer maintained, abandoned, unknown"))
                    .at(support_at.clone())
                    .subject(&label)
                    .guidance(section("SB-4"))
                    .help("use one of the four levels, in the SBOM or in an `sbom.support` entry"),
            ),
            (None, None) if !justified => findings.push(
                Finding::new("S004", format!("`{label}` has no level of support"))
                    .at(support_at.clone())
                    .subject(&label)
                    .guidance(section("SB-4"))
                    .help("add `support:` in an `sbom.support` entry matched by purl or name@version, or a level-of-support property in the SBOM"),
            ),
            _ => {}
        }
        if matches!(
            component.support,
            Some(SupportLevel::NoLongerMaintained | SupportLevel::Abandoned)
        ) {
            findings.push(
                Finding::new("S012", format!("`{label}` is {}", component.support.map(|s| s.label()).unwrap_or("")))
                    .at(support_at.clone())
                    .subject(&label)
                    .guidance(section("SB-2"))
                    .help("say how it is replaced or maintained in-house (risk_management.third_party, plan)"),
            );
        }

        // End of support.
        match (component.end_of_support, &component.end_of_support_text) {
            (Some(EndOfSupport::Date(end)), _) => {
                let status = crate::render::context::support_status(Some(EndOfSupport::Date(end)), as_of, horizon);
                let as_of_text = as_of.map(|d| d.to_string()).unwrap_or_default();
                if status == "past" {
                    findings.push(
                        Finding::new("S006", format!("`{label}` reached its end of support on {end}, before {as_of_text}"))
                            .at(support_at.clone())
                            .subject(&label)
                            .guidance(section("SB-4"))
                            .help("upgrade or replace it, or assess the risk of running it unsupported and say so in the labeling (LBL-13)"),
                    );
                } else if status == "soon" {
                    findings.push(
                        Finding::new("S007", format!("`{label}` reaches its end of support on {end}, within {horizon} months of {as_of_text}"))
                            .at(support_at.clone())
                            .subject(&label)
                            .guidance(format!("{}; §VI.A", section("SB-4")))
                            .help("plan the upgrade now; the labeling should tell customers what happens after that date"),
                    );
                }
                if device_end.is_some_and(|d| end < d) {
                    outlived.push((end, label.clone()));
                }
            }
            (Some(EndOfSupport::Unknown), _) if !justified => findings.push(
                Finding::new("S005", format!("the end of support of `{label}` is unknown, with no justification"))
                    .at(support_at.clone())
                    .subject(&label)
                    .guidance(section("SB-5"))
                    .help("give the date, or say why it cannot be known (`justification`)"),
            ),
            (Some(EndOfSupport::Unknown), _) => {}
            (None, Some(text)) => findings.push(
                Finding::new("S005", format!("the end of support of `{label}` is `{text}`, which is not a date"))
                    .at(support_at.clone())
                    .subject(&label)
                    .guidance(section("SB-4"))
                    .help("give a date (YYYY-MM-DD), or `unknown` with a justification, in an `sbom.support` entry"),
            ),
            (None, None) if !justified => findings.push(
                Finding::new("S005", format!("`{label}` has no end-of-support date"))
                    .at(support_at.clone())
                    .subject(&label)
                    .guidance(section("SB-4"))
                    .help("add `end_of_support:` in an `sbom.support` entry, or an end-of-support property in the SBOM"),
            ),
            _ => {}
        }
    }

    if let (Some(device_end), false) =
        (&project.settings.device.end_of_support, outlived.is_empty())
    {
        outlived.sort();
        let first: Vec<String> = outlived
            .iter()
            .take(3)
            .map(|(end, label)| format!("`{label}` ({end})"))
            .collect();
        findings.push(
            Finding::new(
                "S008",
                format!(
                    "{} component{} support before the device does ({}), the first: {}",
                    outlived.len(),
                    if outlived.len() == 1 { " ends" } else { "s end" },
                    device_end.value,
                    first.join(", ")
                ),
            )
            .at(ctx.at(device_end.pos))
            .guidance(section("UPDATE-6"))
            .help("the plan should say how these components are updated or replaced while the device is supported; the software support document lists them by date"),
        );
    }

    // The device's own end of support (§VI.A item 13).
    if !inventory.components.is_empty() {
        match (&project.settings.device.end_of_support, as_of) {
            (None, _) => findings.push(
                Finding::new("S010", "dossier.yaml gives no end of support for the device itself (`device.end_of_support`)")
                    .at(Some(crate::finding::Location::file(crate::load::PROJECT_FILE)))
                    .guidance(section("LBL-13"))
                    .help("state when cybersecurity support of the device ends, so components can be checked against it"),
            ),
            (Some(end), Some(as_of)) if end.value < as_of => findings.push(
                Finding::new("S010", format!("the device's end of support ({}) is before {as_of}", end.value))
                    .severity(Severity::Error)
                    .at(ctx.at(end.pos))
                    .guidance(section("LBL-13")),
            ),
            _ => {}
        }
    }
    findings
}
