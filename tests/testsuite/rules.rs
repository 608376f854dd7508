//! Every rule has a test that fails without it: a small project that breaks the rule gets the
//! finding, and the same project with the defect fixed does not.

use crate::util::*;
use dossier::Finding;

/// All findings of a throwaway project with these files.
fn found(files: &[(&str, &str)]) -> Vec<Finding> {
    let dir = project(files);
    check_lib(dir.path())
}

fn has(findings: &[Finding], code: &str, subject: &str) -> bool {
    findings
        .iter()
        .any(|f| f.code == code && f.subject.as_deref() == Some(subject))
}

fn count(findings: &[Finding], code: &str) -> usize {
    findings.iter().filter(|f| f.code == code).count()
}

const ACCEPTANCE: &str = "\
risk_management:
  scoring: Five-level exploitability scale from very low to very high.
  acceptance:
    catastrophic: very-low
    critical: low
    serious: medium
    minor: high
    negligible: very-high
";

const PUMP: &str = "\
components:
  - id: PUMP
    name: Pump
    kind: device
    owner: manufacturer
    in_device: true
  - id: NET
    name: Hospital network
    kind: network
    owner: hospital
";

fn control(id: &str, addresses: &str, implemented: &str) -> String {
    format!(
        "  - id: {id}\n    title: Control {id}\n    description: Does the thing it says it does.\n    requirement: It must hold under test.\n    addresses: [{addresses}]\n    implemented_by: [{implemented}]\n"
    )
}

fn test(id: &str, verifies: &str, result: &str) -> String {
    format!(
        "  - id: {id}\n    title: Test {id}\n    kind: security-requirements\n    verifies: [{verifies}]\n    result: {result}\n"
    )
}

#[test]
fn c001_recommendation_not_addressed() {
    let controls = format!("controls:\n{}", control("C-1", "AUTHN-1", "PUMP"));
    let f = found(&[("a.yaml", PUMP), ("c.yaml", &controls)]);
    assert!(!has(&f, "C001", "AUTHN-1"));
    assert!(has(&f, "C001", "AUTHN-2"));
    let with_na = format!(
        "{controls}not_applicable:\n  - id: AUTHN-2\n    rationale: The device has no external connections that outlive a session.\n"
    );
    let f = found(&[("a.yaml", PUMP), ("c.yaml", &with_na)]);
    assert!(!has(&f, "C001", "AUTHN-2"));
}

#[test]
fn c002_placeholder_rationale() {
    let na = "not_applicable:\n  - id: AUTHN-7\n    rationale: N/A\n  - id: AUTHN-6\n    rationale: The pump accepts no commands from any other device.\n";
    let f = found(&[("n.yaml", na)]);
    assert!(has(&f, "C002", "AUTHN-7"));
    assert!(!has(&f, "C002", "AUTHN-6"));
}

#[test]
fn c003_c004_claimed_but_not_implemented_or_verified() {
    let controls = format!(
        "controls:\n{}{}",
        control("C-1", "AUTHN-1", ""),
        control("C-2", "AUTHN-2", "PUMP")
    );
    let tests = format!(
        "tests:\n{}{}",
        test("TST-1", "C-1", "pass"),
        test("TST-2", "C-2", "fail")
    );
    let f = found(&[("a.yaml", PUMP), ("c.yaml", &controls), ("t.yaml", &tests)]);
    assert!(has(&f, "C003", "C-1"));
    assert!(!has(&f, "C004", "C-1"));
    assert!(has(&f, "C004", "C-2"));
    assert!(!has(&f, "C003", "C-2"));
}

#[test]
fn c005_c006_addressed_and_not_applicable_twice() {
    let text = format!(
        "controls:\n{}not_applicable:\n  - id: AUTHN-1\n    rationale: It really does not apply to this device at all.\n  - id: AUTHN-1\n    rationale: It really does not apply to this device at all.\n",
        control("C-1", "AUTHN-1", "PUMP")
    );
    let f = found(&[("a.yaml", PUMP), ("c.yaml", &text)]);
    assert!(has(&f, "C005", "AUTHN-1"));
    assert!(has(&f, "C006", "AUTHN-1"));
}

