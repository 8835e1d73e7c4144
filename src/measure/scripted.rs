//! The test seam (hyperfine's `MockExecutor`): outcomes scripted per program, so the runner,
//! the store and the reports can be tested with deterministic numbers.

use std::collections::HashMap;
use std::time::Duration;

use super::{CapturedOutput, Executor, Exit, RunOutcome, RunSpec, TreeMethod};

/// What one program does when "run".
#[derive(Clone, Debug)]
pub struct Script {
    /// Wall times in seconds, used in turn (cycling).
    pub walls: Vec<f64>,
    pub stdout: Vec<u8>,
    pub exit: Exit,
    pub stderr: Vec<u8>,
    pub rss_bytes: u64,
    /// From this call on (0-based), the run ends as `Exit::Interrupted` (a simulated Ctrl-C).
    pub interrupt_at_call: Option<usize>,
    /// Written, as a program would, to the file named by `VERSUS_METRICS` when it is set.
    pub metrics: String,
    /// User + system CPU times in seconds, used in turn like `walls`; empty: 95% of the wall
    /// time (90% user, 5% system).
    pub cpus: Vec<f64>,
}

impl Script {
    pub fn ok(walls: &[f64], stdout: &[u8]) -> Script {
        Script {
            walls: walls.to_vec(),
            stdout: stdout.to_vec(),
            exit: Exit::Code(0),
            stderr: Vec::new(),
            rss_bytes: 10 << 20,
            interrupt_at_call: None,
            metrics: String::new(),
            cpus: Vec::new(),
        }
    }
}

/// Scripts keyed by program path; every call is logged in order.
#[derive(Default)]
pub struct ScriptedExecutor {
    scripts: HashMap<String, Script>,
    calls: HashMap<String, usize>,
    pub log: Vec<String>,
}

impl ScriptedExecutor {
    pub fn new() -> ScriptedExecutor {
        ScriptedExecutor::default()
    }

    pub fn script(mut self, program: &str, script: Script) -> ScriptedExecutor {
        self.scripts.insert(program.to_string(), script);
        self
    }
}

impl Executor for ScriptedExecutor {
    fn tree_method(&self) -> TreeMethod {
        TreeMethod::None
    }

    fn execute(&mut self, spec: &RunSpec) -> anyhow::Result<RunOutcome> {
        let program = spec.program.to_string_lossy().into_owned();
        let script = self
            .scripts
            .get(&program)
            .ok_or_else(|| anyhow::anyhow!("no script for {program}"))?;
        let call = self.calls.entry(program.clone()).or_insert(0);
        let wall = script.walls[*call % script.walls.len()];
        let (user, sys) = match script.cpus.len() {
            0 => (wall * 0.9, wall * 0.05),
            n => (script.cpus[*call % n], 0.0),
        };
        let interrupted = script.interrupt_at_call.is_some_and(|at| *call >= at);
        *call += 1;
        self.log.push(program);
        if let Some((_, path)) = spec
            .env
            .iter()
            .find(|(name, _)| name == crate::measure::METRICS_VAR)
        {
            if !script.metrics.is_empty() {
                std::fs::write(path, &script.metrics)?;
            }
        }
        let mut stdout = CapturedOutput::of(&script.stdout);
        stdout.head.truncate(spec.capture_limit);
        stdout.truncated = stdout.len > stdout.head.len() as u64;
        Ok(RunOutcome {
            wall: Duration::from_secs_f64(wall),
            user: Duration::from_secs_f64(user),
            sys: Duration::from_secs_f64(sys),
            peak_rss_bytes: script.rss_bytes,
            tree_peak_bytes: Some(script.rss_bytes + (1 << 20)),
            tree_method: TreeMethod::None,
            exit: if interrupted {
                Exit::Interrupted
            } else {
                script.exit
            },
            stdout,
            stderr_tail: script.stderr.clone(),
        })
    }
}
