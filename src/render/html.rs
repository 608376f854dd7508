//! Markdown to HTML for the static site. Project text reaches HTML only through here or through
//! the autoescaping HTML templates, so it is always escaped: raw HTML in Markdown is shown as
//! text, except the exact anchor pattern `<a id="…"></a>` that the Markdown templates emit.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// Whether an HTML snippet is an anchor opening `<a id="…">` (with an optional immediate
/// `</a>`) with a safe id.
pub fn is_anchor(html: &str) -> bool {
    let html = html.trim();
    let html = html.strip_suffix("</a>").unwrap_or(html);
    let Some(rest) = html.strip_prefix("<a id=\"") else {
        return false;
    };
    let Some(id) = rest.strip_suffix("\">") else {
        return false;
    };
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'))
}

/// Whether a link target may become an `href`: web, mail, fragments and relative paths; never
/// `javascript:` or other schemes.
fn allowed_target(target: &str) -> bool {
    let lower = target.trim().to_ascii_lowercase();
    match lower.find(':') {
        Some(colon) => {
            let scheme = &lower[..colon];
            // A colon after a slash or a fragment is part of a path, not a scheme.
            let before_path = !scheme.contains(['/', '#', '?']);
            !before_path || matches!(scheme, "http" | "https" | "mailto")
        }
        None => true,
    }
}

/// `threat-model.md#T-1` -> `threat-model.html#T-1` (only for relative `.md` targets).
fn to_html_target(target: &str) -> String {
    if target.contains("://") || target.starts_with("mailto:") {
        return target.to_string();
    }
    let (path, fragment) = match target.find('#') {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    };
    match path.strip_suffix(".md") {
        Some(stem) => format!("{stem}.html{fragment}"),
        None => target.to_string(),
    }
}

/// Converts one Markdown document to an HTML fragment.
pub fn markdown_to_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    // For each open link or image: whether it was dropped (then only its text is kept).
    let mut dropped: Vec<bool> = Vec::new();
    let mut events = Vec::new();
    // An anchor opening whose `</a>` has not come yet (the parser splits the two).
    let mut open_anchor = false;
    for event in Parser::new_ext(markdown, options) {
        if open_anchor {
            open_anchor = false;
            let closes = matches!(&event, Event::InlineHtml(h) if h.trim() == "</a>");
            events.push(Event::InlineHtml(CowStr::from("</a>")));
            if closes {
                continue;
            }
        }
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) if is_anchor(&html) => {
                open_anchor = !html.trim().ends_with("</a>");
                Event::InlineHtml(html)
            }
            Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let keep = allowed_target(&dest_url);
                dropped.push(!keep);
                if !keep {
                    continue;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(to_html_target(&dest_url)),
                    title,
                    id,
                })
            }
            // Only pictures the package holds: the site makes no external requests.
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let keep = super::pictures::is_package_picture(&dest_url);
                dropped.push(!keep);
                if !keep {
                    continue;
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if dropped.pop().unwrap_or(false) {
                    continue;
                }
                Event::End(end)
            }
            other => other,
        };
        events.push(event);
    }
    if open_anchor {
        events.push(Event::InlineHtml(CowStr::from("</a>")));
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html.replace("<strong>MISSING", "<strong class=\"missing\">MISSING")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text() {
        let html = markdown_to_html("A <script>alert(1)</script> B\n\n<div onclick=x>hi</div>\n");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<div"), "{html}");
    }

    #[test]
    fn anchors_and_md_links() {
        let html = markdown_to_html("<a id=\"T-1\"></a>T-1 see [R-1](risk-assessment.md#R-1)\n");
        assert!(html.contains("<a id=\"T-1\"></a>"), "{html}");
        assert!(html.contains("href=\"risk-assessment.html#R-1\""), "{html}");
    }

    #[test]
    fn javascript_links_are_dropped() {
        let html = markdown_to_html("[click](javascript:alert(1)) and [ok](https://example.com)\n");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("href=\"https://example.com\""), "{html}");
        assert!(html.contains("click"), "{html}");
    }

    #[test]
    fn external_images_are_not_loaded() {
        let html =
            markdown_to_html("![tracker](https://example.com/x.png) ![local](diagrams/a.svg)\n");
        assert!(!html.contains("example.com"), "{html}");
        assert!(html.contains("src=\"diagrams/a.svg\""), "{html}");
    }

    #[test]
    fn missing_markers_are_marked() {
        let html = markdown_to_html("**MISSING:** no control\n");
        assert!(
            html.contains("<strong class=\"missing\">MISSING:</strong>"),
            "{html}"
        );
    }
}
