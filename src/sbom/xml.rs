//! A tiny read-only XML element tree over quick-xml, with byte offsets for positions.
//!
//! The CycloneDX XML reader wants "the `<name>` child of this `<component>`", not a stream of
//! events, and SBOMs are small enough to hold as a tree. Nodes live in one arena (`Vec`) so
//! neither building nor dropping recurses, and nesting is capped so a hostile file cannot
//! exhaust memory through depth.

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};

use super::error::SbomError;
use super::text::line_col;

/// Deeper than any real SBOM; stops pathological nesting early.
const MAX_DEPTH: usize = 512;

/// One element: local name, whether it is in the document element's namespace, attributes by
/// local name, its own text (CDATA and entities resolved), children, and where it starts.
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) in_ns: bool,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) text: String,
    pub(crate) children: Vec<usize>,
    pub(crate) offset: usize,
}

impl Element {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The attribute, trimmed, or None when absent or empty.
    pub(crate) fn attr_text(&self, name: &str) -> Option<String> {
        self.attr(name).and_then(non_empty)
    }

    /// Own text, trimmed, or None when empty.
    pub(crate) fn text(&self) -> Option<String> {
        non_empty(&self.text)
    }
}

/// A parsed document; node 0 is the document element.
pub(crate) struct XmlTree {
    nodes: Vec<Element>,
    /// Namespace URI of the document element, if any.
    pub(crate) namespace: Option<String>,
}

impl XmlTree {
    /// Parses the whole text; syntax errors carry the line and column of the offending markup.
    pub(crate) fn parse(text: &str) -> Result<XmlTree, SbomError> {
        let mut reader = NsReader::from_str(text);
        let mut nodes: Vec<Element> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut namespace: Option<String> = None;
        loop {
            let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let (resolved, event) = match reader.read_resolved_event() {
                Ok((resolved, event)) => {
                    let ns = match resolved {
                        ResolveResult::Bound(Namespace(ns)) => Some(ns.to_owned()),
                        _ => None,
                    };
                    (ns, event)
                }
                Err(err) => {
                    let at = usize::try_from(reader.error_position()).unwrap_or(0);
                    return Err(located(text, at, format!("XML syntax error: {err}")));
                }
            };
            match event {
                Event::Start(ref tag) | Event::Empty(ref tag) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(located(
                            text,
                            start,
                            format!("XML nesting is deeper than {MAX_DEPTH} elements"),
                        ));
                    }
                    if stack.is_empty() && !nodes.is_empty() {
                        return Err(located(
                            text,
                            start,
                            "XML has more than one document element",
                        ));
                    }
                    if nodes.is_empty() {
                        namespace.clone_from(&resolved);
                    }
                    let mut attrs = Vec::new();
                    for attr in tag.attributes() {
                        let attr = attr.map_err(|err| {
                            located(text, start, format!("XML attribute error: {err}"))
                        })?;
                        if attr.key.as_namespace_binding().is_some() {
                            continue;
                        }
                        let value = attr
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map_err(|err| {
                                located(text, start, format!("XML attribute error: {err}"))
                            })?;
                        attrs.push((
                            attr.key.local_name().as_ref().to_owned(),
                            value.into_owned(),
                        ));
                    }
                    let index = nodes.len();
                    nodes.push(Element {
                        name: tag.local_name().as_ref().to_owned(),
                        in_ns: resolved == namespace,
                        attrs,
                        text: String::new(),
                        children: Vec::new(),
                        offset: start,
                    });
                    if let Some(parent) = stack.last().and_then(|p| nodes.get_mut(*p)) {
                        parent.children.push(index);
                    }
                    if matches!(event, Event::Start(_)) {
                        stack.push(index);
                    }
                }
                Event::End(_) => {
                    stack.pop();
                }
                Event::Text(content) => {
                    if let Some(node) = stack.last().and_then(|p| nodes.get_mut(*p)) {
                        node.text.push_str(&content.xml10_content());
                    }
                }
                Event::CData(content) => {
                    if let Some(node) = stack.last().and_then(|p| nodes.get_mut(*p)) {
                        node.text.push_str(&content.xml10_content());
                    }
                }
                Event::GeneralRef(reference) => {
                    let resolved_char = reference.resolve_char_ref().map_err(|err| {
                        located(text, start, format!("XML character reference error: {err}"))
                    })?;
                    if let Some(node) = stack.last().and_then(|p| nodes.get_mut(*p)) {
                        match resolved_char {
                            Some(ch) => node.text.push(ch),
                            None => {
                                match quick_xml::escape::resolve_predefined_entity(&reference) {
                                    Some(expanded) => node.text.push_str(expanded),
                                    // Unknown entities are kept as written: never expanded, never
                                    // fetched.
                                    None => {
                                        node.text.push('&');
                                        node.text.push_str(&reference);
                                        node.text.push(';');
                                    }
                                }
                            }
                        }
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if let Some(open) = stack.last().and_then(|p| nodes.get(*p)) {
            return Err(located(
                text,
                text.len(),
                format!(
                    "XML ends before element <{}> is closed (the file may be truncated)",
                    open.name
                ),
            ));
        }
        if nodes.is_empty() {
            return Err(SbomError::new("the XML document has no elements"));
        }
        Ok(XmlTree { nodes, namespace })
    }

    pub(crate) fn root(&self) -> Option<&Element> {
        self.nodes.first()
    }

    /// Children in the document's namespace (elements of other namespaces are extensions).
    pub(crate) fn children<'a>(
        &'a self,
        element: &'a Element,
    ) -> impl Iterator<Item = &'a Element> {
        element
            .children
            .iter()
            .filter_map(|i| self.nodes.get(*i))
            .filter(|e| e.in_ns)
    }

