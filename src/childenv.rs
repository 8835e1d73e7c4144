//! The environment every program versus starts runs with: versus's own, minus the variables
//! that change how a runtime behaves, plus what a manifest (`env = { … }`) or the user
//! (`--env KEY=VALUE`) sets on purpose.
//!
//! A shell with `PYTHONUNBUFFERED=1` (common in containers and CI images) makes CPython write
//! every output line separately: cpu/fasta read 19.5× Go with it and 11.4× without. `GOGC`,
//! `GOMAXPROCS` and `GODEBUG` move Go's times as much (cpu/pidigits 0.54–1.46 s), and the BLAS
//! thread counts NumPy's. A measurement must not depend on what the shell happened to export,
//! so those variables are removed, and what a program did run with is stored with its case.
//! Where things are (PATH, HOME, GOPATH, GOCACHE, GOPROXY, locale) is left as it is.

use std::ffi::{OsStr, OsString};

/// Variables named exactly, beside the prefixes of [`REMOVED_PREFIXES`].
const REMOVED: &[&str] = &[
    // Go's runtime.
    "GOGC",
    "GOMAXPROCS",
    "GODEBUG",
    "GOMEMLIMIT",
    "GOTRACEBACK",
    "GORACE",
    // What `go build` produces.
    "GOFLAGS",
    "GOAMD64",
    "GOARM",
    "GOARM64",
    "GO386",
    "GOEXPERIMENT",
    "GOOS",
    "GOARCH",
    "GOFIPS140",
    "CGO_ENABLED",
    // The C library and the dynamic loader under every runtime.
    "LD_PRELOAD",
    "LD_AUDIT",
    "GLIBC_TUNABLES",
    // BLAS and OpenMP thread pools (NumPy), not under a prefix below.
    "GOTO_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "BLIS_NUM_THREADS",
];

/// Every variable starting with one of these: CPython's (`PYTHONUNBUFFERED`, `PYTHONHASHSEED`,
/// `PYTHONPATH`, `PYTHON_GIL` …), PyPy's (`PYPY_GC_MAX` …), cgo's flags, glibc's malloc tuning
/// and the thread pools of OpenMP, OpenBLAS, MKL and numexpr.
const REMOVED_PREFIXES: &[&str] = &[
    "PYTHON",
    "PYPY",
    "CGO_",
    "MALLOC_",
    "OMP_",
    "OPENBLAS_",
    "MKL_",
    "NUMEXPR_",
];

/// Whether a variable changes how a runtime behaves (and so is removed unless set on purpose).
pub fn changes_behaviour(key: &OsStr) -> bool {
    let Some(key) = key.to_str() else {
        return false;
    };
    REMOVED.contains(&key) || REMOVED_PREFIXES.iter().any(|p| key.starts_with(p))
}

/// `vars` without the variables that change how a runtime behaves.
pub fn without_behaviour(
    vars: impl IntoIterator<Item = (OsString, OsString)>,
) -> Vec<(OsString, OsString)> {
    vars.into_iter()
        .filter(|(key, _)| !changes_behaviour(key))
        .collect()
}

/// The variables of versus's own environment that its programs do not get, sorted by name:
/// what `versus doctor` and the report tell the user was left out.
pub fn removed_here() -> Vec<(String, String)> {
    let mut removed: Vec<(String, String)> = std::env::vars_os()
        .filter(|(key, _)| changes_behaviour(key))
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect();
    removed.sort();
    removed
}

/// A variable name as a user or a manifest may set it: a letter or `_`, then letters, digits
/// and `_`.
pub fn valid_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `KEY=VALUE` of `--env`.
pub fn parse_assignment(text: &str) -> Result<(String, String), String> {
    let Some((key, value)) = text.split_once('=') else {
        return Err(format!("`{text}` is not KEY=VALUE"));
    };
    if !valid_name(key) {
        return Err(format!(
            "`{key}` is not a variable name (letters, digits and _, not starting with a digit)"
        ));
    }
    if value.contains('\0') {
        return Err(format!("the value of {key} contains a NUL byte"));
    }
    Ok((key.to_string(), value.to_string()))
}

/// `KEY=VALUE KEY=VALUE`, or "nothing": how a set of variables is shown.
pub fn describe(vars: &[(String, String)]) -> String {
    if vars.is_empty() {
        return "nothing".to_string();
    }
    vars.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_switches_are_removed_and_locations_kept() {
        for key in [
            "PYTHONUNBUFFERED",
            "PYTHONHASHSEED",
            "PYTHONPATH",
            "PYTHON_GIL",
            "PYPY_GC_MAX",
            "GOGC",
            "GOMAXPROCS",
            "GODEBUG",
            "GOFLAGS",
            "CGO_CFLAGS",
            "OPENBLAS_NUM_THREADS",
            "OMP_NUM_THREADS",
            "MALLOC_ARENA_MAX",
            "LD_PRELOAD",
        ] {
            assert!(changes_behaviour(OsStr::new(key)), "{key}");
        }
        for key in [
            "PATH",
            "HOME",
            "GOPATH",
            "GOCACHE",
            "GOMODCACHE",
            "GOPROXY",
            "GOROOT",
            "LANG",
            "TMPDIR",
            "PIP_INDEX_URL",
        ] {
            assert!(!changes_behaviour(OsStr::new(key)), "{key}");
        }
    }

    #[test]
    fn without_behaviour_keeps_the_rest_in_order() {
        let vars = [("PATH", "/bin"), ("PYTHONUNBUFFERED", "1"), ("HOME", "/h")]
            .map(|(k, v)| (OsString::from(k), OsString::from(v)));
        let kept: Vec<_> = without_behaviour(vars)
            .into_iter()
            .map(|(k, _)| k.into_string().unwrap())
            .collect();
        assert_eq!(kept, ["PATH", "HOME"]);
    }

    #[test]
    fn assignments_are_checked() {
        assert_eq!(
            parse_assignment("GOGC=off"),
            Ok(("GOGC".into(), "off".into()))
        );
        assert_eq!(parse_assignment("A="), Ok(("A".into(), String::new())));
        assert_eq!(parse_assignment("X=a=b"), Ok(("X".into(), "a=b".into())));
        assert!(parse_assignment("GOGC").is_err());
        assert!(parse_assignment("=1").is_err());
        assert!(parse_assignment("1A=1").is_err());
        assert!(parse_assignment("A B=1").is_err());
    }
}
