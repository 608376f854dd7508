//! The MDS2 form: findings M001 to M004 with their locations, the `mds2` section merged across
//! files, `dossier mds2` and its workbook, and the example project's complete form.

use crate::util::*;
use dossier::Finding;

/// A connected device: Wi-Fi to a hospital server, both flows TLS 1.3.
const DEVICE: &str = "\
components:
  - id: DEV
    name: Probe device
    kind: device
    owner: manufacturer
    in_device: true
    interfaces:
      - { name: Wi-Fi radio, transport: wifi }
  - { id: SRV, name: Hospital server, kind: server, owner: hospital }
flows:
  - id: F-1
    purpose: Telemetry upload
    from: DEV
    to: SRV
    transport: wifi
    protocol: HTTPS
    carries: [data]
    encryption: { protocol: TLS 1.3 }
  - id: F-2
    purpose: Configuration download
    from: DEV
    to: SRV
    transport: wifi
    protocol: HTTPS
    carries: [data]
    encryption: { protocol: TLS 1.3 }
";

fn with_code<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

#[test]
fn answering_no_to_encryption_over_tls_flows_is_m002_at_the_answer() {
    let dir = project(&[
        ("architecture.yaml", DEVICE),
        (
            "mds2.yaml",
            "mds2:\n  answers:\n    TXCF-2:\n      answer: no\n      note: We do not encrypt.\n",
        ),
    ]);
    let findings = check_lib(dir.path());
    let m002 = with_code(&findings, "M002");
    assert_eq!(m002.len(), 1, "{findings:#?}");
    let finding = m002[0];
    assert_eq!(finding.severity, dossier::Severity::Error);
    assert!(
        finding
            .message
            .contains("answers No to TXCF-2 (Is data encrypted before the device sends it), but every device flow uses TLS 1.3: F-1, F-2"),
        "{}",
        finding.message
    );
    let location = finding.location.as_ref().unwrap();
    assert_eq!(
        (location.file.as_str(), location.line, location.column),
        ("mds2.yaml", 4, 15)
    );
    assert_eq!(finding.subject.as_deref(), Some("TXCF-2"));
    assert_eq!(
        finding.guidance.as_deref(),
        Some("ANSI/NEMA HN 1-2019 (MDS2); §VI.A")
    );

    // The human report points at the line, and the check fails.
    let output = dossier().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("error[M002]"), "{text}");
    assert!(text.contains("mds2.yaml:4:15"), "{text}");

    // Answering Yes agrees with the model: no finding.
    let dir = project(&[
        ("architecture.yaml", DEVICE),
        (
            "mds2.yaml",
            "mds2:\n  answers:\n    TXCF-2: { answer: yes }\n",
        ),
    ]);
    assert!(with_code(&check_lib(dir.path()), "M002").is_empty());
}

#[test]
fn unknown_question_id_is_m003_with_did_you_mean() {
    let dir = project(&[
        ("architecture.yaml", DEVICE),
        (
            "mds2.yaml",
            "mds2:\n  answers:\n    EMRG-1: { answer: no }\n    CONN-7.2: { answer: no }\n    DOC-8: { answer: yes }\n",
        ),
    ]);
    let findings = check_lib(dir.path());
    let m003 = with_code(&findings, "M003");
    assert_eq!(m003.len(), 2, "{findings:#?}");
    let conn = m003
        .iter()
        .find(|f| f.subject.as_deref() == Some("CONN-7.2"))
        .unwrap();
    assert_eq!(conn.help.as_deref(), Some("did you mean `CONN-7.1`?"));
    let location = conn.location.as_ref().unwrap();
    assert_eq!(
        (location.file.as_str(), location.line, location.column),
        ("mds2.yaml", 4, 5)
    );
    // Document information has its own keys.
    let doc = m003
        .iter()
        .find(|f| f.subject.as_deref() == Some("DOC-8"))
        .unwrap();
    assert!(doc.help.as_deref().unwrap().contains("mds2.document"));
}

