//! Command-line definitions (clap derive). Kept apart from the commands so man pages and shell
//! completions can be generated from the same source.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "Check and build an FDA premarket cybersecurity submission from YAML",
    long_about = "dossier reads a device's security story (architecture, threat model, risk \
assessment, controls, tests, SBOM, vulnerabilities, labeling, postmarket plan) written as YAML, \
checks it against the FDA premarket cybersecurity guidance and section 524B of the FD&C Act, and \
renders the submission package.\n\n\
Exit status: 0 when nothing at or above the failing severity was found, 1 when something was, \
2 when the project could not be read or the command line was wrong.",
    after_help = "Run `dossier <command> --help` for the details of a command."
)]
pub struct Cli {
    /// When to use colours in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(InitArgs),
    Check(CheckArgs),
    Schema(SchemaArgs),
    Catalog(CatalogArgs),
    Build(BuildArgs),
    Diff(DiffArgs),
    Mds2(Mds2Args),
    #[command(subcommand)]
    Sbom(SbomCommand),
    #[command(subcommand)]
    Templates(TemplatesCommand),
}

/// Start a new dossier project.
///
/// Writes dossier.yaml and one commented example file per part of the submission (architecture,
/// threats and risks, controls, tests, SBOM, labeling, plan), plus the JSON Schemas in
/// `.schemas/` so editors complete and validate as you type. The new project loads without
/// errors; `dossier check` then lists everything the guidance still expects.
///
/// Refuses to overwrite any existing file.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct InitArgs {
    /// Folder to create the project in (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// Check a project against the guidance and report what is missing or wrong.
///
/// Loads every YAML file of the project, reports each problem with its file, line and column,
/// and runs the completeness rules. Findings go to standard output, as text for people or as
/// JSON, SARIF, JUnit or GitHub annotations for CI.
///
/// Policy: `check.severity` in dossier.yaml sets the severity of a code (error, warning, note,
/// allow); `check.suppress` accepts single findings with a reason and an optional expiry;
/// `--allow CODE` accepts a code for this run. Suppressed findings are not counted but stay
/// visible in JSON and SARIF.
///
/// Exit status: 0 when there is no error (with `--deny warnings`: no warning either), 1 when
/// there is, 2 when the project cannot be read or the arguments are wrong.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    /// The project folder (the one holding dossier.yaml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,

    /// Make findings of this severity fail the check too (`warnings`).
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,

    /// Judge end of support and suppression expiry as of this date, YYYY-MM-DD (default: the
    /// document date).
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<dossier::model::Date>,

    /// Accept every finding of this code (repeatable); they are reported as suppressed.
    #[arg(long, value_name = "CODE")]
    pub allow: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-style text with source lines.
    Human,
    /// One JSON document: findings, summary, coverage.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF tools.
    Sarif,
    /// JUnit XML: one test case per rule and subject.
    Junit,
    /// GitHub Actions workflow annotations (`::error file=...::message`).
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Warnings fail the check as errors do.
    Warnings,
}

/// Write the JSON Schemas of the project files.
///
/// `dossier.schema.json` describes dossier.yaml; `content.schema.json` describes every other
/// YAML file of a project. Point your editor at them, e.g. with a first line
/// `# yaml-language-server: $schema=.schemas/content.schema.json`.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct SchemaArgs {
    /// Folder to write the schemas to.
    #[arg(long, default_value = "schemas")]
    pub out: PathBuf,
}

/// Print the guidance catalog: every item dossier checks, with its section.
///
/// Lists the Appendix 1 categories and recommendations, the Appendix 4 documents, the
/// architecture views and per-path details, testing, labeling, the management plan, section
/// 524B, the SBOM elements and the metrics. Texts are paraphrased; the section points into the
/// guidance. The 2023-09 edition also lists what changed in 2025-06.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct CatalogArgs {
    /// Guidance edition, e.g. 2025-06 (default: the newest).
    #[arg(long)]
    pub edition: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Human)]
    pub format: CatalogFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    /// One line per entry.
    Human,
    /// Every entry with id, kind, category, title, text and section.
    Json,
    /// A Markdown document.
    Md,
}

/// Build the submission package: Markdown, an HTML site and PDFs.
///
/// Renders one document per row of Appendix 4 Table 1 of the guidance, in its order, plus a
/// package index and a findings page: as Markdown (`md/`), a static HTML site (`html/`, works
/// offline, no JavaScript) and PDF (`pdf/submission.pdf` with cover, contents and bookmarks,
/// plus one PDF per document for upload). The machine-readable SBOM goes to `sbom/`, and
/// `manifest.json` lists every file with its SHA-256.
///
/// An incomplete project still builds: every gap shows as a "MISSING: ..." marker, and every
/// page says "DRAFT: N open findings" until `dossier check` is clean.
///
/// The package is written to a temporary folder and swapped into place only when everything
/// succeeded; a failed build leaves the previous package as it was. The same project always
/// gives byte-identical files (the date comes from `document_date` or SOURCE_DATE_EPOCH).
///
/// Exit status: 0 built with no errors, 1 built but the project has errors (the package is a
/// draft), 2 not built.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct BuildArgs {
    /// The project folder (the one holding dossier.yaml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// Output folder (default: `output.dir` in dossier.yaml, else `out` in the project).
    #[arg(long)]
    pub out: Option<PathBuf>,

    /// Formats to build, comma separated (default: `output.formats`, else all).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub format: Vec<BuildFormat>,

    /// Judge end of support and suppression expiry as of this date, YYYY-MM-DD (default: the
    /// document date).
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<dossier::model::Date>,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BuildFormat {
    Md,
    Html,
    Pdf,
}

