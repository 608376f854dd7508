//! SPDX 2.x tag-value ("Tag: value" lines) into a [`Bom`].
//!
//! `PackageName` starts a package; `FileName`, `SnippetSPDXID` and `LicenseID` start elements
//! that are not components, so the `SPDXID` and package tags that follow them are not applied
//! to the previous package. `<text>...</text>` values may span lines. Same counting rule as
//! SPDX JSON: every package is a component, the described one is also the subject.

use super::common::{dedup_in_order, license_text};
use super::error::SbomError;
use super::model::{Bom, Component, Hash, SbomFormat, SourcePos};
use super::spdx_common::{
    Relationship, apply_external_ref, check_version, party, purpose, resolve,
};
use super::text::to_u32;

/// One "Tag: value" entry with the line it starts on.
struct Entry<'t> {
    tag: &'t str,
    value: String,
    line: u32,
}

/// True when the text looks like SPDX tag-value: some line starts with "SPDXVersion:".
pub(crate) fn looks_like(text: &str) -> bool {
    text.lines()
        .take(200)
        .any(|line| line.trim_start().starts_with("SPDXVersion:"))
}

pub(crate) fn read(text: &str) -> Result<Bom, SbomError> {
    let entries = tokenize(text)?;

    #[derive(Clone, Copy)]
    enum Context {
        Document,
        Package(usize),
        Other,
    }

    let mut version: Option<(String, u32)> = None;
    let mut serial = None;
    let mut timestamp = None;
    let mut authors = Vec::new();
    let mut document_id = "SPDXRef-DOCUMENT".to_owned();
    let mut components: Vec<Component> = Vec::new();
    let mut relationships: Vec<Relationship> = Vec::new();
    let mut context = Context::Document;

    for entry in entries {
        let value = entry.value.trim();
        match entry.tag {
            "SPDXVersion" if version.is_none() => version = Some((value.to_owned(), entry.line)),
            "DocumentNamespace" => serial = non_empty(value),
            "Creator" => {
                if let Some(creator) = non_empty(value) {
                    authors.push(creator);
                }
            }
            "Created" => timestamp = non_empty(value),
            "PackageName" => {
                context = Context::Package(components.len());
                components.push(Component {
                    name: value.to_owned(),
                    location: SourcePos {
                        line: entry.line,
                        column: 1,
                        path: format!("packages[{}]", components.len()),
                    },
                    ..Component::default()
                });
            }
            "FileName" | "SnippetSPDXID" | "LicenseID" => context = Context::Other,
            "Relationship" => {
                let mut parts = value.split_whitespace();
                if let (Some(from), Some(kind), Some(to)) =
                    (parts.next(), parts.next(), parts.next())
                {
                    relationships.push((from.to_owned(), kind.to_owned(), to.to_owned()));
                }
            }
            "SPDXID" => match context {
                Context::Document => document_id = value.to_owned(),
                Context::Package(i) => {
                    if let Some(c) = components.get_mut(i) {
                        c.bom_ref = non_empty(value);
                    }
                }
                Context::Other => {}
            },
            tag => {
                if let Context::Package(i) = context
                    && let Some(c) = components.get_mut(i)
                {
                    apply_package_tag(c, tag, value);
                }
            }
        }
    }

    for c in &mut components {
        c.licenses = dedup_in_order(std::mem::take(&mut c.licenses));
    }
    let Some((raw_version, line)) = version else {
        return Err(SbomError::new(
            "SPDXVersion is missing: an SPDX tag-value document starts with \
             \"SPDXVersion: SPDX-2.3\"",
        ));
    };
    let spec_version = check_version(&raw_version)
        .map_err(|m| SbomError::at(m, line, 1).with_path("SPDXVersion"))?;
    let (subject, dependencies) = resolve(&components, &document_id, &[], relationships);
    Ok(Bom {
        format: SbomFormat::SpdxTagValue,
        spec_version,
        serial,
        timestamp,
        authors,
        subject,
        components,
        dependencies,
        vulnerabilities: Vec::new(),
    })
}

