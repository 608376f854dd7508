//! Threats, security risks and the controls that answer them (§V.A.1, §V.A.2, §V.B.1).

use super::common::{AnyScalar, Id, Markdown, Ref};
use super::located::Located;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// STRIDE threat categories.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Stride {
    Spoofing,
    Tampering,
    Repudiation,
    InformationDisclosure,
    DenialOfService,
    ElevationOfPrivilege,
}

/// Where the attacker must be (as in CVSS).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum AttackVector {
    Network,
    Adjacent,
    Local,
    Physical,
}

/// Life-cycle phase a threat arises in (§V.A.1: supply chain to decommissioning).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Lifecycle {
    Design,
    SupplyChain,
    Manufacturing,
    Deployment,
    Operation,
    Maintenance,
    Update,
    Decommissioning,
}

/// Something that can go wrong, from the threat model.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Threat {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub description: Option<Markdown>,
    /// STRIDE categories.
    pub stride: Vec<Stride>,
    /// Components, flows or assets attacked.
    pub targets: Vec<Ref>,
    pub attack_vector: AttackVector,
    #[serde(default)]
    pub lifecycle: Option<Lifecycle>,
    /// What the analysis assumes about the attacker and the environment.
    #[serde(default)]
    pub assumptions: Option<Markdown>,
    /// Could harm several patients at once (§V.B.2 multi-patient harm view).
    #[serde(default)]
    pub multi_patient: bool,
}

/// Severity of patient harm, the ISO 14971 scale.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum HarmSeverity {
    Negligible,
    Minor,
    Serious,
    Critical,
    Catastrophic,
}

impl HarmSeverity {
    pub fn label(self) -> &'static str {
        match self {
            HarmSeverity::Negligible => "negligible",
            HarmSeverity::Minor => "minor",
            HarmSeverity::Serious => "serious",
            HarmSeverity::Critical => "critical",
            HarmSeverity::Catastrophic => "catastrophic",
        }
    }
}

/// How easily a vulnerability can be exploited. Security risk is scored by exploitability,
/// not probability (§V.A.2).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Exploitability {
    VeryLow,
    Low,
    Medium,
    High,
    VeryHigh,
}

impl Exploitability {
    pub fn label(self) -> &'static str {
        match self {
            Exploitability::VeryLow => "very low",
            Exploitability::Low => "low",
            Exploitability::Medium => "medium",
            Exploitability::High => "high",
            Exploitability::VeryHigh => "very high",
        }
    }
}

/// A score before or after controls.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Score {
    pub exploitability: Exploitability,
    /// Optional CVSS vector used to reason about exploitability.
    #[serde(default)]
    pub cvss: Option<String>,
    /// Why this exploitability.
    #[serde(default)]
    pub rationale: Option<Markdown>,
    /// Not allowed: security risk is not scored by probability (§V.A.2). Present only so it can be reported.
    #[serde(default)]
    pub probability: Option<Located<AnyScalar>>,
    /// Not allowed: security risk is not scored by likelihood (§V.A.2). Present only so it can be reported.
    #[serde(default)]
    pub likelihood: Option<Located<AnyScalar>>,
}

/// The ISO 14971 safety hazard a security risk feeds (§V.A.2: separate but linked).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct HazardLink {
    /// ID of the hazard in the safety risk file, e.g. "HAZ-014".
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// How a residual risk that is not acceptable is nevertheless carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AcceptanceDecision {
    /// Accepted on a benefit-risk rationale.
    Accepted,
    /// Transferred to users through labeling (§V.A, §VI.A).
    Transferred,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Acceptance {
    pub decision: AcceptanceDecision,
    pub rationale: Markdown,
}

