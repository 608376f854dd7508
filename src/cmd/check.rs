//! `dossier check`: load, run the rules, report.

use super::{FINDINGS, OK, Outcome, print_stdout};
use crate::cli::{CheckArgs, CheckFormat, Deny};
use dossier::finding::{Severity, sort};
use dossier::report::{human, json};
use std::process::ExitCode;

pub fn execute(args: &CheckArgs, color: bool) -> Outcome {
    let loaded = dossier::load::load(&args.dir)?;
    let mut findings = loaded.findings;
    sort(&mut findings);
    let text = match args.format {
        CheckFormat::Human => {
            human::render(&findings, &loaded.project.sources, human::Style { color })
        }
        CheckFormat::Json => {
            let doc = json::document(&findings, Default::default());
            let mut text = serde_json::to_string_pretty(&doc)?;
            text.push('\n');
            text
        }
    };
    print_stdout(&text)?;
    let failing = match args.deny {
        Some(Deny::Warnings) => Severity::Warning,
        None => Severity::Error,
    };
    let failed = findings.iter().any(|f| f.severity >= failing);
    Ok(ExitCode::from(if failed { FINDINGS } else { OK }))
}