fn apply_package_tag(c: &mut Component, tag: &str, value: &str) {
    match tag {
        "PackageVersion" => c.version = non_empty(value),
        "PackageSupplier" => c.supplier = party(value),
        "PackageOriginator" => c.author = party(value),
        "PackageChecksum" => {
            if let Some((alg, digest)) = value.split_once(':')
                && let (Some(alg), Some(digest)) = (non_empty(alg), non_empty(digest))
            {
                c.hashes.push(Hash { alg, value: digest });
            }
        }
        "PackageLicenseConcluded" | "PackageLicenseDeclared" => {
            if let Some(text) = license_text(value) {
                c.licenses.push(text);
            }
        }
        "ExternalRef" => {
            let mut parts = value.split_whitespace();
            if let (Some(_category), Some(kind), Some(locator)) =
                (parts.next(), parts.next(), parts.next())
            {
                apply_external_ref(c, kind, locator);
            }
        }
        "PrimaryPackagePurpose" => c.kind = purpose(value),
        "BuiltDate" | "ReleaseDate" | "ValidUntilDate" => {
            if let Some(date) = non_empty(value) {
                // Same property names as the SPDX JSON reader ("validUntilDate", ...).
                let mut name = tag.to_owned();
                if let Some(first) = name.get_mut(..1) {
                    first.make_ascii_lowercase();
                }
                c.properties.push((name, date));
            }
        }
        _ => {}
    }
}

/// Splits the text into entries, joining `<text>` values that span lines. A line that is not
/// blank, not a comment and has no "Tag:" is an error naming its line.
fn tokenize(text: &str) -> Result<Vec<Entry<'_>>, SbomError> {
    let mut entries = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let line_no = to_u32(index + 1);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, rest)) = trimmed.split_once(':') else {
            return Err(SbomError::at(
                format!(
                    "expected \"Tag: value\", found \"{}\"",
                    trimmed.chars().take(60).collect::<String>()
                ),
                line_no,
                1,
            ));
        };
        let tag = tag.trim();
        if tag.is_empty() || tag.contains(char::is_whitespace) {
            return Err(SbomError::at(
                format!("\"{tag}\" is not a tag name; expected \"Tag: value\""),
                line_no,
                1,
            ));
        }
        let rest = rest.trim_start();
        let value = match rest.strip_prefix("<text>") {
            Some(body) => match body.find("</text>") {
                Some(end) => body.get(..end).unwrap_or_default().to_owned(),
                None => {
                    let mut value = body.to_owned();
                    let mut closed = false;
                    for (_, next) in lines.by_ref() {
                        value.push('\n');
                        if let Some(end) = next.find("</text>") {
                            value.push_str(next.get(..end).unwrap_or_default());
                            closed = true;
                            break;
                        }
                        value.push_str(next);
                    }
                    if !closed {
                        return Err(SbomError::at(
                            format!("the <text> value of {tag} is never closed with </text>"),
                            line_no,
                            1,
                        ));
                    }
                    value
                }
            },
            None => rest.to_owned(),
        };
        entries.push(Entry {
            tag,
            value,
            line: line_no,
        });
    }
    Ok(entries)
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(t.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\n\
        DocumentComment: <text>two\nlines: with colon</text>\n\
        Creator: Tool: x\nCreated: 2024-01-01T00:00:00Z\n\
        Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-P\n\
        # a comment\n\
        PackageName: p\nSPDXID: SPDXRef-P\nPackageVersion: 1.0\n\
        PackageSupplier: Organization: Acme\nPackageChecksum: SHA1: abc\n\
        PackageLicenseDeclared: NOASSERTION\nPackageLicenseConcluded: MIT\n\
        ExternalRef: PACKAGE-MANAGER purl pkg:npm/p@1.0\n\
        FileName: ./f.c\nSPDXID: SPDXRef-F\n\
        PackageName: q\nSPDXID: SPDXRef-Q\n\
        Relationship: SPDXRef-P DEPENDS_ON SPDXRef-Q\n";

    #[test]
    fn reads_packages_and_relationships() {
        let bom = read(DOC).unwrap();
        assert_eq!(bom.spec_version, "SPDX-2.3");
        assert_eq!(bom.components.len(), 2);
        let p = &bom.components[0];
        assert_eq!(p.bom_ref.as_deref(), Some("SPDXRef-P"));
        assert_eq!(p.supplier.as_deref(), Some("Acme"));
        assert_eq!(p.licenses, ["MIT"]);
        assert_eq!(p.purl.as_deref(), Some("pkg:npm/p@1.0"));
        assert_eq!(p.location.line, 9);
        assert_eq!(bom.components[1].bom_ref.as_deref(), Some("SPDXRef-Q"));
        assert_eq!(bom.subject.as_ref().map(|s| s.name.as_str()), Some("p"));
        assert_eq!(bom.dependencies.len(), 1);
    }

    #[test]
    fn unclosed_text_and_garbage_lines_are_errors() {
        let err = read("SPDXVersion: SPDX-2.3\nPackageComment: <text>never\nclosed\n")
            .err()
            .unwrap();
        assert_eq!(err.line, 2);
        let err = read("SPDXVersion: SPDX-2.3\nthis is not a tag line\n")
            .err()
            .unwrap();
        assert_eq!(err.line, 2);
    }
}
