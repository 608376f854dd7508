//! `dossier build` as a library call: load, check, render every requested format in memory,
//! write it into a fresh temporary folder, and swap that folder into place only when everything
//! succeeded. A failed build leaves the previous package as it was, and nothing outside the
//! output folder is touched.

use crate::check;
use crate::finding::{Finding, Summary};
use crate::load::{self, LoadError};
use crate::model::{Date, OutputFormat, Project};
use crate::render::context::{self, Options};
use crate::render::pictures::Pictures;
use crate::render::templates::{Links, TemplateError, TemplateSet};
use crate::render::{self, Files, Input, RenderError};
use sha2::{Digest, Sha256};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// What the caller chose.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Output folder; default: `output.dir` of dossier.yaml, else `out`, inside the project.
    pub out: Option<PathBuf>,
    /// Formats; default: `output.formats` of dossier.yaml, else all.
    pub formats: Vec<OutputFormat>,
    /// `SOURCE_DATE_EPOCH`, used when dossier.yaml has no `document_date`.
    pub source_date_epoch: Option<String>,
    /// The date end of support is judged against (default: the document date).
    pub as_of: Option<Date>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(
        "no document date: set `document_date` in dossier.yaml or SOURCE_DATE_EPOCH (dossier never uses the clock)"
    )]
    NoDate,
    #[error("SOURCE_DATE_EPOCH `{0}` is not a number of seconds")]
    BadEpoch(String),
    #[error(
        "the output folder `{0}` is the project folder; choose another with --out or `output.dir`"
    )]
    OutputIsProject(PathBuf),
    #[error("the output folder `{0}` contains the project; choose a folder inside or beside it")]
    OutputContainsProject(PathBuf),
    #[error(
        "`{0}` exists and is not a dossier package (not empty, and no manifest.json written by dossier); not replacing it. Remove it or choose another --out"
    )]
    NotAPackage(PathBuf),
    #[error("template {0}")]
    Template(TemplateError),
    #[error("{0}")]
    Render(String),
    #[error(
        "cannot move the new package to `{out}`: {source}; the previous package could not be put back and is in `{old}`"
    )]
    NotRestored {
        out: PathBuf,
        old: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<RenderError> for BuildError {
    fn from(error: RenderError) -> BuildError {
        match error {
            RenderError::Template(t) => BuildError::Template(t),
            other => BuildError::Render(other.to_string()),
        }
    }
}

/// A finished build.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    /// (path inside the output folder, bytes)
    pub files: Vec<(String, usize)>,
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

/// Progress steps, for a progress bar.
pub trait Progress {
    fn step(&self, name: &str);
}

impl Progress for () {
    fn step(&self, _: &str) {}
}

/// Builds the package of the project in `root`.
pub fn build(
    root: &Path,
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, BuildError> {
    progress.step("load");
    let mut loaded = load::load(root)?;
    let out = output_dir(&loaded.project, options)?;
    progress.step("check");
    let date = settle_document_date(&mut loaded.project, options)?;
    let mut check_options = check::Options::for_project(&loaded.project);
    // End of support is judged as of --as-of, else the date on the documents.
    check_options.as_of = options.as_of.or_else(|| crate::model::Date::parse(&date));
    let outcome = check::run(&loaded, check_options);
    let findings = outcome.findings.clone();
    let project = loaded.project;
    let formats = formats(&project, options);
    let files = render_package(
        &project,
        &outcome,
        &findings,
        &date,
        options.as_of,
        &formats,
        progress,
    )?;
    progress.step("write");
    write_package(&out, &project, &date, files.clone())?;
    Ok(BuildReport {
        out,
        files: files
            .iter()
            .map(|(path, bytes)| (path.clone(), bytes.len()))
            .collect(),
        summary: Summary::of(&findings),
        findings,
    })
}

/// Works out the document date and, when it comes from SOURCE_DATE_EPOCH, records it in the
/// project, so every rule and every derived answer (the MDS2 release date, DOC-7) sees the
/// date the documents carry.
pub fn settle_document_date(
    project: &mut Project,
    options: &BuildOptions,
) -> Result<String, BuildError> {
    let date = document_date(project, options)?;
    if project.settings.document_date.is_none()
        && let Some(parsed) = Date::parse(&date)
    {
        project.settings.document_date = Some(crate::model::Located::new(
            parsed,
            crate::source::Pos::default(),
        ));
    }
    Ok(date)
}

/// The date on every document: dossier.yaml, else SOURCE_DATE_EPOCH.
pub fn document_date(project: &Project, options: &BuildOptions) -> Result<String, BuildError> {
    if let Some(date) = &project.settings.document_date {
        return Ok(date.value.to_string());
    }
    let Some(epoch) = &options.source_date_epoch else {
        return Err(BuildError::NoDate);
    };
    let seconds: i64 = epoch
        .trim()
        .parse()
        .map_err(|_| BuildError::BadEpoch(epoch.clone()))?;
    let date = chrono::DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| BuildError::BadEpoch(epoch.clone()))?;
    Ok(date.format("%Y-%m-%d").to_string())
}

fn formats(project: &Project, options: &BuildOptions) -> Vec<OutputFormat> {
    let mut formats = if !options.formats.is_empty() {
        options.formats.clone()
    } else if !project.settings.output.formats.is_empty() {
        project.settings.output.formats.clone()
    } else {
        vec![OutputFormat::Md, OutputFormat::Html, OutputFormat::Pdf]
    };
    formats.sort();
    formats.dedup();
    formats
}

/// The output folder, refused when it is or contains the project.
pub fn output_dir(project: &Project, options: &BuildOptions) -> Result<PathBuf, BuildError> {
    let root = &project.root;
    let out = match &options.out {
        Some(out) => std::env::current_dir()
            .map(|cwd| cwd.join(out))
            .unwrap_or_else(|_| out.clone()),
        None => root.join(
            project
                .settings
                .output
                .dir
                .as_ref()
                .map(|d| d.value.as_str())
                .unwrap_or("out"),
        ),
    };
    let out = normalize(&out);
    if &out == root {
        return Err(BuildError::OutputIsProject(out));
    }
    if root.starts_with(&out) {
        return Err(BuildError::OutputContainsProject(out));
    }
    Ok(out)
}

/// An absolute path with `.` and `..` resolved, component by component: each prefix that
/// exists is replaced by its real path (symlinks followed), and `..` after a folder that does
/// not exist yet drops that folder, as it will once the build creates it. Checking the
/// unresolved path would let `out/missing/../..` slip past the "contains the project" rule.
fn normalize(path: &Path) -> PathBuf {
    let mut resolved = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if let Ok(real) = std::fs::canonicalize(&resolved) {
                    resolved = real;
                }
            }
        }
    }
    resolved
}

