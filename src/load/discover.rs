//! Finding the content files of a project: every `.yaml`/`.yml` below the root, in a stable
//! order, skipping hidden folders, the output folder and excluded paths, and never following a
//! symlink out of the project.

use crate::finding::{Finding, Location};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A content file: its path on disk and relative to the root (`/`-separated).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ContentPath {
    pub rel: String,
    pub path: PathBuf,
}

/// `root` must be canonical. `skip` holds canonical paths of folders or files to leave out.
pub fn discover(root: &Path, skip: &[PathBuf]) -> (Vec<ContentPath>, Vec<Finding>) {
    let problems = RefCell::new(Vec::new());
    let mut files = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            if entry.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            let path = entry.path();
            // Only a symlink can lead out of the project; ordinary entries are below the root.
            let real = if entry.path_is_symlink() {
                match std::fs::canonicalize(path) {
                    Ok(real) => real,
                    // A link to a file dossier would not read anyway is none of its business
                    // (a broken link without an extension may have been a folder: reported).
                    Err(_) if is_other_file(path) => return false,
                    Err(e) => {
                        problems.borrow_mut().push(
                            Finding::new(
                                "L006",
                                format!("`{}` is a broken symlink: {e}", relative(root, path)),
                            )
                            .at(Some(Location::file(relative(root, path))))
                            .help("fix or remove the link"),
                        );
                        return false;
                    }
                }
            } else {
                path.to_path_buf()
            };
            if !real.starts_with(root) {
                if real.is_file() && !is_yaml(path) {
                    return false;
                }
                problems.borrow_mut().push(
                    Finding::new(
                        "L006",
                        format!(
                            "`{}` is a symlink to `{}`, outside the project; it is not followed",
                            relative(root, path),
                            real.display()
                        ),
                    )
                    .at(Some(Location::file(relative(root, path))))
                    .help("copy the content into the project, or remove the link"),
                );
                return false;
            }
            !skip
                .iter()
                .any(|s| real.starts_with(s) || path.starts_with(s))
        });
    for entry in walker {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_file() || entry.depth() == 0 {
                    continue;
                }
                if !is_yaml(entry.path()) {
                    continue;
                }
                let rel = relative(root, entry.path());
                if rel == "dossier.yaml" {
                    continue;
                }
                // A file reached directly and through symlinks is read once, under its own
                // path, so findings point at the real file.
                let real = std::fs::canonicalize(entry.path())
                    .unwrap_or_else(|_| entry.path().to_path_buf());
                let content = ContentPath {
                    rel,
                    path: entry.path().to_path_buf(),
                };
                match seen.get(&real) {
                    Some(&index) if entry.path() == real.as_path() => files[index] = content,
                    Some(_) => {}
                    None => {
                        seen.insert(real, files.len());
                        files.push(content);
                    }
                }
            }
            Err(error) => {
                // walkdir fails on a broken link it was asked to follow: only YAML matters.
                if let Some(path) = error.path()
                    && error.loop_ancestor().is_none()
                    && path.is_symlink()
                    && is_other_file(path)
                {
                    continue;
                }
                let path = error.path().map(|p| relative(root, p)).unwrap_or_default();
                let finding = if let Some(ancestor) = error.loop_ancestor() {
                    Finding::new(
                        "L006",
                        format!(
                            "`{path}` is a symlink loop: it leads back to {}; it is not followed",
                            match relative(root, ancestor) {
                                r if r.is_empty() => "the project root".to_string(),
                                r => format!("`{r}`"),
                            }
                        ),
                    )
                    .help("remove the link or point it somewhere that does not contain it")
                } else if error.path().is_some_and(|p| p.is_symlink() && !p.exists()) {
                    Finding::new("L006", format!("`{path}` is a broken symlink"))
                        .help("fix or remove the link")
                } else {
                    let reason = error
                        .io_error()
                        .map(crate::io_reason)
                        .unwrap_or_else(|| error.to_string());
                    Finding::new("L006", format!("cannot read `{path}`: {reason}"))
                        .help("check the folder's permissions")
                };
                problems
                    .borrow_mut()
                    .push(finding.at(Some(Location::file(path))));
            }
        }
    }
    files.sort();
    (files, problems.into_inner())
}

/// Whether a name says it is a file dossier does not read: it has an extension, not YAML.
fn is_other_file(path: &Path) -> bool {
    path.extension().is_some() && !is_yaml(path)
}

/// Whether a file name says YAML (`.yaml` or `.yml`, any case).
fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
