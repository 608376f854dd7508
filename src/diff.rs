//! What changed between two versions of a project (guidance §VII.D: a modification documents
//! what changed since the last clearance).
//!
//! [`diff`] is pure: it takes two loaded and checked projects and returns a [`Diff`], which
//! serialises to the JSON that `dossier diff --format json` prints. Items are compared by ID,
//! field by field, on their serialised values (positions are not part of a value, so moving an
//! item between files is no change). SBOM components are matched by purl without its version
//! (else by name), so an upgrade is one change. Appendix 1 coverage is compared per
//! recommendation and per category.

use crate::check::{self, Ctx, Outcome, coverage};
use crate::finding::{self, natural_key};
use crate::model::{Project, Release, SoftwareComponent};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// One side of the comparison: a loaded project and its check outcome (`check::run`: the
/// loader's findings included and the project's `check:` policy applied, as `dossier check`
/// counts them).
#[derive(Clone, Copy)]
pub struct Side<'a> {
    /// How the side is named in the output: a path, or `REV:path` for a git revision.
    pub label: &'a str,
    pub project: &'a Project,
    pub outcome: &'a Outcome,
}

/// Everything that differs between two versions of a project.
#[derive(Clone, Debug, Serialize)]
pub struct Diff {
    pub old: Header,
    pub new: Header,
    /// Sorted by kind (in [`Kind`] order), then ID in natural order.
    pub changes: Vec<Change>,
    pub coverage: CoverageDiff,
    pub summary: Counts,
}

impl Diff {
    /// Whether anything changed: an item, or the coverage of a recommendation.
    pub fn has_changes(&self) -> bool {
        !self.summary.identical
    }
}

/// What one side is.
#[derive(Clone, Debug, Serialize)]
pub struct Header {
    pub source: String,
    pub device: String,
    pub release: Release,
    /// The guidance edition it was checked against.
    pub edition: String,
    /// The cyber device decision (stated or derived).
    pub cyber_device: bool,
    /// Loader and rule findings of this side, per severity.
    pub findings: finding::Summary,
}

/// The kinds of things compared, in output order (the order of the submission).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `dossier.yaml`: device, release, submission, cyber device, guidance edition, date.
    Settings,
    Component,
    Flow,
    Boundary,
    Asset,
    View,
    Threat,
    Risk,
    /// The `risk_management` section.
    RiskManagement,
    Control,
    NotApplicable,
    Test,
    TestFinding,
    Anomaly,
    /// The `sbom` section itself (sources, maintenance, ...), not its components.
    Sbom,
    /// A software component of the SBOM files or `sbom.components`.
    SbomComponent,
    Vulnerability,
    Labeling,
    Plan,
}

impl Kind {
    /// Heading of the group in human output.
    pub fn heading(self) -> &'static str {
        match self {
            Kind::Settings => "settings",
            Kind::Component => "architecture components",
            Kind::Flow => "data flows",
            Kind::Boundary => "trust boundaries",
            Kind::Asset => "assets",
            Kind::View => "architecture views",
            Kind::Threat => "threats",
            Kind::Risk => "risks",
            Kind::RiskManagement => "risk management",
            Kind::Control => "controls",
            Kind::NotApplicable => "not applicable",
            Kind::Test => "tests",
            Kind::TestFinding => "test findings",
            Kind::Anomaly => "anomalies",
            Kind::Sbom => "SBOM section",
            Kind::SbomComponent => "SBOM components",
            Kind::Vulnerability => "vulnerabilities",
            Kind::Labeling => "labeling",
            Kind::Plan => "cybersecurity management plan",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One item added, removed or changed.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    pub kind: Kind,
    pub id: String,
    pub change: ChangeKind,
    /// Title or name of the item (the new one, else the old one); for an SBOM component,
    /// `name@version`.
    pub title: Option<String>,
    /// For `changed`: each field that differs, in the order of the model. Empty otherwise.
    pub fields: Vec<FieldChange>,
}

/// One field of a changed item. Nested fields are dotted (`before.exploitability`); lists are
/// compared whole. A field that is absent on one side is `null` there.
#[derive(Clone, Debug, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// Counts of changes.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    /// Whether nothing changed at all: no item and no recommendation's coverage.
    pub identical: bool,
}

