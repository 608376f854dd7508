//! What `dossier.yaml` says about the device and the submission.

use super::common::{Date, Markdown};
use super::located::Located;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The device the submission is for.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Device {
    /// Trade name, e.g. "Acme Infusion System".
    pub name: String,
    /// Model or catalogue number.
    pub model: String,
    /// The legal manufacturer.
    pub manufacturer: String,
    /// The device identifier part of the UDI (GS1 GTIN, HIBCC or ICCBBA), when one is assigned.
    #[serde(default)]
    pub udi_di: Option<String>,
    /// What the device is, in a paragraph.
    #[serde(default)]
    pub description: Option<Markdown>,
    /// Intended use and indications for use (§IV.B: the depth of documentation scales with them).
    pub intended_use: Markdown,
    /// Where the device is used and by whom: hospital network, home, ambulance (§IV.B, §VI.A).
    pub use_environment: Markdown,
    /// The device's own cybersecurity end of support, if already set (§VI.A item 13).
    #[serde(default)]
    pub end_of_support: Option<Located<Date>>,
}

/// The release this package documents.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Release {
    /// Software/firmware release, e.g. "3.2.0".
    pub version: String,
    /// Revision of this document set, e.g. "B".
    pub revision: String,
    /// The previously cleared or approved release, for a modification (§VII.D).
    #[serde(default)]
    pub previous: Option<String>,
}

/// Kinds of premarket submission the guidance covers (§II).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum SubmissionType {
    #[default]
    #[serde(rename = "510k")]
    Premarket510k,
    #[serde(rename = "de-novo")]
    DeNovo,
    #[serde(rename = "pma")]
    Pma,
    #[serde(rename = "pma-supplement")]
    PmaSupplement,
    #[serde(rename = "hde")]
    Hde,
    #[serde(rename = "ide")]
    Ide,
}

impl SubmissionType {
    pub fn label(self) -> &'static str {
        match self {
            SubmissionType::Premarket510k => "510(k)",
            SubmissionType::DeNovo => "De Novo",
            SubmissionType::Pma => "PMA",
            SubmissionType::PmaSupplement => "PMA supplement",
            SubmissionType::Hde => "HDE",
            SubmissionType::Ide => "IDE",
        }
    }

    /// Section 524B(a) applies to these; an IDE is outside it.
    pub fn under_524b(self) -> bool {
        !matches!(self, SubmissionType::Ide)
    }
}

/// The submission itself.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Submission {
    /// 510k, de-novo, pma, pma-supplement, hde or ide.
    #[serde(rename = "type")]
    pub kind: SubmissionType,
    /// FDA number once known (K-number, DEN, P-number, ...).
    #[serde(default)]
    pub number: Option<String>,
    /// The submitter, when not the manufacturer.
    #[serde(default)]
    pub sponsor: Option<String>,
}

/// Whether the device is a "cyber device" under section 524B(c).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CyberDevice {
    /// Decide from the architecture: any path that can reach the internet, including USB,
    /// serial and Ethernet service ports (§VII.B).
    #[default]
    Derive,
    Yes,
    No,
}

/// Output formats of `dossier build`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Md,
    Html,
    Pdf,
}

/// Where and what `dossier build` writes.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Output {
    /// Output folder, relative to the project root. Default: `out`.
    #[serde(default)]
    pub dir: Option<Located<String>>,
    /// Formats to build. Default: all of md, html, pdf.
    #[serde(default)]
    pub formats: Vec<OutputFormat>,
}

/// What a finding code counts as, set per code in `check.severity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
    /// Silence the code: its findings are kept as suppressed.
    Allow,
}

/// Suppresses one finding, with the reason (and optionally until when).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Suppression {
    /// The finding code, e.g. S007.
    pub code: Located<String>,
    /// The finding's subject (the ID it is about, e.g. a component `name@version` or `AUTHN-7`).
    /// Without it, every finding of the code in `file` (or the project) is suppressed.
    #[serde(default)]
    pub subject: Option<String>,
    /// Only findings in this file (project-relative).
    #[serde(default)]
    pub file: Option<String>,
    /// Why this finding is acceptable. Required.
    pub reason: Located<String>,
    /// After this date (judged against `--as-of`, default the document date) the suppression
    /// no longer applies and is itself reported.
    #[serde(default)]
    pub expires: Option<Located<Date>>,
}

/// How `dossier check` judges this project.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct CheckPolicy {
    /// Code -> error, warning, note or allow.
    #[serde(default)]
    pub severity: std::collections::BTreeMap<String, Located<Level>>,
    /// Single findings accepted, each with a reason.
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// The settings part of `dossier.yaml`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Settings {
    pub device: Device,
    pub release: Release,
    pub submission: Submission,
    /// `derive` (default), `yes` or `no`. Derived from the architecture when `derive`.
    #[serde(default)]
    pub cyber_device: Located<CyberDevice>,
    /// The guidance edition to check against, e.g. "2025-06". Default: the newest.
    #[serde(default)]
    pub guidance_edition: Option<Located<String>>,
    /// The date printed on every document. Default: `SOURCE_DATE_EPOCH`, else required for builds.
    #[serde(default)]
    pub document_date: Option<Located<Date>>,
    #[serde(default)]
    pub output: Output,
    /// Paths (relative to the root, `/`-separated) of folders or files that hold no dossier content.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Severity per finding code and suppressed findings.
    #[serde(default)]
    pub check: CheckPolicy,
}
