//! Rules that read documents and records: the document block, updates, backup, malware,
//! SBOM, hardening, guidance and storage.

use super::*;

/// Whether two organisation names are the same maker ("Acme Inc." and "ACME").
pub(super) fn same_org(a: &str, b: &str) -> bool {
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

pub(super) fn doc_manufacturer(f: &Facts, _: &str) -> Option<Derived> {
    let m = &f.project.settings.device.manufacturer;
    literal(
        m,
        "dossier.yaml names it".into(),
        format!("device.manufacturer: {m}"),
    )
}

pub(super) fn doc_description(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn doc_model(f: &Facts, _: &str) -> Option<Derived> {
    let m = &f.project.settings.device.model;
    literal(
        m,
        "dossier.yaml names it".into(),
        format!("device.model: {m}"),
    )
}

pub(super) fn doc_document_id(f: &Facts, _: &str) -> Option<Derived> {
    let s = &f.project.settings;
    let id = format!(
        "MDS2-{}-{}-{}",
        s.device.model, s.release.version, s.release.revision
    );
    literal(
        &id,
        "made from the model, release and revision".into(),
        format!(
            "device.model {}, release.version {}, release.revision {}",
            s.device.model, s.release.version, s.release.revision
        ),
    )
}

pub(super) fn doc_contact(f: &Facts, _: &str) -> Option<Derived> {
    let cvd = f.project.plan.as_ref()?.cvd.as_ref()?;
    literal(
        &cvd.contact,
        "the plan gives the vulnerability reporting contact".into(),
        format!("plan.cvd.contact: {}", cvd.contact),
    )
}

pub(super) fn doc_network_use(f: &Facts, _: &str) -> Option<Derived> {
    let env = &f.project.settings.device.use_environment;
    text(
        env,
        "dossier.yaml describes the use environment".into(),
        "device.use_environment".into(),
    )
}

pub(super) fn doc_release_date(f: &Facts, _: &str) -> Option<Derived> {
    let date = f.project.settings.document_date.as_ref()?;
    text(
        &date.value.to_string(),
        "the document date of the package".into(),
        format!("document_date: {}", date.value),
    )
}

pub(super) fn doc_cvd(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn doc_isao(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn doc_diagram(f: &Facts, _: &str) -> Option<Derived> {
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
pub(super) fn software_only(f: &Facts, _: &str) -> Option<Derived> {
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

// ── Updates ─────────────────────────────────────────────────────────────────────────────

pub(super) fn csup_updatable(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn csup_os(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn csup_third_party(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn csup_notification(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn csup_review_cycle(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn csup_critical_window(f: &Facts, _: &str) -> Option<Derived> {
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

// ── Backup and malware ──────────────────────────────────────────────────────────────────

pub(super) fn dtbk_config_backup(f: &Facts, _: &str) -> Option<Derived> {
    f.labeling("backup_restore", |l| &l.backup_restore)
        .or_else(|| f.labeling("configuration_recovery", |l| &l.configuration_recovery))
}

pub(super) fn mldp_anti_malware(f: &Facts, _: &str) -> Option<Derived> {
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

// ── Third-party components and SBOM ─────────────────────────────────────────────────────

pub(super) fn rdmp_third_party(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn rdmp_support_dates(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn sbom_available(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn sbom_format(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn sbom_names(f: &Facts, _: &str) -> Option<Derived> {
    let n = f.project.inventory.components.len();
    (n > 0).then(|| {
        yes(
            format!("the SBOM names all {n} components"),
            vec![format!("{n} components")],
        )
    })
}

pub(super) fn sbom_maintenance(f: &Facts, _: &str) -> Option<Derived> {
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
pub(super) fn sahd_debug_closed(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn sgud_documentation(f: &Facts, _: &str) -> Option<Derived> {
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

pub(super) fn stcf_encryption_at_rest(f: &Facts, _: &str) -> Option<Derived> {
    f.controls_where(&["CONF-"], NoWhen::Never, |control| {
        let text = format!("{} {}", control.title, control.description).to_ascii_lowercase();
        text.contains("at rest")
    })
}
