//! "Did you mean …?" suggestions.

/// The candidate closest to `input`, if it is close enough to be a plausible typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == input {
            continue;
        }
        let distance = strsim::levenshtein(&input_lower, &candidate.to_lowercase());
        let limit = (input.chars().count().max(candidate.chars().count()) / 3).max(2);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// "did you mean `x`?" or nothing.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_ids() {
        assert_eq!(closest("T-9", ["T-1", "T-8", "R-9x"]), Some("T-1"));
        assert_eq!(closest("titel", ["title", "targets"]), Some("title"));
        assert_eq!(closest("zzzzzz", ["title"]), None);
    }
}
