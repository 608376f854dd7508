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
/// and runs the completeness rules. Findings go to standard output.
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-style text with source lines.
    Human,
    /// One JSON document: findings and summary.
    Json,
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
