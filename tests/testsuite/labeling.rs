//! Customer-facing security labeling: the ports table follows the flows exactly, and nothing
//! internal to the submission reaches customers.

use crate::util::*;
use std::collections::BTreeSet;

fn build_pump() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    dossier()
        .arg("build")
        .arg(example("infusion-pump"))
        .arg("--out")
        .arg(&out)
        .args(["--format", "md,html"])
        .assert()
        .success();
    (dir, out)
}

/// Splits a Markdown table row into trimmed cells (escaped pipes stay inside cells).
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in inner.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '|' if !escaped => cells.push(std::mem::take(&mut current).trim().to_string()),
            c => current.push(c),
        }
        escaped = false;
    }
    cells.push(current.trim().to_string());
    cells
}

#[test]
fn ports_table_matches_the_flows_exactly() {
    let (_dir, out) = build_pump();
    let text = std::fs::read_to_string(out.join("labeling/security-information.md")).unwrap();
    let table: Vec<Vec<String>> = text
        .split("## Network ports and interfaces")
        .nth(1)
        .unwrap()
        .lines()
        .skip_while(|l| !l.starts_with("| Interface"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(cells)
        .collect();
    // Expected, from the flows: every flow with an end in the device, not internal, not unused.
    let project = dossier::load::load(&example("infusion-pump"))
        .unwrap()
        .project;
    let device: BTreeSet<&str> = project
        .components
        .iter()
        .filter(|c| c.in_device)
        .map(|c| c.id.as_str())
        .collect();
    let expected: BTreeSet<(String, String, String)> = project
        .flows
        .iter()
        .filter(|f| {
            (device.contains(f.from.as_str()) || device.contains(f.to.as_str()))
                && f.transport != dossier::model::Transport::Internal
                && !f.unused
        })
        .map(|f| {
            (
                f.transport.label().to_string(),
                f.port.clone().unwrap_or_default(),
                f.purpose.clone(),
            )
        })
        .collect();
    let actual: BTreeSet<(String, String, String)> = table
        .iter()
        .map(|row| (row[0].clone(), row[2].clone(), row[4].clone()))
        .collect();
    assert_eq!(table.len(), expected.len(), "one row per flow");
    assert_eq!(actual, expected);
    // Directions say which way the connection goes.
    for row in &table {
        assert!(
            ["inbound", "outbound", "both"].contains(&row[3].as_str())
                || row[3].contains(" to ")
                || row[3].starts_with("between "),
            "{row:?}"
        );
    }
}

#[test]
fn nothing_internal_reaches_customers() {
    let (_dir, out) = build_pump();
    let project = dossier::load::load(&example("infusion-pump"))
        .unwrap()
        .project;
    // Internal-only: risks, threats, test findings, anomalies, their titles, and scoring words.
    let mut forbidden: Vec<String> = vec![
        "exploitab".into(),
        "residual risk".into(),
        "CVSS:".into(),
        "pen test finding".into(),
        "anomal".into(),
    ];
    forbidden.extend(project.risks.iter().flat_map(|r| {
        [
            format!("{}:", r.id.value),
            format!("[{}]", r.id.value),
            r.title.clone(),
        ]
    }));
    forbidden.extend(project.threats.iter().map(|t| t.title.clone()));
    forbidden.extend(
        project
            .anomalies
            .iter()
            .flat_map(|a| [a.id.value.clone(), a.title.clone()]),
    );
    for test in &project.tests {
        for finding in &test.findings {
            forbidden.push(finding.id.value.clone());
            forbidden.push(finding.title.clone());
        }
    }
    let ids_as_words: Vec<String> = project
        .risks
        .iter()
        .map(|r| r.id.value.clone())
        .chain(project.threats.iter().map(|t| t.id.value.clone()))
        .collect();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(out.join("labeling")) {
        let entry = entry.unwrap();
        // The SBOM is the customer's by design; the PDF is made from the Markdown read here; the
        // MDS2 workbook is read back with openpyxl in the external-tools suite (tools/mds2.rs).
        if !entry.file_type().is_file()
            || entry
                .path()
                .extension()
                .is_some_and(|e| e == "json" || e == "pdf" || e == "xlsx")
        {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())
            .unwrap()
            .to_lowercase();
        files += 1;
        for needle in &forbidden {
            assert!(
                !text.contains(&needle.to_lowercase()),
                "{} contains internal content {needle:?}",
                entry.path().display()
            );
        }
        for id in &ids_as_words {
            let id = id.to_lowercase();
            let hit = text.match_indices(&id).any(|(i, _)| {
                let before = text[..i]
                    .chars()
                    .last()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '-');
                let after = text[i + id.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '-');
                before && after
            });
            assert!(!hit, "{} names internal item {id}", entry.path().display());
        }
    }
    assert!(files >= 3, "md, html and css at least");
}

#[test]
fn labeling_is_built_beside_the_sbom_and_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    dossier()
        .arg("build")
        .arg(example("infusion-pump"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    for file in [
        "labeling/index.html",
        "labeling/security-information.md",
        "labeling/security-information.pdf",
        "labeling/sbom.cdx.json",
        "labeling/style.css",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    let md = std::fs::read_to_string(out.join("labeling/security-information.md")).unwrap();
    for heading in [
        "Recommended security controls",
        "Network ports and interfaces",
        "Required infrastructure",
        "Software bill of materials",
        "Software updates",
        "Security events and logs",
        "Backup and restore",
        "Secure configuration",
        "Forensic evidence and log files",
        "End of support",
        "Secure decommissioning",
        "Reporting a vulnerability",
    ] {
        assert!(md.contains(&format!("## {heading}")), "{heading}");
    }
    assert!(
        !md.contains("MISSING"),
        "the example's labeling is complete"
    );
    assert!(md.contains("2034-12-31"), "the device's end of support");
}
