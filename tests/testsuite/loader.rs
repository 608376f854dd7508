//! Bad input: every problem is a located finding, never a panic or a hang, and the loader does
//! not stop at the first one.

use crate::util::*;
use std::time::{Duration, Instant};

/// Runs check and asserts a finding with `code` located in `file`, exit 1, within seconds.
fn assert_located(dir: &std::path::Path, code: &str, file: &str) -> serde_json::Value {
    let started = Instant::now();
    let (exit, doc) = check_json(dir);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(exit, 1, "{doc:#}");
    let found = with_code(&doc, code);
    let hit = found
        .iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("no {code} in {file}: {doc:#}"));
    (*hit).clone()
}

#[test]
fn garbage_bytes() {
    let dir = project(&[]);
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(dir.path().join("garbage.yaml"), garbage).unwrap();
    let finding = assert_located(dir.path(), "L002", "garbage.yaml");
    assert!(finding["line"].as_u64().unwrap() >= 1);
}

#[test]
fn empty_file() {
    let dir = project(&[("empty.yaml", ""), ("comments.yml", "# nothing here\n")]);
    assert_located(dir.path(), "L003", "empty.yaml");
    assert_located(dir.path(), "L003", "comments.yml");
}

#[test]
fn alias_bomb() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(", ");
        text.push_str(&format!("{}: &{} [{}]\n", pair[1], pair[1], refs));
    }
    let dir = project(&[("bomb.yaml", &text)]);
    let finding = assert_located(dir.path(), "L005", "bomb.yaml");
    assert!(finding["line"].as_u64().unwrap() >= 1);
}

#[test]
fn deep_nesting() {
    let flow = format!("threats: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let mut block = String::from("threats:\n");
    for depth in 1..10_000 {
        block.push_str(&" ".repeat(depth * 2));
        block.push_str("- \n");
    }
    let dir = project(&[("flow.yaml", &flow), ("block.yaml", &block)]);
    assert_located(dir.path(), "L005", "flow.yaml");
    let (_, doc) = check_json(dir.path());
    assert!(
        findings(&doc).iter().any(|f| f["file"] == "block.yaml"),
        "block nesting reported: {doc:#}"
    );
}

#[test]
fn fifty_megabyte_file() {
    let dir = project(&[]);
    let line = "# padding padding padding padding padding padding padding padding padding\n";
    let text = line.repeat(50 * 1024 * 1024 / line.len() + 1);
    std::fs::write(dir.path().join("huge.yaml"), text).unwrap();
    let finding = assert_located(dir.path(), "L004", "huge.yaml");
    assert!(finding["message"].as_str().unwrap().contains("MiB"));
}

#[test]
fn yaml_syntax_error_is_located() {
    let dir = project(&[(
        "bad.yaml",
        "threats:\n  - id: T-1\n    title: [unclosed\n  - id: T-2\n",
    )]);
    let finding = assert_located(dir.path(), "L001", "bad.yaml");
    assert!(finding["line"].as_u64().unwrap() >= 3);
}

#[test]
fn every_problem_at_once() {
    // Three files, each with a different problem, plus good items around the bad ones.
    let dir = project(&[
        (
            "a.yaml",
            "threats:\n  - id: T-1\n    title: Good\n    stride: [spoofing]\n    targets: []\n    attack_vector: network\n  - id: T-2\n    title: Bad vector\n    stride: [tampering]\n    targets: []\n    attack_vector: netwrok\n",
        ),
        (
            "b.yaml",
            "controls:\n  - id: C-1\n    title: No description\n",
        ),
        (
            "c.yaml",
            "risks:\n  - id: R-1\n    title: Wrong type\n    threats: T-1\n    severity: minor\n    before: { exploitability: low }\n",
        ),
    ]);
    let (_, doc) = check_json(dir.path());
    let l011 = with_code(&doc, "L011");
    assert!(
        l011.iter().any(|f| f["file"] == "a.yaml"
            && f["line"] == 11
            && f["help"].as_str().unwrap().contains("network")),
        "{doc:#}"
    );
    let l010 = with_code(&doc, "L010");
    assert!(
        l010.iter().any(
            |f| f["file"] == "b.yaml" && f["message"].as_str().unwrap().contains("description")
        ),
        "{doc:#}"
    );
    let l009 = with_code(&doc, "L009");
    assert!(
        l009.iter().any(|f| f["file"] == "c.yaml" && f["line"] == 4),
        "{doc:#}"
    );
}

#[test]
fn unknown_top_level_key_and_settings_in_content() {
    let dir = project(&[("x.yaml", "threatz: []\ndevice: {}\n")]);
    let (_, doc) = check_json(dir.path());
    let unknown = with_code(&doc, "L007");
    assert_eq!(unknown.len(), 1, "{doc:#}");
    assert!(unknown[0]["help"].as_str().unwrap().contains("threats"));
    assert_eq!(with_code(&doc, "L012").len(), 1);
}

#[test]
fn versions_keep_their_spelling() {
    // YAML reads 4.10 as a float; the model keeps what was written.
    let dossier_yaml = MINIMAL.replace("version: 1.0.0", "version: 4.10");
    let dir = project(&[("dossier.yaml", &dossier_yaml)]);
    let loaded = dossier::load::load(dir.path()).unwrap();
    assert_eq!(loaded.project.settings.release.version, "4.10");
}

#[cfg(unix)]
#[test]
fn symlinks_loops_and_escapes_are_reported_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.yaml", "threats: []\n");
    let dir = project(&[]);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("elsewhere")).unwrap();
    let (_, doc) = check_json(dir.path());
    let l006 = with_code(&doc, "L006");
    assert!(l006.iter().any(|f| f["file"] == "sub/loop"), "{doc:#}");
    assert!(l006.iter().any(|f| f["file"] == "elsewhere"), "{doc:#}");
    assert!(
        !findings(&doc)
            .iter()
            .any(|f| f["file"].as_str().unwrap_or("").contains("secret"))
    );
}