/// How a required Appendix 1 recommendation is met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Addressed by a control that is implemented and verified by a passing test.
    Verified,
    /// Addressed by a control, but no addressing control is verified.
    Covered,
    /// Declared not applicable (and addressed by no control).
    NotApplicable,
    /// Neither addressed nor declared not applicable.
    Missing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::Covered => "covered",
            Status::NotApplicable => "not-applicable",
            Status::Missing => "missing",
        }
    }
}

/// Appendix 1 coverage before and after.
#[derive(Clone, Debug, Serialize)]
pub struct CoverageDiff {
    /// Required recommendations that are missing now and were not before.
    pub newly_missing: Vec<String>,
    /// Required recommendations that were missing and are not now (addressed by a control, or
    /// declared not applicable).
    pub newly_covered: Vec<String>,
    /// Every required recommendation whose status or addressing controls changed, in catalog
    /// order.
    pub recommendations: Vec<RecommendationChange>,
    /// Counts per Appendix 1 category, before and after, for every category.
    pub categories: Vec<CategoryChange>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RecommendationChange {
    pub id: String,
    pub category: String,
    pub title: String,
    /// `null` when the recommendation is not in that side's guidance edition.
    pub old: Option<Status>,
    pub new: Option<Status>,
    /// Controls that address it, in natural order.
    pub old_controls: Vec<String>,
    pub new_controls: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CategoryChange {
    pub id: String,
    pub title: String,
    /// `null` when the category is not in that side's guidance edition.
    pub old: Option<CategoryCounts>,
    pub new: Option<CategoryCounts>,
    pub changed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CategoryCounts {
    pub required: usize,
    pub covered: usize,
    pub verified: usize,
    pub not_applicable: usize,
    pub missing: usize,
}

/// Compares two versions of a project.
pub fn diff(old: Side, new: Side) -> Diff {
    let mut changes = Vec::new();
    compare_singleton(
        Kind::Settings,
        "settings",
        Some(settings_value(old)),
        Some(settings_value(new)),
        &mut changes,
    );
    compare_collections(old.project, new.project, &mut changes);
    compare_sbom_components(
        &old.project.inventory.components,
        &new.project.inventory.components,
        &mut changes,
    );
    changes.sort_by_cached_key(|c| (c.kind, natural_key(&c.id), c.id.clone()));

    let coverage = compare_coverage(old, new);
    let mut summary = Counts::default();
    for change in &changes {
        match change.change {
            ChangeKind::Added => summary.added += 1,
            ChangeKind::Removed => summary.removed += 1,
            ChangeKind::Changed => summary.changed += 1,
        }
    }
    summary.identical = changes.is_empty() && coverage.recommendations.is_empty();
    Diff {
        old: header(old),
        new: header(new),
        changes,
        coverage,
        summary,
    }
}

fn header(side: Side) -> Header {
    let settings = &side.project.settings;
    Header {
        source: side.label.to_string(),
        device: settings.device.name.clone(),
        release: settings.release.clone(),
        edition: side.outcome.edition.clone(),
        cyber_device: side.outcome.cyber.cyber_device,
        findings: finding::Summary::of(&side.outcome.findings),
    }
}

/// The settings that say something about the submission (`output` and `exclude` do not), plus
/// the cyber device decision as made.
fn settings_value(side: Side) -> Value {
    let mut value = to_value(&side.project.settings);
    if let Value::Object(map) = &mut value {
        map.remove("output");
        map.remove("exclude");
        map.insert(
            "cyber_device_decision".into(),
            Value::Bool(side.outcome.cyber.cyber_device),
        );
    }
    value
}

fn to_value<T: Serialize>(item: &T) -> Value {
    serde_json::to_value(item).unwrap_or(Value::Null)
}

/// An item with an ID, as a serialised value.
struct Item {
    id: String,
    title: Option<String>,
    value: Value,
}

/// Items of one collection, first occurrence of each ID (duplicates are loader findings).
fn items<T: Serialize>(list: &[T]) -> BTreeMap<String, Item> {
    let mut map = BTreeMap::new();
    for entry in list {
        let value = to_value(entry);
        let Some(id) = value.get("id").and_then(Value::as_str).map(str::to_string) else {
            continue;
        };
        map.entry(id.clone()).or_insert_with(|| Item {
            title: title_of(&value),
            id,
            value,
        });
    }
    map
}

fn title_of(value: &Value) -> Option<String> {
    ["title", "name", "purpose"]
        .iter()
        .find_map(|key| value.get(*key).and_then(Value::as_str))
        .map(str::to_string)
}

fn compare_collections(old: &Project, new: &Project, out: &mut Vec<Change>) {
    compare_items(
        Kind::Component,
        items(&old.components),
        items(&new.components),
        out,
    );
    compare_items(Kind::Flow, items(&old.flows), items(&new.flows), out);
    compare_items(
        Kind::Boundary,
        items(&old.boundaries),
        items(&new.boundaries),
        out,
    );
    compare_items(Kind::Asset, items(&old.assets), items(&new.assets), out);
    compare_items(Kind::View, items(&old.views), items(&new.views), out);
    compare_items(Kind::Threat, items(&old.threats), items(&new.threats), out);
    compare_items(Kind::Risk, items(&old.risks), items(&new.risks), out);
    compare_items(
        Kind::Control,
        items(&old.controls),
        items(&new.controls),
        out,
    );
    compare_items(
        Kind::NotApplicable,
        items(&old.not_applicable),
        items(&new.not_applicable),
        out,
    );
    compare_items(Kind::Test, tests(old), tests(new), out);
    compare_items(
        Kind::TestFinding,
        test_findings(old),
        test_findings(new),
        out,
    );
    compare_items(
        Kind::Anomaly,
        items(&old.anomalies),
        items(&new.anomalies),
        out,
    );
    compare_items(
        Kind::Vulnerability,
        items(&old.vulnerabilities),
        items(&new.vulnerabilities),
        out,
    );
    compare_singleton(
        Kind::RiskManagement,
        "risk_management",
        old.risk_management.as_ref().map(to_value),
        new.risk_management.as_ref().map(to_value),
        out,
    );
    compare_singleton(
        Kind::Sbom,
        "sbom",
        old.sbom.as_ref().map(sbom_section_value),
        new.sbom.as_ref().map(sbom_section_value),
        out,
    );
    compare_singleton(
        Kind::Labeling,
        "labeling",
        old.labeling.as_ref().map(to_value),
        new.labeling.as_ref().map(to_value),
        out,
    );
    compare_singleton(
        Kind::Plan,
        "plan",
        old.plan.as_ref().map(to_value),
        new.plan.as_ref().map(to_value),
        out,
    );
}

/// Tests without their findings (those are compared as items of their own).
fn tests(project: &Project) -> BTreeMap<String, Item> {
    let mut map = items(&project.tests);
    for item in map.values_mut() {
        if let Value::Object(fields) = &mut item.value {
            fields.remove("findings");
        }
    }
    map
}

/// Test findings, each with the test that reported it.
fn test_findings(project: &Project) -> BTreeMap<String, Item> {
    let mut map = BTreeMap::new();
    for test in &project.tests {
        for found in &test.findings {
            let mut value = to_value(found);
            if let Value::Object(fields) = &mut value {
                fields.insert("test".into(), Value::String(test.id.value.clone()));
            }
            map.entry(found.id.value.clone()).or_insert_with(|| Item {
                id: found.id.value.clone(),
                title: Some(found.title.clone()),
                value,
            });
        }
    }
    map
}

/// The SBOM section without its components and support entries: their effect shows in the
/// SBOM components, compared one by one.
fn sbom_section_value(section: &crate::model::SbomSection) -> Value {
    let mut value = to_value(section);
    if let Value::Object(map) = &mut value {
        map.remove("components");
        map.remove("support");
    }
    value
}

fn compare_items(
    kind: Kind,
    old: BTreeMap<String, Item>,
    mut new: BTreeMap<String, Item>,
    out: &mut Vec<Change>,
) {
    for (id, before) in old {
        match new.remove(&id) {
            None => out.push(Change {
                kind,
                id,
                change: ChangeKind::Removed,
                title: before.title,
                fields: Vec::new(),
            }),
            Some(after) => {
                let mut fields = Vec::new();
                field_changes("", &before.value, &after.value, &mut fields);
                fields.retain(|f| f.field != "id");
                if !fields.is_empty() {
                    out.push(Change {
                        kind,
                        id,
                        change: ChangeKind::Changed,
                        title: after.title.or(before.title),
                        fields,
                    });
                }
            }
        }
    }
    for after in new.into_values() {
        out.push(Change {
            kind,
            id: after.id,
            change: ChangeKind::Added,
            title: after.title,
            fields: Vec::new(),
        });
    }
}

/// A section that exists once per project (or not at all).
fn compare_singleton(
    kind: Kind,
    id: &str,
    old: Option<Value>,
    new: Option<Value>,
    out: &mut Vec<Change>,
) {
    let (change, fields) = match (old, new) {
        (None, None) => return,
        (Some(_), None) => (ChangeKind::Removed, Vec::new()),
        (None, Some(_)) => (ChangeKind::Added, Vec::new()),
        (Some(before), Some(after)) => {
            let mut fields = Vec::new();
            field_changes("", &before, &after, &mut fields);
            if fields.is_empty() {
                return;
            }
            (ChangeKind::Changed, fields)
        }
    };
    out.push(Change {
        kind,
        id: id.to_string(),
        change,
        title: None,
        fields,
    });
}

/// Differences between two values: objects field by field (dotted paths), everything else whole.
/// A missing field counts as `null`.
fn field_changes(path: &str, old: &Value, new: &Value, out: &mut Vec<FieldChange>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            for key in keys {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                let before = a.get(key).unwrap_or(&Value::Null);
                let after = b.get(key).unwrap_or(&Value::Null);
                field_changes(&child, before, after, out);
            }
        }
        _ if old == new => {}
        _ => out.push(FieldChange {
            field: path.to_string(),
            old: old.clone(),
            new: new.clone(),
        }),
    }
}

/// The identity of an SBOM component across versions: its purl without version, qualifiers
/// and subpath, else its name.
fn component_key(component: &SoftwareComponent) -> String {
    match component.purl.as_deref().map(str::trim) {
        Some(purl) if !purl.is_empty() => {
            // The version starts at the last `@` before any qualifiers or subpath (a purl
            // namespace may hold an encoded `@`, never a literal one).
            let end = purl.find(['?', '#']).unwrap_or(purl.len());
            let base = &purl[..end];
            match base.rfind('@') {
                Some(at) => base[..at].to_string(),
                None => base.to_string(),
            }
        }
        _ => component.name.clone(),
    }
}

/// The compared fields of an SBOM component. Hashes, dependency relationships and bom-refs
/// are left out: they change with every version and say nothing a reviewer reads.
fn component_value(component: &SoftwareComponent) -> Value {
    let support = component
        .support
        .map(|s| to_value(&s))
        .or_else(|| component.support_text.clone().map(Value::String))
        .unwrap_or(Value::Null);
    let end_of_support = component
        .end_of_support
        .map(|e| Value::String(e.to_string()))
        .or_else(|| component.end_of_support_text.clone().map(Value::String))
        .unwrap_or(Value::Null);
    json!({
        "name": component.name,
        "version": component.version,
        "supplier": component.supplier,
        "author": component.author,
        "kind": component.kind,
        "purl": component.purl,
        "cpe": component.cpe,
        "swid": component.swid,
        "licenses": component.licenses,
        "support": support,
        "end_of_support": end_of_support,
        "justification": component.justification,
        "file": component.location.file,
    })
}

fn compare_sbom_components(
    old: &[SoftwareComponent],
    new: &[SoftwareComponent],
    out: &mut Vec<Change>,
) {
    fn group(list: &[SoftwareComponent]) -> BTreeMap<String, Vec<&SoftwareComponent>> {
        let mut map: BTreeMap<String, Vec<&SoftwareComponent>> = BTreeMap::new();
        for component in list {
            map.entry(component_key(component))
                .or_default()
                .push(component);
        }
        map
    }
    let old_groups = group(old);
    let new_groups = group(new);
    let keys: BTreeSet<&String> = old_groups.keys().chain(new_groups.keys()).collect();

    type Rule = fn(&SoftwareComponent, &SoftwareComponent) -> bool;
    let rules: [Rule; 4] = [
        |a, b| a.location.file == b.location.file && a.version == b.version,
        |a, b| a.location.file == b.location.file,
        |a, b| a.version == b.version,
        |_, _| true,
    ];
    let mut removed: Vec<(String, bool, &SoftwareComponent)> = Vec::new();
    let mut added: Vec<(String, bool, &SoftwareComponent)> = Vec::new();
    for key in keys {
        let empty = Vec::new();
        let before = old_groups.get(key).unwrap_or(&empty);
        let after = new_groups.get(key).unwrap_or(&empty);
        let ambiguous = before.len() > 1 || after.len() > 1;
        let (pairs, left_old, left_new) = pair(before, after, &rules);
        for (a, b) in pairs {
            push_component_change(out, component_id(key, ambiguous, b), a, b);
        }
        removed.extend(left_old.into_iter().map(|c| (key.clone(), ambiguous, c)));
        added.extend(left_new.into_iter().map(|c| (key.clone(), ambiguous, c)));
    }

    // A component that gained or lost its purl keeps its name: pair those by name.
    let mut taken = vec![false; added.len()];
    for (key, ambiguous, a) in removed {
        let found = added
            .iter()
            .enumerate()
            .position(|(j, (_, _, b))| !taken[j] && b.name == a.name);
        match found {
            Some(j) => {
                taken[j] = true;
                let (new_key, new_ambiguous, b) = &added[j];
                push_component_change(out, component_id(new_key, *new_ambiguous, b), a, b);
            }
            None => out.push(Change {
                kind: Kind::SbomComponent,
                id: component_id(&key, ambiguous, a),
                change: ChangeKind::Removed,
                title: Some(a.label()),
                fields: Vec::new(),
            }),
        }
    }
    for ((key, ambiguous, b), taken) in added.iter().zip(taken) {
        if !taken {
            out.push(Change {
                kind: Kind::SbomComponent,
                id: component_id(key, *ambiguous, b),
                change: ChangeKind::Added,
                title: Some(b.label()),
                fields: Vec::new(),
            });
        }
    }
}

/// The key, and the file it is written in when the key alone names several components.
fn component_id(key: &str, ambiguous: bool, component: &SoftwareComponent) -> String {
    if ambiguous {
        format!("{key} ({})", component.location.file)
    } else {
        key.to_string()
    }
}

type Pairs<'a> = (
    Vec<(&'a SoftwareComponent, &'a SoftwareComponent)>,
    Vec<&'a SoftwareComponent>,
    Vec<&'a SoftwareComponent>,
);

