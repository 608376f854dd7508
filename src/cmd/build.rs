//! `dossier build`: render the package, with a progress bar on a terminal.

use super::{FINDINGS, OK, Outcome, print_stdout};
use crate::cli::{BuildArgs, BuildFormat};
use dossier::build::{self, BuildOptions, Progress};
use dossier::model::OutputFormat;
use dossier::report::human;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::process::ExitCode;

struct Bar(ProgressBar);

impl Progress for Bar {
    fn step(&self, name: &str) {
        self.0.set_message(name.to_string());
        self.0.inc(1);
    }
}

pub fn execute(args: &BuildArgs, color: bool) -> Outcome {
    let options = BuildOptions {
        out: args.out.clone(),
        formats: args
            .format
            .iter()
            .map(|f| match f {
                BuildFormat::Md => OutputFormat::Md,
                BuildFormat::Html => OutputFormat::Html,
                BuildFormat::Pdf => OutputFormat::Pdf,
            })
            .collect(),
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
        as_of: args.as_of,
    };
    // Nothing of the bar when standard error is not a terminal (CI logs, pipes).
    let bar = if std::io::stderr().is_terminal() && !args.quiet {
        let bar = ProgressBar::new(8);
        bar.set_style(
            ProgressStyle::with_template("{spinner} building [{bar:20}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        bar
    } else {
        ProgressBar::hidden()
    };
    let progress = Bar(bar);
    let result = build::build(&args.dir, &options, &progress);
    progress.0.finish_and_clear();
    let report = result?;
    if !args.quiet {
        let style = human::Style { color };
        let count = |prefix: &str| {
            report
                .files
                .iter()
                .filter(|(p, _)| p.starts_with(prefix))
                .count()
        };
        let mut parts = Vec::new();
        for (prefix, label) in [
            ("md/", "Markdown"),
            ("html/", "HTML"),
            ("pdf/", "PDF"),
            ("sbom/", "SBOM"),
            ("labeling/", "labeling"),
        ] {
            let n = count(prefix);
            if n > 0 {
                parts.push(format!("{label} {n}"));
            }
        }
        let mut text = format!(
            "built {} ({} files: {})\n",
            report.out.display(),
            report.files.len() + 1,
            parts.join(", ")
        );
        let open = report.summary.errors;
        if open > 0 {
            text.push_str(&format!(
                "DRAFT: {open} open finding{}; run `dossier check` for the list\n",
                if open == 1 { "" } else { "s" }
            ));
        }
        text.push_str(&human::summary_line(&report.summary, style));
        if report.summary.suppressed > 0 {
            text.push_str(&format!(" ({} suppressed)", report.summary.suppressed));
        }
        text.push('\n');
        print_stdout(&text)?;
    }
    Ok(ExitCode::from(if report.summary.errors > 0 {
        FINDINGS
    } else {
        OK
    }))
}