#[test]
fn r004_unknown_catalog_ids() {
    let text = format!(
        "controls:\n{}not_applicable:\n  - id: LBL-99\n    rationale: There is no such labeling item at all.\n",
        control("C-1", "AUTHN-10, LBL-3", "PUMP")
    );
    let f = found(&[("a.yaml", PUMP), ("c.yaml", &text)]);
    assert!(has(&f, "R004", "AUTHN-10"));
    assert!(
        has(&f, "R004", "LBL-3"),
        "a labeling item is not an Appendix 1 recommendation"
    );
    assert!(has(&f, "R004", "LBL-99"));
}

const THREAT: &str = "threats:\n  - id: T-1\n    title: Spoofed server\n    stride: [spoofing]\n    targets: [PUMP]\n    attack_vector: network\n";

#[test]
fn t001_threat_not_assessed() {
    let f = found(&[("a.yaml", PUMP), ("t.yaml", THREAT)]);
    assert!(has(&f, "T001", "T-1"));
    let risk = "risks:\n  - id: R-1\n    title: r\n    threats: [T-1]\n    severity: minor\n    before: { exploitability: low }\n";
    let f = found(&[("a.yaml", PUMP), ("t.yaml", THREAT), ("r.yaml", risk)]);
    assert!(!has(&f, "T001", "T-1"));
}

#[test]
fn t002_t006_t004_unacceptable_risks() {
    let risks = "risks:
  - id: R-1
    title: Unacceptable, no controls
    threats: [T-1]
    severity: critical
    before: { exploitability: high }
  - id: R-2
    title: Controls but no residual score
    threats: [T-1]
    severity: critical
    before: { exploitability: high }
    controls: [C-1]
  - id: R-3
    title: Residual still unacceptable
    threats: [T-1]
    severity: critical
    before: { exploitability: high }
    controls: [C-1]
    after: { exploitability: medium }
  - id: R-4
    title: Residual unacceptable but transferred
    threats: [T-1]
    severity: critical
    before: { exploitability: high }
    controls: [C-1]
    after: { exploitability: medium }
    acceptance: { decision: transferred, rationale: Users segment the network as the labeling explains. }
  - id: R-5
    title: Acceptable from the start
    threats: [T-1]
    severity: minor
    before: { exploitability: medium }
";
    let controls = format!("controls:\n{}", control("C-1", "AUTHN-1", "PUMP"));
    let f = found(&[
        ("a.yaml", PUMP),
        ("t.yaml", THREAT),
        ("r.yaml", risks),
        ("m.yaml", ACCEPTANCE),
        ("c.yaml", &controls),
    ]);
    assert!(has(&f, "T002", "R-1"));
    assert!(!has(&f, "T002", "R-5"));
    assert!(has(&f, "T006", "R-2"));
    assert!(has(&f, "T004", "R-3"));
    assert!(!has(&f, "T004", "R-4"));
    assert!(!has(&f, "T004", "R-5"));
}

#[test]
fn t003_t007_orphan_and_untested_controls() {
    let controls = "controls:\n  - id: C-9\n    title: Orphan\n    description: Not linked to any risk or test.\n";
    let f = found(&[("c.yaml", controls)]);
    assert!(has(&f, "T003", "C-9"));
    assert!(has(&f, "T007", "C-9"));
}

