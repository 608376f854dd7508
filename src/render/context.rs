//! The package context: one view model built once from the project, the findings and the
//! catalog. Every renderer and every template reads this and nothing else, so the Markdown,
//! HTML and PDF say the same thing, and gaps show up in the documents themselves.
//!
//! The shape is a contract with user templates (book: "Template overrides"); add keys freely,
//! rename none.

use crate::catalog::Catalog;
use crate::check::cyber::CyberDecision;
use crate::check::{Ctx, Outcome, coverage, scoring};
use crate::finding::{Finding, Severity, Summary};
use crate::model::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// The documents of the package, in the order of Appendix 4 Table 1:
/// (file stem, title, catalog ids of the Appendix 4 rows it answers).
pub const DOCUMENTS: &[(&str, &str, &[&str])] = &[
    (
        "risk-management-report",
        "Cybersecurity Risk Management Report",
        &["APP4-1"],
    ),
    ("threat-model", "Threat Model", &["APP4-2"]),
    (
        "risk-assessment",
        "Cybersecurity Risk Assessment",
        &["APP4-3"],
    ),
    ("sbom", "Software Bill of Materials", &["APP4-4"]),
    (
        "software-support",
        "Vulnerability Assessment and Software Support",
        &["APP4-5"],
    ),
    ("anomalies", "Unresolved Anomalies Assessment", &["APP4-6"]),
    ("traceability", "Traceability Matrix", &["APP4-7"]),
    ("metrics", "Measures and Metrics", &["APP4-8"]),
    (
        "security-architecture",
        "Security Architecture and Requirements",
        &["APP4-9", "APP4-10", "APP4-11"],
    ),
    ("testing", "Cybersecurity Testing", &["APP4-12"]),
    ("labeling", "Labeling", &["APP4-13"]),
    (
        "management-plan",
        "Cybersecurity Management Plan",
        &["APP4-14"],
    ),
];

/// Which document a finding belongs in (its "MISSING" marker goes there).
pub fn document_of(finding: &Finding) -> Option<&'static str> {
    let code = finding.code;
    let subject = finding.subject.as_deref().unwrap_or("");
    Some(match code {
        c if c.starts_with('L') || c.starts_with('R') || c.starts_with('P') => return None,
        c if c.starts_with('C') => "security-architecture",
        "T001" | "T002" | "T004" | "T006" | "K001" | "K002" | "D010" => "risk-assessment",
        "T003" => "traceability",
        "T005" | "T007" | "T008" | "D006" | "D007" | "D008" | "D015" => "testing",
        "T009" => "anomalies",
        "Y002" | "Y003" | "Y005" | "D004" | "D011" => "management-plan",
        "Y004" => "sbom",
        "Y006" => "risk-management-report",
        "D005" => "metrics",
        "D002" | "D012" | "D013" | "D014" => "security-architecture",
        "D003" => "labeling",
        "D009" if subject.starts_with("TM-") => "threat-model",
        "D009" => "risk-management-report",
        "D001" => DOCUMENTS
            .iter()
            .find(|(_, _, rows)| rows.contains(&subject))
            .map(|(stem, _, _)| *stem)?,
        c if c.starts_with('S') => {
            if matches!(c, "S004" | "S005" | "S006" | "S007" | "S008" | "S012") {
                "software-support"
            } else {
                "sbom"
            }
        }
        c if c.starts_with('V') => "software-support",
        c if c.starts_with('M') => "labeling",
        _ => return None,
    })
}

#[derive(Clone, Debug, Serialize)]
pub struct Meta {
    pub device: Device,
    pub release: Release,
    pub submission_type: &'static str,
    pub submission_number: Option<String>,
    pub sponsor: Option<String>,
    /// The document date, YYYY-MM-DD.
    pub date: String,
    pub edition: String,
    pub guidance_title: String,
    pub cyber: CyberDecision,
    pub generator: String,
}

