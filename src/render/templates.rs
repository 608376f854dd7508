//! Templates: the defaults embedded in the binary, overridden file by file from the project's
//! `templates/` folder, and the filters they use. Markdown templates escape every value for
//! Markdown, HTML templates for HTML; only filters that produce links, anchors or the user's own
//! Markdown mark their output safe.

use crate::finding::Location;
pub use crate::model::anchor_name;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use tera::{Kwargs, State, Tera, Value};

/// The default templates: (name, text). A project overrides one by writing a file of the same
/// name under `templates/`; an override can reuse a default as `default/<name>` (for example
/// `{% extends "default/html/page.html" %}` and redefine a block).
pub const DEFAULTS: &[(&str, &str)] = &[
    (
        "md/_header.md",
        include_str!("../../templates/md/_header.md"),
    ),
    ("md/index.md", include_str!("../../templates/md/index.md")),
    (
        "md/findings.md",
        include_str!("../../templates/md/findings.md"),
    ),
    (
        "md/risk-management-report.md",
        include_str!("../../templates/md/risk-management-report.md"),
    ),
    (
        "md/threat-model.md",
        include_str!("../../templates/md/threat-model.md"),
    ),
    (
        "md/risk-assessment.md",
        include_str!("../../templates/md/risk-assessment.md"),
    ),
    ("md/sbom.md", include_str!("../../templates/md/sbom.md")),
    (
        "md/software-support.md",
        include_str!("../../templates/md/software-support.md"),
    ),
    (
        "md/anomalies.md",
        include_str!("../../templates/md/anomalies.md"),
    ),
    (
        "md/traceability.md",
        include_str!("../../templates/md/traceability.md"),
    ),
    (
        "md/metrics.md",
        include_str!("../../templates/md/metrics.md"),
    ),
    (
        "md/security-architecture.md",
        include_str!("../../templates/md/security-architecture.md"),
    ),
    (
        "md/testing.md",
        include_str!("../../templates/md/testing.md"),
    ),
    (
        "md/labeling.md",
        include_str!("../../templates/md/labeling.md"),
    ),
    (
        "md/management-plan.md",
        include_str!("../../templates/md/management-plan.md"),
    ),
    (
        "html/page.html",
        include_str!("../../templates/html/page.html"),
    ),
    (
        "html/style.css",
        include_str!("../../templates/html/style.css"),
    ),
    (
        "pdf/package.typ",
        include_str!("../../templates/pdf/package.typ"),
    ),
    (
        "labeling/labeling.md",
        include_str!("../../templates/labeling/labeling.md"),
    ),
    (
        "labeling/page.html",
        include_str!("../../templates/labeling/page.html"),
    ),
];

/// Largest template file read from a project.
const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// A template problem, located in the template file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{location}: {message}")]
pub struct TemplateError {
    pub location: Location,
    pub message: String,
}

/// What the link filters need to know: where each item ID is defined.
#[derive(Debug, Default, Clone)]
pub struct Links {
    /// Item id -> document file stem.
    pub homes: BTreeMap<String, &'static str>,
    /// Catalog id -> (message, section) of an open finding about it.
    pub missing: BTreeMap<String, (String, String)>,
}

/// The loaded templates of one build.
pub struct TemplateSet {
    md: Tera,
    html: Tera,
    /// The stylesheet of the HTML site.
    pub css: String,
    /// Name and source of the main Typst template.
    pub typst: (String, String),
    /// Names of the templates the project overrides.
    pub overridden: Vec<String>,
}

