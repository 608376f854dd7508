//! A serde deserializer over the positioned YAML tree. It gives `Located<T>` its position,
//! keeps the source spelling of scalars read as strings (`version: 3.10` stays "3.10"), and
//! collects unknown fields instead of stopping at the first one.

use super::yaml::{Key, Node, NodeKind};
use crate::model::located::{LOCATED_FIELDS, LOCATED_MARKER};
use crate::source::Pos;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use std::cell::RefCell;
use std::fmt;

/// Why a value could not be read into the model.
#[derive(Clone, Debug, PartialEq)]
pub struct DeError {
    pub kind: DeErrorKind,
    pub message: String,
    pub pos: Option<Pos>,
    /// Field path from the value being read down to the bad value, e.g. `before.exploitability`.
    pub path: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DeErrorKind {
    /// The value has the wrong shape or type.
    Type,
    /// A required field is absent.
    MissingField(String),
    /// A value is not one of the allowed words.
    UnknownVariant {
        found: String,
        expected: Vec<&'static str>,
    },
    /// Anything else (a bad date, a number out of range, ...).
    Invalid,
}

impl DeError {
    fn new(kind: DeErrorKind, message: String) -> DeError {
        DeError {
            kind,
            message,
            pos: None,
            path: Vec::new(),
        }
    }

    fn in_field(mut self, segment: String) -> DeError {
        self.path.insert(0, segment);
        self
    }

    /// The path as written in YAML terms: `targets[2]`, `before.exploitability`.
    pub fn path_text(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            if !segment.starts_with('[') && !out.is_empty() {
                out.push('.');
            }
            out.push_str(segment);
        }
        out
    }

