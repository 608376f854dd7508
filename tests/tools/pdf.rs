//! PDF rendering, checked with real PDF tools (poppler's `pdftotext` and
//! `pdfinfo`, and `qpdf`). Those tests fail, with a message saying what to
//! install, when a tool is missing: a skipped check would look like a pass.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use dossier::render::blocks::{Block, Inline, markdown_to_blocks};
use dossier::render::pdf::{
    DEFAULT_TEMPLATE, PdfDocument, PdfError, PdfMeta, PdfPackage, render_pdf, render_pdf_report,
};

const TEMPLATE_NAME: &str = "templates/pdf/package.typ";
const DRAFT: &str = "DRAFT: 12 open findings";

fn meta(title: &str) -> PdfMeta {
    PdfMeta {
        title: title.to_string(),
        device: "InfuSafe Pump".into(),
        model: "IS-200".into(),
        manufacturer: "Acme Medical Inc.".into(),
        version: "4.2.0".into(),
        revision: "B".into(),
        submission: "510(k)".into(),
        date: "2025-03-01".into(),
        udi_di: Some("00812345678905".into()),
        draft: Some(DRAFT.into()),
    }
}

fn sbom_markdown() -> String {
    let mut md = String::from(
        "Components shipped in the device.\n\n\
         | Component | Version | Supplier | Package URL |\n\
         |:---|:---:|---|---|\n",
    );
    for i in 0..300 {
        writeln!(
            md,
            "| libcomponent-{i} | 1.{i}.0 | Supplier {i} | pkg:generic/acme/libcomponent-{i}@1.{i}.0?checksum=sha256:{:064x} |",
            u128::from(i as u32) * 0x9e37_79b9_7f4a_7c15
        )
        .unwrap();
    }
    md
}

fn sample_package() -> PdfPackage {
    let threat = "## Scope {#scope}\n\nThe pump talks to the hospital network.\n\n\
        ## Threats {#threats}\n\n<a id=\"T-1\"></a>**T-1** Spoofed drug library update.\n\n\
        <a id=\"T-2\"></a>**T-2** Denial of service on the Wi-Fi link.\n\n\
        See also [the SBOM](sbom.md#sbom) and <https://www.fda.gov/media/119933/download>.\n\n\
        Configuration `tls.min_version = 1.3`:\n\n```\n[tls]\nmin_version = \"1.3\"\n```\n";
    let risk = "## Risks\n\n\
        - R-1 mitigates [T-1](threat-model.md#T-1)\n\
        - R-2 mitigates [T-2](#T-2)\n\
        - R-3 points at [a missing anchor](#nowhere)\n\n\
        **MISSING: owner of the patching process**\n\n\
        MISSING: end-of-support date\n";
    PdfPackage {
        images: Default::default(),
        meta: meta("Cybersecurity documentation"),
        cover: true,
        toc: true,
        documents: vec![
            PdfDocument {
                id: "threat-model".into(),
                title: "Threat model".into(),
                sections: vec!["§V.A.2".into(), "App. 1".into()],
                blocks: markdown_to_blocks(threat),
            },
            PdfDocument {
                id: "sbom".into(),
                title: "Software bill of materials".into(),
                sections: vec!["§V.A.4".into()],
                blocks: markdown_to_blocks(&sbom_markdown()),
            },
            PdfDocument {
                id: "risks".into(),
                title: "Security risk management report".into(),
                sections: vec!["§V.A.1".into()],
                blocks: markdown_to_blocks(risk),
            },
        ],
    }
}

