//! Unit tests of the derivations, the gating and the workbook, on small projects loaded from
//! YAML the way users write them.

use super::derive::{self, Facts, Reply};
use super::*;
use crate::model::Answer;

const SETTINGS: &str = "\
device:
  name: Probe
  model: PR-1
  manufacturer: Probe Medical Inc.
  intended_use: Testing the MDS2 derivations.
  use_environment: A hospital network.
release: { version: 2.0.0, revision: B }
submission: { type: 510k }
document_date: 2026-02-01
";

/// A device with a Wi-Fi radio, a removed Bluetooth radio and a closed debug port, talking TLS
/// to a hospital server.
const DEVICE: &str = "\
components:
  - id: DEV
    name: Probe device
    kind: device
    owner: manufacturer
    in_device: true
    os: rtos
    interfaces:
      - { name: Wi-Fi radio, transport: wifi }
      - { name: Bluetooth radio, transport: bluetooth, state: removed }
      - { name: SWD pads, transport: debug, state: removed }
  - id: SRV
    name: Hospital server
    kind: server
    owner: hospital
flows:
  - id: F-1
    purpose: Telemetry upload
    from: DEV
    to: SRV
    transport: wifi
    protocol: HTTPS
    carries: [data]
    encryption: { protocol: TLS 1.3 }
    authentication: { method: mutual TLS with device certificate, mutual: true }
    endpoints: [server.example:443]
  - id: F-2
    purpose: Configuration download
    from: DEV
    to: SRV
    transport: wifi
    protocol: HTTPS
    carries: [data, commands]
    encryption: { protocol: TLS 1.3 }
    authentication: { method: mutual TLS with device certificate, mutual: true }
    endpoints: [server.example:443]
";

fn load(files: &[(&str, &str)]) -> Project {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dossier.yaml"), SETTINGS).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let loaded = crate::load::load(dir.path()).unwrap();
    assert!(
        loaded.findings.iter().all(|f| !f.code.starts_with('L')),
        "{:#?}",
        loaded.findings
    );
    loaded.project
}

fn rule(project: &Project, name: &str) -> Option<derive::Derived> {
    derive::derive(name, &Facts::new(project), "")
}

fn answer_of(project: &Project, name: &str) -> Option<Answer> {
    rule(project, name).map(|d| match d.reply {
        Reply::Answer(a) => a,
        Reply::Text(t) => panic!("{name} gave text {t}"),
    })
}

fn question<'a>(form: &'a Mds2Form, id: &str) -> &'a FormQuestion {
    std::iter::once(&form.document)
        .chain(form.sections.iter())
        .flat_map(|s| s.questions.iter())
        .find(|q| q.id == id)
        .unwrap_or_else(|| panic!("no question {id}"))
}

#[test]
fn every_rule_the_catalog_names_exists_and_every_rule_is_used() {
    let catalog = catalog::get();
    let named: Vec<&str> = catalog
        .all_sections()
        .flat_map(|s| s.questions.iter())
        .filter_map(|q| q.derive.as_deref())
        .collect();
    for name in &named {
        assert!(
            derive::RULES.iter().any(|(rule, _)| rule == name),
            "catalog names unknown rule {name}"
        );
    }
    for (rule, _) in derive::RULES {
        assert!(named.contains(rule), "rule {rule} is never used");
    }
}

