//! Rules that read the device's connections: connectivity, node authentication, transmission
//! confidentiality and integrity, and remote service.

use super::*;

/// Links that reach the device from afar, as opposed to a cable or medium plugged into it.
pub(super) fn remote(t: Transport) -> bool {
    !matches!(
        t,
        Transport::Usb
            | Transport::Serial
            | Transport::Debug
            | Transport::RemovableMedia
            | Transport::Internal
    )
}

pub(super) fn mentions_tls(text: &str) -> bool {
    text.to_ascii_lowercase().contains("tls")
}

/// The first field of a flow that names TLS (EAP-TLS, DTLS and mutual TLS included).
pub(super) fn tls_mention(flow: &Flow) -> Option<&str> {
    let fields = [
        flow.encryption.as_ref().map(|e| e.protocol.as_str()),
        flow.protocol_version.as_deref(),
        Some(flow.protocol.as_str()),
        flow.authentication.as_ref().map(|a| a.method.as_str()),
    ];
    fields.into_iter().flatten().find(|text| mentions_tls(text))
}

pub(super) fn encrypted(flow: &Flow) -> Option<&Encryption> {
    flow.encryption.as_ref().filter(|e| !e.is_none())
}

pub(super) fn authenticated(flow: &Flow) -> Option<&Authentication> {
    flow.authentication.as_ref().filter(|a| !a.is_none())
}

/// Integrity protection stated, or implied by TLS (every TLS record is authenticated).
pub(super) fn integrity_protected(flow: &Flow) -> Option<String> {
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

// ── Connectivity ────────────────────────────────────────────────────────────────────────

pub(super) fn conn_port_list(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn conn_site_systems(f: &Facts, _: &str) -> Option<Derived> {
    if f.flows.is_empty() {
        return None;
    }
    let facts: Vec<String> = f
        .outside_flows()
        .into_iter()
        .filter(|(_, end)| end.owner == Owner::Hospital)
        .map(|(flow, end)| format!("flow {} with {} ({})", flow.id, end.id, end.name))
        .collect();
    Some(flows_found(
        f,
        facts,
        "device flows reach hospital systems",
        "no device flow reaches a system the hospital operates",
    ))
}

pub(super) fn conn_outside_systems(f: &Facts, _: &str) -> Option<Derived> {
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
    Some(flows_found(
        f,
        facts,
        "device flows reach systems outside the site",
        "every device flow stays with the device or systems the hospital operates",
    ))
}

pub(super) fn conn_tls(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn conn_remote_control(f: &Facts, _: &str) -> Option<Derived> {
    if f.flows.is_empty() {
        return None;
    }
    let facts = remotely_carrying(&f.outside_flows(), Payload::Commands, "commands");
    Some(flows_found(
        f,
        facts,
        "other systems send commands to the device",
        "no network or radio flow carries commands between the device and another system",
    ))
}

pub(super) fn audt_time_sync(f: &Facts, _: &str) -> Option<Derived> {
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

// ── Node authentication ─────────────────────────────────────────────────────────────────

pub(super) fn naut_peers(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn naut_certificates(f: &Facts, _: &str) -> Option<Derived> {
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

// ── Transmission ────────────────────────────────────────────────────────────────────────

pub(super) fn txcf_encrypted(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn txcf_fixed_destinations(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn txcf_authenticated(f: &Facts, _: &str) -> Option<Derived> {
    every_link(f, "authenticated", |flow| {
        authenticated(flow).map(|auth| auth.method.clone())
    })
}

pub(super) fn txig_protected(f: &Facts, _: &str) -> Option<Derived> {
    every_link(f, "integrity-protected", integrity_protected)
}

/// Yes when every device link states the property `fact` reads from it; unknown (None) when
/// there is no link or one link leaves it unstated.
fn every_link(
    f: &Facts,
    property: &str,
    fact: impl Fn(&Flow) -> Option<String>,
) -> Option<Derived> {
    let links: Vec<&Flow> = f.links().collect();
    if links.is_empty() {
        return None;
    }
    let mut facts = Vec::new();
    for flow in &links {
        facts.push(format!("{}: {}", flow.id, fact(flow)?));
    }
    let ids: Vec<&str> = links.iter().map(|flow| flow.id.as_str()).collect();
    Some(yes(
        format!("every device flow is {property}: {}", ids.join(", ")),
        facts,
    ))
}

/// No when no wired flow joins two parts of the device; whether a wired link runs outside an
/// enclosure the model cannot tell.
pub(super) fn txig_external_cables(f: &Facts, _: &str) -> Option<Derived> {
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
/// Yes with the flows found (`found: flow, flow`), or No (`none`) over all the device flows.
fn flows_found(f: &Facts, facts: Vec<String>, found: &str, none: &str) -> Derived {
    if facts.is_empty() {
        return no(
            none.to_string(),
            vec![format!("{} device flows", f.flows.len())],
        );
    }
    yes(format!("{found}: {}", list(&facts)), facts)
}

/// "flow F carries WHAT with C (name)" for each flow over a network or radio that carries
/// `payload` between the device and another system.
fn remotely_carrying(flows: &[(&Flow, &Component)], payload: Payload, what: &str) -> Vec<String> {
    flows
        .iter()
        .filter(|(flow, _)| remote(flow.transport) && flow.carries.contains(&payload))
        .map(|(flow, end)| {
            format!(
                "flow {} carries {what} with {} ({})",
                flow.id, end.id, end.name
            )
        })
        .collect()
}

pub(super) fn manufacturer_flows<'a>(f: &Facts<'a>) -> Vec<(&'a Flow, &'a Component)> {
    f.outside_flows()
        .into_iter()
        .filter(|(_, end)| end.owner == Owner::Manufacturer)
        .collect()
}

pub(super) fn rmot_remote_service(f: &Facts, _: &str) -> Option<Derived> {
    if f.flows.is_empty() {
        return None;
    }
    let flows = manufacturer_flows(f);
    let facts = remotely_carrying(&flows, Payload::Commands, "commands");
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

pub(super) fn rmot_telemetry(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn rmot_other(f: &Facts, _: &str) -> Option<Derived> {
    let facts = remotely_carrying(&f.outside_flows(), Payload::Code, "software");
    if facts.is_empty() {
        return None;
    }
    Some(yes(
        format!("the device receives software remotely: {}", list(&facts)),
        facts,
    ))
}
