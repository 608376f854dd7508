//! The SBOM readers against real third-party files in ../shared/data (read in place, never
//! copied). Counts are checked against independent counts computed here straight from
//! serde_json values or quick-xml events, not through the reader under test.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use dossier::sbom::{
    Bom, Dependency, ExportBom, ExportComponent, Hash, SbomFormat, export_cyclonedx_16, read_bytes,
    read_file, summarize, support_properties,
};
use serde_json::Value;

fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    assert!(
        dir.join("SOURCES.md").is_file(),
        "test data missing: {} (the tests read ../shared/data beside the crate)",
        dir.display()
    );
    dir
}

fn data(rel: &str) -> PathBuf {
    data_dir().join(rel)
}

const WALKED: [&str; 8] = [
    "cyclonedx-bom-examples",
    "cyclonedx-node-npm",
    "cyclonedx-sbom-utility",
    "medical-sbom-completeness",
    "spdx-examples",
    "spdx-tools-java",
    "spdx-tools-python",
    "spdx-spec",
];

/// Every candidate SBOM file under the walked folders, sorted, schemas excluded.
fn candidate_files() -> Vec<PathBuf> {
    let root = data_dir();
    let mut roots: Vec<PathBuf> = WALKED.iter().map(|d| root.join(d)).collect();
    for version in ["1.2", "1.3", "1.4", "1.5", "1.6"] {
        roots.push(
            root.join("cyclonedx-specification/tools/src/test/resources")
                .join(version),
        );
    }
    let mut files = Vec::new();
    for dir in roots {
        collect(&dir, &mut files);
    }
    files.retain(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext_ok = name.ends_with(".json") || name.ends_with(".xml") || name.ends_with(".spdx");
        ext_ok && !name.contains("schema") && !name.ends_with(".xsd")
    });
    files.sort();
    files
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn rel(path: &Path) -> String {
    path.strip_prefix(data_dir())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Text of a file for the independent counts (UTF-8 or UTF-16 with BOM).
fn text_of(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let (text, _, _) = encoding_rs::UTF_8.decode(&bytes);
    text.into_owned()
}

/// Independent (components, vulnerabilities) count: CycloneDX recursive components arrays and
/// the vulnerabilities array, SPDX packages.
fn independent_json_count(path: &Path) -> Option<(usize, usize)> {
    fn cdx(value: &Value) -> usize {
        value
            .get("components")
            .and_then(Value::as_array)
            .map_or(0, |list| list.iter().map(|c| 1 + cdx(c)).sum())
    }
    let value: Value = serde_json::from_str(&text_of(path)).ok()?;
    let len = |key: &str| value.get(key).and_then(Value::as_array).map_or(0, Vec::len);
    if value.get("bomFormat").is_some() {
        Some((cdx(&value), len("vulnerabilities")))
    } else if value.get("spdxVersion").is_some() {
        Some((len("packages"), 0))
    } else {
        None
    }
}

/// Independent tag-value count: lines that start a package.
fn independent_tag_count(path: &Path) -> usize {
    text_of(path)
        .lines()
        .filter(|l| l.trim_start().starts_with("PackageName:"))
        .count()
}

/// Independent XML count: `<component>` elements on the path bom/components(/component/components)*.
fn independent_xml_count(path: &Path) -> usize {
    use quick_xml::events::Event;
    let text = text_of(path);
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut stack: Vec<String> = Vec::new();
    let mut count = 0;
    let on_component_path = |stack: &[String]| {
        stack.len() >= 2
            && stack[0] == "bom"
            && stack[1..].iter().enumerate().all(|(i, n)| {
                n == if i % 2 == 0 {
                    "components"
                } else {
                    "component"
                }
            })
            && stack.len().is_multiple_of(2)
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.local_name().as_ref().to_owned();
                if name == "component" && on_component_path(&stack) {
                    count += 1;
                }
                stack.push(name);
            }
            Ok(Event::Empty(e))
                if e.local_name().as_ref() == "component" && on_component_path(&stack) =>
            {
                count += 1;
            }
            Ok(Event::End(_)) => {
                stack.pop();
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    count
}

#[test]
fn every_real_file_loads_or_fails_with_a_reason() {
    let files = candidate_files();
    assert!(files.len() > 150, "only {} files found", files.len());
    let mut loaded = 0;
    let mut rejected: Vec<(String, String)> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    println!(
        "{:<9} {:>6} {:>6} {:>5}  file / reason",
        "result", "comps", "indep", "vulns"
    );
    for path in &files {
        let name = rel(path);
        let outcome = catch_unwind(AssertUnwindSafe(|| read_file(path)));
        match outcome {
            Err(_) => {
                println!("PANIC     {name}");
                problems.push(format!("{name}: panicked"));
            }
            Ok(Err(err)) => {
                println!("rejected  {:>6} {:>6} {:>5}  {name}: {err}", "", "", "");
                if err.message.trim().is_empty() {
                    problems.push(format!("{name}: error without a reason"));
                }
                rejected.push((name, err.to_string()));
            }
            Ok(Ok(bom)) => {
                loaded += 1;
                let independent = match bom.format {
                    SbomFormat::CycloneDxXml => Some((independent_xml_count(path), None)),
                    SbomFormat::CycloneDxJson | SbomFormat::SpdxJson => {
                        independent_json_count(path).map(|(c, v)| (c, Some(v)))
                    }
                    SbomFormat::SpdxTagValue => Some((independent_tag_count(path), None)),
                    SbomFormat::OpenVex => None,
                };
                let shown = independent.map_or("-".to_owned(), |(n, _)| n.to_string());
                println!(
                    "loaded    {:>6} {:>6} {:>5}  {name} ({} {})",
                    bom.components.len(),
                    shown,
                    bom.vulnerabilities.len(),
                    bom.format.as_str(),
                    bom.spec_version
                );
                if let Some((n, vulns)) = independent {
                    if n != bom.components.len() {
                        problems.push(format!(
                            "{name}: {} components read, independent count {n}",
                            bom.components.len()
                        ));
                    }
                    if vulns.is_some_and(|v| v != bom.vulnerabilities.len()) {
                        problems.push(format!("{name}: vulnerability count differs: {vulns:?}"));
                    }
                }
                check_invariants(&name, &bom, &mut problems);
            }
        }
    }
    println!(
        "\n{loaded} loaded, {} rejected, {} files",
        rejected.len(),
        files.len()
    );
    assert!(problems.is_empty(), "problems:\n{}", problems.join("\n"));
}

/// Things true of every loaded file: parents point backwards, positions are set for JSON/XML
/// components, the summary agrees with the bom.
fn check_invariants(name: &str, bom: &Bom, problems: &mut Vec<String>) {
    for (i, c) in bom.components.iter().enumerate() {
        if c.parent.is_some_and(|p| p >= i) {
            problems.push(format!("{name}: component {i} has parent {:?}", c.parent));
        }
        if c.location.line == 0 || c.location.path.is_empty() {
            problems.push(format!(
                "{name}: component {i} has no position: {:?}",
                c.location
            ));
            break;
        }
    }
    if bom.vulnerabilities.iter().any(|v| v.location.line == 0) {
        problems.push(format!("{name}: a vulnerability has no line"));
    }
    let summary = summarize(bom);
    if summary.components != bom.components.len()
        || summary.vulnerabilities != bom.vulnerabilities.len()
    {
        problems.push(format!("{name}: summary disagrees with the bom"));
    }
}

/// Files that SOURCES.md lists as valid must load.
#[test]
fn valid_real_files_load() {
    let must_load: Vec<PathBuf> = candidate_files()
        .into_iter()
        .filter(|p| {
            let r = rel(p);
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            r.starts_with("cyclonedx-bom-examples/")
                || r.starts_with("cyclonedx-node-npm/")
                || r.starts_with("medical-sbom-completeness/")
                || (r.starts_with("spdx-examples/") && !r.contains("spdx3"))
                || r.starts_with("spdx-spec/")
                || (r.starts_with("spdx-tools-java/")
                    && (name.starts_with("SPDXJSONExample-v2.")
                        || name.starts_with("SPDXTagExample-v2.")))
        })
        .collect();
    assert!(must_load.len() > 90, "only {} files", must_load.len());
    let failures: Vec<String> = must_load
        .iter()
        .filter_map(|p| read_file(p).err().map(|e| format!("{}: {e}", rel(p))))
        .collect();
    assert!(
        failures.is_empty(),
        "valid files that did not load:\n{}",
        failures.join("\n")
    );

    // Spot checks against SOURCES.md.
    let juice = read_file(&data(
        "cyclonedx-node-npm/demo/juice-shop/example-results/bare/bom.1.6.json",
    ))
    .unwrap();
    assert_eq!(juice.components.len(), 1101);
    assert_eq!(juice.spec_version, "1.6");
    let juice_xml = read_file(&data(
        "cyclonedx-node-npm/demo/juice-shop/example-results/bare/bom.1.6.xml",
    ))
    .unwrap();
    assert_eq!(
        juice_xml.components.len(),
        1101,
        "XML counts like JSON: metadata and tools excluded"
    );
    let laravel_11 = read_file(&data(
        "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.1.xml",
    ))
    .unwrap();
    assert_eq!(
        (
            laravel_11.components.len(),
            laravel_11.spec_version.as_str()
        ),
        (62, "1.1")
    );
    let appthreat = read_file(&data(
        "cyclonedx-sbom-utility/test/vex/cdx-1-4-appthreat-vex.json",
    ))
    .unwrap();
    assert_eq!(
        (appthreat.components.len(), appthreat.vulnerabilities.len()),
        (1663, 38)
    );
    let trivy = read_file(&data("spdx-tools-python/tests/spdx/data/invalid/spdx-trivy-vmware_log-intelligence-fluentd-sha256_086af034f561f343f633be9d9f9e95f65ae6c61b8ddb2c6755ef5bb25b40f53a.json")).unwrap();
    assert_eq!(trivy.components.len(), 514, "schema-invalid but readable");
    let appbomination = read_file(&data(
        "spdx-examples/software/example9/spdx2.2/appbomination.spdx.json",
    ))
    .unwrap();
    assert_eq!(appbomination.components.len(), 7);
    assert!(
        appbomination.components.iter().any(|c| c.purl.is_some()),
        "PACKAGE-MANAGER refs read"
    );
}

/// Deliberately broken files fail, with the reason a user needs.
#[test]
fn broken_real_files_fail_with_a_reason() {
    let cases: [(&str, &str); 8] = [
        (
            "cyclonedx-sbom-utility/test/cyclonedx/1.3/cdx-1-3-syntax-err-1.json",
            "JSON syntax error",
        ),
        (
            "cyclonedx-sbom-utility/test/cyclonedx/1.3/cdx-1-3-syntax-err-2.json",
            "JSON syntax error",
        ),
        (
            "cyclonedx-sbom-utility/test/config/test-cdx-spec-version-invalid.json",
            "\"1.x\" is not a known CycloneDX version",
        ),
        (
            "cyclonedx-sbom-utility/test/config/test-cdx-spec-version-missing.json",
            "specVersion is missing",
        ),
        (
            "cyclonedx-sbom-utility/test/config/test-cdx-bom-format-missing.json",
            "bomFormat is missing",
        ),
        (
            "spdx-tools-java/testResources/BadJSON.spdx.json",
            "expected an array, found a string",
        ),
        (
            "spdx-examples/software/example1/spdx3.0/example1.json",
            "SPDX 3.0 is not supported yet",
        ),
        (
            "spdx-tools-java/testResources/SPDXWrongVersion.spdx.json",
            "\"SPDX-2.2.1\" is not a known SPDX version",
        ),
    ];
    for (file, reason) in cases {
        let err = read_file(&data(file)).expect_err(file);
        assert!(err.to_string().contains(reason), "{file}: {err}");
    }
    let syntax = read_file(&data(cases[0].0)).unwrap_err();
    assert_eq!(syntax.line, 6, "{syntax}");
    let bad = read_file(&data(cases[5].0)).unwrap_err();
    assert_eq!(bad.path.as_deref(), Some("creationInfo.creators"));
    assert!(bad.line > 0);
}

/// The medical-device SBOMs: subject is the device, support data is read for every component.
#[test]
fn medical_device_sboms_carry_support_data() {
    for file in ["extended.sbom.json", "narrow.sbom.json"] {
        let path = data("medical-sbom-completeness/sboms/case-study").join(file);
        let bom = read_file(&path).unwrap();
        let subject = bom.subject.as_ref().expect("metadata.component");
        assert_eq!(subject.kind.as_deref(), Some("device"));

        let raw: Value = serde_json::from_str(&text_of(&path)).unwrap();
        let with_prop = |prop: &str| {
            raw["components"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| {
                    c["properties"].as_array().is_some_and(|ps| {
                        ps.iter().any(|p| {
                            p["name"] == prop
                                && p["value"].as_str().is_some_and(|v| !v.trim().is_empty())
                        })
                    })
                })
                .count()
        };
        let expected_level = with_prop("Level of Support");
        let expected_end = with_prop("End-of-Support");
        let support: Vec<_> = bom.components.iter().map(support_properties).collect();
        let level = support.iter().filter(|s| s.0.is_some()).count();
        let end = support.iter().filter(|s| s.1.is_some()).count();
        assert!(level > 0 && end > 0, "{file}");
        assert_eq!((level, end), (expected_level, expected_end), "{file}");

        let summary = summarize(&bom);
        assert_eq!(summary.with_support_level, level);
        assert_eq!(summary.with_end_of_support, end);
        assert!(summary.has_timestamp && summary.has_author);
        assert!(
            bom.components
                .iter()
                .all(|c| c.version.as_deref() != Some("")),
            "empty version is None"
        );
        println!("{file}: {}", serde_json::to_string(&summary).unwrap());
    }
}

/// CISA VEX use cases: vulnerabilities with normalised states.
#[test]
fn cisa_vex_use_cases_give_normalised_states() {
    let case1 = data("cyclonedx-bom-examples/VEX/CISA-Use-Cases/Case-1");
    for (file, state) in [
        ("vex-affected.json", "affected"),
        ("vex-fixed.json", "fixed"),
        ("vex-not_affected.json", "not_affected"),
        ("vex-under_investigation.json", "under_investigation"),
    ] {
        let bom = read_file(&case1.join(file)).unwrap();
        assert_eq!(bom.vulnerabilities.len(), 1, "{file}");
        let v = &bom.vulnerabilities[0];
        assert_eq!(v.state.as_deref(), Some(state), "{file}");
        assert_eq!(v.id, "CVE-2021-44228");
        assert_eq!(v.affects.len(), 1, "{file}");
        assert!(v.affects[0].starts_with("product-"), "{file}");
    }
    let mut all = Vec::new();
    collect(&data("cyclonedx-bom-examples/VEX/CISA-Use-Cases"), &mut all);
    let known = ["affected", "not_affected", "fixed", "under_investigation"];
    let mut states: BTreeMap<String, usize> = BTreeMap::new();
    for path in all.iter().filter(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("vex"))
    }) {
        let bom = read_file(path).unwrap();
        assert!(!bom.vulnerabilities.is_empty(), "{}", rel(path));
        for v in &bom.vulnerabilities {
            let state = v.state.clone().unwrap_or_default();
            assert!(known.contains(&state.as_str()), "{}: {state:?}", rel(path));
            *states.entry(state).or_default() += 1;
        }
    }
    assert_eq!(states.len(), 4, "{states:?}");
}

