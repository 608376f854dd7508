//! The MDS2 form (ANSI/NEMA HN 1-2019) against the model: unanswered questions (M001), answers
//! that contradict the model (M002), answers to questions the form does not have (M003), and
//! answers to questions their gating question rules out (M004). The form itself is built by
//! `crate::mds2::evaluate`, so the findings and the rendered form always agree.

use super::Ctx;
use crate::finding::Finding;
use crate::mds2::{self, FormSection};

/// Guidance reference of every MDS2 finding: the standard, and the labeling section of the
/// guidance that names the MDS2 as a way to give customers the security information.
pub const GUIDANCE: &str = "ANSI/NEMA HN 1-2019 (MDS2); §VI.A";

pub fn rules(ctx: &Ctx) -> Vec<Finding> {
    let project = ctx.project;
    let form = mds2::evaluate(project);
    let mut findings = Vec::new();

    // Hospitals ask for an MDS2 for any connected device; a project that starts one, or a cyber
    // device, is expected to finish it. Contradictions and unknown IDs count whenever written.
    let expected = project.mds2.is_some() || ctx.cyber.cyber_device;
    let sections = std::iter::once(&form.document).chain(form.sections.iter());
    for section in sections {
        if expected {
            findings.extend(unanswered(ctx, section));
        }
        for question in &section.questions {
            let Some(problem) = &question.problem else {
                continue;
            };
            if problem.code == "M001" {
                continue;
            }
            let help = match problem.code {
                "M002" => {
                    "correct the answer, or correct the model if it is the model that is wrong; the form shows the model's answer"
                }
                _ => "remove the answer, or change the gating question's answer",
            };
            findings.push(
                Finding::new(problem.code, problem.message.clone())
                    .at(Some(problem.location.clone()))
                    .guidance(GUIDANCE)
                    .subject(question.id.as_str())
                    .help(help),
            );
        }
    }

    for unknown in &form.unknown_answers {
        let help = unknown.suggestion.clone().unwrap_or_else(|| {
            "use a question ID of the form; `book/src/mds2.md` lists the sections".to_string()
        });
        findings.push(
            Finding::new(
                "M003",
                format!(
                    "`mds2.answers` answers `{}`, which is not a question of the MDS2 form",
                    unknown.id
                ),
            )
            .at(Some(unknown.location.clone()))
            .guidance(GUIDANCE)
            .subject(unknown.id.as_str())
            .help(help),
        );
    }
    findings
}

/// One finding per section, listing its unanswered questions, so the output stays readable.
fn unanswered(ctx: &Ctx, section: &FormSection) -> Option<Finding> {
    let ids: Vec<&str> = section
        .questions
        .iter()
        .filter(|q| q.problem.as_ref().is_some_and(|p| p.code == "M001"))
        .map(|q| q.id.as_str())
        .collect();
    let first = ids.first()?;
    let (noun, verb) = if ids.len() == 1 {
        ("question", "has")
    } else {
        ("questions", "have")
    };
    let where_ = if section.id == "DOC" {
        "under `mds2.document` (or in `plan.cvd`, `views`)"
    } else {
        "under `mds2.answers`"
    };
    let example = if section.id == "DOC" {
        doc_example(first)
    } else {
        format!("e.g. `{first}: {{ answer: no, note: \"...\" }}`")
    };
    Some(
        Finding::new(
            "M001",
            format!(
                "MDS2 {} ({}): {} {noun} {verb} no answer: {}",
                section.id,
                section.title,
                ids.len(),
                ids.join(", ")
            ),
        )
        .at(Some(ctx.project.section_location("mds2")))
        .guidance(GUIDANCE)
        .subject(section.id.as_str())
        .help(format!(
            "answer {} {where_}, {example}; the model could not answer {}",
            if ids.len() == 1 { "it" } else { "them" },
            if ids.len() == 1 { "it" } else { "them" },
        )),
    )
}

/// How to answer a DOC question under `mds2.document`.
fn doc_example(id: &str) -> String {
    let field = match id {
        "DOC-4" => "document_id: MDS2-EX-100-2.1",
        "DOC-5" => "contact: psirt@example.com",
        "DOC-6" => "intended_network_use: ...",
        "DOC-7" => {
            return "e.g. `release_date: 2026-01-15`, or set `document_date` in dossier.yaml"
                .to_string();
        }
        "DOC-8" => "cvd_program: true",
        "DOC-9" => "isao: H-ISAC",
        "DOC-10" => "network_diagram: true",
        "DOC-11" => "samd: false",
        "DOC-11.1" => "hosting: { includes_os: true }",
        "DOC-11.2" => "hosting: { customer_os: false }",
        "DOC-11.3" => "hosting: { manufacturer_hosted: false }",
        "DOC-11.4" => "hosting: { customer_hosted: false }",
        _ => return "the MDS2 chapter of the book lists the `mds2.document` fields".to_string(),
    };
    format!("e.g. `{field}`")
}
