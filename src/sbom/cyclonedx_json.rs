//! CycloneDX JSON (1.2 to 1.7) into a [`Bom`].
//!
//! Only the fields a premarket review needs are read; everything else is ignored, so extensions
//! and newer optional fields never stop a file from loading. A field that is read but has the
//! wrong type is an error naming its path (`components[3].name: expected a string, found a
//! number`), because silently dropping it would make the SBOM look emptier than it is.

use serde_json::Value;

use super::common::{dedup_in_order, license_text, normalize_state};
use super::error::SbomError;
use super::json::{ArraySpec, JsonDoc, Object, Path, element_offsets, fill_positions, non_empty};
use super::model::{
    Bom, Component, Dependency, Hash, Rating, SbomFormat, SourcePos, Vulnerability,
};
use super::text::LineIndex;

/// CycloneDX versions that have a JSON form.
const JSON_VERSIONS: [&str; 6] = ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

/// Reads a JSON document whose `bomFormat` is "CycloneDX".
pub(crate) fn read(doc: &JsonDoc<'_>, root: &Object) -> Result<Bom, SbomError> {
    let p = Path::ROOT;
    let spec_version = spec_version(doc, root)?;
    let mut bom = Bom {
        format: SbomFormat::CycloneDxJson,
        spec_version,
        serial: doc.text_field(root, "serialNumber", &p)?,
        timestamp: None,
        authors: Vec::new(),
        subject: None,
        components: Vec::new(),
        dependencies: Vec::new(),
        vulnerabilities: Vec::new(),
    };

    if let Some(meta) = doc.opt_object(root, "metadata", &p)? {
        let mp = p.key("metadata");
        bom.timestamp = doc.text_field(meta, "timestamp", &mp)?;
        bom.authors = contact_names(doc, meta, "authors", &mp)?;
        if let Some(value) = meta.get("component").filter(|v| !v.is_null()) {
            let cp = mp.key("component");
            let mut subject = read_component(doc, value, &cp)?;
            subject.location = doc.position(&cp);
            bom.subject = Some(subject);
        }
    }

    let cp = p.key("components");
    walk_components(
        doc,
        doc.opt_array(root, "components", &p)?,
        &cp,
        None,
        &mut bom.components,
    )?;

    let dp = p.key("dependencies");
    for (i, value) in doc.opt_array(root, "dependencies", &p)?.iter().enumerate() {
        read_dependency(doc, value, &dp.index(i), &mut bom.dependencies)?;
    }

    let vp = p.key("vulnerabilities");
    for (i, value) in doc
        .opt_array(root, "vulnerabilities", &p)?
        .iter()
        .enumerate()
    {
        bom.vulnerabilities
            .push(read_vulnerability(doc, value, &vp.index(i))?);
    }

    if !bom.components.is_empty() || !bom.vulnerabilities.is_empty() {
        let specs = [
            ArraySpec {
                key: "components",
                nested: true,
            },
            ArraySpec {
                key: "vulnerabilities",
                nested: false,
            },
        ];
        let offsets = element_offsets(doc.text, &specs);
        let index = LineIndex::new(doc.text);
        if let [components, vulnerabilities] = offsets.as_slice() {
            fill_positions(
                &index,
                components,
                bom.components.iter_mut().map(|c| &mut c.location),
            );
            fill_positions(
                &index,
                vulnerabilities,
                bom.vulnerabilities.iter_mut().map(|v| &mut v.location),
            );
        }
    }
    Ok(bom)
}

fn spec_version(doc: &JsonDoc<'_>, root: &Object) -> Result<String, SbomError> {
    let p = Path::ROOT;
    let Some(raw) = doc.opt_str(root, "specVersion", &p)? else {
        return Err(doc.error(
            &p,
            "specVersion is missing: a CycloneDX document must say which version of the \
             specification it follows (for example \"specVersion\": \"1.6\")",
        ));
    };
    let version = raw.trim();
    if JSON_VERSIONS.contains(&version) {
        return Ok(version.to_owned());
    }
    let message = if matches!(version, "1.0" | "1.1") {
        format!(
            "\"{version}\" has no JSON form (CycloneDX JSON starts at 1.2); re-export the \
             SBOM as CycloneDX 1.4 or later"
        )
    } else {
        format!("\"{version}\" is not a known CycloneDX version (expected 1.2 to 1.7)")
    };
    Err(doc.error(&p.key("specVersion"), message))
}

