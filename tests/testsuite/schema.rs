//! The JSON Schemas: generated from the model, committed in schemas/, and every example file
//! validates against them (as editors do with the `# yaml-language-server: $schema=` line).

use crate::util::*;
use serde_json::Value;

#[test]
fn committed_schemas_are_up_to_date() {
    for (name, text) in dossier::schema::schemas() {
        let committed =
            std::fs::read_to_string(root().join("schemas").join(name)).unwrap_or_default();
        assert!(
            committed == text,
            "schemas/{name} is stale: run `cargo run -- schema --out schemas` and commit the result"
        );
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("schemas").join(name)).unwrap())
            .unwrap();
    jsonschema::validator_for(&schema).expect("schema compiles")
}

#[test]
fn every_example_file_validates_against_its_schema() {
    let project_schema = validator("dossier.schema.json");
    let content_schema = validator("content.schema.json");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(root().join("examples")).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if !is_yaml
            || path
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let first = text.lines().next().unwrap_or("");
        assert!(
            first.starts_with("# yaml-language-server: $schema="),
            "{} lacks the schema line",
            path.display()
        );
        let is_project_file = path.file_name().is_some_and(|n| n == "dossier.yaml");
        let expected = if is_project_file {
            "dossier.schema.json"
        } else {
            "content.schema.json"
        };
        let schema_path = path
            .parent()
            .unwrap()
            .join(first.trim_start_matches("# yaml-language-server: $schema="));
        assert!(
            schema_path.ends_with(expected),
            "{} points at {}",
            path.display(),
            schema_path.display()
        );
        assert!(
            schema_path.is_file(),
            "{}: the schema path {} does not exist",
            path.display(),
            schema_path.display()
        );
        let node = dossier::load::yaml::parse(&text, dossier::source::FileId(0)).unwrap();
        let json = node.to_json();
        let validator = if is_project_file {
            &project_schema
        } else {
            &content_schema
        };
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} example files found");
}

#[test]
fn init_files_validate_too() {
    let dir = tempfile::tempdir().unwrap();
    dossier().arg("init").arg(dir.path()).assert().success();
    let content_schema = validator("content.schema.json");
    for name in [
        "architecture.yaml",
        "threats.yaml",
        "controls.yaml",
        "tests.yaml",
        "sbom.yaml",
        "labeling.yaml",
        "plan.yaml",
    ] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let json = dossier::load::yaml::parse(&text, dossier::source::FileId(0))
            .unwrap()
            .to_json();
        assert!(content_schema.is_valid(&json), "{name}");
    }
    // The schemas `init` writes are the committed ones.
    for (name, text) in dossier::schema::schemas() {
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".schemas").join(name)).unwrap(),
            text
        );
    }
}

#[test]
fn every_code_is_documented_in_the_book() {
    let book = std::fs::read_to_string(root().join("book/src/checking.md")).unwrap();
    for info in dossier::check::codes::CODES {
        assert!(
            book.contains(info.code),
            "book/src/checking.md does not document {}",
            info.code
        );
    }
}
