//! The one error type of the SBOM readers: a reason, plus where in the file when known.

/// Why a file could not be read, and where. `line`/`column` are 1-based, 0 when unknown;
/// `path` is the JSON-pointer-like path of the offending value when there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct SbomError {
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub path: Option<String>,
}

impl SbomError {
    /// An error with no known position.
    pub fn new(message: impl Into<String>) -> Self {
        SbomError {
            message: message.into(),
            line: 0,
            column: 0,
            path: None,
        }
    }

    /// An error at a known line and column.
    pub fn at(message: impl Into<String>, line: u32, column: u32) -> Self {
        SbomError {
            message: message.into(),
            line,
            column,
            path: None,
        }
    }

    /// The same error, naming the path of the value it is about.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.path = if path.is_empty() { None } else { Some(path) };
        self
    }

    fn render(&self) -> String {
        let mut out = String::new();
        if let Some(path) = &self.path {
            out.push_str(path);
            out.push_str(": ");
        }
        out.push_str(&self.message);
        if self.line > 0 {
            out.push_str(&format!(" (line {}, column {})", self.line, self.column));
        }
        out
    }
}
