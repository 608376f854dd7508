//! The command line: init, check, schema, catalog; exit codes; output shapes.

use crate::util::*;
use predicates::prelude::*;

#[test]
fn init_then_check_has_no_loader_errors() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new");
    dossier().arg("init").arg(&target).assert().success();
    let (code, doc) = check_json(&target);
    // The new project is incomplete (exit 1) but every file loads.
    assert_eq!(code, 1);
    for finding in findings(&doc) {
        let code = finding["code"].as_str().unwrap();
        assert!(
            !code.starts_with('L') && !code.starts_with('R'),
            "loader finding on a fresh project: {finding}"
        );
    }
}

/// A content file of `init` with its commented examples switched on: every comment line after
/// the header loses its `#`, and a `key: []` or `key: {}` that examples follow loses its
/// empty value.
fn uncomment(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut in_header = true;
    for line in text.lines() {
        if in_header {
            in_header = !line.trim().is_empty();
            lines.push(line.to_string());
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix('#') {
            let indent = &line[..line.len() - trimmed.len()];
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            // The key the examples belong to is no longer empty.
            if let Some(last) = lines.iter_mut().rev().find(|l| !l.trim().is_empty())
                && (last.ends_with(": []") || last.ends_with(": {}"))
            {
                last.truncate(last.len() - 3);
            }
            lines.push(format!("{indent}{rest}"));
        } else {
            lines.push(line.to_string());
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn init_examples_load_when_uncommented() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new");
    dossier().arg("init").arg(&target).assert().success();
    for entry in std::fs::read_dir(&target).unwrap() {
        let path = entry.unwrap().path();
        let is_content = path.extension().is_some_and(|e| e == "yaml")
            && path.file_name().is_some_and(|n| n != "dossier.yaml");
        if is_content {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, uncomment(&text)).unwrap();
        }
    }
    let (_, doc) = check_json(&target);
    let loader: Vec<&serde_json::Value> = findings(&doc)
        .iter()
        .filter(|f| {
            f["code"]
                .as_str()
                .is_some_and(|c| c.starts_with(['L', 'R']))
        })
        .collect();
    assert!(loader.is_empty(), "{loader:#?}");
}

#[test]
fn init_refuses_to_overwrite() {
    let dir = project(&[]);
    let before = std::fs::read_to_string(dir.path().join("dossier.yaml")).unwrap();
    dossier()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not overwriting"));
    // Nothing was written, not even the files that did not exist.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dossier.yaml")).unwrap(),
        before
    );
    assert!(!dir.path().join("architecture.yaml").exists());
}

#[test]
fn check_json_has_the_promised_shape() {
    let dir = project(&[("threats.yaml", "threats:\n  - id: T-1\n    titel: x\n")]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let finding = findings(&doc)
        .iter()
        .find(|f| f["code"] == "L008")
        .expect("unknown field finding");
    for key in [
        "code", "severity", "message", "file", "line", "column", "help", "guidance",
    ] {
        assert!(finding.get(key).is_some(), "missing key {key} in {finding}");
    }
    assert_eq!(finding["file"], "threats.yaml");
    assert_eq!(finding["line"], 3);
    assert_eq!(finding["column"], 5);
    assert_eq!(finding["severity"], "error");
    assert!(finding["help"].as_str().unwrap().contains("title"));
    let summary = &doc["summary"];
    let total = summary["errors"].as_u64().unwrap()
        + summary["warnings"].as_u64().unwrap()
        + summary["notes"].as_u64().unwrap();
    assert_eq!(total as usize, findings(&doc).len());
    assert!(doc["coverage"]["categories"].as_array().unwrap().len() == 8);
}

#[test]
fn exit_code_two_for_unreadable_projects_and_bad_arguments() {
    dossier()
        .args(["check", "/definitely/not/here"])
        .assert()
        .code(2);
    let empty = tempfile::tempdir().unwrap();
    dossier()
        .arg("check")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dossier init"));
    dossier()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
    dossier().args(["frobnicate"]).assert().code(2);
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    // An orphan control is a warning only.
    let dir = project(&[(
        "controls.yaml",
        "controls:\n  - id: C-1\n    title: Orphan\n    description: Not linked to any risk at all.\n",
    )]);
    let warnings_only = |doc: &serde_json::Value| {
        findings(doc)
            .iter()
            .any(|f| f["code"] == "T003" && f["severity"] == "warning")
    };
    let (_, doc) = check_json(dir.path());
    assert!(warnings_only(&doc));
    dossier()
        .args(["check", "--deny", "warnings"])
        .arg(dir.path())
        .assert()
        .code(1);
}

#[test]
fn help_reads_like_a_manual_for_every_command() {
    for command in ["init", "check", "schema", "catalog"] {
        dossier()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: dossier"));
    }
    dossier()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit status"));
}

#[test]
fn human_output_shows_the_source_line() {
    let dir = project(&[(
        "risks.yaml",
        "risks:\n  - id: R-1\n    title: A risk\n    threats: [T-9]\n    severity: minor\n    before: { exploitability: low }\n",
    )]);
    dossier()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[R002]"))
        .stdout(predicate::str::contains("--> risks.yaml:4:15"))
        .stdout(predicate::str::contains("4 |     threats: [T-9]"));
}

#[test]
fn schema_writes_both_schemas() {
    let dir = tempfile::tempdir().unwrap();
    dossier()
        .args(["schema", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    for name in ["dossier.schema.json", "content.schema.json"] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let _: serde_json::Value = serde_json::from_str(&text).unwrap();
    }
}
