//! Turning parsed files into the project model: route each top-level key, read every item on its
//! own (so one bad item never hides the others), merge sections written across files, and
//! register every ID.

use super::node_de::{Context, DeError, DeErrorKind, UnknownField, from_node};
use super::yaml::{Key, Node, NodeKind};
use crate::finding::Finding;
use crate::model::*;
use crate::source::{FileId, Pos, SourceMap};
use crate::suggest::did_you_mean;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

pub(crate) struct Assembler {
    pub project: Project,
    pub findings: Vec<Finding>,
    /// Section name -> every file's mapping for it, in file order.
    sections: BTreeMap<&'static str, Vec<(Key, Node)>>,
    /// First place each ID was seen.
    first_seen: BTreeMap<String, (ItemKind, Pos)>,
    /// Anchor name (what an ID becomes in links) -> the first ID that took it.
    anchors: BTreeMap<String, (String, Pos)>,
}

impl Assembler {
    pub fn new(project: Project) -> Assembler {
        Assembler {
            project,
            findings: Vec::new(),
            sections: BTreeMap::new(),
            first_seen: BTreeMap::new(),
            anchors: BTreeMap::new(),
        }
    }

    fn sources(&self) -> &SourceMap {
        &self.project.sources
    }

    fn finding_at(&mut self, finding: Finding, pos: Pos) {
        let location = self.sources().location(pos);
        self.findings.push(finding.at(Some(location)));
    }

    /// Reads the settings keys of `dossier.yaml`, each on its own.
    pub fn settings(&mut self, file: FileId, root: &Node) {
        let NodeKind::Map(entries) = &root.kind else {
            return;
        };
        let mut seen = Vec::new();
        for (key, value) in entries {
            if !SETTINGS.contains(&key.name.as_str()) {
                continue;
            }
            seen.push(key.name.as_str());
            let what = format!("`{}` in dossier.yaml", key.name);
            let settings = &mut self.project.settings;
            let result: Problems = match key.name.as_str() {
                "device" => store(read(value), |v| settings.device = v),
                "release" => store(read(value), |v| settings.release = v),
                "submission" => store(read(value), |v| settings.submission = v),
                "cyber_device" => store(read(value), |v| settings.cyber_device = v),
                "guidance_edition" => store(read(value), |v| settings.guidance_edition = v),
                "document_date" => store(read(value), |v| settings.document_date = v),
                "output" => store(read(value), |v| settings.output = v),
                "exclude" => store(read(value), |v| settings.exclude = v),
                "check" => store(read(value), |v| settings.check = v),
                _ => (Vec::new(), Vec::new()),
            };
            self.report(result, &what, value.pos);
        }
        for required in ["device", "release", "submission"] {
            if !seen.contains(&required) {
                let location = crate::finding::Location {
                    file: self.sources().path(file).to_string(),
                    line: 1,
                    column: 1,
                    len: 0,
                };
                self.findings.push(
                    Finding::new("L010", format!("dossier.yaml has no `{required}` section"))
                        .at(Some(location))
                        .help(format!(
                            "add `{required}:`; `dossier init` writes a complete example"
                        )),
                );
            }
        }
    }