/// Renders every requested format, the exported SBOM and the diagrams, in memory.
pub fn render_package(
    project: &Project,
    outcome: &check::Outcome,
    findings: &[Finding],
    date: &str,
    as_of: Option<Date>,
    formats: &[OutputFormat],
    progress: &dyn Progress,
) -> Result<Files, BuildError> {
    let (catalog, _) = check::edition_of(project);
    let sbom_name = format!(
        "sbom/{}.cdx.json",
        slug(&format!(
            "{}-{}",
            project.settings.device.model, project.settings.release.version
        ))
    );
    let has_software = !project.inventory.components.is_empty();
    let options = Options {
        date: date.to_string(),
        as_of,
        horizon_months: project
            .sbom
            .as_ref()
            .and_then(|s| s.horizon_months)
            .unwrap_or(12),
        sbom_file: has_software.then(|| format!("../{sbom_name}")),
    };
    progress.step("context");
    let package = context::build(project, catalog, outcome, findings, &options);
    let links = Arc::new(Links {
        homes: package.homes.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        missing: package
            .missing
            .iter()
            .map(|(id, message)| {
                (
                    id.clone(),
                    (message.clone(), catalog.section(id).to_string()),
                )
            })
            .collect(),
    });
    let templates = TemplateSet::load(Some(&project.root.join("templates")), links)
        .map_err(BuildError::Template)?;
    // The customer labeling: its own view model, the MDS2 form, and the SBOM beside it.
    let mds2 = (project.mds2.is_some() || outcome.cyber.cyber_device).then(|| {
        let mut form = crate::mds2::form(project, outcome);
        form.date = Some(date.to_string());
        form.draft = package.draft.clone();
        form
    });
    let mds2_sections = mds2.as_ref().map(|form| {
        std::iter::once(&form.document)
            .chain(form.sections.iter())
            .filter_map(|section| serde_json::to_value(section).ok())
            .collect()
    });
    let mut customer = crate::render::labeling::customer(
        project,
        &package.ports,
        date,
        has_software.then(|| "sbom.cdx.json".to_string()),
        mds2_sections,
    );
    customer.draft = package.draft.clone();

    progress.step("markdown");
    let markdown = render::render_markdown(&package, &templates)?;
    let labeling_markdown = crate::render::labeling::markdown(&customer, &templates)?;
    // Pictures are copied in and every image points at its copy (or becomes its alt text).
    let pictures = Pictures::collect(
        project,
        markdown
            .iter()
            .map(|(_, text)| text.as_str())
            .chain([labeling_markdown.as_str()]),
    );
    let markdown = markdown
        .into_iter()
        .map(|(id, text)| (id, pictures.rewrite(&text)))
        .collect();
    let labeling_markdown = pictures.rewrite(&labeling_markdown);
    let input = Input {
        package: &package,
        templates: &templates,
        markdown,
        assets: &pictures.files,
    };

    // The package and the labeling are independent: render them side by side (each PDF is a
    // separate Typst compile, the bulk of a build).
    let (package_files, labeling_files) = std::thread::scope(|scope| {
        let labeling = scope.spawn(|| {
            let mut files = Files::new();
            crate::render::labeling::render(
                &customer,
                &labeling_markdown,
                &pictures,
                &templates,
                formats,
                &mut files,
            )
            .map(|_| files)
        });
        let mut files = Files::new();
        let mut result = Ok(());
        for format in formats {
            let renderer = render::renderer(*format);
            progress.step(renderer.name());
            result = renderer.render(&input, &mut files);
            if result.is_err() {
                break;
            }
        }
        let labeling = labeling
            .join()
            .unwrap_or_else(|_| Err(RenderError::Pdf("the labeling renderer failed".to_string())));
        (result.map(|_| files), labeling)
    });
    progress.step("labeling");
    let mut files = package_files?;
    files.extend(labeling_files?);
    if let Some(form) = &mds2 {
        let workbook = crate::mds2::write_xlsx(form).map_err(BuildError::Render)?;
        files.insert("labeling/mds2.xlsx".to_string(), workbook);
    }
    if has_software {
        let sbom = crate::sbom::project::export(project, date);
        let mut text = serde_json::to_string_pretty(&sbom).unwrap_or_default();
        text.push('\n');
        // The customer labeling carries the machine-readable SBOM beside it (§VI.A item 5).
        files.insert(
            "labeling/sbom.cdx.json".to_string(),
            text.clone().into_bytes(),
        );
        files.insert(sbom_name, text.into_bytes());
    }
    Ok(files)
}

