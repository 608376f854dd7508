//! Rules over the loaded project. Each rule is a pure function of the [`Ctx`] (the project, the
//! guidance catalog and the options) that returns findings; rules never print and never touch
//! the disk. [`check`] runs them all and adds the derived facts reports need (coverage, whether
//! the device is a cyber device).

pub mod codes;
pub mod coverage;
pub mod cyber;
pub mod documentation;
pub mod mds2;
pub mod policy;
pub mod sbom;
pub mod scoring;
pub mod traceability;
pub mod vulnerabilities;

use crate::catalog::{self, Catalog};
use crate::finding::{Finding, Location};
use crate::model::*;
use crate::source::Pos;
use std::collections::HashMap;

/// Everything a rule may look at, with indexes built once.
pub struct Ctx<'a> {
    pub project: &'a Project,
    pub catalog: &'a Catalog,
    pub options: Options,
    pub cyber: cyber::CyberDecision,
    controls: HashMap<&'a str, &'a Control>,
    risks_by_control: HashMap<&'a str, Vec<&'a Risk>>,
    tests_by_control: HashMap<&'a str, Vec<&'a Test>>,
}

impl<'a> Ctx<'a> {
    pub fn new(project: &'a Project, catalog: &'a Catalog) -> Ctx<'a> {
        Ctx::with_options(project, catalog, Options::for_project(project))
    }

    pub fn with_options(project: &'a Project, catalog: &'a Catalog, options: Options) -> Ctx<'a> {
        let mut risks_by_control: HashMap<&str, Vec<&Risk>> = HashMap::new();
        for risk in &project.risks {
            for control in &risk.controls {
                risks_by_control
                    .entry(control.as_str())
                    .or_default()
                    .push(risk);
            }
        }
        let mut tests_by_control: HashMap<&str, Vec<&Test>> = HashMap::new();
        for test in &project.tests {
            for control in &test.verifies {
                tests_by_control
                    .entry(control.as_str())
                    .or_default()
                    .push(test);
            }
        }
        Ctx {
            project,
            catalog,
            options,
            cyber: cyber::decide(project),
            controls: project
                .controls
                .iter()
                .map(|c| (c.id.as_str(), c))
                .collect(),
            risks_by_control,
            tests_by_control,
        }
    }

    pub fn at(&self, pos: Pos) -> Option<Location> {
        Some(self.project.sources.location(pos))
    }

    pub fn control(&self, id: &str) -> Option<&'a Control> {
        self.controls.get(id).copied()
    }

    /// Risks that list a control.
    pub fn risks_of(&self, control: &str) -> &[&'a Risk] {
        self.risks_by_control
            .get(control)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Tests that verify a control.
    pub fn tests_of(&self, control: &str) -> &[&'a Test] {
        self.tests_by_control
            .get(control)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Whether a guidance item is declared not applicable.
    pub fn not_applicable(&self, id: &str) -> Option<&'a NotApplicable> {
        self.project
            .not_applicable
            .iter()
            .find(|n| n.id.value == id)
    }

    /// A finding about a guidance item: its section is the finding's guidance reference.
    pub fn about(&self, code: &'static str, catalog_id: &str, message: String) -> Finding {
        Finding::new(code, message)
            .guidance(self.catalog.section(catalog_id))
            .subject(catalog_id)
    }
}

/// Everything `check` found, plus the facts reports show beside the findings.
#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub coverage: coverage::Summary,
    pub cyber: cyber::CyberDecision,
    /// The guidance edition checked against.
    pub edition: String,
}

/// The catalog edition a project asks for (the newest when it names none), and a finding when it
/// names one dossier does not know.
pub fn edition_of(project: &Project) -> (&'static Catalog, Option<Finding>) {
    let newest = catalog::get(catalog::newest()).expect("the newest catalog is embedded");
    let Some(asked) = &project.settings.guidance_edition else {
        return (newest, None);
    };
    match catalog::get(&asked.value) {
        Some(found) => (found, None),
        None => {
            let known: Vec<&str> = catalog::editions().collect();
            let finding = Finding::new(
                "L015",
                format!(
                    "guidance edition `{}` is not known; checking against {} instead",
                    asked.value,
                    catalog::newest()
                ),
            )
            .at(Some(project.sources.location(asked.pos)))
            .help(format!("known editions: {}", known.join(", ")));
            (newest, Some(finding))
        }
    }
}

/// How a check is run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The date end of support (and suppression expiry) is judged against; default: the
    /// document date.
    pub as_of: Option<Date>,
    /// How far ahead an approaching end of support is a warning, in months.
    pub horizon_months: u32,
    /// Codes allowed from the command line (`--allow`).
    pub allow: Vec<String>,
}