#[test]
fn connectivity_comes_from_interfaces_and_flows() {
    let project = load(&[("device.yaml", DEVICE)]);
    assert_eq!(answer_of(&project, "conn-any"), Some(Answer::Yes));
    assert_eq!(answer_of(&project, "conn-wifi"), Some(Answer::Yes));
    // A removed radio is no capability; the facts say why it was not counted.
    let bluetooth = rule(&project, "conn-bluetooth").unwrap();
    assert_eq!(bluetooth.reply, Reply::Answer(Answer::No));
    assert!(
        bluetooth.shows.contains("Bluetooth radio"),
        "{}",
        bluetooth.shows
    );
    assert_eq!(answer_of(&project, "conn-ethernet"), Some(Answer::No));
    assert_eq!(answer_of(&project, "mpii-wired-network"), Some(Answer::No));
    // Whether PII travels over the Wi-Fi is not in the model.
    assert_eq!(answer_of(&project, "mpii-wireless"), None);
    assert_eq!(answer_of(&project, "conn-site-systems"), Some(Answer::Yes));
    assert_eq!(
        answer_of(&project, "conn-outside-systems"),
        Some(Answer::No)
    );
    assert_eq!(
        answer_of(&project, "conn-internet-needed"),
        Some(Answer::No)
    );
    assert_eq!(answer_of(&project, "conn-tls"), Some(Answer::Yes));
    assert_eq!(
        answer_of(&project, "conn-remote-control"),
        Some(Answer::Yes)
    );
    assert_eq!(answer_of(&project, "naut-peers"), Some(Answer::Yes));
    assert_eq!(answer_of(&project, "naut-certificates"), Some(Answer::Yes));
    assert_eq!(answer_of(&project, "sahd-debug-closed"), Some(Answer::Yes));
    assert_eq!(answer_of(&project, "csup-os"), Some(Answer::Yes));
    assert_eq!(answer_of(&project, "plok-software-only"), Some(Answer::No));
}

#[test]
fn without_interfaces_or_flows_absence_proves_nothing() {
    let project = load(&[(
        "device.yaml",
        "components:\n  - { id: DEV, name: Probe, kind: device, owner: manufacturer, in_device: true }\n",
    )]);
    for name in [
        "conn-any",
        "conn-wifi",
        "mpii-wireless",
        "conn-tls",
        "txig-external-cables",
    ] {
        assert_eq!(answer_of(&project, name), None, "{name}");
    }
}

#[test]
fn encryption_and_integrity_need_every_device_flow() {
    let project = load(&[("device.yaml", DEVICE)]);
    let derived = rule(&project, "txcf-encrypted").unwrap();
    assert_eq!(derived.reply, Reply::Answer(Answer::Yes));
    assert_eq!(derived.shows, "every device flow uses TLS 1.3: F-1, F-2");
    // TLS authenticates every record, so integrity follows from it.
    assert_eq!(answer_of(&project, "txig-protected"), Some(Answer::Yes));
    assert_eq!(answer_of(&project, "txcf-authenticated"), Some(Answer::Yes));
    assert_eq!(
        answer_of(&project, "txcf-fixed-destinations"),
        Some(Answer::Yes)
    );

    // One clear-text flow: the model can no longer say Yes, and cannot say No either (the
    // flow may carry no personal data).
    let clear = DEVICE.to_string()
        + "  - id: F-3\n    purpose: Time\n    from: DEV\n    to: SRV\n    transport: wifi\n    protocol: NTP\n    carries: [data]\n    encryption: { protocol: none }\n    authentication: { method: none }\n";
    let project = load(&[("device.yaml", &clear)]);
    assert_eq!(answer_of(&project, "txcf-encrypted"), None);
    assert_eq!(answer_of(&project, "txig-protected"), None);
    assert_eq!(answer_of(&project, "txcf-authenticated"), None);
    assert_eq!(answer_of(&project, "audt-time-sync"), Some(Answer::Yes));

    // Links inside one component do not count.
    let internal = DEVICE.to_string()
        + "  - id: F-4\n    purpose: Board link\n    from: DEV\n    to: DEV\n    transport: internal\n    protocol: SPI\n    carries: [data]\n    encryption: { protocol: none }\n";
    let project = load(&[("device.yaml", &internal)]);
    assert_eq!(answer_of(&project, "txcf-encrypted"), Some(Answer::Yes));
}

