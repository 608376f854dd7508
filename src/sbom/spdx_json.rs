//! SPDX 2.x JSON into a [`Bom`].
//!
//! Every entry of `packages` is a component (files and snippets are not), and the described
//! package is also the subject. Real files are often schema-invalid in harmless ways (no
//! downloadLocation, "PACKAGE-MANAGER" as a category): those load; a field that is read but has
//! the wrong type is an error naming its path.

use serde_json::Value;

use super::common::{dedup_in_order, license_text};
use super::error::SbomError;
use super::json::{ArraySpec, JsonDoc, Object, Path, element_offsets, fill_positions};
use super::model::{Bom, Component, Hash, SbomFormat, SourcePos};
use super::spdx_common::{
    Relationship, apply_external_ref, check_version, party, purpose, resolve,
};
use super::text::LineIndex;

/// Reads a JSON document that has `spdxVersion`.
pub(crate) fn read(doc: &JsonDoc<'_>, root: &Object) -> Result<Bom, SbomError> {
    let p = Path::ROOT;
    let raw_version = doc.opt_str(root, "spdxVersion", &p)?.unwrap_or_default();
    let spec_version =
        check_version(raw_version).map_err(|message| doc.error(&p.key("spdxVersion"), message))?;
    let document_id = doc
        .text_field(root, "SPDXID", &p)?
        .unwrap_or_else(|| "SPDXRef-DOCUMENT".to_owned());

    let (timestamp, authors) = match doc.opt_object(root, "creationInfo", &p)? {
        Some(info) => {
            let ip = p.key("creationInfo");
            let creators = doc.str_array(info, "creators", &ip)?;
            (
                doc.text_field(info, "created", &ip)?,
                creators
                    .iter()
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty())
                    .collect(),
            )
        }
        None => (None, Vec::new()),
    };

    let pp = p.key("packages");
    let mut components = Vec::new();
    for (i, value) in doc.opt_array(root, "packages", &p)?.iter().enumerate() {
        components.push(read_package(doc, value, &pp.index(i))?);
    }
    if !components.is_empty() {
        let specs = [ArraySpec {
            key: "packages",
            nested: false,
        }];
        if let Some(offsets) = element_offsets(doc.text, &specs).first() {
            fill_positions(
                &LineIndex::new(doc.text),
                offsets,
                components.iter_mut().map(|c| &mut c.location),
            );
        }
    }

    let described: Vec<String> = doc
        .str_array(root, "documentDescribes", &p)?
        .iter()
        .map(|s| s.trim().to_owned())
        .collect();
    let rp = p.key("relationships");
    let mut relationships: Vec<Relationship> = Vec::new();
    for (i, value) in doc.opt_array(root, "relationships", &p)?.iter().enumerate() {
        let p = rp.index(i);
        let rel = doc.object(value, &p)?;
        if let (Some(from), Some(kind), Some(to)) = (
            doc.text_field(rel, "spdxElementId", &p)?,
            doc.text_field(rel, "relationshipType", &p)?,
            doc.text_field(rel, "relatedSpdxElement", &p)?,
        ) {
            relationships.push((from, kind, to));
        }
    }
    let (subject, dependencies) = resolve(&components, &document_id, &described, relationships);

    Ok(Bom {
        format: SbomFormat::SpdxJson,
        spec_version,
        serial: doc.text_field(root, "documentNamespace", &p)?,
        timestamp,
        authors,
        subject,
        components,
        dependencies,
        vulnerabilities: Vec::new(),
    })
}

fn read_package(doc: &JsonDoc<'_>, value: &Value, path: &Path<'_>) -> Result<Component, SbomError> {
    let obj = doc.object(value, path)?;
    let Some(name) = doc.opt_str(obj, "name", path)? else {
        return Err(doc.error(path, "package has no name; SPDX requires one"));
    };

    let cp = path.key("checksums");
    let mut hashes = Vec::new();
    for (i, value) in doc.opt_array(obj, "checksums", path)?.iter().enumerate() {
        let p = cp.index(i);
        let checksum = doc.object(value, &p)?;
        if let (Some(alg), Some(value)) = (
            doc.text_field(checksum, "algorithm", &p)?,
            doc.text_field(checksum, "checksumValue", &p)?,
        ) {
            hashes.push(Hash { alg, value });
        }
    }

    let mut licenses = Vec::new();
    for key in ["licenseConcluded", "licenseDeclared"] {
        if let Some(text) = doc.opt_str(obj, key, path)?.and_then(license_text) {
            licenses.push(text);
        }
    }

    let mut component = Component {
        bom_ref: doc.text_field(obj, "SPDXID", path)?,
        kind: doc
            .opt_str(obj, "primaryPackagePurpose", path)?
            .and_then(purpose),
        name: name.trim().to_owned(),
        group: None,
        version: doc.text_field(obj, "versionInfo", path)?,
        supplier: doc.opt_str(obj, "supplier", path)?.and_then(party),
        author: doc.opt_str(obj, "originator", path)?.and_then(party),
        purl: None,
        cpe: None,
        swid: None,
        hashes,
        licenses: dedup_in_order(licenses),
        properties: Vec::new(),
        parent: None,
        location: SourcePos {
            line: 0,
            column: 0,
            path: path.render(),
        },
    };

    let ep = path.key("externalRefs");
    for (i, value) in doc.opt_array(obj, "externalRefs", path)?.iter().enumerate() {
        let p = ep.index(i);
        let reference = doc.object(value, &p)?;
        if let (Some(kind), Some(locator)) = (
            doc.opt_str(reference, "referenceType", &p)?,
            doc.opt_str(reference, "referenceLocator", &p)?,
        ) {
            apply_external_ref(&mut component, kind, locator);
        }
    }

    // SPDX 2.3 lifecycle dates have no field of their own in the normalised model; keep them
    // as properties under their SPDX names so nothing read is lost.
    for key in ["builtDate", "releaseDate", "validUntilDate"] {
        if let Some(date) = doc.text_field(obj, key, path)? {
            component.properties.push((key.to_owned(), date));
        }
    }
    Ok(component)
}