impl Options {
    /// The project's own defaults: the document date, and `sbom.horizon_months` or 12.
    pub fn for_project(project: &Project) -> Options {
        Options {
            as_of: project.settings.document_date.as_ref().map(|d| d.value),
            horizon_months: project
                .sbom
                .as_ref()
                .and_then(|s| s.horizon_months)
                .unwrap_or(12),
            allow: Vec::new(),
        }
    }
}

/// Everything `dossier check` reports on a loaded project: loader findings, every rule, the
/// policy of dossier.yaml and `--allow`, sorted.
pub fn run(loaded: &crate::load::Loaded, options: Options) -> Outcome {
    let as_of = options.as_of;
    let allow = options.allow.clone();
    let mut outcome = check_with(&loaded.project, options);
    let mut findings = loaded.findings.clone();
    findings.append(&mut outcome.findings);
    policy::apply(&loaded.project, &mut findings, &allow, as_of);
    // A finding made without a section (the loader's S009, say) cites its code's.
    for finding in findings.iter_mut().filter(|f| f.guidance.is_none()) {
        finding.guidance = codes::info(finding.code)
            .and_then(|info| info.guidance)
            .map(str::to_string);
    }
    crate::finding::sort(&mut findings);
    outcome.findings = findings;
    outcome
}

/// Runs every rule with the project's default options.
pub fn check(project: &Project) -> Outcome {
    check_with(project, Options::for_project(project))
}

/// Runs every rule.
pub fn check_with(project: &Project, options: Options) -> Outcome {
    let (catalog, edition_finding) = edition_of(project);
    let ctx = Ctx::with_options(project, catalog, options);
    let mut findings: Vec<Finding> = edition_finding.into_iter().collect();
    let rules: &[fn(&Ctx) -> Vec<Finding>] = &[
        coverage::rules,
        traceability::rules,
        scoring::rules,
        cyber::rules,
        documentation::rules,
        sbom::rules,
        vulnerabilities::rules,
        mds2::rules,
    ];
    for rule in rules {
        findings.extend(rule(&ctx));
    }
    Outcome {
        findings,
        coverage: coverage::summary(&ctx),
        cyber: ctx.cyber.clone(),
        edition: catalog.edition.clone(),
    }
}

/// A reason that says nothing: a placeholder, or fewer than three words. Used where the guidance
/// wants a rationale (not applicable, accepted risk, accepted finding).
pub fn is_placeholder(text: &str) -> bool {
    says_nothing(text) || text.split_whitespace().count() < 3
}

/// Text that says nothing: empty, or a placeholder such as "N/A", "TBD" or "see above".
pub fn says_nothing(text: &str) -> bool {
    let normalized: String = text
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect();
    // Text made only of these words says nothing, however they are repeated or combined:
    // "N/A", "n/a n/a n/a", "TBD", "to be determined", "see section above", "not applicable".
    const EMPTY_WORDS: &[&str] = &[
        "n",
        "a",
        "na",
        "tbd",
        "tbc",
        "tba",
        "to",
        "be",
        "determined",
        "confirmed",
        "defined",
        "decided",
        "todo",
        "do",
        "fixme",
        "xxx",
        "x",
        "none",
        "nothing",
        "placeholder",
        "later",
        "see",
        "above",
        "below",
        "section",
        "previous",
        "next",
        "same",
        "as",
        "ditto",
        "the",
        "not",
        "applicable",
        "does",
        "apply",
        "relevant",
        "irrelevant",
        "needed",
        "no",
        "yes",
        "lorem",
        "ipsum",
        "dolor",
        "sit",
        "amet",
        "etc",
    ];
    normalized
        .split_whitespace()
        .all(|word| EMPTY_WORDS.contains(&word))
}

/// Whether an optional text field says something (a short reference such as "SOP-12" counts).
pub fn filled(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(|t| !says_nothing(t))
}

/// Whether an optional rationale gives a real reason.
pub fn reasoned(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(|t| !is_placeholder(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for text in [
            "",
            "N/A",
            "n/a.",
            "TBD",
            "  todo ",
            "Not applicable.",
            "see above",
            "No.",
            "n/a n/a n/a",
            "n/a - no",
            "to be determined",
            "See section above",
            "TBD, TBD, TBD",
        ] {
            assert!(is_placeholder(text), "{text:?}");
        }
        assert!(!is_placeholder(
            "Not applicable: the pump has no wireless radio."
        ));
        assert!(!is_placeholder("The device has no Bluetooth radio."));
        assert!(is_placeholder("Not relevant"));
        assert!(filled(&Some("See SOP-12".to_string())));
        assert!(!filled(&Some("TBD".to_string())));
    }
}
