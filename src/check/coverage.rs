//! Appendix 1 coverage: every recommendation is addressed by a control that is implemented and
//! verified by a passing test, or declared not applicable with a real reason (§V.B.1, App. 1).

use super::{Ctx, is_placeholder};
use crate::catalog::EntryKind;
use crate::finding::Finding;
use crate::suggest::did_you_mean;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Catalog kinds a control may claim to address.
fn addressable(kind: EntryKind) -> bool {
    matches!(
        kind,
        EntryKind::Recommendation | EntryKind::Prose | EntryKind::Scope
    )
}

/// Controls addressing each Appendix 1 item, in project order.
pub fn addressed_by<'a>(ctx: &Ctx<'a>) -> BTreeMap<&'a str, Vec<&'a str>> {
    let mut map: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for control in &ctx.project.controls {
        for rec in &control.addresses {
            let ids = map.entry(rec.as_str()).or_default();
            if !ids.contains(&control.id.as_str()) {
                ids.push(control.id.as_str());
            }
        }
    }
    map
}

pub fn rules(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    let addressed = addressed_by(ctx);
    let catalog = ctx.catalog;

    // Every ID a control claims must be an Appendix 1 item of this edition.
    for control in &ctx.project.controls {
        for rec in &control.addresses {
            match catalog.get(rec) {
                Some(entry) if addressable(entry.kind) => {}
                Some(entry) => findings.push(
                    Finding::new(
                        "R004",
                        format!(
                            "control `{}` addresses `{rec}`, which is a {} entry, not an Appendix 1 recommendation",
                            control.id,
                            entry.kind.as_str()
                        ),
                    )
                    .at(ctx.at(rec.pos))
                    .subject(rec.as_str())
                    .help("`addresses` lists Appendix 1 IDs such as AUTHN-1; see `dossier catalog`"),
                ),
                None => {
                    let ids = catalog.entries.iter().filter(|e| addressable(e.kind)).map(|e| e.id.as_str());
                    let help = did_you_mean(rec, ids).unwrap_or_else(|| {
                        format!("`dossier catalog --edition {}` lists the IDs", catalog.edition)
                    });
                    findings.push(
                        Finding::new(
                            "R004",
                            format!(
                                "control `{}` addresses `{rec}`, which is not in guidance edition {}",
                                control.id, catalog.edition
                            ),
                        )
                        .at(ctx.at(rec.pos))
                        .subject(rec.as_str())
                        .help(help),
                    );
                }
            }
        }
    }

    // Declarations of non-applicability: known IDs, once each, with a real reason.
    let mut declared: BTreeSet<&str> = BTreeSet::new();
    for na in &ctx.project.not_applicable {
        let id = na.id.as_str();
        if catalog.get(id).is_none() {
            let help = did_you_mean(id, catalog.entries.iter().map(|e| e.id.as_str()))
                .unwrap_or_else(|| "use an ID from `dossier catalog`".to_string());
            findings.push(
                Finding::new(
                    "R004",
                    format!(
                        "`{id}` is declared not applicable but is not in guidance edition {}",
                        catalog.edition
                    ),
                )
                .at(ctx.at(na.id.pos))
                .subject(id)
                .help(help),
            );
            continue;
        }
        if !declared.insert(id) {
            findings.push(
                ctx.about(
                    "C006",
                    id,
                    format!("`{id}` is declared not applicable more than once"),
                )
                .at(ctx.at(na.id.pos))
                .help("keep one declaration"),
            );
        }
        if is_placeholder(&na.rationale.value) {
            findings.push(
                ctx.about(
                    "C002",
                    id,
                    format!("`{id}` is declared not applicable without a real rationale"),
                )
                .at(ctx.at(na.rationale.pos))
                .help("say why it does not apply to this device, e.g. which hardware or function is absent"),
            );
        }
        if let Some(controls) = addressed.get(id) {
            findings.push(
                ctx.about(
                    "C005",
                    id,
                    format!(
                        "`{id}` is declared not applicable but control(s) {} address it",
                        quoted(controls)
                    ),
                )
                .at(ctx.at(na.id.pos))
                .help("remove the declaration, or the claim in the control"),
            );
        }
    }

    // Every required recommendation is addressed or declared not applicable.
    for entry in catalog.entries.iter().filter(|e| e.coverage_required()) {
        if addressed.contains_key(entry.id.as_str()) || ctx.not_applicable(&entry.id).is_some() {
            continue;
        }
        findings.push(
            ctx.about(
                "C001",
                &entry.id,
                format!("Appendix 1 recommendation {} ({}) is not addressed by any control", entry.id, entry.title),
            )
            .at(Some(controls_location(ctx)))
            .help(format!(
                "add `{}` to the `addresses` of the control that meets it, or declare it under `not_applicable` with the reason",
                entry.id
            )),
        );
    }

    // A control that claims a recommendation must be implemented and verified.
    for control in &ctx.project.controls {
        let claims: Vec<&str> = control
            .addresses
            .iter()
            .map(|r| r.as_str())
            .filter(|r| catalog.get(r).is_some_and(|e| addressable(e.kind)))
            .collect();
        if claims.is_empty() {
            continue;
        }
        let first = claims[0];
        if control.implemented_by.is_empty() {
            findings.push(
                ctx.about(
                    "C003",
                    first,
                    format!(
                        "control `{}` claims {} but names no component that implements it",
                        control.id,
                        claims.join(", ")
                    ),
                )
                .subject(control.id.as_str())
                .at(ctx.at(control.id.pos))
                .help("list the implementing components under `implemented_by`"),
            );
        }
        let passing = ctx.tests_of(&control.id).iter().any(|t| t.result.passed());
        if !passing {
            let tests = ctx.tests_of(&control.id);
            let detail = if tests.is_empty() {
                "no test verifies it".to_string()
            } else {
                format!(
                    "its tests ({}) did not pass",
                    tests
                        .iter()
                        .map(|t| format!("`{}`", t.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            findings.push(
                ctx.about(
                    "C004",
                    first,
                    format!(
                        "control `{}` claims {} but {detail}",
                        control.id,
                        claims.join(", ")
                    ),
                )
                .subject(control.id.as_str())
                .at(ctx.at(control.id.pos))
                .help(format!(
                    "add a passing test with `verifies: [{}]`",
                    control.id
                )),
            );
        }
    }
    findings
}

/// Where "not addressed" findings point: the first file that defines controls, else dossier.yaml.
/// Where the `controls:` list is first written (else dossier.yaml).
fn controls_location(ctx: &Ctx) -> crate::finding::Location {
    ctx.project.section_location("controls")
}

fn quoted(ids: &[&str]) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Coverage of one Appendix 1 category.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CategoryCoverage {
    pub id: String,
    pub title: String,
    /// Required items in the category.
    pub required: usize,
    /// Required items addressed by at least one control.
    pub covered: usize,
    /// Required items addressed by a control that is implemented and verified by a passing test.
    pub verified: usize,
    pub not_applicable: usize,
    pub missing: usize,
    pub missing_ids: Vec<String>,
}

/// Coverage of Appendix 1, per category.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub edition: String,
    pub categories: Vec<CategoryCoverage>,
    pub required: usize,
    pub covered: usize,
    pub verified: usize,
    pub not_applicable: usize,
    pub missing: usize,
}

/// Whether a control is implemented somewhere and verified by a passing test.
pub fn control_verified(ctx: &Ctx, control: &str) -> bool {
    ctx.control(control)
        .is_some_and(|c| !c.implemented_by.is_empty())
        && ctx.tests_of(control).iter().any(|t| t.result.passed())
}

pub fn summary(ctx: &Ctx) -> Summary {
    let addressed = addressed_by(ctx);
    let mut categories = Vec::new();
    for category in ctx.catalog.categories() {
        let mut row = CategoryCoverage {
            id: category.id.clone(),
            title: category.title.clone(),
            required: 0,
            covered: 0,
            verified: 0,
            not_applicable: 0,
            missing: 0,
            missing_ids: Vec::new(),
        };
        for entry in ctx
            .catalog
            .appendix1_items(&category.id)
            .filter(|e| e.coverage_required())
        {
            row.required += 1;
            if let Some(controls) = addressed.get(entry.id.as_str()) {
                row.covered += 1;
                if controls.iter().any(|c| control_verified(ctx, c)) {
                    row.verified += 1;
                }
            } else if ctx.not_applicable(&entry.id).is_some() {
                row.not_applicable += 1;
            } else {
                row.missing += 1;
                row.missing_ids.push(entry.id.clone());
            }
        }
        categories.push(row);
    }
    Summary {
        edition: ctx.catalog.edition.clone(),
        required: categories.iter().map(|c| c.required).sum(),
        covered: categories.iter().map(|c| c.covered).sum(),
        verified: categories.iter().map(|c| c.verified).sum(),
        not_applicable: categories.iter().map(|c| c.not_applicable).sum(),
        missing: categories.iter().map(|c| c.missing).sum(),
        categories,
    }
}