/// Components of one array, then their nested components, depth first in document order.
fn walk_components(
    doc: &JsonDoc<'_>,
    items: &[Value],
    path: &Path<'_>,
    parent: Option<usize>,
    out: &mut Vec<Component>,
) -> Result<(), SbomError> {
    for (i, value) in items.iter().enumerate() {
        let p = path.index(i);
        let mut component = read_component(doc, value, &p)?;
        component.parent = parent;
        let index = out.len();
        out.push(component);
        if let Some(obj) = value.as_object() {
            let nested = doc.opt_array(obj, "components", &p)?;
            if !nested.is_empty() {
                walk_components(doc, nested, &p.key("components"), Some(index), out)?;
            }
        }
    }
    Ok(())
}

fn read_component(
    doc: &JsonDoc<'_>,
    value: &Value,
    path: &Path<'_>,
) -> Result<Component, SbomError> {
    let obj = doc.object(value, path)?;
    let Some(name) = doc.opt_str(obj, "name", path)? else {
        return Err(doc.error(path, "component has no name; CycloneDX requires one"));
    };

    let supplier = match organization_name(doc, obj, "supplier", path)? {
        Some(name) => Some(name),
        None => match organization_name(doc, obj, "manufacturer", path)? {
            Some(name) => Some(name),
            None => doc.text_field(obj, "publisher", path)?,
        },
    };
    let author = match doc.text_field(obj, "author", path)? {
        Some(author) => Some(author),
        None => {
            let names = contact_names(doc, obj, "authors", path)?;
            if names.is_empty() {
                None
            } else {
                Some(names.join(", "))
            }
        }
    };
    let swid = match doc.opt_object(obj, "swid", path)? {
        Some(swid) => doc.text_field(swid, "tagId", &path.key("swid"))?,
        None => None,
    };

    Ok(Component {
        bom_ref: doc.text_field(obj, "bom-ref", path)?,
        kind: doc.text_field(obj, "type", path)?,
        name: name.trim().to_owned(),
        group: doc.text_field(obj, "group", path)?,
        version: doc.text_field(obj, "version", path)?,
        supplier,
        author,
        purl: doc.text_field(obj, "purl", path)?,
        cpe: doc.text_field(obj, "cpe", path)?,
        swid,
        hashes: hashes(doc, obj, path)?,
        licenses: licenses(doc, obj, path)?,
        properties: properties(doc, obj, path)?,
        parent: None,
        location: SourcePos {
            line: 0,
            column: 0,
            path: path.render(),
        },
    })
}

/// `key.name` of an organizational entity.
fn organization_name(
    doc: &JsonDoc<'_>,
    obj: &Object,
    key: &str,
    path: &Path<'_>,
) -> Result<Option<String>, SbomError> {
    match doc.opt_object(obj, key, path)? {
        Some(org) => doc.text_field(org, "name", &path.key(key)),
        None => Ok(None),
    }
}

/// Names (or e-mail addresses when there is no name) of an array of contacts.
fn contact_names(
    doc: &JsonDoc<'_>,
    obj: &Object,
    key: &str,
    path: &Path<'_>,
) -> Result<Vec<String>, SbomError> {
    let ap = path.key(key);
    let mut names = Vec::new();
    for (i, value) in doc.opt_array(obj, key, path)?.iter().enumerate() {
        let p = ap.index(i);
        let contact = doc.object(value, &p)?;
        let name = match doc.text_field(contact, "name", &p)? {
            Some(name) => Some(name),
            None => doc.text_field(contact, "email", &p)?,
        };
        if let Some(name) = name {
            names.push(name);
        }
    }
    Ok(names)
}

fn hashes(doc: &JsonDoc<'_>, obj: &Object, path: &Path<'_>) -> Result<Vec<Hash>, SbomError> {
    let hp = path.key("hashes");
    let mut out = Vec::new();
    for (i, value) in doc.opt_array(obj, "hashes", path)?.iter().enumerate() {
        let p = hp.index(i);
        let hash = doc.object(value, &p)?;
        if let (Some(alg), Some(content)) = (
            doc.text_field(hash, "alg", &p)?,
            doc.text_field(hash, "content", &p)?,
        ) {
            out.push(Hash {
                alg,
                value: content,
            });
        }
    }
    Ok(out)
}

