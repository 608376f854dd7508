//! `dossier diff`: load and check two versions of a project (two folders, or two git revisions
//! extracted into temporary folders), compare them with the library, print the result.

use super::{FINDINGS, Failure, OK, Outcome, print_stdout};
use crate::cli::{DiffArgs, DiffFormat};
use dossier::diff::{self, ChangeKind, Diff, Kind, Side, Status, compact, shorten_pair};
use dossier::load::{LoadError, Loaded};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

pub fn execute(args: &DiffArgs, color: bool) -> Outcome {
    // The temporary folders live until the diff is made.
    let mut _extracted = Vec::new();
    let sides: [(String, PathBuf); 2] = match &args.git {
        None => match args.paths.as_slice() {
            [old, new] => [
                (old.display().to_string(), old.clone()),
                (new.display().to_string(), new.clone()),
            ],
            _ => {
                return Err(Failure(
                    "give two project folders, OLD and NEW (or --git REV1 REV2 [PATH])".into(),
                ));
            }
        },
        Some(revs) => {
            let path = match args.paths.as_slice() {
                [] => Path::new("."),
                [path] => path.as_path(),
                _ => {
                    return Err(Failure(
                        "with --git, give at most one PATH: the project folder in the repository"
                            .into(),
                    ));
                }
            };
            let repo = Repo::open(path)?;
            let (Some(rev1), Some(rev2)) = (revs.first(), revs.get(1)) else {
                return Err(Failure("--git takes two revisions, REV1 and REV2".into()));
            };
            let mut sides = Vec::new();
            for rev in [rev1, rev2] {
                let (dir, label) = repo.extract(rev)?;
                sides.push((label, dir.path().to_path_buf()));
                _extracted.push(dir);
            }
            let new = sides.pop();
            let old = sides.pop();
            match (old, new) {
                (Some(old), Some(new)) => [old, new],
                _ => return Err(Failure("--git takes two revisions".into())),
            }
        }
    };

    let [(old_label, old_dir), (new_label, new_dir)] = sides;
    let old = load(&old_dir, &old_label)?;
    let new = load(&new_dir, &new_label)?;
    let outcome = |loaded: &dossier::load::Loaded| {
        dossier::check::run(
            loaded,
            dossier::check::Options::for_project(&loaded.project),
        )
    };
    let (old_outcome, new_outcome) = (outcome(&old), outcome(&new));
    let result = diff::diff(
        Side {
            label: &old_label,
            project: &old.project,
            outcome: &old_outcome,
        },
        Side {
            label: &new_label,
            project: &new.project,
            outcome: &new_outcome,
        },
    );

    let text = match args.format {
        DiffFormat::Human => human(&result, color),
        DiffFormat::Json => {
            let mut text = serde_json::to_string_pretty(&result)?;
            text.push('\n');
            text
        }
    };
    print_stdout(&text)?;
    let failed = args.fail_on_changes && result.has_changes();
    Ok(ExitCode::from(if failed { FINDINGS } else { OK }))
}

/// Loads one side; only a side that is not a project at all stops the diff.
fn load(dir: &Path, label: &str) -> Result<Loaded, Failure> {
    dossier::load::load(dir).map_err(|error| match error {
        // For an extracted revision, name the revision, not the temporary folder.
        LoadError::NoProjectFile(_) if dir.to_string_lossy() != label => Failure(format!(
            "`{label}` has no {}; is it the project folder?",
            dossier::load::PROJECT_FILE
        )),
        other => Failure(other.to_string()),
    })
}

/// A git working tree and the project folder inside it.
struct Repo {
    /// The top of the working tree.
    top: PathBuf,
    /// The project folder relative to the top, `/`-separated, without a trailing `/` (empty
    /// for the top itself).
    prefix: String,
}

impl Repo {
    fn open(path: &Path) -> Result<Repo, Failure> {
        if !path.is_dir() {
            return Err(Failure(format!(
                "`{}` is not a folder; with --git, PATH is the project folder in the working tree",
                path.display()
            )));
        }
        let in_repo = |Failure(message)| {
            Failure(format!(
                "`{}` is not in a git working tree: {message}",
                path.display()
            ))
        };
        let top = git(path, &["rev-parse", "--show-toplevel"]).map_err(in_repo)?;
        let prefix = git(path, &["rev-parse", "--show-prefix"]).map_err(in_repo)?;
        Ok(Repo {
            top: PathBuf::from(top.trim_end_matches(['\n', '\r'])),
            prefix: prefix
                .trim_end_matches(['\n', '\r'])
                .trim_end_matches('/')
                .to_string(),
        })
    }

