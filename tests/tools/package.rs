//! The built package read back with real tools: poppler and qpdf for the PDF, headless Chromium
//! for the HTML site.

use std::path::{Path, PathBuf};
use std::process::Command;

const TITLES: [&str; 12] = [
    "Cybersecurity Risk Management Report",
    "Threat Model",
    "Cybersecurity Risk Assessment",
    "Software Bill of Materials",
    "Vulnerability Assessment and Software Support",
    "Unresolved Anomalies Assessment",
    "Traceability Matrix",
    "Measures and Metrics",
    "Security Architecture and Requirements",
    "Cybersecurity Testing",
    "Labeling",
    "Cybersecurity Management Plan",
];

fn dossier() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    cmd
}

/// Runs a tool; a missing tool fails the test with what to install.
fn tool(name: &str, args: &[&str]) -> std::process::Output {
    match Command::new(name).args(args).output() {
        Ok(output) => output,
        Err(e) => panic!(
            "`{name}` is needed for this test ({e}); install poppler-utils, qpdf and chromium (Debian packages), as .ci/run does"
        ),
    }
}

/// A project (the init starter plus a probe threat) built into `out`.
fn built_project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let status = dossier().arg("init").arg(dir.path()).output().unwrap();
    assert!(status.status.success());
    std::fs::write(
        dir.path().join("probe.yaml"),
        "threats:\n  - id: T-PROBE\n    title: \"<script>document.title='PWNED'</script><img src=x onerror=alert(1)>\"\n    stride: [spoofing]\n    targets: []\n    attack_vector: network\n",
    )
    .unwrap();
    let output = dossier().arg("build").arg(dir.path()).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out = dir.path().join("out");
    (dir, out)
}

fn pdf_pages(pdf: &Path) -> Vec<String> {
    let output = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout)
        .split('\u{c}')
        .map(str::to_string)
        .collect()
}

