//! Markdown to a small document AST that renderers (the PDF template first of
//! all) consume as JSON.
//!
//! The AST is deliberately poor: no raw HTML ever survives (the one exception
//! is the `<a id="X"></a>` jump target), so a template cannot be tricked into
//! emitting markup it did not ask for.

use std::collections::BTreeSet;

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// A block-level element.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    Heading {
        level: u8,
        content: Vec<Inline>,
        anchor: Option<String>,
    },
    Paragraph {
        content: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        /// "left" | "center" | "right" | "auto", one per column.
        align: Vec<String>,
        /// Relative column widths and the type scale, set by [`normalize_blocks`] (see
        /// `table_widths`).
        widths: Vec<f64>,
        scale: f64,
    },
    Code {
        text: String,
    },
    Quote {
        content: Vec<Block>,
    },
    Rule,
    /// A picture on its own line (a diagram): `src` is its path inside the package.
    Image {
        src: String,
        alt: String,
    },
}

/// An inline element.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Inline {
    Text {
        text: String,
    },
    Strong {
        content: Vec<Inline>,
    },
    Emph {
        content: Vec<Inline>,
    },
    Strike {
        content: Vec<Inline>,
    },
    Code {
        text: String,
    },
    /// `internal`: `target` is an anchor id of the rendered document.
    Link {
        target: String,
        internal: bool,
        content: Vec<Inline>,
    },
    /// A jump target.
    Anchor {
        id: String,
    },
    Break,
}

/// Nested lists and quotes deeper than this are flattened into their parent.
/// Keeps the JSON, the Typst template's recursion (Typst stops at a call
/// depth of 80) and recursive drops bounded whatever the input.
const MAX_BLOCK_DEPTH: usize = 8;
/// Same for nested emphasis / strong / strike / links.
const MAX_INLINE_DEPTH: usize = 8;

/// Parses Markdown (CommonMark + tables, strikethrough, footnotes, task lists
/// and `{#anchor}` heading attributes) into blocks. Never fails: anything it
/// does not model becomes text.
pub fn markdown_to_blocks(markdown: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS;
    let mut builder = Builder::new();
    for event in Parser::new_ext(markdown, options) {
        builder.event(event);
    }
    builder.finish()
}

/// Adds every anchor the blocks define (heading anchors and `Anchor` inlines).
pub fn collect_anchors(blocks: &[Block], out: &mut BTreeSet<String>) {
    for block in blocks {
        match block {
            Block::Heading {
                content, anchor, ..
            } => {
                if let Some(anchor) = anchor {
                    out.insert(anchor.clone());
                }
                collect_inline_anchors(content, out);
            }
            Block::Paragraph { content } => collect_inline_anchors(content, out),
            Block::List { items, .. } => {
                for item in items {
                    collect_anchors(item, out);
                }
            }
            Block::Table { header, rows, .. } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    collect_inline_anchors(cell, out);
                }
            }
            Block::Quote { content } => collect_anchors(content, out),
            Block::Code { .. } | Block::Rule | Block::Image { .. } => {}
        }
    }
}

fn collect_inline_anchors(inlines: &[Inline], out: &mut BTreeSet<String>) {
    for inline in inlines {
        match inline {
            Inline::Anchor { id } => {
                out.insert(id.clone());
            }
            Inline::Strong { content }
            | Inline::Emph { content }
            | Inline::Strike { content }
            | Inline::Link { content, .. } => collect_inline_anchors(content, out),
            Inline::Text { .. } | Inline::Code { .. } | Inline::Break => {}
        }
    }
}

/// Replaces every internal link whose target is not in `known_anchors` by its
/// plain content: Typst refuses to compile a link to a label that does not
/// exist, and a per-document PDF lacks the anchors of the other documents.
pub fn retarget_links(blocks: &mut [Block], known_anchors: &BTreeSet<String>) {
    for_each_inlines_mut(blocks, &mut |inlines| {
        retarget_inlines(inlines, known_anchors)
    });
}

fn retarget_inlines(inlines: &mut Vec<Inline>, known: &BTreeSet<String>) {
    let needs_work = inlines.iter().any(|inline| match inline {
        Inline::Link {
            target, internal, ..
        } => *internal && !known.contains(target),
        _ => false,
    });
    if needs_work {
        let old = std::mem::take(inlines);
        for inline in old {
            match inline {
                Inline::Link {
                    target,
                    internal: true,
                    content,
                } if !known.contains(&target) => {
                    for inner in content {
                        push_merged(inlines, inner);
                    }
                }
                other => push_merged(inlines, other),
            }
        }
    }
    for inline in inlines.iter_mut() {
        if let Inline::Strong { content }
        | Inline::Emph { content }
        | Inline::Strike { content }
        | Inline::Link { content, .. } = inline
        {
            retarget_inlines(content, known);
        }
    }
}

/// Pushes an inline, merging it into a preceding text.
fn push_merged(inlines: &mut Vec<Inline>, inline: Inline) {
    if let Inline::Text { text } = &inline
        && let Some(Inline::Text { text: last }) = inlines.last_mut()
    {
        last.push_str(text);
        return;
    }
    inlines.push(inline);
}

