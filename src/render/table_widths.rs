//! Column widths of the PDF's tables, worked out here rather than in Typst (where measuring
//! every table's words doubled the time of a build). Each column gets a share of the width in
//! proportion to its average text, but never less than its longest unbreakable piece, so no
//! word spills into the next column; when even those minimums do not fit, the table is set in
//! smaller type.

use super::blocks::Inline;

/// Width of the text area of the default template: US Letter less 2.2 cm margins, in points.
const TEXT_AREA: f64 = 8.5 * 72.0 - 2.0 * 2.2 * 72.0 / 2.54;
/// Table text size in points, and the padding of a cell (both sides) plus a little slack.
const FONT: f64 = 8.5;
const PADDING: f64 = 9.0;
/// The template breaks runs of characters longer than this (see `soft` in package.typ).
const LONGEST_RUN: usize = 20;
/// Rows looked at: enough to know a column, cheap on a 10,000-row SBOM table.
const SAMPLE_ROWS: usize = 40;
/// The smallest type a table is set in, as a share of the normal size.
const MIN_SCALE: f64 = 0.7;

/// Widths (in points, used by the template as fractions of the line) and the type scale.
pub fn layout(header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) -> (Vec<f64>, f64) {
    let columns = header.len();
    if columns == 0 {
        return (Vec::new(), 1.0);
    }
    let mut weights = Vec::with_capacity(columns);
    let mut minimums = Vec::with_capacity(columns);
    for (column, head) in header.iter().enumerate() {
        let cells = std::iter::once(head).chain(
            rows.iter()
                .take(SAMPLE_ROWS)
                .filter_map(|row| row.get(column)),
        );
        let (mut total, mut count, mut widest) = (0usize, 0usize, 0.0f64);
        for cell in cells {
            let mut pieces = Pieces::default();
            pieces.add(cell, false);
            total += pieces.chars;
            count += 1;
            widest = widest.max(pieces.widest);
        }
        // The average, not the longest: one long cell should not take the room of a column
        // that is long in every row.
        weights.push((total as f64 / count.max(1) as f64).clamp(6.0, 120.0));
        minimums.push(widest + PADDING);
    }
    share(&weights, &minimums)
}

/// Proportional shares of the text area; a column whose share is below its minimum gets the
/// minimum, and the rest is shared again among the others.
fn share(weights: &[f64], minimums: &[f64]) -> (Vec<f64>, f64) {
    let columns = weights.len();
    let mut fixed = vec![false; columns];
    for _ in 0..=columns {
        let free = TEXT_AREA
            - (0..columns)
                .filter(|&c| fixed[c])
                .map(|c| minimums[c])
                .sum::<f64>();
        let total: f64 = (0..columns)
            .filter(|&c| !fixed[c])
            .map(|c| weights[c])
            .sum();
        if total <= 0.0 || free <= 0.0 {
            break;
        }
        let widths: Vec<f64> = (0..columns)
            .map(|c| {
                if fixed[c] {
                    minimums[c]
                } else {
                    free * weights[c] / total
                }
            })
            .collect();
        let short: Vec<usize> = (0..columns)
            .filter(|&c| !fixed[c] && widths[c] < minimums[c])
            .collect();
        if short.is_empty() {
            return (widths, 1.0);
        }
        for c in short {
            fixed[c] = true;
        }
    }
    // Even the minimums do not fit: smaller type. The words shrink with it, the cell padding
    // does not, so the scale is what makes the words plus the fixed padding fit.
    let words: Vec<f64> = minimums.iter().map(|m| m - PADDING).collect();
    let room = TEXT_AREA - PADDING * columns as f64;
    let scale = (room / words.iter().sum::<f64>().max(1.0)).clamp(MIN_SCALE, 1.0);
    (words.iter().map(|w| w * scale + PADDING).collect(), scale)
}

/// What a cell holds, for its column: its length in characters and its widest piece that
/// cannot break.
#[derive(Default)]
struct Pieces {
    chars: usize,
    widest: f64,
}

