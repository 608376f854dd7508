//! The software bill of materials, component support and known vulnerabilities
//! (§V.A.4, §VI.A item 5 and 13, section 524B(b)(3)).

use super::common::{Date, Id, Markdown, Ref};
use super::located::Located;
use schemars::JsonSchema;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// Level of support from the component's maker (§V.A.4(b)).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SupportLevel {
    ActivelyMaintained,
    NoLongerMaintained,
    Abandoned,
    /// Allowed only with a justification.
    Unknown,
}

impl SupportLevel {
    pub fn label(self) -> &'static str {
        match self {
            SupportLevel::ActivelyMaintained => "actively maintained",
            SupportLevel::NoLongerMaintained => "no longer maintained",
            SupportLevel::Abandoned => "abandoned",
            SupportLevel::Unknown => "unknown",
        }
    }
}

/// An end-of-support date, or `unknown` (allowed only with a justification).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EndOfSupport {
    Date(Date),
    Unknown,
}

impl EndOfSupport {
    pub fn parse(text: &str) -> Option<EndOfSupport> {
        if text.trim().eq_ignore_ascii_case("unknown") {
            Some(EndOfSupport::Unknown)
        } else {
            Date::parse(text).map(EndOfSupport::Date)
        }
    }

    pub fn date(self) -> Option<Date> {
        match self {
            EndOfSupport::Date(d) => Some(d),
            EndOfSupport::Unknown => None,
        }
    }
}

impl fmt::Display for EndOfSupport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndOfSupport::Date(d) => d.fmt(f),
            EndOfSupport::Unknown => f.write_str("unknown"),
        }
    }
}

impl Serialize for EndOfSupport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for EndOfSupport {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        EndOfSupport::parse(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "`{text}` is not an end-of-support date; write YYYY-MM-DD or `unknown`"
            ))
        })
    }
}

impl JsonSchema for EndOfSupport {
    fn schema_name() -> Cow<'static, str> {
        "EndOfSupport".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An end-of-support date (YYYY-MM-DD) or `unknown` with a justification.",
            "anyOf": [
                { "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
                { "const": "unknown" }
            ]
        })
    }
}

/// A software component written in the project rather than read from an SBOM file.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct SbomComponent {
    pub name: String,
    pub version: String,
    pub supplier: String,
    /// CycloneDX component type: library, firmware, operating-system, application, framework, ...
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub purl: Option<String>,
    #[serde(default)]
    pub cpe: Option<String>,
    /// SPDX license identifier or expression.
    #[serde(default)]
    pub license: Option<String>,
    /// SHA-256 of the delivered artefact.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Other components (purl or name@version) it depends on.
    #[serde(default)]
    pub depends_on: Vec<String>,
    #[serde(default)]
    pub support: Option<SupportLevel>,
    #[serde(default)]
    pub end_of_support: Option<Located<EndOfSupport>>,
    /// Required when support or end of support is unknown.
    #[serde(default)]
    pub justification: Option<Markdown>,
}

/// Support data for a component that comes from an SBOM file, matched by purl or name@version.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct SupportEntry {
    /// purl (`pkg:...`) or `name@version` of the component.
    #[serde(rename = "match")]
    pub matches: Located<String>,
    #[serde(default)]
    pub support: Option<SupportLevel>,
    #[serde(default)]
    pub end_of_support: Option<Located<EndOfSupport>>,
    #[serde(default)]
    pub justification: Option<Markdown>,
}

/// The SBOM section of a project.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct SbomSection {
    /// SBOM files (CycloneDX JSON/XML, SPDX JSON/tag-value), relative to the project root.
    #[serde(default)]
    pub sources: Vec<Located<String>>,
    /// VEX files (CycloneDX or OpenVEX) with vulnerability assessments.
    #[serde(default)]
    pub vex: Vec<Located<String>>,
    /// A local copy of the CISA Known Exploited Vulnerabilities catalog (JSON); no network is used.
    #[serde(default)]
    pub kev_catalog: Option<Located<String>>,
    /// Components written here instead of in an SBOM file.
    #[serde(default)]
    pub components: Vec<SbomComponent>,
    /// Support level and end of support for components of the SBOM files.
    #[serde(default)]
    pub support: Vec<SupportEntry>,
    /// How far ahead an approaching end of support is a warning, in months. Default 12.
    #[serde(default)]
    pub horizon_months: Option<u32>,
    /// Why some SBOM information cannot be given (§V.A.4(b)).
    #[serde(default)]
    pub justification: Option<Markdown>,
    /// How the SBOM is kept under configuration management and updated (§V.A.4).
    #[serde(default)]
    pub maintenance: Option<Markdown>,
}

/// VEX status of a vulnerability for this device.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum VexState {
    Affected,
    NotAffected,
    Fixed,
    UnderInvestigation,
}

impl VexState {
    pub fn label(self) -> &'static str {
        match self {
            VexState::Affected => "affected",
            VexState::NotAffected => "not affected",
            VexState::Fixed => "fixed",
            VexState::UnderInvestigation => "under investigation",
        }
    }
}

/// Why a device is not affected (the CISA VEX justifications).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VexJustification {
    ComponentNotPresent,
    VulnerableCodeNotPresent,
    VulnerableCodeNotInExecutePath,
    VulnerableCodeCannotBeControlledByAdversary,
    InlineMitigationsAlreadyExist,
}

/// A known vulnerability of the device or one of its components, with its assessment.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Vulnerability {
    /// CVE, GHSA or internal identifier.
    pub id: Id,
    #[serde(default)]
    pub title: Option<String>,
    /// Affected SBOM components, as purl or name@version.
    #[serde(default)]
    pub components: Vec<Located<String>>,
    /// How it was found: scanner, advisory, researcher report (§V.A.4).
    pub discovered_by: String,
    pub state: VexState,
    /// Required when `not-affected`.
    #[serde(default)]
    pub justification: Option<VexJustification>,
    #[serde(default)]
    pub detail: Option<Markdown>,
    /// Security risk that assesses it; required when `affected`.
    #[serde(default)]
    pub risk: Option<Ref>,
    #[serde(default)]
    pub cvss: Option<String>,
    /// Listed in the CISA Known Exploited Vulnerabilities catalog.
    #[serde(default)]
    pub kev: bool,
    #[serde(default)]
    pub fixed_in: Option<String>,
}
