//! Support data (FDA "level of support" and "end of support") read from component properties.
//!
//! No SBOM format has fields for these yet, so manufacturers put them in properties, spelled
//! many ways: "Level of Support", "levelOfSupport", "fda:level-of-support", "End-of-Support",
//! "eos", "end-of-life"... Names are compared after dropping any "namespace:" prefix, case and
//! punctuation.

use super::model::Component;

enum SupportField {
    Level,
    End,
}

fn classify(name: &str) -> Option<SupportField> {
    let last = name.rsplit(':').next().unwrap_or(name);
    let key: String = last
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match key.as_str() {
        "levelofsupport" | "supportlevel" | "levelsupport" | "supportstatus" => {
            Some(SupportField::Level)
        }
        "endofsupport" | "endofsupportdate" | "eos" | "eosdate" | "supportend"
        | "supportenddate" | "supportuntil" | "supporteduntil" | "endoflife" | "endoflifedate"
        | "eol" | "eoldate" | "endofservicelife" => Some(SupportField::End),
        _ => None,
    }
}

/// (level of support, end of support) as written in the first matching non-empty property of
/// each kind.
pub fn support_properties(c: &Component) -> (Option<String>, Option<String>) {
    let mut level = None;
    let mut end = None;
    for (name, value) in &c.properties {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match classify(name) {
            Some(SupportField::Level) if level.is_none() => level = Some(value.to_owned()),
            Some(SupportField::End) if end.is_none() => end = Some(value.to_owned()),
            _ => {}
        }
    }
    (level, end)
}

/// Why support data is missing or unknown, as dossier's own export writes it
/// (`fda:support-justification`), so an exported SBOM reads back with its justifications.
pub fn support_justification(c: &Component) -> Option<String> {
    c.properties.iter().find_map(|(name, value)| {
        let key: String = name
            .rsplit(':')
            .next()
            .unwrap_or(name)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        (key == "supportjustification" && !value.trim().is_empty()).then(|| value.trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(props: &[(&str, &str)]) -> Component {
        Component {
            properties: props
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            ..Component::default()
        }
    }

    #[test]
    fn accepts_common_spellings() {
        for name in [
            "Level of Support",
            "levelOfSupport",
            "support-level",
            "fda:level-of-support",
        ] {
            assert_eq!(
                support_properties(&with(&[(name, "x")])).0.as_deref(),
                Some("x"),
                "{name}"
            );
        }
        for name in [
            "End-of-Support",
            "endOfSupport",
            "end of support",
            "eos",
            "end-of-life",
            "cdx:device:EOL",
        ] {
            assert_eq!(
                support_properties(&with(&[(name, "2030")])).1.as_deref(),
                Some("2030"),
                "{name}"
            );
        }
    }

    #[test]
    fn ignores_others_and_empty_values() {
        let c = with(&[("support", "x"), ("End-of-Support", " "), ("eol", "2031")]);
        assert_eq!(support_properties(&c), (None, Some("2031".to_owned())));
    }
}
