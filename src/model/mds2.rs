//! The `mds2:` section: the answers to the Manufacturer Disclosure Statement for Medical Device
//! Security (ANSI/NEMA HN 1-2019) that the rest of the model cannot give. Several files may each
//! set some of its keys; `answers` is merged entry by entry, so each file may answer a few
//! sections.

use super::common::{Date, Markdown};
use super::located::Located;
use crate::source::Pos;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// An answer to an MDS2 question. Written `yes`, `no` or `n/a`; shown as Yes, No, N/A.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
pub enum Answer {
    #[serde(rename = "yes")]
    Yes,
    #[serde(rename = "no")]
    No,
    /// The question does not apply to this device.
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl Answer {
    /// As printed on the form.
    pub fn label(self) -> &'static str {
        match self {
            Answer::Yes => "Yes",
            Answer::No => "No",
            Answer::NotApplicable => "N/A",
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Serialised as printed on the form (Yes, No, N/A), which is what renderers show.
impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

/// One answer in `mds2.answers`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Mds2Entry {
    /// `yes`, `no` or `n/a`. Leave it out to add only a note to an answer the model gives.
    #[serde(default)]
    pub answer: Option<Located<Answer>>,
    /// Shown beside the answer on the form: the detail a hospital needs.
    #[serde(default)]
    pub note: Option<Markdown>,
}

/// Where a software-only device runs (the DOC-11 hosting questions).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct SamdHosting {
    /// DOC-11.1: the software brings its own operating system.
    #[serde(default)]
    pub includes_os: Option<Located<bool>>,
    /// DOC-11.2: the software runs on an operating system the customer supplies.
    #[serde(default)]
    pub customer_os: Option<Located<bool>>,
    /// DOC-11.3: the manufacturer hosts it (for example as a cloud service).
    #[serde(default)]
    pub manufacturer_hosted: Option<Located<bool>>,
    /// DOC-11.4: the customer hosts it.
    #[serde(default)]
    pub customer_hosted: Option<Located<bool>>,
}

/// The document information block (DOC-…). Leave out what `dossier.yaml` and the plan already
/// say: the manufacturer, device and model come from `device`, the contact from `plan.cvd`, the
/// date from `document_date`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Mds2Document {
    /// DOC-4: the statement's own document number. Default: model, release and revision.
    #[serde(default)]
    pub document_id: Option<String>,
    /// DOC-5: where customers send security questions. Default: `plan.cvd.contact`.
    #[serde(default)]
    pub contact: Option<String>,
    /// DOC-6: how the device is meant to be used on a network. Default: `device.use_environment`.
    #[serde(default)]
    pub intended_network_use: Option<Markdown>,
    /// DOC-7: release date of the statement. Default: `document_date`.
    #[serde(default)]
    pub release_date: Option<Located<Date>>,
    /// DOC-8: a coordinated vulnerability disclosure program exists. Default: `plan.cvd` is written.
    #[serde(default)]
    pub cvd_program: Option<Located<bool>>,
    /// DOC-9: the ISAO the manufacturer takes part in, or `none`. Default: `plan.cvd.isao`.
    #[serde(default)]
    pub isao: Option<Located<String>>,
    /// DOC-10: a network or data flow diagram is available to customers.
    #[serde(default)]
    pub network_diagram: Option<Located<bool>>,
    /// DOC-11: the device is software only (SaMD).
    #[serde(default)]
    pub samd: Option<Located<bool>>,
    /// DOC-11.1 to 11.4, for software-only devices.
    #[serde(default)]
    pub hosting: Option<SamdHosting>,
}

/// The `mds2:` section.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct Mds2Section {
    /// The document information block.
    #[serde(default)]
    pub document: Mds2Document,
    /// Answers by question ID, e.g. `CONN-5: { answer: no, note: "The device offers no API." }`.
    /// Questions the model answers (connectivity, SBOM, encryption, ...) need no entry; an
    /// entry that contradicts the model is a finding.
    #[serde(default)]
    pub answers: BTreeMap<String, Mds2Entry>,
    /// OTHR: other security considerations, free text.
    #[serde(default)]
    pub other: Option<Markdown>,
    /// Where each key of `answers` is written (filled by the loader; map keys carry no position).
    #[serde(skip)]
    #[schemars(skip)]
    pub answer_pos: BTreeMap<String, Pos>,
}
