//! Rendering the package. The [`context`] is built once; Markdown is rendered from templates
//! first, and the HTML site and the PDFs are made from that Markdown, so every format says the
//! same thing. Renderers only produce bytes in memory; `build` writes them.

pub mod blocks;
pub mod context;
pub mod html;
pub mod labeling;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod pictures;
mod table_widths;
pub mod templates;

use crate::model::OutputFormat;
use context::{DOCUMENTS, Package};
use std::collections::BTreeMap;
use templates::{TemplateError, TemplateSet};

/// The package: path inside the output folder -> bytes. Sorted, so output is deterministic.
pub type Files = BTreeMap<String, Vec<u8>>;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{0}")]
    Template(#[from] TemplateError),
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("this dossier was built without PDF support (cargo feature `pdf`)")]
    PdfUnavailable,
}

/// One output format.
pub trait Renderer {
    fn name(&self) -> &'static str;
    fn render(&self, input: &Input, out: &mut Files) -> Result<(), RenderError>;
}

/// What every renderer reads: the context, the templates, and the Markdown of each page.
pub struct Input<'a> {
    pub package: &'a Package<'a>,
    pub templates: &'a TemplateSet,
    /// Page id (`index`, `findings`, document ids) -> rendered Markdown, in package order.
    pub markdown: Vec<(&'static str, String)>,
    /// Files copied into each format's folder (the pictures, under `diagrams/`): path -> bytes.
    pub assets: &'a Files,
}

/// The page ids in package order: index, the twelve documents, findings.
pub fn page_ids() -> Vec<&'static str> {
    let mut ids = vec!["index"];
    ids.extend(DOCUMENTS.iter().map(|(id, _, _)| *id));
    ids.push("findings");
    ids
}

/// Renders the Markdown of every page.
pub fn render_markdown(
    package: &Package,
    templates: &TemplateSet,
) -> Result<Vec<(&'static str, String)>, RenderError> {
    let base =
        tera::Context::from_serialize(package).map_err(|e| RenderError::Pdf(e.to_string()))?;
    let mut pages = Vec::new();
    for id in page_ids() {
        let mut context = base.clone();
        if let Some(doc) = package.documents.iter().find(|d| d.id == id) {
            context.insert("doc", doc);
        }
        context.insert("page", id);
        let text = templates.render_md(&format!("md/{id}.md"), &context)?;
        pages.push((id, tidy(&text)));
    }
    Ok(pages)
}

/// Collapses the blank lines templates leave behind, and ends with one newline.
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

pub struct MarkdownRenderer;

impl Renderer for MarkdownRenderer {
    fn name(&self) -> &'static str {
        "md"
    }

    fn render(&self, input: &Input, out: &mut Files) -> Result<(), RenderError> {
        for (id, text) in &input.markdown {
            out.insert(format!("md/{id}.md"), text.clone().into_bytes());
        }
        for (path, bytes) in input.assets {
            out.insert(format!("md/{path}"), bytes.clone());
        }
        Ok(())
    }
}

pub struct HtmlRenderer;

impl Renderer for HtmlRenderer {
    fn name(&self) -> &'static str {
        "html"
    }

    fn render(&self, input: &Input, out: &mut Files) -> Result<(), RenderError> {
        let base = tera::Context::from_serialize(input.package)
            .map_err(|e| RenderError::Pdf(e.to_string()))?;
        for (id, markdown) in &input.markdown {
            let mut context = base.clone();
            let title = match *id {
                "index" => "Package index".to_string(),
                "findings" => "Findings".to_string(),
                _ => input
                    .package
                    .documents
                    .iter()
                    .find(|d| d.id == *id)
                    .map(|d| d.title.to_string())
                    .unwrap_or_default(),
            };
            context.insert("title", &title);
            context.insert("page", id);
            context.insert("body", &html::markdown_to_html(markdown));
            if let Some(doc) = input.package.documents.iter().find(|d| d.id == *id) {
                context.insert("doc", doc);
            }
            let page = input.templates.render_html("html/page.html", &context)?;
            out.insert(format!("html/{id}.html"), page.into_bytes());
        }
        out.insert(
            "html/style.css".to_string(),
            input.templates.css.clone().into_bytes(),
        );
        for (path, bytes) in input.assets {
            out.insert(format!("html/{path}"), bytes.clone());
        }
        Ok(())
    }
}

pub struct PdfRenderer;

impl Renderer for PdfRenderer {
    fn name(&self) -> &'static str {
        "pdf"
    }

    #[cfg(not(feature = "pdf"))]
    fn render(&self, _: &Input, _: &mut Files) -> Result<(), RenderError> {
        Err(RenderError::PdfUnavailable)
    }

    #[cfg(feature = "pdf")]
    fn render(&self, input: &Input, out: &mut Files) -> Result<(), RenderError> {
        use pdf::{PdfDocument, PdfMeta, PdfPackage, render_pdf_with_parts};
        let package = input.package;
        let meta = |title: &str| PdfMeta {
            title: title.to_string(),
            device: package.meta.device.name.clone(),
            model: package.meta.device.model.clone(),
            manufacturer: package.meta.device.manufacturer.clone(),
            version: package.meta.release.version.clone(),
            revision: package.meta.release.revision.clone(),
            submission: package.meta.submission_type.to_string(),
            date: package.meta.date.clone(),
            udi_di: package.meta.device.udi_di.clone(),
            draft: package.draft.clone(),
        };
        let mut documents = Vec::new();
        for (id, markdown) in &input.markdown {
            if *id == "index" {
                continue;
            }
            let title = match package.documents.iter().find(|d| d.id == *id) {
                Some(doc) => doc.title.to_string(),
                None => "Findings".to_string(),
            };
            if *id == "findings" && package.draft.is_none() {
                continue;
            }
            let mut blocks = blocks::markdown_to_blocks(markdown);
            // The template prints the title; drop the Markdown's own first heading.
            if matches!(
                blocks.first(),
                Some(blocks::Block::Heading { level: 1, .. })
            ) {
                blocks.remove(0);
            }
            // The Markdown already opens with the sections it answers.
            documents.push(PdfDocument {
                id: id.to_string(),
                title,
                sections: Vec::new(),
                blocks,
            });
        }
        let (name, template) = &input.templates.typst;
        let to_error = |e: pdf::PdfError| match e {
            pdf::PdfError::Template {
                file,
                line,
                column,
                message,
                ..
            } => RenderError::Template(TemplateError {
                location: crate::finding::Location {
                    file,
                    line: line as u32,
                    column: column as u32,
                    len: 0,
                },
                message,
            }),
            other => RenderError::Pdf(other.to_string()),
        };
        let whole = PdfPackage {
            meta: meta(&format!(
                "{} {}: premarket cybersecurity documentation",
                package.meta.device.name, package.meta.release.version
            )),
            images: input.assets.clone(),
            cover: true,
            toc: true,
            documents: documents.clone(),
        };
        // One layout for the whole package; each document's PDF is its pages of it.
        let (whole_pdf, parts) = render_pdf_with_parts(&whole, template, name).map_err(to_error)?;
        out.insert("pdf/submission.pdf".to_string(), whole_pdf.bytes);
        for (id, bytes) in parts {
            out.insert(format!("pdf/{id}.pdf"), bytes);
        }
        Ok(())
    }
}

/// The renderer of a format.
pub fn renderer(format: OutputFormat) -> Box<dyn Renderer> {
    match format {
        OutputFormat::Md => Box::new(MarkdownRenderer),
        OutputFormat::Html => Box::new(HtmlRenderer),
        OutputFormat::Pdf => Box::new(PdfRenderer),
    }
}