    pub(crate) fn children_named<'a>(
        &'a self,
        element: &'a Element,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> {
        self.children(element).filter(move |e| e.name == name)
    }

    pub(crate) fn child<'a>(&'a self, element: &'a Element, name: &str) -> Option<&'a Element> {
        self.children(element).find(|e| e.name == name)
    }

    /// Trimmed text of the first child named `name`, or None when absent or empty.
    pub(crate) fn child_text(&self, element: &Element, name: &str) -> Option<String> {
        self.child(element, name).and_then(Element::text)
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(t.to_owned())
    }
}

fn located(text: &str, offset: usize, message: impl Into<String>) -> SbomError {
    let (line, column) = line_col(text, offset);
    SbomError::at(message, line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_tree_with_text_cdata_entities_and_namespaces() {
        let xml = "<?xml version=\"1.0\"?>\n<a xmlns=\"urn:x\" xmlns:o=\"urn:o\">\n  \
                   <b k=\"v&amp;w\">x &lt; <![CDATA[y]]>&#65;</b><o:b/><c/></a>";
        let tree = XmlTree::parse(xml).unwrap();
        let root = tree.root().unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(tree.namespace.as_deref(), Some("urn:x"));
        let names: Vec<&str> = tree.children(root).map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["b", "c"]);
        let b = tree.child(root, "b").unwrap();
        assert_eq!(b.attr("k"), Some("v&w"));
        assert_eq!(b.text().as_deref(), Some("x < yA"));
        assert_eq!(line_col(xml, b.offset), (3, 3));
    }

    #[test]
    fn errors_are_located() {
        let err = XmlTree::parse("<a>\n  <b></c>\n</a>").err().unwrap();
        assert_eq!(err.line, 2, "{err}");
        let err = XmlTree::parse("<a>\n  <b>").err().unwrap();
        assert!(
            err.message.contains("truncated") || err.message.contains("syntax"),
            "{err}"
        );
        let deep = "<a>".repeat(MAX_DEPTH + 10);
        assert!(XmlTree::parse(&deep).is_err());
    }
}
