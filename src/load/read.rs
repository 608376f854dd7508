//! Reading one file from disk into text: size limit, encoding, and the findings for each failure.

use crate::finding::{Finding, Location};
use crate::source::line_col;
use std::io::Read;
use std::path::Path;

/// The largest YAML file the loader reads. Real content files are kilobytes; anything this big
/// is a mistake (a log or a dump saved as .yaml) and would only slow every run down.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a file as text. `rel` is its project-relative name, for findings.
pub fn read_text(path: &Path, rel: &str) -> Result<String, Box<Finding>> {
    let io_error = |e: std::io::Error| {
        Finding::new("L006", format!("cannot read `{rel}`: {e}"))
            .at(Some(Location::file(rel)))
            .help("check the file's permissions")
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    if size > MAX_FILE_BYTES {
        return Err(too_large(rel, size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // Read at most one byte past the limit, in case the file grew after the size check.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(rel, bytes.len() as u64));
    }
    decode(&bytes, rel)
}

fn too_large(rel: &str, size: u64) -> Box<Finding> {
    Box::new(Finding::new(
        "L004",
        format!(
            "`{rel}` is {:.1} MiB; dossier reads YAML files up to {} MiB",
            size as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
    .at(Some(Location::file(rel)))
    .help("split the content into smaller files, or move the file out of the project (or list it under `exclude:` in dossier.yaml)"))
}

/// Decodes UTF-8 (with or without a byte order mark) or UTF-16 with a byte order mark.
pub fn decode(bytes: &[u8], rel: &str) -> Result<String, Box<Finding>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, rel);
    }
    let utf16 = if bytes.starts_with(b"\xFF\xFE") {
        Some(encoding_rs::UTF_16LE)
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    };
    if let Some(encoding) = utf16 {
        let (text, had_errors) = encoding.decode_with_bom_removal(&bytes[2..]);
        if had_errors {
            return Err(Finding::new(
                "L002",
                format!("`{rel}` starts with a UTF-16 byte order mark but is not valid UTF-16"),
            )
            .at(Some(Location::file(rel)))
            .help("save the file as UTF-8")
            .into());
        }
        return Ok(text.into_owned());
    }
    utf8(bytes, rel)
}

fn utf8(bytes: &[u8], rel: &str) -> Result<String, Box<Finding>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(error) => {
            let good = error.valid_up_to();
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
            let (line, column) = line_col(prefix, good);
            let byte = bytes.get(good).copied().unwrap_or(0);
            Err(Finding::new(
                "L002",
                format!(
                    "`{rel}` is not UTF-8 text: byte 0x{byte:02X} at offset {good} cannot start or continue a character"
                ),
            )
            .at(Some(Location {
                file: rel.to_string(),
                line,
                column,
                len: 1,
            }))
            .help("save the file as UTF-8; if it is not a dossier file, move it out of the project or list it under `exclude:`")
            .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let finding = decode(b"a: 1\nb: \xFF\n", "x.yaml").unwrap_err();
        assert_eq!(finding.code, "L002");
        let loc = finding.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 4));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "a: é\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes, "x.yaml").unwrap(), "a: é\n");
    }

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1", "x.yaml").unwrap(), "a: 1");
    }
}