/// UTF-16 files read like their UTF-8 siblings.
#[test]
fn utf16_spdx_reads_like_utf8() {
    for (utf16, utf8) in [
        (
            "spdx-tools-python/tests/spdx/data/SPDXJSONExample-UTF-16.spdx.json",
            "spdx-tools-java/testResources/SPDXJSONExample-v2.2.spdx.json",
        ),
        (
            "spdx-tools-python/tests/spdx/data/SPDXTagExample-UTF-16.spdx",
            "spdx-tools-java/testResources/SPDXTagExample-v2.2.spdx",
        ),
    ] {
        let a = read_file(&data(utf16)).unwrap();
        let b = read_file(&data(utf8)).unwrap();
        assert_eq!(a.format, b.format);
        assert_eq!(a.components.len(), 4);
        assert_eq!(a.components.len(), b.components.len());
        let names = |bom: &Bom| {
            bom.components
                .iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        assert!(a.subject.is_some());
    }
}

/// Exported CycloneDX 1.6 validates against the official schema and is deterministic.
#[test]
fn export_validates_against_cyclonedx_16_schema() {
    let validator = crate::util::cyclonedx_16_validator();

    // A real device SBOM turned into export input, plus awkward values.
    let bom = read_file(&data(
        "medical-sbom-completeness/sboms/case-study/extended.sbom.json",
    ))
    .unwrap();
    let to_export = |c: &dossier::sbom::Component, i: usize| ExportComponent {
        bom_ref: c.bom_ref.clone().unwrap_or_else(|| format!("c{i}")),
        kind: c.kind.clone().unwrap_or_default(),
        name: c.name.clone(),
        version: c.version.clone(),
        supplier: c.supplier.clone(),
        author: c.author.clone(),
        purl: c.purl.clone(),
        cpe: c.cpe.clone(),
        hashes: c.hashes.clone(),
        licenses: c.licenses.clone(),
        properties: c.properties.clone(),
    };
    let mut components: Vec<ExportComponent> = bom
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| to_export(c, i))
        .collect();
    components.push(ExportComponent {
        bom_ref: "odd".into(),
        kind: "OPERATING_SYSTEM".into(),
        name: "odd one".into(),
        version: Some(String::new()),
        hashes: vec![
            Hash {
                alg: "SHA256".into(),
                value: "a".repeat(64),
            },
            Hash {
                alg: "CRC32".into(),
                value: "1234".into(),
            },
            Hash {
                alg: "SHA1".into(),
                value: "not hex".into(),
            },
        ],
        licenses: vec!["(MIT OR Apache-2.0) AND BSD-3-Clause".into()],
        ..ExportComponent::default()
    });
    let export = ExportBom {
        serial: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79".into(),
        timestamp: "2025-01-02T03:04:05Z".into(),
        subject: to_export(bom.subject.as_ref().unwrap(), 0),
        authors: vec!["Acme Medical".into()],
        tool_name: "dossier".into(),
        tool_version: "0.1.0".into(),
        components,
        dependencies: vec![
            Dependency {
                from: "odd".into(),
                to: vec!["x".into(), "x".into()],
                relationship: "dependsOn".into(),
            },
            Dependency {
                from: "odd".into(),
                to: vec!["y".into()],
                relationship: "DEPENDS_ON".into(),
            },
        ],
    };
    let doc = export_cyclonedx_16(&export);
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));

    let first = serde_json::to_string_pretty(&doc).unwrap();
    let second = serde_json::to_string_pretty(&export_cyclonedx_16(&export)).unwrap();
    assert_eq!(first, second, "export is deterministic");

    // The export reads back through the reader with the same components.
    let back = read_bytes(first.as_bytes(), "export.json").unwrap();
    assert_eq!(back.components.len(), export.components.len());
    assert_eq!(back.spec_version, "1.6");

    // A large real SBOM exported through the same path validates too.
    let juice = read_file(&data(
        "cyclonedx-node-npm/demo/juice-shop/example-results/bare/bom.1.6.json",
    ))
    .unwrap();
    let big = ExportBom {
        components: juice
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| to_export(c, i))
            .collect(),
        dependencies: juice.dependencies.clone(),
        ..export.clone()
    };
    let doc = export_cyclonedx_16(&big);
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));
}

