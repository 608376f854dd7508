//! JSON plumbing shared by the JSON readers: parsing with located syntax errors, typed field
//! access that names the path of a wrong value, and byte offsets of array elements.
//!
//! serde_json gives no spans, so positions come from two cheap scans of the (already validated)
//! text: one pass that records where the elements of interesting arrays start, and, only when
//! an error is reported, a walk down to the offending value.

use serde_json::{Map, Value};

use super::error::SbomError;
use super::model::SourcePos;
use super::text::{LineIndex, line_col, to_u32};

pub(crate) type Object = Map<String, Value>;

/// One step of a path: an object key or an array index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A path built on the stack while walking, rendered only when needed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Option<Seg<'a>>,
}

impl<'a> Path<'a> {
    pub(crate) const ROOT: Path<'static> = Path {
        parent: None,
        seg: None,
    };

    pub(crate) fn key<'b>(&'b self, key: &'b str) -> Path<'b> {
        Path {
            parent: Some(self),
            seg: Some(Seg::Key(key)),
        }
    }

    pub(crate) fn index(&self, index: usize) -> Path<'_> {
        Path {
            parent: Some(self),
            seg: Some(Seg::Index(index)),
        }
    }

    pub(crate) fn segments(&self) -> Vec<Seg<'a>> {
        let mut segs = Vec::new();
        let mut cur = Some(self);
        while let Some(p) = cur {
            if let Some(seg) = p.seg {
                segs.push(seg);
            }
            cur = p.parent;
        }
        segs.reverse();
        segs
    }

    /// `components[3].name`; the root renders as "".
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        for seg in self.segments() {
            match seg {
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

/// A parsed JSON document with its text, so errors can be located.
pub(crate) struct JsonDoc<'t> {
    pub(crate) text: &'t str,
    pub(crate) root: Value,
}

impl<'t> JsonDoc<'t> {
    /// Parses JSON; a syntax error carries line and column.
    pub(crate) fn parse(text: &'t str) -> Result<Self, SbomError> {
        match serde_json::from_str::<Value>(text) {
            Ok(root) => Ok(JsonDoc { text, root }),
            Err(err) => {
                let full = err.to_string();
                let reason = match full.rfind(" at line ") {
                    Some(cut) => full.get(..cut).unwrap_or(&full).to_owned(),
                    None => full,
                };
                let line = to_u32(err.line());
                // serde_json says column 0 for the end of a line (a file cut short).
                let column = to_u32(err.column()).max(1);
                // serde_json stops at 128 levels of arrays and objects: the file is well-formed
                // but too deep to read (about 60 levels of nested components).
                let message = if reason.contains("recursion limit") {
                    "the JSON nests deeper than 128 levels of arrays and objects (about 60 levels of nested components), more than dossier reads".to_string()
                } else {
                    format!("JSON syntax error: {reason}")
                };
                Err(SbomError::at(message, line, column))
            }
        }
    }

    /// An error about the value at `path`, located in the text (or at the nearest ancestor that
    /// can be found).
    pub(crate) fn error(&self, path: &Path<'_>, message: impl Into<String>) -> SbomError {
        let segs = path.segments();
        let offset = (0..=segs.len())
            .rev()
            .find_map(|n| locate(self.text, segs.get(..n).unwrap_or_default()));
        let (line, column) = match offset {
            Some(offset) => line_col(self.text, offset),
            None => (0, 0),
        };
        SbomError::at(message, line, column).with_path(path.render())
    }

    /// Where the value at `path` starts (line/column 0 when it cannot be found).
    pub(crate) fn position(&self, path: &Path<'_>) -> SourcePos {
        let (line, column) = locate(self.text, &path.segments())
            .map_or((0, 0), |offset| line_col(self.text, offset));
        SourcePos {
            line,
            column,
            path: path.render(),
        }
    }

    fn type_error(&self, path: &Path<'_>, expected: &str, found: &Value) -> SbomError {
        self.error(
            path,
            format!("expected {expected}, found {}", kind_of(found)),
        )
    }

    pub(crate) fn object<'v>(
        &self,
        value: &'v Value,
        path: &Path<'_>,
    ) -> Result<&'v Object, SbomError> {
        value
            .as_object()
            .ok_or_else(|| self.type_error(path, "an object", value))
    }

    /// A string field; absent or null is `None`, any other type is an error.
    pub(crate) fn opt_str<'v>(
        &self,
        obj: &'v Object,
        key: &str,
        path: &Path<'_>,
    ) -> Result<Option<&'v str>, SbomError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.type_error(&path.key(key), "a string", other)),
        }
    }

    /// A string field as an owned, trimmed, non-empty value.
    pub(crate) fn text_field(
        &self,
        obj: &Object,
        key: &str,
        path: &Path<'_>,
    ) -> Result<Option<String>, SbomError> {
        Ok(self.opt_str(obj, key, path)?.and_then(non_empty))
    }

    pub(crate) fn opt_object<'v>(
        &self,
        obj: &'v Object,
        key: &str,
        path: &Path<'_>,
    ) -> Result<Option<&'v Object>, SbomError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(other) => Err(self.type_error(&path.key(key), "an object", other)),
        }
    }

    pub(crate) fn opt_array<'v>(
        &self,
        obj: &'v Object,
        key: &str,
        path: &Path<'_>,
    ) -> Result<&'v [Value], SbomError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(self.type_error(&path.key(key), "an array", other)),
        }
    }

    /// An array of strings; null entries are skipped, other types are errors.
    pub(crate) fn str_array<'v>(
        &self,
        obj: &'v Object,
        key: &str,
        path: &Path<'_>,
    ) -> Result<Vec<&'v str>, SbomError> {
        let items = self.opt_array(obj, key, path)?;
        let array_path = path.key(key);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) => out.push(s.as_str()),
                Value::Null => {}
                other => return Err(self.type_error(&array_path.index(i), "a string", other)),
            }
        }
        Ok(out)
    }

    /// A number; a numeric string is accepted too, because some tools quote scores.
    pub(crate) fn opt_number(
        &self,
        obj: &Object,
        key: &str,
        path: &Path<'_>,
    ) -> Result<Option<f64>, SbomError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(Value::String(s)) if s.trim().parse::<f64>().is_ok() => {
                Ok(s.trim().parse::<f64>().ok())
            }
            Some(other) => Err(self.type_error(&path.key(key), "a number", other)),
        }
    }
}

