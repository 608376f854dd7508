//! Answers the project model can give by itself. Each rule is named in the catalog (`derive:`),
//! looks at one kind of model fact, and either answers with the facts it rests on or says
//! nothing. A rule only answers what the model actually shows: "the device has no Bluetooth
//! interface" is a fact, "no flow carries patient data" is not (the model does not tag PII), so
//! many rules answer only Yes or only No and leave the other case to the project.

use crate::check::cyber::device_components;
use crate::check::filled;
use crate::model::*;
use std::collections::BTreeSet;

mod network;
mod records;

use network::*;
use records::*;

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

/// A Markdown field as the answer's text.
fn text(value: &str, shows: String, fact: String) -> Option<Derived> {
    as_text(plain(value), shows, fact)
}

/// A plain-text field (a name, a version, an ID) as written, whitespace tidied.
fn literal(value: &str, shows: String, fact: String) -> Option<Derived> {
    as_text(
        value.split_whitespace().collect::<Vec<_>>().join(" "),
        shows,
        fact,
    )
}

fn as_text(value: String, shows: String, fact: String) -> Option<Derived> {
    (!value.is_empty()).then(|| Derived {
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