#[test]
fn t005_dispositions() {
    let tests = "tests:
  - id: TST-1
    title: Pen test
    kind: penetration
    result: pass-with-findings
    findings:
      - { id: TF-1, title: No disposition, severity: low }
      - { id: TF-2, title: Fixed nowhere, severity: low, disposition: { status: fixed } }
      - { id: TF-3, title: Deferred, severity: low, disposition: { status: deferred, plan: Fix ships in the next maintenance release., due: 2027-01-31 } }
      - { id: TF-4, title: Accepted blank, severity: low, disposition: { status: accepted, rationale: tbd } }
      - { id: TF-5, title: Deferred vaguely, severity: low, disposition: { status: deferred } }
";
    let f = found(&[("t.yaml", tests)]);
    assert!(has(&f, "T005", "TF-1"));
    assert!(has(&f, "T005", "TF-2"));
    assert!(!has(&f, "T005", "TF-3"));
    assert!(has(&f, "T005", "TF-4"));
    assert!(has(&f, "T005", "TF-5"));
}

#[test]
fn t008_failed_test_and_t009_anomaly() {
    let tests = format!("tests:\n{}", test("TST-1", "", "fail"));
    let anomalies = "anomalies:\n  - id: AN-1\n    title: Crash on long name\n    cwe: [CWE-120]\n    security_impact: true\n    assessment: Reachable only from the service port.\n";
    let f = found(&[("t.yaml", &tests), ("an.yaml", anomalies)]);
    assert!(has(&f, "T008", "TST-1"));
    assert!(has(&f, "T009", "AN-1"));
}

#[test]
fn k001_probability_scoring_cites_v_a_2() {
    let risks = "risks:\n  - id: R-1\n    title: r\n    threats: []\n    severity: minor\n    before: { exploitability: low, probability: 0.01 }\n    after: { exploitability: low, likelihood: rare }\n";
    let f = found(&[("r.yaml", risks)]);
    let k001: Vec<&Finding> = f.iter().filter(|f| f.code == "K001").collect();
    assert_eq!(k001.len(), 2);
    assert!(
        k001.iter()
            .all(|f| f.guidance.as_deref().unwrap_or("").contains("§V.A.2"))
    );
    assert_eq!(k001[0].location.as_ref().unwrap().line, 6);

    // Scored by probability alone: the risk does not load, and K001 still says why.
    let risks = "risks:\n  - id: R-1\n    title: r\n    threats: []\n    severity: minor\n    before: { probability: 0.3 }\n";
    let f = found(&[("r.yaml", risks)]);
    let k001: Vec<&Finding> = f.iter().filter(|f| f.code == "K001").collect();
    assert_eq!(k001.len(), 1, "{f:#?}");
    assert_eq!(k001[0].subject.as_deref(), Some("R-1"));
    assert_eq!(k001[0].location.as_ref().unwrap().line, 6);
}

#[test]
fn k002_exploitability_rises() {
    let risks = "risks:\n  - id: R-1\n    title: r\n    threats: []\n    severity: minor\n    before: { exploitability: low }\n    after: { exploitability: high }\n";
    assert!(has(&found(&[("r.yaml", risks)]), "K002", "R-1"));
}

const WIFI_FLOW: &str = "flows:\n  - id: F-1\n    purpose: Data\n    from: PUMP\n    to: NET\n    transport: wifi\n    protocol: HTTPS\n    carries: [data]\n";

#[test]
fn y_rules_for_a_derived_cyber_device() {
    let f = found(&[("a.yaml", PUMP), ("f.yaml", WIFI_FLOW)]);
    for subject in ["524B-b1", "524B-b2A", "524B-b2B", "524B-b3"] {
        assert!(
            f.iter()
                .any(|x| x.code.starts_with('Y') && x.subject.as_deref() == Some(subject)),
            "{subject}"
        );
    }
    // Not connected: not a cyber device, no 524B findings.
    let f = found(&[("a.yaml", PUMP)]);
    assert_eq!(f.iter().filter(|x| x.code.starts_with('Y')).count(), 0);
    // With a plan and an SBOM, nothing is missing.
    let plan = "plan:\n  cvd: { policy: https://example.com/cvd, contact: security@example.com }\n  patch_timelines: { regular_cycle_days: 90, critical_days: 30 }\nsbom:\n  components:\n    - { name: zephyr, version: 3.6.0, supplier: Zephyr Project }\n";
    let f = found(&[("a.yaml", PUMP), ("f.yaml", WIFI_FLOW), ("p.yaml", plan)]);
    assert_eq!(
        f.iter().filter(|x| x.code.starts_with('Y')).count(),
        0,
        "{f:#?}"
    );
}

