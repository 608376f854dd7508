//! Reading a project folder into the model, reporting every problem with its location.
//!
//! Order: `dossier.yaml` first (it says what to skip), then every other YAML file in path order.
//! Nothing here stops at the first problem; each file, key and item is read on its own.

mod assemble;
pub mod discover;
pub mod node_de;
pub mod read;
mod resolve;
mod supply;
pub mod yaml;

use crate::finding::{Finding, Location};
use crate::model::Project;
use crate::source::FileId;
use assemble::Assembler;
use std::path::{Path, PathBuf};
use yaml::ParseErrorKind;

/// The name of the project file at the root of every project.
pub const PROJECT_FILE: &str = "dossier.yaml";

/// A loaded project and everything that was wrong with it.
#[derive(Debug)]
pub struct Loaded {
    pub project: Project,
    pub findings: Vec<Finding>,
}

/// Why a folder could not be read as a project at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("`{0}` does not exist")]
    NotFound(PathBuf),
    #[error("`{0}` is not a folder")]
    NotADirectory(PathBuf),
    #[error("`{0}` has no {PROJECT_FILE}; run `dossier init {0}` to start a project there")]
    NoProjectFile(PathBuf),
    #[error("`{0}` has no {PROJECT_FILE}, but it has `{1}`: the name must be all lower case")]
    ProjectFileCase(PathBuf, String),
    #[error("`{0}` is not a file; {PROJECT_FILE} must be the project's settings file")]
    ProjectFileNotAFile(PathBuf),
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Loads the project in `root`.
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    if !root.exists() {
        return Err(LoadError::NotFound(root.to_path_buf()));
    }
    if !root.is_dir() {
        return Err(LoadError::NotADirectory(root.to_path_buf()));
    }
    let root = std::fs::canonicalize(root).map_err(|source| LoadError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let project_file = root.join(PROJECT_FILE);
    match std::fs::metadata(&project_file) {
        Ok(meta) if meta.is_file() => {}
        Ok(_) => return Err(LoadError::ProjectFileNotAFile(project_file)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            // `Dossier.yaml` on a case-sensitive file system.
            let other_case = std::fs::read_dir(&root).ok().and_then(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .find(|name| name.eq_ignore_ascii_case(PROJECT_FILE))
            });
            return Err(match other_case {
                Some(name) => LoadError::ProjectFileCase(root, name),
                None => LoadError::NoProjectFile(root),
            });
        }
        Err(source) => {
            return Err(LoadError::Io {
                path: project_file,
                source,
            });
        }
    }

    let mut assembler = Assembler::new(Project {
        root: root.clone(),
        ..Project::default()
    });

    if let Some((file, tree)) = parse_file(&mut assembler, &project_file, PROJECT_FILE) {
        assembler.settings(file, &tree);
        assembler.content(file, &tree, true);
    }

    let skip = skipped_paths(&root, &assembler.project.settings);
    let (files, problems) = discover::discover(&root, &skip);
    assembler.findings.extend(problems);
    for content in files {
        if let Some((file, tree)) = parse_file(&mut assembler, &content.path, &content.rel) {
            assembler.content(file, &tree, false);
        }
    }
    assembler.finish_sections();

    let mut findings = assembler.findings;
    let mut project = assembler.project;
    supply::read(&mut project, &mut findings);
    // A view's diagram must be a file of the project, or the package shows its caption alone.
    for file in project
        .views
        .iter()
        .filter_map(|v| v.diagram.as_ref()?.file.as_ref())
    {
        supply::resolve(&project, file, &mut findings);
    }
    findings.extend(resolve::resolve(&project));
    Ok(Loaded { project, findings })
}

