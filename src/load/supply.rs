//! Reading the files the `sbom` section names (SBOMs, VEX files, the KEV catalog) into the
//! project's software inventory, and resolving each component's support data.

use crate::finding::{Finding, Location};
use crate::model::*;
use crate::sbom::{self, Bom};
use std::path::PathBuf;

/// Fills `project.inventory`; problems become findings.
pub fn read(project: &mut Project, findings: &mut Vec<Finding>) {
    let Some(section) = project.sbom.clone() else {
        return;
    };
    let mut inventory = Inventory::default();
    for source in &section.sources {
        let Some(path) = resolve(project, source, findings) else {
            continue;
        };
        match sbom::read_file(&path) {
            Ok(bom) => add_bom(&mut inventory, &source.value, bom),
            Err(error) => findings.push(unreadable(project, source, &error)),
        }
    }
    let listed_in_sboms = inventory.vulnerabilities.len();
    for source in &section.vex {
        let Some(path) = resolve(project, source, findings) else {
            continue;
        };
        match sbom::read_file(&path) {
            Ok(bom) => add_vulnerabilities(&mut inventory, &source.value, &bom),
            Err(error) => findings.push(unreadable(project, source, &error)),
        }
    }
    if let Some(source) = &section.kev_catalog
        && let Some(path) = resolve(project, source, findings)
    {
        match std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| sbom::read_kev(&bytes).map_err(|e| e.to_string()))
        {
            Ok(kev) => {
                inventory.kev = Some(KevCatalog {
                    path: source.value.clone(),
                    version: kev.catalog_version,
                    released: kev.date_released,
                    cves: kev.cves,
                })
            }
            Err(error) => findings.push(
                Finding::new(
                    "S001",
                    format!("cannot read the KEV catalog `{}`: {error}", source.value),
                )
                .at(Some(project.sources.location(source.pos)))
                .help("download the catalog JSON from CISA and keep a copy in the project"),
            ),
        }
    }
    for component in &section.components {
        inventory
            .components
            .push(inline_component(project, component));
    }
    apply_overlay(project, &section, &mut inventory, findings);
    assessed_by_vex(&mut inventory, listed_in_sboms);
    mark_dependencies(&mut inventory);
    project.inventory = inventory;
}

/// The path of a file the project names, if it exists inside the project (else R005).
pub(super) fn resolve(
    project: &Project,
    source: &Located<String>,
    findings: &mut Vec<Finding>,
) -> Option<PathBuf> {
    let location = Some(project.sources.location(source.pos));
    let path = project.root.join(&source.value);
    let real = match std::fs::canonicalize(&path) {
        Ok(real) => real,
        Err(_) => {
            findings.push(
                Finding::new("R005", format!("`{}` does not exist", source.value))
                    .at(location)
                    .help("paths are relative to the project root"),
            );
            return None;
        }
    };
    if !real.starts_with(&project.root) {
        findings.push(
            Finding::new(
                "R005",
                format!(
                    "`{}` is outside the project; dossier reads only files inside it",
                    source.value
                ),
            )
            .at(location)
            .help("copy the file into the project"),
        );
        return None;
    }
    if !real.is_file() {
        findings
            .push(Finding::new("R005", format!("`{}` is not a file", source.value)).at(location));
        return None;
    }
    Some(real)
}

fn unreadable(project: &Project, source: &Located<String>, error: &sbom::SbomError) -> Finding {
    let location = if error.line > 0 {
        Location {
            file: source.value.clone(),
            line: error.line,
            column: error.column,
            len: 0,
        }
    } else {
        project.sources.location(source.pos)
    };
    let path = error
        .path
        .as_deref()
        .map(|p| format!(" at `{p}`"))
        .unwrap_or_default();
    Finding::new("S001", format!("cannot read SBOM `{}`{path}: {}", source.value, error.message))
        .at(Some(location))
        .help("dossier reads CycloneDX JSON/XML 1.2-1.6, SPDX 2.2/2.3 JSON and tag-value, and OpenVEX; fix or regenerate the file")
}