/// Pairs old and new components, trying each rule in turn; returns the pairs and what is left.
fn pair<'a>(
    old: &[&'a SoftwareComponent],
    new: &[&'a SoftwareComponent],
    rules: &[fn(&SoftwareComponent, &SoftwareComponent) -> bool],
) -> Pairs<'a> {
    let mut left_old: Vec<Option<&SoftwareComponent>> = old.iter().copied().map(Some).collect();
    let mut left_new: Vec<Option<&SoftwareComponent>> = new.iter().copied().map(Some).collect();
    let mut pairs = Vec::new();
    for rule in rules {
        for slot in left_old.iter_mut() {
            let Some(a) = *slot else { continue };
            let found = left_new
                .iter_mut()
                .find(|other| other.is_some_and(|b| rule(a, b)));
            if let Some(b) = found.and_then(Option::take) {
                pairs.push((a, b));
                *slot = None;
            }
        }
    }
    (
        pairs,
        left_old.into_iter().flatten().collect(),
        left_new.into_iter().flatten().collect(),
    )
}

fn push_component_change(
    out: &mut Vec<Change>,
    id: String,
    old: &SoftwareComponent,
    new: &SoftwareComponent,
) {
    let mut fields = Vec::new();
    field_changes(
        "",
        &component_value(old),
        &component_value(new),
        &mut fields,
    );
    if fields.is_empty() {
        return;
    }
    out.push(Change {
        kind: Kind::SbomComponent,
        id,
        change: ChangeKind::Changed,
        title: Some(new.label()),
        fields,
    });
}

