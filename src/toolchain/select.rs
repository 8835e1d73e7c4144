//! `--python` by version: which of the discovered Pythons a value such as `3.13`, `3.13.1`,
//! `pypy3.10` or `all` names, and the error when it names none.

use std::ffi::OsStr;
use std::path::PathBuf;

use super::Toolchain;
use crate::error::UserError;
use crate::language::Language;

/// One `--python` value, as the settings read it.
#[derive(Clone, Debug, PartialEq)]
pub enum PythonRequest {
    /// A value with a `/` (a path), or a program name that is not a version (`python3`,
    /// looked up on PATH): that interpreter, probed as given.
    Program(PathBuf),
    /// `3.13`, `3.13.1`, `3.13t`, `pypy`, `pypy3.10`: the discovered ones of that version.
    Version(VersionSelector),
    /// `all`: every discovered Python.
    All,
}

impl PythonRequest {
    /// Never fails: what is neither `all` nor a version is a program to run.
    pub fn parse(value: &OsStr) -> PythonRequest {
        let Some(text) = value.to_str() else {
            return PythonRequest::Program(PathBuf::from(value));
        };
        if text.contains('/') {
            return PythonRequest::Program(PathBuf::from(text));
        }
        if text.eq_ignore_ascii_case("all") {
            return PythonRequest::All;
        }
        match VersionSelector::parse(text) {
            Some(selector) => PythonRequest::Version(selector),
            None => PythonRequest::Program(PathBuf::from(text)),
        }
    }
}

/// An implementation and the leading components of a version.
#[derive(Clone, Debug, PartialEq)]
pub struct VersionSelector {
    /// As written, for messages.
    pub text: String,
    /// `cpython` unless the value names `pypy`.
    pub implementation: String,
    /// `[3, 13]` for `3.13`; empty for a bare `pypy`.
    pub components: Vec<u32>,
    /// `3.13t`: only free-threaded builds.
    pub free_threaded: bool,
}

impl VersionSelector {
    /// `3.13`, `3.13.1`, `3.13t`, `cpython3.13`, `cpython-3.13`, `pypy`, `pypy3.10`, `pypy-3.10`;
    /// `None` for anything else (`python3` stays a program name, as it always was).
    pub fn parse(text: &str) -> Option<VersionSelector> {
        let lower = text.to_ascii_lowercase();
        let (implementation, rest) = ["cpython", "pypy"]
            .iter()
            .find_map(|name| Some((*name, lower.strip_prefix(name)?)))
            .unwrap_or(("cpython", lower.as_str()));
        let named = rest.len() < lower.len();
        let rest = rest.strip_prefix('-').filter(|_| named).unwrap_or(rest);
        let (digits, free_threaded) = match rest.strip_suffix('t') {
            Some(digits) => (digits, true),
            None => (rest, false),
        };
        let components = if digits.is_empty() {
            // `pypy` alone names the implementation; an empty version alone names nothing.
            if !named || free_threaded {
                return None;
            }
            Vec::new()
        } else {
            digits
                .split('.')
                .map(|part| {
                    let all_digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
                    all_digits.then(|| part.parse::<u32>().ok()).flatten()
                })
                .collect::<Option<Vec<u32>>>()?
        };
        if components.len() > 3 {
            return None;
        }
        Some(VersionSelector {
            text: text.to_string(),
            implementation: implementation.to_string(),
            components,
            free_threaded,
        })
    }

    /// Whether `toolchain` is of this implementation and its version starts with these
    /// components (`3.1` is not a prefix of `3.10.13`).
    pub fn matches(&self, toolchain: &Toolchain) -> bool {
        toolchain.language == Language::Python
            && toolchain.implementation == self.implementation
            && version_components(&toolchain.version).starts_with(&self.components)
            && (!self.free_threaded || is_free_threaded(toolchain))
    }
}

/// `3.13.0t` → `[3, 13, 0]`, `3.14.0a1` → `[3, 14, 0]`: the leading digits of each part.
pub(super) fn version_components(version: &str) -> Vec<u32> {
    let mut components = Vec::new();
    for part in version.split('.') {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        let Ok(value) = digits.parse() else { break };
        components.push(value);
        if digits.len() < part.len() {
            break;
        }
    }
    components
}

fn is_free_threaded(toolchain: &Toolchain) -> bool {
    toolchain
        .details
        .get("free_threaded_build")
        .is_some_and(|v| v == "true")
}

/// The `--python` value that selects `toolchain` among those discovered: its exact version
/// (with `pypy` in front for PyPy), for doctor's hint.
pub fn selector_for(toolchain: &Toolchain) -> String {
    match toolchain.implementation.as_str() {
        "cpython" => toolchain.version.clone(),
        other => format!("{other}{}", toolchain.version),
    }
}

/// Marks what the versions and `all` among `requests` name as selected, and only that (what
/// `--python PATH` named stays selected). With no version and no `all`, nothing changes. A
/// value that names none of the Pythons found is a usage error listing those found.
pub fn apply(requests: &[PythonRequest], toolchains: &mut [Toolchain]) -> Result<(), UserError> {
    let wanted: Vec<&PythonRequest> = requests
        .iter()
        .filter(|r| !matches!(r, PythonRequest::Program(_)))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let picks = |request: &PythonRequest, t: &Toolchain| match request {
        PythonRequest::All => t.language == Language::Python,
        PythonRequest::Version(selector) => selector.matches(t),
        PythonRequest::Program(_) => false,
    };
    for request in &wanted {
        if !toolchains.iter().any(|t| picks(request, t)) {
            return Err(no_match(request, toolchains));
        }
    }
    for toolchain in toolchains
        .iter_mut()
        .filter(|t| t.language == Language::Python && t.found_by != super::python::REQUESTED)
    {
        toolchain.selected = wanted.iter().any(|r| picks(r, toolchain));
    }
    Ok(())
}