fn add_bom(inventory: &mut Inventory, path: &str, bom: Bom) {
    inventory.documents.push(SbomDocument {
        path: path.to_string(),
        format: bom.format.as_str().to_string(),
        spec_version: bom.spec_version.clone(),
        serial: bom.serial.clone(),
        timestamp: bom.timestamp.clone(),
        authors: bom.authors.clone(),
        subject: bom.subject.as_ref().map(|s| s.name.clone()),
        components: bom.components.len(),
        dependencies: bom.dependency_entries(),
    });
    add_vulnerabilities(inventory, path, &bom);
    let subject_ref = bom.subject.as_ref().and_then(|s| s.bom_ref.clone());
    // Indexes, so a 50,000-component SBOM stays linear: edges by source, and every ref that
    // takes part in a relationship.
    let mut edges: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    let mut related: std::collections::HashSet<&str> = std::collections::HashSet::new();
    // "provides" (a component implements a standard) is not something it needs.
    for dependency in bom
        .dependencies
        .iter()
        .filter(|d| d.relationship != "provides")
    {
        let targets = edges.entry(dependency.from.as_str()).or_default();
        targets.extend(dependency.to.iter().map(String::as_str));
        related.insert(dependency.from.as_str());
        related.extend(dependency.to.iter().map(String::as_str));
    }
    let first_new = inventory.components.len();
    for component in bom.components {
        // An SPDX document lists the package it describes among its packages; that is the
        // product itself, not one of its parts.
        if subject_ref.is_some()
            && component.bom_ref == subject_ref
            && bom.format.as_str().starts_with("spdx")
        {
            continue;
        }
        let (level, end) = sbom::support_properties(&component);
        let justification = sbom::support_justification(&component);
        let depends_on = component
            .bom_ref
            .as_ref()
            .and_then(|r| edges.get(r.as_str()))
            .map(|targets| targets.iter().map(|t| t.to_string()).collect())
            .unwrap_or_default();
        let mut software = SoftwareComponent {
            name: component.name,
            version: component.version,
            supplier: component.supplier,
            author: component.author,
            kind: component.kind,
            purl: component.purl,
            cpe: component.cpe,
            swid: component.swid,
            hashes: component
                .hashes
                .into_iter()
                .map(|h| (h.alg, h.value))
                .collect(),
            licenses: component.licenses,
            depends_on,
            bom_ref: component.bom_ref,
            in_dependency_graph: false,
            support: None,
            support_text: None,
            end_of_support: None,
            end_of_support_text: None,
            support_source: None,
            justification,
            location: Location {
                file: path.to_string(),
                line: component.location.line,
                column: component.location.column,
                len: 0,
            },
            support_location: None,
        };
        if let Some(level) = level {
            software.support_source = Some(SupportSource::Sbom);
            match parse_support(&level) {
                Some(parsed) => software.support = Some(parsed),
                None => software.support_text = Some(level),
            }
        }
        if let Some(end) = end {
            software.support_source = Some(SupportSource::Sbom);
            match parse_end_of_support(&end) {
                Some(parsed) => software.end_of_support = Some(parsed),
                None => software.end_of_support_text = Some(end),
            }
        }
        inventory.components.push(software);
    }
    // Dependency edges also reach components through their bom-refs.
    for component in &mut inventory.components[first_new..] {
        if component
            .bom_ref
            .as_deref()
            .is_some_and(|r| related.contains(r))
        {
            component.in_dependency_graph = true;
        }
    }
}

fn add_vulnerabilities(inventory: &mut Inventory, path: &str, bom: &Bom) {
    for vulnerability in &bom.vulnerabilities {
        let state = vulnerability.state.as_deref().and_then(parse_state);
        let justification = vulnerability
            .justification
            .as_deref()
            .and_then(parse_justification);
        inventory.vulnerabilities.push(FileVulnerability {
            id: vulnerability.id.clone(),
            state,
            state_text: vulnerability.state.clone().filter(|_| state.is_none()),
            justification,
            justification_text: vulnerability
                .justification
                .clone()
                .filter(|_| justification.is_none()),
            detail: vulnerability.detail.clone(),
            affects: vulnerability.affects.clone(),
            source: vulnerability.source.clone(),
            cvss: vulnerability.ratings.iter().find_map(|r| r.vector.clone()),
            location: Location {
                file: path.to_string(),
                line: vulnerability.location.line,
                column: vulnerability.location.column,
                len: 0,
            },
        });
    }
}