/// License ids, names and expressions, in order, without duplicates or placeholders.
fn licenses(doc: &JsonDoc<'_>, obj: &Object, path: &Path<'_>) -> Result<Vec<String>, SbomError> {
    let lp = path.key("licenses");
    let mut out = Vec::new();
    for (i, value) in doc.opt_array(obj, "licenses", path)?.iter().enumerate() {
        let p = lp.index(i);
        let choice = doc.object(value, &p)?;
        let text = if let Some(license) = doc.opt_object(choice, "license", &p)? {
            let inner = p.key("license");
            match doc.opt_str(license, "id", &inner)? {
                Some(id) => Some(id),
                None => doc.opt_str(license, "name", &inner)?,
            }
        } else {
            doc.opt_str(choice, "expression", &p)?
        };
        if let Some(text) = text.and_then(license_text) {
            out.push(text);
        }
    }
    Ok(dedup_in_order(out))
}

fn properties(
    doc: &JsonDoc<'_>,
    obj: &Object,
    path: &Path<'_>,
) -> Result<Vec<(String, String)>, SbomError> {
    let pp = path.key("properties");
    let mut out = Vec::new();
    for (i, value) in doc.opt_array(obj, "properties", path)?.iter().enumerate() {
        let p = pp.index(i);
        let property = doc.object(value, &p)?;
        if let Some(name) = doc.opt_str(property, "name", &p)? {
            let value = doc.opt_str(property, "value", &p)?.unwrap_or_default();
            out.push((name.to_owned(), value.to_owned()));
        }
    }
    Ok(out)
}

fn read_dependency(
    doc: &JsonDoc<'_>,
    value: &Value,
    path: &Path<'_>,
    out: &mut Vec<Dependency>,
) -> Result<(), SbomError> {
    let obj = doc.object(value, path)?;
    let Some(from) = doc.text_field(obj, "ref", path)? else {
        return Err(doc.error(path, "dependency has no ref"));
    };
    let depends_on = doc.str_array(obj, "dependsOn", path)?;
    let provides = doc.str_array(obj, "provides", path)?;
    // One "dependsOn" entry per ref, even an empty one, like the file has, so leaf components
    // stay visible in the graph; "provides" rides beside it (the XML reader does the same).
    out.push(Dependency {
        from: from.clone(),
        to: depends_on.iter().map(|s| s.to_string()).collect(),
        relationship: "dependsOn".to_owned(),
    });
    if !provides.is_empty() {
        out.push(Dependency {
            from,
            to: provides.iter().map(|s| s.to_string()).collect(),
            relationship: "provides".to_owned(),
        });
    }
    Ok(())
}

fn read_vulnerability(
    doc: &JsonDoc<'_>,
    value: &Value,
    path: &Path<'_>,
) -> Result<Vulnerability, SbomError> {
    let obj = doc.object(value, path)?;
    let id = match doc.text_field(obj, "id", path)? {
        Some(id) => id,
        None => doc.text_field(obj, "bom-ref", path)?.unwrap_or_default(),
    };
    let source = match doc.opt_object(obj, "source", path)? {
        Some(source) => doc.text_field(source, "name", &path.key("source"))?,
        None => None,
    };

    let rp = path.key("ratings");
    let mut ratings = Vec::new();
    for (i, value) in doc.opt_array(obj, "ratings", path)?.iter().enumerate() {
        let p = rp.index(i);
        let rating = doc.object(value, &p)?;
        let source = match doc.opt_object(rating, "source", &p)? {
            Some(source) => doc.text_field(source, "name", &p.key("source"))?,
            None => None,
        };
        ratings.push(Rating {
            method: doc.text_field(rating, "method", &p)?,
            score: doc.opt_number(rating, "score", &p)?,
            severity: doc.text_field(rating, "severity", &p)?,
            vector: doc.text_field(rating, "vector", &p)?,
            source,
        });
    }

    let cp = path.key("cwes");
    let mut cwes = Vec::new();
    for (i, value) in doc.opt_array(obj, "cwes", path)?.iter().enumerate() {
        let cwe = match value {
            Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            Value::String(s) => parse_cwe(s),
            _ => None,
        };
        match cwe {
            Some(cwe) => cwes.push(cwe),
            None => {
                return Err(doc.error(
                    &cp.index(i),
                    format!("expected a CWE number, found {}", describe(value)),
                ));
            }
        }
    }

    let ap = path.key("affects");
    let mut affects = Vec::new();
    for (i, value) in doc.opt_array(obj, "affects", path)?.iter().enumerate() {
        let p = ap.index(i);
        let reference = match value {
            Value::String(s) => non_empty(s),
            other => doc.text_field(doc.object(other, &p)?, "ref", &p)?,
        };
        if let Some(reference) = reference {
            affects.push(reference);
        }
    }

    let (state, justification, detail) = match doc.opt_object(obj, "analysis", path)? {
        Some(analysis) => {
            let p = path.key("analysis");
            (
                doc.opt_str(analysis, "state", &p)?
                    .and_then(normalize_state),
                doc.text_field(analysis, "justification", &p)?,
                doc.text_field(analysis, "detail", &p)?,
            )
        }
        None => (None, None, None),
    };

    Ok(Vulnerability {
        id,
        source,
        ratings,
        cwes,
        description: doc.text_field(obj, "description", path)?,
        affects: dedup_in_order(affects),
        state,
        justification,
        detail,
        location: SourcePos {
            line: 0,
            column: 0,
            path: path.render(),
        },
    })
}

