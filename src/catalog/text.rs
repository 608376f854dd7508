//! The catalog as text: a terminal listing and a Markdown document.

use super::{Catalog, Entry, EntryKind};
use std::fmt::Write;

/// Headings for the groups of entries, in the order the guidance presents them.
const GROUPS: &[(EntryKind, &str)] = &[
    (EntryKind::Objective, "Security objectives (§IV.B)"),
    (EntryKind::Category, "Appendix 1 categories"),
    (EntryKind::Recommendation, "Appendix 1 recommendations"),
    (EntryKind::Prose, "Appendix 1 prose statements"),
    (EntryKind::Scope, "Appendix 1 scope of authentication"),
    (
        EntryKind::Document,
        "Appendix 4 Table 1: premarket documents",
    ),
    (
        EntryKind::Documentation,
        "Premarket documentation elements (§V)",
    ),
    (EntryKind::View, "Architecture views (§V.B.2)"),
    (EntryKind::ViewRule, "Rules for all views (§V.B.2)"),
    (EntryKind::Diagram, "Diagrams (Appendix 2.A)"),
    (EntryKind::PathDetail, "Per-path details (Appendix 2.B)"),
    (EntryKind::Test, "Cybersecurity testing (§V.C)"),
    (EntryKind::PentestItem, "Penetration test report (§V.C)"),
    (EntryKind::Labeling, "Labeling (§VI.A)"),
    (EntryKind::Plan, "Cybersecurity management plan (§VI.B)"),
    (
        EntryKind::PlanCyber,
        "Cyber device additions to the plan (§VII.C.1)",
    ),
    (EntryKind::Statute, "Section 524B of the FD&C Act"),
    (
        EntryKind::CyberConnectivity,
        "What counts as connecting to the internet (§VII.B)",
    ),
    (EntryKind::SbomElement, "SBOM elements"),
    (
        EntryKind::Metric,
        "Total product life cycle metrics (§V.A.6)",
    ),
];

fn groups(catalog: &Catalog) -> impl Iterator<Item = (&'static str, Vec<&Entry>)> {
    GROUPS.iter().filter_map(move |(kind, heading)| {
        let entries: Vec<&Entry> = catalog.of_kind(*kind).collect();
        (!entries.is_empty()).then_some((*heading, entries))
    })
}

/// One line per entry, grouped.
pub fn listing(catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} (edition {}, issued {})",
        catalog.title, catalog.edition, catalog.issued
    );
    let width = catalog
        .entries
        .iter()
        .map(|e| e.id.len())
        .max()
        .unwrap_or(0);
    for (heading, entries) in groups(catalog) {
        let _ = writeln!(out, "\n{heading}");
        for entry in entries {
            let required = if entry.coverage_required() { "*" } else { " " };
            let _ = writeln!(
                out,
                " {required}{:<width$}  {}  ({})",
                entry.id, entry.title, entry.section
            );
        }
    }
    if !catalog.crosswalk.is_empty() {
        let _ = writeln!(out, "\nChanges in the next edition");
        for change in &catalog.crosswalk {
            let _ = writeln!(
                out,
                "  {:<width$}  {:?}: {}",
                change.id, change.change, change.note
            );
        }
    }
    let _ = writeln!(
        out,
        "\n* = the coverage rule requires it to be addressed or declared not applicable"
    );
    out
}

/// The whole catalog as a Markdown document.
pub fn markdown(catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", catalog.title);
    let _ = writeln!(
        out,
        "Edition {}, issued {}; supersedes {}. Titles and texts are paraphrased; the section column points into the guidance.\n",
        catalog.edition, catalog.issued, catalog.supersedes
    );
    for (heading, entries) in groups(catalog) {
        let _ = writeln!(out, "## {heading}\n");
        let _ = writeln!(out, "| ID | Title | What it asks | Section |");
        let _ = writeln!(out, "|---|---|---|---|");
        for entry in entries {
            let _ = writeln!(
                out,
                "| {}{} | {} | {} | {} |",
                entry.id,
                if entry.coverage_required() {
                    " (required)"
                } else {
                    ""
                },
                cell(&entry.title),
                cell(&entry.text),
                cell(&entry.section)
            );
        }
        out.push('\n');
    }
    if !catalog.crosswalk.is_empty() {
        let _ = writeln!(out, "## Changes in the next edition\n");
        let _ = writeln!(out, "| ID | Change | Note |");
        let _ = writeln!(out, "|---|---|---|");
        for change in &catalog.crosswalk {
            let _ = writeln!(
                out,
                "| {} | {:?} | {} |",
                change.id,
                change.change,
                cell(&change.note)
            );
        }
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