/// Keeps only the first definition of every anchor id: a Typst label must be
/// unique to be a link target. `seen` carries the ids already defined earlier
/// in the same PDF (and receives the ones defined here). Later duplicate
/// heading anchors become `None`, later duplicate `Anchor` inlines vanish;
/// so do empty ids.
pub fn dedup_anchors(blocks: &mut [Block], seen: &mut BTreeSet<String>) {
    for block in blocks {
        match block {
            Block::Heading {
                content, anchor, ..
            } => {
                // An empty id cannot be a Typst label.
                if let Some(id) = anchor
                    && (id.is_empty() || !seen.insert(id.clone()))
                {
                    *anchor = None;
                }
                dedup_inline_anchors(content, seen);
            }
            Block::Paragraph { content } => dedup_inline_anchors(content, seen),
            Block::List { items, .. } => {
                for item in items {
                    dedup_anchors(item, seen);
                }
            }
            Block::Table { header, rows, .. } => {
                for cell in header.iter_mut().chain(rows.iter_mut().flatten()) {
                    dedup_inline_anchors(cell, seen);
                }
            }
            Block::Quote { content } => dedup_anchors(content, seen),
            Block::Code { .. } | Block::Rule | Block::Image { .. } => {}
        }
    }
}

fn dedup_inline_anchors(inlines: &mut Vec<Inline>, seen: &mut BTreeSet<String>) {
    inlines.retain_mut(|inline| match inline {
        Inline::Anchor { id } => !id.is_empty() && seen.insert(id.clone()),
        Inline::Strong { content }
        | Inline::Emph { content }
        | Inline::Strike { content }
        | Inline::Link { content, .. } => {
            dedup_inline_anchors(content, seen);
            true
        }
        _ => true,
    });
}

/// Largest ordered-list start kept (Markdown allows nine digits; Typst wants
/// an integer it can count from).
const MAX_LIST_START: u64 = 999_999_999;

/// Makes blocks built by hand as regular as parsed ones, so a template can
/// trust them: every table row has one cell per column and every column an
/// alignment among "left", "center", "right", "auto" (a table without a
/// header gets an empty one as wide as its widest row); list starts are
/// capped at nine digits.
pub fn normalize_blocks(blocks: &mut [Block]) {
    for block in blocks {
        match block {
            Block::Table {
                header,
                rows,
                align,
                widths,
                scale,
            } => {
                if header.is_empty() {
                    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
                    header.resize(width, Vec::new());
                }
                let columns = header.len();
                for row in rows.iter_mut() {
                    row.resize(columns, Vec::new());
                }
                align.resize(columns, "auto".to_string());
                for a in align.iter_mut() {
                    if !matches!(a.as_str(), "left" | "center" | "right" | "auto") {
                        *a = "auto".to_string();
                    }
                }
                (*widths, *scale) = super::table_widths::layout(header, rows);
            }
            Block::List { start, items, .. } => {
                *start = (*start).min(MAX_LIST_START);
                for item in items {
                    normalize_blocks(item);
                }
            }
            Block::Quote { content } => normalize_blocks(content),
            Block::Heading { .. }
            | Block::Paragraph { .. }
            | Block::Code { .. }
            | Block::Rule
            | Block::Image { .. } => {}
        }
    }
}

/// Removes the anchors whose id matches `reserved`: heading anchors become
/// `None`, `Anchor` inlines vanish.
pub fn drop_anchors(blocks: &mut [Block], reserved: &dyn Fn(&str) -> bool) {
    for block in blocks {
        match block {
            Block::Heading {
                content, anchor, ..
            } => {
                if anchor.as_deref().is_some_and(reserved) {
                    *anchor = None;
                }
                drop_inline_anchors(content, reserved);
            }
            Block::Paragraph { content } => drop_inline_anchors(content, reserved),
            Block::List { items, .. } => {
                for item in items {
                    drop_anchors(item, reserved);
                }
            }
            Block::Table { header, rows, .. } => {
                for cell in header.iter_mut().chain(rows.iter_mut().flatten()) {
                    drop_inline_anchors(cell, reserved);
                }
            }
            Block::Quote { content } => drop_anchors(content, reserved),
            Block::Code { .. } | Block::Rule | Block::Image { .. } => {}
        }
    }
}

fn drop_inline_anchors(inlines: &mut Vec<Inline>, reserved: &dyn Fn(&str) -> bool) {
    inlines.retain_mut(|inline| match inline {
        Inline::Anchor { id } => !reserved(id),
        Inline::Strong { content }
        | Inline::Emph { content }
        | Inline::Strike { content }
        | Inline::Link { content, .. } => {
            drop_inline_anchors(content, reserved);
            true
        }
        _ => true,
    });
}

/// Calls `f` on every top-level inline sequence (heading, paragraph, cell).
fn for_each_inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph { content } => f(content),
            Block::List { items, .. } => {
                for item in items {
                    for_each_inlines_mut(item, f);
                }
            }
            Block::Table { header, rows, .. } => {
                for cell in header.iter_mut().chain(rows.iter_mut().flatten()) {
                    f(cell);
                }
            }
            Block::Quote { content } => for_each_inlines_mut(content, f),
            Block::Code { .. } | Block::Rule | Block::Image { .. } => {}
        }
    }
}

/// Keeps only the first link to each target in these blocks; later ones become their plain
/// content. Typesetting a link costs more than its text, and a document that cross-references
/// a control in every row of a table needs the link once per document, not per row.
pub fn first_links_only(blocks: &mut [Block], seen: &mut BTreeSet<String>) {
    for_each_inlines_mut(blocks, &mut |inlines| first_links_in(inlines, seen));
}

