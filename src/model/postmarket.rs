//! What the customer is told (labeling, §VI.A) and how the device is kept secure after release
//! (the cybersecurity management plan, §VI.B, §VII.C.1, section 524B(b)(1) and (2)).

use super::common::{Date, Markdown};
use super::located::Located;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Customer-facing security labeling: one field per item of §VI.A.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Labeling {
    /// Who reads it: "hospital biomedical and IT staff", "patients at home".
    #[serde(default)]
    pub audience: Option<String>,
    /// LBL-1: recommended security controls for the use environment and how to configure them.
    #[serde(default)]
    pub security_controls: Option<Markdown>,
    /// LBL-2: diagrams users need to put those controls in place (names of views to include).
    #[serde(default)]
    pub diagrams: Option<Markdown>,
    /// LBL-3: notes to the ports and interfaces table, which is generated from the flows.
    #[serde(default)]
    pub ports: Option<Markdown>,
    /// LBL-4: required infrastructure, secure deployment and servicing, what to do on an incident.
    #[serde(default)]
    pub infrastructure: Option<Markdown>,
    /// LBL-5: where the machine-readable SBOM is available.
    #[serde(default)]
    pub sbom: Option<Markdown>,
    /// LBL-6: how authorised updates are obtained and how users learn of them.
    #[serde(default)]
    pub updates: Option<Markdown>,
    /// LBL-7: how the device responds to security events, notification and logging.
    #[serde(default)]
    pub security_events: Option<Markdown>,
    /// LBL-8: features that protect critical functions (backup mode, disabling ports).
    #[serde(default)]
    pub critical_functions: Option<Markdown>,
    /// LBL-9: backup and restore, restoring authenticated configurations.
    #[serde(default)]
    pub backup_restore: Option<Markdown>,
    /// LBL-10: how an authorised user retains and recovers the configuration.
    #[serde(default)]
    pub configuration_recovery: Option<Markdown>,
    /// LBL-11: the secure configuration as shipped and which changes raise risk.
    #[serde(default)]
    pub secure_configuration: Option<Markdown>,
    /// LBL-12: forensic evidence: where logs are, their format, retention, SIEM export.
    #[serde(default)]
    pub forensics: Option<Markdown>,
    /// LBL-13: end of support of the device and components, and what happens after it.
    #[serde(default)]
    pub end_of_support: Option<Markdown>,
    /// LBL-14: secure decommissioning and sanitisation.
    #[serde(default)]
    pub decommissioning: Option<Markdown>,
    /// Where to report a vulnerability (the CVD contact), shown to customers.
    #[serde(default)]
    pub vulnerability_contact: Option<Markdown>,
}

/// Who is responsible for what.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Role {
    pub role: String,
    #[serde(default)]
    pub responsibilities: Option<Markdown>,
}

/// Vulnerability monitoring (§VI.B).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Monitoring {
    /// Sources watched: NVD, supplier advisories, CISA KEV, ISAO, researchers.
    pub sources: Vec<String>,
    /// How often, e.g. "daily automated, weekly triage".
    pub frequency: String,
    #[serde(default)]
    pub method: Option<Markdown>,
}

/// Patch timelines (section 524B(b)(2)(A) and (B), §VII.C.1).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct PatchTimelines {
    /// Regular cycle for known unacceptable vulnerabilities, in days.
    pub regular_cycle_days: Option<Located<u32>>,
    /// Why that cycle is reasonable.
    #[serde(default)]
    pub regular_justification: Option<Markdown>,
    /// Out-of-cycle window for critical vulnerabilities that could cause uncontrolled risk, in days.
    pub critical_days: Option<Located<u32>>,
    #[serde(default)]
    pub critical_justification: Option<Markdown>,
}

/// Coordinated vulnerability disclosure (§VI.B, §VII.C.1, section 524B(b)(1)).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Cvd {
    /// The published policy (URL or document reference).
    pub policy: String,
    /// Where to report: e-mail or web form.
    pub contact: String,
    /// Handling of vulnerabilities reported by outsiders (suppliers, researchers).
    #[serde(default)]
    pub external_reports: Option<Markdown>,
    /// Disclosure of vulnerabilities the manufacturer finds itself.
    #[serde(default)]
    pub internal_findings: Option<Markdown>,
    /// How disclosures reach users, patients and hospitals.
    #[serde(default)]
    pub procedures: Option<Markdown>,
    /// Information sharing and analysis organisation the manufacturer takes part in.
    #[serde(default)]
    pub isao: Option<String>,
}

/// A release in the field (§VII.C.1: account for every fielded version).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct FieldedVersion {
    pub version: String,
    /// e.g. "supported", "security fixes only", "end of support".
    pub status: String,
    #[serde(default)]
    pub end_of_support: Option<Date>,
}

/// The three total-product-life-cycle metrics (§V.A.6). Give measured values, or a plan when
/// there is no earlier product to measure.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Metrics {
    /// Percentage of identified vulnerabilities that were updated or patched.
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub patched_percent: Option<f64>,
    /// Average days from identification of a vulnerability to its update or patch.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub days_to_patch: Option<f64>,
    /// Average days from patch availability to full deployment in the field.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub days_to_deploy: Option<f64>,
    /// Period and product the values come from.
    #[serde(default)]
    pub basis: Option<Markdown>,
    /// For a first product: how the metrics will be collected and reported.
    #[serde(default)]
    pub plan: Option<Markdown>,
}

/// The cybersecurity management plan.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Plan {
    /// PLAN-1: responsible personnel.
    #[serde(default)]
    pub personnel: Vec<Role>,
    /// PLAN-2: sources, methods and frequency of vulnerability monitoring.
    #[serde(default)]
    pub monitoring: Option<Monitoring>,
    /// PLAN-3: how CISA KEV vulnerabilities are identified and addressed.
    #[serde(default)]
    pub kev: Option<Markdown>,
    /// PLAN-4: periodic security testing.
    #[serde(default)]
    pub periodic_testing: Option<Markdown>,
    /// PLAN-5 and 524B(b)(2): patch timelines.
    #[serde(default)]
    pub patch_timelines: Option<PatchTimelines>,
    /// PLAN-6: update processes.
    #[serde(default)]
    pub update_process: Option<Markdown>,
    /// PLAN-7: patching capability, the rate at which updates reach devices.
    #[serde(default)]
    pub patching_capability: Option<Markdown>,
    /// PLAN-8 and 524B(b)(1): coordinated vulnerability disclosure.
    #[serde(default)]
    pub cvd: Option<Cvd>,
    /// PLAN-9: how remediations and updates are communicated to customers.
    #[serde(default)]
    pub communication: Option<Markdown>,
    /// §VII.C.1: how the plan itself is kept up to date.
    #[serde(default)]
    pub upkeep: Option<Markdown>,
    /// §VII.C.1: every fielded version and its support status.
    #[serde(default)]
    pub fielded_versions: Vec<FieldedVersion>,
    /// §V.A.6: the three metrics.
    #[serde(default)]
    pub metrics: Option<Metrics>,
}

/// A guidance item declared not applicable, with the reason.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct NotApplicable {
    /// Catalog ID: an Appendix 1 recommendation (AUTHN-2), a view (VIEW-MULTIPATIENT), a labeling item (LBL-9), ...
    pub id: Located<String>,
    /// Why it does not apply to this device. A real reason, not a placeholder.
    pub rationale: Located<Markdown>,
}