/// A required recommendation on one side.
struct RecState {
    category: String,
    title: String,
    status: Status,
    controls: Vec<String>,
}

/// Status of every required Appendix 1 recommendation, in catalog order.
fn recommendation_states(project: &Project) -> Vec<(String, RecState)> {
    let (catalog, _) = check::edition_of(project);
    let ctx = Ctx::new(project, catalog);
    let addressed = coverage::addressed_by(&ctx);
    let mut states = Vec::new();
    for category in catalog.categories() {
        for entry in catalog
            .appendix1_items(&category.id)
            .filter(|e| e.coverage_required())
        {
            let mut controls: Vec<String> = addressed
                .get(entry.id.as_str())
                .map(|ids| ids.iter().map(|c| c.to_string()).collect())
                .unwrap_or_default();
            controls.sort_by_cached_key(|c| natural_key(c));
            let status = if controls.is_empty() {
                if ctx.not_applicable(&entry.id).is_some() {
                    Status::NotApplicable
                } else {
                    Status::Missing
                }
            } else if controls.iter().any(|c| coverage::control_verified(&ctx, c)) {
                Status::Verified
            } else {
                Status::Covered
            };
            states.push((
                entry.id.clone(),
                RecState {
                    category: category.id.clone(),
                    title: entry.title.clone(),
                    status,
                    controls,
                },
            ));
        }
    }
    states
}

