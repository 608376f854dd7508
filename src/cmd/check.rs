//! `dossier check`: load, run the rules, report.

use super::{FINDINGS, OK, Outcome, print_stdout};
use crate::cli::{CheckArgs, CheckFormat, Deny};
use dossier::finding::{Severity, Summary, sort};
use dossier::report::{human, json};
use std::process::ExitCode;

pub fn execute(args: &CheckArgs, color: bool) -> Outcome {
    let loaded = dossier::load::load(&args.dir)?;
    let mut options = dossier::check::Options::for_project(&loaded.project);
    if args.as_of.is_some() {
        options.as_of = args.as_of;
    }
    let outcome = dossier::check::check_with(&loaded.project, options);
    let mut findings = loaded.findings;
    findings.extend(outcome.findings);
    sort(&mut findings);
    let text = match args.format {
        CheckFormat::Human => {
            let style = human::Style { color };
            let mut text = human::render_findings(&findings, &loaded.project.sources, style);
            text.push_str(&human::coverage(&outcome.coverage, &outcome.cyber));
            text.push_str(&human::summary_line(&Summary::of(&findings), style));
            text.push('\n');
            text
        }
        CheckFormat::Json => {
            let mut extra = serde_json::Map::new();
            extra.insert("edition".into(), serde_json::json!(outcome.edition));
            extra.insert("cyber_device".into(), serde_json::json!(outcome.cyber));
            extra.insert("coverage".into(), serde_json::json!(outcome.coverage));
            let doc = json::document(&findings, extra);
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