    /// Attaches a position unless a more precise (inner) one is already set.
    fn located(mut self, pos: Pos) -> DeError {
        if self.pos.is_none() {
            self.pos = Some(pos);
        }
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::new(DeErrorKind::Invalid, msg.to_string())
    }

    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        DeError::new(
            DeErrorKind::Type,
            format!("expected {exp}, found {}", describe_unexpected(&unexp)),
        )
    }

    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        DeError::new(
            DeErrorKind::Invalid,
            format!("expected {exp}, found {}", describe_unexpected(&unexp)),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::new(
            DeErrorKind::MissingField(field.to_string()),
            format!("missing required field `{field}`"),
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DeError::new(
            DeErrorKind::UnknownVariant {
                found: variant.to_string(),
                expected: expected.to_vec(),
            },
            format!(
                "`{variant}` is not an allowed value; expected one of {}",
                expected
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    }
}

fn describe_unexpected(unexp: &de::Unexpected) -> String {
    match unexp {
        de::Unexpected::Bool(b) => format!("the boolean `{b}`"),
        de::Unexpected::Unsigned(n) => format!("the number `{n}`"),
        de::Unexpected::Signed(n) => format!("the number `{n}`"),
        de::Unexpected::Float(n) => format!("the number `{n}`"),
        de::Unexpected::Str(s) => format!("the string `{s}`"),
        de::Unexpected::Unit => "nothing (null)".to_string(),
        de::Unexpected::Seq => "a list".to_string(),
        de::Unexpected::Map => "a mapping".to_string(),
        other => other.to_string(),
    }
}

/// A field that the model does not know, with the names it does know (for "did you mean").
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownField {
    pub name: String,
    pub pos: Pos,
    pub expected: &'static [&'static str],
}

/// Shared state of one deserialization: the unknown fields found so far.
#[derive(Default)]
pub struct Context {
    unknown: RefCell<Vec<UnknownField>>,
}

impl Context {
    pub fn take_unknown(&self) -> Vec<UnknownField> {
        std::mem::take(&mut self.unknown.borrow_mut())
    }
}

/// Reads a `T` from a node.
pub fn from_node<'de, T: de::Deserialize<'de>>(node: &Node, ctx: &Context) -> Result<T, DeError> {
    T::deserialize(NodeDe {
        node,
        ctx,
        unknown_key: None,
    })
}

struct NodeDe<'a> {
    node: &'a Node,
    ctx: &'a Context,
    /// Set when this node is the value of a key the target struct does not know.
    unknown_key: Option<(&'a Key, &'static [&'static str])>,
}

impl<'a> NodeDe<'a> {
    fn child(&self, node: &'a Node) -> NodeDe<'a> {
        NodeDe {
            node,
            ctx: self.ctx,
            unknown_key: None,
        }
    }

    fn type_error(&self, expected: &str) -> DeError {
        DeError::new(
            DeErrorKind::Type,
            format!("expected {expected}, found {}", self.node.describe()),
        )
        .located(self.node.pos)
    }

    fn text(&self) -> Option<String> {
        self.node.scalar_text()
    }
}

macro_rules! integer {
    ($method:ident, $visit:ident, $ty:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let pos = self.node.pos;
            let value: Option<i128> = match &self.node.kind {
                NodeKind::Int(i) => Some(*i),
                NodeKind::Str(s) => s.trim().parse::<i128>().ok(),
                _ => None,
            };
            let Some(value) = value else {
                return Err(self.type_error("a whole number"));
            };
            #[allow(irrefutable_let_patterns)]
            let Ok(narrow) = <$ty>::try_from(value) else {
                return Err(DeError::new(
                    DeErrorKind::Invalid,
                    format!(
                        "the number {value} is out of range (allowed: {} to {})",
                        <$ty>::MIN,
                        <$ty>::MAX
                    ),
                )
                .located(pos));
            };
            visitor.$visit(narrow).map_err(|e: DeError| e.located(pos))
        }
    };
}

impl<'de, 'a> Deserializer<'de> for NodeDe<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        let result = match &self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Bool(b) => visitor.visit_bool(*b),
            NodeKind::Int(i) => match i64::try_from(*i) {
                Ok(small) => visitor.visit_i64(small),
                Err(_) => visitor.visit_i128(*i),
            },
            NodeKind::Float(f) => visitor.visit_f64(*f),
            NodeKind::Str(s) => visitor.visit_str(s),
            NodeKind::Seq(items) => visitor.visit_seq(SeqDe::new(items, &self)),
            NodeKind::Map(entries) => visitor.visit_map(MapDe::new(entries, &self, None)),
        };
        result.map_err(|e: DeError| e.located(pos))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.kind {
            NodeKind::Bool(b) => visitor
                .visit_bool(*b)
                .map_err(|e: DeError| e.located(self.node.pos)),
            _ => Err(self.type_error("`true` or `false`")),
        }
    }

    integer!(deserialize_i8, visit_i8, i8);
    integer!(deserialize_i16, visit_i16, i16);
    integer!(deserialize_i32, visit_i32, i32);
    integer!(deserialize_i64, visit_i64, i64);
    integer!(deserialize_i128, visit_i128, i128);
    integer!(deserialize_u8, visit_u8, u8);
    integer!(deserialize_u16, visit_u16, u16);
    integer!(deserialize_u32, visit_u32, u32);
    integer!(deserialize_u64, visit_u64, u64);
    integer!(deserialize_u128, visit_u128, u128);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let value = match &self.node.kind {
            NodeKind::Int(i) => Some(*i as f64),
            NodeKind::Float(f) => Some(*f),
            NodeKind::Str(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match value {
            Some(v) if v.is_finite() => visitor
                .visit_f64(v)
                .map_err(|e: DeError| e.located(self.node.pos)),
            _ => Err(self.type_error("a number")),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.text() {
            Some(text) => visitor
                .visit_string(text)
                .map_err(|e: DeError| e.located(self.node.pos)),
            None => Err(self.type_error("text")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match self.node.kind {
            NodeKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e: DeError| e.located(pos))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            _ => Err(self.type_error("nothing")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        visitor
            .visit_newtype_struct(self)
            .map_err(|e: DeError| e.located(pos))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match &self.node.kind {
            NodeKind::Seq(items) => visitor.visit_seq(SeqDe::new(items, &self)),
            // `threats:` with nothing after it is an empty list.
            NodeKind::Null => visitor.visit_seq(SeqDe::new(&[], &self)),
            _ => return Err(self.type_error("a list")),
        }
        .map_err(|e: DeError| e.located(pos))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match &self.node.kind {
            NodeKind::Map(entries) => visitor.visit_map(MapDe::new(entries, &self, None)),
            NodeKind::Null => visitor.visit_map(MapDe::new(&[], &self, None)),
            _ => return Err(self.type_error("a mapping")),
        }
        .map_err(|e: DeError| e.located(pos))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == LOCATED_MARKER {
            return visitor.visit_map(LocatedDe { de: self, state: 0 });
        }
        let pos = self.node.pos;
        match &self.node.kind {
            NodeKind::Map(entries) => visitor.visit_map(MapDe::new(entries, &self, Some(fields))),
            NodeKind::Null => visitor.visit_map(MapDe::new(&[], &self, Some(fields))),
            _ => return Err(self.type_error("a mapping")),
        }
        .map_err(|e: DeError| e.located(pos))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match &self.node.kind {
            NodeKind::Map(entries) if entries.len() == 1 => visitor.visit_enum(MapEnum {
                key: &entries[0].0,
                value: self.child(&entries[0].1),
            }),
            NodeKind::Map(_) => {
                return Err(self.type_error("a single word or a one-key mapping"));
            }
            _ => match self.text() {
                Some(text) => visitor.visit_enum(text.into_deserializer()),
                None => return Err(self.type_error("a word")),
            },
        }
        .map_err(|e: DeError| e.located(pos))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if let Some((key, expected)) = self.unknown_key {
            self.ctx.unknown.borrow_mut().push(UnknownField {
                name: key.name.clone(),
                pos: key.pos,
                expected,
            });
        }
        visitor.visit_unit()
    }
}

struct SeqDe<'a> {
    items: std::slice::Iter<'a, Node>,
    index: usize,
    ctx: &'a Context,
}

impl<'a> SeqDe<'a> {
    fn new(items: &'a [Node], parent: &NodeDe<'a>) -> SeqDe<'a> {
        SeqDe {
            items: items.iter(),
            index: 0,
            ctx: parent.ctx,
        }
    }
}

impl<'de, 'a> SeqAccess<'de> for SeqDe<'a> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some(node) => {
                let index = self.index;
                self.index += 1;
                seed.deserialize(NodeDe {
                    node,
                    ctx: self.ctx,
                    unknown_key: None,
                })
                .map(Some)
                .map_err(|e: DeError| e.in_field(format!("[{index}]")))
            }
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'a> {
    entries: std::slice::Iter<'a, (Key, Node)>,
    current: Option<&'a (Key, Node)>,
    ctx: &'a Context,
    fields: Option<&'static [&'static str]>,
}

