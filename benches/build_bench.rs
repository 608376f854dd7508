//! Times a whole package build of a project (default: examples/infusion-pump), in process, per
//! stage, best of five. Run with `cargo bench --bench build_bench [-- PROJECT_DIR]`.
//! Timing lives here, not in tests, so the test suite never depends on machine speed.

use dossier::build::{BuildOptions, document_date, render_package};
use dossier::model::OutputFormat;
use std::time::{Duration, Instant};

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/examples/infusion-pump").to_string()
        });
    let dir = std::path::PathBuf::from(dir);
    let (load, loaded) = best(5, || dossier::load::load(&dir).expect("project loads"));
    let project = loaded.project;
    let (check, outcome) = best(5, || dossier::check::check(&project));
    let mut findings = loaded.findings.clone();
    findings.extend(outcome.findings.iter().cloned());
    let date = document_date(&project, &BuildOptions::default())
        .unwrap_or_else(|_| "2026-01-01".to_string());
    // Cold: the first render in the process, as `dossier build` runs it (Typst memoizes
    // layout, so repeated renders of the same content are much faster and say little).
    let cold = Instant::now();
    let files = render_package(
        &project,
        &outcome,
        &findings,
        &date,
        None,
        &[OutputFormat::Md, OutputFormat::Html, OutputFormat::Pdf],
        &(),
    )
    .expect("renders");
    let cold = cold.elapsed();
    println!(
        "cold render, all formats  {:>8.1} ms  ({} files)",
        cold.as_secs_f64() * 1e3,
        files.len()
    );
    let render = |formats: &[OutputFormat]| {
        best(5, || {
            render_package(&project, &outcome, &findings, &date, None, formats, &())
                .expect("renders")
        })
    };
    let (md_html, _) = render(&[OutputFormat::Md, OutputFormat::Html]);
    let (all, files) = render(&[OutputFormat::Md, OutputFormat::Html, OutputFormat::Pdf]);
    let bytes: usize = files.values().map(Vec::len).sum();
    let pages = files.keys().filter(|k| k.starts_with("pdf/")).count();
    println!("project: {}", dir.display());
    println!(
        "  {} components, {} threats, {} risks, {} controls, {} tests, {} SBOM components",
        project.components.len(),
        project.threats.len(),
        project.risks.len(),
        project.controls.len(),
        project.tests.len(),
        project.inventory.components.len()
    );
    println!(
        "load                      {:>8.1} ms",
        load.as_secs_f64() * 1e3
    );
    println!(
        "check                     {:>8.1} ms",
        check.as_secs_f64() * 1e3
    );
    println!(
        "render md + html          {:>8.1} ms",
        md_html.as_secs_f64() * 1e3
    );
    println!(
        "render md + html + pdf    {:>8.1} ms  ({} files, {pages} PDFs, {:.1} MB)",
        all.as_secs_f64() * 1e3,
        files.len(),
        bytes as f64 / 1e6
    );
    println!(
        "total (load+check+all)    {:>8.1} ms",
        (load + check + all).as_secs_f64() * 1e3
    );
}
