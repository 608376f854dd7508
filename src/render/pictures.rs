//! Pictures in the package's Markdown. An image may name a view's diagram or any picture file
//! inside the project (SVG, PNG, JPEG), by its path from the project root: the file is copied
//! into the package under `diagrams/` and the image points at the copy, in every format. Any
//! other image (a web address, a path outside the project, a file that does not exist) becomes
//! its alt text, so the package never loads anything from elsewhere.

use super::Files;
use super::context::diagram_path;
use crate::model::Project;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::path::Path;

/// A picture larger than this is shown as its alt text (a package is not an image archive).
const MAX_PICTURE_BYTES: u64 = 32 * 1024 * 1024;

/// The pictures of one build.
#[derive(Debug, Default)]
pub struct Pictures {
    /// Image source as written -> package path (`diagrams/...`).
    paths: BTreeMap<String, String>,
    /// Package path -> bytes.
    pub files: Files,
    /// Package path -> the project file it holds, so two files never share one path.
    owners: BTreeMap<String, std::path::PathBuf>,
}

impl Pictures {
    /// The views' diagram files and every picture file that the Markdown `texts` name.
    pub fn collect<'a>(project: &Project, texts: impl IntoIterator<Item = &'a str>) -> Pictures {
        let mut pictures = Pictures::default();
        for view in &project.views {
            if let Some(file) = view.diagram.as_ref().and_then(|d| d.file.as_ref()) {
                pictures.add(&project.root, &file.value);
            }
        }
        for text in texts {
            for src in sources(text) {
                pictures.add(&project.root, &src);
            }
        }
        pictures
    }

    /// Copies the picture `src` names, when it is a picture file inside the project.
    fn add(&mut self, root: &Path, src: &str) {
        if self.paths.contains_key(src) || !is_picture_path(src) {
            return;
        }
        // `my%20pic.svg` names `my pic.svg`.
        let decoded = crate::model::percent_decode(src);
        let Ok(real) = std::fs::canonicalize(root.join(src))
            .or_else(|_| std::fs::canonicalize(root.join(&decoded)))
        else {
            return;
        };
        let small_file =
            std::fs::metadata(&real).is_ok_and(|m| m.is_file() && m.len() <= MAX_PICTURE_BYTES);
        if !real.starts_with(root) || !small_file {
            return;
        }
        let Ok(bytes) = std::fs::read(&real) else {
            return;
        };
        let package = self.free_path(diagram_path(&decoded), &real);
        self.owners.insert(package.clone(), real);
        self.files.insert(package.clone(), bytes);
        self.paths.insert(src.to_string(), package.clone());
        // The templates write the package path of a view's diagram.
        self.paths.insert(package.clone(), package);
    }

    /// `wanted`, or `wanted` with `-2`, `-3`, ... before its extension when another file of
    /// the project already holds that path (`img/a.svg` and `img-a.svg` both map to
    /// `diagrams/img-a.svg`).
    fn free_path(&self, wanted: String, real: &std::path::Path) -> String {
        let taken = |path: &String| self.owners.get(path).is_some_and(|owner| owner != real);
        if !taken(&wanted) {
            return wanted;
        }
        let (stem, extension) = match wanted.rfind('.') {
            Some(dot) => (&wanted[..dot], &wanted[dot..]),
            None => (wanted.as_str(), ""),
        };
        (2..)
            .map(|n| format!("{stem}-{n}{extension}"))
            .find(|candidate| !taken(candidate))
            .unwrap_or(wanted.clone())
    }

    /// `markdown` with every image pointing at its copy in the package, or turned into its
    /// alt text when there is none.
    pub fn rewrite(&self, markdown: &str) -> String {
        let mut out = String::with_capacity(markdown.len());
        let mut copied = 0;
        // The outermost open image: its source range, target and alt text so far.
        let mut open: Option<(std::ops::Range<usize>, String, String)> = None;
        let mut depth = 0;
        for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Image { dest_url, .. }) => {
                    if depth == 0 {
                        open = Some((range, dest_url.to_string(), String::new()));
                    }
                    depth += 1;
                }
                Event::End(TagEnd::Image) => {
                    depth -= 1;
                    if depth > 0 {
                        continue;
                    }
                    let Some((range, src, alt)) = open.take() else {
                        continue;
                    };
                    if range.start < copied {
                        continue;
                    }
                    out.push_str(&markdown[copied..range.start]);
                    let mut alt_text = Vec::new();
                    let _ = super::templates::escape_markdown(&alt, &mut alt_text);
                    let alt_text = String::from_utf8(alt_text).unwrap_or_default();
                    match self.paths.get(&src) {
                        Some(package) => {
                            out.push_str(&format!("![{alt_text}]({package})"));
                        }
                        None => out.push_str(&alt_text),
                    }
                    copied = range.end;
                }
                Event::Text(text) | Event::Code(text) if depth > 0 => {
                    if let Some((_, _, alt)) = open.as_mut() {
                        alt.push_str(&text);
                    }
                }
                // A caption written over two lines keeps its space.
                Event::SoftBreak | Event::HardBreak if depth > 0 => {
                    if let Some((_, _, alt)) = open.as_mut() {
                        alt.push(' ');
                    }
                }
                _ => {}
            }
        }
        out.push_str(&markdown[copied..]);
        out
    }

    /// The package paths of the pictures `markdown` shows, with their bytes.
    pub fn used_in(&self, markdown: &str) -> Files {
        sources(markdown)
            .into_iter()
            .filter_map(|src| {
                let bytes = self.files.get(&src)?;
                Some((src, bytes.clone()))
            })
            .collect()
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Every image source in a Markdown text, in order.
fn sources(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// A relative path to an SVG, PNG or JPEG file that stays below where it starts: no scheme,
/// no host (`//`), no root, no backslash, no `..`.
pub fn is_picture_path(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    !lower.is_empty()
        && !lower.contains([':', '\\', '?', '#'])
        && !lower.starts_with('/')
        && !lower.split('/').any(|part| part == "..")
        && [".svg", ".png", ".jpg", ".jpeg"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

/// A picture the package itself holds: what the HTML site may load.
pub fn is_package_picture(src: &str) -> bool {
    src.starts_with("diagrams/") && is_picture_path(src)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pictures(paths: &[(&str, &str)]) -> Pictures {
        Pictures {
            paths: paths
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            ..Pictures::default()
        }
    }

    #[test]
    fn known_pictures_point_at_the_copy_and_others_become_text() {
        let p = pictures(&[("img/a.svg", "diagrams/img-a.svg")]);
        let text = "See ![the *flow*](img/a.svg) and ![pr](//127.0.0.1:8112/t.png) and \
                    ![](../../etc/x.png) end.\n\n| a |\n|---|\n| ![c](img/a.svg) |\n";
        let out = p.rewrite(text);
        assert!(out.contains("![the flow](diagrams/img-a.svg)"), "{out}");
        assert!(out.contains(" and pr and "), "{out}");
        assert!(
            !out.contains("127.0.0.1") && !out.contains("etc/x.png"),
            "{out}"
        );
        assert!(out.contains("| ![c](diagrams/img-a.svg) |"), "{out}");
    }

    #[test]
    fn picture_paths() {
        for ok in ["diagrams/a.svg", "a.PNG", "x/y.jpeg"] {
            assert!(is_picture_path(ok), "{ok}");
        }
        for bad in [
            "//host/a.png",
            "/tmp/a.png",
            "../a.png",
            "a/../../b.png",
            "\\\\host\\x.png",
            "https://x/a.png",
            "a.gif",
            "data:image/png;base64,xx.png",
        ] {
            assert!(!is_picture_path(bad), "{bad}");
        }
    }
}
