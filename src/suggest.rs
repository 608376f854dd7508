//! "Did you mean …?" suggestions.

/// The candidate closest to `input`, if it is close enough to be a plausible typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    // (distance, longer shared prefix first, candidate): ties go to the candidate that starts
    // like the input, so `T-34` suggests `T-34X` (a renamed ID) before `T-04`.
    let mut best: Option<(usize, usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == input {
            continue;
        }
        let candidate_lower = candidate.to_lowercase();
        let distance = strsim::levenshtein(&input_lower, &candidate_lower);
        let limit = (input.chars().count().max(candidate.chars().count()) / 3).max(2);
        let prefix = input_lower
            .chars()
            .zip(candidate_lower.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let better = match best {
            None => true,
            Some((d, p, _)) => distance < d || (distance == d && prefix > p),
        };
        if distance <= limit && better {
            best = Some((distance, prefix, candidate));
        }
    }
    best.map(|(_, _, c)| c)
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
        assert_eq!(closest("T-34", ["T-04", "T-34X"]), Some("T-34X"));
        assert_eq!(closest("titel", ["title", "targets"]), Some("title"));
        assert_eq!(closest("zzzzzz", ["title"]), None);
    }
}
