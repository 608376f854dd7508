//! `dossier mds2`: write the MDS2 form as a workbook or JSON.

use super::{FINDINGS, OK, Outcome, print_stdout};
use crate::cli::{Mds2Args, Mds2Format};
use dossier::finding::{Severity, Summary, sort};
use dossier::report::human;
use std::process::ExitCode;

pub fn execute(args: &Mds2Args, color: bool) -> Outcome {
    if args.format == Mds2Format::Xlsx && args.out.is_none() {
        return Err(super::Failure(
            "a workbook needs a file: add `--out FILE.xlsx` (or use `--format json`)".into(),
        ));
    }
    let mut loaded = dossier::load::load(&args.dir)?;
    // Same date rule as the package; without one the workbook keeps a fixed date.
    let options = dossier::build::BuildOptions {
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
        ..Default::default()
    };
    let _ = dossier::build::settle_document_date(&mut loaded.project, &options);
    let project = &loaded.project;
    let outcome = dossier::check::check(project);
    let form = dossier::mds2::form(project, &outcome);
    let bytes = match args.format {
        Mds2Format::Xlsx => dossier::mds2::write_xlsx(&form)?,
        Mds2Format::Json => {
            let mut text = serde_json::to_string_pretty(&form)?;
            text.push('\n');
            text.into_bytes()
        }
    };
    match &args.out {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?,
        None => print_stdout(&String::from_utf8_lossy(&bytes))?,
    }

    // A file that did not load may have held answers: its findings come first in importance.
    let mut findings = form.findings.clone();
    findings.extend(loaded.findings.iter().cloned());
    sort(&mut findings);
    let style = human::Style { color };
    let s = &form.summary;
    let mut report = human::render_findings(&findings, &project.sources, style);
    if let Some(path) = &args.out {
        report.push_str(&format!(
            "wrote {}: {} questions, {} from the model, {} from the mds2 section, {} N/A by gating, {} without an answer\n",
            path.display(),
            s.questions,
            s.derived,
            s.project,
            s.gated,
            s.unanswered
        ));
        report.push_str(&human::summary_line(&Summary::of(&findings), style));
        report.push('\n');
        print_stdout(&report)?;
    } else if !report.is_empty() {
        // JSON is on standard output; the findings go to standard error.
        eprint!("{report}");
    }
    let failed = findings.iter().any(|f| f.severity >= Severity::Error);
    Ok(ExitCode::from(if failed { FINDINGS } else { OK }))
}