#[test]
fn unanswered_questions_give_one_m001_per_section() {
    let dir = project(&[("architecture.yaml", DEVICE)]);
    let findings = check_lib(dir.path());
    let m001 = with_code(&findings, "M001");
    assert!(!m001.is_empty());
    let mut sections: Vec<&str> = m001.iter().filter_map(|f| f.subject.as_deref()).collect();
    let count = sections.len();
    sections.dedup();
    assert_eq!(sections.len(), count, "one finding per section");
    for finding in &m001 {
        assert_eq!(finding.severity, dossier::Severity::Warning);
        // No `mds2` section: the finding points at dossier.yaml.
        assert_eq!(finding.location.as_ref().unwrap().file, "dossier.yaml");
    }
    let emrg = m001
        .iter()
        .find(|f| f.subject.as_deref() == Some("EMRG"))
        .unwrap();
    assert!(
        emrg.message
            .contains("MDS2 EMRG (Emergency Access): 1 question has no answer: EMRG-1"),
        "{}",
        emrg.message
    );
    // The model answers all of TXCF-2, so TXCF lists only the others.
    let txcf = m001
        .iter()
        .find(|f| f.subject.as_deref() == Some("TXCF"))
        .unwrap();
    assert!(!txcf.message.contains("TXCF-2,") && !txcf.message.ends_with("TXCF-2"));

    // Answering EMRG removes its finding; the rest stay, now located at the mds2 section.
    let dir = project(&[
        ("architecture.yaml", DEVICE),
        (
            "mds2.yaml",
            "mds2:\n  answers:\n    EMRG-1: { answer: no }\n",
        ),
    ]);
    let findings = check_lib(dir.path());
    let m001 = with_code(&findings, "M001");
    assert!(m001.iter().all(|f| f.subject.as_deref() != Some("EMRG")));
    assert_eq!(m001[0].location.as_ref().unwrap().file, "mds2.yaml");

    // A device that connects to nothing and has no `mds2` section is not asked for one.
    let dir = project(&[(
        "architecture.yaml",
        "components:\n  - { id: DEV, name: Probe, kind: device, owner: manufacturer, in_device: true }\n",
    )]);
    assert!(with_code(&check_lib(dir.path()), "M001").is_empty());
}

#[test]
fn an_answer_under_a_no_parent_is_m004() {
    let dir = project(&[
        ("architecture.yaml", DEVICE),
        (
            "mds2.yaml",
            "mds2:\n  answers:\n    DIDT-1: { answer: no }\n    DIDT-1.1: { answer: yes }\n",
        ),
    ]);
    let findings = check_lib(dir.path());
    let m004 = with_code(&findings, "M004");
    assert_eq!(m004.len(), 1, "{findings:#?}");
    assert!(m004[0].message.contains("gating question DIDT-1 is No"));
    assert_eq!(m004[0].location.as_ref().unwrap().line, 4);
}

#[test]
fn answers_may_be_split_across_files_but_not_repeated() {
    let dir = project(&[
        ("architecture.yaml", DEVICE),
        (
            "mds2/access.yaml",
            "mds2:\n  answers:\n    EMRG-1: { answer: no }\n",
        ),
        (
            "mds2/data.yaml",
            "mds2:\n  document: { network_diagram: false }\n  answers:\n    DIDT-1: { answer: no }\n",
        ),
    ]);
    let findings = check_lib(dir.path());
    assert!(with_code(&findings, "L014").is_empty(), "{findings:#?}");
    let subjects: Vec<&str> = with_code(&findings, "M001")
        .iter()
        .filter_map(|f| f.subject.as_deref())
        .collect();
    assert!(
        !subjects.contains(&"EMRG") && !subjects.contains(&"DIDT"),
        "{subjects:?}"
    );

    let dir = project(&[
        ("architecture.yaml", DEVICE),
        ("a.yaml", "mds2:\n  answers:\n    EMRG-1: { answer: no }\n"),
        ("b.yaml", "mds2:\n  answers:\n    EMRG-1: { answer: yes }\n"),
    ]);
    let findings = check_lib(dir.path());
    let l014 = with_code(&findings, "L014");
    assert_eq!(l014.len(), 1, "{findings:#?}");
    assert!(
        l014[0]
            .message
            .contains("`mds2.answers.EMRG-1` is set in two places")
    );
}

