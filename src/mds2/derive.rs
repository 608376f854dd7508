//! Answers the project model can give by itself. Each rule is named in the catalog (`derive:`),
//! looks at one kind of model fact, and either answers with the facts it rests on or says
//! nothing. A rule only answers what the model actually shows: "the device has no Bluetooth
//! interface" is a fact, "no flow carries patient data" is not (the model does not tag PII), so
//! many rules answer only Yes or only No and leave the other case to the project.

use crate::check::cyber::device_components;
use crate::check::filled;
use crate::model::*;
use std::collections::BTreeSet;

/// What the model shows about one question.
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    pub reply: Reply,
    /// What the model shows, as a clause that can follow "but": "every device flow uses TLS
    /// 1.3: F-1, F-2".
    pub shows: String,
    /// The model facts it rests on, one per item ("F-1: TLS 1.3").
    pub facts: Vec<String>,
}

/// A yes/no answer or, for document information, a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Answer(Answer),
    Text(String),
}

type Rule = fn(&Facts, &str) -> Option<Derived>;

/// Every rule the catalog may name. A test checks that each `derive:` of the catalog is here.
pub const RULES: &[(&str, Rule)] = &[
    ("doc-manufacturer", doc_manufacturer),
    ("doc-description", doc_description),
    ("doc-model", doc_model),
    ("doc-document-id", doc_document_id),
    ("doc-contact", doc_contact),
    ("doc-network-use", doc_network_use),
    ("doc-release-date", doc_release_date),
    ("doc-cvd", doc_cvd),
    ("doc-isao", doc_isao),
    ("doc-diagram", doc_diagram),
    ("doc-samd", software_only),
    ("plok-software-only", software_only),
    ("mpii-removable-media", |f, _| {
        f.absent(Class::RemovableMedia)
    }),
    ("mpii-cable", |f, _| f.absent(Class::Cable)),
    ("mpii-wired-network", |f, _| f.absent(Class::Ethernet)),
    ("mpii-wireless", |f, _| f.absent(Class::Wireless)),
    ("mpii-internet", |f, _| f.no_internet()),
    ("conn-any", |f, _| f.presence(Class::Any)),
    ("conn-wireless", |f, _| f.presence(Class::Wireless)),
    ("conn-wifi", |f, _| f.presence(Class::Wifi)),
    ("conn-bluetooth", |f, _| f.presence(Class::Bluetooth)),
    ("conn-other-wireless", |f, _| {
        f.presence(Class::OtherWireless)
    }),
    ("conn-physical", |f, _| f.presence(Class::Physical)),
    ("conn-ethernet", |f, _| f.presence(Class::Ethernet)),
    ("conn-usb", |f, _| f.presence(Class::Usb)),
    ("conn-removable-media", |f, _| {
        f.presence(Class::RemovableMedia)
    }),
    ("conn-other-physical", |f, _| {
        f.presence(Class::OtherPhysical)
    }),
    ("conn-port-list", conn_port_list),
    ("conn-site-systems", conn_site_systems),
    ("conn-outside-systems", conn_outside_systems),
    ("conn-internet-needed", |f, _| f.no_internet()),
    ("conn-tls", conn_tls),
    ("conn-remote-control", conn_remote_control),
    ("alof-timeout", |f, _| {
        f.controls(&["AUTHZ-2"], NoWhen::NotApplicable)
    }),
    ("audt-logging", |f, _| {
        f.controls(&["LOG-1", "LOG-2"], NoWhen::NotApplicable)
    }),
    ("audt-documented", |f, _| {
        f.labeling("forensics", |l| &l.forensics)
    }),
    ("audt-time-sync", audt_time_sync),
    ("audt-export", |f, _| f.controls(&["LOG-2"], NoWhen::Never)),
    ("auth-enforced", |f, _| {
        f.controls(&["AUTHZ-1"], NoWhen::NotApplicable)
    }),
    ("auth-roles", |f, _| {
        f.controls(&["AUTHZ-3"], NoWhen::NotApplicable)
    }),
    ("auth-least-privilege", |f, _| {
        f.controls(&["AUTHZ-P1"], NoWhen::NotApplicable)
    }),
    ("csup-updatable", csup_updatable),
    ("csup-os", csup_os),
    ("csup-third-party", csup_third_party),
    ("csup-notification", csup_notification),
    ("csup-review-cycle", csup_review_cycle),
    ("csup-critical-window", csup_critical_window),
    ("csup-separate-patches", |f, _| {
        f.controls(&["UPDATE-3"], NoWhen::NotApplicable)
    }),
    ("dtbk-factory-reset", |f, _| {
        f.controls(&["RESIL-2"], NoWhen::Never)
    }),
    ("dtbk-config-backup", dtbk_config_backup),
    ("igau-stored-integrity", |f, _| {
        f.controls(&["INTEG-D3", "AUTHN-S1"], NoWhen::Never)
    }),
    ("mldp-anti-malware", mldp_anti_malware),
    ("mldp-allow-listing", |f, _| {
        f.controls(&["INTEG-C4"], NoWhen::Never)
    }),
    ("naut-peers", naut_peers),
    ("naut-certificates", naut_certificates),
    ("paut-users", |f, _| {
        f.controls(&["AUTHN-3"], NoWhen::NotApplicable)
    }),
    ("paut-no-default-passwords", |f, _| {
        f.controls(&["AUTHN-5"], NoWhen::Never)
    }),
    ("paut-credential-storage", |f, _| {
        f.controls(&["CONF-P2"], NoWhen::Never)
    }),
    ("rdmp-third-party", rdmp_third_party),
    ("rdmp-support-dates", rdmp_support_dates),
    ("rdmp-end-of-life", |f, _| {
        f.labeling("end_of_support", |l| &l.end_of_support)
    }),
    ("sbom-available", sbom_available),
    ("sbom-format", sbom_format),
    ("sbom-names", sbom_names),
    ("sbom-suppliers", |f, _| {
        f.sbom_element("supplier", |c| c.supplier.is_some())
    }),
    ("sbom-versions", |f, _| {
        f.sbom_element("version", |c| c.version.is_some())
    }),
    ("sbom-identifiers", |f, _| {
        f.sbom_element("unique identifier (purl, CPE or SWID)", |c| {
            c.purl.is_some() || c.cpe.is_some() || c.swid.is_some()
        })
    }),
    ("sbom-on-device", |f, _| {
        f.controls(&["LOG-8"], NoWhen::Never)
    }),
    ("sbom-maintenance", sbom_maintenance),
    ("sahd-software-integrity", |f, _| {
        f.controls(&["INTEG-C2", "AUTHN-S4"], NoWhen::Never)
    }),
    ("sahd-secure-boot", |f, _| {
        f.controls(&["INTEG-C4"], NoWhen::Never)
    }),
    ("sahd-update-integrity", |f, _| {
        f.controls(&["INTEG-C3", "AUTHN-4"], NoWhen::Never)
    }),
    ("sahd-hardening-guide", |f, _| {
        f.labeling("secure_configuration", |l| &l.secure_configuration)
    }),
    ("sahd-debug-closed", sahd_debug_closed),
    ("sgud-documentation", sgud_documentation),
    ("sgud-data-deletion", |f, _| {
        f.labeling("decommissioning", |l| &l.decommissioning)
    }),
    ("sgud-recommended-controls", |f, _| {
        f.labeling("security_controls", |l| &l.security_controls)
    }),
    ("stcf-encryption-at-rest", stcf_encryption_at_rest),
    ("txcf-encrypted", txcf_encrypted),
    ("txcf-fixed-destinations", txcf_fixed_destinations),
    ("txcf-authenticated", txcf_authenticated),
    ("txig-protected", txig_protected),
    ("txig-external-cables", txig_external_cables),
    ("rmot-remote-service", rmot_remote_service),
    ("rmot-telemetry", rmot_telemetry),
    ("rmot-other", rmot_other),
];

