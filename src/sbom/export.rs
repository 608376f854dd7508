//! Writes a CycloneDX 1.6 JSON SBOM for the submission package.
//!
//! The output must validate against bom-1.6.schema.json whatever the caller passes, so values
//! the schema would reject are normalised or left out instead of written invalid: unknown
//! component types become "library", hashes with an unknown algorithm or a malformed digest are
//! dropped, a serial number or timestamp that does not match its format is omitted, duplicate
//! dependency targets are merged. Key order is fixed, so the same input gives the same bytes.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::model::{Dependency, Hash};

/// One component to export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportComponent {
    pub bom_ref: String,
    /// CycloneDX component type ("application", "firmware", "library", ...).
    pub kind: String,
    pub name: String,
    pub version: Option<String>,
    pub supplier: Option<String>,
    pub author: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    pub hashes: Vec<Hash>,
    /// SPDX ids, license names, or one SPDX expression.
    pub licenses: Vec<String>,
    pub properties: Vec<(String, String)>,
}

/// The whole SBOM to export. `serial` ("urn:uuid:...") and `timestamp` (RFC 3339) come from
/// the caller so the output is reproducible.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportBom {
    pub serial: String,
    pub timestamp: String,
    pub subject: ExportComponent,
    pub authors: Vec<String>,
    pub tool_name: String,
    pub tool_version: String,
    pub components: Vec<ExportComponent>,
    pub dependencies: Vec<Dependency>,
}

const COMPONENT_TYPES: [&str; 13] = [
    "application",
    "framework",
    "library",
    "container",
    "platform",
    "operating-system",
    "device",
    "device-driver",
    "firmware",
    "file",
    "machine-learning-model",
    "data",
    "cryptographic-asset",
];

/// Builds the CycloneDX 1.6 document.
pub fn export_cyclonedx_16(bom: &ExportBom) -> Value {
    let mut doc = Map::new();
    doc.insert(
        "$schema".into(),
        json!("http://cyclonedx.org/schema/bom-1.6.schema.json"),
    );
    doc.insert("bomFormat".into(), json!("CycloneDX"));
    doc.insert("specVersion".into(), json!("1.6"));
    if is_uuid_urn(&bom.serial) {
        doc.insert("serialNumber".into(), json!(bom.serial));
    }
    doc.insert("version".into(), json!(1));

    let mut metadata = Map::new();
    if chrono::DateTime::parse_from_rfc3339(bom.timestamp.trim()).is_ok() {
        metadata.insert("timestamp".into(), json!(bom.timestamp.trim()));
    }
    let mut tool = Map::new();
    tool.insert("type".into(), json!("application"));
    tool.insert("name".into(), json!(bom.tool_name));
    if !bom.tool_version.trim().is_empty() {
        tool.insert("version".into(), json!(bom.tool_version.trim()));
    }
    metadata.insert(
        "tools".into(),
        json!({ "components": [Value::Object(tool)] }),
    );
    let authors: Vec<Value> = bom
        .authors
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .map(|a| json!({ "name": a }))
        .collect();
    if !authors.is_empty() {
        metadata.insert("authors".into(), Value::Array(authors));
    }
    metadata.insert("component".into(), component(&bom.subject));
    doc.insert("metadata".into(), Value::Object(metadata));

    doc.insert(
        "components".into(),
        Value::Array(bom.components.iter().map(component).collect()),
    );
    doc.insert("dependencies".into(), dependencies(&bom.dependencies));
    Value::Object(doc)
}

fn component(c: &ExportComponent) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!(component_type(&c.kind)));
    if !c.bom_ref.trim().is_empty() {
        out.insert("bom-ref".into(), json!(c.bom_ref.trim()));
    }
    if let Some(supplier) = present(&c.supplier) {
        out.insert("supplier".into(), json!({ "name": supplier }));
    }
    if let Some(author) = present(&c.author) {
        out.insert("authors".into(), json!([{ "name": author }]));
    }
    out.insert("name".into(), json!(c.name));
    if let Some(version) = present(&c.version) {
        out.insert("version".into(), json!(version));
    }
    let hashes: Vec<Value> = c.hashes.iter().filter_map(hash).collect();
    if !hashes.is_empty() {
        out.insert("hashes".into(), Value::Array(hashes));
    }
    if let Some(licenses) = licenses(&c.licenses) {
        out.insert("licenses".into(), licenses);
    }
    if let Some(cpe) = present(&c.cpe) {
        out.insert("cpe".into(), json!(cpe));
    }
    if let Some(purl) = present(&c.purl) {
        out.insert("purl".into(), json!(purl));
    }
    if !c.properties.is_empty() {
        let properties: Vec<Value> = c
            .properties
            .iter()
            .map(|(name, value)| json!({ "name": name, "value": value }))
            .collect();
        out.insert("properties".into(), Value::Array(properties));
    }
    Value::Object(out)
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The CycloneDX type for a caller's kind ("Firmware", "OPERATING_SYSTEM" accepted);
/// anything unknown is "library", the most common and least specific type.
fn component_type(kind: &str) -> &'static str {
    let wanted = kind.trim().to_ascii_lowercase().replace('_', "-");
    COMPONENT_TYPES
        .iter()
        .find(|t| **t == wanted)
        .copied()
        .unwrap_or("library")
}

