//! The one finding type shared by the loader, the rules and every report format.

use serde::Serialize;
use std::fmt;

/// How serious a finding is. Ordered: `Note < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "note" => Some(Severity::Note),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a project file. `file` is relative to the project root with `/` separators.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub file: String,
    /// 1-based; 0 when only the file is known.
    pub line: u32,
    /// 1-based, in characters; 0 when only the file (or line) is known.
    pub column: u32,
    /// Characters to underline from `column` (0 = just a caret).
    #[serde(skip)]
    pub len: u32,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Location {
        Location {
            file: file.into(),
            line: 0,
            column: 0,
            len: 0,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.file),
            (line, 0) => write!(f, "{}:{line}", self.file),
            (line, col) => write!(f, "{}:{line}:{col}", self.file),
        }
    }
}

/// One problem (or observation) about a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `L012`; see `check::codes` for the registry.
    pub code: &'static str,
    pub severity: Severity,
    /// Names the thing concerned and says what is wrong.
    pub message: String,
    pub location: Option<Location>,
    /// What to do about it.
    pub help: Option<String>,
    /// The guidance (or statute) section the rule comes from, e.g. `§V.A.2`.
    pub guidance: Option<String>,
    /// The ID of the item the finding is about (a threat, a recommendation, ...), when there is one.
    /// Reports use it to group findings and to fingerprint them independently of line numbers.
    pub subject: Option<String>,
    /// Further places that belong to the finding (the first definition of a duplicate ID, ...).
    pub related: Vec<(Location, String)>,
    /// Set when policy accepts the finding; it is then reported but not counted.
    pub suppressed: Option<Suppressed>,
}

/// Why a finding is not counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    pub reason: String,
    pub expires: Option<String>,
    /// Where the suppression is: `dossier.yaml:LINE`, or `--allow`.
    pub by: String,
}

impl Finding {
    /// A finding with the code's registered default severity.
    pub fn new(code: &'static str, message: impl Into<String>) -> Finding {
        Finding {
            code,
            severity: crate::check::codes::default_severity(code),
            message: message.into(),
            location: None,
            help: None,
            guidance: None,
            subject: None,
            related: Vec::new(),
            suppressed: None,
        }
    }

    /// Whether the finding counts (is not suppressed).
    pub fn counts(&self) -> bool {
        self.suppressed.is_none()
    }

    pub fn at(mut self, location: Option<Location>) -> Finding {
        self.location = location;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn guidance(mut self, section: impl Into<String>) -> Finding {
        self.guidance = Some(section.into());
        self
    }

    pub fn subject(mut self, id: impl Into<String>) -> Finding {
        self.subject = Some(id.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    pub fn related(mut self, location: Location, label: impl Into<String>) -> Finding {
        self.related.push((location, label.into()));
        self
    }
}

/// Counts per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Findings accepted by policy; not in the other counts.
    pub suppressed: usize,
}

impl Summary {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Summary {
        let mut summary = Summary::default();
        for finding in findings {
            if !finding.counts() {
                summary.suppressed += 1;
                continue;
            }
            match finding.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Note => summary.notes += 1,
            }
        }
        summary
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.notes
    }
}

/// Whether any counted finding is at or above `threshold` (the exit code of `check`).
pub fn failing(findings: &[Finding], threshold: Severity) -> bool {
    findings
        .iter()
        .any(|f| f.counts() && f.severity >= threshold)
}

/// Sorts findings into the order every report uses: by file, line, column, then code and
/// subject (numbers in natural order: LBL-2 before LBL-10), then message. Findings without a
/// location come last.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by_cached_key(|f| {
        (
            f.location.is_none(),
            f.location.clone(),
            f.code,
            f.subject.as_deref().map(natural_key),
            natural_key(&f.message),
        )
    });
}

/// A key that orders digit runs by their value: "LBL-2" < "LBL-10".
pub fn natural_key(text: &str) -> Vec<(u8, u64, String)> {
    let mut key = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut digits = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(d);
                chars.next();
            }
            key.push((0, digits.parse().unwrap_or(u64::MAX), digits));
        } else {
            let mut run = String::new();
            while let Some(&d) = chars.peek().filter(|d| !d.is_ascii_digit()) {
                run.push(d);
                chars.next();
            }
            key.push((1, 0, run));
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut ids = vec!["LBL-10", "LBL-2", "LBL-1", "AUTHN-P1", "AUTHN-1"];
        ids.sort_by_key(|i| natural_key(i));
        assert_eq!(ids, vec!["AUTHN-1", "AUTHN-P1", "LBL-1", "LBL-2", "LBL-10"]);
    }
}