/// Runs a tool and returns its stdout; fails the test when it is missing.
fn run(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|err| {
            panic!(
                "`{tool}` is needed by this test and could not run ({err}); \
             install it: apt-get install -y poppler-utils qpdf"
            )
        });
    assert!(
        output.status.success(),
        "`{tool} {}` failed: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A per-test scratch folder under the target dir (no tempfile dependency).
fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pdf-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_pdf(name: &str, pkg: &PdfPackage) -> PathBuf {
    let bytes = render_pdf(pkg, DEFAULT_TEMPLATE, TEMPLATE_NAME).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let path = scratch_dir(name).join("package.pdf");
    std::fs::write(&path, bytes).unwrap();
    path
}

fn page_count(pdf: &Path) -> usize {
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints a page count")
}

/// The text of every page (pdftotext ends each page with a form feed).
fn pages_text(pdf: &Path) -> Vec<String> {
    let text = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

#[test]
fn package_text_toc_footer_header_and_repeated_table_header() {
    let pdf = write_pdf("package", &sample_package());
    let n = page_count(&pdf);
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), n, "one text page per PDF page");
    assert!(n >= 6, "the 300-row table spans pages, got {n} pages");
    let all = pages.join("\n");

    // Cover.
    for s in [
        "Cybersecurity documentation",
        "InfuSafe Pump",
        "IS-200",
        "Acme Medical Inc.",
        "4.2.0",
        "510(k)",
        "2025-03-01",
        "00812345678905",
        DRAFT,
    ] {
        assert!(pages[0].contains(s), "cover lacks {s:?}:\n{}", pages[0]);
    }
    assert!(!pages[0].contains("Page 1 of"), "no footer on the cover");

    // Table of contents: each title followed by a page number on its line.
    let toc = &pages[1];
    assert!(toc.contains("Contents"));
    let mut toc_pages = Vec::new();
    for title in [
        "Threat model",
        "Software bill of materials",
        "Security risk management report",
    ] {
        let line = toc
            .lines()
            .find(|l| l.contains(title))
            .unwrap_or_else(|| panic!("TOC lacks {title:?}:\n{toc}"));
        let number: usize = line
            .split_whitespace()
            .last()
            // Typst puts a word joiner (U+2060) before the number.
            .and_then(|w| w.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
            .unwrap_or_else(|| panic!("no page number in TOC line {line:?}"));
        // The document really starts on that page.
        assert!(
            pages[number - 1].contains(title) && pages[number - 1].contains("Answers:"),
            "TOC says {title:?} is on page {number}"
        );
        toc_pages.push(number);
        assert!(
            all.matches(title).count() >= 3,
            "{title:?} in TOC, heading, headers"
        );
    }
    assert!(toc_pages.windows(2).all(|w| w[0] < w[1]));
    assert!(all.contains("Answers: §V.A.2, App. 1"));

    // Footer "Page k of N" on every page but the cover, N = real page count.
    for (i, page) in pages.iter().enumerate().skip(1) {
        let footer = format!("Page {} of {n}", i + 1);
        assert!(page.contains(&footer), "page {} lacks {footer:?}", i + 1);
        assert!(page.contains(DRAFT), "page {} lacks the draft line", i + 1);
    }

    // The table header repeats on every page the table spans.
    let with_header = pages
        .iter()
        .filter(|p| p.contains("Component") && p.contains("Package URL"))
        .count();
    let with_rows = pages.iter().filter(|p| p.contains("libcomponent-")).count();
    assert!(with_rows > 1, "the table spans several pages");
    assert_eq!(with_header, with_rows, "header row on every table page");
    assert!(all.contains("libcomponent-299"), "last row rendered");

    // Markers and the dangling link's text survive.
    assert!(all.contains("MISSING: owner of the patching process"));
    assert!(all.contains("MISSING: end-of-support date"));
    assert!(all.contains("a missing anchor"));
    assert!(all.contains("Spoofed drug library update"));
}

#[test]
fn per_document_pdf_numbers_every_page() {
    let full = sample_package();
    let doc = full.documents[1].clone();
    let pkg = PdfPackage {
        images: Default::default(),
        meta: PdfMeta {
            draft: None,
            ..meta(&doc.title)
        },
        cover: false,
        toc: false,
        documents: vec![doc],
    };
    let pdf = write_pdf("single", &pkg);
    let n = page_count(&pdf);
    let pages = pages_text(&pdf);
    assert!(n > 1);
    for (i, page) in pages.iter().enumerate() {
        let footer = format!("Page {} of {n}", i + 1);
        assert!(page.contains(&footer), "page {} lacks {footer:?}", i + 1);
        assert!(!page.contains("DRAFT"));
        assert!(
            page.contains("Software bill of materials"),
            "running header"
        );
    }
    assert!(pages[0].contains("00812345678905"), "compact title block");
    assert!(!pages[0].contains("Contents"));
}

#[test]
fn qpdf_check_and_outline() {
    let pdf = write_pdf("qpdf", &sample_package());
    let path = pdf.to_str().unwrap();
    let check = run("qpdf", &["--check", path]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );

    let json = run("qpdf", &["--json", "--json-key=outlines", path]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let outlines = value["outlines"].as_array().expect("an outline");
    let titles: Vec<&str> = outlines
        .iter()
        .filter_map(|o| o["title"].as_str())
        .collect();
    for title in [
        "Threat model",
        "Software bill of materials",
        "Security risk management report",
    ] {
        assert!(titles.contains(&title), "bookmark {title:?} in {titles:?}");
    }
    // Document headings nest under the document's bookmark.
    let threat = outlines
        .iter()
        .find(|o| o["title"] == "Threat model")
        .unwrap();
    let kids: Vec<&str> = threat["kids"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["title"].as_str())
        .collect();
    assert_eq!(kids, ["Scope", "Threats"]);

    // Internal links exist as GoTo actions/destinations, not URIs only.
    let qdf = scratch_dir("qpdf-qdf").join("qdf.pdf");
    run(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            path,
            qdf.to_str().unwrap(),
        ],
    );
    let raw = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
    assert!(raw.contains("/Outlines"));
    assert!(raw.contains("/Title (Cybersecurity documentation)") || raw.contains("/Title <"));
    assert!(
        raw.contains("/CreationDate (D:20250301"),
        "date from meta.date"
    );
    assert!(raw.contains("https://www.fda.gov/media/119933/download"));
    // TOC entries and links to a document jump to its named destination;
    // Typst describes other internal links as "page N": the links from the
    // risk report to T-1 and T-2 land on page 3, the threat model.
    for id in ["threat-model", "sbom", "risks"] {
        assert!(raw.contains(&format!("/Dest ({id})")), "link to {id}");
    }
    assert_eq!(raw.matches("/Contents (page 3)").count(), 2, "T-1, T-2");
    // One annotation per external link (the URL is not split up).
    assert_eq!(raw.matches("/URI (https://www.fda.gov").count(), 1);
}

#[test]
fn fonts_are_the_embedded_ones_subset_and_no_warnings() {
    let pkg = sample_package();
    let rendered = render_pdf_report(&pkg, DEFAULT_TEMPLATE, TEMPLATE_NAME).unwrap();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let path = scratch_dir("fonts").join("package.pdf");
    std::fs::write(&path, &rendered.bytes).unwrap();
    assert_eq!(rendered.pages, page_count(&path));

    let fonts = run("pdffonts", &[path.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    let mut mono = false;
    for row in rows {
        // Subset fonts have a "ABCDEF+" tag; columns emb/sub are "yes yes".
        let name = row.split_whitespace().next().unwrap();
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "not subset: {row}"
        );
        assert!(row.contains(" yes yes "), "not embedded and subset: {row}");
        assert!(
            name.contains("LibertinusSerif") || name.contains("DejaVuSansMono"),
            "unexpected font: {row}"
        );
        mono |= name.contains("DejaVuSansMono");
    }
    assert!(mono, "code uses DejaVu Sans Mono:\n{fonts}");
}

#[test]
fn renders_are_byte_identical() {
    let pkg = sample_package();
    let a = render_pdf(&pkg, DEFAULT_TEMPLATE, TEMPLATE_NAME).unwrap();
    let b = render_pdf(&pkg, DEFAULT_TEMPLATE, TEMPLATE_NAME).unwrap();
    assert!(a == b, "two renders differ");
    // And the content matters: a different date gives different bytes.
    let mut other = pkg.clone();
    other.meta.date = "2025-03-02".into();
    let c = render_pdf(&other, DEFAULT_TEMPLATE, TEMPLATE_NAME).unwrap();
    assert!(a != c);
}

#[test]
fn broken_templates_give_located_errors() {
    let pkg = sample_package();
    let name = "my-project/templates/pdf/package.typ";

    let syntax = "#let data = json(\"/data.json\")\n\n#let x = (1, 2\n= Hello\n";
    match render_pdf(&pkg, syntax, name) {
        Err(PdfError::Template {
            file, line, column, ..
        }) => {
            assert_eq!(file, name);
            assert!(line >= 3, "line {line}");
            assert!(column > 0);
        }
        other => panic!("expected a template error, got {other:?}"),
    }

    let field = "#let data = json(\"/data.json\")\n#data.meta.titel\n";
    match render_pdf(&pkg, field, name) {
        Err(err @ PdfError::Template { .. }) => {
            let PdfError::Template {
                ref file,
                line,
                column,
                ref message,
                ..
            } = err
            else {
                unreachable!()
            };
            assert_eq!(file, name);
            assert_eq!((line, column), (2, 12), "{err}");
            assert!(message.contains("titel"), "{message}");
            assert!(err.to_string().starts_with(&format!("{name}:2:12: ")));
        }
        other => panic!("expected a template error, got {other:?}"),
    }

    // An error inside a function reports where it happens.
    let nested = "#let f(x) = x.nope\n#let data = json(\"/data.json\")\n#f(data.meta)\n";
    match render_pdf(&pkg, nested, name) {
        Err(PdfError::Template { line, .. }) => assert!(line == 1 || line == 3),
        other => panic!("expected a template error, got {other:?}"),
    }

    // Reading anything but the data is refused, as an error.
    let file = "#read(\"/etc/passwd\")\n";
    assert!(matches!(
        render_pdf(&pkg, file, name),
        Err(PdfError::Template { line: 1, .. })
    ));
}

#[test]
fn typst_special_characters_stay_text() {
    let nasty = r#"Risk #1: $x$ *bold* _it_ <lbl> @ref \ `code` ] [ // /* #eval("1")"#;
    let mut pkg = sample_package();
    pkg.meta.title = nasty.to_string();
    pkg.documents[0].title = nasty.to_string();
    // In body text and a table cell too, next to HTML that must stay text.
    let mut blocks = vec![Block::Paragraph {
        content: vec![Inline::Text {
            text: nasty.to_string(),
        }],
    }];
    blocks.extend(markdown_to_blocks(
        "<script>alert(1)</script>\n\n| a |\n|---|\n| `#x` $y$ |\n",
    ));
    pkg.documents[0].blocks.extend(blocks);
    let pdf = write_pdf("special", &pkg);
    let text = pages_text(&pdf).join("\n");
    // pdftotext may reflow a long title, so compare without line structure.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(nasty), "{nasty:?} not verbatim in:\n{flat}");
    assert!(flat.contains("<script>alert(1)</script>"));
    assert!(flat.contains("#x $y$"));
    assert!(
        flat.matches(nasty).count() >= 4,
        "cover, TOC, heading, body"
    );
}

#[test]
fn hostile_and_empty_inputs_render() {
    let long_word = "x".repeat(5000);
    let weird = [
        "",
        "\u{0}\u{7}\t\r\n",
        "العربية עברית 中文 日本語 😀 \u{202E}reversed",
        &long_word,
        "#set page(width: 1pt)",
        "\")]; #panic(\"boom\") //",
    ];
    let mut blocks = Vec::new();
    for w in weird {
        blocks.push(Block::Heading {
            level: 200,
            content: vec![Inline::Text { text: w.into() }],
            anchor: Some(w.into()),
        });
        blocks.push(Block::Paragraph {
            content: vec![
                Inline::Anchor { id: w.into() },
                Inline::Link {
                    target: w.into(),
                    internal: true,
                    content: vec![],
                },
                Inline::Link {
                    target: format!("javascript:{w}"),
                    internal: false,
                    content: vec![Inline::Code { text: w.into() }],
                },
            ],
        });
        blocks.push(Block::Code { text: w.into() });
        blocks.push(Block::Table {
            header: vec![],
            rows: vec![vec![vec![Inline::Text { text: w.into() }]; 3]],
            align: vec![w.into()],
            widths: vec![-1.0, f64::NAN],
            scale: f64::INFINITY,
        });
    }
    blocks.push(Block::List {
        ordered: true,
        start: u64::MAX,
        items: vec![vec![], vec![Block::Rule]],
    });
    let md =
        "> > > - [x] <a id=\"\"></a>*__~~`a`~~__*\n\n|a|\n|-|\n\n<!-- c -->\n\n[^n]\n\n[^n]: x\n";
    blocks.extend(markdown_to_blocks(md));
    // Nesting deep enough to hit Typst's call depth limit if not capped.
    let deep: String = (0..60)
        .map(|i| format!("{}- item {i} *a **b ~~c [d](#x)~~***\n", "  ".repeat(i)))
        .collect();
    blocks.extend(markdown_to_blocks(&deep));
    blocks.extend(markdown_to_blocks(&format!("{}deep\n", "> ".repeat(300))));
    blocks.extend(markdown_to_blocks(&format!(
        "{}x{}",
        "*a **b ".repeat(100),
        "** a*".repeat(100)
    )));

    let mut pkg = sample_package();
    pkg.meta = PdfMeta {
        title: String::new(),
        device: String::new(),
        model: String::new(),
        manufacturer: String::new(),
        version: String::new(),
        revision: String::new(),
        submission: String::new(),
        date: "not a date".into(),
        udi_di: Some(String::new()),
        draft: Some(String::new()),
    };
    pkg.documents = vec![
        PdfDocument {
            id: String::new(),
            title: String::new(),
            sections: vec![String::new()],
            blocks,
        },
        // Reserved for the template's own labels.
        PdfDocument {
            id: "_dossier-section".into(),
            title: "reserved".into(),
            sections: vec![],
            blocks: markdown_to_blocks(
                "<a id=\"_dossier-section\"></a> [jump](#_dossier-section)\n",
            ),
        },
        // Same id twice: the second loses it instead of breaking Typst.
        PdfDocument {
            id: "x".into(),
            title: "x".into(),
            sections: vec![],
            blocks: vec![],
        },
        PdfDocument {
            id: "x".into(),
            title: "y".into(),
            sections: vec![],
            blocks: vec![],
        },
    ];
    for (cover, toc) in [(true, true), (false, false), (false, true), (true, false)] {
        pkg.cover = cover;
        pkg.toc = toc;
        let bytes = render_pdf(&pkg, DEFAULT_TEMPLATE, TEMPLATE_NAME)
            .unwrap_or_else(|err| panic!("cover {cover} toc {toc}: {err}"));
        assert!(bytes.starts_with(b"%PDF-"));
    }
    pkg.documents.clear();
    assert!(render_pdf(&pkg, DEFAULT_TEMPLATE, TEMPLATE_NAME).is_ok());
    // A template is any text: empty and binary-looking ones too.
    assert!(render_pdf(&pkg, "", TEMPLATE_NAME).is_ok());
    assert!(render_pdf(&pkg, "\u{0}\u{feff}#", TEMPLATE_NAME).is_err());
}
