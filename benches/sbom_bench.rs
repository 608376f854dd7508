//! Times the SBOM readers on generated large files and one real one.
//!
//! `cargo run --release --example sbom_bench` prints, for each input, its size and the best of
//! five reads. Timing lives here, not in tests, so the test suite never depends on machine speed.

use std::time::{Duration, Instant};

use dossier::sbom::{read_bytes, read_file};
use serde_json::{Value, json};

fn component(i: usize) -> Value {
    json!({
        "type": "library",
        "bom-ref": format!("pkg:npm/example-package-{i}@1.{}.{}", i % 17, i % 5),
        "supplier": { "name": format!("Example Supplier {}", i % 97) },
        "author": "Example Author <author@example.com>",
        "group": "@example",
        "name": format!("example-package-{i}"),
        "version": format!("1.{}.{}", i % 17, i % 5),
        "description": "A generated package used to measure how fast a large SBOM is read; the text is long on purpose.",
        "scope": "required",
        "hashes": [
            { "alg": "SHA-1", "content": format!("{:040x}", i) },
            { "alg": "SHA-256", "content": format!("{:064x}", i * 7) },
            { "alg": "SHA-512", "content": format!("{:0128x}", i * 13) }
        ],
        "licenses": [ { "license": { "id": "MIT" } } ],
        "purl": format!("pkg:npm/%40example/example-package-{i}@1.{}.{}", i % 17, i % 5),
        "cpe": format!("cpe:2.3:a:example:example-package-{i}:1.{}.{}:*:*:*:*:*:*:*", i % 17, i % 5),
        "externalReferences": [
            { "type": "website", "url": format!("https://example.com/packages/{i}") },
            { "type": "vcs", "url": format!("git+https://example.com/repos/{i}.git") }
        ],
        "properties": [
            { "name": "Level of Support", "value": "Actively maintained" },
            { "name": "End-of-Support", "value": "2030-12-31" },
            { "name": "cdx:npm:package:path", "value": format!("node_modules/@example/example-package-{i}") }
        ]
    })
}

/// A CycloneDX 1.6 JSON document with `n` components (every tenth one nests two more),
/// a dependency entry per top-level component and n/100 vulnerabilities.
fn cyclonedx_json(n: usize) -> String {
    let mut components = Vec::new();
    let mut made = 0;
    while made < n {
        let mut c = component(made);
        made += 1;
        if made % 10 == 0 && made + 2 <= n {
            c["components"] = json!([component(made), component(made + 1)]);
            made += 2;
        }
        components.push(c);
    }
    let dependencies: Vec<Value> = components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let next = components.get(i + 1).map(|n| n["bom-ref"].clone());
            json!({ "ref": c["bom-ref"], "dependsOn": next.into_iter().collect::<Vec<_>>() })
        })
        .collect();
    let vulnerabilities: Vec<Value> = (0..n / 100)
        .map(|i| {
            json!({
                "id": format!("CVE-2024-{:05}", i),
                "source": { "name": "NVD" },
                "ratings": [ { "score": 7.5, "severity": "high", "method": "CVSSv31" } ],
                "cwes": [79],
                "affects": [ { "ref": components[i]["bom-ref"] } ],
                "analysis": { "state": "in_triage" }
            })
        })
        .collect();
    let doc = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "timestamp": "2025-01-01T00:00:00Z",
            "authors": [ { "name": "Bench" } ],
            "component": { "type": "device", "name": "Generated device" }
        },
        "components": components,
        "dependencies": dependencies,
        "vulnerabilities": vulnerabilities
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The same kind of content as CycloneDX 1.6 XML.
fn cyclonedx_xml(n: usize) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" version=\"1\">\n  <components>\n",
    );
    for i in 0..n {
        out.push_str(&format!(
            "    <component type=\"library\" bom-ref=\"pkg:npm/example-package-{i}@1.0.0\">\n      \
             <supplier><name>Example Supplier {s}</name></supplier>\n      \
             <group>@example</group>\n      <name>example-package-{i}</name>\n      \
             <version>1.0.0</version>\n      \
             <description>A generated package used to measure how fast a large SBOM is read.</description>\n      \
             <hashes><hash alg=\"SHA-1\">{h:040x}</hash><hash alg=\"SHA-256\">{h:064x}</hash></hashes>\n      \
             <licenses><license><id>MIT</id></license></licenses>\n      \
             <purl>pkg:npm/%40example/example-package-{i}@1.0.0</purl>\n      \
             <properties><property name=\"Level of Support\">Actively maintained</property>\
             <property name=\"End-of-Support\">2030-12-31</property></properties>\n    </component>\n",
            s = i % 97,
            h = i
        ));
    }
    out.push_str("  </components>\n</bom>\n");
    out
}

/// An SPDX 2.3 JSON document with `n` packages.
fn spdx_json(n: usize) -> String {
    let packages: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "SPDXID": format!("SPDXRef-Package-{i}"),
                "name": format!("example-package-{i}"),
                "versionInfo": "1.0.0",
                "supplier": format!("Organization: Example Supplier {}", i % 97),
                "downloadLocation": "NOASSERTION",
                "checksums": [ { "algorithm": "SHA256", "checksumValue": format!("{:064x}", i) } ],
                "licenseConcluded": "MIT",
                "licenseDeclared": "MIT",
                "copyrightText": "NOASSERTION",
                "externalRefs": [ { "referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                                    "referenceLocator": format!("pkg:npm/example-package-{i}@1.0.0") } ]
            })
        })
        .collect();
    let relationships: Vec<Value> = (1..n)
        .map(|i| {
            json!({ "spdxElementId": "SPDXRef-Package-0", "relationshipType": "DEPENDS_ON",
                    "relatedSpdxElement": format!("SPDXRef-Package-{i}") })
        })
        .collect();
    let doc = json!({
        "spdxVersion": "SPDX-2.3",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "bench",
        "documentNamespace": "https://example.com/bench",
        "creationInfo": { "created": "2025-01-01T00:00:00Z", "creators": ["Tool: bench"] },
        "documentDescribes": ["SPDXRef-Package-0"],
        "packages": packages,
        "relationships": relationships
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn best_of(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut count = 0;
    for _ in 0..runs {
        let start = Instant::now();
        count = f();
        best = best.min(start.elapsed());
    }
    (best, count)
}

fn report(label: &str, text: &str) {
    let (time, count) = best_of(5, || match read_bytes(text.as_bytes(), label) {
        Ok(bom) => bom.components.len(),
        Err(err) => {
            eprintln!("{label}: {err}");
            0
        }
    });
    println!(
        "{label:<28} {:>7.1} MB {:>7} components  {:>8.1} ms",
        text.len() as f64 / 1e6,
        count,
        time.as_secs_f64() * 1e3
    );
}

fn main() {
    println!("best of 5 reads (read_bytes: decode + parse + normalise + positions)");
    for n in [10_000, 50_000] {
        report(&format!("cyclonedx-json {n}"), &cyclonedx_json(n));
    }
    report("cyclonedx-xml 10000", &cyclonedx_xml(10_000));
    report("spdx-json 10000", &spdx_json(10_000));

    let real = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/cyclonedx-sbom-utility/test/vex/cdx-1-4-appthreat-vex.json");
    if real.is_file() {
        let (time, count) = best_of(5, || read_file(&real).map_or(0, |b| b.components.len()));
        println!(
            "{:<28} {:>7.1} MB {:>7} components  {:>8.1} ms",
            "real appthreat (1.4)",
            std::fs::metadata(&real).map_or(0.0, |m| m.len() as f64 / 1e6),
            count,
            time.as_secs_f64() * 1e3
        );
    }
}
