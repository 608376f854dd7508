//! The guidance catalogs: what each edition of the FDA premarket cybersecurity guidance (and
//! section 524B) expects, as data files compiled into the binary. Text is our paraphrase; every
//! entry cites its section.

pub mod text;

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Embedded catalogs, newest first: (edition, file name, YAML text).
const EDITIONS: &[(&str, &str, &str)] = &[
    (
        "2025-06",
        "catalogs/fda-premarket-2025-06.yaml",
        include_str!("../../catalogs/fda-premarket-2025-06.yaml"),
    ),
    (
        "2023-09",
        "catalogs/fda-premarket-2023-09.yaml",
        include_str!("../../catalogs/fda-premarket-2023-09.yaml"),
    ),
];

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// One of the eight Appendix 1 control categories.
    Category,
    /// A bulleted Appendix 1 recommendation.
    Recommendation,
    /// A "should" statement in the prose of Appendix 1.
    Prose,
    /// A scope item of Appendix 1 (what authenticity covers).
    Scope,
    /// A security objective of §IV.B.
    Objective,
    /// A row of Appendix 4 Table 1.
    Document,
    /// A premarket documentation element of §V.
    Documentation,
    /// One of the four architecture views of §V.B.2.
    View,
    /// A rule for all views.
    ViewRule,
    /// A diagram expectation of Appendix 2.A.
    Diagram,
    /// A per-path detail of Appendix 2.B.
    PathDetail,
    /// A testing expectation of §V.C.
    Test,
    /// An item of the penetration test report.
    PentestItem,
    /// A labeling item of §VI.A.
    Labeling,
    /// A management plan element of §VI.B.
    Plan,
    /// A cyber-device addition to the plan (§VII.C.1).
    PlanCyber,
    /// A provision of section 524B.
    Statute,
    /// A feature that counts as an ability to connect to the internet (§VII.B).
    CyberConnectivity,
    /// An SBOM data element.
    SbomElement,
    /// A total product life cycle metric (§V.A.6).
    Metric,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Category => "category",
            EntryKind::Recommendation => "recommendation",
            EntryKind::Prose => "prose",
            EntryKind::Scope => "scope",
            EntryKind::Objective => "objective",
            EntryKind::Document => "document",
            EntryKind::Documentation => "documentation",
            EntryKind::View => "view",
            EntryKind::ViewRule => "view-rule",
            EntryKind::Diagram => "diagram",
            EntryKind::PathDetail => "path-detail",
            EntryKind::Test => "test",
            EntryKind::PentestItem => "pentest-item",
            EntryKind::Labeling => "labeling",
            EntryKind::Plan => "plan",
            EntryKind::PlanCyber => "plan-cyber",
            EntryKind::Statute => "statute",
            EntryKind::CyberConnectivity => "cyber-connectivity",
            EntryKind::SbomElement => "sbom-element",
            EntryKind::Metric => "metric",
        }
    }
}

/// Whether the coverage rule requires an Appendix 1 item to be addressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    Required,
    Optional,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Entry {
    pub id: String,
    pub kind: EntryKind,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub coverage: Option<Coverage>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub title: String,
    pub text: String,
    pub section: String,
}

impl Entry {
    /// An Appendix 1 item that the coverage rule requires.
    pub fn coverage_required(&self) -> bool {
        self.coverage == Some(Coverage::Required)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One difference between this edition and the next.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Change {
    pub id: String,
    pub change: ChangeKind,
    pub note: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
struct CatalogFile {
    edition: String,
    title: String,
    issued: String,
    supersedes: String,
    entries: Vec<Entry>,
    #[serde(default)]
    crosswalk: Vec<Change>,
}

/// One edition of the guidance.
#[derive(Debug)]
pub struct Catalog {
    pub edition: String,
    pub title: String,
    pub issued: String,
    pub supersedes: String,
    pub entries: Vec<Entry>,
    /// What changed going to the next edition (empty for the newest).
    pub crosswalk: Vec<Change>,
    index: HashMap<String, usize>,
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.index.get(id).map(|&i| &self.entries[i])
    }

    pub fn of_kind(&self, kind: EntryKind) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.kind == kind)
    }

    /// The eight Appendix 1 categories, in catalog order.
    pub fn categories(&self) -> impl Iterator<Item = &Entry> {
        self.of_kind(EntryKind::Category)
    }