/// A gap to show in a document.
#[derive(Clone, Debug, Serialize)]
pub struct Gap {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub guidance: Option<String>,
    pub subject: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DocInfo {
    /// File stem: `threat-model` is `threat-model.md` / `.html` / `.pdf`.
    pub id: &'static str,
    pub title: &'static str,
    /// The Appendix 4 rows it answers.
    pub rows: Vec<&'static str>,
    /// Guidance sections it answers.
    pub sections: Vec<String>,
    /// Open findings (errors and warnings) that belong in it.
    pub gaps: Vec<Gap>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FindingView {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// "file:line:column", or empty.
    pub location: String,
    pub help: Option<String>,
    pub guidance: Option<String>,
    pub subject: Option<String>,
    /// The document the finding belongs in, if any.
    pub document: Option<&'static str>,
    /// Why policy accepts it, when it does.
    pub suppressed: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CatalogView {
    pub id: String,
    pub kind: &'static str,
    pub title: String,
    pub text: String,
    pub section: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ThreatView<'a> {
    #[serde(flatten)]
    pub threat: &'a Threat,
    /// Risks that assess it.
    pub risks: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RiskView<'a> {
    #[serde(flatten)]
    pub risk: &'a Risk,
    pub acceptable_before: Option<bool>,
    pub acceptable_after: Option<bool>,
    /// "acceptable", "not acceptable", "accepted", "transferred" or "not scored".
    pub residual: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct ControlView<'a> {
    #[serde(flatten)]
    pub control: &'a Control,
    pub risks: Vec<String>,
    pub tests: Vec<String>,
    /// Implemented somewhere and verified by a passing test.
    pub verified: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct FlowView<'a> {
    #[serde(flatten)]
    pub flow: &'a Flow,
    pub from_name: String,
    pub to_name: String,
    /// Direction seen from the device: "in", "out", "both" or "" when the device is not an end.
    pub direction: &'static str,
    /// Whether it belongs in the customer ports table (one end in the device, not internal).
    pub device_port: bool,
    pub transport_label: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct ViewView<'a> {
    #[serde(flatten)]
    pub view: &'a View,
    pub kind_label: &'static str,
    /// The diagram's path inside the package (`diagrams/...`), when it has a file.
    pub diagram_path: Option<String>,
}

/// One Appendix 1 item in the coverage matrix.
#[derive(Clone, Debug, Serialize)]
pub struct CoverageItem {
    pub id: String,
    pub title: String,
    pub section: String,
    pub required: bool,
    /// "verified", "covered", "not applicable", "missing" or "optional".
    pub status: &'static str,
    pub controls: Vec<String>,
    pub tests: Vec<String>,
    pub rationale: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CoverageCategory {
    #[serde(flatten)]
    pub summary: coverage::CategoryCoverage,
    pub text: String,
    pub section: String,
    pub aliases: Vec<String>,
    pub items: Vec<CoverageItem>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SoftwareView<'a> {
    #[serde(flatten)]
    pub component: &'a SoftwareComponent,
    pub label: String,
    pub identifier: Option<String>,
    pub support_label: Option<&'static str>,
    pub end_of_support_label: Option<String>,
    /// "past", "soon", "ok" or "unknown".
    pub support_status: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct VulnerabilityView {
    pub id: String,
    pub title: Option<String>,
    pub components: Vec<String>,
    pub discovered_by: Option<String>,
    pub state: Option<&'static str>,
    pub justification: Option<String>,
    pub detail: Option<String>,
    pub risk: Option<String>,
    pub kev: bool,
    pub cvss: Option<String>,
    pub fixed_in: Option<String>,
    /// Where the assessment comes from: `project` or the file.
    pub source: String,
}

/// A row of the customer ports and interfaces table (§VI.A item 3).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PortRow {
    pub interface: String,
    pub protocol: String,
    pub port: String,
    /// Seen from the device: inbound, outbound, both; or "A to B" between two of its parts.
    pub direction: String,
    pub purpose: String,
    pub endpoints: String,
    pub flow: String,
}

/// Everything the templates see.
#[derive(Serialize)]
pub struct Package<'a> {
    pub meta: Meta,
    /// "DRAFT: N open findings" until `check` is clean (no errors).
    pub draft: Option<String>,
    pub summary: Summary,
    pub documents: Vec<DocInfo>,
    pub findings: Vec<FindingView>,
    /// Catalog id -> the message of the open finding about it, for inline MISSING markers.
    pub missing: BTreeMap<String, String>,
    /// Catalog entries by id.
    pub catalog: BTreeMap<String, CatalogView>,
    /// Item id -> the document it is defined in (for links).
    pub homes: BTreeMap<String, &'static str>,
    /// Item id -> a short display name.
    pub names: BTreeMap<String, String>,
    pub coverage: coverage::Summary,
    pub coverage_matrix: Vec<CoverageCategory>,
    pub components: &'a [Component],
    pub flows: Vec<FlowView<'a>>,
    pub boundaries: &'a [Boundary],
    pub assets: &'a [Asset],
    pub views: Vec<ViewView<'a>>,
    pub threats: Vec<ThreatView<'a>>,
    pub risks: Vec<RiskView<'a>>,
    pub controls: Vec<ControlView<'a>>,
    pub tests: &'a [Test],
    pub anomalies: &'a [Anomaly],
    pub vulnerabilities: Vec<VulnerabilityView>,
    pub not_applicable: &'a [NotApplicable],
    pub risk_management: Option<&'a RiskManagement>,
    pub labeling: Option<&'a Labeling>,
    pub plan: Option<&'a Plan>,
    pub sbom: Option<&'a SbomSection>,
    pub sbom_documents: &'a [SbomDocument],
    pub software: Vec<SoftwareView<'a>>,
    /// The software, soonest end of support first (unknown and missing last).
    pub support_timeline: Vec<SoftwareView<'a>>,
    pub kev: Option<&'a KevCatalog>,
    pub ports: Vec<PortRow>,
    /// The machine-readable SBOM file in the package, relative to a document folder.
    pub sbom_file: Option<String>,
}

/// Options that shape the context.
pub struct Options {
    /// The document date, YYYY-MM-DD.
    pub date: String,
    /// The date end-of-support is judged against (default: the document date).
    pub as_of: Option<Date>,
    pub horizon_months: u32,
    /// Path of the exported SBOM relative to a document folder, when the build writes one.
    pub sbom_file: Option<String>,
}

pub fn build<'a>(
    project: &'a Project,
    catalog: &'a Catalog,
    outcome: &Outcome,
    findings: &[Finding],
    options: &Options,
) -> Package<'a> {
    let ctx = Ctx::new(project, catalog);
    let summary = Summary::of(findings);
    // Open findings are the ones that fail `check`: a clean project carries no DRAFT mark.
    let open = summary.errors;
    let draft = (open > 0).then(|| {
        format!(
            "DRAFT: {open} open finding{}",
            if open == 1 { "" } else { "s" }
        )
    });

    let mut documents: Vec<DocInfo> = DOCUMENTS
        .iter()
        .map(|(id, title, rows)| DocInfo {
            id,
            title,
            rows: rows.to_vec(),
            sections: sections_of(catalog, rows),
            gaps: Vec::new(),
        })
        .collect();
    let mut missing = BTreeMap::new();
    let mut finding_views = Vec::new();
    for finding in findings {
        let document = document_of(finding);
        // Accepted (suppressed) findings are not open items.
        if finding.counts() && finding.severity >= Severity::Warning {
            if let Some(doc) = document.and_then(|d| documents.iter_mut().find(|x| x.id == d)) {
                doc.gaps.push(Gap {
                    code: finding.code,
                    severity: finding.severity,
                    message: finding.message.clone(),
                    guidance: finding.guidance.clone(),
                    subject: finding.subject.clone(),
                });
            }
            if let Some(subject) = finding
                .subject
                .as_ref()
                .filter(|_| finding.severity == Severity::Error)
                && catalog.get(subject).is_some()
            {
                missing
                    .entry(subject.clone())
                    .or_insert_with(|| finding.message.clone());
            }
        }
        finding_views.push(FindingView {
            code: finding.code,
            severity: finding.severity,
            message: finding.message.clone(),
            location: finding
                .location
                .as_ref()
                .map(|l| l.to_string())
                .unwrap_or_default(),
            help: finding.help.clone(),
            guidance: finding.guidance.clone(),
            subject: finding.subject.clone(),
            document,
            suppressed: finding.suppressed.as_ref().map(|s| s.reason.clone()),
        });
    }

    let catalog_views = catalog
        .entries
        .iter()
        .map(|e| {
            (
                e.id.clone(),
                CatalogView {
                    id: e.id.clone(),
                    kind: e.kind.as_str(),
                    title: e.title.clone(),
                    text: e.text.clone(),
                    section: e.section.clone(),
                },
            )
        })
        .collect();

    let (homes, names) = homes_and_names(project);
    let device_ids: Vec<&str> = crate::check::cyber::device_components(project)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let name_of = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());

