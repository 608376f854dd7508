//! The MDS2 form (Manufacturer Disclosure Statement for Medical Device Security, ANSI/NEMA HN
//! 1-2019), generated from the same model as the submission so the two never disagree.
//!
//! Every question of the catalog gets its answer from one place, in this order:
//! 1. gated: its parent question's answer makes it N/A;
//! 2. derived: a rule reads it off the model (flows, interfaces, controls, SBOM, plan,
//!    labeling), with the facts it rests on; a project answer that disagrees is a problem;
//! 3. project: the `mds2:` section answers it;
//! 4. nothing: the question is unanswered, which is a problem.
//!
//! [`evaluate`] does that for the project alone (the check rules use it); [`form`] adds what the
//! check found, for renderers and the workbook ([`write_xlsx`]).

pub mod catalog;
pub mod derive;
mod xlsx;

#[cfg(test)]
mod tests;

pub use xlsx::write_xlsx;

use crate::check::Outcome;
use crate::finding::{Finding, Location, Severity};
use crate::model::{Answer, Mds2Section, Project};
use crate::source::Pos;
use catalog::{Catalog, Question, QuestionKind};
use derive::{Derived, Facts, Reply, plain};
use serde::Serialize;
use std::collections::BTreeMap;

/// Codes of the findings about the MDS2 form.
pub const CODES: &[&str] = &["M001", "M002", "M003", "M004"];

/// The whole form, ready to render.
#[derive(Clone, Debug, Serialize)]
pub struct Mds2Form {
    /// "ANSI/NEMA HN 1-2019".
    pub standard: String,
    pub title: String,
    /// What the question numbering rests on (not checked against the official form).
    pub numbering: String,
    /// The statement's date, YYYY-MM-DD (DOC-7); the workbook's creation date. The build may set
    /// it from SOURCE_DATE_EPOCH when the project gives none.
    pub date: Option<String>,
    /// "DRAFT: N open findings" while the check reports errors; `None` when it is clean.
    pub draft: Option<String>,
    pub device: FormDevice,
    /// The document information block (DOC-1 to DOC-11.4).
    pub document: FormSection,
    /// The 23 sections in form order, OTHR last.
    pub sections: Vec<FormSection>,
    /// Entries of `mds2.answers` whose ID is not a question of the form.
    pub unknown_answers: Vec<UnknownAnswer>,
    /// The MDS2 findings (M001 to M004) of the check, as reported.
    pub findings: Vec<Finding>,
    pub summary: FormSummary,
}

#[derive(Clone, Debug, Serialize)]
pub struct FormDevice {
    pub name: String,
    pub model: String,
    pub manufacturer: String,
    pub version: String,
    pub revision: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FormSection {
    /// "CONN", or "DOC" for the document information block.
    pub id: String,
    pub title: String,
    /// What the section covers.
    pub covers: String,
    pub questions: Vec<FormQuestion>,
    /// Free text (OTHR: `mds2.other`).
    pub text: Option<String>,
}

/// Where an answer came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Read off the project model; `facts` says from what.
    Derived,
    /// Written in the `mds2` section (or, for document information, `mds2.document`).
    Project,
    /// N/A because the gating (parent) question rules it out.
    Gated,
}

/// Why a question has no usable answer, or why its answer deserves a look.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// M001 unanswered, M002 contradicts the model, M004 answered under a gate.
    pub code: &'static str,
    pub message: String,
    /// Where to fix it.
    pub location: Location,
}

#[derive(Clone, Debug, Serialize)]
pub struct FormQuestion {
    pub id: String,
    /// The section it belongs to ("DOC" for document information).
    pub section: String,
    pub text: String,
    /// `yes-no` or `text`.
    pub kind: QuestionKind,
    pub parent: Option<String>,
    /// Yes, No or N/A; `None` for text items and unanswered questions.
    pub answer: Option<Answer>,
    /// The value of a text item (document information).
    pub value: Option<String>,
    pub note: Option<String>,
    /// `None` when unanswered.
    pub source: Option<Source>,
    /// The derivation rule, when the catalog names one.
    pub rule: Option<String>,
    /// The model facts a derived answer rests on; for a gated one, the parent's answer.
    pub facts: Vec<String>,
    pub problem: Option<Problem>,
}

