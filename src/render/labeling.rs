//! Customer-facing security labeling (§VI.A): what hospitals and patients need to deploy,
//! configure, patch and retire the device. It is rendered from its own, smaller view model that
//! holds only what customers may see, so no template (default or override) can reach risk
//! scores, exploitability, test findings or anomalies.

use super::context::{PortRow, support_status};
use super::pictures::Pictures;
use super::templates::TemplateSet;
use super::{Files, RenderError};
use crate::model::*;
use serde::Serialize;

#[derive(Serialize)]
pub struct Customer {
    pub device: CustomerDevice,
    pub release: CustomerRelease,
    pub date: String,
    pub generator: String,
    pub audience: Option<String>,
    /// The labeling items, each as Markdown (a MISSING marker when not written).
    pub text: std::collections::BTreeMap<&'static str, String>,
    pub ports: Vec<CustomerPort>,
    pub unused_interfaces: Vec<UnusedInterface>,
    pub device_end_of_support: Option<String>,
    pub components: Vec<CustomerComponent>,
    /// The machine-readable SBOM beside the labeling, when there is one.
    pub sbom_file: Option<String>,
    /// MDS2 sections for the labeling, when the project has an MDS2 form.
    pub mds2: Option<Vec<serde_json::Value>>,
    pub mds2_intro: String,
    /// "DRAFT: N open findings" while the package is a draft.
    pub draft: Option<String>,
}

#[derive(Serialize)]
pub struct CustomerDevice {
    pub name: String,
    pub model: String,
    pub manufacturer: String,
    pub udi_di: Option<String>,
}

#[derive(Serialize)]
pub struct CustomerRelease {
    pub version: String,
}

/// A row of the ports and interfaces table.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CustomerPort {
    pub interface: String,
    pub protocol: String,
    pub port: String,
    pub direction: String,
    pub purpose: String,
    pub endpoints: String,
    /// Encryption in plain words, e.g. "TLS 1.3".
    pub protection: String,
}

#[derive(Serialize)]
pub struct UnusedInterface {
    pub name: String,
    pub transport: &'static str,
    pub state: &'static str,
    pub description: Option<String>,
}

#[derive(Serialize)]
pub struct CustomerComponent {
    pub name: String,
    pub version: Option<String>,
    pub supplier: Option<String>,
    pub support: Option<&'static str>,
    pub end_of_support: Option<String>,
}

/// Labeling field name -> its item of §VI.A.
const ITEMS: &[(&str, &str)] = &[
    ("security_controls", "LBL-1"),
    ("diagrams", "LBL-2"),
    ("ports", "LBL-3"),
    ("infrastructure", "LBL-4"),
    ("sbom", "LBL-5"),
    ("updates", "LBL-6"),
    ("security_events", "LBL-7"),
    ("critical_functions", "LBL-8"),
    ("backup_restore", "LBL-9"),
    ("configuration_recovery", "LBL-10"),
    ("secure_configuration", "LBL-11"),
    ("forensics", "LBL-12"),
    ("end_of_support", "LBL-13"),
    ("decommissioning", "LBL-14"),
    ("vulnerability_contact", "PLAN-8"),
];