    let flows: Vec<FlowView> = project
        .flows
        .iter()
        .map(|flow| {
            let from_device = device_ids.contains(&flow.from.as_str());
            let to_device = device_ids.contains(&flow.to.as_str());
            let direction = match (from_device, to_device, flow.bidirectional) {
                (true, true, _) => "internal",
                (_, _, true) if from_device || to_device => "both",
                (true, false, false) => "out",
                (false, true, false) => "in",
                _ => "",
            };
            FlowView {
                flow,
                from_name: name_of(&flow.from),
                to_name: name_of(&flow.to),
                direction,
                // A path customers must allow: one end in the device, over something other
                // than the inside of a component.
                device_port: (from_device || to_device) && flow.transport != Transport::Internal,
                transport_label: flow.transport.label(),
            }
        })
        .collect();
    let ports = flows
        .iter()
        .filter(|f| f.device_port && !f.flow.unused)
        .map(|f| PortRow {
            interface: f.transport_label.to_string(),
            protocol: match &f.flow.protocol_version {
                Some(v) => format!("{} ({v})", f.flow.protocol),
                None => f.flow.protocol.clone(),
            },
            port: f.flow.port.clone().unwrap_or_default(),
            direction: match (f.direction, f.flow.bidirectional) {
                ("in", _) => "inbound".to_string(),
                ("out", _) => "outbound".to_string(),
                ("internal", false) => format!("{} to {}", f.from_name, f.to_name),
                ("internal", true) => format!("between {} and {}", f.from_name, f.to_name),
                _ => "both".to_string(),
            },
            purpose: f.flow.purpose.clone(),
            endpoints: if f.flow.endpoints.is_empty() {
                if f.direction == "internal" || device_ids.contains(&f.flow.from.as_str()) {
                    f.to_name.clone()
                } else {
                    f.from_name.clone()
                }
            } else {
                f.flow.endpoints.join(", ")
            },
            flow: f.flow.id.value.clone(),
        })
        .collect();

