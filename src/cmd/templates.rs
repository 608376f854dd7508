//! `dossier templates`: eject or list the default templates.

use super::{OK, Outcome, print_stdout};
use crate::cli::TemplatesCommand;
use dossier::render::templates;
use std::process::ExitCode;

pub fn execute(command: &TemplatesCommand) -> Outcome {
    match command {
        TemplatesCommand::Eject { dir } => {
            if !dir.join(dossier::load::PROJECT_FILE).is_file() {
                return Err(format!(
                    "`{}` has no {}; eject into a project folder",
                    dir.display(),
                    dossier::load::PROJECT_FILE
                )
                .into());
            }
            let written = templates::eject(dir)?;
            let mut text = String::new();
            for file in written {
                text.push_str(&format!("wrote {file}\n"));
            }
            text.push_str("edit the files you want to change and delete the others; deleted files fall back to the defaults\n");
            print_stdout(&text)?;
        }
        TemplatesCommand::List => {
            let mut text = String::new();
            for (name, _) in templates::DEFAULTS {
                text.push_str(&format!("{name}\n"));
            }
            print_stdout(&text)?;
        }
    }
    Ok(ExitCode::from(OK))
}
