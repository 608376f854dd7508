//! Is the device a "cyber device" (section 524B(c), §VII.B), and if so, does the submission
//! carry what section 524B(b)(1) to (3) requires?

use super::Ctx;
use crate::finding::Finding;
use crate::model::{Component, ComponentKind, CyberDevice, InterfaceState, Project};
use serde::Serialize;

/// The answer and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CyberDecision {
    pub cyber_device: bool,
    /// `stated` when dossier.yaml says yes or no, `derived` when decided from the architecture.
    pub basis: &'static str,
    /// What made it one (or that nothing did), in words.
    pub reason: String,
    /// What the architecture says, whatever was stated.
    pub derived: bool,
}

/// Components that make up the device: those marked `in_device`, or, when none is marked, the
/// components of kind device or firmware.
pub fn device_components(project: &Project) -> Vec<&Component> {
    let marked: Vec<&Component> = project.components.iter().filter(|c| c.in_device).collect();
    if !marked.is_empty() {
        return marked;
    }
    project
        .components
        .iter()
        .filter(|c| matches!(c.kind, ComponentKind::Device | ComponentKind::Firmware))
        .collect()
}

/// What the architecture alone says, in words.
fn decide_from_architecture(project: &Project) -> String {
    derive(project).1
}

/// Decides, from dossier.yaml when it says yes or no, else from the architecture.
pub fn decide(project: &Project) -> CyberDecision {
    let (derived, derived_reason) = derive(project);
    match project.settings.cyber_device.value {
        CyberDevice::Derive => CyberDecision {
            cyber_device: derived,
            basis: "derived",
            reason: derived_reason,
            derived,
        },
        CyberDevice::Yes => CyberDecision {
            cyber_device: true,
            basis: "stated",
            reason: "dossier.yaml says `cyber_device: yes`".to_string(),
            derived,
        },
        CyberDevice::No => CyberDecision {
            cyber_device: false,
            basis: "stated",
            reason: "dossier.yaml says `cyber_device: no`".to_string(),
            derived,
        },
    }
}

/// From the architecture: any path of the device that can reach the internet, by any means,
/// including hardware connectors used only for servicing (§VII.B). Returns the answer and why.
fn derive(project: &Project) -> (bool, String) {
    let device = device_components(project);
    let in_device = |id: &str| device.iter().any(|c| c.id.value == id);
    // (rank, reason): network paths say it most plainly, service connectors least.
    let mut reasons: Vec<(u8, String)> = Vec::new();
    for component in &device {
        if component.internet {
            reasons.push((
                0,
                format!("component `{}` connects to the internet", component.id),
            ));
        }
        for interface in &component.interfaces {
            if interface.state != InterfaceState::Removed
                && interface.transport.can_reach_internet()
            {
                let reason = format!(
                    "component `{}` has a {} interface ({})",
                    component.id,
                    interface.transport.label(),
                    interface.name
                );
                reasons.push((3, reason));
            }
        }
    }
    for flow in &project.flows {
        if (in_device(&flow.from) || in_device(&flow.to)) && flow.transport.can_reach_internet() {
            let rank = if network(flow.transport) { 1 } else { 2 };
            reasons.push((
                rank,
                format!("flow `{}` uses {}", flow.id, flow.transport.label()),
            ));
        }
    }
    reasons.sort_by_key(|(rank, _)| *rank);
    let reasons: Vec<String> = reasons.into_iter().map(|(_, r)| r).collect();
    let derived = !reasons.is_empty();
    let reason = if derived {
        let more = if reasons.len() > 1 {
            format!(" (and {} more)", reasons.len() - 1)
        } else {
            String::new()
        };
        format!("{}{more}", reasons[0])
    } else if device.is_empty() {
        "no component is marked `in_device`, so nothing connects the device".to_string()
    } else {
        "no interface or flow of the device can reach the internet".to_string()
    };
    (derived, reason)
}

