//! The MDS2 workbook read back with Python's openpyxl, the library hospitals' own tooling is
//! most likely to use: every sheet and cell is read, every section of the form must appear, and
//! every question row must carry an answer or a row on the Findings sheet explaining why not.
//! A missing openpyxl fails the test with what to install; nothing is skipped.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Dumps every sheet of a workbook as rows of strings, plus the creation date, as JSON.
const DUMP: &str = r#"
import json, sys
try:
    import openpyxl
except ImportError as e:
    sys.stderr.write("openpyxl is missing: %s\n" % e)
    sys.exit(3)
wb = openpyxl.load_workbook(sys.argv[1])
out = {"created": wb.properties.created.isoformat() if wb.properties.created else None,
       "sheets": {}}
for ws in wb.worksheets:
    out["sheets"][ws.title] = {
        "freeze": ws.freeze_panes,
        "rows": [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)],
    }
print(json.dumps(out))
"#;

fn dossier() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    cmd
}

/// Reads a workbook with openpyxl; a missing python3 or openpyxl fails with what to install.
fn read_workbook(path: &Path) -> Value {
    let output = match Command::new("python3")
        .arg("-c")
        .arg(DUMP)
        .arg(path)
        .output()
    {
        Ok(output) => output,
        Err(e) => panic!(
            "`python3` is needed for this test ({e}); install python3 and `pip install openpyxl`, as .ci/run does"
        ),
    };
    assert!(
        output.status.code() != Some(3),
        "Python's openpyxl is needed for this test: run `pip install openpyxl` (as .ci/run does)\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "openpyxl could not read {}:\n{}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the dump is JSON")
}

fn write_workbook(project: &Path, out: &Path) -> i32 {
    let output = dossier()
        .arg("mds2")
        .arg(project)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        out.exists(),
        "no workbook written:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output.status.code().unwrap()
}

fn rows<'a>(book: &'a Value, sheet: &str) -> Vec<Vec<&'a str>> {
    book["sheets"][sheet]["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("no sheet {sheet}"))
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect()
        })
        .collect()
}

/// The checks every workbook must pass: all sections, all questions, each answered or
/// explained on the Findings sheet. Returns the Findings rows by question ID.
fn check_workbook(book: &Value) -> BTreeMap<String, Vec<String>> {
    let catalog = dossier::mds2::catalog::get();
    let form = rows(book, "MDS2");
    let findings = rows(book, "Findings");
    assert_eq!(book["sheets"]["MDS2"]["freeze"], "A7", "header row frozen");
    assert_eq!(findings[0][0], "ID");

    let mut explained: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in &findings[1..] {
        // Rows with a code are findings; the single "Nothing open" row has none.
        if row.len() > 4 && !row[0].is_empty() && !row[2].is_empty() {
            explained
                .entry(row[0].to_string())
                .or_default()
                .push(format!("{} {}", row[2], row[4]));
        }
    }

    for section in catalog.all_sections() {
        let header = format!("{}: {}", section.id, section.title);
        assert!(
            form.iter().any(|row| row[0].starts_with(&header)),
            "section header `{header}` missing"
        );
    }
    let by_id: BTreeMap<&str, &Vec<&str>> = form.iter().map(|row| (row[0], row)).collect();
    assert!(
        by_id.contains_key("OTHR"),
        "the free-text OTHR row is missing"
    );
    let mut questions = 0;
    for id in catalog.ids() {
        questions += 1;
        let row = by_id
            .get(id)
            .unwrap_or_else(|| panic!("question {id} has no row"));
        assert!(!row[1].is_empty(), "{id} has no question text");
        let answered = !row[2].is_empty();
        if answered {
            if row[4].contains("see the Findings sheet") {
                assert!(
                    explained.contains_key(id),
                    "{id} points at the Findings sheet, which does not list it"
                );
            }
        } else {
            let why = explained
                .get(id)
                .unwrap_or_else(|| panic!("{id} has neither an answer nor a finding"));
            assert!(
                why.iter()
                    .any(|w| w.starts_with("M001") && w.contains("has no answer")),
                "{id}: {why:?}"
            );
        }
        if !row[2].is_empty() && !id.starts_with("DOC-") {
            assert!(
                ["Yes", "No", "N/A"].contains(&row[2]),
                "{id} answers {:?}",
                row[2]
            );
        }
    }
    assert_eq!(questions, 240);
    explained
}