impl TemplateSet {
    /// Defaults, overridden by the files in `project_templates` (a project's `templates/`
    /// folder) when it exists.
    pub fn load(
        project_templates: Option<&Path>,
        links: Arc<Links>,
    ) -> Result<TemplateSet, TemplateError> {
        let mut sources: BTreeMap<String, (String, String)> = DEFAULTS
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (format!("templates/{name}"), text.to_string()),
                )
            })
            .collect();
        let mut overridden = Vec::new();
        if let Some(dir) = project_templates.filter(|d| d.is_dir()) {
            for (name, text) in read_overrides(dir)? {
                if sources.contains_key(&name) {
                    overridden.push(name.clone());
                }
                sources.insert(name.clone(), (format!("templates/{name}"), text));
            }
        }
        let mut md = Tera::new();
        md.autoescape_on(vec![".md"]);
        md.set_escape_fn(escape_markdown);
        register_filters(&mut md, &links);
        // In Markdown, plain text for a table cell: one line, escaped, and names the text marks
        // with backticks (`domain_match`) shown as code rather than as literal backticks.
        md.register_filter("cell", |value: &Value, _: Kwargs, _: &State| {
            if value.is_safe() {
                Value::safe_string(&one_line(&text_of(value)))
            } else {
                Value::safe_string(&with_code_spans(&text_of(value), true))
            }
        });
        let mut html = Tera::new();
        html.autoescape_on(vec![".html"]);
        register_filters(&mut html, &links);
        // In HTML templates, the user's Markdown becomes HTML (raw HTML in it shown as text).
        html.register_filter("md", |value: &Value, _: Kwargs, _: &State| {
            Value::safe_string(&super::html::markdown_to_html(&text_of(value)))
        });
        html.register_filter("md_cell", |value: &Value, _: Kwargs, _: &State| {
            Value::safe_string(&super::html::markdown_to_html(&one_line(&text_of(value))))
        });
        let mut md_templates = Vec::new();
        let mut html_templates = Vec::new();
        for (name, (_, text)) in &sources {
            if name.ends_with(".md") {
                md_templates.push((name.clone(), text.clone()));
            } else if name.ends_with(".html") {
                html_templates.push((name.clone(), text.clone()));
            }
        }
        // The defaults stay reachable as `default/...` for overrides that extend them.
        for (name, text) in DEFAULTS {
            if name.ends_with(".md") {
                md_templates.push((format!("default/{name}"), text.to_string()));
            } else if name.ends_with(".html") {
                html_templates.push((format!("default/{name}"), text.to_string()));
            }
        }
        md.add_raw_templates(md_templates)
            .map_err(|e| located(&e))?;
        html.add_raw_templates(html_templates)
            .map_err(|e| located(&e))?;
        let css = sources
            .get("html/style.css")
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        let (typst_name, typst) = sources.get("pdf/package.typ").cloned().unwrap_or_default();
        Ok(TemplateSet {
            md,
            html,
            css,
            typst: (typst_name, typst),
            overridden,
        })
    }

    /// Renders a Markdown template (`md/<name>`).
    pub fn render_md(&self, name: &str, context: &tera::Context) -> Result<String, TemplateError> {
        self.md.render(name, context).map_err(|e| located(&e))
    }

    /// Renders an HTML template (`html/<name>`).
    pub fn render_html(
        &self,
        name: &str,
        context: &tera::Context,
    ) -> Result<String, TemplateError> {
        self.html.render(name, context).map_err(|e| located(&e))
    }
}

/// Reads every file under a project's `templates/` folder (not following symlinks out of it).
fn read_overrides(dir: &Path) -> Result<Vec<(String, String)>, TemplateError> {
    let mut out = Vec::new();
    let root = std::fs::canonicalize(dir).map_err(|e| io_error(dir, &e))?;
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.map_err(|e| TemplateError {
            location: Location::file(format!(
                "templates/{}",
                e.path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            )),
            message: e.to_string(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::load::discover::relative(&root, entry.path());
        if rel.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if size > MAX_TEMPLATE_BYTES {
            return Err(TemplateError {
                location: Location::file(format!("templates/{rel}")),
                message: format!("template is {size} bytes; the limit is {MAX_TEMPLATE_BYTES}"),
            });
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| io_error(entry.path(), &e))?;
        let text = String::from_utf8(bytes).map_err(|_| TemplateError {
            location: Location::file(format!("templates/{rel}")),
            message: "template is not UTF-8 text".to_string(),
        })?;
        out.push((rel, text));
    }
    Ok(out)
}

fn io_error(path: &Path, error: &std::io::Error) -> TemplateError {
    TemplateError {
        location: Location::file(path.display().to_string()),
        message: error.to_string(),
    }
}

/// A Tera error with the template file, line and column it points at.
fn located(error: &tera::Error) -> TemplateError {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(tera_error) = e.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) =
                tera_error.kind()
        {
            let span = report.span();
            let file = report.filename().trim_start_matches("default/");
            return TemplateError {
                location: Location {
                    file: format!("templates/{file}"),
                    line: span.start_line as u32,
                    column: span.start_col as u32 + 1,
                    len: 0,
                },
                message: report.message().to_string(),
            };
        }
        current = e.source();
    }
    TemplateError {
        location: Location::file("templates"),
        message: error.to_string().replace("default/", ""),
    }
}