/// "79", "CWE-79" or "cwe-79" to 79.
pub(crate) fn parse_cwe(raw: &str) -> Option<u32> {
    let t = raw.trim();
    let digits = t
        .strip_prefix("CWE-")
        .or_else(|| t.strip_prefix("cwe-"))
        .unwrap_or(t);
    digits.parse().ok()
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{s}\""),
        other => super::json::kind_of(other).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Result<Bom, SbomError> {
        let doc = JsonDoc::parse(text)?;
        let root = doc.root.as_object().cloned().unwrap_or_default();
        read(&doc, &root)
    }

    #[test]
    fn nested_components_are_flattened_with_parents_and_positions() {
        let bom = read_str(
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
  "metadata": {"component": {"type": "device", "name": "pump", "components": [{"name": "not counted"}]}},
  "components": [
    {"type": "firmware", "name": "a", "version": "", "authors": [{"name": "X"}],
     "manufacturer": {"name": "M"},
     "components": [{"name": "a1", "components": [{"name": "a11"}]}]},
    {"name": "b", "swid": {"tagId": "t"}, "licenses": [{"expression": "MIT"}, {"license": {"name": "NONE"}}],
     "hashes": [{"alg": "SHA-1", "content": "00"}], "properties": [{"name": "eos"}]}
  ],
  "dependencies": [{"ref": "a", "dependsOn": ["b"], "provides": ["c"]}],
  "vulnerabilities": [{"id": "CVE-1", "cwes": [79, "CWE-89"], "ratings": [{"score": "5.0"}],
     "affects": [{"ref": "a"}, {"ref": "a"}], "analysis": {"state": "exploitable"}}]
}"#,
        )
        .unwrap();
        let names: Vec<&str> = bom.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "a1", "a11", "b"]);
        let parents: Vec<Option<usize>> = bom.components.iter().map(|c| c.parent).collect();
        assert_eq!(parents, [None, Some(0), Some(1), None]);
        let paths: Vec<&str> = bom
            .components
            .iter()
            .map(|c| c.location.path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "components[0]",
                "components[0].components[0]",
                "components[0].components[0].components[0]",
                "components[1]"
            ]
        );
        let lines: Vec<u32> = bom.components.iter().map(|c| c.location.line).collect();
        assert_eq!(lines, [4, 6, 6, 7]);
        let a = &bom.components[0];
        assert_eq!(
            (
                a.version.as_deref(),
                a.author.as_deref(),
                a.supplier.as_deref()
            ),
            (None, Some("X"), Some("M"))
        );
        let b = &bom.components[3];
        assert_eq!(b.licenses, ["MIT"]);
        assert_eq!(b.swid.as_deref(), Some("t"));
        assert_eq!(b.properties, [("eos".to_owned(), String::new())]);
        assert_eq!(bom.subject.as_ref().map(|s| s.location.line), Some(2));
        assert_eq!(bom.dependencies.len(), 2);
        let v = &bom.vulnerabilities[0];
        assert_eq!(
            (v.cwes.as_slice(), v.affects.len(), v.state.as_deref()),
            (&[79, 89][..], 1, Some("affected"))
        );
        assert_eq!(v.ratings[0].score, Some(5.0));
        assert_eq!(v.location.line, 11);
    }

    #[test]
    fn version_and_type_errors() {
        let err = read_str(r#"{"bomFormat": "CycloneDX", "specVersion": "1.1"}"#).unwrap_err();
        assert!(err.message.contains("no JSON form"), "{err}");
        let err = read_str(r#"{"bomFormat": "CycloneDX", "specVersion": 1.4}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "specVersion: expected a string, found a number (line 1, column 43)"
        );
        let err = read_str(
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "a", "hashes": [{"alg": 1}]}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.path.as_deref(), Some("components[0].hashes[0].alg"));
        let err = read_str(
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "vulnerabilities": [{"cwes": ["x"]}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.path.as_deref(), Some("vulnerabilities[0].cwes[0]"));
    }
}
