//! Times the PDF renderer on synthetic submission packages of 14 documents:
//! prose, lists, cross-document links, MISSING markers and tables.
//!
//! cargo run --release --example pdf_bench [-- OUT.pdf]
//!
//! Every timed package has text no earlier render had (the variant number is
//! in every paragraph and cell), so Typst's memoization cannot flatter the
//! numbers; the last line shows what memoization does for a repeat.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use dossier::render::blocks::markdown_to_blocks;
use dossier::render::pdf::{
    DEFAULT_TEMPLATE, PdfDocument, PdfMeta, PdfPackage, PdfRendered, preload_fonts,
    render_pdf_report,
};

/// `paragraphs` of prose, then a table of `rows` rows (5 columns).
fn document(n: usize, variant: usize, paragraphs: usize, rows: usize) -> PdfDocument {
    let mut md = String::new();
    writeln!(md, "## Overview {{#doc{n}-overview}}\n").unwrap();
    for p in 0..paragraphs {
        if p % 6 == 5 {
            writeln!(md, "### Part {p}\n").unwrap();
        }
        writeln!(
            md,
            "Paragraph {p} of document {n}, variant {variant}. The device talks to the hospital \
             network over TLS 1.3 with mutual authentication; firmware images are signed and \
             verified at boot. See [the threat model](#doc0-overview) and \
             [the next document](#doc{}-overview).\n",
            (n + 1) % 14
        )
        .unwrap();
    }
    writeln!(
        md,
        "**MISSING: reviewer sign-off**\n\n- first control\n- second control\n  1. nested step\n  2. another step\n"
    )
    .unwrap();
    if rows > 0 {
        writeln!(
            md,
            "## Items\n\n| ID | Title | Severity | Status | Reference |\n|:--|:--|:-:|:--|:--|"
        )
        .unwrap();
    }
    for r in 0..rows {
        writeln!(
            md,
            "| R-{variant}-{n}-{r} | Risk {r} of document {n} (variant {variant}), described in a sentence that wraps | {} | open {variant} | CVE-2024-{:05} |",
            ["low", "medium", "high"][r % 3],
            r * 7 + n + variant
        )
        .unwrap();
    }
    PdfDocument {
        id: format!("doc{n}"),
        title: format!("Document {n}: security architecture view"),
        sections: vec![format!("§V.A.{}", n % 5 + 1), "App. 2".into()],
        blocks: markdown_to_blocks(&md),
    }
}

/// 14 documents; `shape(n)` gives (paragraphs, table rows) of document n.
fn package(variant: usize, shape: impl Fn(usize) -> (usize, usize)) -> PdfPackage {
    PdfPackage {
        images: Default::default(),
        meta: PdfMeta {
            title: "Cybersecurity documentation".into(),
            device: "InfuSafe Pump".into(),
            model: "IS-200".into(),
            manufacturer: "Acme Medical Inc.".into(),
            version: "4.2.0".into(),
            revision: "B".into(),
            submission: "510(k)".into(),
            date: "2025-03-01".into(),
            udi_di: Some("00812345678905".into()),
            draft: Some("DRAFT: 12 open findings".into()),
        },
        cover: true,
        toc: true,
        documents: (0..14)
            .map(|n| {
                let (paragraphs, rows) = shape(n);
                document(n, variant, paragraphs, rows)
            })
            .collect(),
    }
}

/// Mostly prose, a table of a hundred rows in every other document.
fn typical(n: usize) -> (usize, usize) {
    (36, if n.is_multiple_of(2) { 120 } else { 20 })
}

/// Little prose, 300-row tables in every other document.
fn table_heavy(n: usize) -> (usize, usize) {
    (4, if n.is_multiple_of(2) { 300 } else { 30 })
}

fn ms(t: Duration) -> String {
    format!("{:.0} ms", t.as_secs_f64() * 1000.0)
}

fn time(pkg: &PdfPackage) -> (Duration, PdfRendered) {
    let start = Instant::now();
    let out = render_pdf_report(pkg, DEFAULT_TEMPLATE, "package.typ").expect("renders");
    (start.elapsed(), out)
}

fn describe(out: &PdfRendered) -> String {
    format!(
        "{} pages, {} KiB, {} warnings",
        out.pages,
        out.bytes.len() / 1024,
        out.warnings.len()
    )
}

fn main() {
    let start = Instant::now();
    preload_fonts();
    println!("fonts parsed (once per process): {}", ms(start.elapsed()));

    // The first render in a process also pays Typst's one-time set-up.
    let (first, out) = time(&package(0, typical));
    println!(
        "typical package ({}): first render in the process {}",
        describe(&out),
        ms(first)
    );
    if let Some(path) = std::env::args().nth(1) {
        std::fs::write(&path, &out.bytes).expect("writes the PDF");
    }
    let runs: Vec<String> = (1..=3).map(|v| ms(time(&package(v, typical)).0)).collect();
    println!("typical package, new content: {}", runs.join(" / "));

    let (_, heavy) = time(&package(10, table_heavy));
    let runs: Vec<String> = (11..=13)
        .map(|v| ms(time(&package(v, table_heavy)).0))
        .collect();
    println!(
        "table-heavy package ({}), new content: {}",
        describe(&heavy),
        runs.join(" / ")
    );

    let (same, _) = time(&package(13, table_heavy));
    println!("table-heavy package, identical content again: {}", ms(same));
}