/// A small OpenVEX 0.2.0 document, written here.
#[test]
fn openvex_statements_become_vulnerabilities() {
    let doc = r#"{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/2025-0001",
  "author": "Acme Medical PSIRT",
  "timestamp": "2025-01-02T03:04:05Z",
  "version": 1,
  "statements": [
    {
      "vulnerability": { "name": "CVE-2021-44228", "description": "Log4Shell" },
      "products": [ { "@id": "pkg:maven/com.acme/infusion-pump@2.1.0" } ],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path",
      "impact_statement": "The JNDI lookup class is removed at build time."
    },
    {
      "vulnerability": { "name": "CVE-2023-0001" },
      "products": [ { "identifiers": { "purl": "pkg:npm/ui@1.0.0" } } ],
      "status": "affected",
      "action_statement": "Update to 1.0.1"
    }
  ]
}"#;
    let bom = read_bytes(doc.as_bytes(), "pump.openvex.json").unwrap();
    assert_eq!(bom.format, SbomFormat::OpenVex);
    assert_eq!(bom.spec_version, "0.2.0");
    assert_eq!(bom.authors, ["Acme Medical PSIRT"]);
    assert_eq!(bom.vulnerabilities.len(), 2);
    let first = &bom.vulnerabilities[0];
    assert_eq!(first.id, "CVE-2021-44228");
    assert_eq!(first.state.as_deref(), Some("not_affected"));
    assert_eq!(
        first.justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    assert_eq!(first.affects, ["pkg:maven/com.acme/infusion-pump@2.1.0"]);
    assert_eq!(
        (first.location.line, first.location.path.as_str()),
        (8, "statements[0]")
    );
    let second = &bom.vulnerabilities[1];
    assert_eq!(second.affects, ["pkg:npm/ui@1.0.0"]);
    assert_eq!(second.detail.as_deref(), Some("Update to 1.0.1"));

    let broken = doc.replace("\"status\": \"affected\",", "");
    let err = read_bytes(broken.as_bytes(), "x.json").unwrap_err();
    assert_eq!(err.path.as_deref(), Some("statements[1]"), "{err}");
}