/// A security risk: threats assessed for exploitability and harm, before and after controls.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Risk {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub description: Option<Markdown>,
    /// Threats this risk assesses.
    pub threats: Vec<Ref>,
    /// Severity of patient harm if exploited.
    pub severity: HarmSeverity,
    /// Score before controls.
    pub before: Score,
    /// Controls that reduce it.
    #[serde(default)]
    pub controls: Vec<Ref>,
    /// Score after controls (residual).
    #[serde(default)]
    pub after: Option<Score>,
    /// Link to the safety risk file.
    #[serde(default)]
    pub hazard: Option<HazardLink>,
    /// Required when the residual risk is not acceptable.
    #[serde(default)]
    pub acceptance: Option<Acceptance>,
}

/// Kinds of control.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ControlKind {
    /// Built into the device or system.
    #[default]
    Design,
    /// A process at the manufacturer (monitoring, key ceremony, ...).
    Process,
    /// Information for users (labeling).
    Labeling,
}

/// A security control: a requirement, its acceptance criteria and where it is implemented.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Control {
    pub id: Id,
    pub title: String,
    pub description: Markdown,
    #[serde(default)]
    pub kind: ControlKind,
    /// The security requirement and its acceptance criteria (§V.B.1).
    #[serde(default)]
    pub requirement: Option<Markdown>,
    /// Appendix 1 recommendations this control addresses, e.g. AUTHN-1.
    #[serde(default)]
    pub addresses: Vec<Located<String>>,
    /// Components that implement it.
    #[serde(default)]
    pub implemented_by: Vec<Ref>,
}

/// Method and criteria of the security risk assessment (§V.A, §V.A.1, §V.A.2).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct RiskManagement {
    /// The security risk management process followed and the standard it follows (e.g. ANSI/AAMI SW96).
    #[serde(default)]
    pub process: Option<Markdown>,
    /// Threat modelling method and why it was chosen (§V.A.1).
    #[serde(default)]
    pub threat_modeling: Option<Markdown>,
    /// Assumptions about the system and its environment (§V.A.1).
    #[serde(default)]
    pub assumptions: Vec<Markdown>,
    /// How exploitability is scored before and after controls (§V.A.2).
    #[serde(default)]
    pub scoring: Option<Markdown>,
    /// The highest exploitability acceptable for each severity of harm: the acceptance criteria.
    #[serde(default)]
    pub acceptance: Option<AcceptanceCriteria>,
    /// How security risks are carried into the safety risk assessment (§V.A.2).
    #[serde(default)]
    pub safety_transfer: Option<Markdown>,
    /// How the assessment stays current over the total product life cycle (§V.A.6).
    #[serde(default)]
    pub lifecycle: Option<Markdown>,
    /// Risks from interfaces with other devices, infrastructure and platforms (§V.A.3).
    #[serde(default)]
    pub interoperability: Option<Markdown>,
    /// Assessment of third-party components and source custody (§V.A.4).
    #[serde(default)]
    pub third_party: Option<Markdown>,
    /// Criteria for handling anomalies with security impact (§V.A.5).
    #[serde(default)]
    pub anomaly_criteria: Option<Markdown>,
    /// The overall residual risk conclusion (§V.A).
    #[serde(default)]
    pub residual_risk: Option<Markdown>,
}

/// Highest acceptable exploitability per severity of harm.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct AcceptanceCriteria {
    pub catastrophic: Option<Exploitability>,
    pub critical: Option<Exploitability>,
    pub serious: Option<Exploitability>,
    pub minor: Option<Exploitability>,
    pub negligible: Option<Exploitability>,
}

impl AcceptanceCriteria {
    /// The highest exploitability acceptable for a severity; `None` means nothing is.
    pub fn threshold(&self, severity: HarmSeverity) -> Option<Exploitability> {
        match severity {
            HarmSeverity::Catastrophic => self.catastrophic,
            HarmSeverity::Critical => self.critical,
            HarmSeverity::Serious => self.serious,
            HarmSeverity::Minor => self.minor,
            HarmSeverity::Negligible => self.negligible,
        }
    }

    pub fn acceptable(&self, severity: HarmSeverity, exploitability: Exploitability) -> bool {
        self.threshold(severity)
            .is_some_and(|limit| exploitability <= limit)
    }
}
