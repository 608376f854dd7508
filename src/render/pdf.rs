//! The PDF renderer: a [`PdfPackage`] goes to Typst as JSON, a Typst
//! template lays it out, typst-pdf writes the bytes.
//!
//! User text never becomes Typst markup: the template reads `/data.json`
//! and renders strings as text. Output is byte-identical for the same
//! input: the date comes from `meta.date`, the PDF identifier from a hash of
//! the input, and the Typst world has no clock, disk or network.

mod world;

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use serde::Serialize;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_pdf::{PdfOptions, Timestamp};

use self::world::PdfWorld;
use super::blocks::{
    Block, collect_anchors, dedup_anchors, drop_anchors, first_links_only, link_targets,
    normalize_blocks, retarget_links,
};

/// The default template, embedded in the binary.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/pdf/package.typ");

/// Anchor ids with this prefix are left to templates (the default one
/// labels document starts `_dossier-section`); anchors using it are dropped.
pub const RESERVED_ANCHOR_PREFIX: &str = "_dossier";

/// Everything one PDF shows.
#[derive(Serialize, Clone, Debug)]
pub struct PdfPackage {
    pub meta: PdfMeta,
    /// true: a full cover page (submission PDF); false: a compact title
    /// block (per-document PDF).
    pub cover: bool,
    /// A table of contents with page numbers.
    pub toc: bool,
    pub documents: Vec<PdfDocument>,
    /// Pictures the documents show (`Block::Image { src }` -> bytes); not part of the JSON.
    #[serde(skip)]
    pub images: std::collections::BTreeMap<String, Vec<u8>>,
}

#[derive(Serialize, Clone, Debug)]
pub struct PdfMeta {
    /// e.g. "Cybersecurity documentation", or a single document's title.
    pub title: String,
    pub device: String,
    pub model: String,
    pub manufacturer: String,
    pub version: String,
    pub revision: String,
    /// e.g. "510(k)".
    pub submission: String,
    /// YYYY-MM-DD, the document date (never the wall clock). Anything else
    /// leaves the PDF without a creation date.
    pub date: String,
    pub udi_di: Option<String>,
    /// e.g. "DRAFT: 12 open findings": on the cover and in every page
    /// header when set.
    pub draft: Option<String>,
}

#[derive(Serialize, Clone, Debug)]
pub struct PdfDocument {
    /// Anchor of the document itself (internal links may target it).
    pub id: String,
    pub title: String,
    /// Guidance sections it answers, e.g. ["§V.A.1", "App. 2"].
    pub sections: Vec<String>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// An error located in the template (a user's override or ours).
    #[error("{file}:{line}:{column}: {message}")]
    Template {
        file: String,
        line: usize,
        column: usize,
        message: String,
        hints: Vec<String>,
    },
    #[error("{0}")]
    Other(String),
}

impl PdfPackage {
    /// Makes the package safe for Typst, which refuses duplicate link
    /// targets and links to missing labels: the first definition of an
    /// anchor id wins (document ids first, then anchors in reading order),
    /// and internal links to anchors this PDF does not hold become plain
    /// text. Tables and lists are made regular too (see
    /// [`normalize_blocks`]). [`render_pdf`] does this on its own copy; call
    /// it to see what will be rendered.
    pub fn normalize(&mut self) {
        let mut seen = BTreeSet::new();
        for doc in &mut self.documents {
            normalize_blocks(&mut doc.blocks);
            if !doc.id.is_empty() && !seen.insert(doc.id.clone()) {
                doc.id.clear();
            }
            dedup_anchors(&mut doc.blocks, &mut seen);
        }
        // Templates label their own bookkeeping with these ids.
        for doc in &mut self.documents {
            if doc.id.starts_with(RESERVED_ANCHOR_PREFIX) {
                doc.id.clear();
            }
            drop_anchors(&mut doc.blocks, &|id| {
                id.starts_with(RESERVED_ANCHOR_PREFIX)
            });
        }
        let mut known = BTreeSet::new();
        for doc in &self.documents {
            if !doc.id.is_empty() {
                known.insert(doc.id.clone());
            }
            collect_anchors(&doc.blocks, &mut known);
        }
        for doc in &mut self.documents {
            retarget_links(&mut doc.blocks, &known);
            first_links_only(&mut doc.blocks, &mut BTreeSet::new());
        }
        // Anchors nothing links to cost typesetting time and serve no one.
        let mut targets = BTreeSet::new();
        for doc in &self.documents {
            link_targets(&doc.blocks, &mut targets);
        }
        for doc in &mut self.documents {
            drop_anchors(&mut doc.blocks, &|id| !targets.contains(id));
        }
    }
}

/// Per-document PDFs: (document id, PDF bytes).
pub type Parts = Vec<(String, Vec<u8>)>;

/// A rendered PDF and what Typst had to say about it.
#[derive(Debug, Clone)]
pub struct PdfRendered {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Typst warnings (e.g. a glyph no embedded font has), located as
    /// "file:line:column: message" when they point into the template.
    pub warnings: Vec<String>,
}

