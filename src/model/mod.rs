//! The project model: what a dossier project says, as typed values. Everything here is plain
//! data; positions ride along in [`Located`] so later stages can point at the source.

pub mod architecture;
pub mod common;
pub mod inventory;
pub mod located;
pub mod mds2;
pub mod postmarket;
pub mod risk;
pub mod settings;
pub mod supply;
pub mod verification;

pub use architecture::*;
pub use common::*;
pub use inventory::*;
pub use located::Located;
pub use mds2::*;
pub use postmarket::*;
pub use risk::*;
pub use settings::*;
pub use supply::*;
pub use verification::*;

use crate::source::SourceMap;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The collections a content file may hold: lists of items, each with an `id:`.
pub const COLLECTIONS: &[&str] = &[
    "components",
    "flows",
    "boundaries",
    "assets",
    "threats",
    "risks",
    "controls",
    "tests",
    "anomalies",
    "vulnerabilities",
    "views",
    "not_applicable",
];

/// Sections that are one mapping for the whole project; several files may each set some of its keys.
pub const SECTIONS: &[&str] = &["risk_management", "sbom", "labeling", "plan", "mds2"];

/// Keys that only `dossier.yaml` may hold.
pub const SETTINGS: &[&str] = &[
    "device",
    "release",
    "submission",
    "cyber_device",
    "guidance_edition",
    "document_date",
    "output",
    "exclude",
    "check",
];

/// The kind of an item that has a project-wide ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    Component,
    Flow,
    Boundary,
    Asset,
    Threat,
    Risk,
    Control,
    Test,
    TestFinding,
    Anomaly,
    Vulnerability,
    View,
}

impl ItemKind {
    pub fn noun(self) -> &'static str {
        match self {
            ItemKind::Component => "component",
            ItemKind::Flow => "flow",
            ItemKind::Boundary => "boundary",
            ItemKind::Asset => "asset",
            ItemKind::Threat => "threat",
            ItemKind::Risk => "risk",
            ItemKind::Control => "control",
            ItemKind::Test => "test",
            ItemKind::TestFinding => "test finding",
            ItemKind::Anomaly => "anomaly",
            ItemKind::Vulnerability => "vulnerability",
            ItemKind::View => "view",
        }
    }
}

/// A whole project after loading: settings, every collection merged across files, and the
/// files themselves for reporting.
#[derive(Clone, Debug, Default)]
pub struct Project {
    /// The project folder.
    pub root: PathBuf,
    pub sources: SourceMap,
    pub settings: Settings,
    pub components: Vec<Component>,
    pub flows: Vec<Flow>,
    pub boundaries: Vec<Boundary>,
    pub assets: Vec<Asset>,
    pub threats: Vec<Threat>,
    pub risks: Vec<Risk>,
    pub controls: Vec<Control>,
    pub tests: Vec<Test>,
    pub anomalies: Vec<Anomaly>,
    pub vulnerabilities: Vec<Vulnerability>,
    pub views: Vec<View>,
    pub not_applicable: Vec<NotApplicable>,
    pub risk_management: Option<RiskManagement>,
    pub sbom: Option<SbomSection>,
    pub labeling: Option<Labeling>,
    pub plan: Option<Plan>,
    /// Answers to the MDS2 questions the rest of the model cannot give.
    pub mds2: Option<Mds2Section>,
    /// Software components, file vulnerabilities and the KEV catalog, read from the files the
    /// `sbom` section names.
    pub inventory: Inventory,
    /// Every item ID and its kind, including items that failed to load (so references to them
    /// do not also count as dangling).
    pub ids: BTreeMap<String, ItemKind>,
    /// Where each section (`plan`, `labeling`, ...) and collection (`controls`, `views`, ...)
    /// was first written, so findings about what it lacks can point at it.
    pub section_pos: BTreeMap<String, crate::source::Pos>,
}

impl Project {
    /// Where a section was written, or the project file when it was not written at all.
    pub fn section_location(&self, section: &str) -> crate::finding::Location {
        match self.section_pos.get(section) {
            Some(pos) => self.sources.location(*pos),
            None => crate::finding::Location::file(crate::load::PROJECT_FILE),
        }
    }

    pub fn kind_of(&self, id: &str) -> Option<ItemKind> {
        self.ids.get(id).copied()
    }

    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id.value == id)
    }

    pub fn flow(&self, id: &str) -> Option<&Flow> {
        self.flows.iter().find(|f| f.id.value == id)
    }

    pub fn threat(&self, id: &str) -> Option<&Threat> {
        self.threats.iter().find(|t| t.id.value == id)
    }

    pub fn risk(&self, id: &str) -> Option<&Risk> {
        self.risks.iter().find(|r| r.id.value == id)
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id.value == id)
    }

    pub fn test(&self, id: &str) -> Option<&Test> {
        self.tests.iter().find(|t| t.id.value == id)
    }
}

/// Schema of a content file: any collection or section as a top-level key. Used only to
/// generate the JSON Schema; the loader reads each key on its own so one bad item does not
/// hide the rest.
#[derive(JsonSchema)]
#[allow(dead_code)]
pub struct ContentFile {
    pub components: Option<Vec<Component>>,
    pub flows: Option<Vec<Flow>>,
    pub boundaries: Option<Vec<Boundary>>,
    pub assets: Option<Vec<Asset>>,
    pub threats: Option<Vec<Threat>>,
    pub risks: Option<Vec<Risk>>,
    pub controls: Option<Vec<Control>>,
    pub tests: Option<Vec<Test>>,
    pub anomalies: Option<Vec<Anomaly>>,
    pub vulnerabilities: Option<Vec<Vulnerability>>,
    pub views: Option<Vec<View>>,
    pub not_applicable: Option<Vec<NotApplicable>>,
    pub risk_management: Option<RiskManagement>,
    pub sbom: Option<SbomSection>,
    pub labeling: Option<Labeling>,
    pub plan: Option<Plan>,
    pub mds2: Option<Mds2Section>,
}

/// Schema of `dossier.yaml`: the settings, plus any content (small projects may keep
/// everything in one file).
#[derive(JsonSchema)]
#[allow(dead_code)]
pub struct ProjectFile {
    #[serde(flatten)]
    pub settings: Settings,
    #[serde(flatten)]
    pub content: ContentFile,
}
