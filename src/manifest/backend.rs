//! The backend part of a manifest: the `[backend]` table, each size's `load`, and what a server
//! workload's sizes and implementations may hold (and what other workloads may not).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::{Context, RawImplementation, RawSize};
use crate::error::UserError;
use crate::measure::timeout_from_secs;
use crate::suite::{Backend, Claim, LoadSettings, Size, SizeName};

const DEFAULT_READY_TIMEOUT_S: f64 = 30.0;
/// Replaced by the port versus picks for each start of a server.
pub const PORT_PLACEHOLDER: &str = "{port}";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBackend {
    #[serde(default = "default_method")]
    method: String,
    path: String,
    body: Option<Spanned<PathBuf>>,
    ready: Option<String>,
    ready_timeout_s: Option<f64>,
    database: Option<Spanned<PathBuf>>,
}

fn default_method() -> String {
    "GET".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLoad {
    #[serde(default = "default_connections")]
    connections: usize,
    duration_s: f64,
    #[serde(default = "default_load_warmup")]
    warmup_s: f64,
    #[serde(default = "default_rates")]
    rates: Vec<u32>,
}

fn default_connections() -> usize {
    32
}

fn default_load_warmup() -> f64 {
    0.5
}

fn default_rates() -> Vec<u32> {
    vec![25, 50, 75]
}

impl Context<'_> {
    /// `load = { connections = 32, duration_s = 2, warmup_s = 0.5, rates = [25, 50, 75] }`.
    pub(super) fn load(&self, raw: Spanned<RawLoad>) -> Result<LoadSettings, UserError> {
        let offset = Some(raw.span().start);
        let raw = raw.into_inner();
        let shape = "write load = { connections = 32, duration_s = 2, warmup_s = 0.5, rates = [25, 50, 75] }";
        if raw.connections == 0 || raw.connections > 10_000 {
            return Err(self.error(
                offset,
                &format!(
                    "connections must be from 1 to 10000, not {}",
                    raw.connections
                ),
                shape,
            ));
        }
        let duration = timeout_from_secs(raw.duration_s).ok_or_else(|| {
            self.error(
                offset,
                &format!(
                    "duration_s must be a positive number of seconds, not {}",
                    raw.duration_s
                ),
                shape,
            )
        })?;
        let warmup = (raw.warmup_s == 0.0)
            .then_some(Duration::ZERO)
            .or_else(|| timeout_from_secs(raw.warmup_s))
            .ok_or_else(|| {
                self.error(
                    offset,
                    &format!(
                        "warmup_s must be zero or a positive number of seconds, not {}",
                        raw.warmup_s
                    ),
                    shape,
                )
            })?;
        if raw.rates.iter().any(|r| *r == 0 || *r > 100) {
            return Err(self.error(
                offset,
                "rates are percentages of the slowest server's maximum, from 1 to 100",
                shape,
            ));
        }
        let mut rates_percent = raw.rates;
        rates_percent.sort_unstable();
        rates_percent.dedup();
        Ok(LoadSettings {
            connections: raw.connections,
            duration,
            warmup,
            rates_percent,
        })
    }

    /// A backend workload's points are its rates: a sweep would not be applied (its `{name}`
    /// would reach the server as written). Checked on the raw sizes, before the sweep itself,
    /// so the hint is to remove it rather than to repair it.
    pub(super) fn no_sweep_in_backend(
        &self,
        claim: Claim,
        sizes: &BTreeMap<SizeName, RawSize>,
    ) -> Result<(), UserError> {
        if claim != Claim::Backend {
            return Ok(());
        }
        let Some((name, sweep)) = sizes
            .iter()
            .find_map(|(name, s)| Some((name, s.sweep.as_ref()?)))
        else {
            return Ok(());
        };
        let placeholder = match sweep.get_ref().keys().next() {
            Some(parameter) => {
                format!(", and `{{{parameter}}}` would reach the servers as written")
            }
            None => String::new(),
        };
        Err(self.error(
            Some(sweep.span().start),
            &format!(
                "size `{name}` of a backend workload has a sweep: its points would not be run{placeholder}"
            ),
            "remove the sweep: a backend workload's points are its rates (`load.rates`)",
        ))
    }

    /// A backend workload (`claim = "backend"`) has a `[backend]` table, a `load` in every
    /// size, `{port}` in every command and servers told apart; other workloads have none of
    /// the backend fields.
    pub(super) fn backend(
        &self,
        claim: Claim,
        raw: Option<Spanned<RawBackend>>,
        sizes: &BTreeMap<SizeName, Size>,
        implementations: &Spanned<Vec<RawImplementation>>,
    ) -> Result<Option<Backend>, UserError> {
        let raw = match (raw, claim == Claim::Backend) {
            (Some(raw), true) => raw,
            (None, true) => {
                return Err(self.error(
                    None,
                    "a backend workload needs a [backend] table",
                    "add [backend] with path = \"/json\" (and method, body, database as needed)",
                ));
            }
            (Some(raw), false) => {
                return Err(self.error(
                    Some(raw.span().start),
                    "[backend] is for workloads with claim = \"backend\"",
                    "remove the table, or set claim = \"backend\"",
                ));
            }
            (None, false) => return self.no_server_fields(sizes, implementations).map(|()| None),
        };
        if let Some((name, _)) = sizes.iter().find(|(_, s)| s.load.is_none()) {
            return Err(self.error(
                None,
                &format!("size `{name}` of a backend workload has no `load`"),
                "add load = { connections = 32, duration_s = 2 } to every size",
            ));
        }
        self.port_in_every_command(sizes, implementations)?;
        self.request(raw).map(Some)
    }

    /// `load` and an implementation's `args` only mean something for a server.
    fn no_server_fields(
        &self,
        sizes: &BTreeMap<SizeName, Size>,
        implementations: &Spanned<Vec<RawImplementation>>,
    ) -> Result<(), UserError> {
        if sizes.values().any(|s| s.load.is_some()) {
            return Err(self.error(
                None,
                "`load` is for backend workloads",
                "remove it, or set claim = \"backend\" and add a [backend] table",
            ));
        }
        match implementations.get_ref().iter().find_map(|i| i.args.as_ref()) {
            Some(args) => Err(self.error(
                Some(args.span().start),
                "an implementation's `args` is for backend workloads: here it would be ignored",
                "`args` replaces the command of a server; put the arguments in the size's `args` instead",
            )),
            None => Ok(()),
        }
    }

    /// Each server is told its port: `{port}` must be in its arguments (its own `args`, or
    /// every size's).
    fn port_in_every_command(
        &self,
        sizes: &BTreeMap<SizeName, Size>,
        implementations: &Spanned<Vec<RawImplementation>>,
    ) -> Result<(), UserError> {
        let has_port = |args: &[String]| args.iter().any(|a| a.contains(PORT_PLACEHOLDER));
        for implementation in implementations.get_ref() {
            let ok = match &implementation.args {
                Some(args) => has_port(args.get_ref()),
                None => sizes.values().all(|s| has_port(&s.args)),
            };
            if !ok {
                return Err(self.error(
                    Some(implementation.source.span().start),
                    &format!(
                        "a server of a backend workload must be told its port: `{PORT_PLACEHOLDER}` is in none of its arguments"
                    ),
                    "add args = [\"{port}\"] to every size (or to the implementation's own args)",
                ));
            }
        }
        Ok(())
    }

    /// The request every server is sent, and how its readiness is polled.
    fn request(&self, raw: Spanned<RawBackend>) -> Result<Backend, UserError> {
        let offset = Some(raw.span().start);
        let raw = raw.into_inner();
        let ready_path = self.paths(offset, &raw)?;
        let method = self.method(offset, &raw)?;
        let body = match &raw.body {
            Some(path) => self.body(path)?,
            None => Vec::new(),
        };
        let ready_timeout = match raw.ready_timeout_s {
            Some(seconds) => timeout_from_secs(seconds).ok_or_else(|| {
                self.error(
                    offset,
                    &format!("ready_timeout_s must be a positive number of seconds, not {seconds}"),
                    "write e.g. ready_timeout_s = 30",
                )
            })?,
            None => Duration::from_secs_f64(DEFAULT_READY_TIMEOUT_S),
        };
        let database = match &raw.database {
            Some(path) => Some(self.existing_file(path, "database")?),
            None => None,
        };
        Ok(Backend {
            method,
            path: raw.path,
            body,
            ready_path,
            ready_timeout,
            database,
        })
    }

    /// Checks the request path and the ready path; returns the ready path.
    fn paths(&self, offset: Option<usize>, raw: &RawBackend) -> Result<String, UserError> {
        let path_hint = "write path = \"/json\" (a path and query, starting with /)";
        let ready_path = raw.ready.clone().unwrap_or_else(|| raw.path.clone());
        for path in [&raw.path, &ready_path] {
            if !path.starts_with('/') || path.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(self.error(
                    offset,
                    &format!("`{path}` is not a request path"),
                    path_hint,
                ));
            }
        }
        Ok(ready_path)
    }

    /// The request's method. Readiness is always polled with GET, so another method needs a
    /// ready path of its own.
    fn method(&self, offset: Option<usize>, raw: &RawBackend) -> Result<String, UserError> {
        let method = crate::load::check_method(&raw.method).map_err(|e| {
            self.error(offset, &e.to_string(), "write method = \"GET\" or \"POST\"")
        })?;
        if method != "GET" && raw.ready.is_none() {
            return Err(self.error(
                offset,
                &format!(
                    "method = \"{method}\" needs `ready`: readiness is polled with GET, on `{}` without it, and a {method} endpoint would not answer 200, so every start would time out",
                    raw.path
                ),
                "add ready = \"/some-GET-path\" that answers 200 (e.g. ready = \"/health\")",
            ));
        }
        Ok(method)
    }

    /// The request body, bounded as `versus load --body` is: `/dev/zero` is not read on.
    fn body(&self, path: &Spanned<PathBuf>) -> Result<Vec<u8>, UserError> {
        let file = self.existing_file(path, "body")?;
        let offset = Some(path.span().start);
        let bytes = crate::load::read_bounded(&file).map_err(|e| {
            self.error(
                offset,
                &format!("cannot read {}: {e}", file.display()),
                "check that the file is readable",
            )
        })?;
        let mib = crate::load::MAX_BODY_BYTES >> 20;
        bytes.ok_or_else(|| {
            self.error(
                offset,
                &format!("body {} is larger than {mib} MiB", file.display()),
                &format!("give a file of at most {mib} MiB: it is sent with every request"),
            )
        })
    }
}