#[test]
fn remote_means_over_a_network_or_radio() {
    let service = DEVICE.to_string()
        + "  - id: F-USB\n    purpose: Service\n    from: TOOL\n    to: DEV\n    transport: usb\n    protocol: USB CDC\n    carries: [commands, code]\n    authentication: { method: signed token }\n    encryption: { protocol: AES-GCM }\n    integrity: AES-GCM tag\n    endpoints: [service laptop]\n"
        + "  - id: F-UPD\n    purpose: Updates\n    from: DEV\n    to: CLOUD\n    transport: internet\n    protocol: HTTPS\n    carries: [code]\n    encryption: { protocol: TLS 1.3 }\n    authentication: { method: mutual TLS, mutual: true }\n    endpoints: [updates.example:443]\n";
    let extra = "  - { id: TOOL, name: Service laptop, kind: workstation, owner: manufacturer }\n  - { id: CLOUD, name: Update service, kind: cloud-service, owner: manufacturer, internet: true }\n";
    let text = service.replacen("flows:\n", &format!("{extra}flows:\n"), 1);
    let project = load(&[("device.yaml", &text)]);
    // The USB service tool carries commands and code, but it is plugged in, not remote.
    let other = rule(&project, "rmot-other").unwrap();
    assert!(
        other.shows.contains("F-UPD") && !other.shows.contains("F-USB"),
        "{}",
        other.shows
    );
    let control = rule(&project, "conn-remote-control").unwrap();
    assert!(!control.shows.contains("F-USB"), "{}", control.shows);
    // Flows reach the manufacturer, none with commands over the network: the model cannot tell.
    assert_eq!(answer_of(&project, "rmot-remote-service"), None);
    // None of them carries data to the manufacturer, so there is no monitoring link.
    assert_eq!(answer_of(&project, "rmot-telemetry"), Some(Answer::No));
    assert_eq!(
        answer_of(&project, "conn-outside-systems"),
        Some(Answer::Yes)
    );
    assert_eq!(answer_of(&project, "conn-internet-needed"), None);
    assert_eq!(answer_of(&project, "mpii-internet"), None);
}

#[test]
fn controls_answer_yes_when_implemented_and_no_when_declared_not_applicable() {
    let controls = "\
controls:
  - id: C-1
    title: Session timeout
    description: Sessions end after 10 minutes.
    addresses: [AUTHZ-2]
    implemented_by: [DEV]
  - id: C-2
    title: Audit log
    description: Written but not built yet.
    addresses: [LOG-1]
";
    let project = load(&[("device.yaml", DEVICE), ("controls.yaml", controls)]);
    let timeout = rule(&project, "alof-timeout").unwrap();
    assert_eq!(timeout.reply, Reply::Answer(Answer::Yes));
    assert!(
        timeout.shows.contains("C-1 (Session timeout)"),
        "{}",
        timeout.shows
    );
    // A control nobody implements proves nothing.
    assert_eq!(answer_of(&project, "audt-logging"), None);

    let na = "\
not_applicable:
  - { id: LOG-1, rationale: The device keeps no records of any kind. }
  - { id: LOG-2, rationale: The device keeps no records of any kind. }
";
    let project = load(&[("device.yaml", DEVICE), ("na.yaml", na)]);
    let logging = rule(&project, "audt-logging").unwrap();
    assert_eq!(logging.reply, Reply::Answer(Answer::No));
    assert!(logging.facts[0].contains("keeps no records"));
    // Export of logs is not ruled out by that.
    assert_eq!(answer_of(&project, "audt-export"), None);
}

#[test]
fn sbom_elements_are_counted() {
    let sbom = "\
sbom:
  maintenance: Regenerated by CI for every release and reviewed by the security team.
  components:
    - { name: zephyr, version: 3.7.1, supplier: Zephyr Project, purl: pkg:github/zephyrproject-rtos/zephyr@3.7.1 }
    - { name: probe-app, version: 2.0.0, supplier: Probe Medical, purl: pkg:generic/probe/app@2.0.0 }
";
    let project = load(&[("device.yaml", DEVICE), ("sbom.yaml", sbom)]);
    assert_eq!(answer_of(&project, "sbom-available"), Some(Answer::Yes));
    assert_eq!(answer_of(&project, "sbom-suppliers"), Some(Answer::Yes));
    assert_eq!(answer_of(&project, "sbom-maintenance"), Some(Answer::Yes));
    // Probe Medical's own app is not third-party software; zephyr is.
    let third = rule(&project, "csup-third-party").unwrap();
    assert!(third.shows.contains("zephyr") && !third.shows.contains("probe-app"));

    let no_purl = sbom.replace(", purl: pkg:generic/probe/app@2.0.0", "");
    let project = load(&[("device.yaml", DEVICE), ("sbom.yaml", &no_purl)]);
    let ids = rule(&project, "sbom-identifiers").unwrap();
    assert_eq!(ids.reply, Reply::Answer(Answer::No));
    assert!(
        ids.shows.contains("1 of 2") && ids.shows.contains("probe-app@2.0.0"),
        "{}",
        ids.shows
    );

    let project = load(&[("device.yaml", DEVICE)]);
    assert_eq!(answer_of(&project, "sbom-available"), Some(Answer::No));
    assert_eq!(answer_of(&project, "sbom-format"), None);
}