/// "a string", "a number", ... for messages.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Trimmed owned text, or None when empty.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(t.to_owned())
    }
}

/// Which arrays [`element_offsets`] records: elements of the array under `key` in the root
/// object, and, when `nested`, also under the same key inside those elements (to any depth).
pub(crate) struct ArraySpec {
    pub(crate) key: &'static str,
    pub(crate) nested: bool,
}

const TAG_NONE: usize = 0;
const TAG_ROOT: usize = usize::MAX;

struct Frame {
    is_object: bool,
    /// TAG_NONE, TAG_ROOT, or 1 + index of the spec whose element (object) or array this is.
    tag: usize,
    expect_key: bool,
}

/// Byte offsets of the objects in the arrays named by `specs`, in document order (so a
/// depth-first walk of the parsed value meets them in the same order). One pass, no allocation
/// per value. The text must be valid JSON (parse it first).
pub(crate) fn element_offsets(text: &str, specs: &[ArraySpec]) -> Vec<Vec<usize>> {
    let bytes = text.as_bytes();
    let mut out: Vec<Vec<usize>> = specs.iter().map(|_| Vec::new()).collect();
    let mut stack: Vec<Frame> = Vec::with_capacity(64);
    let mut key = (0usize, 0usize);
    let mut i = 0usize;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => {
                let Some(end) = skip_string(bytes, i) else {
                    break;
                };
                if let Some(top) = stack.last_mut()
                    && top.is_object
                    && top.expect_key
                {
                    key = (i + 1, end.saturating_sub(1));
                    top.expect_key = false;
                }
                i = end;
                continue;
            }
            b'{' => {
                let tag = match stack.last() {
                    None => TAG_ROOT,
                    Some(top) if !top.is_object && top.tag != TAG_NONE && top.tag != TAG_ROOT => {
                        if let Some(list) = out.get_mut(top.tag - 1) {
                            list.push(i);
                        }
                        top.tag
                    }
                    Some(_) => TAG_NONE,
                };
                stack.push(Frame {
                    is_object: true,
                    tag,
                    expect_key: true,
                });
            }
            b'[' => {
                let tag = match stack.last() {
                    Some(top) if top.is_object && top.tag != TAG_NONE => {
                        let name = text.get(key.0..key.1).unwrap_or_default();
                        specs
                            .iter()
                            .enumerate()
                            .find(|(n, spec)| {
                                spec.key == name
                                    && (top.tag == TAG_ROOT || (spec.nested && top.tag == n + 1))
                            })
                            .map_or(TAG_NONE, |(n, _)| n + 1)
                    }
                    _ => TAG_NONE,
                };
                stack.push(Frame {
                    is_object: false,
                    tag,
                    expect_key: false,
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(top) = stack.last_mut()
                    && top.is_object
                {
                    top.expect_key = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Sets line/column of each target from the matching offset. When the counts differ (a
/// duplicated key made the text and the parsed value disagree) positions stay unknown rather
/// than wrong.
pub(crate) fn fill_positions<'p>(
    index: &LineIndex<'_>,
    offsets: &[usize],
    targets: impl ExactSizeIterator<Item = &'p mut SourcePos>,
) {
    if targets.len() != offsets.len() {
        return;
    }
    for (target, offset) in targets.zip(offsets) {
        let (line, column) = index.position(*offset);
        target.line = line;
        target.column = column;
    }
}

/// Index just past the closing quote of the string starting at `start`.
fn skip_string(bytes: &[u8], start: usize) -> Option<usize> {
    let mut j = start + 1;
    loop {
        match bytes.get(j)? {
            b'"' => return Some(j + 1),
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(i) {
        i += 1;
    }
    i
}

/// Index just past the value starting at `start`.
fn skip_value(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => skip_string(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = start;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = start;
            while let Some(b) = bytes.get(i) {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                i += 1;
            }
            Some(i)
        }
    }
}

/// Byte offset of the value at `segs`, or None. When a key repeats, the last one wins, as in
/// serde_json.
fn locate(text: &str, segs: &[Seg<'_>]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    for seg in segs {
        match seg {
            Seg::Key(wanted) => {
                if bytes.get(pos) != Some(&b'{') {
                    return None;
                }
                pos += 1;
                let mut found = None;
                loop {
                    pos = skip_ws(bytes, pos);
                    match bytes.get(pos)? {
                        b'}' => break,
                        b',' => {
                            pos += 1;
                            continue;
                        }
                        b'"' => {}
                        _ => return None,
                    }
                    let key_end = skip_string(bytes, pos)?;
                    let key = text.get(pos + 1..key_end.saturating_sub(1))?;
                    pos = skip_ws(bytes, key_end);
                    if bytes.get(pos) != Some(&b':') {
                        return None;
                    }
                    pos = skip_ws(bytes, pos + 1);
                    if key == *wanted {
                        found = Some(pos);
                    }
                    pos = skip_value(bytes, pos)?;
                }
                pos = found?;
            }
            Seg::Index(wanted) => {
                if bytes.get(pos) != Some(&b'[') {
                    return None;
                }
                pos += 1;
                let mut index = 0usize;
                loop {
                    pos = skip_ws(bytes, pos);
                    match bytes.get(pos)? {
                        b']' => return None,
                        b',' => {
                            pos += 1;
                            continue;
                        }
                        _ => {}
                    }
                    if index == *wanted {
                        break;
                    }
                    pos = skip_value(bytes, pos)?;
                    index += 1;
                }
            }
        }
    }
    Some(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
  "a": {"x": "{[\"", "components": [ {"n": 1}, {"components": [{"n": 2}]} ]},
  "components": [
    {"name": "one", "components": [ {"name": "two"} ]},
    {"name": 3}
  ],
  "vulnerabilities": [{"id": "V"}]
}"#;

    #[test]
    fn offsets_follow_nesting_only_from_the_root() {
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
        let found = element_offsets(DOC, &specs);
        let comps: Vec<&str> = found[0]
            .iter()
            .map(|o| DOC[*o..].split_once(',').map_or("", |s| s.0))
            .collect();
        assert_eq!(comps.len(), 3, "{comps:?}");
        assert!(comps[0].starts_with(r#"{"name": "one""#));
        assert!(comps[1].starts_with(r#"{"name": "two"}"#));
        assert!(comps[2].starts_with(r#"{"name": 3}"#));
        assert_eq!(found[1].len(), 1);
    }

    #[test]
    fn type_errors_name_path_and_position() {
        let doc = JsonDoc::parse(DOC).unwrap();
        let root = doc.root.as_object().unwrap();
        let comps = doc.opt_array(root, "components", &Path::ROOT).unwrap();
        let p = Path::ROOT;
        let pc = p.key("components");
        let p1 = pc.index(1);
        let obj = doc.object(&comps[1], &p1).unwrap();
        let err = doc.opt_str(obj, "name", &p1).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("components[1].name"));
        assert_eq!(err.message, "expected a string, found a number");
        assert_eq!((err.line, err.column), (5, 14));
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = JsonDoc::parse("{\n  \"a\" 1\n}").err().unwrap();
        assert_eq!(err.line, 2);
        assert!(
            err.message.starts_with("JSON syntax error: "),
            "{}",
            err.message
        );
        assert!(!err.message.contains(" at line "));
    }
}