fn first_links_in(inlines: &mut Vec<Inline>, seen: &mut BTreeSet<String>) {
    let old = std::mem::take(inlines);
    for inline in old {
        match inline {
            Inline::Link {
                target,
                internal: true,
                content,
            } if seen.contains(&target) => {
                for inner in content {
                    push_merged(inlines, inner);
                }
            }
            Inline::Link {
                target,
                internal: true,
                mut content,
            } => {
                seen.insert(target.clone());
                first_links_in(&mut content, seen);
                inlines.push(Inline::Link {
                    target,
                    internal: true,
                    content,
                });
            }
            Inline::Strong { mut content } => {
                first_links_in(&mut content, seen);
                inlines.push(Inline::Strong { content });
            }
            Inline::Emph { mut content } => {
                first_links_in(&mut content, seen);
                inlines.push(Inline::Emph { content });
            }
            other => push_merged(inlines, other),
        }
    }
}

/// Every internal link target in these blocks.
pub fn link_targets(blocks: &[Block], out: &mut BTreeSet<String>) {
    let mut blocks = blocks.to_vec();
    for_each_inlines_mut(&mut blocks, &mut |inlines| collect_targets(inlines, out));
}

fn collect_targets(inlines: &mut Vec<Inline>, out: &mut BTreeSet<String>) {
    for inline in inlines {
        match inline {
            Inline::Link {
                target,
                internal: true,
                content,
            } => {
                out.insert(target.clone());
                collect_targets(content, out);
            }
            Inline::Strong { content }
            | Inline::Emph { content }
            | Inline::Strike { content }
            | Inline::Link { content, .. } => collect_targets(content, out),
            _ => {}
        }
    }
}

/// Turns image blocks whose `src` is not in `usable` into a paragraph of their caption.
pub fn keep_images(blocks: &mut [Block], usable: &BTreeSet<String>) {
    for block in blocks {
        match block {
            Block::Image { src, alt } if !usable.contains(src.as_str()) => {
                let text = if alt.is_empty() {
                    src.clone()
                } else {
                    alt.clone()
                };
                *block = Block::Paragraph {
                    content: vec![Inline::Text { text }],
                };
            }
            Block::List { items, .. } => {
                items.iter_mut().for_each(|item| keep_images(item, usable))
            }
            Block::Quote { content } => keep_images(content, usable),
            _ => {}
        }
    }
}

/// The `src` of every image block.
pub fn image_sources(blocks: &[Block], out: &mut BTreeSet<String>) {
    for block in blocks {
        match block {
            Block::Image { src, .. } => {
                out.insert(src.clone());
            }
            Block::List { items, .. } => items.iter().for_each(|item| image_sources(item, out)),
            Block::Quote { content } => image_sources(content, out),
            _ => {}
        }
    }
}

/// A picture file inside the package that the PDF can embed.
fn is_local_image(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    !lower.contains(':')
        && !lower.starts_with('/')
        && !lower.split('/').any(|part| part == "..")
        && [".svg", ".png", ".jpg", ".jpeg"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

/// Concatenates the text of inlines (used for image alt text).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain_text(inlines, &mut out);
    out
}

fn push_plain_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Strong { content }
            | Inline::Emph { content }
            | Inline::Strike { content }
            | Inline::Link { content, .. } => push_plain_text(content, out),
            Inline::Break => out.push(' '),
            Inline::Anchor { .. } => {}
        }
    }
}

/// Returns X when `html` is exactly `<a id="X">` with X in [A-Za-z0-9._:-]+.
fn anchor_open_tag(html: &str) -> Option<&str> {
    let id = html.strip_prefix("<a id=\"")?.strip_suffix("\">")?;
    valid_anchor_id(id).then_some(id)
}

fn valid_anchor_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// Parses a whole HTML block made only of `<a id="X"></a>` (whitespace
/// between them allowed); any other HTML gives `None`.
fn anchors_only_html(html: &str) -> Option<Vec<String>> {
    let mut rest = html.trim();
    let mut ids = Vec::new();
    while !rest.is_empty() {
        let after_open = rest.strip_prefix("<a id=\"")?;
        let end = after_open.find("\">")?;
        let id = &after_open[..end];
        if !valid_anchor_id(id) {
            return None;
        }
        rest = after_open[end + 2..].strip_prefix("</a>")?.trim_start();
        ids.push(id.to_string());
    }
    (!ids.is_empty()).then_some(ids)
}

/// Classifies a Markdown link target. Returns (target, internal).
fn classify_link(dest: &str) -> (String, bool) {
    let lower = dest.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return (dest.to_string(), false);
    }
    if let Some((path, fragment)) = dest.split_once('#')
        && !fragment.is_empty()
    {
        let path_lower = path.to_ascii_lowercase();
        if path.is_empty() || path_lower.ends_with(".md") || path_lower.ends_with(".html") {
            return (fragment.to_string(), true);
        }
    }
    (dest.to_string(), false)
}

