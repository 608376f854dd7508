//! Security testing and unresolved anomalies (§V.C, §V.A.5).

use super::common::{Date, Id, Markdown, Ref};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The four kinds of cybersecurity testing (§V.C).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum TestKind {
    SecurityRequirements,
    ThreatMitigation,
    Vulnerability,
    Penetration,
}

impl TestKind {
    pub const ALL: [TestKind; 4] = [
        TestKind::SecurityRequirements,
        TestKind::ThreatMitigation,
        TestKind::Vulnerability,
        TestKind::Penetration,
    ];

    pub fn catalog_id(self) -> &'static str {
        match self {
            TestKind::SecurityRequirements => "TEST-1",
            TestKind::ThreatMitigation => "TEST-2",
            TestKind::Vulnerability => "TEST-3",
            TestKind::Penetration => "TEST-4",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TestKind::SecurityRequirements => "Security requirements testing",
            TestKind::ThreatMitigation => "Threat mitigation testing",
            TestKind::Vulnerability => "Vulnerability testing",
            TestKind::Penetration => "Penetration testing",
        }
    }
}

/// A test tool, reported with name, version and settings (§V.C).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Tool {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub settings: Option<Markdown>,
}

/// How independent the tester is from the developers (§V.C).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Independence {
    /// The development team itself.
    Developer,
    /// A separate team inside the manufacturer.
    InternalIndependent,
    /// An outside party.
    ThirdParty,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Tester {
    /// Person or organisation.
    pub name: String,
    pub independence: Independence,
    /// Qualifications relevant to the test.
    #[serde(default)]
    pub expertise: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TestResult {
    Pass,
    Fail,
    /// Passed with findings that have dispositions.
    PassWithFindings,
    NotRun,
}

impl TestResult {
    /// Whether the test counts as verification of what it tests.
    pub fn passed(self) -> bool {
        matches!(self, TestResult::Pass | TestResult::PassWithFindings)
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FindingSeverity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DispositionStatus {
    Fixed,
    /// Fix planned for a later release (§V.C: release plans and timelines).
    Deferred,
    /// Not fixed, with a rationale.
    Accepted,
}

/// What was done about a test finding (§V.C).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Disposition {
    pub status: DispositionStatus,
    #[serde(default)]
    pub rationale: Option<Markdown>,
    /// Release that fixed it.
    #[serde(default)]
    pub fixed_in: Option<String>,
    /// Release plan for a deferred fix, including whether fielded devices get it.
    #[serde(default)]
    pub plan: Option<Markdown>,
    /// When the deferred fix is due.
    #[serde(default)]
    pub due: Option<Date>,
}

/// Something a test found.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct TestFinding {
    pub id: Id,
    pub title: String,
    pub severity: FindingSeverity,
    #[serde(default)]
    pub cwe: Option<String>,
    #[serde(default)]
    pub disposition: Option<Disposition>,
}

/// A cybersecurity test and its result.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Test {
    pub id: Id,
    pub title: String,
    pub kind: TestKind,
    /// Controls this test verifies.
    #[serde(default)]
    pub verifies: Vec<Ref>,
    /// Threats this test exercises (threat mitigation testing).
    #[serde(default)]
    pub threats: Vec<Ref>,
    #[serde(default)]
    pub scope: Option<Markdown>,
    #[serde(default)]
    pub method: Option<Markdown>,
    #[serde(default)]
    pub tools: Vec<Tool>,
    #[serde(default)]
    pub tester: Option<Tester>,
    #[serde(default)]
    pub date: Option<Date>,
    /// How long it took, e.g. "10 working days".
    #[serde(default)]
    pub duration: Option<String>,
    pub result: TestResult,
    /// Reference to the full report, e.g. "TR-0042 rev 2".
    #[serde(default)]
    pub report: Option<String>,
    #[serde(default)]
    pub findings: Vec<TestFinding>,
}

/// An unresolved software anomaly assessed for security impact (§V.A.5).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Anomaly {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub description: Option<Markdown>,
    /// CWE categories, e.g. CWE-400.
    #[serde(default)]
    pub cwe: Vec<String>,
    /// Whether the anomaly could affect security.
    pub security_impact: bool,
    /// The assessment and why it is acceptable to release with it.
    pub assessment: Markdown,
    /// Risk that covers it, when it has security impact.
    #[serde(default)]
    pub risk: Option<Ref>,
}
