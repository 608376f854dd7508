//! CycloneDX XML (namespace `http://cyclonedx.org/schema/bom/1.x`, 1.0 to 1.7) into a [`Bom`].
//!
//! Same fields and the same counting rule as the JSON reader: `components` are the
//! `<component>` elements under `/bom/components`, nested ones included, and never the
//! `metadata/component` (the subject) nor `metadata/tools` components. That is why the XML twin
//! of a JSON file in bom-examples shows one or more components more when counted naively.
//! Elements of other namespaces (extensions) are ignored.

use super::common::{dedup_in_order, license_text, normalize_state};
use super::cyclonedx_json::parse_cwe;
use super::error::SbomError;
use super::model::{
    Bom, Component, Dependency, Hash, Rating, SbomFormat, SourcePos, Vulnerability,
};
use super::text::{LineIndex, line_col};
use super::xml::{Element, XmlTree};

const NAMESPACE_PREFIX: &str = "http://cyclonedx.org/schema/bom/";
const XML_VERSIONS: [&str; 8] = ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

/// Reads an XML text; anything but a CycloneDX `<bom>` is an error saying what it is instead.
pub(crate) fn read(text: &str) -> Result<Bom, SbomError> {
    let tree = XmlTree::parse(text)?;
    let Some(root) = tree.root() else {
        return Err(SbomError::new("the XML document has no elements"));
    };
    let spec_version = spec_version(&tree, root, text)?;
    let reader = Reader {
        tree: &tree,
        index: LineIndex::new(text),
    };
    reader.bom(root, spec_version)
}

fn spec_version(tree: &XmlTree, root: &Element, text: &str) -> Result<String, SbomError> {
    let (line, column) = line_col(text, root.offset);
    let namespace = tree.namespace.as_deref().unwrap_or("");
    if root.name != "bom" {
        let spdx = namespace.contains("spdx")
            || root.name.contains("Spdx")
            || tree.child(root, "spdxVersion").is_some();
        let what = if spdx {
            "this is SPDX XML/RDF, which is not supported; convert it to SPDX JSON or tag-value"
                .to_owned()
        } else {
            format!(
                "the XML document element is <{}>, not a CycloneDX <bom>",
                root.name
            )
        };
        return Err(SbomError::at(what, line, column));
    }
    let Some(version) = namespace.strip_prefix(NAMESPACE_PREFIX) else {
        return Err(SbomError::at(
            format!(
                "<bom> is not in a CycloneDX namespace (found {}); expected \
                 xmlns=\"http://cyclonedx.org/schema/bom/1.6\" or another 1.x version",
                if namespace.is_empty() {
                    "none".to_owned()
                } else {
                    format!("\"{namespace}\"")
                }
            ),
            line,
            column,
        ));
    };
    if XML_VERSIONS.contains(&version) {
        Ok(version.to_owned())
    } else {
        Err(SbomError::at(
            format!("namespace version \"{version}\" is not a known CycloneDX version"),
            line,
            column,
        ))
    }
}

struct Reader<'a> {
    tree: &'a XmlTree,
    index: LineIndex<'a>,
}