fn field(labeling: &Labeling, name: &str) -> Option<String> {
    let value = match name {
        "security_controls" => &labeling.security_controls,
        "diagrams" => &labeling.diagrams,
        "ports" => &labeling.ports,
        "infrastructure" => &labeling.infrastructure,
        "sbom" => &labeling.sbom,
        "updates" => &labeling.updates,
        "security_events" => &labeling.security_events,
        "critical_functions" => &labeling.critical_functions,
        "backup_restore" => &labeling.backup_restore,
        "configuration_recovery" => &labeling.configuration_recovery,
        "secure_configuration" => &labeling.secure_configuration,
        "forensics" => &labeling.forensics,
        "end_of_support" => &labeling.end_of_support,
        "decommissioning" => &labeling.decommissioning,
        "vulnerability_contact" => &labeling.vulnerability_contact,
        _ => &None,
    };
    value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The customer view of a project. `ports` is the package's ports table (the same rows as the
/// submission's labeling document).
pub fn customer(
    project: &Project,
    ports: &[PortRow],
    date: &str,
    sbom_file: Option<String>,
    mds2: Option<Vec<serde_json::Value>>,
) -> Customer {
    let default = Labeling::default();
    let labeling = project.labeling.as_ref().unwrap_or(&default);
    let mut text = std::collections::BTreeMap::new();
    for (name, item) in ITEMS {
        let value = field(labeling, name).unwrap_or_else(|| match *name {
            // The ports table says it all; the notes are optional.
            "ports" | "diagrams" => String::new(),
            "vulnerability_contact" => project
                .plan
                .as_ref()
                .and_then(|p| p.cvd.as_ref())
                .map(|c| format!("Report suspected vulnerabilities to {}.", c.contact))
                .unwrap_or_else(|| format!("**MISSING:** the vulnerability reporting contact ({item})")),
            _ => format!("**MISSING:** this section of the labeling is not written yet ({item}, guidance §VI.A)"),
        });
        text.insert(*name, value);
    }
    let protection = |flow_id: &str| {
        project
            .flows
            .iter()
            .find(|f| f.id.value == flow_id)
            .and_then(|f| f.encryption.as_ref())
            .map(|e| {
                if e.is_none() {
                    "none".to_string()
                } else {
                    e.protocol.clone()
                }
            })
            .unwrap_or_default()
    };
    let ports = ports
        .iter()
        .map(|p| CustomerPort {
            interface: p.interface.clone(),
            protocol: p.protocol.clone(),
            port: p.port.clone(),
            direction: p.direction.clone(),
            purpose: p.purpose.clone(),
            endpoints: p.endpoints.clone(),
            protection: protection(&p.flow),
        })
        .collect();
    let device = crate::check::cyber::device_components(project);
    let unused_interfaces = device
        .iter()
        .flat_map(|c| c.interfaces.iter())
        .filter(|i| i.state != InterfaceState::Enabled)
        .map(|i| UnusedInterface {
            name: i.name.clone(),
            transport: i.transport.label(),
            state: match i.state {
                InterfaceState::Enabled => "enabled",
                InterfaceState::Disabled => "disabled as shipped",
                InterfaceState::Unused => "present, not used",
                InterfaceState::Removed => "removed or fused off",
            },
            description: i.description.clone(),
        })
        .collect();
    let as_of = Date::parse(date);
    let mut components: Vec<&SoftwareComponent> = project.inventory.components.iter().collect();
    components.sort_by_key(|c| {
        (
            c.end_of_support.and_then(|e| e.date()).is_none(),
            c.end_of_support.and_then(|e| e.date()),
            c.label(),
        )
    });
    let components = components
        .into_iter()
        .map(|c| CustomerComponent {
            name: c.name.clone(),
            version: c.version.clone(),
            supplier: c.supplier.clone(),
            support: c.support.map(|s| s.label()),
            end_of_support: c.end_of_support.map(|e| {
                let status = support_status(Some(e), as_of, 12);
                match status {
                    "past" => format!("{e} (ended)"),
                    _ => e.to_string(),
                }
            }),
        })
        .collect();
    let settings = &project.settings;
    Customer {
        device: CustomerDevice {
            name: settings.device.name.clone(),
            model: settings.device.model.clone(),
            manufacturer: settings.device.manufacturer.clone(),
            udi_di: settings.device.udi_di.clone(),
        },
        release: CustomerRelease { version: settings.release.version.clone() },
        date: date.to_string(),
        generator: format!("dossier {}", env!("CARGO_PKG_VERSION")),
        audience: labeling.audience.clone(),
        text,
        ports,
        unused_interfaces,
        device_end_of_support: settings.device.end_of_support.as_ref().map(|e| e.value.to_string()),
        components,
        sbom_file,
        mds2,
        draft: None,
        mds2_intro: "Answers to the ANSI/NEMA HN 1-2019 MDS2 questions, from the same source as this labeling. The workbook `mds2.xlsx` beside this file holds the same answers in the form's layout.".to_string(),
    }
}

/// The labeling as Markdown, the source of every format.
pub fn markdown(customer: &Customer, templates: &TemplateSet) -> Result<String, RenderError> {
    let context =
        tera::Context::from_serialize(customer).map_err(|e| RenderError::Pdf(e.to_string()))?;
    Ok(super::tidy(
        &templates.render_md("labeling/labeling.md", &context)?,
    ))
}

/// Renders the labeling `markdown` (pictures already rewritten) into `labeling/` in the
/// requested formats, with the pictures it shows beside it.
pub fn render(
    customer: &Customer,
    markdown: &str,
    pictures: &Pictures,
    templates: &TemplateSet,
    formats: &[OutputFormat],
    out: &mut Files,
) -> Result<(), RenderError> {
    let context =
        tera::Context::from_serialize(customer).map_err(|e| RenderError::Pdf(e.to_string()))?;
    let shown = pictures.used_in(markdown);
    if formats.contains(&OutputFormat::Md) || formats.contains(&OutputFormat::Html) {
        for (path, bytes) in &shown {
            out.insert(format!("labeling/{path}"), bytes.clone());
        }
    }
    if formats.contains(&OutputFormat::Md) {
        out.insert(
            "labeling/security-information.md".to_string(),
            markdown.to_string().into_bytes(),
        );
    }
    if formats.contains(&OutputFormat::Html) {
        let mut page = context.clone();
        page.insert("body", &super::html::markdown_to_html(markdown));
        let html = templates.render_html("labeling/page.html", &page)?;
        out.insert("labeling/index.html".to_string(), html.into_bytes());
        out.insert(
            "labeling/style.css".to_string(),
            templates.css.clone().into_bytes(),
        );
    }
    if formats.contains(&OutputFormat::Pdf) {
        render_pdf(customer, markdown, shown, templates, out)?;
    }
    Ok(())
}

#[cfg(feature = "pdf")]
fn render_pdf(
    customer: &Customer,
    markdown: &str,
    images: Files,
    templates: &TemplateSet,
    out: &mut Files,
) -> Result<(), RenderError> {
    use super::pdf::{PdfDocument, PdfMeta, PdfPackage, render_pdf};
    let mut blocks = super::blocks::markdown_to_blocks(markdown);
    if matches!(
        blocks.first(),
        Some(super::blocks::Block::Heading { level: 1, .. })
    ) {
        blocks.remove(0);
    }
    let package = PdfPackage {
        meta: PdfMeta {
            title: "Security information for customers".to_string(),
            device: customer.device.name.clone(),
            model: customer.device.model.clone(),
            manufacturer: customer.device.manufacturer.clone(),
            version: customer.release.version.clone(),
            revision: String::new(),
            submission: String::new(),
            date: customer.date.clone(),
            udi_di: customer.device.udi_di.clone(),
            draft: None,
        },
        cover: false,
        toc: false,
        images,
        documents: vec![PdfDocument {
            id: "security-information".to_string(),
            title: "Security information for customers".to_string(),
            sections: Vec::new(),
            blocks,
        }],
    };
    let (name, template) = &templates.typst;
    let bytes =
        render_pdf(&package, template, name).map_err(|e| RenderError::Pdf(e.to_string()))?;
    out.insert("labeling/security-information.pdf".to_string(), bytes);
    Ok(())
}

#[cfg(not(feature = "pdf"))]
fn render_pdf(
    _: &Customer,
    _: &str,
    _: Files,
    _: &TemplateSet,
    _: &mut Files,
) -> Result<(), RenderError> {
    Err(RenderError::PdfUnavailable)
}
