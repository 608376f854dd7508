//! OpenVEX JSON (context `https://openvex.dev/ns/...`) into a [`Bom`] with no components and one
//! vulnerability per statement.
//!
//! Both shapes seen in the wild are read: 0.2.0 (`vulnerability` an object with `name`,
//! products objects with `@id` / `identifiers`) and the earlier 0.0.x (plain strings).

use serde_json::Value;

use super::common::{dedup_in_order, normalize_state};
use super::error::SbomError;
use super::json::{ArraySpec, JsonDoc, Object, Path, element_offsets, fill_positions, non_empty};
use super::model::{Bom, SbomFormat, SourcePos, Vulnerability};
use super::text::LineIndex;

/// True when the `@context` names the OpenVEX namespace.
pub(crate) fn is_openvex(root: &Object) -> bool {
    context_text(root).is_some_and(|c| c.contains("openvex.dev/ns"))
}

/// The `@context` as one string (it may be a string or an array of strings).
pub(crate) fn context_text(root: &Object) -> Option<String> {
    match root.get("@context")? {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => None,
    }
}

pub(crate) fn read(doc: &JsonDoc<'_>, root: &Object) -> Result<Bom, SbomError> {
    let p = Path::ROOT;
    let context = context_text(root).unwrap_or_default();
    let spec_version = spec_version(&context);
    let author = doc.text_field(root, "author", &p)?;

    let sp = p.key("statements");
    let mut vulnerabilities = Vec::new();
    for (i, value) in doc.opt_array(root, "statements", &p)?.iter().enumerate() {
        vulnerabilities.push(read_statement(doc, value, &sp.index(i), author.as_deref())?);
    }
    if !vulnerabilities.is_empty() {
        let specs = [ArraySpec {
            key: "statements",
            nested: false,
        }];
        if let Some(offsets) = element_offsets(doc.text, &specs).first() {
            fill_positions(
                &LineIndex::new(doc.text),
                offsets,
                vulnerabilities.iter_mut().map(|v| &mut v.location),
            );
        }
    }

    Ok(Bom {
        format: SbomFormat::OpenVex,
        spec_version,
        serial: doc.text_field(root, "@id", &p)?,
        timestamp: doc.text_field(root, "timestamp", &p)?,
        authors: author.into_iter().collect(),
        subject: None,
        components: Vec::new(),
        dependencies: Vec::new(),
        vulnerabilities,
    })
}

/// `https://openvex.dev/ns/v0.2.0` -> "0.2.0"; the unversioned context of the first release
/// (`https://openvex.dev/ns`) -> "0.0.1".
fn spec_version(context: &str) -> String {
    context
        .split_whitespace()
        .find_map(|c| c.split_once("openvex.dev/ns").map(|(_, rest)| rest))
        .map(|rest| rest.trim_start_matches('/').trim_start_matches('v'))
        .filter(|v| !v.is_empty())
        .unwrap_or("0.0.1")
        .to_owned()
}

fn read_statement(
    doc: &JsonDoc<'_>,
    value: &Value,
    path: &Path<'_>,
    author: Option<&str>,
) -> Result<Vulnerability, SbomError> {
    let obj = doc.object(value, path)?;
    let vp = path.key("vulnerability");
    let (id, description) = match obj.get("vulnerability") {
        Some(Value::String(name)) => (name.trim().to_owned(), None),
        Some(Value::Object(vuln)) => {
            let id = match doc.text_field(vuln, "name", &vp)? {
                Some(name) => name,
                None => doc.text_field(vuln, "@id", &vp)?.unwrap_or_default(),
            };
            (id, doc.text_field(vuln, "description", &vp)?)
        }
        None | Some(Value::Null) => {
            return Err(doc.error(path, "statement has no vulnerability"));
        }
        Some(other) => {
            return Err(doc.error(
                &vp,
                format!(
                    "expected an object or a string, found {}",
                    super::json::kind_of(other)
                ),
            ));
        }
    };

    let pp = path.key("products");
    let mut affects = Vec::new();
    for (i, product) in doc.opt_array(obj, "products", path)?.iter().enumerate() {
        let p = pp.index(i);
        let reference = match product {
            Value::String(s) => non_empty(s),
            other => {
                let product = doc.object(other, &p)?;
                match doc.text_field(product, "@id", &p)? {
                    Some(id) => Some(id),
                    None => match doc.opt_object(product, "identifiers", &p)? {
                        Some(ids) => doc.text_field(ids, "purl", &p.key("identifiers"))?,
                        None => None,
                    },
                }
            }
        };
        if let Some(reference) = reference {
            affects.push(reference);
        }
    }

    let Some(status) = doc.opt_str(obj, "status", path)? else {
        return Err(doc.error(path, "statement has no status"));
    };
    let detail = match doc.text_field(obj, "impact_statement", path)? {
        Some(text) => Some(text),
        None => match doc.text_field(obj, "action_statement", path)? {
            Some(text) => Some(text),
            None => doc.text_field(obj, "status_notes", path)?,
        },
    };

    Ok(Vulnerability {
        id,
        source: author.map(str::to_owned),
        ratings: Vec::new(),
        cwes: Vec::new(),
        description,
        affects: dedup_in_order(affects),
        state: normalize_state(status),
        justification: doc.text_field(obj, "justification", path)?,
        detail,
        location: SourcePos {
            line: 0,
            column: 0,
            path: path.render(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_context() {
        assert_eq!(spec_version("https://openvex.dev/ns/v0.2.0"), "0.2.0");
        assert_eq!(spec_version("https://openvex.dev/ns"), "0.0.1");
    }
}