#[test]
fn y005_critical_window_not_shorter() {
    let plan = "plan:\n  patch_timelines: { regular_cycle_days: 30, critical_days: 60 }\n";
    assert!(
        count(
            &found(&[("a.yaml", PUMP), ("f.yaml", WIFI_FLOW), ("p.yaml", plan)]),
            "Y005"
        ) == 1
    );
}

#[test]
fn y006_denied_cyber_device() {
    let yaml = format!("{MINIMAL}cyber_device: no\n");
    let f = found(&[
        ("dossier.yaml", &yaml),
        ("a.yaml", PUMP),
        ("f.yaml", WIFI_FLOW),
    ]);
    assert_eq!(count(&f, "Y006"), 1);
    assert_eq!(
        count(&f, "Y002"),
        0,
        "stated not a cyber device: no 524B findings"
    );
}

#[test]
fn usb_service_port_makes_a_cyber_device() {
    let components = "components:\n  - id: PUMP\n    name: Pump\n    kind: device\n    owner: manufacturer\n    in_device: true\n    interfaces:\n      - { name: USB service port, transport: usb, state: disabled }\n";
    let dir = project(&[("a.yaml", components)]);
    let loaded = dossier::load::load(dir.path()).unwrap();
    let outcome = dossier::check::check(&loaded.project);
    assert!(outcome.cyber.cyber_device, "{:?}", outcome.cyber);
    assert!(outcome.cyber.reason.contains("USB"));
}

#[test]
fn d_rules_documents_views_labeling_plan_tests() {
    let f = found(&[]);
    assert_eq!(count(&f, "D001"), 14, "{f:#?}");
    assert_eq!(count(&f, "D002"), 4);
    assert_eq!(count(&f, "D003"), 14);
    assert_eq!(count(&f, "D004"), 9);
    assert_eq!(count(&f, "D005"), 3);
    assert_eq!(count(&f, "D006"), 4);
    assert_eq!(count(&f, "D009"), 10);
    // Not applicable removes a documentation finding.
    let na = "not_applicable:\n  - id: VIEW-MULTIPATIENT\n    rationale: A single pump serves a single patient and shares nothing with other pumps.\n";
    let f = found(&[("n.yaml", na)]);
    assert_eq!(count(&f, "D002"), 3);
    // Metrics planned for a first product satisfy all three.
    let plan = "plan:\n  metrics:\n    plan: First product; metrics collected from the first field release onwards.\n";
    assert_eq!(count(&found(&[("p.yaml", plan)]), "D005"), 0);
}

#[test]
fn d007_d008_d015_pentest_report() {
    let tests =
        "tests:\n  - id: TST-P\n    title: Pen test\n    kind: penetration\n    result: pass\n";
    let f = found(&[("t.yaml", tests)]);
    let d007: std::collections::BTreeSet<&str> = f
        .iter()
        .filter(|x| x.code == "D007" && x.subject.as_deref() == Some("TST-P"))
        .map(|x| x.message.as_str())
        .collect();
    assert_eq!(
        d007.len(),
        5,
        "one finding per missing report item: {d007:#?}"
    );
    assert!(has(&f, "D008", "TST-P"));
    assert!(has(&f, "D015", "TST-P"));
}