/// Lowercase letters, digits and dashes.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The manifest: every file with its SHA-256, sorted by path.
pub fn manifest(project: &Project, date: &str, files: &Files) -> Vec<u8> {
    let entries: Vec<serde_json::Value> = files
        .iter()
        .map(|(path, bytes)| {
            let digest = Sha256::digest(bytes);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            serde_json::json!({ "path": path, "sha256": hex, "bytes": bytes.len() })
        })
        .collect();
    let doc = serde_json::json!({
        "generator": format!("dossier {}", env!("CARGO_PKG_VERSION")),
        "device": project.settings.device.name,
        "model": project.settings.device.model,
        "version": project.settings.release.version,
        "revision": project.settings.release.revision,
        "date": date,
        "files": entries,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// Writes the files into a temporary folder beside `out`, then swaps it into place.
fn write_package(
    out: &Path,
    project: &Project,
    date: &str,
    mut files: Files,
) -> Result<(), BuildError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| BuildError::Io { path, source }
    };
    // Refuse before creating anything, so a refused build leaves no trace.
    if out.exists() && !is_replaceable(out) {
        return Err(BuildError::NotAPackage(out.to_path_buf()));
    }
    let parent = out.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let manifest = manifest(project, date, &files);
    files.insert("manifest.json".to_string(), manifest);
    let staging = tempfile::Builder::new()
        .prefix(".dossier-build-")
        .tempdir_in(parent)
        .map_err(io(parent))?;
    for (rel, bytes) in &files {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
    }
    // Swap: move the old package aside, move the new one in, then delete the old one. Until
    // the new package is in place, `staging` deletes itself on every early return.
    let aside = if out.exists() {
        let old = tempfile::Builder::new()
            .prefix(".dossier-old-")
            .tempdir_in(parent)
            .map_err(io(parent))?
            .keep();
        std::fs::remove_dir(&old).map_err(io(&old))?;
        std::fs::rename(out, &old).map_err(io(out))?;
        Some(old)
    } else {
        None
    };
    if let Err(source) = std::fs::rename(staging.path(), out) {
        if let Some(old) = aside
            && std::fs::rename(&old, out).is_err()
        {
            return Err(BuildError::NotRestored {
                out: out.to_path_buf(),
                old,
                source,
            });
        }
        return Err(BuildError::Io {
            path: out.to_path_buf(),
            source,
        });
    }
    let _ = staging.keep();
    if let Some(old) = aside {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// An existing output folder may be replaced when it is empty or an earlier dossier package.
fn is_replaceable(out: &Path) -> bool {
    if !out.is_dir() {
        return false;
    }
    let empty = std::fs::read_dir(out)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    empty
        || std::fs::read_to_string(out.join("manifest.json"))
            .map(|text| text.contains("\"generator\": \"dossier"))
            .unwrap_or(false)
}