impl Pieces {
    fn add(&mut self, inlines: &[Inline], code: bool) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => self.text(text, code),
                Inline::Code { text } => self.text(text, true),
                Inline::Strong { content }
                | Inline::Emph { content }
                | Inline::Strike { content }
                | Inline::Link { content, .. } => self.add(content, code),
                Inline::Anchor { .. } | Inline::Break => {}
            }
        }
    }

    fn text(&mut self, text: &str, code: bool) {
        self.chars += text.chars().count();
        for word in text.split_whitespace() {
            for piece in unbreakable(word) {
                let width = if code {
                    // Monospace: every character 0.6 em.
                    piece.chars().count() as f64 * 0.6 * FONT
                } else {
                    serif_width(piece)
                };
                self.widest = self.widest.max(width);
            }
        }
    }
}

/// Words up to this long are kept whole, so IDs such as `C-AUTHN-01` do not break at their
/// hyphens.
const WHOLE_WORD: usize = 12;

/// The parts of a word a line cannot break inside: it breaks after a slash and after a hyphen
/// followed by a letter (not in `2026-08-20`), and the template breaks runs longer than 20.
/// Short words count whole (see `WHOLE_WORD`).
fn unbreakable(word: &str) -> Vec<&str> {
    if word.chars().count() <= WHOLE_WORD {
        return vec![word];
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = word.char_indices().peekable();
    let mut run = 0;
    while let Some((i, c)) = chars.next() {
        run += 1;
        let next = chars.peek().map(|&(_, n)| n);
        let breaks_after =
            c == '/' || (c == '-' && next.is_some_and(char::is_alphabetic)) || run == LONGEST_RUN;
        if breaks_after {
            let end = i + c.len_utf8();
            pieces.push(&word[start..end]);
            start = end;
            run = 0;
        }
    }
    if start < word.len() {
        pieces.push(&word[start..]);
    }
    pieces
}

/// The width of a word in bold serif at the table size, from its letters (capitals and digits
/// are wide, lower case narrower, punctuation narrow).
fn serif_width(word: &str) -> f64 {
    word.chars()
        .map(|c| {
            if c.is_uppercase() || c.is_ascii_digit() || matches!(c, '@' | '%') {
                0.68
            } else if c.is_alphabetic() {
                0.52
            } else {
                0.4
            }
        })
        .sum::<f64>()
        * FONT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> Vec<Inline> {
        vec![Inline::Text { text: text.into() }]
    }

    #[test]
    fn pieces_break_where_lines_break() {
        assert_eq!(unbreakable("PUMP-SUPERVISOR"), ["PUMP-", "SUPERVISOR"]);
        assert_eq!(unbreakable("C-AUTHN-01"), ["C-AUTHN-01"]);
        assert_eq!(unbreakable("2026-08-20"), ["2026-08-20"]);
        assert_eq!(
            unbreakable("https://example.org/a"),
            ["https:/", "/", "example.org/", "a"]
        );
        assert_eq!(unbreakable(&"x".repeat(45)).len(), 3);
    }

    #[test]
    fn long_columns_get_the_room_and_no_word_is_cut() {
        let header = vec![cell("ID"), cell("Kind"), cell("Requirement")];
        let rows: Vec<Vec<Vec<Inline>>> = (0..5)
            .map(|_| {
                vec![
                    cell("C-AUTHN-01"),
                    cell("design"),
                    cell(&"a requirement with many words ".repeat(8)),
                ]
            })
            .collect();
        let (widths, scale) = layout(&header, &rows);
        assert_eq!(scale, 1.0);
        assert!(widths[2] > widths[0] + widths[1], "{widths:?}");
        assert!(widths[1] >= serif_width("design") + PADDING, "{widths:?}");
        assert!((widths.iter().sum::<f64>() - TEXT_AREA).abs() < 0.01);
    }

    #[test]
    fn too_many_wide_columns_shrink_the_type() {
        let header: Vec<Vec<Inline>> = (0..12).map(|_| cell("SUPERVISORS")).collect();
        let (widths, scale) = layout(&header, &[]);
        assert_eq!(widths.len(), 12);
        assert!((MIN_SCALE..1.0).contains(&scale), "{scale}");
        // When the smaller type suffices, the words at that size plus the padding fill the line.
        let header: Vec<Vec<Inline>> = (0..8).map(|_| cell("SUPERVISORS")).collect();
        let (widths, scale) = layout(&header, &[]);
        assert!(scale > MIN_SCALE && scale < 1.0, "{scale}");
        assert!(
            (widths.iter().sum::<f64>() - TEXT_AREA).abs() < 0.01,
            "{widths:?}"
        );
        let word = serif_width("SUPERVISORS") * scale;
        assert!(widths.iter().all(|w| *w >= word + PADDING - 0.01));
    }
}
