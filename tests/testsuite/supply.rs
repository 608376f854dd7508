//! SBOMs, component support and vulnerabilities in a project: the S and V rules, VEX and KEV
//! files, `dossier sbom summary` and `dossier sbom export`.

use crate::util::*;
use dossier::Finding;

fn codes(findings: &[Finding], code: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.message.clone())
        .collect()
}

fn with_device_eos(eos: &str) -> String {
    MINIMAL.replace(
        "  use_environment: A test bench.\n",
        &format!("  use_environment: A test bench.\n  end_of_support: {eos}\n"),
    )
}

#[test]
fn real_medical_sbom_support_data_is_read() {
    let dir = project(&[
        ("dossier.yaml", &with_device_eos("2030-12-31")),
        ("sbom.yaml", "sbom:\n  sources: [extended.sbom.json]\n"),
    ]);
    std::fs::copy(
        shared_data("medical-sbom-completeness/sboms/case-study/extended.sbom.json"),
        dir.path().join("extended.sbom.json"),
    )
    .unwrap();
    let loaded = dossier::load::load(dir.path()).unwrap();
    let inventory = &loaded.project.inventory;
    assert_eq!(inventory.components.len(), 65);
    assert!(
        inventory
            .components
            .iter()
            .all(|c| c.support.is_some() || c.support_text.is_some())
    );
    // This real file writes end of support as prose ("Until hardware support ends"): reported.
    let findings = check_lib(dir.path());
    let s005 = codes(&findings, "S005");
    assert!(
        s005.iter().any(|m| m.contains("which is not a date")),
        "{s005:#?}"
    );
}

#[test]
fn support_overlay_dates_and_horizon() {
    let sbom = "sbom:
  horizon_months: 6
  components:
    - { name: oldlib, version: 1.0.0, supplier: Old Co, purl: pkg:generic/oldlib@1.0.0, support: no-longer-maintained, end_of_support: 2025-06-30 }
    - { name: soonlib, version: 2.0.0, supplier: Soon Co, purl: pkg:generic/soonlib@2.0.0, support: actively-maintained, end_of_support: 2026-05-01 }
    - { name: finelib, version: 3.0.0, supplier: Fine Co, purl: pkg:generic/finelib@3.0.0, support: actively-maintained, end_of_support: 2032-01-01 }
    - { name: mystery, version: 0.1.0, supplier: Someone }
    - { name: shrug, version: 1.0.0, supplier: Them, cpe: 'cpe:2.3:a:them:shrug:1.0.0:*:*:*:*:*:*:*', support: unknown, end_of_support: unknown, justification: The supplier has not answered three written requests since 2024. }
  support:
    - { match: mystery@0.1.0, support: abandoned }
    - { match: nothing@9.9, support: abandoned }
";
    let dir = project(&[
        ("dossier.yaml", &with_device_eos("2031-12-31")),
        ("sbom.yaml", sbom),
    ]);
    let findings = check_lib(dir.path()); // as of the document date, 2026-01-15
    assert_eq!(
        codes(&findings, "S006").len(),
        1,
        "oldlib is past its end of support"
    );
    assert!(codes(&findings, "S006")[0].contains("oldlib@1.0.0"));
    assert_eq!(
        codes(&findings, "S007").len(),
        1,
        "soonlib ends within 6 months"
    );
    assert!(
        codes(&findings, "S002")
            .iter()
            .any(|m| m.contains("mystery@0.1.0") && m.contains("unique identifier"))
    );
    assert!(
        codes(&findings, "S005")
            .iter()
            .any(|m| m.contains("mystery@0.1.0"))
    );
    assert!(
        codes(&findings, "S004")
            .iter()
            .all(|m| !m.contains("shrug")),
        "justified unknown is fine"
    );
    assert!(
        codes(&findings, "S012")
            .iter()
            .any(|m| m.contains("mystery") && m.contains("abandoned")),
        "overlay applied"
    );
    assert_eq!(codes(&findings, "S009").len(), 1, "unmatched overlay entry");
    let s008 = codes(&findings, "S008");
    assert_eq!(s008.len(), 1);
    assert!(
        s008[0].starts_with("2 components end support before the device"),
        "{s008:?}"
    );
    // --as-of moves the judgement.
    let (_, doc) = {
        let output = dossier()
            .args(["check", "--format", "json", "--as-of", "2031-06-01"])
            .arg(dir.path())
            .output()
            .unwrap();
        (
            output.status.code(),
            serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap(),
        )
    };
    assert_eq!(
        with_code(&doc, "S006").len(),
        2,
        "oldlib and soonlib are past by mid-2031; finelib is not"
    );
}