/// A scanner's SBOM lists a vulnerability, a VEX file assesses it: for the components the VEX
/// statements of the same ID cover (all, when a statement names none), the SBOM's listing
/// without a state gives way; for the others it stays, still to be assessed. The first
/// `listed_in_sboms` entries come from the SBOM sources.
fn assessed_by_vex(inventory: &mut Inventory, listed_in_sboms: usize) {
    use std::collections::{HashMap, HashSet};
    let (listed, statements) = inventory.vulnerabilities.split_at(listed_in_sboms);
    if statements.is_empty() {
        return;
    }
    // ID (upper case) -> the components its VEX statements assess; `None`: every component.
    let mut assessed: HashMap<String, Option<HashSet<usize>>> = HashMap::new();
    for statement in statements {
        let entry = assessed
            .entry(statement.id.to_ascii_uppercase())
            .or_insert_with(|| Some(HashSet::new()));
        match entry {
            Some(_) if statement.affects.is_empty() => *entry = None,
            Some(covered) => covered.extend(
                statement
                    .affects
                    .iter()
                    .filter_map(|r| inventory.position(r)),
            ),
            None => {}
        }
    }
    let mut kept = Vec::with_capacity(inventory.vulnerabilities.len());
    for listing in listed {
        let unassessed = listing.state.is_none() && listing.state_text.is_none();
        match assessed.get(&listing.id.to_ascii_uppercase()) {
            Some(None) if unassessed => {}
            Some(Some(covered)) if unassessed => {
                let open: Vec<String> = listing
                    .affects
                    .iter()
                    .filter(|r| !inventory.position(r).is_some_and(|i| covered.contains(&i)))
                    .cloned()
                    .collect();
                if !open.is_empty() {
                    let mut rest = listing.clone();
                    rest.affects = open;
                    kept.push(rest);
                }
            }
            _ => kept.push(listing.clone()),
        }
    }
    kept.extend(statements.iter().cloned());
    inventory.vulnerabilities = kept;
}

fn inline_component(project: &Project, component: &SbomComponent) -> SoftwareComponent {
    let location = component
        .end_of_support
        .as_ref()
        .map(|e| project.sources.location(e.pos))
        .unwrap_or_else(|| project.section_location("sbom"));
    SoftwareComponent {
        name: component.name.clone(),
        version: Some(component.version.clone()),
        supplier: Some(component.supplier.clone()),
        author: component.author.clone(),
        kind: component.kind.clone(),
        purl: component.purl.clone(),
        cpe: component.cpe.clone(),
        swid: None,
        hashes: component
            .sha256
            .iter()
            .map(|h| ("SHA-256".to_string(), h.clone()))
            .collect(),
        licenses: component.license.iter().cloned().collect(),
        depends_on: component.depends_on.clone(),
        bom_ref: None,
        in_dependency_graph: !component.depends_on.is_empty(),
        support: component.support,
        support_text: None,
        end_of_support: component.end_of_support.as_ref().map(|e| e.value),
        end_of_support_text: None,
        support_source: (component.support.is_some() || component.end_of_support.is_some())
            .then_some(SupportSource::Project),
        justification: component.justification.clone(),
        location,
        support_location: None,
    }
}

/// `sbom.support` entries override what the files say; an entry that matches nothing is reported.
fn apply_overlay(
    project: &Project,
    section: &SbomSection,
    inventory: &mut Inventory,
    findings: &mut Vec<Finding>,
) {
    for entry in &section.support {
        let key = entry.matches.value.as_str();
        let location = project.sources.location(entry.matches.pos);
        let mut matched = false;
        for component in inventory.components.iter_mut().filter(|c| c.matches(key)) {
            matched = true;
            if let Some(level) = entry.support {
                component.support = Some(level);
                component.support_text = None;
            }
            if let Some(end) = &entry.end_of_support {
                component.end_of_support = Some(end.value);
                component.end_of_support_text = None;
            }
            if entry.justification.is_some() {
                component.justification = entry.justification.clone();
            }
            component.support_source = Some(SupportSource::Overlay);
            component.support_location = Some(location.clone());
        }
        if !matched {
            let names = inventory
                .components
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>();
            let help = crate::suggest::did_you_mean(key, names.iter().map(String::as_str))
                .unwrap_or_else(|| {
                    "match by purl (`pkg:...`) or `name@version` as the SBOM writes them"
                        .to_string()
                });
            findings.push(
                Finding::new(
                    "S009",
                    format!("support entry `{key}` matches no SBOM component"),
                )
                .at(Some(location))
                .subject(key)
                .help(help),
            );
        }
    }
}