impl FormQuestion {
    /// Whether the form shows an answer (or a value) for it.
    pub fn answered(&self) -> bool {
        self.answer.is_some() || self.value.is_some()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct UnknownAnswer {
    pub id: String,
    pub suggestion: Option<String>,
    pub location: Location,
}

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct FormSummary {
    /// Questions, the document block included.
    pub questions: usize,
    pub derived: usize,
    pub project: usize,
    pub gated: usize,
    pub unanswered: usize,
    pub contradictions: usize,
}

/// The form with the check's findings: what renderers and the workbook read.
pub fn form(project: &Project, outcome: &Outcome) -> Mds2Form {
    let mut form = evaluate(project);
    let mut findings: Vec<Finding> = outcome
        .findings
        .iter()
        .filter(|f| CODES.contains(&f.code))
        .cloned()
        .collect();
    crate::finding::sort(&mut findings);
    form.findings = findings;
    let open = outcome
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    form.draft = (open > 0).then(|| {
        format!(
            "DRAFT: {open} open finding{}",
            if open == 1 { "" } else { "s" }
        )
    });
    form
}

/// The form from the project alone: every answer, its source, and every problem.
pub fn evaluate(project: &Project) -> Mds2Form {
    let catalog = catalog::get();
    let facts = Facts::new(project);
    let empty = Mds2Section::default();
    let mds2 = project.mds2.as_ref().unwrap_or(&empty);
    let section_location = project.section_location("mds2");
    let at = |pos: Option<Pos>| match pos {
        Some(pos) if pos.line > 0 => project.sources.location(pos),
        _ => section_location.clone(),
    };

    let mut settled: BTreeMap<&str, Settled> = BTreeMap::new();
    let mut summary = FormSummary::default();
    let mut evaluate_section = |section: &'static catalog::Section| -> FormSection {
        let questions = section
            .questions
            .iter()
            .map(|q| {
                let (question, written) = answer_one(q, &section.id, &facts, mds2, &settled, &at);
                if let Some(answer) = question.answer {
                    settled.insert(
                        q.id.as_str(),
                        Settled {
                            answer,
                            source: question.source,
                            written,
                        },
                    );
                }
                count(&mut summary, &question);
                question
            })
            .collect();
        FormSection {
            id: section.id.clone(),
            title: section.title.clone(),
            covers: section.covers.clone(),
            questions,
            text: None,
        }
    };
    let document = evaluate_section(&catalog.document);
    let mut sections: Vec<FormSection> =
        catalog.sections.iter().map(&mut evaluate_section).collect();
    if let Some(other) = sections.iter_mut().find(|s| s.id == "OTHR") {
        other.text = mds2.other.as_deref().map(plain).filter(|t| !t.is_empty());
    }

    let unknown_answers = mds2
        .answers
        .keys()
        .filter(|id| catalog.question(id).is_none_or(|(s, _)| s.id == "DOC"))
        .map(|id| UnknownAnswer {
            id: id.clone(),
            suggestion: suggest(catalog, id),
            location: at(mds2.answer_pos.get(id).copied()),
        })
        .collect();

    let s = &project.settings;
    Mds2Form {
        standard: catalog.standard.clone(),
        title: catalog.title.clone(),
        numbering: catalog.numbering.clone(),
        date: mds2
            .document
            .release_date
            .as_ref()
            .map(|d| d.value)
            .or(s.document_date.as_ref().map(|d| d.value))
            .map(|d| d.to_string()),
        draft: None,
        device: FormDevice {
            name: s.device.name.clone(),
            model: s.device.model.clone(),
            manufacturer: s.device.manufacturer.clone(),
            version: s.release.version.clone(),
            revision: s.release.revision.clone(),
        },
        document,
        sections,
        unknown_answers,
        findings: Vec::new(),
        summary,
    }
}

fn count(summary: &mut FormSummary, question: &FormQuestion) {
    summary.questions += 1;
    match question.source {
        Some(Source::Derived) => summary.derived += 1,
        Some(Source::Project) => summary.project += 1,
        Some(Source::Gated) => summary.gated += 1,
        None => summary.unanswered += 1,
    }
    if question.problem.as_ref().is_some_and(|p| p.code == "M002") {
        summary.contradictions += 1;
    }
}

/// "did you mean `CONN-1`?" for an unknown question ID, or where DOC items go.
fn suggest(catalog: &Catalog, id: &str) -> Option<String> {
    if catalog.question(id).is_some() {
        return Some(
            "document information (DOC-…) is set under `mds2.document`, e.g. `cvd_program: true`"
                .into(),
        );
    }
    // Among equally near IDs, the one sharing the longest start: CONN-7.2 is CONN-7.1, not
    // CONN-1.2.
    let wanted = id.to_ascii_uppercase();
    let limit = (wanted.chars().count() / 3).max(2);
    catalog
        .sections
        .iter()
        .flat_map(|s| s.questions.iter().map(|q| q.id.as_str()))
        .map(|candidate| {
            let distance = strsim::levenshtein(&wanted, candidate);
            let shared = wanted
                .chars()
                .zip(candidate.chars())
                .take_while(|(a, b)| a == b)
                .count();
            (distance, std::cmp::Reverse(shared), candidate)
        })
        .filter(|(distance, _, _)| *distance <= limit)
        .min()
        .map(|(_, _, candidate)| format!("did you mean `{candidate}`?"))
}

/// What the project says about one question: the reply, its note, and where it is written.
struct Given {
    reply: Reply,
    note: Option<String>,
    /// Where the answer is written (for findings).
    pos: Option<Pos>,
    /// Where in YAML, for messages: `mds2.answers.CONN-1`, `mds2.document.cvd_program`.
    path: String,
}

/// The project's reply to a question: `mds2.answers` for the sections, named keys of
/// `mds2.document` for the document block.
fn given(question: &Question, mds2: &Mds2Section) -> Option<Given> {
    let doc = &mds2.document;
    let flag = |field: &str, value: &Option<crate::model::Located<bool>>| {
        value.as_ref().map(|v| Given {
            reply: Reply::Answer(if v.value { Answer::Yes } else { Answer::No }),
            note: None,
            pos: Some(v.pos),
            path: format!("mds2.document.{field}"),
        })
    };
    let text = |field: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(plain)
            .filter(|t| !t.is_empty())
            .map(|t| Given {
                reply: Reply::Text(t),
                note: None,
                pos: None,
                path: format!("mds2.document.{field}"),
            })
    };
    let hosting = doc.hosting.as_ref();
    match question.id.as_str() {
        "DOC-4" => text("document_id", &doc.document_id),
        "DOC-5" => text("contact", &doc.contact),
        "DOC-6" => text("intended_network_use", &doc.intended_network_use),
        "DOC-7" => doc.release_date.as_ref().map(|d| Given {
            reply: Reply::Text(d.value.to_string()),
            note: None,
            pos: Some(d.pos),
            path: "mds2.document.release_date".into(),
        }),
        "DOC-8" => flag("cvd_program", &doc.cvd_program),
        "DOC-9" => doc.isao.as_ref().map(|isao| {
            let none = crate::check::says_nothing(&isao.value);
            Given {
                reply: Reply::Answer(if none { Answer::No } else { Answer::Yes }),
                note: (!none).then(|| isao.value.clone()),
                pos: Some(isao.pos),
                path: "mds2.document.isao".into(),
            }
        }),
        "DOC-10" => flag("network_diagram", &doc.network_diagram),
        "DOC-11" => flag("samd", &doc.samd),
        "DOC-11.1" => flag(
            "hosting.includes_os",
            &hosting.and_then(|h| h.includes_os.clone()),
        ),
        "DOC-11.2" => flag(
            "hosting.customer_os",
            &hosting.and_then(|h| h.customer_os.clone()),
        ),
        "DOC-11.3" => flag(
            "hosting.manufacturer_hosted",
            &hosting.and_then(|h| h.manufacturer_hosted.clone()),
        ),
        "DOC-11.4" => flag(
            "hosting.customer_hosted",
            &hosting.and_then(|h| h.customer_hosted.clone()),
        ),
        id if id.starts_with("DOC-") => None,
        id => {
            let entry = mds2.answers.get(id)?;
            let note = entry.note.as_deref().map(plain).filter(|t| !t.is_empty());
            match &entry.answer {
                Some(answer) => Some(Given {
                    reply: Reply::Answer(answer.value),
                    note,
                    pos: Some(answer.pos),
                    path: format!("mds2.answers.{id}"),
                }),
                // A note alone annotates the model's answer.
                None => note.map(|note| Given {
                    reply: Reply::Text(String::new()),
                    note: Some(note),
                    pos: mds2.answer_pos.get(id).copied(),
                    path: format!("mds2.answers.{id}"),
                }),
            }
        }
    }
}