/// Renders `pkg` with `template`, the Typst source of the main file (the
/// default, or a user's override named `template_name` in messages, e.g.
/// "templates/pdf/package.typ"). The template reads the package from
/// `/data.json`.
pub fn render_pdf(
    pkg: &PdfPackage,
    template: &str,
    template_name: &str,
) -> Result<Vec<u8>, PdfError> {
    render_pdf_report(pkg, template, template_name).map(|rendered| rendered.bytes)
}

/// [`render_pdf`], also returning the page count and Typst's warnings.
pub fn render_pdf_report(
    pkg: &PdfPackage,
    template: &str,
    template_name: &str,
) -> Result<PdfRendered, PdfError> {
    render(pkg, template, template_name, false).map(|(rendered, _)| rendered)
}

/// [`render_pdf_report`], plus one PDF per document cut from the same layout (its pages, in
/// place): typesetting once instead of once per document halves the time of a package build.
/// Returns (document id, PDF) for every document.
pub fn render_pdf_with_parts(
    pkg: &PdfPackage,
    template: &str,
    template_name: &str,
) -> Result<(PdfRendered, Parts), PdfError> {
    render(pkg, template, template_name, true)
}

fn render(
    pkg: &PdfPackage,
    template: &str,
    template_name: &str,
    parts: bool,
) -> Result<(PdfRendered, Parts), PdfError> {
    let mut pkg = pkg.clone();
    pkg.normalize();
    let images = usable_images(&pkg);
    // A picture Typst cannot draw shows as its caption instead.
    let usable: BTreeSet<String> = images.iter().map(|(src, _)| src.clone()).collect();
    for doc in &mut pkg.documents {
        super::blocks::keep_images(&mut doc.blocks, &usable);
    }
    let data = serde_json::to_vec(&pkg)
        .map_err(|err| PdfError::Other(format!("cannot serialise the PDF data: {err}")))?;

    let date = parse_date(&pkg.meta.date);
    // Stable across runs and machines, different for different content.
    let ident = format!("dossier-{:032x}", fnv1a_128(&[template.as_bytes(), &data]));
    let world = PdfWorld::new(template, data, date, images)
        .ok_or_else(|| PdfError::Other("cannot set up the Typst world".into()))?;

    // Typst is not supposed to panic, but a PDF is never worth a crash.
    // Each per-document PDF is titled after its document and the device.
    let ids: Vec<(String, String)> = if parts {
        pkg.documents
            .iter()
            .map(|d| {
                let title = format!("{}: {} {}", d.title, pkg.meta.device, pkg.meta.version);
                (d.id.clone(), title.trim().to_string())
            })
            .collect()
    } else {
        Vec::new()
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        compile(&world, template_name, ident, date, &ids)
    }));
    // Bound the memory Typst's memoization keeps between renders.
    typst::comemo::evict(10);
    result.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(PdfError::Other(format!("Typst failed internally: {what}")))
    })
}

/// The pictures the package shows that Typst can draw: SVG that parses, PNG and JPEG by their
/// signature. A picture that is missing or broken is left out (the template then prints its
/// caption), so one bad diagram never stops the whole PDF.
fn usable_images(pkg: &PdfPackage) -> Vec<(String, Vec<u8>)> {
    let mut wanted = BTreeSet::new();
    for doc in &pkg.documents {
        super::blocks::image_sources(&doc.blocks, &mut wanted);
    }
    wanted
        .into_iter()
        .filter_map(|src| {
            let bytes = pkg.images.get(&src)?;
            let lower = src.to_ascii_lowercase();
            let ok = if lower.ends_with(".svg") {
                usvg::Tree::from_data(bytes, &usvg::Options::default()).is_ok()
            } else if lower.ends_with(".png") {
                bytes.starts_with(b"\x89PNG\r\n\x1a\n")
            } else {
                bytes.starts_with(&[0xFF, 0xD8, 0xFF])
            };
            ok.then(|| (src, bytes.clone()))
        })
        .collect()
}

/// Parses the fonts embedded in the binary now instead of in the first
/// render (they are parsed once per process either way).
pub fn preload_fonts() {
    world::preload();
}

