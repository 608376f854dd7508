//! Findings for machines: one JSON document.
//!
//! Shape (a promise to CI scripts; add keys, never rename):
//! `{"findings":[{"code","severity","message","file","line","column","help","guidance",...}],
//!   "summary":{"errors","warnings","notes"}}`, file paths relative to the project root.

use crate::finding::{Finding, Summary};
use serde_json::{Map, Value, json};

pub fn finding_json(finding: &Finding) -> Value {
    let location = finding.location.as_ref();
    let mut object = Map::new();
    object.insert("code".into(), json!(finding.code));
    object.insert("severity".into(), json!(finding.severity));
    object.insert("message".into(), json!(finding.message));
    object.insert("file".into(), json!(location.map(|l| l.file.as_str())));
    object.insert(
        "line".into(),
        json!(location.filter(|l| l.line > 0).map(|l| l.line)),
    );
    object.insert(
        "column".into(),
        json!(location.filter(|l| l.column > 0).map(|l| l.column)),
    );
    object.insert("help".into(), json!(finding.help));
    object.insert("guidance".into(), json!(finding.guidance));
    object.insert("subject".into(), json!(finding.subject));
    if !finding.related.is_empty() {
        let related: Vec<Value> = finding
            .related
            .iter()
            .map(|(l, label)| {
                json!({
                    "file": l.file,
                    "line": (l.line > 0).then_some(l.line),
                    "column": (l.column > 0).then_some(l.column),
                    "message": label
                })
            })
            .collect();
        object.insert("related".into(), Value::Array(related));
    }
    if let Some(suppressed) = &finding.suppressed {
        object.insert("suppressed".into(), json!(suppressed));
    }
    Value::Object(object)
}

/// The whole document. `extra` adds top-level keys (e.g. `coverage`).
pub fn document(findings: &[Finding], extra: Map<String, Value>) -> Value {
    let mut root = Map::new();
    root.insert(
        "findings".into(),
        Value::Array(findings.iter().map(finding_json).collect()),
    );
    root.insert("summary".into(), json!(Summary::of(findings)));
    root.extend(extra);
    Value::Object(root)
}