#[test]
fn d010_d012_d013_d014_details() {
    let risks = "risks:\n  - id: R-1\n    title: r\n    threats: []\n    severity: serious\n    before: { exploitability: low }\n";
    let views =
        "views:\n  - id: V-1\n    kind: global\n    title: Global\n    description: Everything.\n";
    let controls = "controls:\n  - id: C-1\n    title: c\n    description: Does something useful here.\n    addresses: [AUTHN-1]\n";
    let f = found(&[
        ("a.yaml", PUMP),
        ("f.yaml", WIFI_FLOW),
        ("r.yaml", risks),
        ("v.yaml", views),
        ("c.yaml", controls),
    ]);
    assert!(has(&f, "D010", "R-1"));
    assert_eq!(
        f.iter()
            .filter(|x| x.code == "D012" && x.subject.as_deref() == Some("F-1"))
            .count(),
        2
    );
    assert!(has(&f, "D013", "V-1"));
    assert!(has(&f, "D014", "C-1"));
}

#[test]
fn d011_cyber_plan_additions() {
    let plan = "plan:\n  cvd: { policy: https://example.com/cvd, contact: security@example.com }\n  patch_timelines: { regular_cycle_days: 90, critical_days: 30 }\n";
    let f = found(&[("a.yaml", PUMP), ("f.yaml", WIFI_FLOW), ("p.yaml", plan)]);
    for id in ["PLAN-C1", "PLAN-C2", "PLAN-C3", "PLAN-C4"] {
        assert!(has(&f, "D011", id), "{id}");
    }
    // The 2023 edition has no Section VII, so no §VII.C.1 findings.
    let yaml = format!("{MINIMAL}guidance_edition: \"2023-09\"\n");
    let f = found(&[
        ("dossier.yaml", &yaml),
        ("a.yaml", PUMP),
        ("f.yaml", WIFI_FLOW),
        ("p.yaml", plan),
    ]);
    assert_eq!(count(&f, "D011"), 0);
}

#[test]
fn l015_unknown_edition() {
    let yaml = format!("{MINIMAL}guidance_edition: \"2019-01\"\n");
    assert_eq!(count(&found(&[("dossier.yaml", &yaml)]), "L015"), 1);
}

#[test]
fn fresh_init_reports_every_required_recommendation_once() {
    let dir = tempfile::tempdir().unwrap();
    dossier().arg("init").arg(dir.path()).assert().success();
    let (_, doc) = check_json(dir.path());
    let catalog = dossier::catalog::get(dossier::catalog::newest()).unwrap();
    let required: Vec<&str> = catalog
        .entries
        .iter()
        .filter(|e| e.coverage_required())
        .map(|e| e.id.as_str())
        .collect();
    let c001: Vec<&str> = with_code(&doc, "C001")
        .iter()
        .map(|f| f["subject"].as_str().unwrap())
        .collect();
    assert_eq!(c001.len(), required.len(), "one finding each");
    for id in &required {
        assert!(c001.contains(id), "{id} not reported");
        let finding = with_code(&doc, "C001")
            .into_iter()
            .find(|f| f["subject"] == *id)
            .unwrap();
        assert!(
            finding["message"].as_str().unwrap().contains(id),
            "message names {id}"
        );
        assert!(!finding["guidance"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        doc["coverage"]["missing"].as_u64().unwrap() as usize,
        required.len()
    );
}

#[test]
fn fresh_init_as_cyber_device_reports_524b() {
    let dir = tempfile::tempdir().unwrap();
    dossier().arg("init").arg(dir.path()).assert().success();
    let yaml = std::fs::read_to_string(dir.path().join("dossier.yaml")).unwrap();
    std::fs::write(
        dir.path().join("dossier.yaml"),
        yaml.replace("cyber_device: derive", "cyber_device: yes"),
    )
    .unwrap();
    let (_, doc) = check_json(dir.path());
    let subjects: Vec<&str> = findings(&doc)
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with('Y'))
        .map(|f| f["subject"].as_str().unwrap())
        .collect();
    for id in ["524B-b1", "524B-b2A", "524B-b2B", "524B-b3"] {
        assert!(subjects.contains(&id), "{id}: {subjects:?}");
    }
    assert_eq!(doc["cyber_device"]["cyber_device"], true);
}