#[test]
fn device_end_of_support_is_required_with_software() {
    let sbom = "sbom:\n  components:\n    - { name: a, version: '1', supplier: A, purl: pkg:generic/a@1, support: actively-maintained, end_of_support: 2030-01-01 }\n";
    let findings = found_in(&[("sbom.yaml", sbom)]);
    assert_eq!(codes(&findings, "S010").len(), 1);
}

fn found_in(files: &[(&str, &str)]) -> Vec<Finding> {
    let dir = project(files);
    check_lib(dir.path())
}

#[test]
fn vulnerability_assessments() {
    let sbom = "sbom:
  kev_catalog: kev.json
  components:
    - { name: openssl, version: 3.0.13, supplier: OpenSSL, purl: pkg:generic/openssl@3.0.13, support: actively-maintained, end_of_support: 2030-01-01 }
vulnerabilities:
  - { id: CVE-2024-0001, components: [openssl@3.0.13], discovered_by: SCA scan, state: not-affected }
  - { id: CVE-2024-0002, components: [openssl@3.0.13], discovered_by: SCA scan, state: affected }
  - { id: CVE-2024-0003, components: [openssl@3.0.13], discovered_by: SCA scan, state: under-investigation }
  - { id: CVE-2024-0004, components: [pkg:generic/nothing@1], discovered_by: SCA scan, state: fixed, fixed_in: 1.0.1 }
  - { id: CVE-2021-44228, components: [openssl@3.0.13], discovered_by: Supplier advisory, state: affected, risk: R-1 }
risks:
  - { id: R-1, title: r, threats: [], severity: minor, before: { exploitability: low } }
";
    let kev = r#"{"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"2026.01.10","dateReleased":"2026-01-10T00:00:00.000Z","count":1,"vulnerabilities":[{"cveID":"CVE-2021-44228","vendorProject":"Apache","product":"Log4j2","vulnerabilityName":"Apache Log4j2 Remote Code Execution Vulnerability","dateAdded":"2021-12-10","shortDescription":"x","requiredAction":"x","dueDate":"2021-12-24","knownRansomwareCampaignUse":"Known","notes":"","cwes":["CWE-20"]}]}"#;
    let findings = found_in(&[("sbom.yaml", sbom), ("kev.json", kev)]);
    let subjects = |code: &str| {
        findings
            .iter()
            .filter(|f| f.code == code)
            .map(|f| f.subject.clone().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert_eq!(subjects("V002"), vec!["CVE-2024-0001"]);
    assert_eq!(subjects("V003"), vec!["CVE-2024-0002"]);
    assert_eq!(subjects("V005"), vec!["CVE-2024-0003"]);
    assert_eq!(subjects("V007"), vec!["CVE-2024-0004"]);
    assert_eq!(
        subjects("V004"),
        vec!["CVE-2021-44228"],
        "affected and in the local KEV catalog"
    );
}

#[test]
fn cisa_vex_use_cases_feed_the_assessment() {
    let dir = project(&[(
        "sbom.yaml",
        "sbom:\n  vex: [affected.json, not-affected.json, fixed.json, investigating.json]\n",
    )]);
    for (from, to) in [
        ("vex-affected.json", "affected.json"),
        ("vex-not_affected.json", "not-affected.json"),
        ("vex-fixed.json", "fixed.json"),
        ("vex-under_investigation.json", "investigating.json"),
    ] {
        std::fs::copy(
            shared_data(&format!(
                "cyclonedx-bom-examples/VEX/CISA-Use-Cases/Case-1/{from}"
            )),
            dir.path().join(to),
        )
        .unwrap();
    }
    let loaded = dossier::load::load(dir.path()).unwrap();
    assert_eq!(loaded.project.inventory.vulnerabilities.len(), 4);
    let findings = check_lib(dir.path());
    assert_eq!(
        codes(&findings, "V003").len(),
        1,
        "the affected statement needs a risk"
    );
    assert_eq!(codes(&findings, "V005").len(), 1, "under investigation");
}

#[test]
fn a_vex_file_assesses_what_the_sbom_lists() {
    let sbom = r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
      "metadata":{"timestamp":"2026-01-01T00:00:00Z","authors":[{"name":"A"}]},
      "components":[
        {"bom-ref":"liba","name":"liba","version":"1.0","purl":"pkg:npm/liba@1.0","supplier":{"name":"S"}},
        {"bom-ref":"libb","name":"libb","version":"2.0","purl":"pkg:npm/libb@2.0","supplier":{"name":"S"}}],
      "dependencies":[{"ref":"liba","dependsOn":["libb"]}],
      "vulnerabilities":[
        {"id":"CVE-2000-0200","affects":[{"ref":"liba"}]},
        {"id":"CVE-2000-0300","affects":[{"ref":"libb"}],
         "analysis":{"state":"not_affected","justification":"requires_environment"}}]}"#;
    let vex = r#"{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://example.com/vex/1",
      "author":"PSIRT","timestamp":"2026-01-10T00:00:00Z","version":1,
      "statements":[{"vulnerability":{"name":"CVE-2000-0200"},"products":[{"@id":"pkg:npm/liba@1.0"}],
        "status":"not_affected","justification":"component_not_present"}]}"#;
    let kev = r#"{"catalogVersion":"1","dateReleased":"2026-01-01T00:00:00Z","vulnerabilities":[{"cveID":"CVE-2000-0200"}]}"#;
    let findings = found_in(&[
        (
            "sbom.yaml",
            "sbom:\n  sources: [fw.cdx.json]\n  vex: [fw.vex.json]\n  kev_catalog: kev.json\n",
        ),
        ("fw.cdx.json", sbom),
        ("fw.vex.json", vex),
        ("kev.json", kev),
    ]);
    let about = |code: &str, id: &str| {
        findings
            .iter()
            .any(|f| f.code == code && f.subject.as_deref() == Some(id))
    };
    // The VEX statement is the assessment of the SBOM's bare listing.
    assert!(!about("V001", "CVE-2000-0200"), "{findings:#?}");
    assert!(!about("V004", "CVE-2000-0200"), "{findings:#?}");
    // `requires_environment` is narrower than the five justifications: it needs a detail.
    assert!(about("V002", "CVE-2000-0300"), "{findings:#?}");

    // A listing on two components, a VEX on one: the other is still to be assessed.
    let both = sbom.replace(
        r#"{"id":"CVE-2000-0200","affects":[{"ref":"liba"}]}"#,
        r#"{"id":"CVE-2000-0200","affects":[{"ref":"liba"},{"ref":"libb"}]}"#,
    );
    let findings = found_in(&[
        (
            "sbom.yaml",
            "sbom:\n  sources: [fw.cdx.json]\n  vex: [fw.vex.json]\n",
        ),
        ("fw.cdx.json", &both),
        ("fw.vex.json", vex),
    ]);
    let v001: Vec<&Finding> = findings.iter().filter(|f| f.code == "V001").collect();
    assert_eq!(v001.len(), 1, "{findings:#?}");
}