fn compare_coverage(old: Side, new: Side) -> CoverageDiff {
    let before = recommendation_states(old.project);
    let after = recommendation_states(new.project);
    let before_by_id: BTreeMap<&str, &RecState> =
        before.iter().map(|(id, s)| (id.as_str(), s)).collect();
    let after_ids: BTreeSet<&str> = after.iter().map(|(id, _)| id.as_str()).collect();

    let mut recommendations = Vec::new();
    let mut newly_missing = Vec::new();
    let mut newly_covered = Vec::new();
    let mut record = |id: &str, was: Option<&RecState>, now: Option<&RecState>| {
        let old_status = was.map(|s| s.status);
        let new_status = now.map(|s| s.status);
        let old_controls = was.map(|s| s.controls.clone()).unwrap_or_default();
        let new_controls = now.map(|s| s.controls.clone()).unwrap_or_default();
        if old_status == new_status && old_controls == new_controls {
            return;
        }
        if new_status == Some(Status::Missing) && old_status != Some(Status::Missing) {
            newly_missing.push(id.to_string());
        }
        if old_status == Some(Status::Missing) && new_status.is_some_and(|s| s != Status::Missing) {
            newly_covered.push(id.to_string());
        }
        let Some(any) = now.or(was) else { return };
        recommendations.push(RecommendationChange {
            id: id.to_string(),
            category: any.category.clone(),
            title: any.title.clone(),
            old: old_status,
            new: new_status,
            old_controls,
            new_controls,
        });
    };
    for (id, now) in &after {
        record(id, before_by_id.get(id.as_str()).copied(), Some(now));
    }
    for (id, was) in &before {
        if !after_ids.contains(id.as_str()) {
            record(id, Some(was), None);
        }
    }

    let counts = |c: &coverage::CategoryCoverage| CategoryCounts {
        required: c.required,
        covered: c.covered,
        verified: c.verified,
        not_applicable: c.not_applicable,
        missing: c.missing,
    };
    let old_categories = &old.outcome.coverage.categories;
    let new_categories = &new.outcome.coverage.categories;
    let mut categories: Vec<CategoryChange> = new_categories
        .iter()
        .map(|c| {
            let was = old_categories.iter().find(|o| o.id == c.id).map(counts);
            let now = Some(counts(c));
            CategoryChange {
                id: c.id.clone(),
                title: c.title.clone(),
                changed: was != now,
                old: was,
                new: now,
            }
        })
        .collect();
    for c in old_categories {
        if !new_categories.iter().any(|n| n.id == c.id) {
            categories.push(CategoryChange {
                id: c.id.clone(),
                title: c.title.clone(),
                old: Some(counts(c)),
                new: None,
                changed: true,
            });
        }
    }

    CoverageDiff {
        newly_missing,
        newly_covered,
        recommendations,
        categories,
    }
}