/// UTF-16 CycloneDX XML (with an encoding declaration that no longer applies) reads too.
#[test]
fn utf16_cyclonedx_xml_reads() {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\
               <components><component type=\"library\"><name>z\u{fc}rich</name></component></components></bom>";
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let bom = read_bytes(&bytes, "bom.xml").unwrap();
    assert_eq!(bom.format.as_str(), "cyclonedx-xml");
    assert_eq!(bom.components[0].name, "z\u{fc}rich");
    assert_eq!(serde_json::to_value(bom.format).unwrap(), "cyclonedx-xml");
}

/// Garbage never panics and always explains itself.
#[test]
fn hostile_inputs_are_errors_not_panics() {
    let deep_json = "[".repeat(100_000);
    let deep_xml = "<a>".repeat(100_000);
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("spaces", b"   \n\t".to_vec()),
        ("binary", vec![0x7F, b'E', b'L', b'F', 0, 1, 2, 0xFF]),
        ("array", b"[1,2,3]".to_vec()),
        ("deep json", deep_json.into_bytes()),
        ("deep xml", deep_xml.into_bytes()),
        ("truncated xml", b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components><component>".to_vec()),
        ("xml other root", b"<html><body/></html>".to_vec()),
        ("xml no ns", b"<bom><components/></bom>".to_vec()),
        ("wrong type", br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":7}]}"#.to_vec()),
        ("components not array", br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":{}}"#.to_vec()),
        ("bomFormat number", br#"{"bomFormat":1}"#.to_vec()),
        ("kev", br#"{"catalogVersion":"1","vulnerabilities":[]}"#.to_vec()),
        ("odd utf16", vec![0xFF, 0xFE, b'{']),
        ("tag garbage", b"SPDXVersion: SPDX-2.3\n<<<>>>\n".to_vec()),
        ("plain text", b"hello world".to_vec()),
    ];
    for (name, bytes) in inputs {
        let result = catch_unwind(AssertUnwindSafe(|| read_bytes(&bytes, name)));
        let err = result
            .unwrap_or_else(|_| panic!("{name} panicked"))
            .expect_err(name);
        assert!(!err.message.trim().is_empty(), "{name}");
        println!("{name}: {err}");
    }
    let err = read_bytes(
        br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a"},
{"type":"library","name":7}]}"#,
        "x.json",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "components[1].name: expected a string, found a number (line 2, column 26)"
    );
}

/// The XML and JSON twins in bom-examples read to the same components, field by field; so do
/// the SPDX JSON and tag-value twins of the spec examples. (dropwizard's twins are left out: its
/// XML really lacks some licenses that its JSON has.)
#[test]
fn twins_in_different_formats_read_the_same() {
    let strip = |bom: &Bom| {
        bom.components
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.location = Default::default();
                c
            })
            .collect::<Vec<_>>()
    };
    let pairs = [
        (
            "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.json",
            "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml",
        ),
        (
            "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.2.json",
            "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.2.xml",
        ),
        (
            "cyclonedx-bom-examples/SBOM/juice-shop/via_npm/bare/bom.1.4.json",
            "cyclonedx-bom-examples/SBOM/juice-shop/via_npm/bare/bom.1.4.xml",
        ),
        (
            "cyclonedx-node-npm/demo/juice-shop/example-results/bare/bom.1.6.json",
            "cyclonedx-node-npm/demo/juice-shop/example-results/bare/bom.1.6.xml",
        ),
        (
            "spdx-spec/support-2.3.1/examples/SPDXJSONExample-v2.3.spdx.json",
            "spdx-spec/support-2.3.1/examples/SPDXTagExample-v2.3.spdx",
        ),
        (
            "spdx-spec/v2.2.2/examples/SPDXJSONExample-v2.2.spdx.json",
            "spdx-spec/v2.2.2/examples/SPDXTagExample-v2.2.spdx",
        ),
    ];
    for (a, b) in pairs {
        let (x, y) = (read_file(&data(a)).unwrap(), read_file(&data(b)).unwrap());
        let (cx, cy) = (strip(&x), strip(&y));
        assert_eq!(cx.len(), cy.len(), "{a}");
        for (i, (p, q)) in cx.iter().zip(&cy).enumerate() {
            assert_eq!(p, q, "{a} vs {b}: component {i}");
        }
        assert_eq!(
            x.subject.as_ref().map(|s| &s.name),
            y.subject.as_ref().map(|s| &s.name),
            "{a}"
        );
        if x.format == SbomFormat::CycloneDxJson {
            // The SPDX twins state file containment differently (hasFiles vs Relationship).
            assert_eq!(x.dependencies, y.dependencies, "{a}");
        }
        assert_eq!(x.authors, y.authors, "{a}");
    }
}
