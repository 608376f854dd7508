//! The normalised picture of an SBOM or VEX document, the same for every input format.
//!
//! Readers fill these types; checks and renderers only ever see these, so a new input format
//! never touches the rules.

use serde::Serialize;

/// Which format a file was in. Serialises as [`SbomFormat::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SbomFormat {
    #[serde(rename = "cyclonedx-json")]
    CycloneDxJson,
    #[serde(rename = "cyclonedx-xml")]
    CycloneDxXml,
    #[serde(rename = "spdx-json")]
    SpdxJson,
    #[serde(rename = "spdx-tag-value")]
    SpdxTagValue,
    #[serde(rename = "openvex")]
    OpenVex,
}

impl SbomFormat {
    /// The stable name used in messages and machine output.
    pub fn as_str(&self) -> &'static str {
        match self {
            SbomFormat::CycloneDxJson => "cyclonedx-json",
            SbomFormat::CycloneDxXml => "cyclonedx-xml",
            SbomFormat::SpdxJson => "spdx-json",
            SbomFormat::SpdxTagValue => "spdx-tag-value",
            SbomFormat::OpenVex => "openvex",
        }
    }
}

impl std::fmt::Display for SbomFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A read SBOM, normalised across formats.
///
/// Counting rules (the same for every format, and what [`crate::sbom::summarize`] counts):
/// - CycloneDX: `components` holds every entry of the top-level `components` array and of every
///   nested `components[].components[]` array, depth first in document order, with `parent` set.
///   `metadata.component` is the `subject` and is never in `components` (nor are its own nested
///   components, nor `metadata.tools` components, nor pedigree ancestors).
/// - SPDX (JSON and tag-value): `components` holds every package, and `subject` is a copy of the
///   package the document DESCRIBES (so the subject *is* counted there). Files and snippets are
///   not components.
/// - OpenVEX: no components; statements become `vulnerabilities`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bom {
    pub format: SbomFormat,
    /// "1.4", "SPDX-2.3", "0.2.0", ...
    pub spec_version: String,
    /// CycloneDX serialNumber / SPDX documentNamespace / OpenVEX @id.
    pub serial: Option<String>,
    /// metadata.timestamp / creationInfo.created / OpenVEX timestamp, raw text.
    pub timestamp: Option<String>,
    /// metadata.authors / SPDX creators ("Person: ", "Organization: ", "Tool: " kept as written).
    pub authors: Vec<String>,
    /// metadata.component / the SPDX package the document describes.
    pub subject: Option<Component>,
    /// All components, nested ones flattened depth first in document order.
    pub components: Vec<Component>,
    /// CycloneDX dependencies / SPDX dependency relationships, pointing from the dependent.
    pub dependencies: Vec<Dependency>,
    pub vulnerabilities: Vec<Vulnerability>,
}

impl Bom {
    /// Dependency entries as a reader of the file counts them: a CycloneDX entry with both
    /// `dependsOn` and `provides` is one entry (read as two edge lists).
    pub fn dependency_entries(&self) -> usize {
        self.dependencies
            .iter()
            .filter(|d| d.relationship != "provides")
            .count()
    }
}

/// One component (CycloneDX) or package (SPDX).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Component {
    /// bom-ref / SPDXID.
    pub bom_ref: Option<String>,
    /// CycloneDX type ("library", "firmware", "device", ...) / SPDX primaryPackagePurpose in
    /// the same spelling ("OPERATING-SYSTEM" becomes "operating-system").
    pub kind: Option<String>,
    pub name: String,
    /// CycloneDX group (e.g. an npm scope or a Maven groupId); not part of `name`.
    pub group: Option<String>,
    /// None when absent or empty.
    pub version: Option<String>,
    /// CycloneDX supplier.name, else manufacturer.name, else publisher / SPDX PackageSupplier
    /// without its "Organization: " or "Person: " prefix. NOASSERTION becomes None.
    pub supplier: Option<String>,
    /// CycloneDX author, or authors[].name joined with ", " / SPDX PackageOriginator.
    pub author: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    /// SWID tagId.
    pub swid: Option<String>,
    pub hashes: Vec<Hash>,
    /// License ids, names or expressions; NOASSERTION and NONE are dropped.
    pub licenses: Vec<String>,
    pub properties: Vec<(String, String)>,
    /// Index into [`Bom::components`] of the enclosing component.
    pub parent: Option<usize>,
    /// Where this component starts in the file.
    pub location: SourcePos,
}

/// A checksum as written in the file (algorithm names are not normalised here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hash {
    pub alg: String,
    pub value: String,
}

/// One edge list: `from` relates to every entry of `to` by `relationship`.
///
/// CycloneDX gives "dependsOn" (and "provides" from 1.6); SPDX gives the forward relationship
/// type (DEPENDS_ON, CONTAINS, ...; DEPENDENCY_OF is turned round), grouped by (from, type) in
/// first-seen order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    pub from: String,
    pub to: Vec<String>,
    pub relationship: String,
}

/// A vulnerability, or a VEX statement about one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Vulnerability {
    /// CVE-..., GHSA-..., etc.
    pub id: String,
    /// source.name / the OpenVEX document author.
    pub source: Option<String>,
    pub ratings: Vec<Rating>,
    pub cwes: Vec<u32>,
    pub description: Option<String>,
    /// bom-refs or purls of affected components.
    pub affects: Vec<String>,
    /// "affected" | "not_affected" | "fixed" | "under_investigation"; an unknown state is kept
    /// as written so a check can point at it.
    pub state: Option<String>,
    pub justification: Option<String>,
    /// analysis.detail / impact_statement / action_statement.
    pub detail: Option<String>,
    pub location: SourcePos,
}

/// One severity rating of a vulnerability.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Rating {
    /// "CVSSv31", "CVSSv4", "OWASP", "other", ...
    pub method: Option<String>,
    pub score: Option<f64>,
    pub severity: Option<String>,
    pub vector: Option<String>,
    /// Who gave the rating (source.name).
    pub source: Option<String>,
}

/// Where something is in the original file: 1-based line and column (0 when unknown) and a
/// JSON-pointer-like path such as `components[3].components[0]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourcePos {
    pub line: u32,
    pub column: u32,
    pub path: String,
}