#[test]
fn example_workbook_reads_back_complete() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("MDS2.xlsx");
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/infusion-pump");
    assert_eq!(write_workbook(&project, &out), 0);
    let book = read_workbook(&out);
    assert_eq!(book["created"], "2026-10-15T00:00:00");
    let explained = check_workbook(&book);
    assert!(explained.is_empty(), "{explained:#?}");
    let form = rows(&book, "MDS2");
    let txcf = form.iter().find(|row| row[0] == "TXCF-3").unwrap();
    assert_eq!(txcf[2], "Yes");
    assert!(txcf[4].starts_with("Project model:"), "{}", txcf[4]);
}

#[test]
fn workbook_with_gaps_explains_every_missing_answer() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "dossier.yaml",
        "device:\n  name: Probe\n  model: PR-1\n  manufacturer: Probe Medical\n  intended_use: Testing.\n  use_environment: Hospital network.\nrelease: { version: 1.0.0, revision: A }\nsubmission: { type: 510k }\ndocument_date: 2026-01-15\n",
    );
    write(
        "architecture.yaml",
        "components:\n  - id: DEV\n    name: Probe device\n    kind: device\n    owner: manufacturer\n    in_device: true\n    interfaces: [{ name: Wi-Fi, transport: wifi }]\n  - { id: SRV, name: Server, kind: server, owner: hospital }\nflows:\n  - { id: F-1, purpose: Upload, from: DEV, to: SRV, transport: wifi, protocol: HTTPS, carries: [data], encryption: { protocol: TLS 1.3 } }\n",
    );
    write(
        "mds2.yaml",
        "mds2:\n  answers:\n    TXCF-2: { answer: no }\n    CONN-99: { answer: yes }\n    EMRG-1: { answer: no, note: No emergency access. }\n",
    );
    let out = dir.path().join("MDS2.xlsx");
    // The contradiction and the unknown ID fail the command, but the workbook is written.
    assert_eq!(write_workbook(dir.path(), &out), 1);
    let book = read_workbook(&out);
    let explained = check_workbook(&book);
    let txcf = explained
        .get("TXCF-2")
        .expect("TXCF-2 contradiction listed");
    assert!(
        txcf.iter()
            .any(|w| w.starts_with("M002") && w.contains("every device flow uses TLS 1.3: F-1")),
        "{txcf:?}"
    );
    let unknown = explained.get("CONN-99").expect("unknown ID listed");
    assert!(unknown[0].starts_with("M003"), "{unknown:?}");
    assert!(explained.contains_key("MPII-1"));
    assert!(!explained.contains_key("EMRG-1"));
    let form = rows(&book, "MDS2");
    let emrg = form.iter().find(|row| row[0] == "EMRG-1").unwrap();
    assert_eq!((emrg[2], emrg[3]), ("No", "No emergency access."));
}

#[test]
fn packaged_workbook_holds_nothing_internal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("package");
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/infusion-pump");
    let status = dossier()
        .arg("build")
        .arg(&project)
        .arg("--out")
        .arg(&out)
        .args(["--format", "md"])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let book = read_workbook(&out.join("labeling/mds2.xlsx"));
    let text = book.to_string().to_lowercase();
    let loaded = dossier::load::load(&project).unwrap().project;
    let mut internal: Vec<String> = vec!["exploitab".into(), "residual risk".into()];
    internal.extend(loaded.risks.iter().map(|r| r.title.to_lowercase()));
    internal.extend(loaded.threats.iter().map(|t| t.title.to_lowercase()));
    internal.extend(loaded.anomalies.iter().map(|a| a.title.to_lowercase()));
    internal.extend(
        loaded
            .tests
            .iter()
            .flat_map(|t| t.findings.iter().map(|f| f.title.to_lowercase())),
    );
    for needle in internal {
        assert!(
            !text.contains(&needle),
            "the customer MDS2 workbook contains {needle:?}"
        );
    }
}