/// A hash in CycloneDX spelling, or None when the schema would reject it.
fn hash(h: &Hash) -> Option<Value> {
    let key: String = h
        .alg
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let alg = match key.as_str() {
        "MD5" => "MD5",
        "SHA1" => "SHA-1",
        "SHA256" => "SHA-256",
        "SHA384" => "SHA-384",
        "SHA512" => "SHA-512",
        "SHA3256" => "SHA3-256",
        "SHA3384" => "SHA3-384",
        "SHA3512" => "SHA3-512",
        "BLAKE2B256" => "BLAKE2b-256",
        "BLAKE2B384" => "BLAKE2b-384",
        "BLAKE2B512" => "BLAKE2b-512",
        "BLAKE3" => "BLAKE3",
        _ => return None,
    };
    let content = h.value.trim();
    let hex = content.chars().all(|c| c.is_ascii_hexdigit());
    if !hex || ![32, 40, 64, 96, 128].contains(&content.len()) {
        return None;
    }
    Some(json!({ "alg": alg, "content": content }))
}

/// One compound SPDX expression becomes `[{"expression": ...}]`; otherwise every entry is a
/// named license. Named, not `id`, because an id must be on the SPDX list and this module does
/// not carry that list: a name is always valid.
fn licenses(list: &[String]) -> Option<Value> {
    let list: Vec<&str> = list
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    match list.as_slice() {
        [] => None,
        [single] if is_compound_expression(single) => Some(json!([{ "expression": single }])),
        many => Some(Value::Array(
            many.iter()
                .map(|name| json!({ "license": { "name": name } }))
                .collect(),
        )),
    }
}

fn is_compound_expression(text: &str) -> bool {
    text.split_whitespace()
        .any(|t| matches!(t.trim_matches(['(', ')']), "AND" | "OR" | "WITH"))
}

/// "urn:uuid:" followed by a lower-case RFC 4122 UUID, as the schema's pattern demands.
fn is_uuid_urn(serial: &str) -> bool {
    let Some(uuid) = serial.strip_prefix("urn:uuid:") else {
        return false;
    };
    let groups: Vec<&str> = uuid.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, len)| {
            g.len() == len
                && g.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
}

/// Dependencies merged per `from`, in first-seen order; "provides" edges go to `provides`,
/// every other relationship to `dependsOn`. Targets are de-duplicated (the schema wants unique
/// items).
fn dependencies(list: &[Dependency]) -> Value {
    /// Targets of one ref, in first-seen order, with a set for O(1) de-duplication.
    #[derive(Default)]
    struct Edges<'a> {
        depends_on: Vec<&'a str>,
        provides: Vec<&'a str>,
        seen: HashSet<(bool, &'a str)>,
    }
    let mut order: Vec<&str> = Vec::new();
    let mut slots: HashMap<&str, usize> = HashMap::new();
    let mut edges: Vec<Edges<'_>> = Vec::new();
    for dep in list {
        let from = dep.from.trim();
        if from.is_empty() {
            continue;
        }
        let slot = *slots.entry(from).or_insert_with(|| {
            order.push(from);
            edges.push(Edges::default());
            edges.len() - 1
        });
        let Some(entry) = edges.get_mut(slot) else {
            continue;
        };
        let provides = dep.relationship == "provides";
        for to in &dep.to {
            let to = to.trim();
            if to.is_empty() || !entry.seen.insert((provides, to)) {
                continue;
            }
            if provides {
                entry.provides.push(to);
            } else {
                entry.depends_on.push(to);
            }
        }
    }
    Value::Array(
        order
            .iter()
            .zip(edges)
            .map(|(from, edges)| {
                let mut entry = Map::new();
                entry.insert("ref".into(), json!(from));
                entry.insert("dependsOn".into(), json!(edges.depends_on));
                if !edges.provides.is_empty() {
                    entry.insert("provides".into(), json!(edges.provides));
                }
                Value::Object(entry)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_what_the_schema_would_reject() {
        assert_eq!(component_type("OPERATING_SYSTEM"), "operating-system");
        assert_eq!(component_type("SOURCE"), "library");
        assert!(
            hash(&Hash {
                alg: "SHA256".into(),
                value: "ab".repeat(32)
            })
            .is_some()
        );
        assert!(
            hash(&Hash {
                alg: "SHA256".into(),
                value: "xyz".into()
            })
            .is_none()
        );
        assert!(
            hash(&Hash {
                alg: "CRC32".into(),
                value: "ab".repeat(16)
            })
            .is_none()
        );
        assert!(is_uuid_urn("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"));
        assert!(!is_uuid_urn(
            "urn:uuid:3E671687-395b-41f5-a30f-a58921a69b79"
        ));
        assert!(!is_uuid_urn("urn:uuid:xxxx"));
    }

    #[test]
    fn licenses_are_an_expression_or_names() {
        assert_eq!(
            licenses(&["MIT OR Apache-2.0".into()]),
            Some(json!([{ "expression": "MIT OR Apache-2.0" }]))
        );
        assert_eq!(
            licenses(&["MIT".into(), "Acme EULA".into()]),
            Some(json!([{ "license": { "name": "MIT" } }, { "license": { "name": "Acme EULA" } }]))
        );
        assert_eq!(licenses(&[]), None);
    }

    #[test]
    fn dependencies_merge_per_ref() {
        let dep = |from: &str, to: &[&str], rel: &str| Dependency {
            from: from.into(),
            to: to.iter().map(|s| s.to_string()).collect(),
            relationship: rel.into(),
        };
        let out = dependencies(&[
            dep("a", &["b", "c"], "dependsOn"),
            dep("a", &["c", "d"], "DEPENDS_ON"),
            dep("b", &[], "dependsOn"),
            dep("a", &["x"], "provides"),
        ]);
        assert_eq!(
            out,
            json!([
                { "ref": "a", "dependsOn": ["b", "c", "d"], "provides": ["x"] },
                { "ref": "b", "dependsOn": [] }
            ])
        );
    }
}