/// Reads a YAML data file compiled into the binary (the guidance and MDS2 catalogs) into `T`,
/// strictly: any problem, unknown fields included, is an error naming the file, line and column.
pub fn read_embedded<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T, String> {
    let tree = yaml::parse(text, crate::source::FileId(0))
        .map_err(|e| format!("{name}:{}:{}: {}", e.line, e.column, e.message))?;
    let ctx = node_de::Context::default();
    let value = node_de::from_node(&tree, &ctx).map_err(|e| {
        let pos = e.pos.unwrap_or_default();
        format!(
            "{name}:{}:{}: {} ({})",
            pos.line,
            pos.column,
            e.message,
            e.path_text()
        )
    })?;
    if let Some(unknown) = ctx.take_unknown().first() {
        return Err(format!(
            "{name}:{}:{}: unknown field `{}`",
            unknown.pos.line, unknown.pos.column, unknown.name
        ));
    }
    Ok(value)
}

/// Reads and parses one file; on failure, records the finding and returns `None`.
fn parse_file(assembler: &mut Assembler, path: &Path, rel: &str) -> Option<(FileId, yaml::Node)> {
    let text = match read::read_text(path, rel) {
        Ok(text) => text,
        Err(finding) => {
            assembler
                .project
                .sources
                .add(rel.to_string(), String::new());
            assembler.findings.push(*finding);
            return None;
        }
    };
    let file = assembler.project.sources.add(rel.to_string(), text);
    let text = assembler.project.sources.text(file);
    match yaml::parse(text, file) {
        // An empty dossier.yaml still reads as an empty mapping, so its missing settings are
        // reported one by one; deleting it, as the advice for other files says, is no way out.
        Ok(tree) if tree.is_null() && rel == PROJECT_FILE => {
            assembler.findings.push(
                Finding::new("L003", format!("`{rel}` is empty"))
                    .at(Some(Location::file(rel)))
                    .help("dossier.yaml holds the project settings (`device`, `release`, `submission`, ...); `dossier init` in an empty folder writes a complete one to start from"),
            );
            Some((file, yaml::Node::mapping(tree.pos, Vec::new())))
        }
        Ok(tree) if tree.is_null() => {
            assembler.findings.push(
                Finding::new("L003", format!("`{rel}` is empty"))
                    .at(Some(Location::file(rel)))
                    .help("add content (for example `threats:` with a list of items) or delete the file"),
            );
            None
        }
        Ok(tree) => Some((file, tree)),
        Err(error) => {
            let code = match error.kind {
                ParseErrorKind::Syntax => "L001",
                ParseErrorKind::Budget => "L005",
            };
            let help = match error.kind {
                ParseErrorKind::Syntax => {
                    "fix the YAML at this point; a YAML linter or an editor with the dossier schema shows the problem as you type"
                }
                ParseErrorKind::Budget => {
                    "flatten the structure or remove the aliases; dossier files never need this much nesting or repetition"
                }
            };
            let line_text = text
                .lines()
                .nth(error.line.saturating_sub(1) as usize)
                .unwrap_or("");
            let len = if error.column > 0 && (error.column as usize) <= line_text.chars().count() {
                1
            } else {
                0
            };
            assembler.findings.push(
                Finding::new(code, format!("`{rel}`: {}", error.message))
                    .at(Some(Location {
                        file: rel.to_string(),
                        line: error.line,
                        column: error.column,
                        len,
                    }))
                    .help(help),
            );
            None
        }
    }
}

/// The output folder and `exclude:` entries, as canonical paths where they exist.
fn skipped_paths(root: &Path, settings: &crate::model::Settings) -> Vec<PathBuf> {
    let out = settings
        .output
        .dir
        .as_ref()
        .map(|d| d.value.clone())
        .unwrap_or_else(|| "out".to_string());
    let mut skip = Vec::new();
    for rel in std::iter::once(out).chain(settings.exclude.iter().cloned()) {
        let path = root.join(&rel);
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        // Never skip the whole project (an output folder of `.` is rejected by build).
        if path != root && !root.starts_with(&path) {
            skip.push(path);
        }
    }
    skip
}
