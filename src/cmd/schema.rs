//! `dossier schema`: write the JSON Schemas.

use super::{OK, Outcome, print_stdout};
use crate::cli::SchemaArgs;
use std::process::ExitCode;

pub fn execute(args: &SchemaArgs) -> Outcome {
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create `{}`: {e}", args.out.display()))?;
    for (name, text) in dossier::schema::schemas() {
        let path = args.out.join(name);
        std::fs::write(&path, text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        print_stdout(&format!("wrote {}\n", path.display()))?;
    }
    Ok(ExitCode::from(OK))
}
