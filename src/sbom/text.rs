//! Bytes to text, and byte offsets to line/column.
//!
//! Real SBOMs arrive as UTF-8 with or without a byte-order mark, and now and then as UTF-16
//! (Windows tools). Everything after this module works on `&str`, so positions are computed on
//! the decoded text: lines and columns (in characters) are the same as in the original file.

use std::borrow::Cow;

use super::error::SbomError;

/// Decodes UTF-8 (with or without BOM) and UTF-16 LE/BE (with BOM, or without one when the
/// first characters are plainly ASCII in UTF-16). Invalid text is an error that names the byte
/// offset in the original bytes and the line.
pub fn decode_text(bytes: &[u8]) -> Result<String, SbomError> {
    decode(bytes).map(Cow::into_owned)
}

/// [`decode_text`] without a copy when the bytes already are BOM-less UTF-8 (the common case,
/// and the one that matters for a 100 MB SBOM).
pub(crate) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, SbomError> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => Err(SbomError::new(
            "the file is UTF-32 encoded, which is not supported; save it as UTF-8",
        )),
        [0xEF, 0xBB, 0xBF, rest @ ..] => decode_utf8(rest, 3),
        [0xFF, 0xFE, rest @ ..] => decode_utf16(rest, 2, true),
        [0xFE, 0xFF, rest @ ..] => decode_utf16(rest, 2, false),
        [a, 0, b, 0, ..] if a.is_ascii() && *a != 0 && b.is_ascii() && *b != 0 => {
            decode_utf16(bytes, 0, true)
        }
        [0, a, 0, b, ..] if a.is_ascii() && *a != 0 && b.is_ascii() && *b != 0 => {
            decode_utf16(bytes, 0, false)
        }
        _ => decode_utf8(bytes, 0),
    }
}

fn decode_utf8(bytes: &[u8], base: usize) -> Result<Cow<'_, str>, SbomError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(err) => {
            let good = err.valid_up_to();
            let valid = bytes.get(..good).unwrap_or_default();
            // The prefix is valid UTF-8 by definition of `valid_up_to`.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            let (line, column) = line_col(prefix, prefix.len());
            let byte = bytes.get(good).copied().unwrap_or_default();
            Err(SbomError::at(
                format!(
                    "the file is not valid UTF-8: byte 0x{byte:02X} at offset {} (line {line}) \
                     does not start a character; save the file as UTF-8",
                    base + good
                ),
                line,
                column,
            ))
        }
    }
}

fn decode_utf16(
    bytes: &[u8],
    base: usize,
    little_endian: bool,
) -> Result<Cow<'static, str>, SbomError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(SbomError::new(format!(
            "the file looks like UTF-16 but has an odd number of bytes ({}); it is truncated or \
             not UTF-16",
            base + bytes.len()
        )));
    }
    let units = bytes.chunks_exact(2).map(|pair| match pair {
        [a, b] if little_endian => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut unit_index = 0usize;
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(ch) => {
                unit_index += ch.len_utf16();
                text.push(ch);
            }
            Err(err) => {
                let (line, column) = line_col(&text, text.len());
                return Err(SbomError::at(
                    format!(
                        "the file is not valid UTF-16: unpaired surrogate 0x{:04X} at byte offset \
                         {} (line {line})",
                        err.unpaired_surrogate(),
                        base + unit_index * 2
                    ),
                    line,
                    column,
                ));
            }
        }
    }
    Ok(Cow::Owned(text))
}

/// 1-based line and column (in characters) of a byte offset, by one scan of the text. For many
/// lookups in one text use [`LineIndex`].
pub(crate) fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let head = text.as_bytes().get(..offset).unwrap_or_default();
    let line = head.iter().filter(|b| **b == b'\n').count() + 1;
    let start = head.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
    let column = count_chars(head.get(start..).unwrap_or_default()) + 1;
    (to_u32(line), to_u32(column))
}

/// Line starts of one text, for fast offset-to-position lookups (binary search).
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    /// The last answer (offset, line start, 0-based column): positions are asked in document
    /// order, so counting on from it keeps a one-line, 20 MB SBOM linear instead of quadratic.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            text,
            starts,
            last: std::cell::Cell::new((0, 0, 0)),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|start| *start <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let bytes = self.text.as_bytes();
        let (last_offset, last_start, last_column) = self.last.get();
        let column = if last_start == start && (start..=offset).contains(&last_offset) {
            last_column + count_chars(bytes.get(last_offset..offset).unwrap_or_default())
        } else {
            count_chars(bytes.get(start..offset).unwrap_or_default())
        };
        self.last.set((offset, start, column));
        (to_u32(line), to_u32(column + 1))
    }
}

fn count_chars(bytes: &[u8]) -> usize {
    // Count bytes that start a UTF-8 sequence (not 0b10xx_xxxx continuation bytes).
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode_text(b"abc").unwrap(), "abc");
        assert_eq!(decode_text(b"\xEF\xBB\xBFabc").unwrap(), "abc");
        assert_eq!(decode_text(b"").unwrap(), "");
    }

    #[test]
    fn utf16_both_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("h\u{e9}!".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_text(&le).unwrap(), "h\u{e9}!");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("{}".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode_text(&be).unwrap(), "{}");
        let no_bom: Vec<u8> = "{\"a\"}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode_text(&no_bom).unwrap(), "{\"a\"}");
    }

    #[test]
    fn invalid_utf8_names_offset_and_line() {
        let err = decode_text(b"ab\ncd\xFFe").unwrap_err();
        assert_eq!((err.line, err.column), (2, 3));
        assert!(err.message.contains("offset 5"), "{}", err.message);
        assert!(err.message.contains("0xFF"));
    }

    #[test]
    fn invalid_utf16_is_an_error() {
        assert!(decode_text(&[0xFF, 0xFE, 0x41]).is_err());
        assert!(decode_text(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]).is_err());
    }

    #[test]
    fn line_index_matches_line_col() {
        let text = "a\nbé\n\ncd";
        let index = LineIndex::new(text);
        for offset in [0, 1, 2, 3, 5, 6, 7, 8, 9, 100] {
            assert_eq!(
                index.position(offset),
                line_col(text, offset),
                "offset {offset}"
            );
        }
        assert_eq!(index.position(5), (2, 3));
    }
}