#[test]
fn wrong_answer_words_are_load_findings() {
    let dir = project(&[
        ("architecture.yaml", DEVICE),
        (
            "mds2.yaml",
            "mds2:\n  answers:\n    EMRG-1: { answer: maybe }\n    DIDT-1: { answr: no }\n",
        ),
    ]);
    let findings = check_lib(dir.path());
    assert_eq!(with_code(&findings, "L011").len(), 1, "{findings:#?}");
    let unknown = with_code(&findings, "L008");
    assert_eq!(unknown.len(), 1, "{findings:#?}");
    assert_eq!(unknown[0].help.as_deref(), Some("did you mean `answer`?"));
}

#[test]
fn the_mds2_command_writes_identical_workbooks() {
    let dir = project(&[
        ("architecture.yaml", DEVICE),
        (
            "mds2.yaml",
            "mds2:\n  answers:\n    TXCF-2: { answer: no }\n",
        ),
    ]);
    let a = dir.path().join("a.xlsx");
    let b = dir.path().join("b.xlsx");
    for out in [&a, &b] {
        let output = dossier()
            .arg("mds2")
            .arg(dir.path())
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        // Written, but the contradiction fails the command.
        assert_eq!(output.status.code(), Some(1));
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains("error[M002]") && text.contains("wrote"),
            "{text}"
        );
    }
    let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    assert_eq!(a, b);
    assert_eq!(&a[..2], b"PK");

    // A workbook needs a file.
    dossier().arg("mds2").arg(dir.path()).assert().code(2);
}

#[test]
fn the_mds2_command_writes_the_form_as_json() {
    let dir = project(&[("architecture.yaml", DEVICE)]);
    let output = dossier()
        .args(["mds2", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let form: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(form["standard"], "ANSI/NEMA HN 1-2019");
    assert_eq!(form["date"], "2026-01-15");
    assert_eq!(form["document"]["questions"].as_array().unwrap().len(), 15);
    let sections = form["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 23);
    let txcf2 = sections
        .iter()
        .flat_map(|s| s["questions"].as_array().unwrap())
        .find(|q| q["id"] == "TXCF-2")
        .unwrap();
    assert_eq!(txcf2["answer"], "Yes");
    assert_eq!(txcf2["source"], "derived");
    assert_eq!(txcf2["facts"][0], "F-1: TLS 1.3");
    // The MDS2 findings of the check travel with the form.
    assert!(
        form["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "M001")
    );
}

#[test]
fn the_release_date_follows_source_date_epoch() {
    let dir = project(&[
        (
            "dossier.yaml",
            &MINIMAL.replace("document_date: 2026-01-15\n", ""),
        ),
        ("architecture.yaml", DEVICE),
    ]);
    let output = dossier()
        .args(["mds2", "--format", "json"])
        .arg(dir.path())
        .env("SOURCE_DATE_EPOCH", "1792022400")
        .output()
        .unwrap();
    let form: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(form["date"], "2026-10-15");
    let doc7 = form["document"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "DOC-7")
        .unwrap();
    assert_eq!(doc7["value"], "2026-10-15", "{doc7:#?}");
}

#[test]
fn the_example_project_answers_every_question() {
    let findings = check_lib(&example("infusion-pump"));
    let mds2: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.code.starts_with('M') || f.message.contains("mds2"))
        .collect();
    assert!(mds2.is_empty(), "{mds2:#?}");
    let loaded = dossier::load::load(&example("infusion-pump")).unwrap();
    let form = dossier::mds2::evaluate(&loaded.project);
    assert_eq!(form.summary.unanswered, 0);
    assert!(form.summary.derived > 60, "{:?}", form.summary);
}