/// Escapes text for Markdown: the characters that start emphasis, links, code, HTML, tables
/// and entities become literal.
pub fn escape_markdown(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut buf = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' | '$'
        ) {
            buf.push('\\');
        }
        buf.push(c);
    }
    out.write_all(buf.as_bytes())
}

/// A Markdown code span that shows `text` exactly. Backslash escapes do not work inside code
/// spans (they would show), so the text goes in as written, inside a fence of more backticks
/// than it holds in a row; in a table cell `|` is escaped, which GFM undoes inside code too.
pub fn code_span(text: &str, in_table: bool) -> String {
    let text = one_line(text);
    let text = if in_table {
        text.replace('|', "\\|")
    } else {
        text
    };
    if text.is_empty() {
        return String::new();
    }
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // A space on each side keeps a backtick at either end from joining the fence.
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A message of dossier's (a finding, a reason) as Markdown: the parts between backticks as
/// code spans, everything else escaped. Unpaired backticks make it all plain text.
pub fn with_code_spans(text: &str, in_table: bool) -> String {
    let text = one_line(text);
    let escape = |part: &str| {
        let mut out = Vec::new();
        let _ = escape_markdown(part, &mut out);
        String::from_utf8(out).unwrap_or_default()
    };
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape(&text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            // A `|` inside code needs `\|` in a table cell, which shows as written anywhere
            // else; `cell` serves both, so such a part is set as plain text instead.
            if i % 2 == 1 && !(in_table && part.contains('|')) {
                code_span(part, in_table)
            } else {
                escape(part)
            }
        })
        .collect()
}

fn text_of(value: &Value) -> String {
    if value.is_none() {
        return String::new();
    }
    match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    }
}

