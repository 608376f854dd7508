//! The shipped example projects, checked and built for real.

use crate::util::*;
use std::collections::BTreeSet;

fn pump() -> std::path::PathBuf {
    example("infusion-pump")
}

#[test]
fn infusion_pump_checks_clean() {
    let (code, doc) = check_json(&pump());
    let errors: Vec<_> = findings(&doc)
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(code, 0);
    assert_eq!(doc["coverage"]["missing"], 0);
    assert_eq!(doc["cyber_device"]["cyber_device"], true);
}

#[test]
fn infusion_pump_loads_without_loader_findings() {
    let loaded = dossier::load::load(&pump()).unwrap();
    let loader: Vec<_> = loaded
        .findings
        .iter()
        .filter(|f| f.code.starts_with('L') || f.code.starts_with('R'))
        .collect();
    assert!(loader.is_empty(), "{loader:#?}");
    let p = &loaded.project;
    assert!(
        p.components.len() >= 12
            && p.flows.len() >= 15
            && p.threats.len() >= 20
            && p.risks.len() >= 15
    );
    assert!(p.controls.len() >= 30 && p.tests.len() >= 25 && p.inventory.components.len() >= 20);
}

#[test]
fn removing_a_control_uncovers_exactly_what_it_alone_covered() {
    let loaded = dossier::load::load(&pump()).unwrap();
    let catalog = dossier::catalog::get(dossier::catalog::newest()).unwrap();
    let required: BTreeSet<&str> = catalog
        .entries
        .iter()
        .filter(|e| e.coverage_required())
        .map(|e| e.id.as_str())
        .collect();
    for control in &loaded.project.controls {
        // Expected, computed independently: required items this control addresses that no other
        // control addresses and that are not declared not applicable.
        let expected: BTreeSet<String> = control
            .addresses
            .iter()
            .map(|r| r.value.clone())
            .filter(|r| required.contains(r.as_str()))
            .filter(|r| {
                !loaded.project.controls.iter().any(|other| {
                    other.id.value != control.id.value
                        && other.addresses.iter().any(|a| &a.value == r)
                })
            })
            .filter(|r| {
                !loaded
                    .project
                    .not_applicable
                    .iter()
                    .any(|n| &n.id.value == r)
            })
            .collect();
        let mut project = loaded.project.clone();
        project.controls.retain(|c| c.id.value != control.id.value);
        let outcome = dossier::check::check(&project);
        let missing: BTreeSet<String> = outcome
            .findings
            .iter()
            .filter(|f| f.code == "C001")
            .map(|f| f.subject.clone().unwrap())
            .collect();
        assert_eq!(missing, expected, "removing {}", control.id.value);
    }
}

#[test]
fn renaming_an_id_reports_every_dangling_reference() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(dir.path()).unwrap();
    copy_tree(&pump(), dir.path());
    let loaded = dossier::load::load(dir.path()).unwrap();
    // The threat with the most references.
    let threat = loaded
        .project
        .threats
        .iter()
        .max_by_key(|t| {
            loaded
                .project
                .risks
                .iter()
                .filter(|r| r.threats.iter().any(|x| x.value == t.id.value))
                .count()
        })
        .unwrap();
    let old = threat.id.value.clone();
    let new = format!("{old}X");
    let mut expected: BTreeSet<(String, u32)> = BTreeSet::new();
    for risk in &loaded.project.risks {
        for r in risk.threats.iter().filter(|r| r.value == old) {
            expected.insert((
                loaded.project.sources.path(r.pos.file).to_string(),
                r.pos.line,
            ));
        }
    }
    for test in &loaded.project.tests {
        for r in test.threats.iter().filter(|r| r.value == old) {
            expected.insert((
                loaded.project.sources.path(r.pos.file).to_string(),
                r.pos.line,
            ));
        }
    }
    assert!(!expected.is_empty());
    let file = dir
        .path()
        .join(loaded.project.sources.path(threat.id.pos.file));
    let text = std::fs::read_to_string(&file).unwrap();
    let line_index = threat.id.pos.line as usize - 1;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[line_index] = lines[line_index].replacen(&old, &new, 1);
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();

    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let dangling: BTreeSet<(String, u32)> = with_code(&doc, "R002")
        .iter()
        .filter(|f| f["subject"] == old.as_str())
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap() as u32,
            )
        })
        .collect();
    assert_eq!(dangling, expected);
    for f in with_code(&doc, "R002")
        .into_iter()
        .filter(|f| f["subject"] == old.as_str())
    {
        assert!(
            f["help"]
                .as_str()
                .unwrap()
                .contains(&format!("did you mean `{new}`?")),
            "{f}"
        );
    }
}

#[test]
fn a_copied_file_reports_duplicate_ids_with_both_places() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(dir.path()).unwrap();
    copy_tree(&pump(), dir.path());
    let source = std::fs::read_dir(dir.path().join("threat-model"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("threats")
        })
        .unwrap();
    std::fs::copy(&source, dir.path().join("threat-model/threats-copy.yaml")).unwrap();
    let original = dossier::load::load(&pump()).unwrap();
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let duplicates = with_code(&doc, "R001");
    assert_eq!(
        duplicates.len(),
        original
            .project
            .threats
            .iter()
            .filter(|t| original
                .project
                .sources
                .path(t.id.pos.file)
                .ends_with(source.file_name().unwrap().to_str().unwrap()))
            .count()
    );
    let copy = "threat-model/threats-copy.yaml";
    let original_file = format!(
        "threat-model/{}",
        source.file_name().unwrap().to_string_lossy()
    );
    for d in duplicates {
        // Files are read in path order: the later one holds the duplicate, the earlier the first.
        let places = [
            d["file"].as_str().unwrap(),
            d["related"][0]["file"].as_str().unwrap(),
        ];
        assert!(
            places.contains(&copy) && places.contains(&original_file.as_str()),
            "{d}"
        );
        assert!(d["line"].as_u64().unwrap() > 0 && d["related"][0]["line"].as_u64().unwrap() > 0);
    }
}

#[test]
fn infusion_pump_builds_a_clean_package() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("package");
    dossier()
        .arg("build")
        .arg(pump())
        .arg("--out")
        .arg(&target)
        .assert()
        .success();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&target) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "md" || e == "html") {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(
                !text.contains("DRAFT"),
                "{} carries a DRAFT mark",
                path.display()
            );
            assert!(
                !text.contains("MISSING"),
                "{} carries a MISSING mark",
                path.display()
            );
            pages += 1;
        }
    }
    assert!(pages >= 26);
    let traceability = std::fs::read_to_string(target.join("md/traceability.md")).unwrap();
    let project = dossier::load::load(&pump()).unwrap().project;
    for threat in &project.threats {
        assert!(
            traceability.contains(&format!(
                "[{}](threat-model.md#{})",
                threat.id.value, threat.id.value
            )),
            "{} not traced",
            threat.id.value
        );
    }
    let sbom = std::fs::read_to_string(target.join("md/sbom.md")).unwrap();
    for component in project.inventory.components.iter().take(10) {
        assert!(
            sbom.contains(&component.name),
            "{} not in the SBOM document",
            component.name
        );
    }
    assert!(target.join("pdf/submission.pdf").is_file());
    let exported = std::fs::read_dir(target.join("sbom")).unwrap().count();
    assert_eq!(
        exported, 1,
        "the machine-readable SBOM beside the documents"
    );
}