/// What later questions need to know about an earlier one: its answer, and where the project
/// wrote it (for findings about its children).
struct Settled {
    answer: Answer,
    source: Option<Source>,
    written: Option<(String, Location)>,
}

/// Answers one question: gated, derived, project, or unanswered.
fn answer_one(
    question: &Question,
    section: &str,
    facts: &Facts,
    mds2: &Mds2Section,
    settled: &BTreeMap<&str, Settled>,
    at: &dyn Fn(Option<Pos>) -> Location,
) -> (FormQuestion, Option<(String, Location)>) {
    let mut out = FormQuestion {
        id: question.id.clone(),
        section: section.to_string(),
        text: question.text.clone(),
        kind: question.kind,
        parent: question.parent.clone(),
        answer: None,
        value: None,
        note: None,
        source: None,
        rule: question.derive.clone(),
        facts: Vec::new(),
        problem: None,
    };
    let given = given(question, mds2);
    let written = given.as_ref().map(|g| (g.path.clone(), at(g.pos)));
    let given_answer = given.as_ref().and_then(|g| match g.reply {
        Reply::Answer(a) => Some(a),
        Reply::Text(_) => None,
    });
    let derived: Option<Derived> = question
        .derive
        .as_deref()
        .and_then(|rule| derive::derive(rule, facts, &question.id));

    // 1. Gated by the parent's answer.
    if let Some(parent) = &question.parent
        && let Some(up) = settled.get(parent.as_str())
        && up.answer != question.applies_when()
    {
        let parent_answer = up.answer;
        out.answer = Some(Answer::NotApplicable);
        out.source = Some(Source::Gated);
        out.note = Some(format!("N/A because {parent} is {parent_answer}."));
        out.facts = vec![format!("{parent}: {parent_answer}")];
        let model_says = derived.as_ref().and_then(|d| match d.reply {
            Reply::Answer(a) if a != Answer::NotApplicable => Some((a, &d.shows)),
            _ => None,
        });
        if let (Some(answer), Some(g)) = (given_answer, &given) {
            if answer != Answer::NotApplicable {
                out.problem = Some(Problem {
                    code: "M004",
                    message: format!(
                        "`{}` answers {answer} to {} ({}), but its gating question {parent} is {parent_answer}, so it is N/A",
                        g.path,
                        question.id,
                        short(&question.text)
                    ),
                    location: at(g.pos),
                });
            }
        } else if let (Some((model, shows)), Some((path, location)), Some(Source::Project)) =
            (model_says, &up.written, up.source)
        {
            // The model answers a question the parent's answer rules out: the parent
            // answer contradicts the model.
            out.problem = Some(Problem {
                code: "M002",
                message: format!(
                    "`{path}` answers {parent_answer} to {parent}, which makes {} N/A, but the model answers {model} to it ({}): {shows}",
                    question.id,
                    short(&question.text)
                ),
                location: location.clone(),
            });
        }
        return (out, written);
    }

    // 2. Derived from the model.
    if let Some(derived) = derived {
        out.source = Some(Source::Derived);
        out.facts = derived.facts.clone();
        let given_note = given.as_ref().and_then(|g| g.note.clone());
        match &derived.reply {
            Reply::Answer(model) => {
                out.answer = Some(*model);
                out.note = given_note.or_else(|| Some(sentence(&derived.shows)));
                if let (Some(answer), Some(g)) = (given_answer, &given)
                    && answer != *model
                {
                    out.problem = Some(Problem {
                        code: "M002",
                        message: format!(
                            "`{}` answers {answer} to {} ({}), but {}",
                            g.path,
                            question.id,
                            short(&question.text),
                            derived.shows
                        ),
                        location: at(g.pos),
                    });
                }
            }
            Reply::Text(value) => match &given {
                // A value written for the statement wins over the model's default.
                Some(Given {
                    reply: Reply::Text(text),
                    ..
                }) if !text.is_empty() => {
                    out.value = Some(text.clone());
                    out.source = Some(Source::Project);
                    out.facts = Vec::new();
                }
                _ => out.value = Some(value.clone()),
            },
        }
        return (out, written);
    }

    // 3. The project's answer, or none.
    match given {
        Some(g) => {
            out.note = g.note;
            match g.reply {
                Reply::Answer(answer) => {
                    out.answer = Some(answer);
                    out.source = Some(Source::Project);
                }
                Reply::Text(text) if !text.is_empty() => {
                    out.value = Some(text);
                    out.source = Some(Source::Project);
                }
                // A note alone, on a question the model cannot answer.
                Reply::Text(_) => out.problem = Some(unanswered(question, at(g.pos))),
            }
        }
        None => out.problem = Some(unanswered(question, at(None))),
    }
    (out, written)
}

fn unanswered(question: &Question, location: Location) -> Problem {
    let why = if question.derive.is_some() {
        "the model cannot tell, and `mds2` does not answer it"
    } else {
        "`mds2` does not answer it"
    };
    Problem {
        code: "M001",
        message: format!(
            "{} ({}) has no answer: {why}",
            question.id,
            short(&question.text)
        ),
        location,
    }
}

/// A question without its question mark, for use inside a sentence.
fn short(text: &str) -> String {
    text.trim_end_matches('?').to_string()
}

/// A clause as a sentence: capital first letter, full stop.
fn sentence(clause: &str) -> String {
    let mut chars = clause.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}
