//! The only module that knows the YAML crate. It parses text into a [`Node`] tree in which every
//! value and every mapping key carries its position, under budgets that stop alias bombs and
//! runaway nesting. Everything after this works on the tree, so swapping the YAML crate stays local.

use crate::source::{FileId, Pos};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location as YamlLocation, Spanned};
use std::fmt;

/// Deepest nesting of sequences and mappings a project file may use.
pub const MAX_DEPTH: usize = 64;
/// Most alias (`*name`) uses per file.
pub const MAX_ALIASES: usize = 1_000;
/// Most nodes (scalars, sequences, mappings, counting alias expansions) per file.
pub const MAX_NODES: usize = 250_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: NodeKind,
    /// The source spelling of a non-string scalar (`3.10` for a value YAML reads as 3.1).
    raw: Option<Box<str>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    /// The value of a mapping entry.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A mapping node built by the loader (to merge sections written across files).
    pub fn mapping(pos: Pos, entries: Vec<(Key, Node)>) -> Node {
        Node {
            pos,
            kind: NodeKind::Map(entries),
            raw: None,
        }
    }

    /// A scalar as text: strings as they are, other scalars as spelled in the source.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            NodeKind::Str(s) => Some(s.clone()),
            NodeKind::Bool(_) | NodeKind::Int(_) | NodeKind::Float(_) => {
                self.raw.as_deref().map(|s| s.trim().to_string())
            }
            _ => None,
        }
    }

    /// What kind of YAML value this is, for messages ("expected a list, found a string").
    pub fn describe(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "nothing (null)",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Int(_) => "an integer",
            NodeKind::Float(_) => "a number",
            NodeKind::Str(_) => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }

    /// The node as JSON (for validating project files against the JSON Schemas).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(i) => i64::try_from(*i)
                .map(Value::from)
                .unwrap_or_else(|_| Value::from(*i as f64)),
            NodeKind::Float(f) => serde_json::Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// An empty document, or one holding only comments, parses to a null node.
    pub fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }
}

/// Why a file could not be parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub message: String,
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Not well-formed YAML, or a duplicate key.
    Syntax,
    /// A resource budget was exceeded: nesting, aliases, nodes.
    Budget,
}

/// Parses one YAML document into a positioned tree.
pub fn parse(text: &str, file: FileId) -> Result<Node, ParseError> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_aliases: MAX_ALIASES,
            max_nodes: MAX_NODES,
            max_documents: 1,
        },
        strict_booleans: true,
        with_snippet: false,
    };
    let parsed: Result<Spanned<RawNode>, serde_saphyr::Error> =
        serde_saphyr::from_str_with_options(text, options);
    match parsed {
        Ok(root) => Ok(finish(root, file, text)),
        Err(error) => Err(describe_error(&error)),
    }
}

fn describe_error(error: &serde_saphyr::Error) -> ParseError {
    let location = error.location();
    let (line, column) = location
        .map(|l| (l.line() as u32, l.column() as u32))
        .unwrap_or((0, 0));
    let full = error.without_snippet().to_string();
    let message = strip_position_prefix(&full);
    let lower = message.to_lowercase();
    if lower.contains("documents") {
        return ParseError {
            kind: ParseErrorKind::Syntax,
            message: "the file holds more than one YAML document (`---`); dossier reads one document per file, so split it".to_string(),
            line,
            column,
        };
    }
    let kind = if lower.contains("budget") || lower.contains("recursion limit") {
        ParseErrorKind::Budget
    } else {
        ParseErrorKind::Syntax
    };
    let message = match kind {
        ParseErrorKind::Budget => explain_budget(&message),
        ParseErrorKind::Syntax => explain_syntax(message),
    };
    ParseError {
        kind,
        message,
        line,
        column,
    }
}

/// The crate prefixes messages with "error: line N column M: "; we report positions ourselves.
fn strip_position_prefix(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or(message);
    let mut rest = first_line.strip_prefix("error: ").unwrap_or(first_line);
    if let Some(after) = rest.strip_prefix("line ")
        && let Some(idx) = after.find(": ")
    {
        rest = &after[idx + 2..];
    }
    rest.trim().to_string()
}

