//! One module per subcommand. Each turns parsed arguments into library calls and output, and
//! returns the exit code; only `main` exits.

pub mod build;
pub mod catalog;
pub mod check;
pub mod diff;
pub mod init;
pub mod mds2;
pub mod sbom;
pub mod schema;
pub mod templates;

use std::io::Write;
use std::process::ExitCode;

/// Exit status 0: nothing at or above the failing severity.
pub const OK: u8 = 0;
/// Exit status 1: findings at or above the failing severity.
pub const FINDINGS: u8 = 1;
/// Exit status 2: the project could not be read, or the command line was wrong.
pub const FAILURE: u8 = 2;

/// A command failure that ends with exit status 2 and a message on standard error.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(error: E) -> Failure {
        Failure(error.to_string())
    }
}

pub type Outcome = Result<ExitCode, Failure>;

/// Writes to standard output; a closed pipe (`dossier check | head`) is not an error.
pub fn print_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure(format!("cannot write to standard output: {e}"))),
    }
}
