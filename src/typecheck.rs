//! The typing suite: not timed but checked. Each program holds one planted mistake at a known
//! line; versus finds out whether a tool reports it before the program runs (`go build`,
//! `go vet`, a Python type checker), whether the program fails when the line runs, or neither.
//! A report counts only when it names the program's file and the mistake's line.

use std::ffi::OsString;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde::Serialize;

use crate::artifact::{Builder, GoOutput, build_env};
use crate::language::Language;
use crate::measure::{Exit, RunSpec, run_helper};
use crate::names::named_enum;
use crate::suite::{Implementation, SizeName, Workload};
use crate::text::last_lines;
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
                    .judge_report(&failure.detail, "go build", |_| true)
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
        vet.env = build_env();
        let vetted = run_helper(vet)?;
        let vet_output = String::from_utf8_lossy(&vetted.stderr_tail).into_owned();
        if let Some(finding) = site.judge_report(&vet_output, "go vet", |_| true) {
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
        let tool = checker_module(requirements)?;
        let python = match self.venvs.interpreter(&check.toolchain, requirements)? {
            Ok(python) => python,
            Err(reason) => {
                return Ok(Finding {
                    stage: Stage::Unavailable,
                    tool,
                    detail: reason,
                });
            }
        };
        let source = &check.implementation.source;
        let cache = self.builder.cache_dir().join(&tool);
        let mut args: Vec<OsString> = vec!["-m".into(), tool.clone().into()];
        if tool == "mypy" {
            args.extend([
                "--no-error-summary".into(),
                "--no-color-output".into(),
                format!("--cache-dir={}", cache.display()).into(),
            ]);
        }
        args.push(source.file_name().unwrap_or_default().to_owned());
        let mut spec = RunSpec::new(&python, args, TOOL_TIMEOUT);
        spec.cwd = source.parent().map(Path::to_path_buf);
        let out = run_helper(spec)?;
        let report = String::from_utf8_lossy(&out.stdout).into_owned();
        // mypy exits 0 (clean) or 1 (errors found); anything else means the checker itself
        // failed, and a checker that did not run has no verdict to give.
        if !matches!(out.exit, Exit::Code(0) | Exit::Code(1)) {
            return Ok(Finding {
                stage: Stage::Unavailable,
                tool: tool.clone(),
                detail: format!(
                    "{tool} did not finish ({}): {}",
                    out.exit,
                    last_lines(&String::from_utf8_lossy(&out.stderr_tail), 3)
                ),
            });
        }
        if let Some(finding) = site.judge_report(&report, &tool, |l| l.contains("error")) {
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

    /// Runs the program with the size's arguments: a failure whose innermost frame in the
    /// program's own file is the mistake's line is `at-run`; a failure elsewhere is `elsewhere`.
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
        if out.exit == Exit::Code(0) {
            return Ok(Finding {
                stage: Stage::Never,
                tool: String::new(),
                detail: "the program ran to its end".into(),
            });
        }
        let innermost = site.innermost(&stderr, check.toolchain.language);
        Ok(match innermost {
            Some((line, frame)) if line == site.line => Finding {
                stage: Stage::AtRun,
                tool: tool.into(),
                detail: match failure_message(&stderr, check.toolchain.language) {
                    Some(message) => format!("{message} at {frame}"),
                    None => frame,
                },
            },
            Some((line, _)) => Finding {
                stage: Stage::Elsewhere,
                tool: tool.into(),
                detail: format!(
                    "failed at line {line}, not the mistake's: {}",
                    last_lines(&stderr, 2)
                ),
            },
            None => Finding {
                stage: Stage::Elsewhere,
                tool: tool.into(),
                detail: format!("{}: {}", out.exit, last_lines(&stderr, 3)),
            },
        })
    }
}

/// Where the mistake is: a file name and a line.
struct Site {
    file: String,
    line: u32,
}

