//! The typing suite: not timed but checked. Each program holds one planted mistake at a known
//! line; versus finds out whether a tool reports it before the program runs (`go build`,
//! `go vet`, a Python type checker), whether the program fails when the line runs, or neither.
//! A report counts only when it names the program's file and the mistake's line.

use std::ffi::OsString;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::artifact::{Builder, GoOutput};
use crate::language::Language;
use crate::measure::{Exit, RunSpec, run_helper};
use crate::names::named_enum;
use crate::suite::{Implementation, SizeName, Workload};
use crate::toolchain::Toolchain;
use crate::venv::Venvs;

const TOOL_TIMEOUT: Duration = Duration::from_secs(300);

named_enum! {
    /// When the planted mistake was reported.
    pub enum Stage {
        /// By the compiler, `go vet` or a type checker, without running the program.
        BeforeRun => "before-run",
        /// By the program failing when the faulty line ran.
        AtRun => "at-run",
        /// Not at all: the program ran to its end.
        Never => "never",
        /// The program failed, but not at the mistake (a broken program, not a finding).
        Elsewhere => "elsewhere",
        /// The tool could not be had (a type checker that would not install).
        Unavailable => "unavailable",
    }
}

/// One program checked with one toolchain (and, for Python, with or without a type checker).
#[derive(Clone, Debug)]
pub struct Check {
    pub workload: Arc<Workload>,
    pub implementation: Implementation,
    pub toolchain: Toolchain,
    /// Check with the workload's type checker too (Python).
    pub with_checker: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub stage: Stage,
    /// What reported it: `go build`, `go vet`, `mypy`, `python`, the program's panic …
    pub tool: String,
    /// The lines of the report that name the mistake (or why there is none).
    pub detail: String,
}

/// Every check of the typing workloads among `workloads`: each implementation on each Go
/// toolchain and each CPython, and with CPython once more through the workload's type checker.
/// (PyPy speaks an older Python — 3.9 here, no `match` — so its failures would be about
/// syntax, not about the planted mistake.)
pub fn plan(workloads: &[Arc<Workload>], toolchains: &[Toolchain]) -> Vec<Check> {
    let mut checks = Vec::new();
    let checked = |t: &&Toolchain| t.language == Language::Go || t.implementation == "cpython";
    for workload in workloads.iter().filter(|w| w.typing.is_some()) {
        for implementation in &workload.implementations {
            for toolchain in toolchains
                .iter()
                .filter(checked)
                .filter(|t| t.language == implementation.language)
            {
                let check = Check {
                    workload: workload.clone(),
                    implementation: implementation.clone(),
                    toolchain: toolchain.clone(),
                    with_checker: false,
                };
                let has_checker = workload
                    .typing
                    .as_ref()
                    .is_some_and(|t| t.checker.is_some());
                if toolchain.language == Language::Python && has_checker {
                    checks.push(Check {
                        with_checker: true,
                        ..check.clone()
                    });
                }
                checks.push(check);
            }
        }
    }
    checks
}

pub struct Checker<'a> {
    pub builder: &'a Builder,
    pub venvs: &'a Venvs,
}

