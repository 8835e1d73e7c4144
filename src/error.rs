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

/// Whether `err` is a write to a pipe whose reader has gone (`versus report | head`): the end
/// of the output, not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    // serde_json's error does not list the io::Error it wraps among its sources: asked apart.
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|json| json.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
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
    /// The database file itself failed: damaged, on a full disk, read-only. `cause` is how
    /// it showed, mostly in SQLite's own words.
    #[error("cannot use database {}: {fault} ({cause})", path.display())]
    Storage {
        path: PathBuf,
        fault: StorageFault,
        cause: String,
    },
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
            UserError::Storage { path, fault, .. } => fault.hint(path, f),
        }
    }
}

/// What is wrong with a database file, as opposed to with versus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageFault {
    /// SQLite found the file damaged (or it is not a database at all).
    Damaged,
    /// The disk that holds it (or its WAL) is full.
    Full,
    /// A read or write of it failed below SQLite (EIO, `ulimit -f`, a vanished mount).
    Io,
    /// It cannot be written, and something had to be.
    ReadOnly,
    /// Its schema is older than this versus knows, and it cannot be written to upgrade it.
    OlderSchema { found: usize, known: usize },
}

impl fmt::Display for StorageFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageFault::Damaged => f.write_str("the file is damaged"),
            StorageFault::Full => f.write_str("the disk is full"),
            StorageFault::Io => f.write_str("the disk failed to read or write it"),
            StorageFault::ReadOnly => f.write_str("it cannot be written"),
            StorageFault::OlderSchema { found, known } => write!(
                f,
                "its schema is version {found}, older than this versus's {known}, and it cannot \
                 be written to upgrade it"
            ),
        }
    }
}

impl StorageFault {
    fn hint(self, path: &std::path::Path, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = path.display();
        match self {
            StorageFault::Damaged => write!(
                f,
                "move it aside (`mv {path} {path}.damaged`): versus starts a new database there; \
                 `sqlite3 {path}.damaged .recover` may save the runs it holds"
            ),
            StorageFault::Full => write!(
                f,
                "free space on the disk that holds {path}, or pass --db PATH on another disk; \
                 the cases stored before the disk filled are kept"
            ),
            StorageFault::Io => write!(
                f,
                "check the disk that holds {path} (is it full? a file size limit, `ulimit -f`? \
                 `dmesg`), or pass --db PATH on another disk"
            ),
            StorageFault::ReadOnly => write!(
                f,
                "`versus report`, `compare` and `advise` read it as it is; to store a run, pass \
                 --db PATH naming a file you can write (or make {path} and its folder writable)"
            ),
            StorageFault::OlderSchema { .. } => write!(
                f,
                "make {path} and its folder writable and run this again (versus upgrades it as \
                 it opens it), or copy it to a folder you can write and pass --db COPY"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pipe whose reader has gone.
    struct Closed;

    impl std::io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_is_known_however_the_writer_wrapped_it() {
        let io: anyhow::Error = std::io::Error::from(std::io::ErrorKind::BrokenPipe).into();
        assert!(is_broken_pipe(&io));
        let json: anyhow::Error = serde_json::to_writer(Closed, &[1, 2, 3])
            .unwrap_err()
            .into();
        assert!(is_broken_pipe(&json.context("writing the report")));
        let other: anyhow::Error = std::io::Error::from(std::io::ErrorKind::NotFound).into();
        assert!(!is_broken_pipe(&other));
    }
}
