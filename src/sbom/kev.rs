//! The CISA Known Exploited Vulnerabilities catalog (JSON feed), reduced to the set of CVE ids
//! a check needs to flag "known exploited" components.

use std::collections::BTreeSet;

use super::error::SbomError;
use super::json::{JsonDoc, Path, kind_of};
use super::text::decode;

/// The KEV catalog: its version and the CVE ids it lists (upper-case, sorted).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Kev {
    pub catalog_version: Option<String>,
    pub date_released: Option<String>,
    pub cves: BTreeSet<String>,
}

impl Kev {
    /// True when `id` (any case) is in the catalog.
    pub fn contains(&self, id: &str) -> bool {
        self.cves.contains(&id.trim().to_ascii_uppercase())
    }
}

/// Reads the catalog format `{"catalogVersion", "dateReleased", "count", "vulnerabilities":
/// [{"cveID", ...}]}`. Anything else is an error saying what is missing.
pub fn read_kev(bytes: &[u8]) -> Result<Kev, SbomError> {
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > super::MAX_FILE_BYTES {
        return Err(super::too_large(bytes.len() as u64));
    }
    let text = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(SbomError::new("the KEV catalog file is empty"));
    }
    let doc = JsonDoc::parse(&text)?;
    let p = Path::ROOT;
    let Some(root) = doc.root.as_object() else {
        return Err(doc.error(
            &p,
            format!(
                "a KEV catalog is a JSON object, found {}",
                kind_of(&doc.root)
            ),
        ));
    };
    if !root.contains_key("vulnerabilities") {
        return Err(doc.error(&p, "not a CISA KEV catalog: \"vulnerabilities\" is missing"));
    }
    let vp = p.key("vulnerabilities");
    let mut cves = BTreeSet::new();
    for (i, value) in doc
        .opt_array(root, "vulnerabilities", &p)?
        .iter()
        .enumerate()
    {
        let ip = vp.index(i);
        let entry = doc.object(value, &ip)?;
        match doc.text_field(entry, "cveID", &ip)? {
            Some(id) => {
                cves.insert(id.to_ascii_uppercase());
            }
            None => return Err(doc.error(&ip, "KEV entry has no cveID")),
        }
    }
    Ok(Kev {
        catalog_version: doc.text_field(root, "catalogVersion", &p)?,
        date_released: doc.text_field(root, "dateReleased", &p)?,
        cves,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_catalog_shape() {
        let kev = read_kev(
            br#"{"title":"CISA Catalog","catalogVersion":"2025.01.02","dateReleased":"2025-01-02T15:00:00.000Z","count":2,
                "vulnerabilities":[{"cveID":"CVE-2021-44228","vendorProject":"Apache"},{"cveID":"cve-2023-1"}]}"#,
        )
        .unwrap();
        assert_eq!(kev.catalog_version.as_deref(), Some("2025.01.02"));
        assert_eq!(kev.cves.len(), 2);
        assert!(kev.contains("CVE-2023-1"));
        assert!(kev.contains("cve-2021-44228"));
    }

    #[test]
    fn rejects_other_json() {
        let err = read_kev(br#"{"bomFormat":"CycloneDX"}"#).unwrap_err();
        assert!(err.message.contains("vulnerabilities"), "{err}");
        let err = read_kev(br#"{"vulnerabilities":[{"id":"x"}]}"#).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("vulnerabilities[0]"));
        assert!(read_kev(b"[1,").is_err());
    }
}
