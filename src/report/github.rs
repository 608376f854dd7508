//! Findings as GitHub Actions workflow commands: one annotation line per counted finding, shown
//! on the pull request at the file and line.

use crate::finding::{Finding, Severity};

/// `prefix` is prepended to project-relative paths (the project folder as given).
pub fn document(findings: &[Finding], prefix: &str) -> String {
    let mut out = String::new();
    for finding in findings.iter().filter(|f| f.counts()) {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut properties = Vec::new();
        if let Some(location) = &finding.location {
            let file = if prefix.is_empty() || prefix == "." {
                location.file.clone()
            } else {
                format!("{}/{}", prefix.trim_end_matches('/'), location.file)
            };
            properties.push(format!("file={}", property(&file)));
            if location.line > 0 {
                properties.push(format!("line={}", location.line));
            }
            if location.column > 0 {
                properties.push(format!("col={}", location.column));
            }
        }
        let name = crate::check::codes::info(finding.code)
            .map(|c| c.name)
            .unwrap_or("");
        properties.push(format!(
            "title={}",
            property(&format!("{} {name}", finding.code))
        ));
        let mut message = finding.message.clone();
        if let Some(help) = &finding.help {
            message.push_str(&format!("\nFix: {help}"));
        }
        if let Some(guidance) = &finding.guidance {
            message.push_str(&format!("\nGuidance: {guidance}"));
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            data(&message)
        ));
    }
    out
}

/// Escaping for the message part of a workflow command.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a property value (also `:` and `,`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;

    #[test]
    fn annotations_escape_and_locate() {
        let finding = Finding::new(
            "R002",
            "risk `R-1` names threat `T-9`, which does not exist; 100%\nsure",
        )
        .at(Some(Location {
            file: "a,b:c.yaml".into(),
            line: 3,
            column: 7,
            len: 3,
        }))
        .help("did you mean `T-8`?");
        let text = document(&[finding], "examples/pump");
        assert_eq!(
            text,
            "::error file=examples/pump/a%2Cb%3Ac.yaml,line=3,col=7,title=R002 dangling-reference::risk `R-1` names threat `T-9`, which does not exist; 100%25%0Asure%0AFix: did you mean `T-8`?\n"
        );
    }
}