fn compile(
    world: &PdfWorld,
    template_name: &str,
    ident: String,
    date: Option<Datetime>,
    parts: &[(String, String)],
) -> Result<(PdfRendered, Parts), PdfError> {
    let warned = typst::compile::<typst_layout::PagedDocument>(world);
    let warnings = warned
        .warnings
        .iter()
        .map(|warning| describe(world, template_name, warning))
        .collect();
    let document = warned
        .output
        .map_err(|errors| diagnostics_to_error(world, template_name, &errors))?;
    let options = |ident: String, pages: Option<typst::layout::PageRanges>| PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some(format!(
            "dossier {} (Typst 0.15.1)",
            env!("CARGO_PKG_VERSION")
        ))),
        timestamp: date.map(Timestamp::new_utc),
        // typst-pdf cannot tag a page range; the submission PDF stays tagged.
        tagged: pages.is_none(),
        page_ranges: pages,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&document, &options(ident.clone(), None))
        .map_err(|errors| diagnostics_to_error(world, template_name, &errors))?;
    let total = document.pages().len();
    let ids: Vec<String> = parts.iter().map(|(id, _)| id.clone()).collect();
    let starts = start_pages(&document, &ids);
    let mut cut = Vec::new();
    for (i, (id, start)) in starts.iter().enumerate() {
        let end = starts
            .get(i + 1)
            .map(|(_, next)| next - 1)
            .unwrap_or(total)
            .max(*start);
        let pages = typst::layout::PageRanges::new(vec![
            std::num::NonZeroUsize::new(*start)..=std::num::NonZeroUsize::new(end),
        ]);
        // Cheap: the pages and the introspector are shared, only the metadata differs.
        let mut titled = document.clone();
        if let Some((_, title)) = parts.iter().find(|(part, _)| part == id) {
            titled.info_mut().title = Some(title.as_str().into());
        }
        let part = typst_pdf::pdf(&titled, &options(format!("{ident}-{id}"), Some(pages)))
            .map_err(|errors| diagnostics_to_error(world, template_name, &errors))?;
        cut.push((id.clone(), part));
    }
    Ok((
        PdfRendered {
            bytes,
            pages: total,
            warnings,
        },
        cut,
    ))
}

/// The first page (1-based) of each document, found by its label, in page order.
fn start_pages(document: &typst_layout::PagedDocument, ids: &[String]) -> Vec<(String, usize)> {
    use typst::foundations::Label;
    use typst::utils::PicoStr;
    let introspector = document.introspector();
    let mut starts: Vec<(String, usize)> = ids
        .iter()
        .filter_map(|id| {
            let label = Label::new(PicoStr::intern(id))?;
            let element = introspector.elements().query_label(label).ok()?;
            let location = element.location()?;
            let position = introspector.position(location)?;
            Some((id.clone(), position.page.get()))
        })
        .collect();
    starts.sort_by_key(|(_, page)| *page);
    starts
}

/// "file:line:column: message" (or "file: message" without a location).
fn describe(world: &PdfWorld, template_name: &str, diagnostic: &SourceDiagnostic) -> String {
    match locate(world, diagnostic) {
        Some((line, column)) => format!(
            "{template_name}:{}:{}: {}",
            line + 1,
            column + 1,
            diagnostic.message
        ),
        None => format!("{template_name}: {}", diagnostic.message),
    }
}

/// Zero-based line and column in the template of a diagnostic, or of the
/// innermost call in its trace that is in the template.
fn locate(world: &PdfWorld, diagnostic: &SourceDiagnostic) -> Option<(usize, usize)> {
    std::iter::once(diagnostic.span)
        .chain(diagnostic.trace.iter().map(|point| point.span.into()))
        .find_map(|span| {
            if span.id() != Some(world.main_id()) {
                return None;
            }
            let range = world.range(span)?;
            world.main_source().lines().byte_to_line_column(range.start)
        })
}

fn parse_date(date: &str) -> Option<Datetime> {
    use chrono::Datelike;
    let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    Datetime::from_ymd(
        date.year(),
        u8::try_from(date.month()).ok()?,
        u8::try_from(date.day()).ok()?,
    )
}

/// The first error, located in the template when Typst gives a location
/// there (directly or through the call trace).
fn diagnostics_to_error(
    world: &PdfWorld,
    template_name: &str,
    diagnostics: &[SourceDiagnostic],
) -> PdfError {
    let Some(first) = diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or_else(|| diagnostics.first())
    else {
        return PdfError::Other("Typst failed without a message".into());
    };
    let message = first.message.to_string();
    let mut hints: Vec<String> = first.hints.iter().map(|h| h.v.to_string()).collect();
    if diagnostics.len() > 1 {
        hints.push(format!("{} more error(s) not shown", diagnostics.len() - 1));
    }

    match locate(world, first) {
        Some((line, column)) => PdfError::Template {
            file: template_name.to_string(),
            line: line + 1,
            column: column + 1,
            message,
            hints,
        },
        None => {
            let mut text = message;
            for hint in &hints {
                text.push_str("\n  hint: ");
                text.push_str(hint);
            }
            PdfError::Other(format!("{template_name}: {text}"))
        }
    }
}

/// 128-bit FNV-1a: a stable content hash without another dependency (not
/// for security, only to give the PDF a deterministic identifier).
fn fnv1a_128(parts: &[&[u8]]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;
    let mut hash = OFFSET;
    for part in parts {
        for &byte in *part {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
        // Separator so ("ab","c") and ("a","bc") differ.
        hash ^= 0xff;
        hash = hash.wrapping_mul(PRIME);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(parse_date("2025-03-01").is_some());
        assert!(parse_date("2025-02-30").is_none());
        assert!(parse_date("soon").is_none());
    }

    #[test]
    fn hash_is_stable_and_separates_parts() {
        assert_eq!(
            fnv1a_128(&[b"ab", b"c"]),
            fnv1a_128(&[b"ab", b"c"]),
            "deterministic"
        );
        assert_ne!(fnv1a_128(&[b"ab", b"c"]), fnv1a_128(&[b"a", b"bc"]));
    }
}
