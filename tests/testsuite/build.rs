//! `dossier build`: the package, its reliability (atomic swap, refusals), determinism, templates.

use crate::util::*;
use predicates::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file below `dir` (relative path -> bytes).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

fn init() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    dossier().arg("init").arg(dir.path()).assert().success();
    dir
}

fn build(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    dossier().arg("build").arg(dir).args(extra).assert()
}

#[test]
fn builds_every_format_with_a_manifest() {
    let dir = init();
    // An incomplete project still builds; exit 1 says it is a draft.
    build(dir.path(), &[])
        .code(1)
        .stdout(predicate::str::contains("DRAFT"));
    let out = tree(&dir.path().join("out"));
    for page in [
        "index",
        "findings",
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
    ] {
        assert!(out.contains_key(&format!("md/{page}.md")), "md/{page}.md");
        assert!(
            out.contains_key(&format!("html/{page}.html")),
            "html/{page}.html"
        );
        if page != "index" {
            assert!(
                out.contains_key(&format!("pdf/{page}.pdf")),
                "pdf/{page}.pdf"
            );
        }
    }
    assert!(out.contains_key("pdf/submission.pdf"));
    assert!(out.contains_key("html/style.css"));
    let manifest: serde_json::Value = serde_json::from_slice(&out["manifest.json"]).unwrap();
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(
        listed.len(),
        out.len() - 1,
        "every file but the manifest itself"
    );
    for entry in listed {
        let path = entry["path"].as_str().unwrap();
        let digest: String = Sha256::digest(&out[path])
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(entry["sha256"], digest, "{path}");
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = init();
    dossier()
        .current_dir(dir.path())
        .args(["build", ".", "--out", "a"])
        .assert()
        .code(1);
    // A second copy elsewhere, so paths differ too.
    let other = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(other.path()).unwrap();
    copy_tree(dir.path(), other.path());
    std::fs::remove_dir_all(other.path().join("a")).unwrap();
    dossier()
        .current_dir(other.path())
        .args(["build", ".", "--out", "b"])
        .assert()
        .code(1);
    let a = tree(&dir.path().join("a"));
    let b = tree(&other.path().join("b"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between builds");
    }
}

#[test]
fn every_page_says_draft_and_gaps_say_missing() {
    let dir = init();
    build(dir.path(), &["--format", "md,html"]).code(1);
    let out = tree(&dir.path().join("out"));
    for (path, bytes) in &out {
        if path.ends_with(".md") || path.ends_with(".html") {
            let text = String::from_utf8_lossy(bytes);
            assert!(text.contains("DRAFT: "), "{path} has no DRAFT mark");
        }
    }
    let labeling = String::from_utf8_lossy(&out["md/labeling.md"]);
    assert!(
        labeling.contains("**MISSING:** the labeling lacks LBL-5"),
        "{labeling}"
    );
    assert!(labeling.contains("(§VI.A item 5)"));
}

#[test]
fn format_flag_limits_the_output() {
    let dir = init();
    build(dir.path(), &["--format", "md"]).code(1);
    let out = tree(&dir.path().join("out"));
    // Markdown only: the documents and the customer labeling's Markdown.
    let markdown_only =
        |p: &String| p.ends_with(".md") && (p.starts_with("md/") || p.starts_with("labeling/"));
    assert!(
        out.keys().all(|p| markdown_only(p) || p == "manifest.json"),
        "{:?}",
        out.keys()
    );
}

#[test]
fn project_text_is_escaped_in_html() {
    let dir = init();
    write(
        dir.path(),
        "probe.yaml",
        "threats:\n  - id: T-PROBE\n    title: \"<script>document.title='PWNED'</script> & <b>bold</b>\"\n    stride: [spoofing]\n    targets: []\n    attack_vector: network\n",
    );
    build(dir.path(), &["--format", "md,html"]).code(1);
    let html = std::fs::read_to_string(dir.path().join("out/html/threat-model.html")).unwrap();
    assert!(
        !html.contains("<script"),
        "a script element reached the page"
    );
    assert!(!html.contains("<b>bold"), "markup reached the page");
    assert!(
        html.contains("&lt;script&gt;document.title="),
        "the probe shows as text"
    );
}

#[test]
fn pictures_inside_the_project_are_copied_and_others_dropped() {
    let dir = init();
    write(
        dir.path(),
        "pics/flow.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    write(
        dir.path(),
        "probe.yaml",
        "threats:\n  - id: T-PIC\n    title: Pictures\n    stride: [spoofing]\n    targets: []\n    attack_vector: network\n    description: |\n      ![Data flow](pics/flow.svg)\n\n      ![pr](//127.0.0.1:8112/t.png) ![up](../../x.png) ![abs](/tmp/x.png) ![web](https://example.com/x.png)\n",
    );
    build(dir.path(), &["--format", "md,html"]).code(1);
    let out = dir.path().join("out");
    let html = std::fs::read_to_string(out.join("html/threat-model.html")).unwrap();
    let md = std::fs::read_to_string(out.join("md/threat-model.md")).unwrap();
    for text in [&html, &md] {
        for external in ["127.0.0.1", "x.png", "example.com"] {
            assert!(!text.contains(external), "{external} reached the package");
        }
    }
    assert!(html.contains("<img src=\"diagrams/pics-flow.svg\" alt=\"Data flow\""));
    assert!(md.contains("![Data flow](diagrams/pics-flow.svg)"));
    for folder in ["html", "md"] {
        assert!(
            out.join(folder).join("diagrams/pics-flow.svg").is_file(),
            "{folder}"
        );
    }

    // Two files whose package names would clash stay apart; a name with a space is cleaned.
    let svg = |id: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\"/>");
    write(dir.path(), "img/a.svg", &svg("first"));
    write(dir.path(), "img-a.svg", &svg("second"));
    write(dir.path(), "my pic.svg", &svg("third"));
    write(
        dir.path(),
        "probe.yaml",
        "threats:\n  - id: T-PIC\n    title: Pictures\n    stride: [spoofing]\n    targets: []\n    attack_vector: network\n    description: |\n      ![first](img/a.svg)\n\n      ![second](img-a.svg)\n\n      ![third](<my pic.svg>)\n",
    );
    build(dir.path(), &["--format", "md,html"]).code(1);
    let html = std::fs::read_to_string(out.join("html/threat-model.html")).unwrap();
    for alt in ["first", "second", "third"] {
        let at = html.find(&format!("alt=\"{alt}\"")).expect(alt);
        let img = &html[html[..at].rfind("<img").unwrap()..at];
        let src = img.split('"').nth(1).unwrap();
        let shown = std::fs::read_to_string(out.join("html").join(src)).unwrap();
        assert!(shown.contains(alt), "{alt} shows {src}");
    }
}

#[test]
fn a_failed_build_keeps_the_previous_package() {
    let dir = init();
    build(dir.path(), &["--format", "md,html"]).code(1);
    let before = tree(&dir.path().join("out"));
    // An override that uses a variable the context does not have.
    write(
        dir.path(),
        "templates/md/metrics.md",
        "# Metrics\n\nSee {{ no_such_variable.value }}.\n",
    );
    build(dir.path(), &["--format", "md,html"])
        .code(2)
        .stderr(predicate::str::contains("templates/md/metrics.md:3:"));
    assert_eq!(
        tree(&dir.path().join("out")),
        before,
        "the previous package is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".dossier-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders left behind");
}

#[test]
fn output_folder_may_not_be_or_contain_the_project() {
    let dir = init();
    dossier()
        .current_dir(dir.path())
        .args(["build", ".", "--out", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is the project folder"));
    dossier()
        .current_dir(dir.path())
        .args(["build", ".", "--out", ".."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("contains the project"));
    // `..` after a folder that does not exist yet resolves as it will once created.
    dossier()
        .current_dir(dir.path())
        .args(["build", ".", "--out", "missing/.."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is the project folder"));
    dossier()
        .current_dir(dir.path())
        .args(["build", ".", "--out", "missing/deeper/../../.."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("contains the project"));
    assert!(
        !dir.path().join("missing").exists(),
        "a refused build creates nothing"
    );
}

#[test]
fn an_unrelated_folder_is_not_replaced() {
    let dir = init();
    write(dir.path(), "out/notes.txt", "my notes");
    build(dir.path(), &[])
        .code(2)
        .stderr(predicate::str::contains("not a dossier package"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/notes.txt")).unwrap(),
        "my notes"
    );
}

#[test]
fn document_date_from_source_date_epoch() {
    let dir = init();
    let yaml = std::fs::read_to_string(dir.path().join("dossier.yaml")).unwrap();
    std::fs::write(
        dir.path().join("dossier.yaml"),
        yaml.replace("document_date: 2026-01-15\n", ""),
    )
    .unwrap();
    build(dir.path(), &["--format", "md"])
        .code(2)
        .stderr(predicate::str::contains("SOURCE_DATE_EPOCH"));
    dossier()
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .arg("build")
        .arg(dir.path())
        .args(["--format", "md"])
        .assert()
        .code(1);
    let index = std::fs::read_to_string(dir.path().join("out/md/index.md")).unwrap();
    assert!(index.contains("2026-01-01"), "{index}");
}

#[test]
fn overrides_and_block_extension() {
    let dir = init();
    write(
        dir.path(),
        "templates/md/metrics.md",
        "# Metrics\n\nOur own metrics page for {{ meta.device.name }}.\n",
    );
    write(
        dir.path(),
        "templates/html/page.html",
        "{% extends \"default/html/page.html\" %}{% block footer %}Confidential: {{ meta.device.manufacturer }}{% endblock footer %}",
    );
    build(dir.path(), &["--format", "md,html"]).code(1);
    let metrics = std::fs::read_to_string(dir.path().join("out/md/metrics.md")).unwrap();
    assert!(
        metrics.contains("Our own metrics page for Example Device"),
        "{metrics}"
    );
    let page = std::fs::read_to_string(dir.path().join("out/html/index.html")).unwrap();
    assert!(
        page.contains("Confidential: Example Medical Inc."),
        "{page}"
    );
    assert!(
        page.contains("Package index"),
        "the rest of the default page stays"
    );
}

#[test]
fn eject_writes_the_defaults_once() {
    let dir = init();
    dossier()
        .args(["templates", "eject"])
        .arg(dir.path())
        .assert()
        .success();
    assert!(dir.path().join("templates/md/threat-model.md").is_file());
    assert!(dir.path().join("templates/pdf/package.typ").is_file());
    // Ejected defaults build the same package as no templates at all.
    let out = tempfile::tempdir().unwrap();
    dossier()
        .arg("build")
        .arg(dir.path())
        .args(["--format", "md", "--out"])
        .arg(out.path().join("ejected"))
        .assert()
        .code(1);
    std::fs::remove_dir_all(dir.path().join("templates")).unwrap();
    dossier()
        .arg("build")
        .arg(dir.path())
        .args(["--format", "md", "--out"])
        .arg(out.path().join("plain"))
        .assert()
        .code(1);
    assert_eq!(
        tree(&out.path().join("ejected")),
        tree(&out.path().join("plain"))
    );
    dossier()
        .args(["templates", "eject"])
        .arg(dir.path())
        .assert()
        .success();
    dossier()
        .args(["templates", "eject"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not overwriting"));
}
