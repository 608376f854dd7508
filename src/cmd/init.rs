//! `dossier init`: write a new project that loads cleanly, with commented examples.

use super::{OK, Outcome, print_stdout};
use crate::cli::InitArgs;
use std::path::Path;
use std::process::ExitCode;

/// The files of a new project: (path relative to the project, content).
const FILES: &[(&str, &str)] = &[
    (
        "dossier.yaml",
        include_str!("../../templates/init/dossier.yaml"),
    ),
    (
        "architecture.yaml",
        include_str!("../../templates/init/architecture.yaml"),
    ),
    (
        "threats.yaml",
        include_str!("../../templates/init/threats.yaml"),
    ),
    (
        "controls.yaml",
        include_str!("../../templates/init/controls.yaml"),
    ),
    (
        "tests.yaml",
        include_str!("../../templates/init/tests.yaml"),
    ),
    ("sbom.yaml", include_str!("../../templates/init/sbom.yaml")),
    (
        "labeling.yaml",
        include_str!("../../templates/init/labeling.yaml"),
    ),
    ("plan.yaml", include_str!("../../templates/init/plan.yaml")),
];

pub fn execute(args: &InitArgs) -> Outcome {
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        return Err(format!(
            "`{}` is a file, not a folder; give `dossier init` a folder (new or empty)",
            dir.display()
        )
        .into());
    }
    let schemas = dossier::schema::schemas();
    let mut planned: Vec<(String, String)> = FILES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    for (name, text) in schemas {
        planned.push((format!(".schemas/{name}"), text));
    }
    // Refuse before writing anything, so a refused init changes nothing.
    let existing: Vec<&str> = planned
        .iter()
        .filter(|(name, _)| dir.join(name).exists())
        .map(|(name, _)| name.as_str())
        .collect();
    if !existing.is_empty() {
        return Err(format!(
            "not overwriting existing files in `{}`: {}",
            dir.display(),
            existing.join(", ")
        )
        .into());
    }
    for (name, text) in &planned {
        write_new(&dir.join(name), text)?;
    }
    print_stdout(&format!(
        "created a dossier project in `{}`\nnext: edit the YAML files, then run `dossier check {}`\n",
        dir.display(),
        dir.display()
    ))?;
    Ok(ExitCode::from(OK))
}

/// Creates a file that must not exist yet (`create_new` closes the race with another writer).
fn write_new(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}
