//! The MDS2 question catalog (`catalogs/mds2-2019.yaml`), compiled into the binary: the document
//! information block and every section with its questions, in our own words. The question IDs
//! follow the 2019 form's structure as dossier's brief describes it; they were not checked against
//! the official form (the catalog says so in its header).

use crate::model::Answer;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const NAME: &str = "catalogs/mds2-2019.yaml";
const TEXT: &str = include_str!("../../catalogs/mds2-2019.yaml");

/// What kind of reply a question takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// Yes, No or N/A, with a note.
    #[default]
    YesNo,
    /// A value written out (document information only).
    Text,
}

/// One question of the form.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Question {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub kind: QuestionKind,
    /// The gating question.
    #[serde(default)]
    pub parent: Option<String>,
    /// The parent answer under which this question applies; any other parent answer makes it N/A.
    #[serde(default)]
    pub when: Option<Answer>,
    /// The rule (in `derive.rs`) that answers it from the model, when the model can tell.
    #[serde(default)]
    pub derive: Option<String>,
}

impl Question {
    /// The parent answer under which this question applies.
    pub fn applies_when(&self) -> Answer {
        self.when.unwrap_or(Answer::Yes)
    }
}

/// A section of the form (or the document information block).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    /// What the section covers, in a sentence.
    pub covers: String,
    #[serde(default)]
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, Deserialize)]
struct CatalogFile {
    standard: String,
    title: String,
    numbering: String,
    document: Section,
    sections: Vec<Section>,
}

/// The whole form.
#[derive(Debug)]
pub struct Catalog {
    pub standard: String,
    pub title: String,
    /// What the numbering rests on, and that it was not checked against the official form.
    pub numbering: String,
    pub document: Section,
    pub sections: Vec<Section>,
    index: HashMap<String, (usize, usize)>,
}

impl Catalog {
    /// The document block first, then every section in form order.
    pub fn all_sections(&self) -> impl Iterator<Item = &Section> {
        std::iter::once(&self.document).chain(self.sections.iter())
    }

    /// A question by ID, with its section.
    pub fn question(&self, id: &str) -> Option<(&Section, &Question)> {
        let &(s, q) = self.index.get(id)?;
        let section = if s == 0 {
            &self.document
        } else {
            &self.sections[s - 1]
        };
        Some((section, &section.questions[q]))
    }

    /// Every question ID, document block included, in form order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.all_sections()
            .flat_map(|s| s.questions.iter().map(|q| q.id.as_str()))
    }
}

/// The embedded catalog, parsed once per process. A test parses it, so this cannot fail.
pub fn get() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| parse(NAME, TEXT).unwrap_or_else(|e| panic!("{e}")))
}

/// Parses and checks a catalog: IDs unique and in their section's scheme, parents defined
/// earlier in the same section.
pub fn parse(name: &str, text: &str) -> Result<Catalog, String> {
    let file: CatalogFile = crate::load::read_embedded(name, text)?;
    let mut index = HashMap::new();
    let sections = std::iter::once(&file.document).chain(file.sections.iter());
    for (s, section) in sections.enumerate() {
        let mut seen = HashSet::new();
        for (q, question) in section.questions.iter().enumerate() {
            if !well_formed(&section.id, &question.id) {
                return Err(format!(
                    "{name}: `{}` is not an ID of section {}",
                    question.id, section.id
                ));
            }
            if let Some(parent) = &question.parent
                && !seen.contains(parent.as_str())
            {
                return Err(format!(
                    "{name}: `{}` names parent `{parent}`, which is not an earlier question of {}",
                    question.id, section.id
                ));
            }
            if index.insert(question.id.clone(), (s, q)).is_some() {
                return Err(format!("{name}: duplicate question `{}`", question.id));
            }
            seen.insert(question.id.as_str());
        }
    }
    Ok(Catalog {
        standard: file.standard,
        title: file.title,
        numbering: file.numbering,
        document: file.document,
        sections: file.sections,
        index,
    })
}

/// `SECTION-1`, `SECTION-1.2`, `SECTION-1.2.3`: the standard's scheme.
fn well_formed(section: &str, id: &str) -> bool {
    let Some(number) = id
        .strip_prefix(section)
        .and_then(|rest| rest.strip_prefix('-'))
    else {
        return false;
    };
    number
        .split('.')
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_parses() {
        parse(NAME, TEXT).unwrap();
    }

    /// The per-section counts of the completed 2019 form described in the brief (§8).
    #[test]
    fn section_counts_match_the_brief() {
        let catalog = get();
        let counts: Vec<(&str, usize)> = catalog
            .sections
            .iter()
            .map(|s| (s.id.as_str(), s.questions.len()))
            .collect();
        assert_eq!(
            counts,
            vec![
                ("MPII", 22),
                ("ALOF", 2),
                ("AUDT", 30),
                ("AUTH", 8),
                ("CSUP", 34),
                ("DIDT", 2),
                ("DTBK", 6),
                ("EMRG", 1),
                ("IGAU", 2),
                ("MLDP", 15),
                ("NAUT", 4),
                ("CONN", 19),
                ("PAUT", 16),
                ("PLOK", 4),
                ("RDMP", 4),
                ("SBOM", 8),
                ("SAHD", 22),
                ("SGUD", 5),
                ("STCF", 7),
                ("TXCF", 6),
                ("TXIG", 2),
                ("RMOT", 6),
                ("OTHR", 0),
            ]
        );
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), 225);
        let doc: Vec<&str> = catalog
            .document
            .questions
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(doc.len(), 15);
        assert_eq!(doc.first(), Some(&"DOC-1"));
        assert_eq!(doc.last(), Some(&"DOC-11.4"));
    }

    #[test]
    fn header_says_the_numbering_is_unchecked() {
        assert!(TEXT.contains("NUMBERING IS NOT VERIFIED"));
        assert!(get().numbering.contains("not been checked"));
    }

    #[test]
    fn ids_follow_the_scheme() {
        assert!(well_formed("CONN", "CONN-1.1.2"));
        assert!(well_formed("AUDT", "AUDT-2.11.1"));
        assert!(!well_formed("CONN", "CONN-"));
        assert!(!well_formed("CONN", "CONN-1..2"));
        assert!(!well_formed("CONN", "AUDT-1"));
        assert!(!well_formed("CON", "CONN-1"));
    }
}
