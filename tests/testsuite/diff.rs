//! `dossier diff`: what changed between two versions of a project.

use crate::util::{MINIMAL, copy_tree, dossier, example, project, write};
use dossier::check::{self, Ctx, coverage};
use dossier::model::SupportSource;
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Runs `dossier diff --format json OLD NEW` and returns the exit code and the document.
fn diff_json(old: &Path, new: &Path, extra: &[&str]) -> (i32, Value) {
    let output = dossier()
        .args(["diff", "--format", "json"])
        .args(extra)
        .arg(old)
        .arg(new)
        .output()
        .expect("runs");
    let doc = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "diff --format json printed invalid JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().expect("exit code"), doc)
}

/// `(kind, id, change)` of every change, in output order.
fn changes(doc: &Value) -> Vec<(String, String, String)> {
    doc["changes"]
        .as_array()
        .expect("changes array")
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["id"].as_str().unwrap().to_string(),
                c["change"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The fields of the change of a kind and ID, as `(field, old, new)`.
fn fields(doc: &Value, kind: &str, id: &str) -> Vec<(String, Value, Value)> {
    let change = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind && c["id"] == id)
        .unwrap_or_else(|| panic!("no change {kind} {id} in {doc:#}"));
    change["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["old"].clone(),
                f["new"].clone(),
            )
        })
        .collect()
}

fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v.as_str().expect("string").to_string())
        .collect()
}

/// Required Appendix 1 recommendations a project leaves missing, per the check's coverage.
fn missing(dir: &Path) -> BTreeSet<String> {
    let loaded = dossier::load::load(dir).expect("loads");
    check::check(&loaded.project)
        .coverage
        .categories
        .into_iter()
        .flat_map(|c| c.missing_ids)
        .collect()
}

/// Removes the list item `- id: ID` (and everything indented below it) from a YAML text.
fn remove_item(text: &str, id: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == format!("- id: {id}"))
        .unwrap_or_else(|| panic!("no `- id: {id}` line"));
    let indent = lines[start].len() - lines[start].trim_start().len();
    let end = (start + 1..lines.len())
        .find(|&i| {
            let line = lines[i];
            !line.trim().is_empty() && line.len() - line.trim_start().len() <= indent
        })
        .unwrap_or(lines.len());
    let mut kept: Vec<&str> = lines[..start].to_vec();
    kept.extend(&lines[end..]);
    kept.join("\n") + "\n"
}

/// Sets `version` (and the version in `purl`) of the component named `name` in a CycloneDX
/// JSON document, wherever it is nested.
fn upgrade(value: &mut Value, name: &str, old: &str, new: &str) -> bool {
    match value {
        Value::Object(map) => {
            if map.get("name").and_then(Value::as_str) == Some(name)
                && map.get("version").and_then(Value::as_str) == Some(old)
            {
                map.insert("version".into(), Value::String(new.into()));
                if let Some(Value::String(purl)) = map.get_mut("purl") {
                    *purl = purl.replace(&format!("@{old}"), &format!("@{new}"));
                }
                return true;
            }
            map.values_mut().any(|v| upgrade(v, name, old, new))
        }
        Value::Array(items) => items.iter_mut().any(|v| upgrade(v, name, old, new)),
        _ => false,
    }
}