    /// Routes every top-level key of a file.
    pub fn content(&mut self, file: FileId, root: &Node, is_project_file: bool) {
        let NodeKind::Map(entries) = &root.kind else {
            self.finding_at(
                Finding::new(
                    "L013",
                    format!(
                        "`{}` holds {}, but a dossier file is a mapping of collections (`threats:`, `risks:`, ...)",
                        self.sources().path(file),
                        root.describe()
                    ),
                )
                .help("start the file with a key such as `threats:` followed by a list of items"),
                root.pos,
            );
            return;
        };
        for (key, value) in entries {
            let name = key.name.as_str();
            if SETTINGS.contains(&name) {
                if !is_project_file {
                    self.finding_at(
                        Finding::new(
                            "L012",
                            format!("`{name}` is a project setting and belongs in dossier.yaml"),
                        )
                        .help("move it to dossier.yaml at the project root"),
                        key.pos,
                    );
                }
                continue;
            }
            // Where a collection or section is first written: findings about what it lacks
            // point there (sections are set again to their merged position).
            self.project
                .section_pos
                .entry(name.to_string())
                .or_insert(key.pos);
            match name {
                "components" => {
                    self.items(value, "components", Some(ItemKind::Component), |p, x| {
                        p.components.push(x)
                    })
                }
                "flows" => self.items(value, "flows", Some(ItemKind::Flow), |p, x| p.flows.push(x)),
                "boundaries" => {
                    self.items(value, "boundaries", Some(ItemKind::Boundary), |p, x| {
                        p.boundaries.push(x)
                    })
                }
                "assets" => self.items(value, "assets", Some(ItemKind::Asset), |p, x| {
                    p.assets.push(x)
                }),
                "threats" => self.items(value, "threats", Some(ItemKind::Threat), |p, x| {
                    p.threats.push(x)
                }),
                "risks" => self.items(value, "risks", Some(ItemKind::Risk), |p, x| p.risks.push(x)),
                "controls" => self.items(value, "controls", Some(ItemKind::Control), |p, x| {
                    p.controls.push(x)
                }),
                "tests" => self.items(value, "tests", Some(ItemKind::Test), |p, x| p.tests.push(x)),
                "anomalies" => self.items(value, "anomalies", Some(ItemKind::Anomaly), |p, x| {
                    p.anomalies.push(x)
                }),
                "vulnerabilities" => self.items(
                    value,
                    "vulnerabilities",
                    Some(ItemKind::Vulnerability),
                    |p, x| p.vulnerabilities.push(x),
                ),
                "views" => self.items(value, "views", Some(ItemKind::View), |p, x| p.views.push(x)),
                "not_applicable" => self.items(value, "not_applicable", None, |p, x| {
                    p.not_applicable.push(x)
                }),
                "risk_management" | "sbom" | "labeling" | "plan" | "mds2" => {
                    let section = SECTIONS
                        .iter()
                        .find(|s| **s == name)
                        .copied()
                        .unwrap_or("plan");
                    self.sections
                        .entry(section)
                        .or_default()
                        .push((key.clone(), value.clone()));
                }
                _ => {
                    let known = COLLECTIONS
                        .iter()
                        .chain(SECTIONS)
                        .chain(if is_project_file { SETTINGS } else { &[] });
                    let mut finding = Finding::new(
                        "L007",
                        format!("`{name}` is not a dossier collection or section"),
                    );
                    finding = match did_you_mean(name, known.copied()) {
                        Some(hint) => finding.help(hint),
                        None => finding.help(format!(
                            "a content file may hold: {}",
                            COLLECTIONS
                                .iter()
                                .chain(SECTIONS)
                                .copied()
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    };
                    self.finding_at(finding, key.pos);
                }
            }
        }
    }

    /// Reads each element of a collection on its own.
    fn items<T: DeserializeOwned>(
        &mut self,
        list: &Node,
        collection: &str,
        kind: Option<ItemKind>,
        put: fn(&mut Project, T),
    ) {
        let elements: &[Node] = match &list.kind {
            NodeKind::Seq(elements) => elements,
            NodeKind::Null => &[],
            _ => {
                self.finding_at(
                    Finding::new(
                        "L009",
                        format!(
                            "`{collection}` must be a list of items, found {}",
                            list.describe()
                        ),
                    )
                    .help(format!(
                        "write each item as `- id: ...` under `{collection}:`"
                    )),
                    list.pos,
                );
                return;
            }
        };
        for (index, element) in elements.iter().enumerate() {
            let id = element
                .get("id")
                .and_then(|n| n.scalar_text().map(|t| (t, n.pos)));
            if let (Some(kind), Some((id, pos))) = (kind, &id) {
                self.register(id, kind, *pos);
                if kind == ItemKind::Test {
                    self.register_test_findings(element);
                }
            }
            let what = match (kind, &id) {
                (Some(kind), Some((id, _))) => format!("{} `{id}`", kind.noun()),
                (None, Some((id, _))) => format!("`{collection}` entry `{id}`"),
                _ => format!("item {} of `{collection}`", index + 1),
            };
            if kind == Some(ItemKind::Risk) {
                self.scored_by_probability_only(element, &what);
            }
            let project = &mut self.project;
            let result = store(read::<T>(element), |value| put(project, value));
            self.report(result, &what, element.pos);
        }
    }

    /// A score with `probability` or `likelihood` and no `exploitability` does not load (the
    /// exploitability is required), so the check's K001 never sees it: report it here, since
    /// it is the very mistake K001 is about (§V.A.2).
    fn scored_by_probability_only(&mut self, risk: &Node, what: &str) {
        for when in ["before", "after"] {
            let Some(score) = risk.get(when) else {
                continue;
            };
            if score.get("exploitability").is_some() {
                continue;
            }
            for field in ["probability", "likelihood"] {
                if let Some(value) = score.get(field) {
                    let finding = Finding::new(
                        "K001",
                        format!(
                            "{what} is scored by {field} `{when}` controls, not by exploitability; security risk is scored by exploitability, not probability"
                        ),
                    )
                    .guidance("§V.A.2")
                    .subject(risk.get("id").and_then(Node::scalar_text).unwrap_or_default())
                    .help(format!(
                        "replace `{field}` with `exploitability` (very-low to very-high); assume worst-case exploitability or justify a reasonable one"
                    ));
                    self.finding_at(finding, value.pos);
                }
            }
        }
    }

    fn register_test_findings(&mut self, test: &Node) {
        if let Some(Node {
            kind: NodeKind::Seq(findings),
            ..
        }) = test.get("findings")
        {
            for finding in findings {
                if let Some(id) = finding.get("id")
                    && let Some(text) = id.scalar_text()
                {
                    self.register(&text, ItemKind::TestFinding, id.pos);
                }
            }
        }
    }

    fn register(&mut self, id: &str, kind: ItemKind, pos: Pos) {
        if let Some((first_kind, first_pos)) = self.first_seen.get(id).copied() {
            let first = self.sources().location(first_pos);
            let finding = Finding::new(
                "R001",
                format!(
                    "duplicate ID `{id}`: this {} has the same ID as the {} at {first}",
                    kind.noun(),
                    first_kind.noun()
                ),
            )
            .help("IDs must be unique across the whole project; rename one of them")
            .subject(id)
            .related(first, "first defined here");
            self.finding_at(finding, pos);
            return;
        }
        self.first_seen.insert(id.to_string(), (kind, pos));
        self.project.ids.insert(id.to_string(), kind);
        // Two IDs that differ only in characters links cannot carry (`T 01`, `T-01`) would
        // share one anchor, and every link to one would land on the other.
        let anchor = crate::model::anchor_name(id);
        if let Some((other, other_pos)) = self.anchors.get(&anchor).cloned() {
            let first = self.sources().location(other_pos);
            let finding = Finding::new(
                "R001",
                format!(
                    "the IDs `{id}` and `{other}` both become the anchor `{anchor}` in the package, so links to one would land on the other"
                ),
            )
            .help("use letters, digits and `._:-` in IDs, and make them differ in those")
            .subject(id)
            .related(first, "the other ID");
            self.finding_at(finding, pos);
        } else {
            self.anchors.insert(anchor, (id.to_string(), pos));
        }
    }

    /// Merges each section across files and reads it.
    pub fn finish_sections(&mut self) {
        let sections = std::mem::take(&mut self.sections);
        for (name, parts) in sections {
            let merged = if name == "mds2" {
                self.merge_mds2(parts)
            } else {
                self.merge(name, parts)
            };
            let what = format!("section `{name}`");
            let pos = merged.pos;
            self.project.section_pos.insert(name.to_string(), pos);
            if name == "mds2" {
                self.read_mds2(merged, &what);
                continue;
            }
            let project = &mut self.project;
            let result = match name {
                "risk_management" => store(read(&merged), |v| project.risk_management = Some(v)),
                "sbom" => store(read(&merged), |v| project.sbom = Some(v)),
                "labeling" => store(read(&merged), |v| project.labeling = Some(v)),
                _ => store(read(&merged), |v| project.plan = Some(v)),
            };
            self.report(result, &what, pos);
        }
    }

    /// Merges `mds2` like any section, except that `answers` is merged entry by entry, so each
    /// file may answer some of the questions.
    fn merge_mds2(&mut self, parts: Vec<(Key, Node)>) -> Node {
        let mut rest = Vec::new();
        let mut answers = Vec::new();
        for (key, mut node) in parts {
            if let NodeKind::Map(entries) = &mut node.kind
                && let Some(at) = entries.iter().position(|(k, _)| k.name == "answers")
            {
                answers.push(entries.remove(at));
            }
            rest.push((key, node));
        }
        let mut merged = self.merge("mds2", rest);
        if let Some((first, _)) = answers.first() {
            let key = first.clone();
            let answers = self.merge("mds2.answers", answers);
            if let NodeKind::Map(entries) = &mut merged.kind {
                entries.push((key, answers));
            }
        }
        merged
    }

    /// Reads `mds2` with each answer on its own, so one bad answer does not lose the others.
    fn read_mds2(&mut self, mut merged: Node, what: &str) {
        let mut answers = Vec::new();
        if let NodeKind::Map(entries) = &mut merged.kind
            && let Some(at) = entries.iter().position(|(k, _)| k.name == "answers")
            && let NodeKind::Map(items) = entries.remove(at).1.kind
        {
            answers = items;
        }
        let (section, problems) = read::<Mds2Section>(&merged);
        self.report(problems, what, merged.pos);
        let mut section = section.unwrap_or_default();
        for (key, node) in answers {
            let (entry, problems) = read::<Mds2Entry>(&node);
            self.report(problems, &format!("`mds2.answers.{}`", key.name), node.pos);
            // Map keys reach serde without a position; keep them for findings.
            section.answer_pos.insert(key.name.clone(), key.pos);
            if let Some(entry) = entry {
                section.answers.insert(key.name, entry);
            }
        }
        self.project.mds2 = Some(section);
    }

    fn merge(&mut self, name: &str, parts: Vec<(Key, Node)>) -> Node {
        let pos = parts.first().map(|(k, _)| k.pos).unwrap_or_default();
        let mut entries: Vec<(Key, Node)> = Vec::new();
        for (_, node) in parts {
            match node.kind {
                NodeKind::Map(part) => {
                    for (key, value) in part {
                        if let Some((first, _)) = entries.iter().find(|(k, _)| k.name == key.name) {
                            let first = self.sources().location(first.pos);
                            let finding = Finding::new(
                                "L014",
                                format!("`{name}.{}` is set in two places", key.name),
                            )
                            .help("keep one of them; sections may be split across files, but each key only once")
                            .related(first, "first set here");
                            self.finding_at(finding, key.pos);
                            continue;
                        }
                        entries.push((key, value));
                    }
                }
                NodeKind::Null => {}
                _ => {
                    let finding = Finding::new(
                        "L013",
                        format!(
                            "section `{name}` must be a mapping, found {}",
                            node.describe()
                        ),
                    )
                    .help(format!(
                        "write `{name}:` followed by indented `key: value` lines"
                    ));
                    self.finding_at(finding, node.pos);
                }
            }
        }
        Node::mapping(pos, entries)
    }

    /// Turns a read result into findings: every error and every unknown field.
    fn report(&mut self, (errors, unknown): Problems, what: &str, pos: Pos) {
        for error in errors {
            let at = error.pos.unwrap_or(pos);
            let finding = describe_error(&error, what);
            self.finding_at(finding, at);
        }
        self.report_unknown(unknown, what);
    }

    fn report_unknown(&mut self, unknown: Vec<UnknownField>, what: &str) {
        for field in unknown {
            let mut finding = Finding::new(
                "L008",
                format!("{what} has an unknown field `{}`", field.name),
            );
            finding = match did_you_mean(&field.name, field.expected.iter().copied()) {
                Some(hint) => finding.help(hint),
                None => finding.help(format!("known fields here: {}", field.expected.join(", "))),
            };
            self.finding_at(finding, field.pos);
        }
    }
}

/// What went wrong reading a value: the errors (each bad value once), and unknown fields
/// (which do not stop it: the value is kept and the fields are reported).
type Problems = (Vec<DeError>, Vec<UnknownField>);

/// How many bad values one read takes out before it gives up on the whole node.
const MAX_BAD_VALUES: usize = 64;

/// Reads a `T` from a node. One bad value does not spoil the rest: it is reported, taken out,
/// and the node read again, until it reads or nothing smaller than the node itself can be
/// taken out. So every mistake is reported at once, and only what is wrong is lost: a bad
/// optional field, or the list item that holds a bad required one, not the whole section.
fn read<T: DeserializeOwned>(node: &Node) -> (Option<T>, Problems) {
    let mut current = std::borrow::Cow::Borrowed(node);
    let mut errors: Vec<DeError> = Vec::new();
    let mut unknown: Vec<UnknownField> = Vec::new();
    // The fields taken out for a bad value, as (path of their map, name): their absence is
    // then no second mistake.
    let mut taken: Vec<(Vec<String>, String)> = Vec::new();
    for _ in 0..MAX_BAD_VALUES {
        let ctx = Context::default();
        let result = from_node::<T>(&current, &ctx);
        for field in ctx.take_unknown() {
            if !unknown
                .iter()
                .any(|u| u.pos == field.pos && u.name == field.name)
            {
                unknown.push(field);
            }
        }
        let error = match result {
            Ok(value) => return (Some(value), (errors, unknown)),
            Err(error) => error,
        };
        let consequence = match &error.kind {
            DeErrorKind::MissingField(field) => taken
                .iter()
                .any(|(map, name)| name == field && map == &error.path),
            _ => false,
        };
        let path = error.path.clone();
        if !consequence {
            errors.push(error);
        }
        let mut owned = current.into_owned();
        let Some(name) = take_out(&mut owned, &path) else {
            break;
        };
        // Whatever is taken out (a bad value, or a map that lacks a field) is no second
        // mistake when its parent then misses it.
        taken.push((path[..path.len() - 1].to_vec(), name));
        current = std::borrow::Cow::Owned(owned);
    }
    (None, (errors, unknown))
}

/// Removes the value at `path` (field names and `[i]` indexes) from its map or list, and
/// returns its last segment; `None` when the path is empty or leads nowhere.
fn take_out(node: &mut Node, path: &[String]) -> Option<String> {
    let (last, parents) = path.split_last()?;
    let mut parent = node;
    for segment in parents {
        parent = child(parent, segment)?;
    }
    match &mut parent.kind {
        NodeKind::Map(entries) => {
            let at = entries.iter().position(|(key, _)| &key.name == last)?;
            entries.remove(at);
        }
        NodeKind::Seq(items) => {
            let at = index_of(last)?;
            (at < items.len()).then(|| items.remove(at))?;
        }
        _ => return None,
    }
    Some(last.clone())
}

fn child<'a>(node: &'a mut Node, segment: &str) -> Option<&'a mut Node> {
    match &mut node.kind {
        NodeKind::Map(entries) => entries
            .iter_mut()
            .find(|(key, _)| key.name == segment)
            .map(|(_, value)| value),
        NodeKind::Seq(items) => items.get_mut(index_of(segment)?),
        _ => None,
    }
}