#[test]
fn a_cyclonedx_vex_names_components_by_bom_link() {
    let dir = project(&[(
        "sbom.yaml",
        "sbom:\n  sources: [bom.json]\n  vex: [vex.json]\n",
    )]);
    std::fs::copy(
        shared_data("cyclonedx-bom-examples/VEX/vex.json"),
        dir.path().join("vex.json"),
    )
    .unwrap();
    // The VEX links to the SBOM by serial number, which the example SBOM leaves out.
    let bom = std::fs::read_to_string(shared_data("cyclonedx-bom-examples/VEX/bom.json")).unwrap();
    let mut bom: serde_json::Value = serde_json::from_str(&bom).unwrap();
    std::fs::write(dir.path().join("bom.json"), bom.to_string()).unwrap();
    let findings = check_lib(dir.path());
    assert!(
        !codes(&findings, "V007").is_empty(),
        "a BOM-Link to an SBOM the project does not have names nothing"
    );
    bom["serialNumber"] = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79".into();
    std::fs::write(dir.path().join("bom.json"), bom.to_string()).unwrap();
    let findings = check_lib(dir.path());
    assert!(
        codes(&findings, "V007").is_empty(),
        "{:#?}",
        codes(&findings, "V007")
    );
}

#[test]
fn spdx_reverse_relationships_export_from_the_dependent() {
    let spdx = r#"{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT",
      "name":"fw","documentNamespace":"https://example.com/fw","creationInfo":{"created":"2026-01-01T00:00:00Z","creators":["Tool: x"]},
      "packages":[
        {"SPDXID":"SPDXRef-p1","name":"p1","versionInfo":"1","downloadLocation":"NOASSERTION","supplier":"Organization: S"},
        {"SPDXID":"SPDXRef-p3","name":"p3","versionInfo":"3","downloadLocation":"NOASSERTION","supplier":"Organization: S"}],
      "relationships":[
        {"spdxElementId":"SPDXRef-p3","relationshipType":"DEPENDENCY_OF","relatedSpdxElement":"SPDXRef-p1"},
        {"spdxElementId":"SPDXRef-p1","relationshipType":"VARIANT_OF","relatedSpdxElement":"SPDXRef-p3"}]}"#;
    let dir = project(&[
        ("sbom.yaml", "sbom:\n  sources: [fw.spdx.json]\n"),
        ("fw.spdx.json", spdx),
    ]);
    let output = dossier()
        .args(["sbom", "export", "--format", "cyclonedx"])
        .arg(dir.path())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let deps = doc["dependencies"].as_array().unwrap();
    let of = |name: &str| {
        let component = doc["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap();
        let bom_ref = component["bom-ref"].as_str().unwrap();
        deps.iter()
            .find(|d| d["ref"] == bom_ref)
            .map(|d| d["dependsOn"].as_array().unwrap().len())
            .unwrap_or(0)
    };
    assert_eq!(of("p1"), 1, "p1 depends on p3: {deps:#?}");
    assert_eq!(of("p3"), 0, "VARIANT_OF is not a dependency: {deps:#?}");
}

