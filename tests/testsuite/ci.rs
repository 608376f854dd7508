//! dossier in CI: SARIF against the official schema, stable fingerprints, JUnit counts, GitHub
//! annotations, policy (severity, suppressions, expiry, --allow) and exit codes in every format.

use crate::util::*;
use serde_json::Value;

const RISKY: &str = "risks:\n  - id: R-1\n    title: Risk one\n    threats: [T-9]\n    severity: minor\n    before: { exploitability: low, probability: 0.1 }\n";

fn run(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let output = dossier().arg("check").arg(dir).args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(shared_data(
            "sarif-spec/sarif-2.1/schema/sarif-schema-2.1.0.json",
        ))
        .unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema builds")
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = project(&[
        ("risks.yaml", RISKY),
        (
            "dup.yaml",
            "threats:\n  - id: R-1\n    title: dup\n    stride: [spoofing]\n    targets: []\n    attack_vector: network\n",
        ),
    ]);
    let (code, text) = run(dir.path(), &["--format", "sarif"]);
    assert_eq!(code, 1);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        dossier::check::codes::CODES.len(),
        "one rule per code"
    );
    let k001 = rules.iter().find(|r| r["id"] == "K001").unwrap();
    assert!(k001["help"]["text"].as_str().unwrap().contains("§V.A.2"));
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "R002")
        .expect("dangling reference");
    let location = &result["locations"][0]["physicalLocation"];
    assert!(
        location["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/risks.yaml")
    );
    assert_eq!(location["region"]["startLine"], 4);
    assert!(result["partialFingerprints"]["dossierFinding/v1"].is_string());
    // The duplicate ID names its first definition.
    let duplicate = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "R001")
        .unwrap();
    assert!(duplicate["relatedLocations"].is_array());
}

#[test]
fn fingerprints_survive_unrelated_changes() {
    let fingerprints = |dir: &std::path::Path| -> Vec<(String, String)> {
        let (_, text) = run(dir, &["--format", "sarif"]);
        let sarif: Value = serde_json::from_str(&text).unwrap();
        let mut out: Vec<(String, String)> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["ruleId"] == "R002" || r["ruleId"] == "K001")
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["dossierFinding/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let dir = project(&[("risks.yaml", RISKY), ("other.yaml", "threats: []\n")]);
    let before = fingerprints(dir.path());
    assert_eq!(before.len(), 2);
    // Change another file, and move the risk down its own file.
    write(
        dir.path(),
        "other.yaml",
        "threats:\n  - id: T-1\n    title: New\n    stride: [tampering]\n    targets: []\n    attack_vector: local\n",
    );
    write(
        dir.path(),
        "risks.yaml",
        &format!("# a comment that moves every line\n\n{RISKY}"),
    );
    assert_eq!(fingerprints(dir.path()), before);
}

#[test]
fn junit_parses_with_the_expected_counts() {
    let dir = project(&[("risks.yaml", RISKY)]);
    let (code, xml) = run(dir.path(), &["--format", "junit"]);
    assert_eq!(code, 1);
    let (_, doc) = check_json(dir.path());
    // Independent count from the JSON: failing (code, subject) pairs among errors.
    let mut failing: std::collections::BTreeSet<(String, String)> = Default::default();
    for f in findings(&doc) {
        if f["severity"] == "error" {
            let subject = f["subject"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| {
                    format!(
                        "{}:{}:{}",
                        f["file"].as_str().unwrap_or(""),
                        f["line"],
                        f["column"]
                    )
                });
            failing.insert((f["code"].as_str().unwrap().to_string(), subject));
        }
    }
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut suites) = (0, 0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    "testsuite" => suites += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(
        suites,
        dossier::check::codes::CODES.len(),
        "one suite per rule"
    );
    assert_eq!(
        failures,
        failing.len(),
        "one failing case per failing (rule, subject)"
    );
    assert!(cases >= suites);
    // --deny warnings turns warnings into failures too.
    let (_, strict) = run(dir.path(), &["--format", "junit", "--deny", "warnings"]);
    assert!(strict.matches("<failure").count() >= failures);
}

#[test]
fn github_annotations() {
    let dir = project(&[("risks.yaml", RISKY)]);
    let (code, text) = run(dir.path(), &["--format", "github"]);
    assert_eq!(code, 1);
    let line = text
        .lines()
        .find(|l| l.contains("title=R002"))
        .expect("R002 annotation");
    assert!(line.starts_with("::error file="), "{line}");
    assert!(line.contains("/risks.yaml,line=4,col="), "{line}");
    assert!(text.lines().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));
}

#[test]
fn exit_codes_in_every_format() {
    let broken = project(&[("risks.yaml", RISKY)]);
    let clean_enough = project(&[(
        "controls.yaml",
        "controls:\n  - id: C-1\n    title: Orphan\n    description: A control no risk lists yet.\n",
    )]);
    for format in ["human", "json", "sarif", "junit", "github"] {
        assert_eq!(run(broken.path(), &["--format", format]).0, 1, "{format}");
        let allow_all: Vec<&str> = dossier::check::codes::CODES
            .iter()
            .filter(|c| c.severity == dossier::Severity::Error && !c.code.starts_with('P'))
            .flat_map(|c| ["--allow", c.code])
            .collect();
        let mut args = vec!["--format", format];
        args.extend(allow_all);
        assert_eq!(
            run(clean_enough.path(), &args).0,
            0,
            "{format}: only warnings left"
        );
        let mut strict = args.clone();
        strict.extend(["--deny", "warnings"]);
        assert_eq!(
            run(clean_enough.path(), &strict).0,
            1,
            "{format} --deny warnings"
        );
        let missing = dossier()
            .args(["check", "/no/such/project", "--format", format])
            .output()
            .unwrap();
        assert_eq!(missing.status.code(), Some(2), "{format}");
    }
}