#[test]
fn hidden_and_output_folders_are_skipped() {
    let dir = project(&[
        (".git/config.yaml", "not: dossier\n"),
        ("out/stale.yaml", "not: dossier\n"),
    ]);
    let (_, doc) = check_json(dir.path());
    assert!(with_code(&doc, "L007").is_empty(), "{doc:#}");
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let dir = project(&[(
        "flows.yaml",
        "flows:\n  - id: F-1\n    purpose: x\n    from: A\n    to: B\n    transport: wifi\n    protocol: HTTPS\n    carries: [data]\n    encrpytion: { protocol: TLS 1.3 }\n",
    )]);
    let (_, doc) = check_json(dir.path());
    let unknown = with_code(&doc, "L008");
    assert_eq!(unknown.len(), 1, "{doc:#}");
    assert_eq!(unknown[0]["line"], 9);
    assert!(
        unknown[0]["help"]
            .as_str()
            .unwrap()
            .contains("`encryption`")
    );
}

#[test]
fn an_unknown_field_does_not_drop_its_item() {
    // A typo in one field is reported, and the item still counts: no cascade of findings.
    let dir = project(&[
        (
            "t.yaml",
            "threats:\n  - id: T-1\n    title: Spoofed server\n    stride: [spoofing]\n    targets: []\n    attack_vector: network\n    colour: red\n",
        ),
        (
            "r.yaml",
            "risks:\n  - id: R-1\n    title: r\n    threats: [T-1]\n    severity: minor\n    before: { exploitability: low }\n",
        ),
    ]);
    let loaded = dossier::load::load(dir.path()).unwrap();
    assert_eq!(loaded.project.threats.len(), 1);
    let codes: Vec<&str> = loaded.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, vec!["L008"], "{:#?}", loaded.findings);
}

#[test]
fn several_documents_in_one_file_are_reported_plainly() {
    let dir = project(&[("two.yaml", "threats: []\n---\nrisks: []\n")]);
    let finding = assert_located(dir.path(), "L001", "two.yaml");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("one document per file")
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_project_file_is_read_once() {
    let dir = project(&[(
        "threats.yaml",
        "threats:\n  - id: T-1\n    title: x\n    stride: [spoofing]\n    targets: []\n    attack_vector: network\n",
    )]);
    std::os::unix::fs::symlink(
        dir.path().join("threats.yaml"),
        dir.path().join("alias.yaml"),
    )
    .unwrap();
    let (_, doc) = check_json(dir.path());
    assert!(with_code(&doc, "R001").is_empty(), "{doc:#}");
    // Findings point at the real file, not at the link that sorts first.
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["file"] != "alias.yaml"),
        "{doc:#}"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_to_files_dossier_does_not_read_are_ignored() {
    let dir = project(&[]);
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("logo.svg"), "<svg/>").unwrap();
    std::fs::write(elsewhere.path().join("threats.yaml"), "threats: []\n").unwrap();
    let link = |target: &std::path::Path, name: &str| {
        std::os::unix::fs::symlink(target, dir.path().join(name)).unwrap()
    };
    link(&elsewhere.path().join("logo.svg"), "logo.svg");
    link(std::path::Path::new("missing.md"), "README.md");
    link(&elsewhere.path().join("threats.yaml"), "outside.yaml");
    link(std::path::Path::new("missing.yaml"), "broken.yaml");
    // A broken link without an extension may have been a folder of content: reported.
    link(std::path::Path::new("moved-away"), "controls");
    let (_, doc) = check_json(dir.path());
    let mut l006: Vec<&str> = with_code(&doc, "L006")
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    l006.sort();
    assert_eq!(l006, ["broken.yaml", "controls", "outside.yaml"], "{doc:#}");
}