/// The done criterion: `dossier diff` of examples/infusion-pump against a copy with one
/// control removed and one SBOM component upgraded lists exactly those changes, and the
/// coverage that changed with them.
///
/// "Exactly" means:
/// - `changes` holds two entries and no more: the control as `removed`, and the component as
///   `changed` (keyed by its purl without version) with exactly the fields `version` and `purl`,
///   each with its old and new value. Risks that list the control and tests that verify it are
///   not changes: their YAML still names the ID (the now dangling reference is a loader finding
///   of the new side, which shows in its error count, not in the diff). Components that
///   reference the old version are not changes either, for the same reason.
/// - `coverage.newly_missing` is exactly the set of recommendations the check reports missing
///   in the copy but not in the example (those only the removed control addressed), and
///   nothing is newly covered. Every recommendation listed under `coverage.recommendations`
///   lost the removed control, and nothing else.
///
/// The control and the component are picked from the example as it is (it is still being
/// written): a control that alone addresses a recommendation, if there is one, and a component
/// of a CycloneDX file whose support data is not matched by version from `sbom.support`.
#[test]
fn example_with_a_control_removed_and_a_component_upgraded() {
    let original = example("infusion-pump");
    let loaded = dossier::load::load(&original).expect("the example loads");
    let project = &loaded.project;

    // The control: prefer one that alone addresses some required recommendation.
    let (catalog, _) = check::edition_of(project);
    let ctx = Ctx::new(project, catalog);
    let addressed = coverage::addressed_by(&ctx);
    let sole = |id: &str| {
        addressed.iter().any(|(rec, controls)| {
            controls.as_slice() == [id]
                && catalog.get(rec).is_some_and(|e| e.coverage_required())
                && ctx.not_applicable(rec).is_none()
        })
    };
    let control = project
        .controls
        .iter()
        .find(|c| sole(&c.id))
        .or(project.controls.first())
        .expect("the example has controls");
    let control_id = control.id.value.clone();
    let control_file = project.sources.path(control.id.pos.file).to_string();

    // The component: in a CycloneDX JSON file, with a purl carrying its version, and support
    // data that does not come from an entry matched by version.
    let component = project
        .inventory
        .components
        .iter()
        .find(|c| {
            c.location.file.ends_with(".cdx.json")
                && c.support_source != Some(SupportSource::Overlay)
                && match (&c.purl, &c.version) {
                    (Some(purl), Some(version)) => purl.contains(&format!("@{version}")),
                    _ => false,
                }
        })
        .expect("the example has a CycloneDX component with a versioned purl");
    let name = component.name.clone();
    let old_version = component.version.clone().unwrap();
    let new_version = format!("{old_version}.1");
    let old_purl = component.purl.clone().unwrap();
    let new_purl = old_purl.replace(&format!("@{old_version}"), &format!("@{new_version}"));
    let key = {
        let base = old_purl.split(['?', '#']).next().unwrap();
        base[..base.rfind('@').unwrap()].to_string()
    };

    let copy = tempfile::tempdir().unwrap();
    copy_tree(&original, copy.path());
    let yaml = copy.path().join(&control_file);
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, remove_item(&text, &control_id)).unwrap();
    let sbom = copy.path().join(&component.location.file);
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&sbom).unwrap()).unwrap();
    assert!(upgrade(&mut doc, &name, &old_version, &new_version));
    std::fs::write(&sbom, serde_json::to_string_pretty(&doc).unwrap()).unwrap();

    let (code, diff) = diff_json(&original, copy.path(), &[]);
    assert_eq!(code, 0, "changes without --fail-on-changes exit 0");
    assert_eq!(
        changes(&diff),
        vec![
            ("control".into(), control_id.clone(), "removed".into()),
            ("sbom-component".into(), key.clone(), "changed".into()),
        ]
    );
    assert_eq!(
        fields(&diff, "sbom-component", &key),
        vec![
            (
                "version".into(),
                old_version.clone().into(),
                new_version.clone().into()
            ),
            ("purl".into(), old_purl.into(), new_purl.into()),
        ]
    );
    assert_eq!(diff["summary"]["removed"], 1);
    assert_eq!(diff["summary"]["changed"], 1);
    assert_eq!(diff["summary"]["added"], 0);

    let expected_missing: BTreeSet<String> = missing(copy.path())
        .difference(&missing(&original))
        .cloned()
        .collect();
    let coverage = &diff["coverage"];
    assert_eq!(strings(&coverage["newly_missing"]), expected_missing);
    assert!(strings(&coverage["newly_covered"]).is_empty());
    for rec in coverage["recommendations"].as_array().unwrap() {
        let before = strings(&rec["old_controls"]);
        let mut after = strings(&rec["new_controls"]);
        after.insert(control_id.clone());
        assert_eq!(before, after, "only {control_id} left {rec}");
    }
    if sole(&control_id) {
        assert!(!expected_missing.is_empty());
        let changed: Vec<&Value> = coverage["categories"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["changed"] == true)
            .collect();
        assert!(!changed.is_empty());
        for category in changed {
            assert_eq!(
                category["new"]["missing"].as_u64().unwrap(),
                category["old"]["missing"].as_u64().unwrap()
                    + coverage["newly_missing"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|id| {
                            coverage["recommendations"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .any(|r| r["id"] == **id && r["category"] == category["id"])
                        })
                        .count() as u64
            );
        }
    }

    // The same in words.
    let human = dossier()
        .args(["diff"])
        .arg(&original)
        .arg(copy.path())
        .output()
        .unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains(&format!("- {control_id}")), "{text}");
    assert!(text.contains(&format!("~ {key}")), "{text}");
    assert!(
        text.contains(&format!("version: {old_version} -> {new_version}")),
        "{text}"
    );
    for id in &expected_missing {
        assert!(text.contains(id.as_str()), "{id} in {text}");
    }
    assert!(
        text.contains("2 changes: 0 added, 1 removed, 1 changed"),
        "{text}"
    );

    dossier()
        .args(["diff", "--fail-on-changes"])
        .arg(&original)
        .arg(copy.path())
        .assert()
        .code(1);
}