/// Runs the named rule. An unknown name answers nothing (a test keeps the catalog in step).
pub fn derive(rule: &str, facts: &Facts, question: &str) -> Option<Derived> {
    RULES
        .iter()
        .find(|(name, _)| *name == rule)
        .and_then(|(_, run)| run(facts, question))
}

/// The model, indexed once for the rules.
pub struct Facts<'a> {
    pub project: &'a Project,
    /// The components that make up the device (see `check::cyber::device_components`).
    device: Vec<&'a Component>,
    device_ids: BTreeSet<&'a str>,
    /// Flows with at least one end in the device, except those marked unused.
    flows: Vec<&'a Flow>,
}

/// When a controls rule may answer No: never, or when every named recommendation is declared
/// not applicable (the device then has no such function).
#[derive(Clone, Copy, PartialEq, Eq)]
enum NoWhen {
    Never,
    NotApplicable,
}

/// Groups of transports the connectivity questions ask about.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Any,
    Wireless,
    Wifi,
    Bluetooth,
    OtherWireless,
    Physical,
    Ethernet,
    Usb,
    RemovableMedia,
    OtherPhysical,
    /// Dedicated point-to-point cables.
    Cable,
}

impl Class {
    fn contains(self, t: Transport) -> bool {
        use Transport::*;
        match self {
            Class::Any => {
                Class::Wireless.contains(t) || Class::Physical.contains(t) || t == Internet
            }
            Class::Wireless => {
                matches!(t, Wifi | Cellular | Bluetooth | Ble | Nfc | Inductive | Rf)
            }
            Class::Wifi => t == Wifi,
            Class::Bluetooth => matches!(t, Bluetooth | Ble),
            Class::OtherWireless => matches!(t, Cellular | Nfc | Inductive | Rf),
            Class::Physical => matches!(t, Ethernet | Usb | Serial | Debug | RemovableMedia),
            Class::Ethernet => t == Ethernet,
            Class::Usb => t == Usb,
            Class::RemovableMedia => t == RemovableMedia,
            Class::OtherPhysical => matches!(t, Serial | Debug),
            Class::Cable => matches!(t, Usb | Serial),
        }
    }

    /// What the device "has" or "has no".
    fn noun(self) -> &'static str {
        match self {
            Class::Any => "connectivity",
            Class::Wireless => "wireless connectivity",
            Class::Wifi => "Wi-Fi",
            Class::Bluetooth => "Bluetooth",
            Class::OtherWireless => "cellular, NFC, RF or inductive links",
            Class::Physical => "wired or physical connectivity",
            Class::Ethernet => "Ethernet",
            Class::Usb => "USB",
            Class::RemovableMedia => "removable media",
            Class::OtherPhysical => "serial or debug connections",
            Class::Cable => "USB or serial cable links",
        }
    }
}

/// Links that reach the device from afar, as opposed to a cable or medium plugged into it.
fn remote(t: Transport) -> bool {
    !matches!(
        t,
        Transport::Usb
            | Transport::Serial
            | Transport::Debug
            | Transport::RemovableMedia
            | Transport::Internal
    )
}

