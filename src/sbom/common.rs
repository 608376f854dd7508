//! Small value normalisers shared by every reader, so all formats agree on what "no license"
//! or "not affected" means.

/// Normalises a VEX state to "affected" | "not_affected" | "fixed" | "under_investigation".
///
/// CycloneDX analysis states map as: exploitable -> affected, in_triage -> under_investigation,
/// resolved / resolved_with_pedigree -> fixed, false_positive / not_affected -> not_affected.
/// OpenVEX statuses are already in the target vocabulary. Anything else is kept as written so
/// a check can point at it instead of it silently disappearing.
pub(crate) fn normalize_state(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let key = trimmed.to_ascii_lowercase().replace('-', "_");
    let state = match key.as_str() {
        "exploitable" | "affected" => "affected",
        "in_triage" | "under_investigation" => "under_investigation",
        "resolved" | "resolved_with_pedigree" | "fixed" => "fixed",
        "false_positive" | "not_affected" => "not_affected",
        _ => return Some(trimmed.to_owned()),
    };
    Some(state.to_owned())
}

/// A license text worth keeping: trimmed, not empty, not NOASSERTION or NONE.
pub(crate) fn license_text(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty()
        || trimmed.eq_ignore_ascii_case("NOASSERTION")
        || trimmed.eq_ignore_ascii_case("NONE")
    {
        None
    } else {
        Some(trimmed.to_owned())
    }
}

/// Drops repeated entries, keeping the first of each in order. Linear, so a hostile file with
/// a huge list cannot turn de-duplication into a hang.
pub(crate) fn dedup_in_order(list: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    list.into_iter()
        .filter(|item| seen.insert(item.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyclonedx_states_map_to_vex_states() {
        let cases = [
            ("exploitable", "affected"),
            ("in_triage", "under_investigation"),
            ("resolved", "fixed"),
            ("resolved_with_pedigree", "fixed"),
            ("false_positive", "not_affected"),
            ("not_affected", "not_affected"),
            ("under_investigation", "under_investigation"),
            ("Weird", "Weird"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_state(raw).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(normalize_state("  "), None);
    }

    #[test]
    fn dedup_keeps_first_order() {
        let list = ["b", "a", "b", "c", "a"].map(String::from).to_vec();
        assert_eq!(dedup_in_order(list), ["b", "a", "c"]);
    }

    #[test]
    fn placeholder_licenses_are_dropped() {
        assert_eq!(license_text("NOASSERTION"), None);
        assert_eq!(license_text("none"), None);
        assert_eq!(license_text(" MIT ").as_deref(), Some("MIT"));
    }
}