impl Reader<'_> {
    fn pos(&self, element: &Element, path: String) -> SourcePos {
        let (line, column) = self.index.position(element.offset);
        SourcePos { line, column, path }
    }

    fn error(&self, element: &Element, path: &str, message: &str) -> SbomError {
        let (line, column) = self.index.position(element.offset);
        SbomError::at(message, line, column).with_path(path)
    }

    fn bom(&self, root: &Element, spec_version: String) -> Result<Bom, SbomError> {
        let tree = self.tree;
        let mut bom = Bom {
            format: SbomFormat::CycloneDxXml,
            spec_version,
            serial: root.attr_text("serialNumber"),
            timestamp: None,
            authors: Vec::new(),
            subject: None,
            components: Vec::new(),
            dependencies: Vec::new(),
            vulnerabilities: Vec::new(),
        };
        if let Some(meta) = tree.child(root, "metadata") {
            bom.timestamp = tree.child_text(meta, "timestamp");
            if let Some(authors) = tree.child(meta, "authors") {
                bom.authors = self.contact_names(authors, "author");
            }
            if let Some(subject) = tree.child(meta, "component") {
                bom.subject = Some(self.component(subject, "metadata.component".to_owned())?);
            }
        }
        if let Some(list) = tree.child(root, "components") {
            self.walk(list, "components", None, &mut bom.components)?;
        }
        if let Some(list) = tree.child(root, "dependencies") {
            for dependency in tree.children_named(list, "dependency") {
                self.dependency(dependency, &mut bom.dependencies);
            }
        }
        if let Some(list) = tree.child(root, "vulnerabilities") {
            for (i, vulnerability) in tree.children_named(list, "vulnerability").enumerate() {
                bom.vulnerabilities
                    .push(self.vulnerability(vulnerability, format!("vulnerabilities[{i}]"))?);
            }
        }
        Ok(bom)
    }

    fn walk(
        &self,
        list: &Element,
        path: &str,
        parent: Option<usize>,
        out: &mut Vec<Component>,
    ) -> Result<(), SbomError> {
        for (i, element) in self.tree.children_named(list, "component").enumerate() {
            let p = format!("{path}[{i}]");
            let mut component = self.component(element, p.clone())?;
            component.parent = parent;
            let index = out.len();
            out.push(component);
            if let Some(nested) = self.tree.child(element, "components") {
                self.walk(nested, &format!("{p}.components"), Some(index), out)?;
            }
        }
        Ok(())
    }

    fn component(&self, element: &Element, path: String) -> Result<Component, SbomError> {
        let tree = self.tree;
        let Some(name) = tree.child(element, "name") else {
            return Err(self.error(
                element,
                &path,
                "component has no name; CycloneDX requires one",
            ));
        };
        let supplier = tree
            .child(element, "supplier")
            .and_then(|s| tree.child_text(s, "name"))
            .or_else(|| {
                tree.child(element, "manufacturer")
                    .and_then(|m| tree.child_text(m, "name"))
            })
            .or_else(|| tree.child_text(element, "publisher"));
        let author = tree.child_text(element, "author").or_else(|| {
            let names = tree
                .child(element, "authors")
                .map(|a| self.contact_names(a, "author"))
                .unwrap_or_default();
            if names.is_empty() {
                None
            } else {
                Some(names.join(", "))
            }
        });
        let hashes = tree
            .child(element, "hashes")
            .map(|list| {
                tree.children_named(list, "hash")
                    .filter_map(|h| {
                        Some(Hash {
                            alg: h.attr_text("alg")?,
                            value: h.text()?,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut licenses = Vec::new();
        if let Some(list) = tree.child(element, "licenses") {
            for choice in tree.children(list) {
                let text = match choice.name.as_str() {
                    "license" => tree
                        .child_text(choice, "id")
                        .or_else(|| tree.child_text(choice, "name")),
                    "expression" => choice.text(),
                    _ => None,
                };
                if let Some(text) = text.as_deref().and_then(license_text) {
                    licenses.push(text);
                }
            }
        }
        let properties = tree
            .child(element, "properties")
            .map(|list| {
                tree.children_named(list, "property")
                    .filter_map(|p| Some((p.attr("name")?.to_owned(), p.text.trim().to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Component {
            bom_ref: element.attr_text("bom-ref"),
            kind: element.attr_text("type"),
            name: name.text.trim().to_owned(),
            group: tree.child_text(element, "group"),
            version: tree.child_text(element, "version"),
            supplier,
            author,
            purl: tree.child_text(element, "purl"),
            cpe: tree.child_text(element, "cpe"),
            swid: tree
                .child(element, "swid")
                .and_then(|s| s.attr_text("tagId")),
            hashes,
            licenses: dedup_in_order(licenses),
            properties,
            parent: None,
            location: self.pos(element, path),
        })
    }

    /// `<name>` (or `<email>`) of each `child` contact element.
    fn contact_names(&self, list: &Element, child: &str) -> Vec<String> {
        self.tree
            .children_named(list, child)
            .filter_map(|c| {
                self.tree
                    .child_text(c, "name")
                    .or_else(|| self.tree.child_text(c, "email"))
            })
            .collect()
    }

    fn dependency(&self, element: &Element, out: &mut Vec<Dependency>) {
        let Some(from) = element.attr_text("ref") else {
            return;
        };
        let refs = |name: &str| -> Vec<String> {
            self.tree
                .children_named(element, name)
                .filter_map(|d| d.attr_text("ref"))
                .collect()
        };
        let provides = refs("provides");
        out.push(Dependency {
            from: from.clone(),
            to: refs("dependency"),
            relationship: "dependsOn".to_owned(),
        });
        if !provides.is_empty() {
            out.push(Dependency {
                from,
                to: provides,
                relationship: "provides".to_owned(),
            });
        }
    }

    fn vulnerability(&self, element: &Element, path: String) -> Result<Vulnerability, SbomError> {
        let tree = self.tree;
        let mut ratings = Vec::new();
        if let Some(list) = tree.child(element, "ratings") {
            for (i, rating) in tree.children_named(list, "rating").enumerate() {
                let score = match tree.child(rating, "score") {
                    Some(score) => match score.text() {
                        Some(raw) => Some(raw.parse::<f64>().map_err(|_| {
                            self.error(
                                score,
                                &format!("{path}.ratings[{i}].score"),
                                &format!("expected a number, found \"{raw}\""),
                            )
                        })?),
                        None => None,
                    },
                    None => None,
                };
                ratings.push(Rating {
                    method: tree.child_text(rating, "method"),
                    score,
                    severity: tree.child_text(rating, "severity"),
                    vector: tree.child_text(rating, "vector"),
                    source: tree
                        .child(rating, "source")
                        .and_then(|s| tree.child_text(s, "name")),
                });
            }
        }
        let mut cwes = Vec::new();
        if let Some(list) = tree.child(element, "cwes") {
            for (i, cwe) in tree.children_named(list, "cwe").enumerate() {
                let raw = cwe.text().unwrap_or_default();
                match parse_cwe(&raw) {
                    Some(n) => cwes.push(n),
                    None => {
                        return Err(self.error(
                            cwe,
                            &format!("{path}.cwes[{i}]"),
                            &format!("expected a CWE number, found \"{raw}\""),
                        ));
                    }
                }
            }
        }
        let mut affects = Vec::new();
        if let Some(list) = tree.child(element, "affects") {
            for target in tree.children_named(list, "target") {
                if let Some(reference) = tree.child_text(target, "ref") {
                    affects.push(reference);
                }
            }
        }
        let analysis = tree.child(element, "analysis");
        let field = |name: &str| analysis.and_then(|a| tree.child_text(a, name));
        Ok(Vulnerability {
            id: tree
                .child_text(element, "id")
                .or_else(|| element.attr_text("bom-ref"))
                .unwrap_or_default(),
            source: tree
                .child(element, "source")
                .and_then(|s| tree.child_text(s, "name")),
            ratings,
            cwes,
            description: tree.child_text(element, "description"),
            affects: dedup_in_order(affects),
            state: field("state").as_deref().and_then(normalize_state),
            justification: field("justification"),
            detail: field("detail"),
            location: self.pos(element, path),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" xmlns:x="urn:ext" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
  <metadata>
    <timestamp>2025-01-02T03:04:05Z</timestamp>
    <tools><components><component type="application"><name>tool</name></component></components></tools>
    <authors><author><name>Jane</name></author><author><email>ops@acme.example</email></author></authors>
    <component type="device" bom-ref="dev"><name>Pump</name><version>2.0</version></component>
  </metadata>
  <components>
    <component type="firmware" bom-ref="fw">
      <supplier><name>Acme</name></supplier>
      <authors><author><name>A</name></author><author><name>B</name></author></authors>
      <name>fw</name>
      <version>1.0</version>
      <hashes><hash alg="SHA-256">abcd</hash></hashes>
      <licenses><expression>MIT OR Apache-2.0</expression></licenses>
      <cpe>cpe:2.3:o:acme:fw:1.0:*:*:*:*:*:*:*</cpe>
      <swid tagId="swid-fw" name="fw"/>
      <properties><property name="End-of-Support">2030-12-31</property></properties>
      <x:components><component type="library"><name>ignored extension</name></component></x:components>
      <components>
        <component type="library" bom-ref="lib">
          <publisher>Pub &amp; Co</publisher>
          <name>lib</name>
          <version></version>
          <licenses><license><id>MIT</id></license><license><name>NOASSERTION</name></license></licenses>
          <purl>pkg:generic/lib@0.1</purl>
        </component>
      </components>
    </component>
  </components>
  <dependencies>
    <dependency ref="fw"><dependency ref="lib"/></dependency>
    <dependency ref="lib"/>
  </dependencies>
  <vulnerabilities>
    <vulnerability bom-ref="v1">
      <id>CVE-2024-0001</id>
      <source><name>NVD</name></source>
      <ratings><rating><source><name>NVD</name></source><score>9.8</score><severity>critical</severity><method>CVSSv31</method><vector>AV:N</vector></rating></ratings>
      <cwes><cwe>79</cwe></cwes>
      <description>bad</description>
      <analysis><state>resolved_with_pedigree</state><justification>code_not_reachable</justification><detail>patched</detail></analysis>
      <affects><target><ref>lib</ref></target></affects>
    </vulnerability>
  </vulnerabilities>
</bom>"#;

    #[test]
    fn reads_all_fields() {
        let bom = read(XML).unwrap();
        assert_eq!(bom.format, SbomFormat::CycloneDxXml);
        assert_eq!(bom.spec_version, "1.6");
        assert_eq!(bom.timestamp.as_deref(), Some("2025-01-02T03:04:05Z"));
        assert_eq!(bom.authors, ["Jane", "ops@acme.example"]);
        assert_eq!(
            bom.subject.as_ref().and_then(|s| s.kind.as_deref()),
            Some("device")
        );
        assert_eq!(
            bom.components.len(),
            2,
            "tools, metadata and extensions are not counted"
        );
        let fw = &bom.components[0];
        assert_eq!(fw.supplier.as_deref(), Some("Acme"));
        assert_eq!(fw.author.as_deref(), Some("A, B"));
        assert_eq!(fw.licenses, ["MIT OR Apache-2.0"]);
        assert_eq!(fw.swid.as_deref(), Some("swid-fw"));
        assert_eq!(fw.hashes.len(), 1);
        assert_eq!(
            fw.properties,
            [("End-of-Support".to_owned(), "2030-12-31".to_owned())]
        );
        assert_eq!(
            (fw.location.line, fw.location.path.as_str()),
            (10, "components[0]")
        );
        let lib = &bom.components[1];
        assert_eq!(lib.parent, Some(0));
        assert_eq!(lib.version, None);
        assert_eq!(lib.supplier.as_deref(), Some("Pub & Co"));
        assert_eq!(lib.licenses, ["MIT"]);
        assert_eq!(lib.location.path, "components[0].components[0]");
        assert_eq!(bom.dependencies.len(), 2);
        assert_eq!(bom.dependencies[0].to, ["lib"]);
        let v = &bom.vulnerabilities[0];
        assert_eq!(v.id, "CVE-2024-0001");
        assert_eq!(v.state.as_deref(), Some("fixed"));
        assert_eq!(v.ratings[0].score, Some(9.8));
        assert_eq!(v.cwes, [79]);
        assert_eq!(v.affects, ["lib"]);
        assert_eq!(v.location.path, "vulnerabilities[0]");
    }

    #[test]
    fn rejects_what_is_not_cyclonedx() {
        let err = read("<bom><components/></bom>").err().unwrap();
        assert!(
            err.message.contains("not in a CycloneDX namespace"),
            "{err}"
        );
        let err = read("<bom xmlns=\"http://cyclonedx.org/schema/bom/9.9\"/>")
            .err()
            .unwrap();
        assert!(err.message.contains("9.9"), "{err}");
        let err = read("<Document><spdxVersion>SPDX-2.3</spdxVersion></Document>")
            .err()
            .unwrap();
        assert!(err.message.contains("SPDX XML"), "{err}");
        let bad = XML.replace("<score>9.8</score>", "<score>high</score>");
        let err = read(&bad).err().unwrap();
        assert_eq!(
            err.path.as_deref(),
            Some("vulnerabilities[0].ratings[0].score")
        );
    }
}