/// The YAML crate's budget messages name its own types ("Depth { depth: 65 }"): say it in
/// the user's terms instead.
fn explain_budget(message: &str) -> String {
    let lower = message.to_lowercase();
    if lower.contains("depth") || lower.contains("recursion") {
        format!("the file nests deeper than {MAX_DEPTH} levels")
    } else if lower.contains("alias") || lower.contains("anchor") || lower.contains("nodes") {
        format!(
            "the file expands to too many values (limits: {MAX_NODES} nodes, {MAX_ALIASES} aliases); \
             this looks like an alias bomb"
        )
    } else {
        "the file exceeds a parsing budget (size, nesting or aliases)".to_string()
    }
}

/// Drops the crate's advice to its own programmers ("set DuplicateKeyPolicy in Options").
fn explain_syntax(message: String) -> String {
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set ").next().unwrap_or(rest).trim();
        return format!("the key `{key}` appears twice in one mapping");
    }
    if let Some(rest) = message.strip_prefix("non-finite float ") {
        let number = rest
            .split_whitespace()
            .next()
            .unwrap_or(rest)
            .trim_matches('`');
        return format!("the number `{number}` is too large to be a number");
    }
    message
}

/// A node as the YAML crate gives it: positions without the file, scalar spellings by span.
struct RawNode(RawKind);

enum RawKind {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<RawKey>, Spanned<RawNode>)>),
}

/// Keys that are not strings in YAML (`1:`, `true:`) are taken by their spelling.
enum RawKey {
    Str(String),
    Other,
}

fn pos_of(location: &YamlLocation, file: FileId) -> (Pos, (usize, usize)) {
    let span = location.span();
    let start = span.byte_offset().unwrap_or(0) as usize;
    let len = span.byte_len().unwrap_or(0) as usize;
    (
        Pos {
            file,
            line: location.line() as u32,
            column: location.column() as u32,
            len: span.len() as u32,
        },
        (start, start + len),
    )
}

fn finish(root: Spanned<RawNode>, file: FileId, source: &str) -> Node {
    let (pos, _) = pos_of(&root.referenced, file);
    // The spelling of an aliased scalar is at its definition.
    let (_, span) = pos_of(&root.defined, file);
    let raw = match root.value.0 {
        RawKind::Bool(_) | RawKind::Int(_) | RawKind::Float(_) => source
            .get(span.0..span.1)
            .map(|s| s.trim().to_string().into_boxed_str()),
        _ => None,
    };
    let kind = match root.value.0 {
        RawKind::Null => NodeKind::Null,
        RawKind::Bool(b) => NodeKind::Bool(b),
        RawKind::Int(i) => NodeKind::Int(i),
        RawKind::Float(f) => NodeKind::Float(f),
        RawKind::Str(s) => NodeKind::Str(s),
        RawKind::Seq(items) => {
            NodeKind::Seq(items.into_iter().map(|n| finish(n, file, source)).collect())
        }
        RawKind::Map(entries) => NodeKind::Map(
            entries
                .into_iter()
                .map(|(key, value)| {
                    let (key_pos, key_span) = pos_of(&key.referenced, file);
                    let name = match key.value {
                        RawKey::Str(s) => s,
                        // `1:` or `true:` as a key: take its spelling.
                        RawKey::Other => source
                            .get(key_span.0..key_span.1)
                            .unwrap_or("")
                            .trim()
                            .to_string(),
                    };
                    (Key { name, pos: key_pos }, finish(value, file, source))
                })
                .collect(),
        ),
    };
    Node { pos, kind, raw }
}