#[test]
fn submission_pdf_has_contents_titles_footer_and_bookmarks() {
    let (_dir, out) = built_project();
    let pdf = out.join("pdf/submission.pdf");
    let pages = pdf_pages(&pdf);
    let info =
        String::from_utf8_lossy(&tool("pdfinfo", &[pdf.to_str().unwrap()]).stdout).to_string();
    let count: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // The contents (documents and their sections, so maybe several pages) list every document
    // with the page it starts on.
    let toc: String = pages
        .iter()
        .skip(1)
        .take_while(|p| p.contains("Contents, page"))
        .cloned()
        .collect();
    assert!(toc.contains("Contents"));
    for title in TITLES {
        let line = toc
            .lines()
            .find(|l| l.contains(title))
            .unwrap_or_else(|| panic!("contents lack {title}:\n{toc}"));
        let page: usize = line
            .split_whitespace()
            .last()
            .and_then(|w| w.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
            .unwrap_or_else(|| panic!("no page number: {line}"));
        assert!(
            pages[page - 1].contains(title),
            "{title} is not on page {page}"
        );
    }
    for (i, page) in pages.iter().enumerate().take(count).skip(1) {
        assert!(
            page.contains(&format!("Page {} of {count}", i + 1)),
            "page {} footer",
            i + 1
        );
        assert!(page.contains("DRAFT: "), "page {} draft mark", i + 1);
    }
    // qpdf finds no damage, and the PDF has bookmarks for every document.
    let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&tool("qpdf", &["--json", pdf.to_str().unwrap()]).stdout).unwrap();
    let outline: Vec<String> = json["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap_or("").to_string())
        .collect();
    for title in TITLES {
        assert!(
            outline.iter().any(|o| o == title),
            "no bookmark for {title}: {outline:?}"
        );
    }
    // Every per-document PDF is a valid PDF of its own.
    for entry in std::fs::read_dir(out.join("pdf")).unwrap() {
        let path = entry.unwrap().path();
        assert!(
            tool("qpdf", &["--check", path.to_str().unwrap()])
                .status
                .success(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn html_site_in_headless_chromium() {
    let (dir, out) = built_project();
    let browser = crate::cdp::Browser::launch(&dir.path().join("chromium-profile"));
    let mut tab = browser.tab();
    // Every page loads with no console error, no exception, no failed load, and requests
    // nothing outside the package.
    for page in [
        "index",
        "risk-management-report",
        "threat-model",
        "risk-assessment",
        "sbom",
        "software-support",
        "anomalies",
        "traceability",
        "metrics",
        "security-architecture",
        "testing",
        "labeling",
        "management-plan",
        "findings",
    ] {
        let url = format!("file://{}", out.join(format!("html/{page}.html")).display());
        let report = tab.load(&url);
        assert!(report.errors.is_empty(), "{page}: {:?}", report.errors);
        for request in &report.requests {
            assert!(request.starts_with("file://"), "{page} requested {request}");
        }
        assert_eq!(
            tab.eval("document.querySelectorAll('script').length"),
            0,
            "{page} has a script"
        );
    }
    // A screenshot of the index.
    let index = format!("file://{}", out.join("html/index.html").display());
    tab.load(&index);
    let png = tab.screenshot();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot looks empty ({} bytes)",
        png.len()
    );
    std::fs::write(dir.path().join("index.png"), &png).unwrap();
    assert_eq!(
        tab.eval("getComputedStyle(document.querySelector('nav.toc')).display"),
        "block",
        "the stylesheet applies"
    );
    // The script probe in a threat title is text, and did not run.
    let url = format!("file://{}", out.join("html/threat-model.html").display());
    tab.load(&url);
    assert_ne!(tab.eval("document.title"), "PWNED", "the probe ran");
    let text = tab.eval("document.body.innerText");
    assert!(
        text.as_str()
            .unwrap_or("")
            .contains("<script>document.title='PWNED'</script>"),
        "probe not shown as text"
    );
    assert_eq!(
        tab.eval("document.querySelectorAll('img[src=x]').length"),
        0,
        "an injected image is in the page"
    );
}

#[test]
fn html_site_makes_no_external_requests() {
    let (_dir, out) = built_project();
    for entry in walkdir::WalkDir::new(out.join("html")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for needle in [
            "src=\"http",
            "src='http",
            "<link href=\"http",
            "url(http",
            "@import",
            "<script",
        ] {
            assert!(
                !text.contains(needle),
                "{} contains {needle}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn the_browser_harness_sees_errors() {
    // Proves the checks above can fail: a page with a console error and a missing stylesheet.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.html"),
        "<html><head><link rel=\"stylesheet\" href=\"missing.css\"></head><body><script>console.error('boom')</script></body></html>",
    )
    .unwrap();
    let browser = crate::cdp::Browser::launch(&dir.path().join("profile"));
    let mut tab = browser.tab();
    let report = tab.load(&format!("file://{}", dir.path().join("bad.html").display()));
    assert!(
        report.errors.iter().any(|e| e.contains("boom")),
        "{:?}",
        report.errors
    );
    assert!(
        report.errors.iter().any(|e| e.contains("failed load")),
        "{:?}",
        report.errors
    );
}

#[test]
fn diagrams_are_drawn_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/infusion-pump");
    let output = dossier()
        .arg("build")
        .arg(&example)
        .arg("--out")
        .arg(&out)
        .args(["--format", "pdf"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The SVG diagrams are drawn as vector graphics, so their own text is in the PDF's text.
    let text = pdf_pages(&out.join("pdf/security-architecture.pdf")).join("\n");
    let svg = std::fs::read_to_string(example.join("diagrams/global.svg")).unwrap();
    let label = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| {
            t.split_once('>')
                .map(|(_, rest)| rest.split('<').next().unwrap_or("").trim().to_string())
        })
        .find(|l| l.len() > 12 && !l.contains('&'))
        .expect("a text label in the diagram");
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        squash(&text).contains(&squash(&label)),
        "the global view diagram's label {label:?} is not in the PDF"
    );
}
