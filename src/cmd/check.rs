//! `dossier check`: load, run the rules and the policy, report.

use super::{FINDINGS, OK, Outcome, print_stdout};
use crate::cli::{CheckArgs, CheckFormat, Deny};
use dossier::finding::{Severity, Summary, failing};
use dossier::report::{github, human, json, junit, sarif};
use std::process::ExitCode;

pub fn execute(args: &CheckArgs, color: bool) -> Outcome {
    let loaded = dossier::load::load(&args.dir)?;
    let mut options = dossier::check::Options::for_project(&loaded.project);
    if args.as_of.is_some() {
        options.as_of = args.as_of;
    }
    options.allow = args.allow.clone();
    let outcome = dossier::check::run(&loaded, options);
    let findings = &outcome.findings;
    let threshold = match args.deny {
        Some(Deny::Warnings) => Severity::Warning,
        None => Severity::Error,
    };
    // Paths in machine formats start from where dossier ran, as CI tools expect.
    let prefix = args.dir.to_string_lossy().replace('\\', "/");
    let text = match args.format {
        CheckFormat::Human => {
            let style = human::Style { color };
            let shown: Vec<_> = findings.iter().filter(|f| f.counts()).cloned().collect();
            let mut text = human::render_findings(&shown, &loaded.project.sources, style);
            text.push_str(&human::coverage(&outcome.coverage, &outcome.cyber));
            let summary = Summary::of(findings);
            text.push_str(&human::summary_line(&summary, style));
            if summary.suppressed > 0 {
                text.push_str(&format!(" ({} suppressed)", summary.suppressed));
            }
            text.push('\n');
            text
        }
        CheckFormat::Json => {
            let mut extra = serde_json::Map::new();
            extra.insert("edition".into(), serde_json::json!(outcome.edition));
            extra.insert("cyber_device".into(), serde_json::json!(outcome.cyber));
            extra.insert("coverage".into(), serde_json::json!(outcome.coverage));
            let doc = json::document(findings, extra);
            let mut text = serde_json::to_string_pretty(&doc)?;
            text.push('\n');
            text
        }
        CheckFormat::Sarif => {
            let mut text = serde_json::to_string_pretty(&sarif::document(findings, &prefix))?;
            text.push('\n');
            text
        }
        CheckFormat::Junit => junit::document(findings, threshold),
        CheckFormat::Github => github::document(findings, &prefix),
    };
    print_stdout(&text)?;
    Ok(ExitCode::from(if failing(findings, threshold) {
        FINDINGS
    } else {
        OK
    }))
}
