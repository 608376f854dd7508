//! Reading real-world SBOM and VEX files: CycloneDX JSON and XML, SPDX 2.x JSON and tag-value,
//! OpenVEX, plus the CISA KEV catalog; and writing a CycloneDX 1.6 SBOM.
//!
//! Every format is normalised into one [`Bom`], so checks never care where data came from. The
//! format is detected from the content (the file name is only used in messages). Readers are
//! lenient about what real tools get wrong but harmless, and precise about what they cannot
//! read: every failure is an [`SbomError`] with a reason and, when known, a line, column and
//! path. No input makes them panic, and a file over [`MAX_FILE_BYTES`] is refused before it is
//! read into memory.
//!
//! Layout: `text` (encodings, positions), `json` and `xml` (parsing plumbing), `detect` (which
//! JSON dialect), one reader per format, `kev`, `support` and `summary` (derived data),
//! `export` (CycloneDX 1.6 out).

mod common;
mod cyclonedx_json;
mod cyclonedx_xml;
mod detect;
mod error;
mod export;
mod json;
mod kev;
mod model;
mod openvex;
pub mod project;
mod spdx_common;
mod spdx_json;
mod spdx_tag;
mod summary;
mod support;
mod text;
mod xml;

use std::io::Read;

pub use error::SbomError;
pub use export::{ExportBom, ExportComponent, export_cyclonedx_16};
pub use kev::{Kev, read_kev};
pub use model::{Bom, Component, Dependency, Hash, Rating, SbomFormat, SourcePos, Vulnerability};
pub use summary::{Summary, summarize};
pub use support::{support_justification, support_properties};
pub use text::decode_text;

/// Largest file the readers accept (256 MiB); real SBOMs are far smaller, and this keeps a
/// mistaken path (a disk image, a log) from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a file and detects its format from the content.
pub fn read_file(path: &std::path::Path) -> Result<Bom, SbomError> {
    let file = std::fs::File::open(path)
        .map_err(|err| SbomError::new(format!("cannot open it: {}", crate::io_reason(&err))))?;
    if let Ok(meta) = file.metadata() {
        if meta.is_dir() {
            return Err(SbomError::new(
                "it is a folder, not an SBOM file".to_string(),
            ));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(too_large(meta.len()));
        }
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| SbomError::new(format!("cannot read {}: {err}", path.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    read_bytes(&bytes, &name)
}

/// Detects encoding and format from the content and reads it. `file_name` is only a hint for
/// messages.
pub fn read_bytes(bytes: &[u8], file_name: &str) -> Result<Bom, SbomError> {
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > MAX_FILE_BYTES {
        return Err(too_large(len));
    }
    let text = text::decode(bytes)?;
    let start = text.trim_start();
    match start.as_bytes().first() {
        None => Err(SbomError::new("the file is empty")),
        Some(b'{' | b'[') => detect::read_json(&text),
        Some(b'<') => cyclonedx_xml::read(&text),
        Some(_) if spdx_tag::looks_like(&text) => spdx_tag::read(&text),
        Some(_) => Err(unrecognised(start, file_name)),
    }
}

fn unrecognised(start: &str, file_name: &str) -> SbomError {
    let lower = file_name.to_ascii_lowercase();
    let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    let message = if start
        .lines()
        .take(50)
        .any(|l| l.trim_start().starts_with("spdxVersion:"))
    {
        "this looks like SPDX YAML, which is not supported; convert it to SPDX JSON or tag-value"
            .to_owned()
    } else if yaml {
        format!(
            "{file_name} looks like YAML; SBOMs are read as CycloneDX JSON/XML, SPDX JSON/tag-value or OpenVEX JSON"
        )
    } else {
        "not a recognised SBOM: expected CycloneDX JSON or XML, SPDX JSON or tag-value, or \
         OpenVEX JSON"
            .to_owned()
    };
    SbomError::at(message, 1, 1)
}

pub(crate) fn too_large(len: u64) -> SbomError {
    SbomError::new(format!(
        "the file is {len} bytes; files over {MAX_FILE_BYTES} bytes (256 MiB) are not read"
    ))
}
