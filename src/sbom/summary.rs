//! Counts over a read SBOM: how complete it is against the FDA / NTIA minimum elements.

use serde::Serialize;

use super::model::Bom;
use super::support::support_properties;

/// Completeness counts of one SBOM. `components` follows the counting rule of [`Bom`]
/// (CycloneDX: all components, nested included, never metadata.component; SPDX: all packages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub format: String,
    pub spec_version: String,
    pub components: usize,
    pub with_supplier: usize,
    /// purl, CPE or SWID tag id.
    pub with_unique_id: usize,
    pub with_version: usize,
    pub with_hash: usize,
    pub with_license: usize,
    pub with_support_level: usize,
    pub with_end_of_support: usize,
    /// Dependency entries (CycloneDX `dependencies[]`, SPDX relationship groups).
    pub dependencies: usize,
    pub vulnerabilities: usize,
    pub has_timestamp: bool,
    pub has_author: bool,
}

pub fn summarize(bom: &Bom) -> Summary {
    let count = |f: &dyn Fn(&super::model::Component) -> bool| {
        bom.components.iter().filter(|c| f(c)).count()
    };
    let support: Vec<_> = bom.components.iter().map(support_properties).collect();
    Summary {
        format: bom.format.as_str().to_owned(),
        spec_version: bom.spec_version.clone(),
        components: bom.components.len(),
        with_supplier: count(&|c| c.supplier.is_some()),
        with_unique_id: count(&|c| c.purl.is_some() || c.cpe.is_some() || c.swid.is_some()),
        with_version: count(&|c| c.version.is_some()),
        with_hash: count(&|c| !c.hashes.is_empty()),
        with_license: count(&|c| !c.licenses.is_empty()),
        with_support_level: support.iter().filter(|s| s.0.is_some()).count(),
        with_end_of_support: support.iter().filter(|s| s.1.is_some()).count(),
        dependencies: bom.dependency_entries(),
        vulnerabilities: bom.vulnerabilities.len(),
        has_timestamp: bom.timestamp.is_some(),
        has_author: !bom.authors.is_empty(),
    }
}