fn escaped(text: &str) -> String {
    let mut out = Vec::new();
    let _ = escape_markdown(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// `[ID](home.md#ID)` for a known item, the escaped ID otherwise.
fn link(id: &str, links: &Links) -> String {
    match links.homes.get(id) {
        Some(home) => format!("[{}]({home}.md#{})", escaped(id), anchor_name(id)),
        None => escaped(id),
    }
}

/// One line of text, for a table cell (newlines and runs of spaces become one space).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn register_filters(tera: &mut Tera, links: &Arc<Links>) {
    let l = links.clone();
    tera.register_filter("ref", move |value: &Value, _: Kwargs, _: &State| {
        Value::safe_string(&link(&text_of(value), &l))
    });
    let l = links.clone();
    tera.register_filter("refs", move |value: &Value, _: Kwargs, _: &State| {
        let ids: Vec<String> = value
            .as_array()
            .map(|items| items.iter().map(text_of).collect())
            .unwrap_or_default();
        Value::safe_string(
            &ids.iter()
                .map(|id| link(id, &l))
                .collect::<Vec<_>>()
                .join(", "),
        )
    });
    // `{#id}` after a heading: the heading's anchor.
    tera.register_filter("heading_id", |value: &Value, _: Kwargs, _: &State| {
        Value::safe_string(&format!("{{#{}}}", anchor_name(&text_of(value))))
    });
    tera.register_filter("anchor", |value: &Value, _: Kwargs, _: &State| {
        Value::safe_string(&format!("<a id=\"{}\"></a>", anchor_name(&text_of(value))))
    });
    // The user's own Markdown, as written (raw HTML in it is neutralised when converting to HTML).
    tera.register_filter("md", |value: &Value, _: Kwargs, _: &State| {
        Value::safe_string(text_of(value).trim())
    });
    // The user's Markdown inside a table cell: one line, pipes escaped.
    tera.register_filter("md_cell", |value: &Value, _: Kwargs, _: &State| {
        Value::safe_string(&one_line(&text_of(value)).replace('|', "\\|"))
    });
    // Plain text for a table cell (escaped by autoescape afterwards).
    tera.register_filter("cell", |value: &Value, _: Kwargs, _: &State| {
        if value.is_safe() {
            Value::safe_string(&one_line(&text_of(value)))
        } else {
            Value::from(one_line(&text_of(value)))
        }
    });
    // Text shown exactly, as code: `{{ c.purl | code }}`, in a table `{{ c.purl | code_cell }}`.
    tera.register_filter("code", |value: &Value, _: Kwargs, _: &State| {
        Value::safe_string(&code_span(&text_of(value), false))
    });
    tera.register_filter("code_cell", |value: &Value, _: Kwargs, _: &State| {
        Value::safe_string(&code_span(&text_of(value), true))
    });
    // dossier's own messages mark names with backticks: those become code, the rest is text.
    tera.register_filter("ticks", |value: &Value, _: Kwargs, _: &State| {
        Value::safe_string(&with_code_spans(&text_of(value), false))
    });
    tera.register_filter("ticks_cell", |value: &Value, _: Kwargs, _: &State| {
        Value::safe_string(&with_code_spans(&text_of(value), true))
    });
    // A sentence's full stop, unless the text already ends with one (or `!`, `?`, `:`).
    tera.register_filter("stop", |value: &Value, _: Kwargs, _: &State| {
        let text = text_of(value);
        let trimmed = text.trim_end();
        let text = if trimmed.ends_with(['.', '!', '?', ':']) || trimmed.is_empty() {
            trimmed.to_string()
        } else {
            format!("{trimmed}.")
        };
        if value.is_safe() {
            Value::safe_string(&text)
        } else {
            Value::from(text)
        }
    });
    // `pass-with-findings` -> `pass with findings`.
    tera.register_filter("label", |value: &Value, _: Kwargs, _: &State| {
        Value::from(text_of(value).replace(['-', '_'], " "))
    });
    let l = links.clone();
    tera.register_function("missing", move |kwargs: Kwargs, _: &State| {
        let id: String = kwargs.get("id").ok().flatten().unwrap_or_default();
        match l.missing.get(&id) {
            Some((message, section)) => {
                let section = if section.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", escaped(section))
                };
                // The message marks field names with backticks: they show as code.
                Value::safe_string(&format!(
                    "**MISSING:** {}{section}",
                    with_code_spans(message, true)
                ))
            }
            None => Value::safe_string(""),
        }
    });
}

/// Writes the default templates into `dir/templates/`, refusing to overwrite any file.
/// Returns the files written.
pub fn eject(project: &Path) -> Result<Vec<String>, String> {
    let base = project.join("templates");
    let existing: Vec<&str> = DEFAULTS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| base.join(name).exists())
        .collect();
    if !existing.is_empty() {
        return Err(format!(
            "not overwriting existing templates: {}",
            existing.join(", ")
        ));
    }
    let mut written = Vec::new();
    for (name, text) in DEFAULTS {
        let path = base.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        std::fs::write(&path, text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        written.push(format!("templates/{name}"));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {

    #[test]
    fn code_spans_show_text_exactly() {
        assert_eq!(
            code_span("cpe:2.3:o:x:ubuntu_linux:*", false),
            "`cpe:2.3:o:x:ubuntu_linux:*`"
        );
        assert_eq!(code_span("a`b", false), "``a`b``");
        assert_eq!(code_span("`x`", false), "`` `x` ``");
        assert_eq!(code_span("a|b", true), "`a\\|b`");
        assert_eq!(
            with_code_spans("flow `F_1` uses *Wi-Fi*", true),
            "flow `F_1` uses \\*Wi-Fi\\*"
        );
        assert_eq!(with_code_spans("odd ` tick", false), "odd \\` tick");
    }

    use super::*;

    #[test]
    fn markdown_escaping_neutralises_markup() {
        let mut out = Vec::new();
        escape_markdown("<script>alert(1)</script> *x* | [a](b)", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\\<script\\>alert(1)\\</script\\> \\*x\\* \\| \\[a\\](b)"
        );
    }

    #[test]
    fn anchors_are_safe_names() {
        assert_eq!(anchor_name("CVE-2024-1234"), "CVE-2024-1234");
        assert_eq!(anchor_name("a b\"c"), "a-b-c");
    }
}
