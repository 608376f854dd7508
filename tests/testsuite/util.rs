//! Shared helpers: run the real binary, write throwaway projects.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The crate root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// The `dossier` binary built for this test run.
pub fn dossier() -> Command {
    let mut cmd = Command::cargo_bin("dossier").expect("the dossier binary is built");
    cmd.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    cmd
}

/// A dossier.yaml with everything required and nothing else.
pub const MINIMAL: &str = "\
device:
  name: Test Device
  model: TD-1
  manufacturer: Test Co.
  intended_use: Testing the checker.
  use_environment: A test bench.
release:
  version: 1.0.0
  revision: A
submission:
  type: 510k
document_date: 2026-01-15
";

/// A temporary project: `dossier.yaml` (MINIMAL unless given) plus the given files.
pub fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if !files.iter().any(|(name, _)| *name == "dossier.yaml") {
        write(dir.path(), "dossier.yaml", MINIMAL);
    }
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    dir
}

pub fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dirs");
    }
    std::fs::write(path, text).expect("write file");
}

/// Copies a folder tree (for editing a copy of an example).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("below root");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Runs `dossier check DIR --format json` and returns the exit code and the document.
pub fn check_json(dir: &Path) -> (i32, Value) {
    let output = dossier()
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .expect("runs");
    let code = output.status.code().expect("exit code");
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "check --format json printed invalid JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (code, doc)
}

/// The findings of a check document.
pub fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"].as_array().expect("findings array")
}

/// Findings with a given code.
pub fn with_code<'a>(doc: &'a Value, code: &str) -> Vec<&'a Value> {
    findings(doc).iter().filter(|f| f["code"] == code).collect()
}

/// Loads and checks a project in-process, returning all findings.
pub fn check_lib(dir: &Path) -> Vec<dossier::Finding> {
    let loaded = dossier::load::load(dir).expect("project loads");
    let mut findings = loaded.findings;
    findings.extend(dossier::check::check(&loaded.project).findings);
    findings
}

/// A file of the shared third-party test data (read in place, never copied into the repo).
pub fn shared_data(rel: &str) -> PathBuf {
    let path = root().join("../shared/data").join(rel);
    assert!(path.exists(), "test data missing: {}", path.display());
    path
}

/// A validator for the official CycloneDX 1.6 JSON schema (with its local references).
pub fn cyclonedx_16_validator() -> jsonschema::Validator {
    struct LocalSchemas(PathBuf);
    impl jsonschema::Retrieve for LocalSchemas {
        fn retrieve(
            &self,
            uri: &jsonschema::Uri<String>,
        ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
            let name = uri.as_str().rsplit('/').next().unwrap_or_default();
            let text = std::fs::read_to_string(self.0.join(name))?;
            Ok(serde_json::from_str(&text)?)
        }
    }
    let dir = shared_data("cyclonedx-specification/schema");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("bom-1.6.schema.json")).unwrap())
            .unwrap();
    jsonschema::options()
        .with_retriever(LocalSchemas(dir))
        .should_validate_formats(true)
        .build(&schema)
        .expect("the CycloneDX schema builds")
}
