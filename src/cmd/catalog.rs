//! `dossier catalog`: print a guidance catalog.

use super::{OK, Outcome, print_stdout};
use crate::cli::{CatalogArgs, CatalogFormat};
use dossier::catalog;
use std::process::ExitCode;

pub fn execute(args: &CatalogArgs) -> Outcome {
    let edition = args.edition.as_deref().unwrap_or(catalog::newest());
    let Some(catalog) = catalog::get(edition) else {
        let known: Vec<&str> = catalog::editions().collect();
        return Err(format!(
            "unknown edition `{edition}`; known editions: {}",
            known.join(", ")
        )
        .into());
    };
    let text = match args.format {
        CatalogFormat::Human => catalog::text::listing(catalog),
        CatalogFormat::Md => catalog::text::markdown(catalog),
        CatalogFormat::Json => {
            let doc = serde_json::json!({
                "edition": catalog.edition,
                "title": catalog.title,
                "issued": catalog.issued,
                "supersedes": catalog.supersedes,
                "entries": catalog.entries,
                "crosswalk": catalog.crosswalk,
            });
            let mut text = serde_json::to_string_pretty(&doc)?;
            text.push('\n');
            text
        }
    };
    print_stdout(&text)?;
    Ok(ExitCode::from(OK))
}