    /// Appendix 1 items (recommendations, prose statements, scope items) of a category.
    pub fn appendix1_items<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Entry> {
        self.entries.iter().filter(move |e| {
            e.category.as_deref() == Some(category) && e.kind != EntryKind::Category
        })
    }

    /// The guidance section of an entry, or an empty string.
    pub fn section(&self, id: &str) -> &str {
        self.get(id).map(|e| e.section.as_str()).unwrap_or("")
    }

    /// Finds a category by id, title or alias ("Updatability and Patchability" is UPDATE).
    pub fn category_by_name(&self, name: &str) -> Option<&Entry> {
        self.categories().find(|c| {
            c.id.eq_ignore_ascii_case(name)
                || c.title.eq_ignore_ascii_case(name)
                || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
    }
}

/// The editions dossier knows, newest first.
pub fn editions() -> impl Iterator<Item = &'static str> {
    EDITIONS.iter().map(|(e, _, _)| *e)
}

/// The newest edition, the default.
pub fn newest() -> &'static str {
    EDITIONS[0].0
}

/// An edition's catalog, parsed once per process.
pub fn get(edition: &str) -> Option<&'static Catalog> {
    static CATALOGS: OnceLock<Vec<Catalog>> = OnceLock::new();
    let catalogs = CATALOGS.get_or_init(|| {
        EDITIONS
            .iter()
            .map(|(_, name, text)| parse(name, text).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    });
    catalogs.iter().find(|c| c.edition == edition)
}

/// Parses a catalog file. The embedded ones are checked by a test, so `get` cannot fail on them.
pub fn parse(name: &str, text: &str) -> Result<Catalog, String> {
    let file: CatalogFile = crate::load::read_embedded(name, text)?;
    let mut index = HashMap::new();
    for (i, entry) in file.entries.iter().enumerate() {
        if index.insert(entry.id.clone(), i).is_some() {
            return Err(format!("{name}: duplicate entry `{}`", entry.id));
        }
    }
    Ok(Catalog {
        edition: file.edition,
        title: file.title,
        issued: file.issued,
        supersedes: file.supersedes,
        entries: file.entries,
        crosswalk: file.crosswalk,
        index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogs_parse() {
        for (edition, name, text) in EDITIONS {
            let catalog = parse(name, text).unwrap();
            assert_eq!(&catalog.edition, edition);
            for entry in &catalog.entries {
                assert!(
                    !entry.section.trim().is_empty(),
                    "{} has no section",
                    entry.id
                );
                for link in entry.category.iter().chain(entry.parent.iter()) {
                    assert!(
                        catalog.get(link).is_some(),
                        "{} names missing {link}",
                        entry.id
                    );
                }
            }
        }
    }

    #[test]
    fn appendix1_counts() {
        let catalog = get(newest()).unwrap();
        let top_level = catalog
            .of_kind(EntryKind::Recommendation)
            .filter(|e| e.parent.is_none())
            .count();
        // The guidance's count of 41 takes Integrity as three bullets (code, data, execution);
        // the catalog lists their 11 bullets one by one: 41 - 3 + 11.
        assert_eq!(top_level, 49);
        let integrity = catalog
            .appendix1_items("INTEG")
            .filter(|e| e.kind == EntryKind::Recommendation && e.parent.is_none())
            .count();
        assert_eq!(integrity, 11);
        let required = catalog
            .entries
            .iter()
            .filter(|e| e.coverage_required())
            .count();
        assert_eq!(required, 49 + 10, "top-level bullets and prose statements");
        assert_eq!(catalog.of_kind(EntryKind::Category).count(), 8);
        assert_eq!(catalog.of_kind(EntryKind::Labeling).count(), 14);
        assert_eq!(catalog.of_kind(EntryKind::Plan).count(), 9);
        assert_eq!(catalog.of_kind(EntryKind::Document).count(), 14);
    }

    #[test]
    fn both_names_of_the_eighth_category() {
        let catalog = get(newest()).unwrap();
        for name in [
            "Firmware and Software Updates",
            "Updatability and Patchability",
            "UPDATE",
        ] {
            assert_eq!(
                catalog.category_by_name(name).map(|c| c.id.as_str()),
                Some("UPDATE")
            );
        }
    }
}