impl Checker<'_> {
    pub fn check(&self, check: &Check) -> anyhow::Result<Finding> {
        let source = &check.implementation.source;
        let line = check.implementation.mistake_line.unwrap_or(0);
        let site = Site {
            file: source
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            line,
        };
        match check.toolchain.language {
            Language::Go => self.check_go(check, &site),
            Language::Python if check.with_checker => self.check_with_type_checker(check, &site),
            Language::Python => self.run_program(
                check,
                &check.toolchain.executable,
                &[source.as_os_str().to_owned()],
                &site,
                "traceback",
            ),
        }
    }

    fn check_go(&self, check: &Check, site: &Site) -> anyhow::Result<Finding> {
        let source = &check.implementation.source;
        let built = match self
            .builder
            .go_build(source, &check.toolchain, GoOutput::Executable)?
        {
            Ok(built) => built,
            Err(failure) => {
                return Ok(site
                    .judge_report(&failure.detail, "go build")
                    .unwrap_or(Finding {
                        stage: Stage::Elsewhere,
                        tool: "go build".into(),
                        detail: failure.detail,
                    }));
            }
        };
        let dir = source.parent().unwrap_or(Path::new("."));
        let mut vet = RunSpec::new(
            &check.toolchain.executable,
            vec![
                "vet".into(),
                source.file_name().unwrap_or_default().to_owned(),
            ],
            TOOL_TIMEOUT,
        );
        vet.cwd = Some(dir.to_path_buf());
        vet.env.push(("GOTOOLCHAIN".into(), "local".into()));
        let vetted = run_helper(vet)?;
        let vet_output = String::from_utf8_lossy(&vetted.stderr_tail).into_owned();
        if let Some(finding) = site.judge_report(&vet_output, "go vet") {
            return Ok(finding);
        }
        self.run_program(check, &built.path, &[], site, "panic")
    }

    fn check_with_type_checker(&self, check: &Check, site: &Site) -> anyhow::Result<Finding> {
        let Some(requirements) = check
            .workload
            .typing
            .as_ref()
            .and_then(|t| t.checker.as_ref())
        else {
            anyhow::bail!("{} has no type checker to run", check.workload.id());
        };
        let python = match self.venvs.interpreter(&check.toolchain, requirements)? {
            Ok(python) => python,
            Err(reason) => {
                return Ok(Finding {
                    stage: Stage::Unavailable,
                    tool: "mypy".into(),
                    detail: reason,
                });
            }
        };
        let source = &check.implementation.source;
        let cache = self.builder.cache_dir().join("mypy");
        let args: Vec<OsString> = vec![
            "-m".into(),
            "mypy".into(),
            "--no-error-summary".into(),
            "--no-color-output".into(),
            format!("--cache-dir={}", cache.display()).into(),
            source.file_name().unwrap_or_default().to_owned(),
        ];
        let mut spec = RunSpec::new(&python, args, TOOL_TIMEOUT);
        spec.cwd = source.parent().map(Path::to_path_buf);
        let out = run_helper(spec)?;
        let report = String::from_utf8_lossy(&out.stdout).into_owned();
        if let Some(finding) = site.judge_report(&report, "mypy") {
            return Ok(finding);
        }
        // Not reported before the run: what happens then is what happens without the checker.
        self.run_program(
            check,
            &python,
            &[source.as_os_str().to_owned()],
            site,
            "traceback",
        )
    }

    /// Runs the program with the size's arguments: a failure naming the line is `at-run`.
    fn run_program(
        &self,
        check: &Check,
        program: &Path,
        leading: &[OsString],
        site: &Site,
        tool: &str,
    ) -> anyhow::Result<Finding> {
        let (_, size) = check.workload.size(SizeName::Default);
        let mut args = leading.to_vec();
        args.extend(size.args.iter().map(OsString::from));
        let mut spec = RunSpec::new(program, args, size.timeout);
        spec.cwd = Some(check.workload.dir.clone());
        let out = run_helper(spec)?;
        let stderr = String::from_utf8_lossy(&out.stderr_tail).into_owned();
        Ok(match out.exit {
            Exit::Code(0) => Finding {
                stage: Stage::Never,
                tool: String::new(),
                detail: "the program ran to its end".into(),
            },
            _ => site.judge_report(&stderr, tool).map_or_else(
                || Finding {
                    stage: Stage::Elsewhere,
                    tool: tool.into(),
                    detail: format!("{:?}: {}", out.exit, last_lines(&stderr, 3)),
                },
                |finding| Finding {
                    stage: Stage::AtRun,
                    ..finding
                },
            ),
        })
    }
}

/// Where the mistake is: a file name and a line.
struct Site {
    file: String,
    line: u32,
}

impl Site {
    /// The report's lines that name this site, as a `before-run` finding by `tool`.
    fn judge_report(&self, report: &str, tool: &str) -> Option<Finding> {
        let hits: Vec<&str> = report.lines().filter(|l| self.named_by(l)).collect();
        (!hits.is_empty()).then(|| Finding {
            stage: Stage::BeforeRun,
            tool: tool.into(),
            detail: hits
                .iter()
                .take(3)
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" | "),
        })
    }

    /// `main.go:17:5: …` (go build, go vet), `main.py:14: error: …` (mypy),
    /// `/dir/main.go:17 +0x1d` (a Go panic), `File "/dir/main.py", line 14, in …` (Python).
    fn named_by(&self, text: &str) -> bool {
        let colon = format!("{}:{}", self.file, self.line);
        let python = format!("{}\", line {}", self.file, self.line);
        let ends_number = |rest: &str| !rest.starts_with(|c: char| c.is_ascii_digit());
        text.match_indices(&colon).any(|(i, m)| {
            let before_ok = i == 0 || matches!(text.as_bytes()[i - 1], b'/' | b' ' | b'\t' | b'.');
            before_ok && ends_number(&text[i + m.len()..])
        }) || text
            .match_indices(&python)
            .any(|(i, m)| ends_number(&text[i + m.len()..]))
    }
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site {
            file: "main.go".into(),
            line: 17,
        }
    }

    #[test]
    fn reports_count_only_at_the_mistake_line() {
        assert!(site().named_by("./main.go:17:9: cannot use s (variable of type string)"));
        assert!(site().named_by("\t/tmp/w/main.go:17 +0x1d"));
        assert!(!site().named_by("./main.go:170:2: undefined: x"));
        assert!(!site().named_by("./other_main.go:17:2: undefined: x"));
        let py = Site {
            file: "main.py".into(),
            line: 14,
        };
        assert!(py.named_by("main.py:14: error: Argument 1 has incompatible type"));
        assert!(py.named_by("  File \"/w/main.py\", line 14, in total"));
        assert!(!py.named_by("  File \"/w/main.py\", line 141, in total"));
    }

    #[test]
    fn a_report_becomes_a_finding_with_its_lines() {
        let finding = site()
            .judge_report(
                "# command-line-arguments\n./main.go:17:9: undefined: totl\n",
                "go build",
            )
            .unwrap();
        assert_eq!(finding.stage, Stage::BeforeRun);
        assert_eq!(finding.detail, "./main.go:17:9: undefined: totl");
        assert!(
            site()
                .judge_report("./main.go:3:1: something else", "go vet")
                .is_none()
        );
    }
}
