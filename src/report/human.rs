//! Findings for people, in the style of rustc: what, where (with the source line underlined),
//! and what to do.

use crate::check::coverage;
use crate::check::cyber::CyberDecision;
use crate::finding::{Finding, Location, Severity, Summary};
use crate::source::SourceMap;
use std::fmt::Write;

/// Terminal colours, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Note => "1;36",
        };
        self.paint(code, severity.as_str())
    }

    fn blue(&self, text: &str) -> String {
        self.paint("1;34", text)
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// Renders all findings followed by a summary line.
pub fn render(findings: &[Finding], sources: &SourceMap, style: Style) -> String {
    let mut out = render_findings(findings, sources, style);
    out.push_str(&summary_line(&Summary::of(findings), style));
    out.push('\n');
    out
}

/// Each finding, with a blank line after it.
pub fn render_findings(findings: &[Finding], sources: &SourceMap, style: Style) -> String {
    let mut out = String::new();
    for finding in findings {
        render_one(&mut out, finding, sources, style);
        out.push('\n');
    }
    out
}

/// The Appendix 1 coverage table and the cyber device decision.
pub fn coverage(summary: &coverage::Summary, cyber: &CyberDecision) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "cyber device: {} ({}: {})",
        if cyber.cyber_device { "yes" } else { "no" },
        cyber.basis,
        cyber.reason
    );
    let _ = writeln!(out, "Appendix 1 coverage (guidance {}):", summary.edition);
    let width = summary
        .categories
        .iter()
        .map(|c| c.title.chars().count())
        .max()
        .unwrap_or(0);
    for c in &summary.categories {
        let _ = writeln!(
            out,
            "  {:<7}{:<width$}  {:>2}/{:<2} covered ({} verified), {} not applicable, {} missing",
            c.id, c.title, c.covered, c.required, c.verified, c.not_applicable, c.missing
        );
    }
    let _ = writeln!(
        out,
        "  {:<7}{:<width$}  {:>2}/{:<2} covered ({} verified), {} not applicable, {} missing",
        "total",
        "",
        summary.covered,
        summary.required,
        summary.verified,
        summary.not_applicable,
        summary.missing
    );
    out
}

/// "3 errors, 1 warning, 2 notes", or a clean bill of health.
pub fn summary_line(summary: &Summary, style: Style) -> String {
    if summary.total() == 0 {
        return format!("{}: no findings", style.bold("ok"));
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let parts = [
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.notes, "note"),
    ];
    let label = if summary.errors > 0 {
        style.severity(Severity::Error)
    } else if summary.warnings > 0 {
        style.severity(Severity::Warning)
    } else {
        style.severity(Severity::Note)
    };
    format!("{label}: {}", parts.join(", "))
}

/// Project text made safe for a terminal: control characters (an ESC that would recolour the
/// terminal, a carriage return that would overwrite the line) become `�`, one character each so
/// the carets under a snippet stay aligned; a tab becomes a space.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() && c != '\n' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

pub fn render_one(out: &mut String, finding: &Finding, sources: &SourceMap, style: Style) {
    let _ = writeln!(
        out,
        "{}{}: {}",
        style.severity(finding.severity),
        style.bold(&format!("[{}]", finding.code)),
        style.bold(&visible(&finding.message))
    );
    let gutter = finding
        .location
        .iter()
        .chain(finding.related.iter().map(|(l, _)| l))
        .map(|l| l.line.to_string().len())
        .max()
        .unwrap_or(1);
    if let Some(location) = &finding.location {
        snippet(out, location, None, sources, style, gutter);
    }
    for (location, label) in &finding.related {
        snippet(out, location, Some(label), sources, style, gutter);
    }
    let pad = " ".repeat(gutter);
    if let Some(help) = &finding.help {
        let help = visible(help);
        let _ = writeln!(
            out,
            "{pad} {} {}: {help}",
            style.blue("="),
            style.bold("help")
        );
    }
    if let Some(guidance) = &finding.guidance {
        let _ = writeln!(
            out,
            "{pad} {} {}: {guidance}",
            style.blue("="),
            style.bold("guidance")
        );
    }
}

fn snippet(
    out: &mut String,
    location: &Location,
    label: Option<&str>,
    sources: &SourceMap,
    style: Style,
    gutter: usize,
) {
    let pad = " ".repeat(gutter);
    let arrow = if label.is_some() { ":::" } else { "-->" };
    let _ = writeln!(
        out,
        "{pad}{} {}",
        style.blue(arrow),
        visible(&location.to_string())
    );
    if location.line == 0 {
        return;
    }
    let Some(line) = sources
        .text_of(&location.file)
        .and_then(|text| text.lines().nth(location.line as usize - 1))
    else {
        return;
    };
    let line = visible(line);
    let _ = writeln!(out, "{pad} {}", style.blue("|"));
    let _ = writeln!(
        out,
        "{} {line}",
        style.blue(&format!("{:>gutter$} |", location.line))
    );
    if location.column > 0 {
        let col = location.column as usize - 1;
        let width = line.chars().count();
        let len = (location.len as usize).clamp(1, width.saturating_sub(col).max(1));
        let marks = "^".repeat(len);
        let text = match label {
            Some(label) => format!("{marks} {}", visible(label)),
            None => marks,
        };
        let _ = writeln!(
            out,
            "{pad} {} {}{}",
            style.blue("|"),
            " ".repeat(col),
            style.paint("1;31", &text)
        );
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn control_characters_do_not_reach_the_terminal() {
        assert_eq!(visible("T-\u{1b}[31mX\tY\r"), "T-\u{FFFD}[31mX Y\u{FFFD}");
    }

    use super::*;

    #[test]
    fn shows_the_line_and_underlines_the_value() {
        let mut sources = SourceMap::default();
        sources.add(
            "risks.yaml".into(),
            "risks:\n  - id: R-7\n    threats: [T-9]\n".into(),
        );
        let finding = Finding::new(
            "R002",
            "risk `R-7` names threat `T-9`, which does not exist",
        )
        .at(Some(Location {
            file: "risks.yaml".into(),
            line: 3,
            column: 15,
            len: 3,
        }))
        .help("did you mean `T-8`?")
        .guidance("§V.A.2");
        let text = render(&[finding], &sources, Style { color: false });
        assert!(text.contains("error[R002]: risk `R-7`"), "{text}");
        assert!(text.contains("--> risks.yaml:3:15"), "{text}");
        assert!(text.contains("3 |     threats: [T-9]"), "{text}");
        assert!(text.contains("  |               ^^^\n"), "{text}");
        assert!(text.contains("= help: did you mean `T-8`?"), "{text}");
        assert!(text.contains("= guidance: §V.A.2"), "{text}");
        assert!(
            text.ends_with("error: 1 error, 0 warnings, 0 notes\n"),
            "{text}"
        );
    }
}