#[test]
fn an_enabled_debug_port_is_a_no() {
    let open = DEVICE.replace(
        "{ name: SWD pads, transport: debug, state: removed }",
        "{ name: SWD pads, transport: debug }",
    );
    let project = load(&[("device.yaml", &open)]);
    let derived = rule(&project, "sahd-debug-closed").unwrap();
    assert_eq!(derived.reply, Reply::Answer(Answer::No));
    assert!(derived.shows.contains("SWD pads"));
}

#[test]
fn document_block_comes_from_settings_plan_and_mds2() {
    let plan = "\
plan:
  cvd: { policy: https://probe.example/cvd, contact: psirt@probe.example, isao: H-ISAC }
mds2:
  document:
    document_id: PR-1-MDS2-7
    cvd_program: false
";
    let project = load(&[("device.yaml", DEVICE), ("plan.yaml", plan)]);
    let form = evaluate(&project);
    assert_eq!(
        question(&form, "DOC-1").value.as_deref(),
        Some("Probe Medical Inc.")
    );
    assert_eq!(
        question(&form, "DOC-4").value.as_deref(),
        Some("PR-1-MDS2-7")
    );
    assert_eq!(question(&form, "DOC-4").source, Some(Source::Project));
    assert_eq!(
        question(&form, "DOC-5").value.as_deref(),
        Some("psirt@probe.example")
    );
    assert_eq!(
        question(&form, "DOC-7").value.as_deref(),
        Some("2026-02-01")
    );
    assert_eq!(question(&form, "DOC-9").answer, Some(Answer::Yes));
    // The plan has a CVD program; saying there is none contradicts it.
    let cvd = question(&form, "DOC-8");
    assert_eq!(cvd.answer, Some(Answer::Yes));
    let problem = cvd.problem.as_ref().unwrap();
    assert_eq!(problem.code, "M002");
    assert!(
        problem.message.contains("mds2.document.cvd_program"),
        "{}",
        problem.message
    );
    assert_eq!(problem.location.file, "plan.yaml");
    assert_eq!(problem.location.line, 6);
    // Hardware device: DOC-11 is No and its hosting questions are N/A.
    assert_eq!(question(&form, "DOC-11").answer, Some(Answer::No));
    assert_eq!(question(&form, "DOC-11.3").source, Some(Source::Gated));
    assert_eq!(form.date.as_deref(), Some("2026-02-01"));
}

#[test]
fn gating_makes_children_not_applicable() {
    let answers = "\
mds2:
  answers:
    EMRG-1: { answer: no }
    DIDT-1: { answer: no, note: The device has no de-identification function. }
    DIDT-1.1: { answer: yes }
    CSUP-1: { answer: no }
    MLDP-1: { answer: yes }
    MLDP-2: { answer: no }
";
    let plan = "plan:\n  patch_timelines: { regular_cycle_days: 90, critical_days: 30 }\n";
    let project = load(&[
        ("device.yaml", DEVICE),
        ("mds2.yaml", answers),
        ("plan.yaml", plan),
    ]);
    let form = evaluate(&project);
    let didt = question(&form, "DIDT-1.1");
    assert_eq!(didt.answer, Some(Answer::NotApplicable));
    assert_eq!(didt.source, Some(Source::Gated));
    assert_eq!(didt.problem.as_ref().unwrap().code, "M004");
    // MLDP-3 applies when MLDP-2 is No, and needs an answer.
    assert_eq!(
        question(&form, "MLDP-3").problem.as_ref().unwrap().code,
        "M001"
    );
    assert_eq!(question(&form, "MLDP-2.1").source, Some(Source::Gated));
    // CSUP-1 No rules out CSUP-11, but the plan sets a patch cycle: the No contradicts it.
    let cycle = question(&form, "CSUP-11");
    assert_eq!(cycle.answer, Some(Answer::NotApplicable));
    let problem = cycle.problem.as_ref().unwrap();
    assert_eq!(problem.code, "M002");
    assert!(
        problem.message.contains("regular patch cycle of 90 days"),
        "{}",
        problem.message
    );
    assert_eq!(problem.location.file, "mds2.yaml");
    assert_eq!(question(&form, "EMRG-1").source, Some(Source::Project));
}

#[test]
fn contradictions_are_located_at_the_answer() {
    let answers = "\
mds2:
  answers:
    TXCF-2:
      answer: no
      note: Not encrypted.
    CONN-7: { note: TLS 1.3 only. }
    CONN-99: { answer: yes }
";
    let project = load(&[("device.yaml", DEVICE), ("mds2.yaml", answers)]);
    let form = evaluate(&project);
    let txcf = question(&form, "TXCF-2");
    assert_eq!(
        txcf.answer,
        Some(Answer::Yes),
        "the form shows the model's answer"
    );
    let problem = txcf.problem.as_ref().unwrap();
    assert_eq!(
        problem.message,
        "`mds2.answers.TXCF-2` answers No to TXCF-2 (Is data encrypted before the device sends it), but every device flow uses TLS 1.3: F-1, F-2"
    );
    assert_eq!((problem.location.line, problem.location.column), (4, 15));
    // A note alone annotates the model's answer.
    let tls = question(&form, "CONN-7");
    assert_eq!(
        (tls.answer, tls.note.as_deref()),
        (Some(Answer::Yes), Some("TLS 1.3 only."))
    );
    assert_eq!(form.unknown_answers.len(), 1);
    assert_eq!(form.unknown_answers[0].id, "CONN-99");
    assert_eq!(form.unknown_answers[0].location.line, 7);
}

#[test]
fn every_question_has_an_answer_or_a_problem() {
    let project = load(&[("device.yaml", DEVICE)]);
    let form = evaluate(&project);
    assert_eq!(form.summary.questions, 240);
    assert_eq!(form.sections.len(), 23);
    for q in std::iter::once(&form.document)
        .chain(form.sections.iter())
        .flat_map(|s| s.questions.iter())
    {
        assert!(q.answered() || q.problem.is_some(), "{} has neither", q.id);
        if q.source == Some(Source::Derived) {
            assert!(!q.facts.is_empty(), "{} derived without facts", q.id);
        }
    }
}

#[test]
fn workbook_bytes_are_deterministic_and_follow_the_date() {
    let project = load(&[("device.yaml", DEVICE)]);
    let form = evaluate(&project);
    let first = write_xlsx(&form).unwrap();
    let second = write_xlsx(&form).unwrap();
    assert_eq!(first, second);
    assert_eq!(&first[..2], b"PK");
    let mut later = form.clone();
    later.date = Some("2027-03-04".into());
    assert_ne!(
        write_xlsx(&later).unwrap(),
        first,
        "the date is the form's, not the clock's"
    );
    let mut undated = form.clone();
    undated.date = None;
    assert_eq!(write_xlsx(&undated).unwrap(), write_xlsx(&undated).unwrap());
}

#[test]
fn huge_notes_do_not_break_the_workbook() {
    let note = "x".repeat(40_000);
    let answers = format!("mds2:\n  answers:\n    EMRG-1: {{ answer: no, note: {note} }}\n");
    let project = load(&[("device.yaml", DEVICE), ("mds2.yaml", &answers)]);
    assert!(write_xlsx(&evaluate(&project)).is_ok());
}