/// A value as short text for people: strings as they are (whitespace collapsed), `(none)` for
/// nothing, lists of text as `a, b`, anything else as compact JSON.
pub fn compact(value: &Value) -> String {
    match value {
        Value::Null => "(none)".to_string(),
        Value::String(text) => text.split_whitespace().collect::<Vec<_>>().join(" "),
        Value::Array(items) if items.is_empty() => "[]".to_string(),
        Value::Array(items) if items.iter().all(|i| !i.is_array() && !i.is_object()) => {
            let parts: Vec<String> = items.iter().map(compact).collect();
            format!("[{}]", parts.join(", "))
        }
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// Shortens a pair of long texts to the part that differs, with a little context.
pub fn shorten_pair(old: &str, new: &str) -> (String, String) {
    const MAX: usize = 72;
    const CONTEXT: usize = 20;
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    if a.len() <= MAX && b.len() <= MAX {
        return (old.to_string(), new.to_string());
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let limit = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(limit)
        .take_while(|(x, y)| x == y)
        .count();
    // Cut only where it saves something worth an ellipsis.
    // Cut only where it saves something worth an ellipsis, and between words.
    let mut start = match prefix.saturating_sub(CONTEXT) {
        n if n < 10 => 0,
        n => n,
    };
    while start > 0 && !a[start - 1].is_whitespace() && prefix - start < 2 * CONTEXT {
        start -= 1;
    }
    let window = |chars: &[char]| {
        let mut end = match chars.len() - suffix + CONTEXT {
            n if n + 10 > chars.len() => chars.len(),
            n => n,
        };
        while end < chars.len()
            && !chars[end].is_whitespace()
            && end + suffix < chars.len() + 2 * CONTEXT
        {
            end += 1;
        }
        let mut text = String::new();
        if start > 0 {
            text.push('…');
        }
        let stop = end.min(start + MAX);
        text.extend(&chars[start..stop]);
        if stop < chars.len() {
            text.push('…');
        }
        text
    };
    (window(&a), window(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(name: &str, version: &str, purl: Option<&str>) -> SoftwareComponent {
        SoftwareComponent {
            name: name.into(),
            version: Some(version.into()),
            supplier: None,
            author: None,
            kind: None,
            purl: purl.map(String::from),
            cpe: None,
            swid: None,
            hashes: Vec::new(),
            licenses: Vec::new(),
            depends_on: Vec::new(),
            bom_ref: None,
            in_dependency_graph: false,
            support: None,
            support_text: None,
            end_of_support: None,
            end_of_support_text: None,
            support_source: None,
            justification: None,
            location: crate::finding::Location::file("sbom/a.cdx.json"),
            support_location: None,
        }
    }

    #[test]
    fn purl_key_drops_version_and_qualifiers() {
        let c = component(
            "linux",
            "6.1",
            Some("pkg:generic/linux@6.1?vcs_url=git%2Bhttps://x@y"),
        );
        assert_eq!(component_key(&c), "pkg:generic/linux");
        let c = component("zlib", "1.3", None);
        assert_eq!(component_key(&c), "zlib");
        let c = component("x", "1", Some("pkg:npm/%40scope/x@1.0.0"));
        assert_eq!(component_key(&c), "pkg:npm/%40scope/x");
    }

    #[test]
    fn an_upgrade_is_one_change_and_duplicates_pair_by_version() {
        let old = vec![
            component("zlib", "1.2", Some("pkg:generic/zlib@1.2")),
            component("openssl", "3.0", Some("pkg:generic/openssl@3.0")),
            component("openssl", "1.1", Some("pkg:generic/openssl@1.1")),
        ];
        let new = vec![
            component("zlib", "1.3", Some("pkg:generic/zlib@1.3")),
            component("openssl", "1.1", Some("pkg:generic/openssl@1.1")),
            component("openssl", "3.1", Some("pkg:generic/openssl@3.1")),
            component("busybox", "1.36", None),
        ];
        let mut out = Vec::new();
        compare_sbom_components(&old, &new, &mut out);
        let summary: Vec<(String, ChangeKind, Vec<String>)> = out
            .iter()
            .map(|c| {
                (
                    c.id.clone(),
                    c.change,
                    c.fields.iter().map(|f| f.field.clone()).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "pkg:generic/openssl (sbom/a.cdx.json)".to_string(),
                    ChangeKind::Changed,
                    vec!["version".to_string(), "purl".to_string()]
                ),
                (
                    "pkg:generic/zlib".to_string(),
                    ChangeKind::Changed,
                    vec!["version".to_string(), "purl".to_string()]
                ),
                ("busybox".to_string(), ChangeKind::Added, vec![]),
            ]
        );
    }

    #[test]
    fn a_component_that_gains_a_purl_is_changed_not_replaced() {
        let old = vec![component("zlib", "1.3", None)];
        let new = vec![component("zlib", "1.3", Some("pkg:generic/zlib@1.3"))];
        let mut out = Vec::new();
        compare_sbom_components(&old, &new, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].change, ChangeKind::Changed);
        assert_eq!(out[0].id, "pkg:generic/zlib");
        assert_eq!(out[0].fields[0].field, "purl");
    }

    #[test]
    fn nested_fields_are_dotted_and_lists_whole() {
        let old = json!({"id": "R-1", "before": {"exploitability": "low", "cvss": null}, "controls": ["C-1", "C-2"]});
        let new = json!({"id": "R-1", "before": {"exploitability": "high", "cvss": null}, "controls": ["C-2"]});
        let mut fields = Vec::new();
        field_changes("", &old, &new, &mut fields);
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, vec!["before.exploitability", "controls"]);
        assert_eq!(compact(&fields[1].old), "[C-1, C-2]");
    }

    #[test]
    fn long_texts_shorten_to_the_difference() {
        let old = format!("{} alpha {}", "a".repeat(100), "z".repeat(100));
        let new = format!("{} beta {}", "a".repeat(100), "z".repeat(100));
        let (a, b) = shorten_pair(&old, &new);
        assert!(a.contains("alpha") && b.contains("beta"), "{a} / {b}");
        assert!(a.starts_with('…') && a.ends_with('…'));
        assert!(a.chars().count() < 80);
        let (a, b) = shorten_pair("short", "text");
        assert_eq!((a.as_str(), b.as_str()), ("short", "text"));
    }
}
