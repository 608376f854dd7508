//! The `dossier` binary: parse arguments, run the command, map the outcome to an exit status.

mod cli;
mod cmd;

use clap::Parser;
use cli::{Cli, ColorChoice, Command};
use std::io::IsTerminal;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // --help and --version are not errors; everything else is exit 2.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                cmd::FAILURE
            } else {
                cmd::OK
            });
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let outcome = match &cli.command {
        Command::Init(args) => cmd::init::execute(args),
        Command::Check(args) => cmd::check::execute(args, color),
        Command::Schema(args) => cmd::schema::execute(args),
        Command::Catalog(args) => cmd::catalog::execute(args),
        Command::Build(args) => cmd::build::execute(args, color),
        Command::Diff(args) => cmd::diff::execute(args, color),
        Command::Mds2(args) => cmd::mds2::execute(args, color),
        Command::Sbom(command) => cmd::sbom::execute(command),
        Command::Templates(command) => cmd::templates::execute(command),
    };
    match outcome {
        Ok(code) => code,
        Err(cmd::Failure(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(cmd::FAILURE)
        }
    }
}