    let threats = project
        .threats
        .iter()
        .map(|threat| ThreatView {
            threat,
            risks: project
                .risks
                .iter()
                .filter(|r| r.threats.iter().any(|t| t.value == threat.id.value))
                .map(|r| r.id.value.clone())
                .collect(),
        })
        .collect();
    let risks = project
        .risks
        .iter()
        .map(|risk| {
            let acceptable_before = scoring::acceptable_before(&ctx, risk);
            let acceptable_after = scoring::acceptable_after(&ctx, risk);
            let residual = match (&risk.after, acceptable_after, &risk.acceptance) {
                (_, Some(false), Some(a)) if a.decision == AcceptanceDecision::Transferred => {
                    "transferred"
                }
                (_, Some(false), Some(_)) => "accepted",
                (_, Some(false), None) => "not acceptable",
                (Some(_), Some(true), _) => "acceptable",
                (None, _, _) if acceptable_before == Some(true) => "acceptable",
                _ => "not scored",
            };
            RiskView {
                risk,
                acceptable_before,
                acceptable_after,
                residual,
            }
        })
        .collect();
    let controls = project
        .controls
        .iter()
        .map(|control| ControlView {
            control,
            risks: ctx
                .risks_of(&control.id)
                .iter()
                .map(|r| r.id.value.clone())
                .collect(),
            tests: ctx
                .tests_of(&control.id)
                .iter()
                .map(|t| t.id.value.clone())
                .collect(),
            verified: coverage::control_verified(&ctx, &control.id),
        })
        .collect();
    let views = project
        .views
        .iter()
        .map(|view| ViewView {
            view,
            kind_label: view.kind.label(),
            diagram_path: view
                .diagram
                .as_ref()
                .and_then(|d| d.file.as_ref())
                .map(|f| diagram_path(&f.value)),
        })
        .collect();

    let as_of = options.as_of.or_else(|| Date::parse(&options.date));
    let software: Vec<SoftwareView> = project
        .inventory
        .components
        .iter()
        .map(|component| SoftwareView {
            component,
            label: component.label(),
            identifier: component
                .purl
                .clone()
                .or_else(|| component.cpe.clone())
                .or_else(|| component.swid.clone()),
            support_label: component.support.map(|s| s.label()),
            end_of_support_label: component
                .end_of_support
                .map(|e| e.to_string())
                .or_else(|| component.end_of_support_text.clone()),
            support_status: support_status(component.end_of_support, as_of, options.horizon_months),
        })
        .collect();

    let mut support_timeline = software.clone();
    support_timeline.sort_by_key(|s| {
        (
            s.component.end_of_support.and_then(|e| e.date()).is_none(),
            s.component.end_of_support.and_then(|e| e.date()),
            s.end_of_support_label.is_none(),
            s.label.clone(),
        )
    });