impl<'de> Deserialize<'de> for RawKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = RawKey;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<RawKey, E> {
                Ok(RawKey::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<RawKey, E> {
                Ok(RawKey::Str(v))
            }
            fn visit_bool<E>(self, _: bool) -> Result<RawKey, E> {
                Ok(RawKey::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<RawKey, E> {
                Ok(RawKey::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<RawKey, E> {
                Ok(RawKey::Other)
            }
            fn visit_i128<E>(self, _: i128) -> Result<RawKey, E> {
                Ok(RawKey::Other)
            }
            fn visit_u128<E>(self, _: u128) -> Result<RawKey, E> {
                Ok(RawKey::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<RawKey, E> {
                Ok(RawKey::Other)
            }
            fn visit_unit<E>(self) -> Result<RawKey, E> {
                Ok(RawKey::Other)
            }
            fn visit_none<E>(self) -> Result<RawKey, E> {
                Ok(RawKey::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<RawKey, A::Error> {
                Err(de::Error::custom("a list cannot be a mapping key"))
            }
            fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<RawKey, A::Error> {
                Err(de::Error::custom("a mapping cannot be a mapping key"))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = RawNode;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
                Ok(RawNode(RawKind::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
                Ok(RawNode(RawKind::Int(v as i128)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
                Ok(RawNode(RawKind::Int(v as i128)))
            }
            fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
                Ok(RawNode(RawKind::Int(v)))
            }
            fn visit_u128<E>(self, v: u128) -> Result<RawNode, E> {
                Ok(RawNode(match i128::try_from(v) {
                    Ok(i) => RawKind::Int(i),
                    Err(_) => RawKind::Float(v as f64),
                }))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
                Ok(RawNode(RawKind::Float(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
                Ok(RawNode(RawKind::Str(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
                Ok(RawNode(RawKind::Str(v)))
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<RawNode, E> {
                Ok(RawNode(RawKind::Str(
                    String::from_utf8_lossy(v).into_owned(),
                )))
            }
            fn visit_unit<E>(self) -> Result<RawNode, E> {
                Ok(RawNode(RawKind::Null))
            }
            fn visit_none<E>(self) -> Result<RawNode, E> {
                Ok(RawNode(RawKind::Null))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
                RawNode::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<RawNode>>()? {
                    items.push(item);
                }
                Ok(RawNode(RawKind::Seq(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<RawKey>>()? {
                    let value = map.next_value::<Spanned<RawNode>>()?;
                    entries.push((key, value));
                }
                Ok(RawNode(RawKind::Map(entries)))
            }
        }
        deserializer.deserialize_any(NodeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Node {
        parse(text, FileId(0)).expect("parses")
    }

    #[test]
    fn positions_of_keys_and_values() {
        let text = "threats:\n  - id: T-1\n    title: Spoofed pump\n";
        let root = tree(text);
        let threats = root.get("threats").unwrap();
        let NodeKind::Seq(items) = &threats.kind else {
            panic!("expected a list")
        };
        let id = items[0].get("id").unwrap();
        assert_eq!((id.pos.line, id.pos.column), (2, 9));
        assert_eq!(id.kind, NodeKind::Str("T-1".into()));
    }

    #[test]
    fn scalars_keep_their_spelling() {
        let text = "version: 3.10\nn: no\n1: one\n";
        let root = tree(text);
        let version = root.get("version").unwrap();
        assert_eq!(version.scalar_text().as_deref(), Some("3.10"));
        // Strict booleans: `no` stays a string.
        assert_eq!(root.get("n").unwrap().kind, NodeKind::Str("no".into()));
        assert!(root.get("1").is_some());
    }

    #[test]
    fn syntax_error_is_located() {
        let err = parse("a: [1, 2\nb: c\n", FileId(0)).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::Syntax);
        assert_eq!(err.line, 2);
        assert!(!err.message.starts_with("error"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("a: 1\na: 2\n", FileId(0)).unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.message, "the key `a` appears twice in one mapping");
    }

    #[test]
    fn alias_bomb_hits_the_budget() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let refs = vec![format!("*{}", pair[0]); 9].join(", ");
            text.push_str(&format!("{}: &{} [{}]\n", pair[1], pair[1], refs));
        }
        let err = parse(&text, FileId(0)).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::Budget, "{}", err.message);
        assert!(err.line > 0);
    }

    #[test]
    fn deep_nesting_hits_the_budget() {
        let text = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse(&text, FileId(0)).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::Budget, "{}", err.message);
    }

    #[test]
    fn empty_and_comment_only_documents_are_null() {
        assert!(tree("").is_null());
        assert!(tree("# just a comment\n").is_null());
    }
}