#[test]
fn identical_projects_have_no_changes() {
    let original = example("infusion-pump");
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&original, copy.path());
    dossier()
        .args(["diff", "--fail-on-changes"])
        .arg(&original)
        .arg(copy.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no changes"));
    let (code, doc) = diff_json(&original, copy.path(), &["--fail-on-changes"]);
    assert_eq!(code, 0);
    assert!(doc["changes"].as_array().unwrap().is_empty());
    assert!(
        doc["coverage"]["recommendations"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(doc["summary"]["identical"], true);
}

const CONTROLS: &str = "\
controls:
  - id: C-1
    title: Mutual TLS
    description: Both ends authenticate with certificates.
    kind: design
    addresses: [AUTHN-1]
";

const TESTS: &str = "\
tests:
  - id: TST-1
    title: TLS negative cases
    kind: security-requirements
    verifies: [C-1]
    result: pass-with-findings
    findings:
      - id: TF-1
        title: Weak cipher offered
        severity: low
";

#[test]
fn json_has_the_documented_shape_and_field_details() {
    let old = project(&[
        ("controls.yaml", CONTROLS),
        ("tests.yaml", TESTS),
        (
            "sbom.yaml",
            "sbom:\n  components:\n    - name: zlib\n      version: 1.3.1\n      supplier: zlib project\n      purl: pkg:generic/zlib@1.3.1\n      support: actively-maintained\n      end_of_support: 2030-01-01\n",
        ),
        (
            "labeling.yaml",
            "labeling:\n  updates: Updates come from the service portal.\n",
        ),
    ]);
    let new = project(&[
        (
            "dossier.yaml",
            &MINIMAL.replace("version: 1.0.0", "version: 1.1.0"),
        ),
        (
            "controls.yaml",
            &CONTROLS.replace("title: Mutual TLS", "title: Mutual TLS 1.3"),
        ),
        (
            "tests.yaml",
            &TESTS.replace("severity: low", "severity: medium"),
        ),
        (
            "sbom.yaml",
            "sbom:\n  components:\n    - name: zlib\n      version: 1.3.1\n      supplier: zlib project\n      purl: pkg:generic/zlib@1.3.1\n      support: no-longer-maintained\n      end_of_support: 2027-06-30\n      justification: Upstream ends support of the 1.3 line in 2027.\n",
        ),
        (
            "labeling.yaml",
            "labeling:\n  updates: Updates come from the service portal.\n  decommissioning: Wipe the device with the service tool.\n",
        ),
        (
            "threats.yaml",
            "threats:\n  - id: T-1\n    title: Spoofed server\n    stride: [spoofing]\n    targets: []\n    attack_vector: network\n",
        ),
        (
            "na.yaml",
            "not_applicable:\n  - id: AUTHN-9\n    rationale: The device has no user accounts of its own.\n",
        ),
    ]);

    let (code, doc) = diff_json(old.path(), new.path(), &[]);
    assert_eq!(code, 0);
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["old", "new", "changes", "coverage", "summary"]);
    for side in ["old", "new"] {
        for key in [
            "source",
            "device",
            "release",
            "edition",
            "cyber_device",
            "findings",
        ] {
            assert!(doc[side].get(key).is_some(), "{side}.{key} in {doc:#}");
        }
    }
    assert_eq!(doc["old"]["release"]["version"], "1.0.0");
    assert_eq!(doc["new"]["release"]["version"], "1.1.0");
    for change in doc["changes"].as_array().unwrap() {
        let keys: Vec<&str> = change
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["kind", "id", "change", "title", "fields"]);
    }
    for key in [
        "newly_missing",
        "newly_covered",
        "recommendations",
        "categories",
    ] {
        assert!(doc["coverage"][key].is_array(), "coverage.{key}");
    }
    for key in ["added", "removed", "changed", "identical"] {
        assert!(doc["summary"].get(key).is_some(), "summary.{key}");
    }

    // Kind order, then ID order.
    assert_eq!(
        changes(&doc),
        vec![
            ("settings".into(), "settings".into(), "changed".into()),
            ("threat".into(), "T-1".into(), "added".into()),
            ("control".into(), "C-1".into(), "changed".into()),
            ("not-applicable".into(), "AUTHN-9".into(), "added".into()),
            ("test-finding".into(), "TF-1".into(), "changed".into()),
            (
                "sbom-component".into(),
                "pkg:generic/zlib".into(),
                "changed".into()
            ),
            ("labeling".into(), "labeling".into(), "changed".into()),
        ]
    );
    assert_eq!(
        fields(&doc, "settings", "settings"),
        vec![("release.version".into(), "1.0.0".into(), "1.1.0".into())]
    );
    assert_eq!(
        fields(&doc, "control", "C-1"),
        vec![("title".into(), "Mutual TLS".into(), "Mutual TLS 1.3".into())]
    );
    assert_eq!(
        fields(&doc, "test-finding", "TF-1"),
        vec![("severity".into(), "low".into(), "medium".into())]
    );
    assert_eq!(
        fields(&doc, "sbom-component", "pkg:generic/zlib"),
        vec![
            (
                "support".into(),
                "actively-maintained".into(),
                "no-longer-maintained".into()
            ),
            (
                "end_of_support".into(),
                "2030-01-01".into(),
                "2027-06-30".into()
            ),
            (
                "justification".into(),
                Value::Null,
                "Upstream ends support of the 1.3 line in 2027.".into()
            ),
        ]
    );
    assert_eq!(
        fields(&doc, "labeling", "labeling"),
        vec![(
            "decommissioning".into(),
            Value::Null,
            "Wipe the device with the service tool.".into()
        )]
    );
    // AUTHN-9 was missing and is now declared not applicable.
    assert!(strings(&doc["coverage"]["newly_covered"]).contains("AUTHN-9"));
    assert_eq!(doc["summary"]["added"], 2);
    assert_eq!(doc["summary"]["changed"], 5);

    let output = dossier()
        .args(["diff", "--fail-on-changes"])
        .arg(old.path())
        .arg(new.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    for line in [
        "+ T-1  Spoofed server",
        "~ C-1  Mutual TLS 1.3",
        "title: Mutual TLS -> Mutual TLS 1.3",
        "release.version: 1.0.0 -> 1.1.0",
        "end_of_support: 2030-01-01 -> 2027-06-30",
        "decommissioning: (none) -> Wipe the device with the service tool.",
        "7 changes: 2 added, 0 removed, 5 changed",
    ] {
        assert!(text.contains(line), "`{line}` in:\n{text}");
    }
}

#[test]
fn loader_findings_on_a_side_do_not_stop_the_diff() {
    let old = project(&[("controls.yaml", CONTROLS)]);
    let new = project(&[("controls.yaml", CONTROLS), ("broken.yaml", "threats: [\n")]);
    let (code, doc) = diff_json(old.path(), new.path(), &["--fail-on-changes"]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["summary"]["identical"], true);
    assert!(
        doc["new"]["findings"]["errors"].as_u64().unwrap()
            > doc["old"]["findings"]["errors"].as_u64().unwrap()
    );
}

#[test]
fn unreadable_sides_and_wrong_arguments_exit_2() {
    let good = project(&[]);
    let empty = tempfile::tempdir().unwrap();
    dossier()
        .arg("diff")
        .arg(good.path())
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dossier.yaml"));
    dossier()
        .arg("diff")
        .arg(good.path().join("missing"))
        .arg(good.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    dossier().arg("diff").arg(good.path()).assert().code(2);
    dossier()
        .args(["diff", "--format", "xml"])
        .arg(good.path())
        .arg(good.path())
        .assert()
        .code(2);
    dossier()
        .args(["diff", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Usage: dossier diff").and(predicate::str::contains("--git")),
        );
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=dossier tests",
            "-c",
            "user.email=tests@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn git_revisions_of_one_project() {
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    write(repo.path(), "device/dossier.yaml", MINIMAL);
    write(repo.path(), "device/controls/controls.yaml", CONTROLS);
    write(repo.path(), "README.md", "not part of the project\n");
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "first"]);
    git(repo.path(), &["tag", "cleared"]);
    write(
        repo.path(),
        "device/controls/controls.yaml",
        &CONTROLS.replace("[AUTHN-1]", "[AUTHN-1, AUTHN-2]"),
    );
    git(repo.path(), &["commit", "-q", "-a", "-m", "second"]);

    // From the repository, naming the project folder.
    let output = dossier()
        .current_dir(repo.path())
        .args([
            "diff", "--format", "json", "--git", "cleared", "HEAD", "device",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["old"]["source"], "cleared:device");
    assert_eq!(doc["new"]["source"], "HEAD:device");
    assert_eq!(
        changes(&doc),
        vec![("control".into(), "C-1".into(), "changed".into())]
    );
    assert_eq!(
        fields(&doc, "control", "C-1"),
        vec![(
            "addresses".into(),
            serde_json::json!(["AUTHN-1"]),
            serde_json::json!(["AUTHN-1", "AUTHN-2"])
        )]
    );
    assert_eq!(
        strings(&doc["coverage"]["newly_covered"]),
        BTreeSet::from(["AUTHN-2".to_string()])
    );

    // From inside the project folder, with the path left out.
    dossier()
        .current_dir(repo.path().join("device"))
        .args(["diff", "--fail-on-changes", "--git", "HEAD~1", "HEAD"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("~ C-1").and(predicate::str::contains(
                "addresses: [AUTHN-1] -> [AUTHN-1, AUTHN-2]",
            )),
        );
    dossier()
        .current_dir(repo.path())
        .args(["diff", "--git", "HEAD", "HEAD", "device"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no changes"));

    // A bad revision is exit 2 with git's message.
    dossier()
        .current_dir(repo.path())
        .args(["diff", "--git", "no-such-tag", "HEAD", "device"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-tag").and(predicate::str::contains("fatal")));
    // A folder that is not a project at that revision, or not in a repository.
    dossier()
        .current_dir(repo.path())
        .args(["diff", "--git", "HEAD~1", "HEAD"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dossier.yaml"));
    let outside = tempfile::tempdir().unwrap();
    dossier()
        .current_dir(outside.path())
        .args(["diff", "--git", "HEAD~1", "HEAD"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("git"));
}
