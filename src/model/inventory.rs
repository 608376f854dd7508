//! The device's software inventory: every component from the SBOM files and the project, with
//! the support data resolved, plus vulnerability statements from SBOM/VEX files and the KEV
//! catalog. Built by the loader from the files the `sbom` section names.

use super::common::Markdown;
use super::supply::{EndOfSupport, SupportLevel, VexJustification, VexState};
use crate::finding::Location;
use serde::Serialize;
use std::collections::BTreeSet;

/// One SBOM file that was read.
#[derive(Clone, Debug, Serialize)]
pub struct SbomDocument {
    /// Project-relative path.
    pub path: String,
    pub format: String,
    pub spec_version: String,
    pub serial: Option<String>,
    pub timestamp: Option<String>,
    pub authors: Vec<String>,
    /// Name of the component the SBOM describes.
    pub subject: Option<String>,
    pub components: usize,
    pub dependencies: usize,
}

/// Where a piece of support data came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SupportSource {
    /// A property in the SBOM file.
    Sbom,
    /// An entry of `sbom.support` in the project.
    Overlay,
    /// A component written in `sbom.components`.
    Project,
}

/// A software component of the device.
#[derive(Clone, Debug, Serialize)]
pub struct SoftwareComponent {
    pub name: String,
    pub version: Option<String>,
    pub supplier: Option<String>,
    pub author: Option<String>,
    pub kind: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    pub swid: Option<String>,
    /// (algorithm, value)
    pub hashes: Vec<(String, String)>,
    pub licenses: Vec<String>,
    /// Identifiers of components it depends on (bom-refs, purls or name@version).
    pub depends_on: Vec<String>,
    /// bom-ref or SPDXID within its file.
    pub bom_ref: Option<String>,
    /// Whether any dependency relationship mentions it.
    pub in_dependency_graph: bool,
    pub support: Option<SupportLevel>,
    /// Support level text that could not be understood.
    pub support_text: Option<String>,
    pub end_of_support: Option<EndOfSupport>,
    /// End-of-support text that is not a date (e.g. "until hardware support ends").
    pub end_of_support_text: Option<String>,
    pub support_source: Option<SupportSource>,
    pub justification: Option<Markdown>,
    /// The SBOM file (or project file) and line it is written at.
    pub location: Location,
    /// Where its support data was set, when not in the SBOM itself.
    pub support_location: Option<Location>,
}

impl SoftwareComponent {
    /// `name@version` (or the name alone).
    pub fn label(&self) -> String {
        match &self.version {
            Some(version) => format!("{}@{version}", self.name),
            None => self.name.clone(),
        }
    }

    /// Whether a reference (purl, CPE, bom-ref, a CycloneDX BOM-Link to a bom-ref,
    /// name@version or name) names this component.
    pub fn matches(&self, reference: &str) -> bool {
        let reference = reference.trim();
        if reference.is_empty() {
            return false;
        }
        // A VEX names components of another file by BOM-Link: urn:cdx:<serial>/<version>#<ref>.
        if let Some(link) = reference.strip_prefix("urn:cdx:")
            && let Some((_, fragment)) = link.split_once('#')
        {
            return self.bom_ref.as_deref() == Some(percent_decode(fragment).as_str());
        }
        self.purl.as_deref() == Some(reference)
            || self.cpe.as_deref() == Some(reference)
            || self.bom_ref.as_deref() == Some(reference)
            || self.label() == reference
            || (self.version.is_none() && self.name == reference)
            // A versionless purl names every version of the package.
            || (reference.starts_with("pkg:")
                && !reference.contains('@')
                && self.purl.as_deref().is_some_and(|p| purl_base(p) == reference))
    }
}

/// The serial number (a UUID) of the SBOM a BOM-Link `urn:cdx:<serial>/<version>#<ref>` names.
fn bom_link_serial(reference: &str) -> Option<&str> {
    let link = reference.trim().strip_prefix("urn:cdx:")?;
    let (bom, _) = link.split_once('#')?;
    Some(bom.split('/').next().unwrap_or(bom))
}

/// `%XX` escapes decoded (a BOM-Link fragment escapes the bom-ref's reserved characters).
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A purl without its version, qualifiers and subpath.
fn purl_base(purl: &str) -> &str {
    let end = purl.find(['@', '?', '#']).unwrap_or(purl.len());
    &purl[..end]
}

/// A vulnerability statement read from an SBOM or VEX file.
#[derive(Clone, Debug, Serialize)]
pub struct FileVulnerability {
    pub id: String,
    pub state: Option<VexState>,
    /// The state as written, when it is not one of the four VEX states.
    pub state_text: Option<String>,
    pub justification: Option<VexJustification>,
    pub justification_text: Option<String>,
    pub detail: Option<String>,
    /// Affected components as written (bom-refs or purls).
    pub affects: Vec<String>,
    pub source: Option<String>,
    pub cvss: Option<String>,
    pub location: Location,
}

/// The KEV catalog the project names.
#[derive(Clone, Debug, Default, Serialize)]
pub struct KevCatalog {
    pub path: String,
    pub version: Option<String>,
    pub released: Option<String>,
    pub cves: BTreeSet<String>,
}

/// Everything the SBOM files, VEX files and the KEV catalog contributed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Inventory {
    pub documents: Vec<SbomDocument>,
    pub components: Vec<SoftwareComponent>,
    pub vulnerabilities: Vec<FileVulnerability>,
    pub kev: Option<KevCatalog>,
}

impl Inventory {
    pub fn find(&self, reference: &str) -> Option<&SoftwareComponent> {
        self.position(reference).map(|i| &self.components[i])
    }

    /// The index of the component a reference names (see [`Inventory::find`]).
    pub fn position(&self, reference: &str) -> Option<usize> {
        // A BOM-Link names its SBOM by serial number: only that SBOM's components answer it.
        if let Some(serial) = bom_link_serial(reference) {
            let files: Vec<&str> = self
                .documents
                .iter()
                .filter(|d| {
                    d.serial.as_deref().is_some_and(|s| {
                        s.trim()
                            .trim_start_matches("urn:uuid:")
                            .eq_ignore_ascii_case(serial)
                    })
                })
                .map(|d| d.path.as_str())
                .collect();
            return self
                .components
                .iter()
                .position(|c| files.contains(&c.location.file.as_str()) && c.matches(reference));
        }
        self.components.iter().position(|c| c.matches(reference))
    }

    pub fn in_kev(&self, id: &str) -> bool {
        self.kev
            .as_ref()
            .is_some_and(|k| k.cves.contains(&id.trim().to_ascii_uppercase()))
    }
}