/// Paths that are networks in the everyday sense.
fn network(transport: crate::model::Transport) -> bool {
    use crate::model::Transport::*;
    matches!(transport, Ethernet | Wifi | Cellular | Internet)
}

pub fn rules(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    let project = ctx.project;
    let settings = &project.settings;
    let exempt = ctx.not_applicable("524B-c").is_some() || ctx.not_applicable("524B-d").is_some();
    if settings.cyber_device.value == CyberDevice::No && ctx.cyber.derived && !exempt {
        let derived = decide_from_architecture(project);
        findings.push(
            ctx.about(
                "Y006",
                "524B-c2",
                format!("dossier.yaml says the device is not a cyber device, but {derived}"),
            )
            .at(ctx.at(settings.cyber_device.pos))
            .help("FDA reads the ability to connect to the internet broadly (any means, including service ports); set `cyber_device: derive`, or, for a device FDA exempted under section 524B(d), declare `524B-d` not applicable with the exemption"),
        );
    }
    if !ctx.cyber.cyber_device {
        return findings;
    }
    // Section 524B(a) covers 510(k), De Novo, PMA, PDP and HDE; for an IDE these are advice.
    let severity = if settings.submission.kind.under_524b() {
        crate::finding::Severity::Error
    } else {
        crate::finding::Severity::Warning
    };
    let plan = project.plan.as_ref();
    let plan_location = Some(project.section_location("plan"));

    if plan.and_then(|p| p.cvd.as_ref()).is_none() {
        findings.push(
            ctx.about(
                "Y002",
                "524B-b1",
                "the device is a cyber device, but the plan has no coordinated vulnerability disclosure (`plan.cvd`)".to_string(),
            )
            .severity(severity)
            .at(plan_location.clone())
            .help("add `cvd:` with the policy, the reporting contact, and how outside reports and own findings are handled and disclosed"),
        );
    }
    let timelines = plan.and_then(|p| p.patch_timelines.as_ref());
    let regular = timelines.and_then(|t| t.regular_cycle_days.as_ref());
    let critical = timelines.and_then(|t| t.critical_days.as_ref());
    if regular.is_none() {
        findings.push(
            ctx.about(
                "Y003",
                "524B-b2A",
                "the plan gives no regular patch cycle for known unacceptable vulnerabilities (`plan.patch_timelines.regular_cycle_days`)".to_string(),
            )
            .severity(severity)
            .at(plan_location.clone())
            .help("state the cycle in days and justify it (`regular_justification`)"),
        );
    }
    if critical.is_none() {
        findings.push(
            ctx.about(
                "Y003",
                "524B-b2B",
                "the plan gives no out-of-cycle window for critical vulnerabilities that could cause uncontrolled risk (`plan.patch_timelines.critical_days`)".to_string(),
            )
            .severity(severity)
            .at(plan_location.clone())
            .help("state the window in days and justify it (`critical_justification`)"),
        );
    }
    if let (Some(regular), Some(critical)) = (regular, critical)
        && critical.value >= regular.value
    {
        findings.push(
                ctx.about(
                    "Y005",
                    "524B-b2B",
                    format!(
                        "the out-of-cycle window for critical vulnerabilities ({} days) is not shorter than the regular cycle ({} days)",
                        critical.value, regular.value
                    ),
                )
                .at(ctx.at(critical.pos))
                .help("critical vulnerabilities are patched out of cycle, as soon as possible"),
            );
    }
    let has_sbom = project
        .sbom
        .as_ref()
        .is_some_and(|s| !s.sources.is_empty() || !s.components.is_empty());
    if !has_sbom {
        findings.push(
            ctx.about(
                "Y004",
                "524B-b3",
                "the device is a cyber device, but the project has no SBOM".to_string(),
            )
            .severity(severity)
            .at(Some(project.section_location("sbom")))
            .help("list CycloneDX or SPDX files under `sbom.sources`, or components under `sbom.components`"),
        );
    }
    findings
}