/// A list for a sentence: the first few items, then how many more.
fn list(items: &[String]) -> String {
    const SHOWN: usize = 4;
    let mut text = items
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("; ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

fn state_label(state: InterfaceState) -> &'static str {
    match state {
        InterfaceState::Enabled => "enabled",
        InterfaceState::Disabled => "disabled as shipped",
        InterfaceState::Unused => "unused",
        InterfaceState::Removed => "removed",
    }
}

impl<'a> Facts<'a> {
    pub fn new(project: &'a Project) -> Facts<'a> {
        let device = device_components(project);
        let device_ids: BTreeSet<&str> = device.iter().map(|c| c.id.as_str()).collect();
        let flows = project
            .flows
            .iter()
            .filter(|f| !f.unused)
            .filter(|f| device_ids.contains(f.from.as_str()) || device_ids.contains(f.to.as_str()))
            .collect();
        Facts {
            project,
            device,
            device_ids,
            flows,
        }
    }

    fn in_device(&self, id: &str) -> bool {
        self.device_ids.contains(id)
    }

    /// Whether the model describes the device's connections at all: without interfaces or
    /// flows, the absence of something proves nothing.
    fn knows_connectivity(&self) -> bool {
        !self.device.is_empty()
            && (!self.flows.is_empty() || self.device.iter().any(|c| !c.interfaces.is_empty()))
    }

    /// Device flows that leave a single component (everything but `internal` links).
    fn links(&self) -> impl Iterator<Item = &'a Flow> + '_ {
        self.flows
            .iter()
            .copied()
            .filter(|f| f.transport != Transport::Internal)
    }

    /// The far end of a flow that joins the device to something outside it.
    fn outside_end(&self, flow: &Flow) -> Option<&'a Component> {
        match (self.in_device(&flow.from), self.in_device(&flow.to)) {
            (true, false) => self.project.component(&flow.to),
            (false, true) => self.project.component(&flow.from),
            _ => None,
        }
    }

    /// Device flows to or from something outside the device, with that far end.
    fn outside_flows(&self) -> Vec<(&'a Flow, &'a Component)> {
        self.flows
            .iter()
            .filter_map(|f| self.outside_end(f).map(|c| (*f, c)))
            .collect()
    }

    /// Interfaces and flows of a class: Yes when there are any, No when the model lists the
    /// device's connections and none is of the class. Unused and removed interfaces do not count.
    fn presence(&self, class: Class) -> Option<Derived> {
        let mut found = Vec::new();
        let mut not_counted = Vec::new();
        for component in &self.device {
            for interface in &component.interfaces {
                if !class.contains(interface.transport) {
                    continue;
                }
                let fact = format!(
                    "{}: {} ({}, {})",
                    component.id,
                    interface.name,
                    interface.transport.label(),
                    state_label(interface.state)
                );
                match interface.state {
                    InterfaceState::Enabled | InterfaceState::Disabled => found.push(fact),
                    InterfaceState::Unused | InterfaceState::Removed => not_counted.push(fact),
                }
            }
        }
        for flow in &self.flows {
            if class.contains(flow.transport) {
                found.push(format!(
                    "flow {} ({}): {}",
                    flow.id,
                    flow.transport.label(),
                    flow.purpose
                ));
            }
        }
        if !found.is_empty() {
            let shows = format!("the device has {}: {}", class.noun(), list(&found));
            return Some(yes(shows, found));
        }
        if !self.knows_connectivity() {
            return None;
        }
        let mut shows = format!(
            "the device has no {}: none of the interfaces and flows of {} is one",
            class.noun(),
            self.device_list()
        );
        if !not_counted.is_empty() {
            shows.push_str(&format!(
                " (not counted, being unused or removed: {})",
                list(&not_counted)
            ));
        }
        let mut facts = vec![format!("device components: {}", self.device_list())];
        facts.extend(not_counted);
        Some(no(shows, facts))
    }

    /// No when the device has none of a class; otherwise the model cannot tell (whether PII
    /// travels over it is not in the model).
    fn absent(&self, class: Class) -> Option<Derived> {
        self.presence(class)
            .filter(|d| d.reply == Reply::Answer(Answer::No))
    }

    fn device_list(&self) -> String {
        self.device
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Paths from the device to the internet: device components that connect to it, flows over
    /// it, and flows to cloud services or internet-facing components.
    fn internet_paths(&self) -> Vec<String> {
        let mut paths = Vec::new();
        for component in &self.device {
            if component.internet {
                paths.push(format!("{} connects to the internet", component.id));
            }
        }
        for flow in &self.flows {
            if flow.transport == Transport::Internet {
                paths.push(format!("flow {} runs over the internet", flow.id));
            } else if let Some(end) = self.outside_end(flow)
                && (end.internet || end.kind == ComponentKind::CloudService)
            {
                paths.push(format!(
                    "flow {} reaches {} ({})",
                    flow.id, end.id, end.name
                ));
            }
        }
        paths
    }

    /// No when nothing of the device reaches the internet; whether a path that exists is needed
    /// (or carries PII) the model cannot tell.
    fn no_internet(&self) -> Option<Derived> {
        if !self.knows_connectivity() || !self.internet_paths().is_empty() {
            return None;
        }
        Some(no(
            format!(
                "no component or flow of the device ({}) reaches the internet or a cloud service",
                self.device_list()
            ),
            vec![format!(
                "{} device flows, none to the internet",
                self.flows.len()
            )],
        ))
    }

    /// Yes when implemented controls address any of the recommendations (`UPDATE-` names every
    /// UPDATE item); No, where allowed, when every one of them is declared not applicable.
    fn controls(&self, recs: &[&str], no_when: NoWhen) -> Option<Derived> {
        self.controls_where(recs, no_when, |_| true)
    }

    fn controls_where(
        &self,
        recs: &[&str],
        no_when: NoWhen,
        keep: impl Fn(&Control) -> bool,
    ) -> Option<Derived> {
        let matches = |id: &str| {
            recs.iter().any(|rec| {
                if rec.ends_with('-') {
                    id.starts_with(rec)
                } else {
                    id == *rec
                }
            })
        };
        let mut ids = Vec::new();
        let mut addressed: Vec<&str> = Vec::new();
        let mut facts = Vec::new();
        for control in &self.project.controls {
            let hits: Vec<&str> = control
                .addresses
                .iter()
                .map(|a| a.as_str())
                .filter(|a| matches(a))
                .collect();
            if hits.is_empty() || control.implemented_by.is_empty() || !keep(control) {
                continue;
            }
            let by: Vec<&str> = control.implemented_by.iter().map(|c| c.as_str()).collect();
            facts.push(format!(
                "{} \"{}\" addresses {}; implemented by {}",
                control.id,
                control.title,
                hits.join(", "),
                by.join(", ")
            ));
            ids.push(format!("{} ({})", control.id, control.title));
            for hit in hits {
                if !addressed.contains(&hit) {
                    addressed.push(hit);
                }
            }
        }
        if !ids.is_empty() {
            let shows = if ids.len() == 1 {
                format!(
                    "control {} addresses {} and is implemented",
                    ids[0],
                    addressed.join(", ")
                )
            } else {
                format!(
                    "controls {} address {} and are implemented",
                    list(&ids),
                    addressed.join(", ")
                )
            };
            return Some(yes(shows, facts));
        }
        if no_when == NoWhen::NotApplicable && recs.iter().all(|r| !r.ends_with('-')) {
            let declared: Vec<&NotApplicable> = recs
                .iter()
                .filter_map(|rec| {
                    self.project
                        .not_applicable
                        .iter()
                        .find(|n| n.id.as_str() == *rec)
                })
                .collect();
            if declared.len() == recs.len() {
                let facts: Vec<String> = declared
                    .iter()
                    .map(|n| format!("{} not applicable: {}", n.id, plain(&n.rationale.value)))
                    .collect();
                return Some(no(
                    format!("{} declared not applicable", recs.join(" and ")),
                    facts,
                ));
            }
        }
        None
    }

    /// Yes when a labeling field says something.
    fn labeling(
        &self,
        field: &str,
        get: impl Fn(&Labeling) -> &Option<Markdown>,
    ) -> Option<Derived> {
        let labeling = self.project.labeling.as_ref()?;
        let text = get(labeling);
        if !filled(text) {
            return None;
        }
        let text = text.as_deref().unwrap_or_default();
        Some(yes(
            format!("the customer labeling covers it (`labeling.{field}`)"),
            vec![format!("labeling.{field}: {}", excerpt(text))],
        ))
    }

    fn has_sbom(&self) -> bool {
        self.project
            .sbom
            .as_ref()
            .is_some_and(|s| !s.sources.is_empty() || !s.components.is_empty())
    }

    /// Whether every SBOM component carries an element: Yes, or No naming the ones without.
    fn sbom_element(
        &self,
        element: &str,
        has: impl Fn(&SoftwareComponent) -> bool,
    ) -> Option<Derived> {
        let components = &self.project.inventory.components;
        if components.is_empty() {
            return None;
        }
        let missing: Vec<String> = components
            .iter()
            .filter(|c| !has(c))
            .map(|c| c.label())
            .collect();
        let n = components.len();
        if missing.is_empty() {
            return Some(yes(
                format!("all {n} SBOM components give a {element}"),
                vec![format!("{n} components checked")],
            ));
        }
        let shown: Vec<&str> = missing.iter().take(5).map(String::as_str).collect();
        let more = if missing.len() > shown.len() {
            format!(" and {} more", missing.len() - shown.len())
        } else {
            String::new()
        };
        Some(no(
            format!(
                "{} of {n} SBOM components give no {element}: {}{more}",
                missing.len(),
                shown.join(", ")
            ),
            missing,
        ))
    }
}

fn yes(shows: String, facts: Vec<String>) -> Derived {
    Derived {
        reply: Reply::Answer(Answer::Yes),
        shows,
        facts,
    }
}

fn no(shows: String, facts: Vec<String>) -> Derived {
    Derived {
        reply: Reply::Answer(Answer::No),
        shows,
        facts,
    }
}

fn text(value: &str, shows: String, fact: String) -> Option<Derived> {
    let value = plain(value);
    if value.is_empty() {
        return None;
    }
    Some(Derived {
        reply: Reply::Text(value),
        shows,
        facts: vec![fact],
    })
}

/// Markdown as plain text for a spreadsheet cell: no emphasis or code marks, paragraphs kept.
pub fn plain(markdown: &str) -> String {
    let mut out = String::new();
    for paragraph in markdown.trim().split("\n\n") {
        let line: Vec<&str> = paragraph.split_whitespace().collect();
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&line.join(" "));
    }
    out.replace("**", "").replace("__", "").replace('`', "")
}

/// The start of a text, for a fact line.
fn excerpt(text: &str) -> String {
    let text = plain(text).replace('\n', " ");
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(120).collect();
    if chars.next().is_some() {
        format!("{}…", head.trim_end())
    } else {
        head
    }
}

fn mentions_tls(text: &str) -> bool {
    text.to_ascii_lowercase().contains("tls")
}

/// The first field of a flow that names TLS (EAP-TLS, DTLS and mutual TLS included).
fn tls_mention(flow: &Flow) -> Option<&str> {
    let fields = [
        flow.encryption.as_ref().map(|e| e.protocol.as_str()),
        flow.protocol_version.as_deref(),
        Some(flow.protocol.as_str()),
        flow.authentication.as_ref().map(|a| a.method.as_str()),
    ];
    fields.into_iter().flatten().find(|text| mentions_tls(text))
}

fn encrypted(flow: &Flow) -> Option<&Encryption> {
    flow.encryption.as_ref().filter(|e| !e.is_none())
}

fn authenticated(flow: &Flow) -> Option<&Authentication> {
    flow.authentication.as_ref().filter(|a| !a.is_none())
}

/// Integrity protection stated, or implied by TLS (every TLS record is authenticated).
fn integrity_protected(flow: &Flow) -> Option<String> {
    if let Some(integrity) = &flow.integrity
        && !integrity.trim().to_ascii_lowercase().starts_with("none")
        && !integrity.trim().is_empty()
    {
        return Some(integrity.clone());
    }
    encrypted(flow)
        .filter(|e| mentions_tls(&e.protocol))
        .map(|e| format!("{} record protection", e.protocol))
}

/// Whether two organisation names are the same maker ("Acme Inc." and "ACME").
fn same_org(a: &str, b: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (squash(a), squash(b));
    !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
}

// ── Document information ────────────────────────────────────────────────────────────────

fn doc_manufacturer(f: &Facts, _: &str) -> Option<Derived> {
    let m = &f.project.settings.device.manufacturer;
    text(
        m,
        "dossier.yaml names it".into(),
        format!("device.manufacturer: {m}"),
    )
}

fn doc_description(f: &Facts, _: &str) -> Option<Derived> {
    let device = &f.project.settings.device;
    match &device.description {
        Some(d) if filled(&device.description) => text(
            d,
            "dossier.yaml describes it".into(),
            "device.description".into(),
        ),
        _ => text(
            &device.intended_use,
            "dossier.yaml states the intended use".into(),
            "device.intended_use".into(),
        ),
    }
}

fn doc_model(f: &Facts, _: &str) -> Option<Derived> {
    let m = &f.project.settings.device.model;
    text(
        m,
        "dossier.yaml names it".into(),
        format!("device.model: {m}"),
    )
}

fn doc_document_id(f: &Facts, _: &str) -> Option<Derived> {
    let s = &f.project.settings;
    let id = format!(
        "MDS2-{}-{}-{}",
        s.device.model, s.release.version, s.release.revision
    );
    text(
        &id,
        "made from the model, release and revision".into(),
        format!(
            "device.model {}, release.version {}, release.revision {}",
            s.device.model, s.release.version, s.release.revision
        ),
    )
}

fn doc_contact(f: &Facts, _: &str) -> Option<Derived> {
    let cvd = f.project.plan.as_ref()?.cvd.as_ref()?;
    text(
        &cvd.contact,
        "the plan gives the vulnerability reporting contact".into(),
        format!("plan.cvd.contact: {}", cvd.contact),
    )
}

fn doc_network_use(f: &Facts, _: &str) -> Option<Derived> {
    let env = &f.project.settings.device.use_environment;
    text(
        env,
        "dossier.yaml describes the use environment".into(),
        "device.use_environment".into(),
    )
}

fn doc_release_date(f: &Facts, _: &str) -> Option<Derived> {
    let date = f.project.settings.document_date.as_ref()?;
    text(
        &date.value.to_string(),
        "the document date of the package".into(),
        format!("document_date: {}", date.value),
    )
}

fn doc_cvd(f: &Facts, _: &str) -> Option<Derived> {
    let cvd = f.project.plan.as_ref()?.cvd.as_ref()?;
    Some(yes(
        format!(
            "the plan describes a coordinated vulnerability disclosure program (policy {})",
            cvd.policy
        ),
        vec![
            format!("plan.cvd.policy: {}", cvd.policy),
            format!("plan.cvd.contact: {}", cvd.contact),
        ],
    ))
}

fn doc_isao(f: &Facts, _: &str) -> Option<Derived> {
    let cvd = f.project.plan.as_ref()?.cvd.as_ref()?;
    let isao = cvd
        .isao
        .as_deref()
        .filter(|t| !crate::check::says_nothing(t))?;
    Some(yes(
        format!("the plan names the ISAO {isao}"),
        vec![format!("plan.cvd.isao: {isao}")],
    ))
}

fn doc_diagram(f: &Facts, _: &str) -> Option<Derived> {
    let facts: Vec<String> = f
        .project
        .views
        .iter()
        .filter_map(|v| {
            let file = v.diagram.as_ref()?.file.as_ref()?;
            Some(format!("view {} \"{}\": {}", v.id, v.title, file.value))
        })
        .collect();
    if facts.is_empty() {
        return None;
    }
    Some(yes(
        format!("the architecture views have diagrams: {}", list(&facts)),
        facts,
    ))
}

/// No when the device has hardware of its own; Yes when every part of it is software.
fn software_only(f: &Facts, _: &str) -> Option<Derived> {
    if f.device.is_empty() {
        return None;
    }
    let hardware: Vec<String> = f
        .device
        .iter()
        .filter(|c| matches!(c.kind, ComponentKind::Device | ComponentKind::Accessory))
        .map(|c| format!("{} ({})", c.id, c.name))
        .collect();
    if !hardware.is_empty() {
        return Some(no(
            format!("the device includes hardware: {}", hardware.join(", ")),
            hardware,
        ));
    }
    let software = f.device.iter().all(|c| {
        matches!(
            c.kind,
            ComponentKind::Application | ComponentKind::MobileApp | ComponentKind::CloudService
        )
    });
    software.then(|| {
        let parts: Vec<String> = f
            .device
            .iter()
            .map(|c| format!("{} ({})", c.id, c.name))
            .collect();
        yes(
            format!("every part of the device is software: {}", parts.join(", ")),
            parts,
        )
    })
}

// ── Connectivity ────────────────────────────────────────────────────────────────────────

fn conn_port_list(f: &Facts, _: &str) -> Option<Derived> {
    let facts: Vec<String> = f
        .links()
        .map(|flow| {
            format!(
                "{}: {} {}",
                flow.id,
                flow.protocol,
                flow.port.as_deref().unwrap_or("(no port given)")
            )
        })
        .collect();
    if facts.is_empty() {
        return None;
    }
    Some(yes(
        format!(
            "the customer labeling lists the device's ports and protocols, generated from its {} flows",
            facts.len()
        ),
        facts,
    ))
}

fn conn_site_systems(f: &Facts, _: &str) -> Option<Derived> {
    if f.flows.is_empty() {
        return None;
    }
    let facts: Vec<String> = f
        .outside_flows()
        .into_iter()
        .filter(|(_, end)| end.owner == Owner::Hospital)
        .map(|(flow, end)| format!("flow {} with {} ({})", flow.id, end.id, end.name))
        .collect();
    if facts.is_empty() {
        return Some(no(
            "no device flow reaches a system the hospital operates".into(),
            vec![format!("{} device flows", f.flows.len())],
        ));
    }
    Some(yes(
        format!("device flows reach hospital systems: {}", list(&facts)),
        facts,
    ))
}

fn conn_outside_systems(f: &Facts, _: &str) -> Option<Derived> {
    if f.flows.is_empty() {
        return None;
    }
    let facts: Vec<String> = f
        .outside_flows()
        .into_iter()
        .filter(|(_, end)| {
            end.internet
                || end.kind == ComponentKind::CloudService
                || matches!(end.owner, Owner::Manufacturer | Owner::ThirdParty)
        })
        .map(|(flow, end)| format!("flow {} with {} ({})", flow.id, end.id, end.name))
        .collect();
    if facts.is_empty() {
        return Some(no(
            "every device flow stays with the device or systems the hospital operates".into(),
            vec![format!("{} device flows", f.flows.len())],
        ));
    }
    Some(yes(
        format!(
            "device flows reach systems outside the site: {}",
            list(&facts)
        ),
        facts,
    ))
}

fn conn_tls(f: &Facts, _: &str) -> Option<Derived> {
    let links: Vec<&Flow> = f.links().collect();
    if links.is_empty() {
        return None;
    }
    let facts: Vec<String> = links
        .iter()
        .filter_map(|flow| Some(format!("{}: {}", flow.id, tls_mention(flow)?)))
        .collect();
    if !facts.is_empty() {
        return Some(yes(
            format!("device flows use TLS: {}", list(&facts)),
            facts,
        ));
    }
    let all_stated = links.iter().all(|flow| flow.encryption.is_some());
    all_stated.then(|| {
        no(
            "every device flow states its encryption and none uses TLS".into(),
            links
                .iter()
                .map(|flow| {
                    format!(
                        "{}: {}",
                        flow.id,
                        flow.encryption
                            .as_ref()
                            .map(|e| e.protocol.as_str())
                            .unwrap_or_default()
                    )
                })
                .collect(),
        )
    })
}

fn conn_remote_control(f: &Facts, _: &str) -> Option<Derived> {
    if f.flows.is_empty() {
        return None;
    }
    let facts: Vec<String> = f
        .outside_flows()
        .into_iter()
        .filter(|(flow, _)| remote(flow.transport) && flow.carries.contains(&Payload::Commands))
        .map(|(flow, end)| {
            format!(
                "flow {} carries commands with {} ({})",
                flow.id, end.id, end.name
            )
        })
        .collect();
    if facts.is_empty() {
        return Some(no(
            "no network or radio flow carries commands between the device and another system"
                .into(),
            vec![format!("{} device flows", f.flows.len())],
        ));
    }
    Some(yes(
        format!(
            "other systems send commands to the device: {}",
            list(&facts)
        ),
        facts,
    ))
}

fn audt_time_sync(f: &Facts, _: &str) -> Option<Derived> {
    let facts: Vec<String> = f
        .links()
        .filter(|flow| {
            let protocol = flow.protocol.to_ascii_lowercase();
            protocol.contains("ntp") || protocol.contains("ptp")
        })
        .map(|flow| format!("{}: {}", flow.id, flow.protocol))
        .collect();
    if facts.is_empty() {
        return None;
    }
    Some(yes(
        format!("the device synchronises its clock: {}", list(&facts)),
        facts,
    ))
}

// ── Updates ─────────────────────────────────────────────────────────────────────────────

fn csup_updatable(f: &Facts, _: &str) -> Option<Derived> {
    let mut derived = f.controls(&["UPDATE-"], NoWhen::Never);
    if let Some(plan) = &f.project.plan
        && filled(&plan.update_process)
    {
        let fact = format!(
            "plan.update_process: {}",
            excerpt(plan.update_process.as_deref().unwrap_or_default())
        );
        match &mut derived {
            Some(d) => d.facts.push(fact),
            None => {
                derived = Some(yes(
                    "the plan describes the update process (`plan.update_process`)".into(),
                    vec![fact],
                ))
            }
        }
    }
    derived
}

fn csup_os(f: &Facts, _: &str) -> Option<Derived> {
    let facts: Vec<String> = f
        .device
        .iter()
        .filter_map(|c| {
            let os = c.os?;
            (os != OsFamily::None).then(|| {
                format!(
                    "{}: {}{}",
                    c.id,
                    serde_json::to_value(os)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    c.platform
                        .as_deref()
                        .map(|p| format!(" ({p})"))
                        .unwrap_or_default()
                )
            })
        })
        .collect();
    if !facts.is_empty() {
        return Some(yes(
            format!(
                "device components run an operating system: {}",
                list(&facts)
            ),
            facts,
        ));
    }
    let bare = !f.device.is_empty() && f.device.iter().all(|c| c.os == Some(OsFamily::None));
    bare.then(|| {
        no(
            format!(
                "every device component is bare metal (`os: none`): {}",
                f.device_list()
            ),
            vec![format!("device components: {}", f.device_list())],
        )
    })
}

fn csup_third_party(f: &Facts, _: &str) -> Option<Derived> {
    let components = &f.project.inventory.components;
    if components.is_empty() {
        return None;
    }
    let maker = &f.project.settings.device.manufacturer;
    let third: Vec<String> = components
        .iter()
        .filter(|c| c.kind.as_deref() != Some("operating-system"))
        .filter_map(|c| {
            let supplier = c.supplier.as_deref()?;
            (!same_org(supplier, maker)).then(|| format!("{} ({supplier})", c.label()))
        })
        .collect();
    if third.is_empty() {
        return Some(no(
            format!(
                "every SBOM component with a supplier is supplied by {maker}, or is the operating system"
            ),
            vec![format!("{} components checked", components.len())],
        ));
    }
    let shown: Vec<&str> = third.iter().take(5).map(String::as_str).collect();
    Some(yes(
        format!(
            "the SBOM lists {} third-party components, e.g. {}",
            third.len(),
            shown.join(", ")
        ),
        third,
    ))
}

fn csup_notification(f: &Facts, _: &str) -> Option<Derived> {
    if let Some(plan) = &f.project.plan
        && filled(&plan.communication)
    {
        return Some(yes(
            "the plan says how updates are communicated to customers (`plan.communication`)".into(),
            vec![format!(
                "plan.communication: {}",
                excerpt(plan.communication.as_deref().unwrap_or_default())
            )],
        ));
    }
    f.labeling("updates", |l| &l.updates)
}

fn csup_review_cycle(f: &Facts, _: &str) -> Option<Derived> {
    let days = f
        .project
        .plan
        .as_ref()?
        .patch_timelines
        .as_ref()?
        .regular_cycle_days
        .as_ref()?;
    Some(yes(
        format!("the plan sets a regular patch cycle of {} days", days.value),
        vec![format!(
            "plan.patch_timelines.regular_cycle_days: {}",
            days.value
        )],
    ))
}

fn csup_critical_window(f: &Facts, _: &str) -> Option<Derived> {
    let days = f
        .project
        .plan
        .as_ref()?
        .patch_timelines
        .as_ref()?
        .critical_days
        .as_ref()?;
    Some(yes(
        format!(
            "the plan sets an out-of-cycle window of {} days for critical vulnerabilities",
            days.value
        ),
        vec![format!(
            "plan.patch_timelines.critical_days: {}",
            days.value
        )],
    ))
}

// ── Backup, malware, authentication ─────────────────────────────────────────────────────

fn dtbk_config_backup(f: &Facts, _: &str) -> Option<Derived> {
    f.labeling("backup_restore", |l| &l.backup_restore)
        .or_else(|| f.labeling("configuration_recovery", |l| &l.configuration_recovery))
}

fn mldp_anti_malware(f: &Facts, _: &str) -> Option<Derived> {
    if let Some(derived) = f.controls(&["LOG-4a"], NoWhen::Never) {
        return Some(derived);
    }
    if f.device.is_empty() {
        return None;
    }
    let embedded = f
        .device
        .iter()
        .all(|c| matches!(c.os, Some(OsFamily::Rtos) | Some(OsFamily::None)));
    embedded.then(|| {
        no(
            format!(
                "every device component runs an embedded operating system or none ({}), where anti-malware software is generally not expected (LOG-4c)",
                f.device_list()
            ),
            vec![format!("device components: {}", f.device_list())],
        )
    })
}

fn naut_peers(f: &Facts, _: &str) -> Option<Derived> {
    let links: Vec<&Flow> = f.links().collect();
    if links.is_empty() {
        return None;
    }
    let facts: Vec<String> = links
        .iter()
        .filter_map(|flow| {
            let auth = authenticated(flow).filter(|a| a.mutual)?;
            Some(format!("{}: {}", flow.id, auth.method))
        })
        .collect();
    if !facts.is_empty() {
        return Some(yes(
            format!("device flows authenticate both ends: {}", list(&facts)),
            facts,
        ));
    }
    let none = links
        .iter()
        .all(|flow| flow.authentication.as_ref().is_some_and(|a| a.is_none()));
    none.then(|| {
        no(
            "every device flow states `authentication: none`".into(),
            links.iter().map(|flow| flow.id.to_string()).collect(),
        )
    })
}

fn naut_certificates(f: &Facts, _: &str) -> Option<Derived> {
    let links: Vec<&Flow> = f.links().collect();
    if links.is_empty() {
        return None;
    }
    let facts: Vec<String> = links
        .iter()
        .filter_map(|flow| {
            let auth = authenticated(flow)?;
            let text = format!(
                "{} {}",
                auth.method,
                auth.algorithm.as_deref().unwrap_or_default()
            )
            .to_ascii_lowercase();
            (text.contains("certificate") || mentions_tls(&text))
                .then(|| format!("{}: {}", flow.id, auth.method))
        })
        .collect();
    if !facts.is_empty() {
        return Some(yes(
            format!(
                "device flows authenticate with certificates: {}",
                list(&facts)
            ),
            facts,
        ));
    }
    let stated = links.iter().all(|flow| flow.authentication.is_some());
    stated.then(|| {
        no(
            "every device flow states its authentication and none uses certificates or TLS".into(),
            links
                .iter()
                .map(|flow| {
                    format!(
                        "{}: {}",
                        flow.id,
                        flow.authentication
                            .as_ref()
                            .map(|a| a.method.as_str())
                            .unwrap_or_default()
                    )
                })
                .collect(),
        )
    })
}

// ── Third-party components and SBOM ─────────────────────────────────────────────────────

fn rdmp_third_party(f: &Facts, _: &str) -> Option<Derived> {
    let rm = f.project.risk_management.as_ref()?;
    if !filled(&rm.third_party) {
        return None;
    }
    Some(yes(
        "the risk management file assesses third-party components (`risk_management.third_party`)"
            .into(),
        vec![format!(
            "risk_management.third_party: {}",
            excerpt(rm.third_party.as_deref().unwrap_or_default())
        )],
    ))
}

fn rdmp_support_dates(f: &Facts, _: &str) -> Option<Derived> {
    let components = &f.project.inventory.components;
    if components.is_empty() || components.iter().any(|c| c.end_of_support.is_none()) {
        return None;
    }
    Some(yes(
        format!(
            "all {} SBOM components carry an end of support, which dossier shows in the labeling and the exported SBOM",
            components.len()
        ),
        vec![format!("{} components checked", components.len())],
    ))
}

fn sbom_available(f: &Facts, _: &str) -> Option<Derived> {
    if !f.has_sbom() {
        return Some(no(
            "the project has no SBOM (`sbom.sources` and `sbom.components` are empty)".into(),
            vec!["no sbom section, or an empty one".into()],
        ));
    }
    let inventory = &f.project.inventory;
    let mut facts: Vec<String> = inventory
        .documents
        .iter()
        .map(|d| {
            format!(
                "{}: {} {}, {} components",
                d.path, d.format, d.spec_version, d.components
            )
        })
        .collect();
    let written = f
        .project
        .sbom
        .as_ref()
        .map(|s| s.components.len())
        .unwrap_or(0);
    if written > 0 {
        facts.push(format!("{written} components written in sbom.components"));
    }
    Some(yes(
        format!(
            "the project's SBOM lists {} components, and dossier exports it with the package",
            inventory.components.len()
        ),
        facts,
    ))
}

fn sbom_format(f: &Facts, _: &str) -> Option<Derived> {
    if !f.has_sbom() {
        return None;
    }
    let mut facts = vec!["exported as CycloneDX 1.6 JSON".to_string()];
    facts.extend(
        f.project
            .inventory
            .documents
            .iter()
            .map(|d| format!("source {}: {} {}", d.path, d.format, d.spec_version)),
    );
    Some(yes(
        "the SBOM is exported with the package as CycloneDX 1.6 JSON".into(),
        facts,
    ))
}

fn sbom_names(f: &Facts, _: &str) -> Option<Derived> {
    let n = f.project.inventory.components.len();
    (n > 0).then(|| {
        yes(
            format!("the SBOM names all {n} components"),
            vec![format!("{n} components")],
        )
    })
}

fn sbom_maintenance(f: &Facts, _: &str) -> Option<Derived> {
    let sbom = f.project.sbom.as_ref()?;
    if !filled(&sbom.maintenance) {
        return None;
    }
    Some(yes(
        "the project describes how the SBOM is maintained (`sbom.maintenance`)".into(),
        vec![format!(
            "sbom.maintenance: {}",
            excerpt(sbom.maintenance.as_deref().unwrap_or_default())
        )],
    ))
}

// ── Hardening, guidance, storage ────────────────────────────────────────────────────────

/// Debug interfaces as listed: any enabled one is a No; all closed is a Yes. Without debug
/// interfaces in the model, a control addressing INTEG-C5 answers Yes.
fn sahd_debug_closed(f: &Facts, _: &str) -> Option<Derived> {
    let debug: Vec<(&Component, &Interface)> = f
        .device
        .iter()
        .flat_map(|c| c.interfaces.iter().map(move |i| (*c, i)))
        .filter(|(_, i)| i.transport == Transport::Debug)
        .collect();
    let describe = |(c, i): &(&Component, &Interface)| {
        format!("{}: {} ({})", c.id, i.name, state_label(i.state))
    };
    let open: Vec<String> = debug
        .iter()
        .filter(|(_, i)| i.state == InterfaceState::Enabled)
        .map(describe)
        .collect();
    if !open.is_empty() {
        return Some(no(
            format!("debug interfaces are enabled as shipped: {}", list(&open)),
            open,
        ));
    }
    if !debug.is_empty() {
        let facts: Vec<String> = debug.iter().map(describe).collect();
        return Some(yes(
            format!("every debug interface is closed: {}", list(&facts)),
            facts,
        ));
    }
    f.controls(&["INTEG-C5"], NoWhen::Never)
}

fn sgud_documentation(f: &Facts, _: &str) -> Option<Derived> {
    let labeling = f.project.labeling.as_ref()?;
    let fields = [
        ("security_controls", &labeling.security_controls),
        ("infrastructure", &labeling.infrastructure),
        ("updates", &labeling.updates),
        ("secure_configuration", &labeling.secure_configuration),
        ("end_of_support", &labeling.end_of_support),
        ("decommissioning", &labeling.decommissioning),
    ];
    let present: Vec<String> = fields
        .iter()
        .filter(|(_, text)| filled(text))
        .map(|(name, _)| format!("labeling.{name}"))
        .collect();
    if present.is_empty() {
        return None;
    }
    Some(yes(
        format!(
            "the customer security labeling covers {}",
            present.join(", ")
        ),
        present,
    ))
}

fn stcf_encryption_at_rest(f: &Facts, _: &str) -> Option<Derived> {
    f.controls_where(&["CONF-"], NoWhen::Never, |control| {
        let text = format!("{} {}", control.title, control.description).to_ascii_lowercase();
        text.contains("at rest")
    })
}

// ── Transmission ────────────────────────────────────────────────────────────────────────

fn txcf_encrypted(f: &Facts, _: &str) -> Option<Derived> {
    let data: Vec<&Flow> = f
        .links()
        .filter(|flow| flow.carries.contains(&Payload::Data))
        .collect();
    if data.is_empty() {
        return None;
    }
    let mut protocols: Vec<(&str, &str)> = Vec::new();
    for flow in &data {
        let encryption = encrypted(flow)?;
        protocols.push((flow.id.as_str(), encryption.protocol.as_str()));
    }
    let facts: Vec<String> = protocols
        .iter()
        .map(|(id, protocol)| format!("{id}: {protocol}"))
        .collect();
    let ids: Vec<&str> = protocols.iter().map(|(id, _)| *id).collect();
    let first = protocols[0].1;
    let shows = if protocols.iter().all(|(_, p)| *p == first) {
        format!("every device flow uses {first}: {}", ids.join(", "))
    } else {
        format!("every device flow is encrypted: {}", list(&facts))
    };
    Some(yes(shows, facts))
}

fn txcf_fixed_destinations(f: &Facts, _: &str) -> Option<Derived> {
    let outside: Vec<(&Flow, &Component)> = f
        .outside_flows()
        .into_iter()
        .filter(|(flow, _)| flow.transport != Transport::Internal)
        .collect();
    if outside.is_empty() || outside.iter().any(|(flow, _)| flow.endpoints.is_empty()) {
        return None;
    }
    let facts: Vec<String> = outside
        .iter()
        .map(|(flow, _)| format!("{}: {}", flow.id, flow.endpoints.join(", ")))
        .collect();
    Some(yes(
        "every flow between the device and another system names its endpoints".into(),
        facts,
    ))
}

fn txcf_authenticated(f: &Facts, _: &str) -> Option<Derived> {
    let links: Vec<&Flow> = f.links().collect();
    if links.is_empty() {
        return None;
    }
    let mut facts = Vec::new();
    for flow in &links {
        let auth = authenticated(flow)?;
        facts.push(format!("{}: {}", flow.id, auth.method));
    }
    Some(yes(
        format!(
            "every device flow is authenticated: {}",
            links
                .iter()
                .map(|flow| flow.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        facts,
    ))
}

fn txig_protected(f: &Facts, _: &str) -> Option<Derived> {
    let links: Vec<&Flow> = f.links().collect();
    if links.is_empty() {
        return None;
    }
    let mut facts = Vec::new();
    for flow in &links {
        facts.push(format!("{}: {}", flow.id, integrity_protected(flow)?));
    }
    Some(yes(
        format!(
            "every device flow is integrity-protected: {}",
            links
                .iter()
                .map(|flow| flow.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        facts,
    ))
}

/// No when no wired flow joins two parts of the device; whether a wired link runs outside an
/// enclosure the model cannot tell.
fn txig_external_cables(f: &Facts, _: &str) -> Option<Derived> {
    if !f.knows_connectivity() {
        return None;
    }
    let wired = f.flows.iter().any(|flow| {
        f.in_device(&flow.from)
            && f.in_device(&flow.to)
            && matches!(
                flow.transport,
                Transport::Ethernet | Transport::Usb | Transport::Serial
            )
    });
    (!wired).then(|| {
        no(
            "no wired flow joins two parts of the device".into(),
            vec![format!("device components: {}", f.device_list())],
        )
    })
}

// ── Remote service ──────────────────────────────────────────────────────────────────────

/// Device flows with components the manufacturer operates outside the device.
fn manufacturer_flows<'a>(f: &Facts<'a>) -> Vec<(&'a Flow, &'a Component)> {
    f.outside_flows()
        .into_iter()
        .filter(|(_, end)| end.owner == Owner::Manufacturer)
        .collect()
}

fn rmot_remote_service(f: &Facts, _: &str) -> Option<Derived> {
    if f.flows.is_empty() {
        return None;
    }
    let flows = manufacturer_flows(f);
    let facts: Vec<String> = flows
        .iter()
        .filter(|(flow, _)| remote(flow.transport) && flow.carries.contains(&Payload::Commands))
        .map(|(flow, end)| {
            format!(
                "flow {} carries commands with {} ({})",
                flow.id, end.id, end.name
            )
        })
        .collect();
    if !facts.is_empty() {
        return Some(yes(
            format!(
                "the manufacturer's systems send commands to the device: {}",
                list(&facts)
            ),
            facts,
        ));
    }
    flows.is_empty().then(|| {
        no(
            "no device flow reaches a system the manufacturer operates".into(),
            vec![format!("{} device flows", f.flows.len())],
        )
    })
}

fn rmot_telemetry(f: &Facts, _: &str) -> Option<Derived> {
    if f.flows.is_empty() {
        return None;
    }
    let data = manufacturer_flows(f)
        .iter()
        .any(|(flow, _)| flow.carries.contains(&Payload::Data));
    (!data).then(|| {
        no(
            "no device flow carries data to a system the manufacturer operates".into(),
            vec![format!("{} device flows", f.flows.len())],
        )
    })
}

fn rmot_other(f: &Facts, _: &str) -> Option<Derived> {
    let facts: Vec<String> = f
        .outside_flows()
        .into_iter()
        .filter(|(flow, _)| remote(flow.transport) && flow.carries.contains(&Payload::Code))
        .map(|(flow, end)| {
            format!(
                "flow {} carries software with {} ({})",
                flow.id, end.id, end.name
            )
        })
        .collect();
    if facts.is_empty() {
        return None;
    }
    Some(yes(
        format!("the device receives software remotely: {}", list(&facts)),
        facts,
    ))
}
