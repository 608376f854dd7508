//! What SPDX JSON and SPDX tag-value share: version check, supplier text, external references,
//! and turning relationships into a subject and dependency lists.

use std::collections::{HashMap, HashSet};

use super::model::{Component, Dependency};

/// SPDX 2.x versions this reader understands.
const VERSIONS: [&str; 4] = ["SPDX-2.0", "SPDX-2.1", "SPDX-2.2", "SPDX-2.3"];

/// Checks the spdxVersion text; the error says what was found and what is expected.
pub(crate) fn check_version(raw: &str) -> Result<String, String> {
    let version = raw.trim();
    if VERSIONS.contains(&version) {
        return Ok(version.to_owned());
    }
    if version.starts_with("SPDX-3") {
        return Err("SPDX 3.0 is not supported yet; export the SBOM as SPDX 2.3".to_owned());
    }
    Err(format!(
        "\"{version}\" is not a known SPDX version (expected SPDX-2.0 to SPDX-2.3)"
    ))
}

/// "Organization: Acme (ops@acme.example)" -> "Acme (ops@acme.example)"; NOASSERTION -> None.
pub(crate) fn party(raw: &str) -> Option<String> {
    let mut text = raw.trim();
    for prefix in ["Organization:", "Person:", "Tool:"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest.trim();
            break;
        }
    }
    let text = text.strip_suffix("()").unwrap_or(text).trim();
    if text.is_empty()
        || text.eq_ignore_ascii_case("NOASSERTION")
        || text.eq_ignore_ascii_case("NONE")
    {
        None
    } else {
        Some(text.to_owned())
    }
}

/// SPDX primaryPackagePurpose in CycloneDX spelling ("OPERATING-SYSTEM" -> "operating-system"),
/// so checks can compare kinds across formats.
pub(crate) fn purpose(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.is_empty() {
        None
    } else {
        Some(t.to_ascii_lowercase().replace('_', "-"))
    }
}

/// Applies one externalRef (category, type, locator) to a package: the first purl, CPE and SWID
/// win. Categories are ignored, so "PACKAGE-MANAGER" (a common misspelling) works too.
pub(crate) fn apply_external_ref(component: &mut Component, kind: &str, locator: &str) {
    let locator = locator.trim();
    if locator.is_empty() {
        return;
    }
    let slot = match kind.trim() {
        "purl" => &mut component.purl,
        "cpe23Type" | "cpe22Type" => &mut component.cpe,
        "swid" => &mut component.swid,
        _ => return,
    };
    if slot.is_none() {
        *slot = Some(locator.to_owned());
    }
}

/// One relationship as written: (spdxElementId, relationshipType, relatedSpdxElement).
pub(crate) type Relationship = (String, String, String);

/// How an SPDX relationship type reads as a dependency edge: `Some((reversed, forward type))`,
/// or `None` for the types that say nothing about what a package needs (ANCESTOR_OF,
/// VARIANT_OF, GENERATED_FROM, DOCUMENTATION_OF, ...). "A DEPENDENCY_OF B" means B depends on
/// A, so it is turned round to "B DEPENDS_ON A"; Yocto writes its SBOMs this way.
fn dependency_edge(kind: &str) -> Option<(bool, &'static str)> {
    Some(match kind {
        "DEPENDS_ON" => (false, "DEPENDS_ON"),
        "CONTAINS" => (false, "CONTAINS"),
        "STATIC_LINK" => (false, "STATIC_LINK"),
        "DYNAMIC_LINK" => (false, "DYNAMIC_LINK"),
        "HAS_PREREQUISITE" => (false, "HAS_PREREQUISITE"),
        "DEPENDENCY_OF"
        | "BUILD_DEPENDENCY_OF"
        | "DEV_DEPENDENCY_OF"
        | "OPTIONAL_DEPENDENCY_OF"
        | "PROVIDED_DEPENDENCY_OF"
        | "TEST_DEPENDENCY_OF"
        | "RUNTIME_DEPENDENCY_OF" => (true, "DEPENDS_ON"),
        "CONTAINED_BY" | "PACKAGE_OF" => (true, "CONTAINS"),
        "PREREQUISITE_FOR" => (true, "HAS_PREREQUISITE"),
        _ => return None,
    })
}