    Package {
        meta: Meta {
            device: project.settings.device.clone(),
            release: project.settings.release.clone(),
            submission_type: project.settings.submission.kind.label(),
            submission_number: project.settings.submission.number.clone(),
            sponsor: project.settings.submission.sponsor.clone(),
            date: options.date.clone(),
            edition: catalog.edition.clone(),
            guidance_title: catalog.title.clone(),
            cyber: outcome.cyber.clone(),
            generator: format!("dossier {}", env!("CARGO_PKG_VERSION")),
        },
        draft,
        summary,
        documents,
        findings: finding_views,
        missing,
        catalog: catalog_views,
        homes,
        names,
        coverage: outcome.coverage.clone(),
        coverage_matrix: coverage_matrix(&ctx, &outcome.coverage),
        components: &project.components,
        flows,
        boundaries: &project.boundaries,
        assets: &project.assets,
        views,
        threats,
        risks,
        controls,
        tests: &project.tests,
        anomalies: &project.anomalies,
        vulnerabilities: vulnerabilities(project),
        not_applicable: &project.not_applicable,
        risk_management: project.risk_management.as_ref(),
        labeling: project.labeling.as_ref(),
        plan: project.plan.as_ref(),
        sbom: project.sbom.as_ref(),
        sbom_documents: &project.inventory.documents,
        software,
        support_timeline,
        kev: project.inventory.kev.as_ref(),
        ports,
        sbom_file: options.sbom_file.clone(),
    }
}

/// Where a project's diagram file lands in the package.
/// The project path with folders joined by `-`, so `a/x.svg` and `b/x.svg` stay apart, and
/// anything but letters, digits, `.`, `_` and `-` made `-`, so the name needs no escaping in
/// a link (`my pic.svg` becomes `my-pic.svg`).
pub fn diagram_path(file: &str) -> String {
    let name = file
        .trim_start_matches("./")
        .split(['/', '\\'])
        .filter(|part| !part.is_empty() && *part != "..")
        .collect::<Vec<_>>()
        .join("-");
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("diagrams/{name}")
}

fn sections_of(catalog: &Catalog, rows: &[&str]) -> Vec<String> {
    let mut sections = Vec::new();
    for row in rows {
        for part in catalog.section(row).split(';').map(str::trim) {
            if !part.is_empty()
                && !part.starts_with("App. 4 Table 1")
                && !sections.iter().any(|s| s == part)
            {
                sections.push(part.to_string());
            }
        }
    }
    sections
}

/// "past", "soon" (within the horizon), "ok" or "unknown".
pub fn support_status(
    end: Option<EndOfSupport>,
    as_of: Option<Date>,
    horizon_months: u32,
) -> &'static str {
    match (end.and_then(|e| e.date()), as_of) {
        (Some(end), Some(as_of)) if end < as_of => "past",
        (Some(end), Some(as_of)) => {
            let horizon = as_of
                .0
                .checked_add_months(chrono::Months::new(horizon_months))
                .unwrap_or(as_of.0);
            if end.0 <= horizon { "soon" } else { "ok" }
        }
        (Some(_), None) => "ok",
        (None, _) => "unknown",
    }
}

fn homes_and_names(
    project: &Project,
) -> (BTreeMap<String, &'static str>, BTreeMap<String, String>) {
    let mut homes = BTreeMap::new();
    let mut names = BTreeMap::new();
    let mut add = |id: &str, home: &'static str, name: &str| {
        homes.insert(id.to_string(), home);
        names.insert(id.to_string(), name.to_string());
    };
    for c in &project.components {
        add(&c.id, "threat-model", &c.name);
    }
    for f in &project.flows {
        add(&f.id, "threat-model", &f.purpose);
    }
    for b in &project.boundaries {
        add(&b.id, "threat-model", &b.name);
    }
    for a in &project.assets {
        add(&a.id, "threat-model", &a.name);
    }
    for t in &project.threats {
        add(&t.id, "threat-model", &t.title);
    }
    for v in &project.views {
        add(&v.id, "security-architecture", &v.title);
    }
    for r in &project.risks {
        add(&r.id, "risk-assessment", &r.title);
    }
    for c in &project.controls {
        add(&c.id, "security-architecture", &c.title);
    }
    for t in &project.tests {
        add(&t.id, "testing", &t.title);
        for f in &t.findings {
            add(&f.id, "testing", &f.title);
        }
    }
    for a in &project.anomalies {
        add(&a.id, "anomalies", &a.title);
    }
    for v in &project.vulnerabilities {
        add(
            &v.id,
            "software-support",
            v.title.as_deref().unwrap_or(&v.id),
        );
    }
    (homes, names)
}