#[test]
fn an_exported_sbom_reads_back_with_its_justifications() {
    let sbom = "sbom:\n  components:\n    - { name: blob, version: '7', supplier: Vendor, purl: pkg:generic/blob@7, support: unknown, end_of_support: unknown, justification: The vendor publishes no support policy for this blob at all. }\n";
    let first = project(&[
        ("dossier.yaml", &with_device_eos("2030-12-31")),
        ("sbom.yaml", sbom),
    ]);
    let export = dossier()
        .args(["sbom", "export"])
        .arg(first.path())
        .output()
        .unwrap();
    assert!(export.status.success());
    let second = project(&[
        ("dossier.yaml", &with_device_eos("2030-12-31")),
        ("sbom.yaml", "sbom:\n  sources: [device.cdx.json]\n"),
    ]);
    std::fs::write(second.path().join("device.cdx.json"), &export.stdout).unwrap();
    let findings = check_lib(second.path());
    for code in ["S004", "S005"] {
        assert!(
            codes(&findings, code).iter().all(|m| !m.contains("blob")),
            "{code}: {:#?}",
            codes(&findings, code)
        );
    }
}

#[test]
fn unreadable_sbom_is_located() {
    let dir = project(&[
        (
            "sbom.yaml",
            "sbom:\n  sources: [broken.json, missing.json]\n",
        ),
        (
            "broken.json",
            "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n  \"components\": [ { \"name\": 5 } ]\n}\n",
        ),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let s001 = with_code(&doc, "S001");
    assert_eq!(s001.len(), 1, "{doc:#}");
    assert_eq!(s001[0]["file"], "broken.json");
    assert!(s001[0]["line"].as_u64().unwrap() >= 4);
    assert_eq!(with_code(&doc, "R005").len(), 1, "the missing file");
}

#[test]
fn sbom_summary_counts_nested_components() {
    let file = shared_data("cyclonedx-sbom-utility/test/vex/cdx-1-4-appthreat-vex.json");
    let output = dossier()
        .args(["sbom", "summary", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // Independent count: every object in every `components` array, at any depth.
    fn count(value: &serde_json::Value) -> usize {
        value
            .get("components")
            .and_then(|c| c.as_array())
            .map(|items| items.len() + items.iter().map(count).sum::<usize>())
            .unwrap_or(0)
    }
    let raw: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        summary["components"].as_u64().unwrap() as usize,
        count(&raw)
    );
    assert_eq!(summary["format"], "cyclonedx-json");
    for key in [
        "spec_version",
        "with_supplier",
        "with_unique_id",
        "with_support_level",
        "with_end_of_support",
        "vulnerabilities",
    ] {
        assert!(summary.get(key).is_some(), "{key}");
    }
    // A file that is not an SBOM: exit 2 with the reason.
    dossier()
        .args(["sbom", "summary"])
        .arg(shared_data(
            "cyclonedx-sbom-utility/test/cyclonedx/1.3/cdx-1-3-syntax-err-1.json",
        ))
        .assert()
        .code(2);
}

#[test]
fn exported_sbom_validates_against_cyclonedx_16() {
    let sbom = "sbom:\n  sources: [extended.sbom.json]\n  components:\n    - { name: zephyr, version: 3.7.1, supplier: Zephyr Project, purl: 'pkg:github/zephyrproject-rtos/zephyr@v3.7.1', support: actively-maintained, end_of_support: 2029-07-31, depends_on: [] }\n";
    let dir = project(&[
        ("dossier.yaml", &with_device_eos("2030-12-31")),
        ("sbom.yaml", sbom),
    ]);
    std::fs::copy(
        shared_data("medical-sbom-completeness/sboms/case-study/extended.sbom.json"),
        dir.path().join("extended.sbom.json"),
    )
    .unwrap();
    let output = dossier()
        .args(["sbom", "export"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bom: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let validator = cyclonedx_16_validator();
    let errors: Vec<String> = validator
        .iter_errors(&bom)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(bom["components"].as_array().unwrap().len(), 66);
    let zephyr = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "zephyr")
        .unwrap();
    let props = zephyr["properties"].as_array().unwrap();
    assert!(
        props
            .iter()
            .any(|p| p["name"] == "fda:end-of-support" && p["value"] == "2029-07-31")
    );
    assert!(
        props
            .iter()
            .any(|p| p["name"] == "fda:level-of-support" && p["value"] == "actively maintained")
    );
    // Deterministic.
    let again = dossier()
        .args(["sbom", "export"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.stdout, again.stdout);
}