/// Show what changed between two versions of a project.
///
/// For a modification of a cleared device (guidance §VII.D), lists what was added, removed or
/// changed since the earlier version: settings (release, device, submission, cyber device
/// decision), architecture components, flows, boundaries, assets and views, threats, risks,
/// controls, not-applicable declarations, tests and their findings, anomalies, vulnerabilities,
/// SBOM components (version, supplier, licence, support level, end of support), the sections
/// (risk management, SBOM, labeling, plan) field by field, and Appendix 1 coverage: which
/// recommendations became missing or covered, and the counts per category before and after.
///
/// Items are matched by ID; SBOM components by purl without its version, else by name, so an
/// upgrade is one change. Positions do not count: moving an item to another file is no change.
/// Findings of either side do not stop the diff; each side's error and warning counts are shown.
///
/// With --git, OLD and NEW are two revisions of one repository, and the only path (default .)
/// is the project folder in the working tree; each revision's copy of that folder is extracted
/// with `git archive` into a temporary folder and compared.
///
/// Output: `human` groups changes by kind: `+` added, `-` removed, `~` changed with one line per
/// field (old -> new), then coverage, then a summary line; "no changes" when there are none.
/// `json` is one document: {"old", "new", "changes", "coverage", "summary"} (see the book).
///
/// Exit status: 0 when nothing changed, or when something did and --fail-on-changes is not
/// given; 1 when something changed and --fail-on-changes is given; 2 when a side cannot be read
/// (no dossier.yaml), the arguments are wrong, or git fails (e.g. an unknown revision).
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    override_usage = "dossier diff [OPTIONS] <OLD> <NEW>\n       dossier diff [OPTIONS] --git <REV1> <REV2> [PATH]",
    after_help = "Examples:\n  dossier diff cleared/ .\n  dossier diff --git v4.1.3 HEAD examples/infusion-pump\n  dossier diff --format json --fail-on-changes old new > diff.json"
)]
pub struct DiffArgs {
    /// The OLD and NEW project folders; with --git, the project folder inside the repository
    /// (default .).
    #[arg(value_name = "PATH", num_args = 0..=2)]
    pub paths: Vec<PathBuf>,

    /// Compare two git revisions (commits, tags, branches) of the project instead of two folders.
    #[arg(long, num_args = 2, value_names = ["REV1", "REV2"])]
    pub git: Option<Vec<String>>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// Exit with status 1 when anything changed.
    #[arg(long)]
    pub fail_on_changes: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Changes grouped by kind, with field details, coverage and a summary line.
    Human,
    /// One JSON document: old, new, changes, coverage, summary.
    Json,
}

/// Write the MDS2 (Manufacturer Disclosure Statement for Medical Device Security) form.
///
/// Fills the ANSI/NEMA HN 1-2019 form from the project: connectivity, encryption, SBOM, updates,
/// logging and more are read off the model (flows, interfaces, controls, SBOM, plan, labeling);
/// the `mds2:` section answers the rest. Writes an Excel workbook with the form and a Findings
/// sheet listing every question without an answer and every answer that contradicts the model,
/// or the form as JSON. The MDS2 findings (M001 to M004) are printed too.
///
/// The workbook's bytes depend only on the project (its date is `document_date`, else
/// SOURCE_DATE_EPOCH).
///
/// Findings of the loader (a file that did not load may have held answers) are printed with
/// the MDS2 findings.
///
/// Exit status: 0 written, 1 written but an answer contradicts the model, names an unknown
/// question, or a file of the project could not be read, 2 not written.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Mds2Args {
    /// The project folder (the one holding dossier.yaml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// File to write (required for xlsx; JSON goes to standard output without it).
    #[arg(long)]
    pub out: Option<PathBuf>,

    /// What to write.
    #[arg(long, value_enum, default_value_t = Mds2Format::Xlsx)]
    pub format: Mds2Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Mds2Format {
    /// Excel workbook: the form and a Findings sheet.
    Xlsx,
    /// The form as JSON: every question with its answer, note, source and facts.
    Json,
}

/// Work with the package templates.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the default templates into the project's `templates/` folder for editing.
    ///
    /// Every file there overrides the default of the same name; files you leave out keep the
    /// default. Prefer overriding small pieces: the documents share `md/_header.md`, and the HTML
    /// page can `{% extends "default/html/page.html" %}` and redefine its `content` or `footer`
    /// block; every default stays reachable as `default/<name>`. Refuses to overwrite existing
    /// files.
    #[command(verbatim_doc_comment)]
    Eject {
        /// The project folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// List the default templates.
    List,
}

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<dossier::model::Date, String> {
    dossier::model::Date::parse(text)
        .ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

/// Read SBOM files and export the project's SBOM.
#[derive(Debug, Subcommand)]
pub enum SbomCommand {
    /// Summarise one SBOM file: format, component count and how many components carry each
    /// NTIA element and the FDA support data.
    ///
    /// Reads CycloneDX JSON and XML (1.2 to 1.6, and 1.7), SPDX 2.2 and 2.3 (JSON and tag-value,
    /// UTF-8 or UTF-16; older 2.x files too) and OpenVEX. `components` counts nested components too. A file that cannot be
    /// read is reported with the reason and its line and column (exit 2).
    #[command(verbatim_doc_comment)]
    Summary {
        /// The SBOM file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SummaryFormat::Human)]
        format: SummaryFormat,
    },
    /// Export the project's SBOM: every component of its SBOM files and of `sbom.components`,
    /// with level of support and end of support as properties, as CycloneDX 1.6 JSON.
    #[command(verbatim_doc_comment)]
    Export {
        /// The project folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Export format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Cyclonedx)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CycloneDX 1.6 JSON.
    Cyclonedx,
}
