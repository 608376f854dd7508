//! Which dialect a JSON document is (CycloneDX, SPDX, OpenVEX), and a precise reason when it
//! is none of them, so "this is a KEV catalog" beats "unknown format".

use serde_json::Value;

use super::error::SbomError;
use super::json::{JsonDoc, Object, Path, kind_of};
use super::model::Bom;
use super::{cyclonedx_json, openvex, spdx_json};

/// Parses JSON text and hands it to the reader of its dialect.
pub(crate) fn read_json(text: &str) -> Result<Bom, SbomError> {
    let doc = JsonDoc::parse(text)?;
    let p = Path::ROOT;
    let Some(root) = doc.root.as_object() else {
        return Err(doc.error(
            &p,
            format!(
                "expected a JSON object at the top level, found {}",
                kind_of(&doc.root)
            ),
        ));
    };
    match root.get("bomFormat") {
        Some(Value::String(format)) if format.trim() == "CycloneDX" => {
            return cyclonedx_json::read(&doc, root);
        }
        Some(Value::String(format)) => {
            return Err(doc.error(
                &p.key("bomFormat"),
                format!("expected \"CycloneDX\", found \"{format}\""),
            ));
        }
        Some(other) => {
            return Err(doc.error(
                &p.key("bomFormat"),
                format!("expected a string, found {}", kind_of(other)),
            ));
        }
        None => {}
    }
    if root.contains_key("spdxVersion") {
        return spdx_json::read(&doc, root);
    }
    if openvex::is_openvex(root) {
        return openvex::read(&doc, root);
    }
    Err(doc.error(&p, explain(root)))
}

/// Why a JSON object is not a supported SBOM, as specifically as the keys allow.
fn explain(root: &Object) -> String {
    let context = openvex::context_text(root).unwrap_or_default();
    let has = |key: &str| root.contains_key(key);
    let schema = root
        .get("$schema")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if context.contains("spdx.org/rdf/3") || (has("@graph") && context.contains("spdx")) {
        "SPDX 3.0 is not supported yet; export the SBOM as SPDX 2.3 or CycloneDX".to_owned()
    } else if has("specVersion") || has("components") || has("metadata") {
        "bomFormat is missing: a CycloneDX JSON document needs \"bomFormat\": \"CycloneDX\""
            .to_owned()
    } else if has("catalogVersion") && has("vulnerabilities") {
        "this is a CISA KEV catalog, not an SBOM; give it as the KEV catalog instead".to_owned()
    } else if schema.contains("json-schema.org") {
        "this is a JSON Schema, not an SBOM".to_owned()
    } else if has("runs") && schema.contains("sarif") {
        "this is a SARIF log, not an SBOM".to_owned()
    } else {
        "not an SBOM: none of bomFormat (CycloneDX), spdxVersion (SPDX) or an OpenVEX \
         @context is present"
            .to_owned()
    }
}