/// The described package and the dependency lists.
///
/// The subject is the first package named by documentDescribes, then by
/// "DOCUMENT DESCRIBES x", then by "x DESCRIBED_BY DOCUMENT". Every dependency relationship
/// becomes an edge from the dependent (see `dependency_edge`), grouped by (from, type) in
/// first-seen order; other relationships and NONE / NOASSERTION targets are dropped.
pub(crate) fn resolve(
    components: &[Component],
    document_id: &str,
    described: &[String],
    relationships: Vec<Relationship>,
) -> (Option<Component>, Vec<Dependency>) {
    let mut candidates: Vec<&str> = described.iter().map(String::as_str).collect();
    for (from, kind, to) in &relationships {
        if kind == "DESCRIBES" && from == document_id {
            candidates.push(to);
        } else if kind == "DESCRIBED_BY" && to == document_id {
            candidates.push(from);
        }
    }
    let subject = candidates.iter().find_map(|id| {
        components
            .iter()
            .find(|c| c.bom_ref.as_deref() == Some(*id))
            .cloned()
    });

    let mut dependencies: Vec<Dependency> = Vec::new();
    let mut slots: HashMap<(String, String), usize> = HashMap::new();
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    for (from, kind, to) in relationships {
        let Some((reversed, kind)) = dependency_edge(&kind) else {
            continue;
        };
        if [&from, &to]
            .iter()
            .any(|end| end.eq_ignore_ascii_case("NONE") || end.eq_ignore_ascii_case("NOASSERTION"))
        {
            continue;
        }
        let (from, to) = if reversed { (to, from) } else { (from, to) };
        let kind = kind.to_string();
        if !seen.insert((from.clone(), kind.clone(), to.clone())) {
            continue;
        }
        let key = (from, kind);
        match slots.get(&key).and_then(|i| dependencies.get_mut(*i)) {
            Some(existing) => existing.to.push(to),
            None => {
                slots.insert(key.clone(), dependencies.len());
                dependencies.push(Dependency {
                    from: key.0,
                    to: vec![to],
                    relationship: key.1,
                });
            }
        }
    }
    (subject, dependencies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn party_strips_prefix_and_placeholders() {
        assert_eq!(party("Organization: Acme ()").as_deref(), Some("Acme"));
        assert_eq!(
            party("Person: Jane (jane@x.example)").as_deref(),
            Some("Jane (jane@x.example)")
        );
        assert_eq!(party("NOASSERTION"), None);
    }

    #[test]
    fn relationships_give_subject_and_grouped_dependencies() {
        let comps: Vec<Component> = ["A", "B", "C"]
            .iter()
            .map(|id| Component {
                bom_ref: Some(format!("SPDXRef-{id}")),
                name: id.to_string(),
                ..Component::default()
            })
            .collect();
        let rel = |a: &str, k: &str, b: &str| (a.to_owned(), k.to_owned(), b.to_owned());
        let (subject, deps) = resolve(
            &comps,
            "SPDXRef-DOCUMENT",
            &[],
            vec![
                rel("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-B"),
                rel("SPDXRef-B", "DEPENDS_ON", "SPDXRef-A"),
                rel("SPDXRef-B", "DEPENDS_ON", "SPDXRef-C"),
                rel("SPDXRef-B", "CONTAINS", "NOASSERTION"),
            ],
        );
        assert_eq!(subject.unwrap().name, "B");
        assert_eq!(deps.len(), 1);
        assert_eq!(deps[0].to, ["SPDXRef-A", "SPDXRef-C"]);
    }

    #[test]
    fn reverse_relationships_point_from_the_dependent() {
        let rel = |a: &str, k: &str, b: &str| (a.to_owned(), k.to_owned(), b.to_owned());
        let (_, deps) = resolve(
            &[],
            "SPDXRef-DOCUMENT",
            &[],
            vec![
                rel("SPDXRef-A", "DEPENDENCY_OF", "SPDXRef-B"),
                rel("SPDXRef-C", "RUNTIME_DEPENDENCY_OF", "SPDXRef-B"),
                rel("SPDXRef-D", "CONTAINED_BY", "SPDXRef-B"),
                rel("SPDXRef-B", "VARIANT_OF", "SPDXRef-E"),
                rel("SPDXRef-B", "GENERATED_FROM", "SPDXRef-F"),
            ],
        );
        let edges: Vec<(&str, &str, Vec<&str>)> = deps
            .iter()
            .map(|d| {
                let to = d.to.iter().map(String::as_str).collect();
                (d.from.as_str(), d.relationship.as_str(), to)
            })
            .collect();
        assert_eq!(
            edges,
            [
                ("SPDXRef-B", "DEPENDS_ON", vec!["SPDXRef-A", "SPDXRef-C"]),
                ("SPDXRef-B", "CONTAINS", vec!["SPDXRef-D"]),
            ]
        );
    }
}
