//! Findings as SARIF 2.1.0, for GitHub code scanning and other SARIF consumers: one rule per
//! code with its help text and guidance section, results with file and region, suppressed
//! findings marked as such, and fingerprints that survive unrelated edits.

use crate::check::codes::{self, CodeInfo};
use crate::finding::{Finding, Severity};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// `prefix` is prepended to project-relative paths (the project folder as given on the command
/// line, `/`-separated), so paths resolve from where the tool ran, as code scanning expects.
pub fn document(findings: &[Finding], prefix: &str) -> Value {
    let rules: Vec<Value> = codes::CODES.iter().map(rule).collect();
    let results: Vec<Value> = findings.iter().map(|f| result(f, prefix)).collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "dossier",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn rule(info: &CodeInfo) -> Value {
    let guidance = info
        .guidance
        .map(|g| format!(" Guidance: {g}."))
        .unwrap_or_default();
    json!({
        "id": info.code,
        "name": info.name,
        "shortDescription": { "text": info.summary },
        "fullDescription": { "text": format!("{}{guidance}", info.summary) },
        "help": {
            "text": format!("{}{guidance} See the dossier book, chapter 'Checking a project', code {}.", info.summary, info.code),
            "markdown": format!("**{}** ({}): {}{guidance}", info.code, info.name, info.summary),
        },
        "defaultConfiguration": { "level": level(info.severity) },
        "properties": match info.guidance {
            Some(guidance) => json!({ "guidance": guidance, "tags": [category(info.code)] }),
            None => json!({ "tags": [category(info.code)] }),
        },
    })
}

fn category(code: &str) -> &'static str {
    match code.chars().next() {
        Some('L') => "project-format",
        Some('R') => "references",
        Some('C') => "appendix-1-coverage",
        Some('T') => "traceability",
        Some('K') => "risk-scoring",
        Some('Y') => "section-524b",
        Some('D') => "documentation",
        Some('S') => "sbom",
        Some('V') => "vulnerabilities",
        Some('M') => "mds2",
        Some('P') => "policy",
        _ => "other",
    }
}

/// The artifact URI of a project file: a relative URI reference (SARIF §3.10), so a space or
/// a `%` in a file name is percent-encoded.
fn join(prefix: &str, file: &str) -> String {
    let path = if prefix.is_empty() || prefix == "." {
        file.to_string()
    } else {
        format!("{}/{file}", prefix.trim_end_matches('/'))
    };
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

fn result(finding: &Finding, prefix: &str) -> Value {
    // Code scanning needs a location for every result: project-level findings point at the
    // project file.
    let location = finding
        .location
        .clone()
        .unwrap_or_else(|| crate::finding::Location::file(crate::load::PROJECT_FILE));
    let mut region = serde_json::Map::new();
    region.insert("startLine".into(), json!(location.line.max(1)));
    if location.column > 0 {
        region.insert("startColumn".into(), json!(location.column));
        if location.len > 0 {
            region.insert("endColumn".into(), json!(location.column + location.len));
        }
    }
    let mut result = json!({
        "ruleId": finding.code,
        "ruleIndex": codes::CODES.iter().position(|c| c.code == finding.code).unwrap_or(0),
        "level": level(finding.severity),
        "message": { "text": message(finding) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": join(prefix, &location.file) },
                "region": Value::Object(region),
            }
        }],
        "partialFingerprints": { "dossierFinding/v1": fingerprint(finding) },
        "properties": properties(finding),
    });
    if !finding.related.is_empty() {
        result["relatedLocations"] = Value::Array(
            finding
                .related
                .iter()
                .enumerate()
                .map(|(i, (l, label))| {
                    json!({
                        "id": i,
                        "message": { "text": label },
                        "physicalLocation": {
                            "artifactLocation": { "uri": join(prefix, &l.file) },
                            "region": region_of(l.line, l.column),
                        }
                    })
                })
                .collect(),
        );
    }
    if let Some(suppressed) = &finding.suppressed {
        let kind = if suppressed.by == "--allow" {
            "external"
        } else {
            "inSource"
        };
        result["suppressions"] =
            json!([{ "kind": kind, "status": "accepted", "justification": suppressed.reason }]);
    }
    result
}

/// A region with a start line, and the start column when it is known.
fn region_of(line: u32, column: u32) -> Value {
    if column > 0 {
        json!({ "startLine": line.max(1), "startColumn": column })
    } else {
        json!({ "startLine": line.max(1) })
    }
}

/// Guidance section and subject, when the finding has them.
fn properties(finding: &Finding) -> Value {
    let mut bag = serde_json::Map::new();
    if let Some(guidance) = &finding.guidance {
        bag.insert("guidance".into(), json!(guidance));
    }
    if let Some(subject) = &finding.subject {
        bag.insert("subject".into(), json!(subject));
    }
    Value::Object(bag)
}

fn message(finding: &Finding) -> String {
    let mut text = finding.message.clone();
    if let Some(help) = &finding.help {
        text.push_str(". Fix: ");
        text.push_str(help);
    }
    if let Some(guidance) = &finding.guidance {
        text.push_str(&format!(" (guidance {guidance})"));
    }
    text
}

/// A hash of what the finding is about, not where: the code, the subject, the message with
/// counts and dates removed, and the file. Editing another file, or moving the item within its
/// file, keeps it.
pub fn fingerprint(finding: &Finding) -> String {
    // The message tells apart two findings of one code about one subject (missing
    // authentication and missing encryption). Digits outside backticks (counts, dates) shift
    // from run to run and are dropped; inside backticks they name things (`S098`, `CVE-…`).
    let mut quoted = false;
    let message: String = finding
        .message
        .chars()
        .filter(|&c| {
            if c == '`' {
                quoted = !quoted;
            }
            quoted || !c.is_ascii_digit()
        })
        .collect();
    let subject = finding.subject.as_deref().unwrap_or("");
    let file = finding
        .location
        .as_ref()
        .map(|l| l.file.as_str())
        .unwrap_or("");
    let key = format!("{}\u{0}{subject}\u{0}{message}\u{0}{file}", finding.code);
    let digest = Sha256::digest(key.as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_become_uri_references() {
        assert_eq!(
            join("", "risk assessment 100%.yaml"),
            "risk%20assessment%20100%25.yaml"
        );
        assert_eq!(join("device", "a/b.yaml"), "device/a/b.yaml");
        assert_eq!(join(".", "ä.yaml"), "%C3%A4.yaml");
    }

    #[test]
    fn fingerprints_keep_the_names_in_backticks() {
        let p003 =
            |code: &str| Finding::new("P003", format!("`{code}` is not a dossier finding code"));
        assert_ne!(fingerprint(&p003("S098")), fingerprint(&p003("S099")));
        let expired =
            |date: &str| Finding::new("P001", format!("the suppression of S012 expired on {date}"));
        assert_eq!(
            fingerprint(&expired("2027-01-29")),
            fingerprint(&expired("2027-02-28"))
        );
    }
}
