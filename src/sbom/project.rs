//! The project's software inventory as a CycloneDX 1.6 SBOM, with level of support and end of
//! support as properties (the names the FDA-minded tools use).

use super::{Dependency, ExportBom, ExportComponent, Hash, export_cyclonedx_16};
use crate::model::Project;
use sha2::{Digest, Sha256};

/// Property names for the FDA support elements.
pub const LEVEL_OF_SUPPORT: &str = "fda:level-of-support";
pub const END_OF_SUPPORT: &str = "fda:end-of-support";

/// The exported SBOM. `date` (YYYY-MM-DD) becomes its timestamp, so the same project gives the
/// same bytes.
pub fn export(project: &Project, date: &str) -> serde_json::Value {
    let device = &project.settings.device;
    let release = &project.settings.release;
    let refs = unique_refs(project);
    let components: Vec<ExportComponent> = project
        .inventory
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut properties = Vec::new();
            if let Some(level) = c.support {
                properties.push((LEVEL_OF_SUPPORT.to_string(), level.label().to_string()));
            } else if let Some(text) = &c.support_text {
                properties.push((LEVEL_OF_SUPPORT.to_string(), text.clone()));
            }
            if let Some(end) = c.end_of_support {
                properties.push((END_OF_SUPPORT.to_string(), end.to_string()));
            } else if let Some(text) = &c.end_of_support_text {
                properties.push((END_OF_SUPPORT.to_string(), text.clone()));
            }
            if let Some(justification) = &c.justification {
                properties.push((
                    "fda:support-justification".to_string(),
                    justification.trim().to_string(),
                ));
            }
            ExportComponent {
                bom_ref: refs[i].clone(),
                kind: c.kind.clone().unwrap_or_else(|| "library".to_string()),
                name: c.name.clone(),
                version: c.version.clone(),
                supplier: c.supplier.clone(),
                author: c.author.clone(),
                purl: c.purl.clone(),
                cpe: c.cpe.clone(),
                hashes: c
                    .hashes
                    .iter()
                    .map(|(alg, value)| Hash {
                        alg: alg.clone(),
                        value: value.clone(),
                    })
                    .collect(),
                licenses: c.licenses.clone(),
                properties,
            }
        })
        .collect();
    let subject_ref = format!("device:{}@{}", device.model, release.version);
    let mut dependencies = vec![Dependency {
        from: subject_ref.clone(),
        to: components.iter().map(|c| c.bom_ref.clone()).collect(),
        relationship: "dependsOn".to_string(),
    }];
    // Every name a component is known by -> its exported ref (first wins).
    let mut by_name: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, c) in project.inventory.components.iter().enumerate() {
        for name in [
            c.purl.clone(),
            c.cpe.clone(),
            c.bom_ref.clone(),
            Some(c.label()),
        ]
        .into_iter()
        .flatten()
        {
            by_name.entry(name).or_insert(i);
        }
    }
    for (i, c) in project.inventory.components.iter().enumerate() {
        let targets: Vec<String> = c
            .depends_on
            .iter()
            .filter_map(|d| by_name.get(d).map(|&j| refs[j].clone()))
            .collect();
        if !targets.is_empty() {
            dependencies.push(Dependency {
                from: refs[i].clone(),
                to: targets,
                relationship: "dependsOn".to_string(),
            });
        }
    }
    // The serial number follows the content: the same project gives the same BOM, and any
    // change (a version, a support date, a justification) gives a new serial, as CycloneDX
    // asks of a modified BOM.
    let mut hasher = Sha256::new();
    hasher.update(subject_ref.as_bytes());
    for c in &components {
        hasher.update(format!("{c:?}").as_bytes());
        hasher.update([0]);
    }
    hasher.update(format!("{dependencies:?}").as_bytes());
    let digest = hasher.finalize();
    let bom = ExportBom {
        serial: format!("urn:uuid:{}", uuid_from(&digest)),
        timestamp: format!("{date}T00:00:00Z"),
        subject: ExportComponent {
            bom_ref: subject_ref,
            kind: "device".to_string(),
            name: device.name.clone(),
            version: Some(release.version.clone()),
            supplier: Some(device.manufacturer.clone()),
            author: Some(device.manufacturer.clone()),
            purl: None,
            cpe: None,
            hashes: Vec::new(),
            licenses: Vec::new(),
            properties: device
                .end_of_support
                .as_ref()
                .map(|e| vec![(END_OF_SUPPORT.to_string(), e.value.to_string())])
                .unwrap_or_default(),
        },
        authors: vec![device.manufacturer.clone()],
        tool_name: "dossier".to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        components,
        dependencies,
    };
    export_cyclonedx_16(&bom)
}

/// A stable, unique reference per component: its purl, else its label; a repeat gets its
/// position appended (bom-refs must be unique in a CycloneDX document).
fn unique_refs(project: &Project) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    project
        .inventory
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let base = c.purl.clone().unwrap_or_else(|| c.label());
            if seen.insert(base.clone()) {
                base
            } else {
                let unique = format!("{base}#{i}");
                seen.insert(unique.clone());
                unique
            }
        })
        .collect()
}

/// A UUID (version 5 layout) from a digest.
fn uuid_from(digest: &[u8]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
