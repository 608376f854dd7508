//! `dossier sbom summary` and `dossier sbom export`.

use super::{OK, Outcome, print_stdout};
use crate::cli::{SbomCommand, SummaryFormat};
use std::process::ExitCode;

pub fn execute(command: &SbomCommand) -> Outcome {
    match command {
        SbomCommand::Summary { file, format } => {
            let bom =
                dossier::sbom::read_file(file).map_err(|e| format!("{}: {e}", file.display()))?;
            let summary = dossier::sbom::summarize(&bom);
            let text = match format {
                SummaryFormat::Json => {
                    let mut text = serde_json::to_string_pretty(&summary)?;
                    text.push('\n');
                    text
                }
                SummaryFormat::Human => {
                    let n = summary.components;
                    let share = |k: usize| {
                        if n == 0 {
                            format!("{k}")
                        } else {
                            format!("{k} of {n} ({:.0}%)", k as f64 * 100.0 / n as f64)
                        }
                    };
                    let yes_no = |b: bool| if b { "yes" } else { "no" };
                    format!(
                        "{}\n  format              {} {}\n  components          {n}\n  with supplier       {}\n  with unique id      {}\n  with version        {}\n  with hash           {}\n  with license        {}\n  with support level  {}\n  with end of support {}\n  dependencies        {}\n  vulnerabilities     {}\n  timestamp           {}\n  author              {}\n",
                        file.display(),
                        summary.format,
                        summary.spec_version,
                        share(summary.with_supplier),
                        share(summary.with_unique_id),
                        share(summary.with_version),
                        share(summary.with_hash),
                        share(summary.with_license),
                        share(summary.with_support_level),
                        share(summary.with_end_of_support),
                        summary.dependencies,
                        summary.vulnerabilities,
                        yes_no(summary.has_timestamp),
                        yes_no(summary.has_author),
                    )
                }
            };
            print_stdout(&text)?;
        }
        SbomCommand::Export { dir, out, .. } => {
            let loaded = dossier::load::load(dir)?;
            let project = loaded.project;
            // The same date as the package, so the export matches the built SBOM byte for byte.
            let date = dossier::build::document_date(
                &project,
                &dossier::build::BuildOptions {
                    source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
                    ..Default::default()
                },
            )?;
            let mut text =
                serde_json::to_string_pretty(&dossier::sbom::project::export(&project, &date))?;
            text.push('\n');
            match out {
                Some(path) => std::fs::write(path, text)
                    .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?,
                None => print_stdout(&text)?,
            }
            // The SBOM is written either way; a source that could not be read makes it
            // incomplete, which is a failure (exit 2) with the reasons on standard error.
            let unreadable: Vec<_> = loaded
                .findings
                .iter()
                .filter(|f| matches!(f.code, "S001" | "R005"))
                .collect();
            if !unreadable.is_empty() {
                for finding in &unreadable {
                    let at = finding
                        .location
                        .as_ref()
                        .map(|l| format!("{l}: "))
                        .unwrap_or_default();
                    eprintln!("error: {at}{}", finding.message);
                }
                return Ok(ExitCode::from(super::FAILURE));
            }
        }
    }
    Ok(ExitCode::from(OK))
}