    /// Extracts the project folder as it is at `rev` into a new temporary folder; returns it
    /// and the label for the output (`REV` or `REV:path`).
    fn extract(&self, rev: &str) -> Result<(tempfile::TempDir, String), Failure> {
        if rev.starts_with('-') || rev.is_empty() {
            return Err(Failure(format!("`{rev}` is not a git revision")));
        }
        let label = if self.prefix.is_empty() {
            rev.to_string()
        } else {
            format!("{rev}:{}", self.prefix)
        };
        let commit = git(
            &self.top,
            &["rev-parse", "--verify", &format!("{rev}^{{commit}}")],
        )
        .map_err(|Failure(message)| {
            Failure(format!(
                "`{rev}` is not a revision of this repository: {message}"
            ))
        })?;
        let tree = format!("{}:{}", commit.trim(), self.prefix);
        git(&self.top, &["cat-file", "-e", &tree]).map_err(|_| {
            Failure(format!(
                "`{}` does not exist at revision {rev}",
                if self.prefix.is_empty() {
                    "."
                } else {
                    &self.prefix
                }
            ))
        })?;

        let dir = tempfile::Builder::new()
            .prefix("dossier-diff-")
            .tempdir()
            .map_err(|e| Failure(format!("cannot create a temporary folder: {e}")))?;
        let mut archive = Command::new("git")
            .arg("-C")
            .arg(&self.top)
            .args(["archive", "--format=tar", &tree])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Failure(format!("cannot run git: {e}")))?;
        let Some(tar_input) = archive.stdout.take() else {
            return Err(Failure("cannot read the output of git archive".into()));
        };
        let untar = Command::new("tar")
            .args(["-x", "-f", "-", "-C"])
            .arg(dir.path())
            .stdin(Stdio::from(tar_input))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| Failure(format!("cannot run tar: {e}")))?;
        let archived = archive
            .wait_with_output()
            .map_err(|e| Failure(format!("git archive failed: {e}")))?;
        if !archived.status.success() {
            return Err(Failure(format!(
                "git archive {tree} failed: {}",
                String::from_utf8_lossy(&archived.stderr).trim()
            )));
        }
        if !untar.status.success() {
            return Err(Failure(format!(
                "tar could not extract revision {rev}: {}",
                String::from_utf8_lossy(&untar.stderr).trim()
            )));
        }
        Ok((dir, label))
    }
}

/// Runs git in `dir`; its standard output, or a failure with git's message.
fn git(dir: &Path, args: &[&str]) -> Result<String, Failure> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Failure(format!("cannot run git: {e}")))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let message = String::from_utf8_lossy(&output.stderr).trim().to_string();
        Err(Failure(if message.is_empty() {
            format!("git {} failed ({})", args.join(" "), output.status)
        } else {
            message
        }))
    }
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The diff for people.
fn human(diff: &Diff, color: bool) -> String {
    let mut out = String::new();
    for (tag, side) in [("old", &diff.old), ("new", &diff.new)] {
        let _ = writeln!(
            out,
            "{tag}: {}  {} {} rev {}, guidance {}, {}, {}",
            side.source,
            side.device,
            side.release.version,
            side.release.revision,
            side.edition,
            plural(side.findings.errors, "error", "errors"),
            plural(side.findings.warnings, "warning", "warnings"),
        );
    }

    let mut kind: Option<Kind> = None;
    for change in &diff.changes {
        if kind != Some(change.kind) {
            kind = Some(change.kind);
            out.push('\n');
            out.push_str(&paint(color, "1", change.kind.heading()));
            out.push('\n');
        }
        let (mark, code) = match change.change {
            ChangeKind::Added => ("+", "32"),
            ChangeKind::Removed => ("-", "31"),
            ChangeKind::Changed => ("~", "33"),
        };
        let mut line = format!("{mark} {}", change.id);
        if let Some(title) = &change.title {
            let _ = write!(
                line,
                "  {}",
                compact(&serde_json::Value::String(title.clone()))
            );
        }
        let _ = writeln!(out, "  {}", paint(color, code, &line));
        for field in &change.fields {
            let (old, new) = shorten_pair(&compact(&field.old), &compact(&field.new));
            let _ = writeln!(out, "      {}: {old} -> {new}", field.field);
        }
    }

    let coverage = &diff.coverage;
    let categories: Vec<_> = coverage.categories.iter().filter(|c| c.changed).collect();
    if !coverage.recommendations.is_empty() || !categories.is_empty() {
        out.push('\n');
        out.push_str(&paint(color, "1", "Appendix 1 coverage"));
        out.push('\n');
        if !coverage.newly_missing.is_empty() {
            let _ = writeln!(
                out,
                "  {} {}",
                paint(color, "31", "newly missing:"),
                coverage.newly_missing.join(", ")
            );
        }
        if !coverage.newly_covered.is_empty() {
            let _ = writeln!(
                out,
                "  {} {}",
                paint(color, "32", "newly covered:"),
                coverage.newly_covered.join(", ")
            );
        }
        let status = |s: Option<Status>| s.map_or("not in this edition", Status::as_str);
        let controls = |c: &[String]| {
            if c.is_empty() {
                "none".to_string()
            } else {
                c.join(", ")
            }
        };
        for rec in &coverage.recommendations {
            let state = if rec.old == rec.new {
                status(rec.new).to_string()
            } else {
                format!("{} -> {}", status(rec.old), status(rec.new))
            };
            let _ = writeln!(
                out,
                "  ~ {}  {}: {state} (controls: {} -> {})",
                rec.id,
                rec.title,
                controls(&rec.old_controls),
                controls(&rec.new_controls)
            );
        }
        let counts = |c: &Option<diff::CategoryCounts>| match c {
            Some(c) => format!(
                "{}/{} covered ({} verified), {} not applicable, {} missing",
                c.covered, c.required, c.verified, c.not_applicable, c.missing
            ),
            None => "not in this edition".to_string(),
        };
        for category in categories {
            let _ = writeln!(
                out,
                "  {} {}: {} -> {}",
                category.id,
                category.title,
                counts(&category.old),
                counts(&category.new)
            );
        }
    }

    out.push('\n');
    let summary = &diff.summary;
    if summary.identical {
        out.push_str(&paint(color, "1", "no changes"));
    } else {
        let total = summary.added + summary.removed + summary.changed;
        let mut line = format!(
            "{}: {} added, {} removed, {} changed",
            plural(total, "change", "changes"),
            summary.added,
            summary.removed,
            summary.changed
        );
        if !coverage.recommendations.is_empty() {
            let _ = write!(
                line,
                "; coverage: {} newly missing, {} newly covered",
                coverage.newly_missing.len(),
                coverage.newly_covered.len()
            );
        }
        out.push_str(&paint(color, "1", &line));
    }
    out.push('\n');
    out
}