impl<'a> MapDe<'a> {
    fn new(
        entries: &'a [(Key, Node)],
        parent: &NodeDe<'a>,
        fields: Option<&'static [&'static str]>,
    ) -> MapDe<'a> {
        MapDe {
            entries: entries.iter(),
            current: None,
            ctx: parent.ctx,
            fields,
        }
    }
}

impl<'de, 'a> MapAccess<'de> for MapDe<'a> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some(entry) => {
                self.current = Some(entry);
                let key = &entry.0;
                seed.deserialize(key.name.as_str().into_deserializer())
                    .map(Some)
                    .map_err(|e: DeError| e.located(key.pos))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some((key, node)) = self.current.take() else {
            return Err(de::Error::custom("a value was read before its key"));
        };
        seed.deserialize(NodeDe {
            node,
            ctx: self.ctx,
            unknown_key: self.fields.map(|fields| (key, fields)),
        })
        .map_err(|e: DeError| e.in_field(key.name.clone()))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// Hands a node's position and the node itself to `Located<T>`.
struct LocatedDe<'a> {
    de: NodeDe<'a>,
    state: usize,
}

impl<'de, 'a> MapAccess<'de> for LocatedDe<'a> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match LOCATED_FIELDS.get(self.state) {
            Some(name) => seed.deserialize((*name).into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let pos = self.de.node.pos;
        let field = self.state;
        self.state += 1;
        match field {
            0 => seed.deserialize(pos.file.0.into_deserializer()),
            1 => seed.deserialize(pos.line.into_deserializer()),
            2 => seed.deserialize(pos.column.into_deserializer()),
            3 => seed.deserialize(pos.len.into_deserializer()),
            _ => seed.deserialize(NodeDe {
                node: self.de.node,
                ctx: self.de.ctx,
                unknown_key: self.de.unknown_key,
            }),
        }
    }
}

/// An enum written as `variant: value`.
struct MapEnum<'a> {
    key: &'a Key,
    value: NodeDe<'a>,
}

impl<'de, 'a> EnumAccess<'de> for MapEnum<'a> {
    type Error = DeError;
    type Variant = NodeDe<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), DeError> {
        let variant = seed
            .deserialize(self.key.name.as_str().into_deserializer())
            .map_err(|e: DeError| e.located(self.key.pos))?;
        Ok((variant, self.value))
    }
}

impl<'de, 'a> VariantAccess<'de> for NodeDe<'a> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        match self.node.kind {
            NodeKind::Null => Ok(()),
            _ => Err(self.type_error("nothing")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_struct("", fields, visitor)
    }
}