/// `[3]` -> 3.
fn index_of(segment: &str) -> Option<usize> {
    segment.strip_prefix('[')?.strip_suffix(']')?.parse().ok()
}

/// Stores a value that was read, and hands back its problems.
fn store<T>(read: (Option<T>, Problems), put: impl FnOnce(T)) -> Problems {
    if let Some(value) = read.0 {
        put(value);
    }
    read.1
}

fn describe_error(error: &DeError, what: &str) -> Finding {
    let field = error.path_text();
    let place = if field.is_empty() {
        what.to_string()
    } else {
        format!("{what}, field `{field}`")
    };
    match &error.kind {
        DeErrorKind::Type => Finding::new("L009", format!("{place}: {}", error.message)).help(
            "see `dossier schema` or the book's project format chapter for the expected shape",
        ),
        DeErrorKind::MissingField(name) => {
            let owner = if field.is_empty() {
                what.to_string()
            } else {
                format!("{what}, in `{field}`,")
            };
            Finding::new(
                "L010",
                format!("{owner} is missing required field `{name}`"),
            )
            .help(format!("add `{name}:`"))
        }
        DeErrorKind::UnknownVariant { found, expected } => {
            let finding = Finding::new("L011", format!("{place}: {}", error.message));
            match did_you_mean(found, expected.iter().copied()) {
                Some(hint) => finding.help(hint),
                None => finding.help(format!("use one of: {}", expected.join(", "))),
            }
        }
        DeErrorKind::Invalid => Finding::new("L011", format!("{place}: {}", error.message)),
    }
}