fn coverage_matrix(ctx: &Ctx, summary: &coverage::Summary) -> Vec<CoverageCategory> {
    let addressed = coverage::addressed_by(ctx);
    let mut categories = Vec::new();
    for category in ctx.catalog.categories() {
        let Some(row) = summary.categories.iter().find(|c| c.id == category.id) else {
            continue;
        };
        let items = ctx
            .catalog
            .appendix1_items(&category.id)
            .filter(|e| {
                e.kind != crate::catalog::EntryKind::Scope || addressed.contains_key(e.id.as_str())
            })
            .map(|entry| {
                let controls: Vec<String> = addressed
                    .get(entry.id.as_str())
                    .map(|c| c.iter().map(|s| s.to_string()).collect())
                    .unwrap_or_default();
                let tests: Vec<String> = controls
                    .iter()
                    .flat_map(|c| {
                        ctx.tests_of(c)
                            .iter()
                            .filter(|t| t.result.passed())
                            .map(|t| t.id.value.clone())
                    })
                    .collect();
                let na = ctx.not_applicable(&entry.id);
                let status = if !controls.is_empty() {
                    if controls.iter().any(|c| coverage::control_verified(ctx, c)) {
                        "verified"
                    } else {
                        "covered"
                    }
                } else if na.is_some() {
                    "not applicable"
                } else if entry.coverage_required() {
                    "missing"
                } else {
                    "optional"
                };
                CoverageItem {
                    id: entry.id.clone(),
                    title: entry.title.clone(),
                    section: entry.section.clone(),
                    required: entry.coverage_required(),
                    status,
                    controls,
                    tests,
                    rationale: na.map(|n| n.rationale.value.clone()),
                }
            })
            .collect();
        categories.push(CoverageCategory {
            summary: row.clone(),
            text: category.text.clone(),
            section: category.section.clone(),
            // The other names of the category (the title is one of its aliases).
            aliases: category
                .aliases
                .iter()
                .filter(|alias| **alias != row.title)
                .cloned()
                .collect(),
            items,
        });
    }
    categories
}

/// The project's vulnerabilities, then statements from SBOM/VEX files about others.
fn vulnerabilities(project: &Project) -> Vec<VulnerabilityView> {
    let inventory = &project.inventory;
    let mut views: Vec<VulnerabilityView> = project
        .vulnerabilities
        .iter()
        .map(|v| VulnerabilityView {
            id: v.id.value.clone(),
            title: v.title.clone(),
            components: v.components.iter().map(|c| c.value.clone()).collect(),
            discovered_by: Some(v.discovered_by.clone()),
            state: Some(v.state.label()),
            justification: v.justification.map(|j| format!("{j:?}")).map(|j| kebab(&j)),
            detail: v.detail.clone(),
            risk: v.risk.as_ref().map(|r| r.value.clone()),
            kev: v.kev || inventory.in_kev(&v.id),
            cvss: v.cvss.clone(),
            fixed_in: v.fixed_in.clone(),
            source: "project".to_string(),
        })
        .collect();
    for v in &inventory.vulnerabilities {
        if views.iter().any(|x| x.id == v.id) {
            continue;
        }
        let components = v
            .affects
            .iter()
            .map(|a| {
                inventory
                    .find(a)
                    .map(|c| c.label())
                    .unwrap_or_else(|| a.clone())
            })
            .collect();
        views.push(VulnerabilityView {
            id: v.id.clone(),
            title: None,
            components,
            discovered_by: v.source.clone(),
            state: v.state.map(|s| s.label()),
            justification: v
                .justification
                .map(|j| kebab(&format!("{j:?}")))
                .or_else(|| v.justification_text.clone()),
            detail: v.detail.clone(),
            risk: None,
            kev: inventory.in_kev(&v.id),
            cvss: v.cvss.clone(),
            fixed_in: None,
            source: v.location.file.clone(),
        });
    }
    views
}

/// `VulnerableCodeNotPresent` -> `vulnerable-code-not-present`.
fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('-');
        }
        out.extend(c.to_lowercase());
    }
    out
}