fn mark_dependencies(inventory: &mut Inventory) {
    let targets: std::collections::HashSet<String> = inventory
        .components
        .iter()
        .flat_map(|c| c.depends_on.iter().cloned())
        .collect();
    if targets.is_empty() {
        return;
    }
    for component in &mut inventory.components {
        let names = [
            component.purl.clone(),
            component.cpe.clone(),
            component.bom_ref.clone(),
            Some(component.label()),
        ];
        if names.iter().flatten().any(|n| targets.contains(n)) {
            component.in_dependency_graph = true;
        }
    }
}

/// Understands the usual spellings of a level of support.
pub fn parse_support(text: &str) -> Option<SupportLevel> {
    let t: String = text
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    match t.as_str() {
        "activelymaintained" | "active" | "maintained" | "supported" | "activelysupported" => {
            Some(SupportLevel::ActivelyMaintained)
        }
        "nolongermaintained" | "notmaintained" | "unmaintained" | "endoflife" | "eol"
        | "unsupported" => Some(SupportLevel::NoLongerMaintained),
        "abandoned" => Some(SupportLevel::Abandoned),
        "unknown" => Some(SupportLevel::Unknown),
        _ => None,
    }
}

/// A date (`YYYY-MM-DD`, or an RFC 3339 timestamp) or `unknown`.
pub fn parse_end_of_support(text: &str) -> Option<EndOfSupport> {
    let text = text.trim();
    EndOfSupport::parse(text).or_else(|| {
        text.get(..10)
            .and_then(Date::parse)
            .filter(|_| text.len() > 10 && text.as_bytes()[10] == b'T')
            .map(EndOfSupport::Date)
    })
}

fn parse_state(text: &str) -> Option<VexState> {
    match text.to_lowercase().replace('-', "_").as_str() {
        "affected" => Some(VexState::Affected),
        "not_affected" => Some(VexState::NotAffected),
        "fixed" => Some(VexState::Fixed),
        "under_investigation" => Some(VexState::UnderInvestigation),
        _ => None,
    }
}

fn parse_justification(text: &str) -> Option<VexJustification> {
    match text.to_lowercase().replace('-', "_").as_str() {
        "component_not_present" => Some(VexJustification::ComponentNotPresent),
        "vulnerable_code_not_present" | "code_not_present" => {
            Some(VexJustification::VulnerableCodeNotPresent)
        }
        // CycloneDX's requires_configuration / _dependency / _environment and
        // protected_by_compiler claim something narrower than any of the five: kept as written.
        "vulnerable_code_not_in_execute_path" | "code_not_reachable" => {
            Some(VexJustification::VulnerableCodeNotInExecutePath)
        }
        "vulnerable_code_cannot_be_controlled_by_adversary" => {
            Some(VexJustification::VulnerableCodeCannotBeControlledByAdversary)
        }
        "inline_mitigations_already_exist"
        | "protected_by_mitigating_control"
        | "protected_at_runtime"
        | "protected_at_perimeter" => Some(VexJustification::InlineMitigationsAlreadyExist),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_spellings() {
        assert_eq!(
            parse_support("Actively maintained"),
            Some(SupportLevel::ActivelyMaintained)
        );
        assert_eq!(
            parse_support("No longer maintained"),
            Some(SupportLevel::NoLongerMaintained)
        );
        assert_eq!(parse_support("ABANDONED"), Some(SupportLevel::Abandoned));
        assert_eq!(parse_support("Until hardware support ends"), None);
    }

    #[test]
    fn end_of_support_spellings() {
        assert!(matches!(
            parse_end_of_support("2027-03-31"),
            Some(EndOfSupport::Date(_))
        ));
        assert!(matches!(
            parse_end_of_support("2027-03-31T00:00:00Z"),
            Some(EndOfSupport::Date(_))
        ));
        assert_eq!(parse_end_of_support("Unknown"), Some(EndOfSupport::Unknown));
        assert_eq!(parse_end_of_support("Until hardware support ends"), None);
    }
}
