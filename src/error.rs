//! Exit codes and the errors a user can fix.
//!
//! A workload that crashes or prints the wrong answer is *data* (a verdict), never an error here.
//! An error means versus itself cannot go on: either the user gave something it cannot use
//! ([`UserError`], exit code 2, always with a hint) or something broke inside (exit code 1).

use std::fmt;
use std::path::PathBuf;

/// The process exit codes, documented in `--help` and README.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// Every case ran and was verified.
    Ok,
    /// versus itself failed.
    Internal,
    /// Bad usage, a malformed manifest, an unknown workload, an unusable `--db`.
    Usage,
    /// At least one case failed: wrong output, crash, timeout or build failure.
    CaseFailed,
    /// Stopped by SIGINT, SIGTERM or SIGHUP; what finished is stored.
    Interrupted,
}

impl ExitCode {
    pub fn as_i32(self) -> i32 {
        match self {
            ExitCode::Ok => 0,
            ExitCode::Internal => 1,
            ExitCode::Usage => 2,
            ExitCode::CaseFailed => 3,
            ExitCode::Interrupted => 130,
        }
    }
}

/// Something the user gave that versus cannot use. Rendered as `error: …` and `hint: …`.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("{location}: {message}")]
    Manifest {
        location: String,
        message: String,
        hint: String,
    },
    #[error("unknown workload or suite `{name}`")]
    UnknownWorkload { name: String, known: Vec<String> },
    #[error("cannot use database {}: {message}", path.display())]
    Database { path: PathBuf, message: String },
    #[error("{message}")]
    Usage { message: String, hint: String },
}

impl UserError {
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        UserError::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn hint(&self) -> Hint<'_> {
        Hint(self)
    }
}

/// The `hint:` line under an error: what to do next.
pub struct Hint<'a>(&'a UserError);

impl fmt::Display for Hint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            UserError::Manifest { hint, .. } | UserError::Usage { hint, .. } => f.write_str(hint),
            UserError::UnknownWorkload { known, .. } => {
                let shown: Vec<&str> = known.iter().take(12).map(String::as_str).collect();
                write!(
                    f,
                    "known names: {}{}; `versus list` shows them all, `all` runs every workload",
                    shown.join(", "),
                    if known.len() > shown.len() { ", …" } else { "" }
                )
            }
            UserError::Database { .. } => f.write_str(
                "pass a writable file with --db PATH (its folder must exist), or remove the damaged file",
            ),
        }
    }
}
