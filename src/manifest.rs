//! `workload.toml`: parsing and validation. Every problem is a [`UserError::Manifest`] naming the
//! file, the line and the fix; nothing here panics on bad input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::digest::Digest;
use crate::error::UserError;
use crate::language::Language;
use crate::measure::{MAX_RUNS, MAX_TIMEOUT_S, MAX_WARMUP, timeout_from_secs};
use crate::suite::{
    Claim, ExpectedSpec, Implementation, Metric, Point, Size, SizeName, Stdin, Sweep, SweepValues,
    Typing, Variant, Work, Workload,
};
use crate::verify::{Expected, Tolerance};

mod backend;
mod identity;

pub use backend::PORT_PLACEHOLDER;
use backend::{RawBackend, RawLoad};

pub const FILE_NAME: &str = "workload.toml";
const FORMAT_HINT: &str = "see docs/workloads.md for the manifest format";
const DEFAULT_TIMEOUT_S: f64 = 60.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    name: Spanned<String>,
    claim: Claim,
    description: String,
    #[serde(default)]
    tour: bool,
    metric: Option<Metric>,
    #[serde(default)]
    server: bool,
    backend: Option<Spanned<RawBackend>>,
    sizes: Spanned<BTreeMap<SizeName, RawSize>>,
    typing: Option<Spanned<RawTyping>>,
    implementations: Spanned<Vec<RawImplementation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTyping {
    mistake: String,
    checker: Option<Spanned<PathBuf>>,
    /// A control: no tool is expected to find this mistake.
    #[serde(default)]
    expect_never: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSize {
    #[serde(default)]
    args: Vec<String>,
    /// A file name, or a table describing a generator.
    stdin: Option<Spanned<toml::Value>>,
    timeout_s: Option<Spanned<f64>>,
    expected: Spanned<RawExpected>,
    /// `{ name = [values] }` or `{ name = "up-to-twice-the-cores" }`.
    sweep: Option<Spanned<BTreeMap<String, toml::Value>>>,
    /// `{ name = [values], work = "name^3" }` (or `work = [units per value]`).
    ladder: Option<Spanned<BTreeMap<String, toml::Value>>>,
    runs: Option<Spanned<u64>>,
    warmup: Option<Spanned<u64>>,
    load: Option<Spanned<RawLoad>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpected {
    sha256: Option<String>,
    file: Option<String>,
    text: Option<String>,
    abs_tolerance: Option<f64>,
    rel_tolerance: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGenerated {
    generator: PathBuf,
    #[serde(default)]
    args: Vec<String>,
    sha256: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImplementation {
    language: Language,
    source: Spanned<PathBuf>,
    variant: Variant,
    label: Option<Spanned<String>>,
    backed_by: Option<Spanned<String>>,
    metric: Option<Spanned<Metric>>,
    requirements: Option<Spanned<PathBuf>>,
    go_library: Option<Spanned<PathBuf>>,
    mistake_line: Option<Spanned<u32>>,
    args: Option<Spanned<Vec<String>>>,
    env: Option<Spanned<BTreeMap<String, String>>>,
}

/// Reads and validates one manifest. `suite` is the suite it belongs to (its folder's parent).
pub fn load(path: &Path, suite: &str) -> Result<Workload, UserError> {
    let text = std::fs::read_to_string(path).map_err(|e| UserError::Manifest {
        location: path.display().to_string(),
        message: format!("cannot read: {e}"),
        hint: "check that the file exists and is readable UTF-8".into(),
    })?;
    let ctx = Context { path, text: &text };
    let raw: RawManifest = toml::from_str(&text).map_err(|e| {
        let hint = if e.message().contains("unknown field") {
            format!("remove or rename the field; {FORMAT_HINT}")
        } else {
            FORMAT_HINT.to_string()
        };
        ctx.error(e.span().map(|s| s.start), e.message().trim(), &hint)
    })?;
    ctx.validate(raw, suite)
}

struct Context<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Context<'_> {
    fn error(&self, offset: Option<usize>, message: &str, hint: &str) -> UserError {
        let location = match offset {
            Some(offset) => {
                let (line, column) = line_column(self.text, offset);
                format!("{}:{line}:{column}", self.path.display())
            }
            None => self.path.display().to_string(),
        };
        UserError::Manifest {
            location,
            message: message.to_string(),
            hint: hint.to_string(),
        }
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    fn validate(&self, raw: RawManifest, suite: &str) -> Result<Workload, UserError> {
        let dir = self
            .dir()
            .canonicalize()
            .unwrap_or_else(|_| self.dir().to_path_buf());
        let folder = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if raw.name.get_ref() != &folder {
            return Err(self.error(
                Some(raw.name.span().start),
                &format!(
                    "name `{}` differs from the folder name `{folder}`",
                    raw.name.get_ref()
                ),
                &format!("set name = \"{folder}\" or rename the folder"),
            ));
        }
        self.no_sweep_in_backend(raw.claim, raw.sizes.get_ref())?;
        let sizes = self.sizes(raw.sizes)?;
        let typing = self.typing(raw.claim, raw.typing, &raw.implementations)?;
        let backend = self.backend(raw.claim, raw.backend, &sizes, &raw.implementations)?;
        self.distinct_implementations(&raw.implementations, raw.claim)?;
        let metric = self.metric(raw.claim, raw.metric, &raw.implementations)?;
        let implementations = self.implementations(raw.implementations, &metric)?;
        Ok(Workload {
            suite: suite.to_string(),
            name: raw.name.into_inner(),
            dir,
            manifest_path: self.path.to_path_buf(),
            claim: raw.claim,
            description: raw.description,
            tour: raw.tour,
            metric,
            server: raw.server,
            backend,
            sizes,
            typing,
            implementations,
        })
    }

    /// A typing workload has a `[typing]` table and a `mistake_line` in every implementation;
    /// other workloads have neither.
    fn typing(
        &self,
        claim: Claim,
        raw: Option<Spanned<RawTyping>>,
        implementations: &Spanned<Vec<RawImplementation>>,
    ) -> Result<Option<Typing>, UserError> {
        let is_typing = claim == Claim::Typing;
        for implementation in implementations.get_ref() {
            match (&implementation.mistake_line, is_typing) {
                (None, true) => {
                    return Err(self.error(
                        Some(implementation.source.span().start),
                        "a typing workload's implementation needs `mistake_line`",
                        "add mistake_line = N: the line of the planted mistake in that file",
                    ));
                }
                (Some(line), false) => {
                    return Err(self.error(
                        Some(line.span().start),
                        "`mistake_line` is for typing workloads",
                        "remove it, or set claim = \"typing\"",
                    ));
                }
                _ => {}
            }
        }
        match (raw, is_typing) {
            (Some(raw), true) => {
                let raw = raw.into_inner();
                let checker = match raw.checker {
                    Some(path) => Some(self.existing_file(&path, "checker")?),
                    None => None,
                };
                Ok(Some(Typing {
                    mistake: raw.mistake,
                    checker,
                    expect_never: raw.expect_never,
                }))
            }
            (None, true) => Err(self.error(
                None,
                "a typing workload needs a [typing] table",
                "add [typing] with mistake = \"…\" (and checker = \"checker.txt\")",
            )),
            (Some(raw), false) => Err(self.error(
                Some(raw.span().start),
                "[typing] is for workloads with claim = \"typing\"",
                "remove the table, or set claim = \"typing\"",
            )),
            (None, false) => Ok(None),
        }
    }

    fn sizes(
        &self,
        raw: Spanned<BTreeMap<SizeName, RawSize>>,
    ) -> Result<BTreeMap<SizeName, Size>, UserError> {
        let span = raw.span().start;
        let raw = raw.into_inner();
        if !raw.contains_key(&SizeName::Default) {
            return Err(self.error(
                Some(span),
                "no `default` size",
                "add a [sizes.default] table: it is what `versus run` uses unless --size says otherwise",
            ));
        }
        raw.into_iter()
            .map(|(name, size)| Ok((name, self.size(size)?)))
            .collect()
    }

    fn size(&self, raw: RawSize) -> Result<Size, UserError> {
        let stdin = match raw.stdin {
            Some(stdin) => Some(self.stdin(stdin)?),
            None => None,
        };
        let timeout_s = raw.timeout_s.map(|t| (t.span().start, *t.get_ref()));
        let timeout = match timeout_s {
            Some((offset, seconds)) => timeout_from_secs(seconds).ok_or_else(|| {
                self.error(
                    Some(offset),
                    &format!(
                        "timeout_s must be a positive number of seconds up to {MAX_TIMEOUT_S}, not {seconds}"
                    ),
                    "write e.g. timeout_s = 30",
                )
            })?,
            None => Duration::from_secs_f64(DEFAULT_TIMEOUT_S),
        };
        let sweep_offset = raw
            .sweep
            .as_ref()
            .or(raw.ladder.as_ref())
            .map(|s| s.span().start);
        let sweep = match (raw.sweep, raw.ladder) {
            (Some(_), Some(ladder)) => {
                return Err(self.error(
                    Some(ladder.span().start),
                    "a size has a sweep or a ladder, not both",
                    "make the ladder a size of its own, e.g. [sizes.ladder]",
                ));
            }
            (Some(sweep), None) => Some(self.sweep(sweep)?),
            (None, Some(ladder)) => Some(self.ladder(ladder)?),
            (None, None) => None,
        };
        if let Some(runs) = &raw.runs {
            if !(1..=MAX_RUNS).contains(runs.get_ref()) {
                return Err(self.error(
                    Some(runs.span().start),
                    &format!("runs must be 1 to {MAX_RUNS}"),
                    "write e.g. runs = 3, or remove it to let the profile choose",
                ));
            }
        }
        if let Some(warmup) = &raw.warmup {
            if *warmup.get_ref() > MAX_WARMUP {
                return Err(self.error(
                    Some(warmup.span().start),
                    &format!("warmup must be 0 to {MAX_WARMUP}"),
                    "write e.g. warmup = 1, or remove it to let the profile choose",
                ));
            }
        }
        if let Some(sweep) = &sweep {
            let placeholder = format!("{{{}}}", sweep.name);
            if !raw.args.iter().any(|a| a.contains(&placeholder)) {
                return Err(self.error(
                    sweep_offset,
                    &format!("the sweep's parameter `{placeholder}` appears in no argument"),
                    &format!(
                        "pass it to the programs, e.g. args = [\"{placeholder}\"]; every point would run the same command otherwise"
                    ),
                ));
            }
        }
        let expected_offset = raw.expected.span().start;
        let expected = self.expected(raw.expected, sweep.as_ref())?;
        // A template is read for every point the manifest names now, so a missing file is
        // reported when the manifest is loaded rather than in the middle of a run.
        // (For "up to twice the cores", point 1, the one every machine runs.)
        if let Some(sweep) = &sweep {
            let named = match &sweep.values {
                SweepValues::List(values) => values.clone(),
                SweepValues::UpToTwiceTheCores => vec![1],
            };
            for value in named {
                let point = Point {
                    name: sweep.name.clone(),
                    value,
                };
                expected
                    .resolve(self.dir(), Some(&point))
                    .map_err(|message| {
                        self.error(Some(expected_offset), &message, EXPECTED_FILE_HINT)
                    })?;
            }
        }
        Ok(Size {
            args: raw.args,
            stdin,
            timeout,
            expected,
            sweep,
            // Bounded above (MAX_RUNS, MAX_WARMUP): they fit a usize.
            runs: raw.runs.map(|r| r.into_inner() as usize),
            warmup: raw.warmup.map(|w| w.into_inner() as usize),
            load: raw.load.map(|load| self.load(load)).transpose()?,
        })
    }

    fn sweep(&self, raw: Spanned<BTreeMap<String, toml::Value>>) -> Result<Sweep, UserError> {
        let offset = Some(raw.span().start);
        let shape = "write sweep = { tasks = [1, 1000, 10000] } or sweep = { workers = \"up-to-twice-the-cores\" }";
        let mut entries = raw.into_inner().into_iter();
        let (Some((name, value)), None) = (entries.next(), entries.next()) else {
            return Err(self.error(offset, "a sweep has exactly one parameter", shape));
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            return Err(self.error(
                offset,
                &format!("sweep parameter `{name}` must be lowercase letters and `_`"),
                shape,
            ));
        }
        let values = match value {
            toml::Value::String(word) if word == SweepValues::UP_TO_TWICE_THE_CORES => {
                SweepValues::UpToTwiceTheCores
            }
            toml::Value::Array(items) => {
                let values: Option<Vec<u64>> = items
                    .iter()
                    .map(|v| {
                        v.as_integer()
                            .and_then(|i| u64::try_from(i).ok())
                            .filter(|v| *v > 0)
                    })
                    .collect();
                match values {
                    Some(values) if !values.is_empty() => SweepValues::List(values),
                    _ => {
                        return Err(self.error(
                            offset,
                            &format!("sweep `{name}` needs a non-empty list of positive integers"),
                            shape,
                        ));
                    }
                }
            }
            _ => {
                return Err(self.error(
                    offset,
                    &format!(
                        "sweep `{name}` must be a list of positive integers or \"{}\"",
                        SweepValues::UP_TO_TWICE_THE_CORES
                    ),
                    shape,
                ));
            }
        };
        Ok(Sweep {
            name,
            values,
            work: None,
        })
    }

    /// `ladder = { n = [256, 512, 1024], work = "n^3" }`: the parameter's values (at least two,
    /// for a line) and the work at each.
    fn ladder(&self, raw: Spanned<BTreeMap<String, toml::Value>>) -> Result<Sweep, UserError> {
        let offset = Some(raw.span().start);
        let shape = "write ladder = { n = [256, 512, 1024], work = \"n^3\" } (or work = [a number per point])";
        let span = raw.span();
        let mut entries = raw.into_inner();
        let Some(work) = entries.remove("work") else {
            return Err(self.error(
                offset,
                "a ladder needs `work`: how much work each point is",
                shape,
            ));
        };
        let sweep = self.sweep(Spanned::new(span, entries))?;
        let SweepValues::List(values) = &sweep.values else {
            return Err(self.error(offset, "a ladder's points are a list of numbers", shape));
        };
        let mut distinct = values.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 2 {
            return Err(self.error(
                offset,
                "a ladder needs at least two different points: a line through one point is any line",
                shape,
            ));
        }
        let work = match work {
            toml::Value::String(text) => {
                Work::parse_power(&text, &sweep.name).ok_or_else(|| {
                    self.error(
                        offset,
                        &format!(
                            "work `{text}` is not `{0}` or `{0}^K` with K > 0",
                            sweep.name
                        ),
                        shape,
                    )
                })?
            }
            toml::Value::Array(items) => {
                let listed: Option<Vec<f64>> = items
                    .iter()
                    .map(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
                    .map(|v| v.filter(|v| v.is_finite() && *v > 0.0))
                    .collect();
                match listed {
                    Some(listed) if listed.len() == values.len() => Work::Listed(listed),
                    _ => {
                        return Err(self.error(
                            offset,
                            &format!(
                                "work needs one positive number per point ({})",
                                values.len()
                            ),
                            shape,
                        ));
                    }
                }
            }
            _ => return Err(self.error(offset, "work is a formula or a list of numbers", shape)),
        };
        Ok(Sweep {
            work: Some(work),
            ..sweep
        })
    }

    fn expected(
        &self,
        raw: Spanned<RawExpected>,
        sweep: Option<&Sweep>,
    ) -> Result<ExpectedSpec, UserError> {
        let offset = Some(raw.span().start);
        let raw = raw.into_inner();
        let tolerance = match (raw.abs_tolerance, raw.rel_tolerance) {
            (None, None) => None,
            (abs, rel) => {
                let tolerance = Tolerance {
                    abs: abs.unwrap_or(0.0),
                    rel: rel.unwrap_or(0.0),
                };
                if !(tolerance.abs >= 0.0 && tolerance.rel >= 0.0) {
                    return Err(self.error(
                        offset,
                        "tolerances must be non-negative numbers",
                        "write e.g. abs_tolerance = 1e-8",
                    ));
                }
                Some(tolerance)
            }
        };
        let templated =
            |text: &str| sweep.is_some_and(|s| text.contains(&format!("{{{}}}", s.name)));
        let spec = match (raw.sha256, raw.file, raw.text) {
            (Some(hex), None, None) => {
                if tolerance.is_some() {
                    return Err(self.error(
                        offset,
                        "a tolerance needs the expected output itself, not its hash",
                        "replace sha256 with file = \"expected/<size>.txt\" holding the expected output",
                    ));
                }
                let digest = Digest::from_hex(&hex).ok_or_else(|| {
                    self.error(
                        offset,
                        &format!("sha256 `{hex}` is not 64 hex digits"),
                        "compute it with `sha256sum` of the expected output",
                    )
                })?;
                return Ok(ExpectedSpec::Fixed(Expected::Exact {
                    sha256: digest,
                    bytes: None,
                }));
            }
            (None, Some(path), None) => ExpectedSpec::File { path, tolerance },
            (None, None, Some(text)) => {
                if tolerance.is_some() {
                    return Err(self.error(
                        offset,
                        "a tolerance goes with a file of expected output, not with text",
                        "remove the tolerance, or put the output in a file",
                    ));
                }
                ExpectedSpec::Text(text)
            }
            _ => {
                return Err(self.error(
                    offset,
                    "expected needs exactly one of `sha256`, `file` and `text`",
                    "write expected = { sha256 = \"…\" }, expected = { file = \"expected/default.txt\" } or expected = { text = \"done\\n\" }",
                ));
            }
        };
        let is_template = match &spec {
            ExpectedSpec::Text(text) | ExpectedSpec::File { path: text, .. } => templated(text),
            ExpectedSpec::Fixed(_) => false,
        };
        if is_template {
            return Ok(spec);
        }
        spec.resolve(self.dir(), None)
            .map(ExpectedSpec::Fixed)
            .map_err(|message| self.error(offset, &message, EXPECTED_FILE_HINT))
    }

    /// The workload's metric (wall time unless it says `cpu`). A server's CPU time over its
    /// lifetime is not its speed: backend workloads are compared by throughput and latency.
    fn metric(
        &self,
        claim: Claim,
        metric: Option<Metric>,
        implementations: &Spanned<Vec<RawImplementation>>,
    ) -> Result<Metric, UserError> {
        let own = implementations
            .get_ref()
            .iter()
            .filter_map(|i| i.metric.as_ref())
            .next();
        if claim == Claim::Backend && (metric.is_some() || own.is_some()) {
            return Err(self.error(
                own.map(|m| m.span().start),
                "a backend workload has no `metric`: servers are compared by throughput and latency",
                "remove `metric`",
            ));
        }
        Ok(metric.unwrap_or(Metric::Wall))
    }

    fn implementations(
        &self,
        raw: Spanned<Vec<RawImplementation>>,
        metric: &Metric,
    ) -> Result<Vec<Implementation>, UserError> {
        if raw.get_ref().is_empty() {
            return Err(self.error(
                Some(raw.span().start),
                "no implementations",
                "add [[implementations]] tables with language, source and variant",
            ));
        }
        raw.into_inner()
            .into_iter()
            .map(|imp| self.implementation(imp, metric))
            .collect()
    }

    fn implementation(
        &self,
        raw: RawImplementation,
        metric: &Metric,
    ) -> Result<Implementation, UserError> {
        let python_only = |field: &Option<Spanned<PathBuf>>, name: &str| match field {
            Some(value) if raw.language != Language::Python => Err(self.error(
                Some(value.span().start),
                &format!("`{name}` is for Python implementations"),
                "remove it, or move it to the Python implementation",
            )),
            _ => Ok(()),
        };
        python_only(&raw.requirements, "requirements")?;
        python_only(&raw.go_library, "go_library")?;
        if let Some(label) = &raw.label {
            let text = label.get_ref().trim();
            // Characters, not bytes: "é" is one.
            if text.is_empty() || text.chars().count() > 30 {
                return Err(self.error(
                    Some(label.span().start),
                    "a label is a word or two (1 to 30 characters)",
                    "write e.g. label = \"numpy\"",
                ));
            }
        }
        let env = match raw.env {
            Some(env) => self.env(env)?,
            None => Vec::new(),
        };
        if let Some(backed_by) = &raw.backed_by {
            let text = backed_by.get_ref().trim();
            if text.is_empty() || text.chars().count() > 40 {
                return Err(self.error(
                    Some(backed_by.span().start),
                    "`backed_by` names what does the work in a few words (1 to 40 characters)",
                    "write e.g. backed_by = \"C (re module)\"",
                ));
            }
        }
        let optional = |field: &Option<Spanned<PathBuf>>, what| {
            field
                .as_ref()
                .map(|path| self.existing_path(path, what))
                .transpose()
        };
        Ok(Implementation {
            language: raw.language,
            source: self.existing_path(&raw.source, "source")?,
            variant: raw.variant,
            label: raw.label.map(|l| l.into_inner().trim().to_string()),
            backed_by: raw.backed_by.map(|b| b.into_inner().trim().to_string()),
            metric: raw
                .metric
                .map_or_else(|| metric.clone(), Spanned::into_inner),
            requirements: optional(&raw.requirements, "requirements")?,
            go_library: optional(&raw.go_library, "go_library")?,
            mistake_line: raw.mistake_line.map(Spanned::into_inner),
            args: raw.args.map(Spanned::into_inner),
            env,
        })
    }

    /// `env = { NAME = "value" }`: names a program could be given, values without NUL bytes.
    fn env(
        &self,
        raw: Spanned<BTreeMap<String, String>>,
    ) -> Result<Vec<(String, String)>, UserError> {
        let offset = raw.span().start;
        let env = raw.into_inner();
        for (key, value) in &env {
            if !crate::childenv::valid_name(key) {
                return Err(self.error(
                    Some(offset),
                    &format!("`{key}` in env is not a variable name"),
                    "use letters, digits and _, not starting with a digit",
                ));
            }
            if key.starts_with("VERSUS_") {
                return Err(self.error(
                    Some(offset),
                    &format!("`{key}` in env is versus's own variable"),
                    "remove it: versus sets VERSUS_* variables itself",
                ));
            }
            if value.contains('\0') {
                return Err(self.error(
                    Some(offset),
                    &format!("the value of `{key}` in env contains a NUL byte"),
                    "remove the NUL byte",
                ));
            }
        }
        Ok(env.into_iter().collect())
    }

    /// `stdin = "file"` or `stdin = { generator = "…", args = […], sha256 = "…" }`.
    fn stdin(&self, raw: Spanned<toml::Value>) -> Result<Stdin, UserError> {
        let offset = raw.span().start;
        let shape_hint = "write stdin = \"input.txt\" or stdin = { generator = \"gen.py\", args = [\"1000\"], sha256 = \"…\" }";
        match raw.into_inner() {
            toml::Value::String(path) => {
                let path = Spanned::new(offset..offset, PathBuf::from(path));
                Ok(Stdin::File(self.existing_file(&path, "stdin")?))
            }
            table @ toml::Value::Table(_) => {
                let generated: RawGenerated = table.try_into().map_err(|e: toml::de::Error| {
                    self.error(Some(offset), e.message().trim(), shape_hint)
                })?;
                let sha256 = Digest::from_hex(&generated.sha256).ok_or_else(|| {
                    self.error(
                        Some(offset),
                        &format!("sha256 `{}` is not 64 hex digits", generated.sha256),
                        "give the sha256sum of the generator's output",
                    )
                })?;
                let path = Spanned::new(offset..offset, generated.generator);
                Ok(Stdin::Generated {
                    generator: self.existing_path(&path, "generator")?,
                    args: generated.args,
                    sha256,
                })
            }
            _ => Err(self.error(
                Some(offset),
                "stdin must be a file name or a generator table",
                shape_hint,
            )),
        }
    }

    fn existing_file(&self, path: &Spanned<PathBuf>, what: &str) -> Result<PathBuf, UserError> {
        let full = self.existing_path(path, what)?;
        if full.is_dir() {
            return Err(self.error(
                Some(path.span().start),
                &format!("{what} {} is a folder, not a file", full.display()),
                "name a file",
            ));
        }
        Ok(full)
    }

    fn existing_path(&self, path: &Spanned<PathBuf>, what: &str) -> Result<PathBuf, UserError> {
        let full = self.dir().join(path.get_ref());
        full.canonicalize().map_err(|_| {
            self.error(
                Some(path.span().start),
                &format!("{what} file {} does not exist", full.display()),
                &format!(
                    "create it, or fix the path (relative to {})",
                    self.dir().display()
                ),
            )
        })
    }
}

const EXPECTED_FILE_HINT: &str = "create the file, or give the output's hash as sha256 = \"…\" or the output itself as text = \"…\"";

/// 1-based line and column (in characters) of a byte offset; an offset inside a character
/// counts as that character's start.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod bad_input;
#[cfg(test)]
mod tests;