impl Site {
    /// The report's lines that name this site (and pass `counts`), as a `before-run` finding.
    fn judge_report(
        &self,
        report: &str,
        tool: &str,
        counts: impl Fn(&str) -> bool,
    ) -> Option<Finding> {
        let hits: Vec<&str> = report
            .lines()
            .filter(|l| counts(l) && self.line_named(l) == Some(self.line))
            .collect();
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

    /// The failure's innermost frame in the program's own file: Python prints it last in a
    /// traceback, a Go panic first in its stack.
    fn innermost(&self, stderr: &str, language: Language) -> Option<(u32, String)> {
        let mut frames = stderr
            .lines()
            .filter_map(|l| Some((self.line_named(l)?, l.trim().to_string())));
        match language {
            Language::Python => frames.next_back(),
            Language::Go => frames.next(),
        }
    }

    /// The line of this file a text names: `main.go:17:5: …` (go build, go vet),
    /// `main.py:14: error: …` (mypy), `/dir/main.go:17 +0x1d` (a Go panic),
    /// `File "/dir/main.py", line 14, in …` (Python). The file name must stand whole.
    fn line_named(&self, text: &str) -> Option<u32> {
        let bytes = text.as_bytes();
        text.match_indices(&self.file).find_map(|(i, m)| {
            let before_ok = i == 0 || matches!(bytes[i - 1], b'/' | b' ' | b'\t' | b'.' | b'"');
            let rest = &text[i + m.len()..];
            let number = rest
                .strip_prefix(':')
                .or_else(|| rest.strip_prefix("\", line "))?;
            let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
            if before_ok { digits.parse().ok() } else { None }
        })
    }
}

/// The module a checker requirements file installs, named by its first requirement
/// (`mypy==2.4.1` → `mypy`), run as `python -m <module>`.
fn checker_module(requirements: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(requirements)
        .with_context(|| format!("cannot read {}", requirements.display()))?;
    module_of_requirements(&text).with_context(|| {
        format!(
            "{} names no package; write the checker as its first line, e.g. `mypy==2.4.1`",
            requirements.display()
        )
    })
}

fn module_of_requirements(text: &str) -> Option<String> {
    let line = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .find(|l| !l.is_empty() && !l.starts_with('-'))?;
    let name: String = line
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .collect();
    (!name.is_empty()).then(|| name.to_ascii_lowercase().replace('-', "_"))
}

/// What the failure says: a Python traceback's exception line (its last), a Go program's
/// `panic:` or `fatal error:` line (its first).
fn failure_message(stderr: &str, language: Language) -> Option<&str> {
    let mut lines = stderr.lines().map(str::trim).filter(|l| !l.is_empty());
    match language {
        Language::Python => lines.next_back(),
        Language::Go => lines.find(|l| l.starts_with("panic:") || l.starts_with("fatal error:")),
    }
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
    fn reports_name_a_line_only_when_the_file_stands_whole() {
        assert_eq!(
            site().line_named("./main.go:17:9: cannot use s (type string)"),
            Some(17)
        );
        assert_eq!(site().line_named("\t/tmp/w/main.go:17 +0x1d"), Some(17));
        assert_eq!(
            site().line_named("./main.go:170:2: undefined: x"),
            Some(170)
        );
        assert_eq!(
            site().line_named("./other_main.go:17:2: undefined: x"),
            None
        );
        assert_eq!(site().line_named("main.go is fine"), None);
        let py = Site {
            file: "main.py".into(),
            line: 14,
        };
        assert_eq!(
            py.line_named("main.py:14: error: Argument 1 has incompatible type"),
            Some(14)
        );
        assert_eq!(
            py.line_named("  File \"/w/main.py\", line 141, in total"),
            Some(141)
        );
    }

    #[test]
    fn a_report_becomes_a_finding_with_its_lines() {
        let finding = site()
            .judge_report(
                "# command-line-arguments\n./main.go:17:9: undefined: totl\n./main.go:170:1: x\n",
                "go build",
                |_| true,
            )
            .unwrap();
        assert_eq!(finding.stage, Stage::BeforeRun);
        assert_eq!(finding.detail, "./main.go:17:9: undefined: totl");
        assert!(
            site()
                .judge_report("./main.go:3:1: something else", "go vet", |_| true)
                .is_none()
        );
        let py = Site {
            file: "main.py".into(),
            line: 14,
        };
        let notes_only = "main.py:14: note: Revealed type is \"int\"\n";
        assert!(
            py.judge_report(notes_only, "mypy", |l| l.contains("error"))
                .is_none()
        );
    }

    #[test]
    fn the_innermost_frame_is_last_in_python_and_first_in_go() {
        let py = Site {
            file: "main.py".into(),
            line: 23,
        };
        let traceback = "Traceback (most recent call last):\n  File \"/w/main.py\", line 40, in <module>\n  File \"/w/main.py\", line 23, in total\nTypeError: x\n";
        assert_eq!(
            py.innermost(traceback, Language::Python).map(|f| f.0),
            Some(23)
        );
        let go = site();
        let panic = "panic: boom\n\ngoroutine 1:\nmain.f()\n\t/w/main.go:17 +0x1d\nmain.main()\n\t/w/main.go:30 +0x2\n";
        assert_eq!(go.innermost(panic, Language::Go).map(|f| f.0), Some(17));
    }

    #[test]
    fn the_checker_is_the_first_requirement() {
        assert_eq!(
            module_of_requirements("# pinned\nmypy==2.4.1\n").as_deref(),
            Some("mypy")
        );
        assert_eq!(
            module_of_requirements("-r base.txt\ntyping-extensions>=4\n").as_deref(),
            Some("typing_extensions")
        );
        assert_eq!(module_of_requirements("# nothing\n\n"), None);
    }
}