#[test]
fn policy_severity_and_suppressions() {
    let dossier_yaml = format!(
        "{MINIMAL}check:
  severity:
    D013: error
    T003: note
    K001: allow
  suppress:
    - code: R002
      subject: T-9
      reason: T-9 is defined in the supplier's threat model, which is attached separately.
      expires: 2027-06-30
    - code: C001
      subject: AUTHN-7
      reason: Accepted until the telemetry redesign of release 5.0 lands in the next cycle.
      expires: 2025-12-31
    - code: D006
      subject: TEST-9
      reason: Stale entry kept to show an unused suppression being reported.
"
    );
    let dir = project(&[
        ("dossier.yaml", &dossier_yaml),
        ("risks.yaml", RISKY),
        (
            "controls.yaml",
            "controls:\n  - id: C-1\n    title: Orphan\n    description: A control no risk lists yet.\n",
        ),
    ]);
    let (_, doc) = check_json(dir.path());
    let all = findings(&doc);
    let r002 = all.iter().find(|f| f["code"] == "R002").unwrap();
    assert!(
        r002["suppressed"]["reason"]
            .as_str()
            .unwrap()
            .contains("supplier"),
        "{r002}"
    );
    let k001 = all.iter().find(|f| f["code"] == "K001").unwrap();
    assert!(k001["suppressed"].is_object(), "allowed by severity policy");
    assert_eq!(
        all.iter().find(|f| f["code"] == "T003").unwrap()["severity"],
        "note"
    );
    // The expired suppression no longer applies, and says so.
    let authn7 = all
        .iter()
        .find(|f| f["code"] == "C001" && f["subject"] == "AUTHN-7")
        .unwrap();
    assert!(authn7.get("suppressed").is_none());
    assert_eq!(with_code(&doc, "P001").len(), 1);
    assert_eq!(with_code(&doc, "P002").len(), 1);
    // Suppressed findings are not counted.
    let counted = all
        .iter()
        .filter(|f| f.get("suppressed").is_none() && f["severity"] == "error")
        .count();
    assert_eq!(doc["summary"]["errors"].as_u64().unwrap() as usize, counted);
    assert_eq!(doc["summary"]["suppressed"].as_u64().unwrap(), 2);
    // SARIF marks them as suppressed.
    let (_, text) = run(dir.path(), &["--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    let suppressed = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .count();
    assert_eq!(suppressed, 2);
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // A suppression without a reason is a located finding; an unknown code is reported.
    let bad = format!(
        "{MINIMAL}check:\n  severity:\n    D0133: error\n  suppress:\n    - code: R002\n      reason: ok\n"
    );
    let dir = project(&[("dossier.yaml", &bad), ("risks.yaml", RISKY)]);
    let (_, doc) = check_json(dir.path());
    assert_eq!(with_code(&doc, "P004").len(), 1);
    // ... the suppression still applies: only P004 fails the check.
    assert!(
        with_code(&doc, "R002")
            .iter()
            .all(|f| f["suppressed"]["reason"] == "ok")
    );
    let p003 = with_code(&doc, "P003");
    assert_eq!(p003.len(), 1);
    assert!(p003[0]["help"].as_str().unwrap().contains("D013"));

    // The policy cannot re-rate or allow its own findings: an expired suppression stays an error.
    let expired = format!(
        "{MINIMAL}check:\n  severity:\n    P001: note\n    P004: allow\n  suppress:\n    - code: R002\n      reason: Accepted for this release by the safety board.\n      expires: 2020-01-01\n"
    );
    let dir = project(&[("dossier.yaml", &expired), ("risks.yaml", RISKY)]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let p001 = with_code(&doc, "P001");
    assert_eq!(p001.len(), 1);
    assert_eq!(p001[0]["severity"], "error");
    assert!(p001[0].get("suppressed").is_none());
    assert_eq!(
        with_code(&doc, "P003").len(),
        2,
        "one per P code in the policy"
    );

    // One malformed suppression costs that entry only.
    let one_bad = format!(
        "{MINIMAL}check:\n  suppress:\n    - code: K001\n      reason: Broken entry with an impossible date.\n      expires: 2027-02-30\n    - code: R002\n      reason: Accepted for this release by the safety board.\n    - code: R002\n      reasn: typo\n"
    );
    let dir = project(&[("dossier.yaml", &one_bad), ("risks.yaml", RISKY)]);
    let (_, doc) = check_json(dir.path());
    assert!(
        with_code(&doc, "R002")
            .iter()
            .all(|f| f["suppressed"].is_object()),
        "the good suppression still applies: {doc:#}"
    );
    let loader: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str().filter(|c| c.starts_with('L')))
        .collect();
    assert!(loader.len() >= 2, "the bad date and the bad entry: {doc:#}");
}

#[test]
fn allow_on_the_command_line() {
    let dir = project(&[("risks.yaml", RISKY)]);
    let output = dossier()
        .args([
            "check", "--format", "json", "--allow", "K001", "--allow", "R002",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    for code in ["K001", "R002"] {
        assert!(
            with_code(&doc, code)
                .iter()
                .all(|f| f["suppressed"]["by"] == "--allow"),
            "{code}"
        );
    }
}