fn alignment_name(alignment: Alignment) -> &'static str {
    match alignment {
        Alignment::None => "auto",
        Alignment::Left => "left",
        Alignment::Center => "center",
        Alignment::Right => "right",
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// What a container of blocks becomes when it closes.
enum BlockKind {
    Root,
    Quote,
    Item,
    Footnote,
    /// Too deep: its blocks go straight into the parent.
    Flattened,
}

/// What a container of inlines becomes when it closes.
enum InlineKind {
    Paragraph,
    Heading {
        level: u8,
        anchor: Option<String>,
    },
    Cell,
    Strong,
    Emph,
    Strike,
    Link {
        target: String,
        internal: bool,
    },
    Image {
        src: String,
    },
    /// Too deep: its inlines go straight into the parent.
    Flattened,
}

enum Frame {
    Blocks {
        kind: BlockKind,
        blocks: Vec<Block>,
        /// Inlines met directly in the container (tight list items): they
        /// form an implicit paragraph.
        loose: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
        /// Too deep: its items' blocks go straight into the parent.
        flattened: bool,
    },
    Inlines {
        kind: InlineKind,
        content: Vec<Inline>,
    },
    Table {
        align: Vec<String>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        row: Vec<Vec<Inline>>,
    },
    Code {
        text: String,
    },
    Html {
        text: String,
    },
}

struct Builder {
    stack: Vec<Frame>,
    block_depth: usize,
    inline_depth: usize,
    /// An `<a id="X">` waiting for its `</a>`.
    pending_anchor: Option<String>,
    /// "[label] " for the first paragraph of a footnote definition.
    footnote_prefix: Option<String>,
    /// A picture that opened its paragraph: (src, alt). It becomes an image block if nothing
    /// else follows in the paragraph.
    pending_image: Option<(String, String)>,
}

impl Builder {
    fn new() -> Self {
        Self {
            stack: vec![Frame::Blocks {
                kind: BlockKind::Root,
                blocks: Vec::new(),
                loose: Vec::new(),
            }],
            block_depth: 0,
            inline_depth: 0,
            pending_anchor: None,
            footnote_prefix: None,
            pending_image: None,
        }
    }

    fn event(&mut self, event: Event<'_>) {
        if let Some(id) = self.pending_anchor.take() {
            if matches!(&event, Event::InlineHtml(html) if html.as_ref() == "</a>") {
                self.push_inline(Inline::Anchor { id });
                return;
            }
            // Not followed by `</a>`: it was ordinary HTML after all.
            self.push_text(&format!("<a id=\"{id}\">"));
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.push_text(&text),
            Event::Code(text) => self.push_inline(Inline::Code {
                text: text.to_string(),
            }),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.push_text(&text),
            Event::Html(html) => {
                if let Some(Frame::Html { text }) = self.stack.last_mut() {
                    text.push_str(&html);
                } else {
                    self.push_text(&html);
                }
            }
            Event::InlineHtml(html) => match anchor_open_tag(&html) {
                Some(id) => self.pending_anchor = Some(id.to_string()),
                None => self.push_text(&html),
            },
            Event::FootnoteReference(label) => self.push_text(&format!("[{label}]")),
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => self.push_inline(Inline::Break),
            Event::Rule => self.push_block(Block::Rule),
            Event::TaskListMarker(done) => self.push_text(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.open_inlines(InlineKind::Paragraph, false),
            Tag::Heading { level, id, .. } => {
                let anchor = id
                    .map(|id| id.trim().to_string())
                    .filter(|id| !id.is_empty());
                let level = heading_level(level);
                self.open_inlines(InlineKind::Heading { level, anchor }, false);
            }
            Tag::BlockQuote(_) => self.open_blocks(BlockKind::Quote),
            Tag::CodeBlock(_) => {
                // A code block inside a tight item still ends the loose text.
                self.flush_loose();
                self.stack.push(Frame::Code {
                    text: String::new(),
                });
            }
            Tag::HtmlBlock => {
                self.flush_loose();
                self.stack.push(Frame::Html {
                    text: String::new(),
                });
            }
            Tag::List(start) => {
                self.flush_loose();
                self.stack.push(Frame::List {
                    ordered: start.is_some(),
                    start: start.unwrap_or(1),
                    items: Vec::new(),
                    flattened: self.block_depth >= MAX_BLOCK_DEPTH,
                });
            }
            Tag::Item => self.open_blocks(BlockKind::Item),
            Tag::FootnoteDefinition(label) => {
                self.open_blocks(BlockKind::Footnote);
                self.footnote_prefix = Some(format!("[{label}] "));
            }
            Tag::Table(aligns) => {
                self.flush_loose();
                self.stack.push(Frame::Table {
                    align: aligns
                        .into_iter()
                        .map(|a| alignment_name(a).to_string())
                        .collect(),
                    header: Vec::new(),
                    rows: Vec::new(),
                    row: Vec::new(),
                });
            }
            Tag::TableCell => self.open_inlines(InlineKind::Cell, false),
            Tag::Emphasis => self.open_inlines(InlineKind::Emph, true),
            Tag::Strong => self.open_inlines(InlineKind::Strong, true),
            Tag::Strikethrough => self.open_inlines(InlineKind::Strike, true),
            Tag::Link { dest_url, .. } => {
                let (target, internal) = classify_link(&dest_url);
                self.open_inlines(InlineKind::Link { target, internal }, true);
            }
            // Images become their alt text; a depth cap is not needed since
            // the content is flattened to text anyway.
            Tag::Image { dest_url, .. } => self.open_inlines(
                InlineKind::Image {
                    src: dest_url.to_string(),
                },
                false,
            ),
            // Not enabled in the options; kept as neutral containers.
            Tag::TableHead
            | Tag::TableRow
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::TableCell
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image => self.close_inlines(),
            TagEnd::BlockQuote(_) | TagEnd::Item | TagEnd::FootnoteDefinition => {
                self.close_blocks()
            }
            TagEnd::CodeBlock => {
                if let Some(Frame::Code { mut text }) =
                    self.pop_if(|f| matches!(f, Frame::Code { .. }))
                {
                    if text.ends_with('\n') {
                        text.pop();
                    }
                    self.push_block(Block::Code { text });
                }
            }
            TagEnd::HtmlBlock => {
                if let Some(Frame::Html { text }) = self.pop_if(|f| matches!(f, Frame::Html { .. }))
                {
                    self.push_html_block(&text);
                }
            }
            TagEnd::List(_) => {
                if let Some(Frame::List {
                    ordered,
                    start,
                    items,
                    flattened,
                }) = self.pop_if(|f| matches!(f, Frame::List { .. }))
                {
                    if flattened {
                        self.push_blocks(items.into_iter().flatten().collect());
                    } else {
                        self.push_block(Block::List {
                            ordered,
                            start,
                            items,
                        });
                    }
                }
            }
            TagEnd::TableHead => {
                if let Some(Frame::Table { header, row, .. }) = self.stack.last_mut() {
                    *header = std::mem::take(row);
                }
            }
            TagEnd::TableRow => {
                if let Some(Frame::Table { rows, row, .. }) = self.stack.last_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::Table => {
                if let Some(Frame::Table {
                    mut align,
                    header,
                    mut rows,
                    ..
                }) = self.pop_if(|f| matches!(f, Frame::Table { .. }))
                {
                    // Every row gets exactly one cell per column, so the
                    // template can trust the grid.
                    let columns = header.len();
                    align.resize(columns, "auto".to_string());
                    for row in &mut rows {
                        row.resize(columns, Vec::new());
                    }
                    self.push_block(Block::Table {
                        header,
                        rows,
                        align,
                        widths: Vec::new(),
                        scale: 1.0,
                    });
                }
            }
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    fn pop_if(&mut self, pred: impl Fn(&Frame) -> bool) -> Option<Frame> {
        // The root frame is never popped.
        if self.stack.len() > 1 && self.stack.last().is_some_and(pred) {
            self.stack.pop()
        } else {
            None
        }
    }

    fn open_blocks(&mut self, kind: BlockKind) {
        self.flush_loose();
        // Items of a list opened below the cap still count: the list was
        // flattened then, so its items are too.
        let kind = if self.block_depth >= MAX_BLOCK_DEPTH {
            BlockKind::Flattened
        } else {
            kind
        };
        if !matches!(kind, BlockKind::Flattened) {
            self.block_depth += 1;
        }
        self.stack.push(Frame::Blocks {
            kind,
            blocks: Vec::new(),
            loose: Vec::new(),
        });
    }

    fn close_blocks(&mut self) {
        self.flush_loose();
        let Some(Frame::Blocks {
            kind, mut blocks, ..
        }) = self.pop_if(|f| matches!(f, Frame::Blocks { .. }))
        else {
            return;
        };
        if matches!(kind, BlockKind::Footnote)
            && let Some(prefix) = self.footnote_prefix.take()
        {
            // A footnote that does not start with a paragraph.
            blocks.insert(
                0,
                Block::Paragraph {
                    content: vec![Inline::Text { text: prefix }],
                },
            );
        }
        if !matches!(kind, BlockKind::Flattened) {
            self.block_depth = self.block_depth.saturating_sub(1);
        }
        match kind {
            BlockKind::Quote => self.push_block(Block::Quote { content: blocks }),
            BlockKind::Item => match self.stack.last_mut() {
                Some(Frame::List { items, .. }) => items.push(blocks),
                _ => self.push_blocks(blocks),
            },
            BlockKind::Footnote | BlockKind::Flattened | BlockKind::Root => {
                self.push_blocks(blocks)
            }
        }
    }

    /// `styling`: an inline wrapper (emphasis, link...) subject to the depth cap.
    fn open_inlines(&mut self, kind: InlineKind, styling: bool) {
        let kind = if styling && self.inline_depth >= MAX_INLINE_DEPTH {
            InlineKind::Flattened
        } else {
            kind
        };
        if styling && !matches!(kind, InlineKind::Flattened) {
            self.inline_depth += 1;
        }
        if matches!(kind, InlineKind::Paragraph | InlineKind::Heading { .. }) {
            self.flush_loose();
        }
        let is_paragraph = matches!(kind, InlineKind::Paragraph);
        self.stack.push(Frame::Inlines {
            kind,
            content: Vec::new(),
        });
        if is_paragraph && let Some(prefix) = self.footnote_prefix.take() {
            self.push_text(&prefix);
        }
    }

    fn close_inlines(&mut self) {
        let Some(Frame::Inlines { kind, content }) =
            self.pop_if(|f| matches!(f, Frame::Inlines { .. }))
        else {
            return;
        };
        if matches!(
            kind,
            InlineKind::Strong | InlineKind::Emph | InlineKind::Strike | InlineKind::Link { .. }
        ) {
            self.inline_depth = self.inline_depth.saturating_sub(1);
        }
        match kind {
            InlineKind::Paragraph => match self.pending_image.take() {
                Some((src, alt)) if content.is_empty() => {
                    self.push_block(Block::Image { src, alt })
                }
                Some((_, alt)) => {
                    let mut with_alt = vec![Inline::Text { text: alt }];
                    for inline in content {
                        push_merged(&mut with_alt, inline);
                    }
                    self.push_block(Block::Paragraph { content: with_alt });
                }
                None => {
                    if !content.is_empty() {
                        self.push_block(Block::Paragraph { content });
                    }
                }
            },
            InlineKind::Heading { level, anchor } => self.push_block(Block::Heading {
                level,
                content,
                anchor,
            }),
            InlineKind::Cell => match self.stack.last_mut() {
                Some(Frame::Table { row, .. }) => row.push(content),
                _ => self.push_inlines(content),
            },
            InlineKind::Strong => self.push_inline(Inline::Strong { content }),
            InlineKind::Emph => self.push_inline(Inline::Emph { content }),
            InlineKind::Strike => self.push_inline(Inline::Strike { content }),
            InlineKind::Link { target, internal } => self.push_inline(Inline::Link {
                target,
                internal,
                content,
            }),
            InlineKind::Image { src } => {
                let alt = plain_text(&content);
                // A picture alone in its paragraph is a figure; inside text, only its words count.
                let alone = matches!(self.stack.last(), Some(Frame::Inlines { kind: InlineKind::Paragraph, content, .. }) if content.is_empty());
                if alone && is_local_image(&src) {
                    self.pending_image = Some((src, alt));
                } else {
                    self.push_text(&alt);
                }
            }
            InlineKind::Flattened => self.push_inlines(content),
        }
    }

    /// Turns loose inlines of the innermost block container into a paragraph.
    fn flush_loose(&mut self) {
        if let Some(Frame::Blocks { blocks, loose, .. }) = self.stack.last_mut()
            && !loose.is_empty()
        {
            let content = std::mem::take(loose);
            blocks.push(Block::Paragraph { content });
        }
    }

    fn push_block(&mut self, block: Block) {
        self.flush_loose();
        match self.stack.last_mut() {
            Some(Frame::Blocks { blocks, .. }) => blocks.push(block),
            // A block where pulldown-cmark should not put one (an item frame
            // always sits between a list and its blocks): keep it anyway.
            Some(Frame::List { items, .. }) => items.push(vec![block]),
            _ => {
                let text = plain_text_of_block(&block);
                self.push_text(&text);
            }
        }
    }

    fn push_blocks(&mut self, blocks: Vec<Block>) {
        for block in blocks {
            self.push_block(block);
        }
    }

    fn push_inlines(&mut self, inlines: Vec<Inline>) {
        for inline in inlines {
            self.push_inline(inline);
        }
    }

    fn push_text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(Frame::Code { text: code } | Frame::Html { text: code }) = self.stack.last_mut()
        {
            code.push_str(text);
            return;
        }
        self.push_inline(Inline::Text {
            text: text.to_string(),
        });
    }

    fn push_inline(&mut self, inline: Inline) {
        let target = match self.stack.last_mut() {
            Some(Frame::Inlines { content, .. }) => content,
            Some(Frame::Blocks { loose, .. }) => loose,
            Some(Frame::Code { text } | Frame::Html { text }) => {
                let mut s = String::new();
                push_plain_text(std::slice::from_ref(&inline), &mut s);
                text.push_str(&s);
                return;
            }
            // Inlines between table cells or list items: none in practice.
            _ => return,
        };
        // Merge adjacent text so "MISSING: ..." and friends stay one string.
        push_merged(target, inline);
    }

    /// An HTML block is shown as its literal text, except a block made only
    /// of `<a id="X"></a>` jump targets.
    fn push_html_block(&mut self, html: &str) {
        let content = match anchors_only_html(html) {
            Some(ids) => ids.into_iter().map(|id| Inline::Anchor { id }).collect(),
            None => {
                let mut content = Vec::new();
                for (i, line) in html.trim_end_matches('\n').split('\n').enumerate() {
                    if i > 0 {
                        content.push(Inline::Break);
                    }
                    if !line.is_empty() {
                        content.push(Inline::Text {
                            text: line.to_string(),
                        });
                    }
                }
                content
            }
        };
        if !content.is_empty() {
            self.push_block(Block::Paragraph { content });
        }
    }

    fn finish(mut self) -> Vec<Block> {
        if let Some(id) = self.pending_anchor.take() {
            self.push_text(&format!("<a id=\"{id}\">"));
        }
        // Close whatever the parser left open (it never should).
        while self.stack.len() > 1 {
            match self.stack.last() {
                Some(Frame::Blocks { .. }) => self.close_blocks(),
                Some(Frame::Inlines { .. }) => self.close_inlines(),
                Some(Frame::List { .. }) => self.end(TagEnd::List(false)),
                Some(Frame::Table { .. }) => self.end(TagEnd::Table),
                Some(Frame::Code { .. }) => self.end(TagEnd::CodeBlock),
                Some(Frame::Html { .. }) => self.end(TagEnd::HtmlBlock),
                None => break,
            }
        }
        self.flush_loose();
        match self.stack.pop() {
            Some(Frame::Blocks { blocks, .. }) => blocks,
            _ => Vec::new(),
        }
    }
}

fn plain_text_of_block(block: &Block) -> String {
    match block {
        Block::Heading { content, .. } | Block::Paragraph { content } => plain_text(content),
        Block::Code { text } => text.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text {
            text: s.to_string(),
        }
    }

    fn para(content: Vec<Inline>) -> Block {
        Block::Paragraph { content }
    }

    #[test]
    fn table_with_alignment() {
        let md = "| ID | Name | Score | Note |\n|:---|:---:|---:|---|\n| R-1 | **Bad** | 9 | x |\n| R-2 | ok |\n";
        let blocks = markdown_to_blocks(md);
        let [
            Block::Table {
                header,
                rows,
                align,
                ..
            },
        ] = blocks.as_slice()
        else {
            panic!("expected one table, got {blocks:?}");
        };
        assert_eq!(align, &["left", "center", "right", "auto"]);
        assert_eq!(header.len(), 4);
        assert_eq!(header[0], vec![text("ID")]);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0][1],
            vec![Inline::Strong {
                content: vec![text("Bad")]
            }]
        );
        // Short rows are padded to the header width.
        assert_eq!(rows[1].len(), 4);
        assert!(rows[1][3].is_empty());
    }

    #[test]
    fn heading_anchor_attribute() {
        let blocks = markdown_to_blocks("## Threat model {#threat-model}\n\n# Plain\n");
        assert_eq!(
            blocks,
            vec![
                Block::Heading {
                    level: 2,
                    content: vec![text("Threat model")],
                    anchor: Some("threat-model".into()),
                },
                Block::Heading {
                    level: 1,
                    content: vec![text("Plain")],
                    anchor: None,
                },
            ]
        );
    }

    #[test]
    fn anchor_html_pattern() {
        let blocks = markdown_to_blocks("See <a id=\"R-7\"></a>risk R-7.\n");
        assert_eq!(
            blocks,
            vec![para(vec![
                text("See "),
                Inline::Anchor { id: "R-7".into() },
                text("risk R-7."),
            ])]
        );
        // Alone on a line too.
        let blocks = markdown_to_blocks("<a id=\"top.1:x\"></a>\n\n# T\n");
        assert_eq!(
            blocks[0],
            para(vec![Inline::Anchor {
                id: "top.1:x".into()
            }])
        );
        // Anything else stays literal text.
        let blocks = markdown_to_blocks("x <a id=\"bad id\"></a> y <a name=\"n\"></a>\n");
        assert_eq!(
            blocks,
            vec![para(vec![text(
                "x <a id=\"bad id\"></a> y <a name=\"n\"></a>"
            )])]
        );
        // An opening tag without its closing tag is text.
        let blocks = markdown_to_blocks("a <a id=\"x\">link</a>\n");
        assert_eq!(blocks, vec![para(vec![text("a <a id=\"x\">link</a>")])]);
    }

    #[test]
    fn script_becomes_text() {
        let blocks = markdown_to_blocks("Hi <script>alert(1)</script> there\n");
        assert_eq!(
            blocks,
            vec![para(vec![text("Hi <script>alert(1)</script> there")])]
        );
        let blocks = markdown_to_blocks("<script>\nalert(1)\n</script>\n");
        assert_eq!(
            blocks,
            vec![para(vec![
                text("<script>"),
                Inline::Break,
                text("alert(1)"),
                Inline::Break,
                text("</script>"),
            ])]
        );
        let blocks = markdown_to_blocks("<div onclick=\"x\">\n\n*a*\n\n</div>\n");
        assert_eq!(blocks[0], para(vec![text("<div onclick=\"x\">")]));
        assert_eq!(blocks[2], para(vec![text("</div>")]));
    }

    #[test]
    fn link_classification() {
        let md = "[a](#sec-1) [b](threats.md#T-1) [c](site/page.html#x) [d](https://fda.gov/x#y) \
                  [e](http://a.b) [f](mailto:psirt@example.com) [g](sbom.json) [h](other.md)";
        let blocks = markdown_to_blocks(md);
        let [Block::Paragraph { content }] = blocks.as_slice() else {
            panic!("{blocks:?}");
        };
        let links: Vec<(String, bool)> = content
            .iter()
            .filter_map(|i| match i {
                Inline::Link {
                    target, internal, ..
                } => Some((target.clone(), *internal)),
                _ => None,
            })
            .collect();
        let expected = [
            ("sec-1", true),
            ("T-1", true),
            ("x", true),
            ("https://fda.gov/x#y", false),
            ("http://a.b", false),
            ("mailto:psirt@example.com", false),
            ("sbom.json", false),
            ("other.md", false),
        ];
        let expected: Vec<(String, bool)> =
            expected.iter().map(|(t, i)| (t.to_string(), *i)).collect();
        assert_eq!(links, expected);
    }

    #[test]
    fn nested_lists() {
        let md = "1. one\n2. two\n   - a\n   - b\n     1. deep\n3. three\n";
        let blocks = markdown_to_blocks(md);
        let [
            Block::List {
                ordered,
                start,
                items,
            },
        ] = blocks.as_slice()
        else {
            panic!("{blocks:?}");
        };
        assert!(*ordered);
        assert_eq!(*start, 1);
        assert_eq!(items.len(), 3);
        assert_eq!(items[0], vec![para(vec![text("one")])]);
        let Block::List {
            ordered,
            items: inner,
            ..
        } = &items[1][1]
        else {
            panic!("{:?}", items[1]);
        };
        assert!(!ordered);
        assert_eq!(inner.len(), 2);
        assert!(matches!(&inner[1][1], Block::List { ordered: true, .. }));
        let blocks = markdown_to_blocks("3. x\n4. y\n");
        assert!(matches!(
            &blocks[0],
            Block::List {
                ordered: true,
                start: 3,
                ..
            }
        ));
    }

    #[test]
    fn inline_styles_breaks_images_code() {
        let md = "**MISSING: owner** *e* ~~s~~ `c`\nsoft  \nhard ![alt *text*](x.png)\n\n```rust\nfn x() {}\n```\n\n> quoted\n\n---\n";
        let blocks = markdown_to_blocks(md);
        assert_eq!(
            blocks[0],
            para(vec![
                Inline::Strong {
                    content: vec![text("MISSING: owner")]
                },
                text(" "),
                Inline::Emph {
                    content: vec![text("e")]
                },
                text(" "),
                Inline::Strike {
                    content: vec![text("s")]
                },
                text(" "),
                Inline::Code { text: "c".into() },
                text(" soft"),
                Inline::Break,
                text("hard alt text"),
            ])
        );
        assert_eq!(
            blocks[1],
            Block::Code {
                text: "fn x() {}".into()
            }
        );
        assert_eq!(
            blocks[2],
            Block::Quote {
                content: vec![para(vec![text("quoted")])]
            }
        );
        assert_eq!(blocks[3], Block::Rule);
    }

    #[test]
    fn footnotes_and_tasks_are_text() {
        let blocks = markdown_to_blocks("Claim[^1].\n\n[^1]: Source.\n\n- [x] done\n- [ ] todo\n");
        assert_eq!(blocks[0], para(vec![text("Claim[1].")]));
        assert_eq!(blocks[1], para(vec![text("[1] Source.")]));
        let Block::List { items, .. } = &blocks[2] else {
            panic!("{blocks:?}");
        };
        assert_eq!(items[0], vec![para(vec![text("[x] done")])]);
        assert_eq!(items[1], vec![para(vec![text("[ ] todo")])]);
    }

    #[test]
    fn deep_nesting_is_capped() {
        let md = format!("{}deep\n", "> ".repeat(500));
        let blocks = markdown_to_blocks(&md);
        fn depth(blocks: &[Block]) -> usize {
            blocks
                .iter()
                .map(|b| match b {
                    Block::Quote { content } => 1 + depth(content),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert_eq!(depth(&blocks), MAX_BLOCK_DEPTH);
        let mut all = String::new();
        fn walk(blocks: &[Block], out: &mut String) {
            for b in blocks {
                match b {
                    Block::Quote { content } => walk(content, out),
                    Block::Paragraph { content } => out.push_str(&plain_text(content)),
                    _ => {}
                }
            }
        }
        walk(&blocks, &mut all);
        assert_eq!(all, "deep");

        fn list_depth(blocks: &[Block]) -> usize {
            blocks
                .iter()
                .map(|b| match b {
                    Block::List { items, .. } => {
                        1 + items.iter().map(|i| list_depth(i)).max().unwrap_or(0)
                    }
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        let md = format!("{}x\n", "- ".repeat(300));
        let blocks = markdown_to_blocks(&md);
        assert_eq!(list_depth(&blocks), MAX_BLOCK_DEPTH);
        // Indented nested lists, each item with text, keep every word.
        let md: String = (0..40)
            .map(|i| format!("{}- item{i}\n", "  ".repeat(i)))
            .collect();
        let blocks = markdown_to_blocks(&md);
        assert_eq!(list_depth(&blocks), MAX_BLOCK_DEPTH);
        let json = serde_json::to_string(&blocks).unwrap();
        assert!((0..40).all(|i| json.contains(&format!("\"item{i}\""))));
        let md = format!("{}x{}", "*a **b ".repeat(200), "** a*".repeat(200));
        let _ = markdown_to_blocks(&md);
    }

    #[test]
    fn anchors_collect_retarget_dedup() {
        let md = "# A {#a}\n\n<a id=\"b\"></a> [to a](#a) [to c](#c) [*ext*](https://x.y)\n\n# A again {#a}\n\n<a id=\"b\"></a>x\n";
        let mut blocks = markdown_to_blocks(md);
        let mut seen = BTreeSet::new();
        dedup_anchors(&mut blocks, &mut seen);
        assert_eq!(seen, BTreeSet::from(["a".to_string(), "b".to_string()]));
        assert!(matches!(&blocks[2], Block::Heading { anchor: None, .. }));
        assert_eq!(blocks[3], para(vec![text("x")]));

        let mut known = BTreeSet::new();
        collect_anchors(&blocks, &mut known);
        assert_eq!(known, seen);
        retarget_links(&mut blocks, &known);
        let Block::Paragraph { content } = &blocks[1] else {
            panic!()
        };
        assert!(
            matches!(&content[2], Inline::Link { target, internal: true, .. } if target == "a")
        );
        // The dangling link became its text, merged with its neighbours.
        assert_eq!(content[3], text(" to c "));
        assert!(matches!(
            &content[4],
            Inline::Link {
                internal: false,
                ..
            }
        ));
    }

    #[test]
    fn hand_built_blocks_are_normalized() {
        let mut blocks = vec![
            Block::Table {
                header: vec![],
                rows: vec![vec![vec![text("a")]], vec![vec![], vec![text("b")]]],
                align: vec!["middle".into()],
                widths: Vec::new(),
                scale: 1.0,
            },
            Block::List {
                ordered: true,
                start: u64::MAX,
                items: vec![],
            },
        ];
        normalize_blocks(&mut blocks);
        let Block::Table {
            header,
            rows,
            align,
            widths,
            ..
        } = &blocks[0]
        else {
            panic!()
        };
        assert_eq!(header.len(), 2);
        assert!(rows.iter().all(|r| r.len() == 2));
        assert_eq!(align, &["auto", "auto"]);
        assert_eq!(widths.len(), 2);
        assert!(matches!(
            blocks[1],
            Block::List {
                start: MAX_LIST_START,
                ..
            }
        ));
    }

    #[test]
    fn serializes_with_type_tags() {
        let blocks = markdown_to_blocks("# T {#t}\n\n[x](#t)\n");
        let json = serde_json::to_string(&blocks).unwrap();
        assert_eq!(
            json,
            r#"[{"type":"heading","level":1,"content":[{"type":"text","text":"T"}],"anchor":"t"},{"type":"paragraph","content":[{"type":"link","target":"t","internal":true,"content":[{"type":"text","text":"x"}]}]}]"#
        );
    }
}