fn no_match(request: &PythonRequest, toolchains: &[Toolchain]) -> UserError {
    let text = match request {
        PythonRequest::Version(selector) => selector.text.clone(),
        _ => "all".to_string(),
    };
    let found: Vec<String> = toolchains
        .iter()
        .filter(|t| t.language == Language::Python)
        .map(|t| format!("{} ({})", t.label(), t.found_by))
        .collect();
    let found = if found.is_empty() {
        "none".to_string()
    } else {
        found.join(", ")
    };
    UserError::usage(
        format!("--python {text} matches no Python found on this machine (found: {found})"),
        "`versus doctor` lists every Python found and where; pass one of their versions \
         (`--python 3.12`, `--python 3.12.1`, `--python pypy3.10`), `all`, or the path of an \
         interpreter",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python(implementation: &str, version: &str) -> Toolchain {
        let mut t = crate::testing::toolchain(Language::Python);
        t.id = format!("{implementation}-{version}");
        t.implementation = implementation.into();
        t.version = version.into();
        t.details.insert(
            "free_threaded_build".into(),
            version.ends_with('t').to_string(),
        );
        t
    }

    fn selector(text: &str) -> VersionSelector {
        match PythonRequest::parse(OsStr::new(text)) {
            PythonRequest::Version(selector) => selector,
            other => panic!("{text} is not read as a version: {other:?}"),
        }
    }

    #[test]
    fn a_value_is_a_path_a_version_all_or_a_program_name() {
        let parse = |text: &str| PythonRequest::parse(OsStr::new(text));
        assert_eq!(
            parse("/usr/bin/python3.11"),
            PythonRequest::Program("/usr/bin/python3.11".into())
        );
        assert_eq!(parse("./3.13"), PythonRequest::Program("./3.13".into()));
        assert_eq!(parse("all"), PythonRequest::All);
        assert_eq!(parse("python3"), PythonRequest::Program("python3".into()));
        assert_eq!(parse("3.13x"), PythonRequest::Program("3.13x".into()));
        assert_eq!(parse("3..1"), PythonRequest::Program("3..1".into()));
        assert_eq!(selector("3.13").components, [3, 13]);
        assert_eq!(selector("3.13.1").components, [3, 13, 1]);
        assert!(selector("3.13t").free_threaded);
        assert_eq!(selector("pypy").implementation, "pypy");
        assert!(selector("pypy").components.is_empty());
        assert_eq!(selector("pypy3.10").components, [3, 10]);
        assert_eq!(selector("cpython-3.12").implementation, "cpython");
        assert_eq!(selector("cpython-3.12").components, [3, 12]);
    }

    #[test]
    fn a_version_matches_at_component_boundaries_and_only_its_implementation() {
        let (old, new, pypy) = (
            python("cpython", "3.10.13"),
            python("cpython", "3.1.5"),
            python("pypy", "3.10.14"),
        );
        assert!(selector("3.10").matches(&old));
        assert!(
            !selector("3.1").matches(&old),
            "3.1 is not a prefix of 3.10"
        );
        assert!(selector("3.1").matches(&new));
        assert!(selector("3.10.13").matches(&old));
        assert!(!selector("3.10.1").matches(&old));
        assert!(
            !selector("3.10").matches(&pypy),
            "a bare version is CPython"
        );
        assert!(selector("pypy3.10").matches(&pypy));
        assert!(selector("pypy").matches(&pypy));
        assert!(!selector("pypy").matches(&old));
        let free = python("cpython", "3.13.0t");
        assert!(selector("3.13").matches(&free));
        assert!(selector("3.13t").matches(&free));
        assert!(!selector("3.13t").matches(&python("cpython", "3.13.0")));
        assert!(selector("3.14").matches(&python("cpython", "3.14.0a1")));
    }

    #[test]
    fn versions_select_what_they_match_and_nothing_else() {
        let mut found = vec![
            python("cpython", "3.11.7"),
            python("cpython", "3.10.13"),
            python("cpython", "3.13.0"),
            crate::testing::toolchain(Language::Go),
        ];
        found[1].selected = false;
        found[2].selected = false;
        apply(&[PythonRequest::parse(OsStr::new("3.13"))], &mut found).unwrap();
        let selected: Vec<&str> = found
            .iter()
            .filter(|t| t.selected)
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(selected, ["cpython-3.13.0", "go-1.26.8"]);
        apply(&[PythonRequest::All], &mut found).unwrap();
        assert!(found.iter().all(|t| t.selected));
    }

    #[test]
    fn a_version_that_matches_nothing_is_a_usage_error_naming_what_was_found() {
        let mut found = vec![python("cpython", "3.11.7")];
        let err = apply(&[PythonRequest::parse(OsStr::new("9.99"))], &mut found).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("--python 9.99"), "{text}");
        assert!(text.contains("cpython 3.11.7"), "{text}");
        assert!(err.hint().to_string().contains("versus doctor"));
        assert!(found[0].selected, "nothing was changed");
    }

    #[test]
    fn without_versions_nothing_changes() {
        let mut found = vec![python("cpython", "3.11.7"), python("cpython", "3.12.1")];
        found[1].selected = false;
        apply(&[PythonRequest::Program("/x/python3".into())], &mut found).unwrap();
        assert!(found[0].selected && !found[1].selected);
    }

    #[test]
    fn the_suggested_selector_selects_the_toolchain() {
        for t in [python("cpython", "3.12.1"), python("pypy", "3.10.14")] {
            assert!(selector(&selector_for(&t)).matches(&t), "{}", t.label());
        }
    }
}