#[test]
fn ids_that_share_an_anchor_are_reported() {
    let dir = project(&[(
        "threats.yaml",
        "threats:\n  - id: T-01\n    title: x\n    stride: [spoofing]\n    targets: []\n    attack_vector: network\n  - id: \"T 01\"\n    title: y\n    stride: [spoofing]\n    targets: []\n    attack_vector: network\n",
    )]);
    let (_, doc) = check_json(dir.path());
    let r001 = with_code(&doc, "R001");
    assert_eq!(r001.len(), 1, "{doc:#}");
    assert!(
        r001[0]["message"]
            .as_str()
            .unwrap()
            .contains("both become the anchor `T-01`")
    );
    assert_eq!(r001[0]["line"], 7);
}

#[test]
fn a_bad_value_costs_only_itself() {
    let dir = project(&[
        (
            "parts.yaml",
            "components:\n  - { id: CX, name: c, kind: Device, owner: Hospital, in_device: yes, colour: red }\n",
        ),
        (
            "sbom.yaml",
            "sbom:\n  components:\n    - { name: a, supplier: S, purl: pkg:generic/a@1 }\n    - { name: b, version: '2', supplier: S, purl: pkg:generic/b@2, support: actively-maintained, end_of_support: 2030-01-01 }\n",
        ),
    ]);
    let loaded = dossier::load::load(dir.path()).unwrap();
    // Every mistake of the component is reported in one run.
    let at_line_2: Vec<&str> = loaded
        .findings
        .iter()
        .filter(|f| f.location.as_ref().is_some_and(|l| l.file == "parts.yaml"))
        .map(|f| f.code)
        .collect();
    assert_eq!(
        at_line_2.len(),
        4,
        "kind, owner, in_device, colour: {:#?}",
        loaded.findings
    );
    // A bad value inside a required map is one finding, not also "missing `before`".
    let dir2 = project(&[(
        "risks.yaml",
        "risks:\n  - id: R-1\n    title: r\n    threats: []\n    severity: minor\n    before: { exploitability: hgh }\n",
    )]);
    let risk_findings: Vec<String> = dossier::load::load(dir2.path())
        .unwrap()
        .findings
        .iter()
        .map(|f| f.message.clone())
        .collect();
    assert_eq!(risk_findings.len(), 1, "{risk_findings:#?}");
    // The SBOM section keeps its good component; the bad one (no version) is dropped alone.
    let components = &loaded.project.inventory.components;
    assert_eq!(components.len(), 1);
    assert_eq!(components[0].name, "b");
}

#[test]
fn a_diagram_file_must_be_in_the_project() {
    let view = |file: &str| {
        format!(
            "views:\n  - id: V-1\n    kind: global\n    title: t\n    description: The whole system and its paths.\n    diagram: {{ kind: data-flow, file: {file} }}\n"
        )
    };
    let dir = project(&[("views.yaml", &view("missing.svg"))]);
    let (_, doc) = check_json(dir.path());
    let r005 = with_code(&doc, "R005");
    assert_eq!(r005.len(), 1, "{doc:#}");
    assert_eq!(r005[0]["file"], "views.yaml");
    let dir = project(&[("views.yaml", &view("../../../etc/passwd"))]);
    let (_, doc) = check_json(dir.path());
    assert_eq!(with_code(&doc, "R005").len(), 1, "{doc:#}");
    let dir = project(&[("views.yaml", &view("v.svg")), ("v.svg", "<svg/>")]);
    let (_, doc) = check_json(dir.path());
    assert!(with_code(&doc, "R005").is_empty(), "{doc:#}");
}
