//! The machine a run happened on (its fingerprint), and how busy it was while each case ran:
//! load average and CPU steal time from /proc, because on a shared virtual machine steal is
//! what makes two runs of the same program disagree.

use std::fs;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// Steal above this share of CPU time while a case ran marks the case as measured under steal.
pub const HIGH_STEAL_PERCENT: f64 = 10.0;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    pub cpu_model: String,
    pub cores: usize,
    pub memory_bytes: u64,
    pub kernel: String,
    pub os: String,
    pub hostname: String,
    pub versus_version: String,
    /// SHA-256 over every manifest and program of the workloads used.
    pub workloads_hash: String,
    /// How the peak memory of process trees is measured on this machine.
    pub tree_memory_method: String,
    /// The variables of versus's environment its programs did not get because they change how
    /// a runtime behaves ([`crate::childenv`]), by name; `None` in runs stored before versus
    /// removed them (those programs had versus's whole environment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_env: Option<Vec<(String, String)>>,
    /// `--memory-limit` of each program's process tree; `None` in runs without one (and runs
    /// stored before versus had the limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit_bytes: Option<u64>,
}

impl Environment {
    pub fn capture(
        workloads_hash: String,
        tree_memory_method: &str,
        memory_limit_bytes: Option<u64>,
    ) -> Environment {
        Environment {
            cpu_model: cpu_model(),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_bytes: meminfo_total_bytes().unwrap_or(0),
            kernel: read_trimmed("/proc/sys/kernel/osrelease"),
            os: os_name(),
            hostname: read_trimmed("/proc/sys/kernel/hostname"),
            versus_version: env!("CARGO_PKG_VERSION").to_string(),
            workloads_hash,
            tree_memory_method: tree_memory_method.to_string(),
            removed_env: Some(crate::childenv::removed_here()),
            memory_limit_bytes,
        }
    }
}

fn read_trimmed(path: &str) -> String {
    fs::read_to_string(path)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string())
}

pub fn meminfo_total_bytes() -> Option<u64> {
    let text = fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn os_name() -> String {
    fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| std::env::consts::OS.to_string())
}

/// CPU time counters from the first line of /proc/stat, in clock ticks.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CpuTimes {
    pub total: u64,
    pub idle: u64,
    pub steal: u64,
}

impl CpuTimes {
    pub fn read() -> CpuTimes {
        fs::read_to_string("/proc/stat")
            .ok()
            .and_then(|t| parse_cpu_line(&t))
            .unwrap_or_default()
    }
}

fn parse_cpu_line(stat: &str) -> Option<CpuTimes> {
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal guest guest_nice; guests are inside user.
    let total: u64 = fields.iter().take(8).sum();
    Some(CpuTimes {
        total,
        idle: fields.get(3)? + fields.get(4).unwrap_or(&0),
        steal: *fields.get(7).unwrap_or(&0),
    })
}

/// How busy the machine was over an interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Busy {
    /// One-minute load average at the end of the interval.
    pub load_avg: f64,
    /// Share of all CPU time stolen by the hypervisor, in percent.
    pub steal_percent: f64,
    /// Share of CPU time not idle, in percent.
    pub busy_percent: f64,
}

/// Share of CPU time in use above which the machine's cores were saturated.
pub const SATURATED_PERCENT: f64 = 90.0;

/// A one-minute load average above the number of cores while the cores were saturated: runnable
/// work waited for a CPU. The load average alone is not enough: it counts threads blocked in the
/// kernel and decays over minutes, so a sweep that starts 5,000 threads pushed it to 92 on 2
/// cores and kept it above 2 for the next three minutes of single-threaded cases, whose cores
/// were half idle (busy 49–52%). Without a measured `busy_percent`, the load decides alone.
pub fn overloaded(load_avg: f64, busy_percent: Option<f64>, cores: usize) -> bool {
    load_avg > cores as f64 && busy_percent.is_none_or(|b| b >= SATURATED_PERCENT)
}

impl Busy {
    /// What to know before trusting figures measured now (doctor, and the start of a run).
    pub fn warnings(&self, cores: usize) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.steal_percent > HIGH_STEAL_PERCENT {
            warnings.push(format!(
                "the hypervisor is stealing {:.0}% of CPU time right now: measurements will be \
                 noisy; wait, or use another machine",
                self.steal_percent
            ));
        }
        if let Some(busy) = self.busy_warning(cores) {
            warnings.push(format!(
                "{busy}: runs are interleaved so ratios stay fair, but absolute times will be \
                 inflated; stop other work for cleaner figures"
            ));
        }
        warnings
    }
}

/// Share of CPU time in use above which the machine is called busy before a run.
const BUSY_PERCENT: f64 = 50.0;

impl Busy {
    /// Why the machine is called busy, stating only the figures that made it so: a high load
    /// average beside idle cores is not a reason (see [`overloaded`]).
    fn busy_warning(&self, cores: usize) -> Option<String> {
        if overloaded(self.load_avg, Some(self.busy_percent), cores) {
            Some(format!(
                "the machine is overloaded (load average {:.2} on {cores} cores, with the CPU \
                 {:.0}% in use)",
                self.load_avg, self.busy_percent
            ))
        } else if self.busy_percent > BUSY_PERCENT {
            Some(format!(
                "the machine is busy (CPU {:.0}% in use by other work)",
                self.busy_percent
            ))
        } else {
            None
        }
    }
}

/// Start of an interval whose busyness is measured.
pub struct BusyMeter {
    start: CpuTimes,
}

impl BusyMeter {
    pub fn start() -> BusyMeter {
        BusyMeter {
            start: CpuTimes::read(),
        }
    }

    pub fn finish(&self) -> Busy {
        busy_between(self.start, CpuTimes::read(), load_average())
    }
}

fn busy_between(start: CpuTimes, end: CpuTimes, load_avg: f64) -> Busy {
    let total = end.total.saturating_sub(start.total).max(1) as f64;
    let steal = end.steal.saturating_sub(start.steal) as f64;
    let idle = end.idle.saturating_sub(start.idle) as f64;
    Busy {
        load_avg,
        steal_percent: 100.0 * steal / total,
        busy_percent: 100.0 * (1.0 - idle / total).max(0.0),
    }
}

pub fn load_average() -> f64 {
    read_trimmed("/proc/loadavg")
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// Samples the machine for `window` (doctor and the start of a run use ~¼ s).
pub fn sample_busy(window: Duration) -> Busy {
    let meter = BusyMeter::start();
    let until = Instant::now() + window;
    std::thread::sleep(until.saturating_duration_since(Instant::now()));
    meter.finish()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_high_load_average_over_half_idle_cores_is_not_overload() {
        // After a sweep of 5,000 threads: load 44 on 2 cores, the cores 49% busy.
        assert!(!overloaded(44.0, Some(49.0), 2));
        // Beside a CPU hog: load 2.3, the cores 99% busy.
        assert!(overloaded(2.3, Some(99.0), 2));
        assert!(!overloaded(1.9, Some(99.0), 2));
        // Without a measured share the load decides.
        assert!(overloaded(2.3, None, 2));
    }

    use super::*;

    #[test]
    fn the_busy_warning_states_the_reason_that_triggered_it() {
        let busy = |load_avg, busy_percent| Busy {
            load_avg,
            steal_percent: 0.0,
            busy_percent,
        };
        // A high load average beside idle cores is not busy.
        assert!(busy(3.04, 0.0).warnings(2).is_empty());
        let in_use = busy(0.5, 60.0).warnings(2).join("\n");
        assert!(in_use.contains("busy (CPU 60% in use"), "{in_use}");
        assert!(!in_use.contains("load average"), "{in_use}");
        let overloaded = busy(3.04, 95.0).warnings(2).join("\n");
        assert!(
            overloaded.contains("overloaded (load average 3.04 on 2 cores, with the CPU 95%"),
            "{overloaded}"
        );
    }

    #[test]
    fn steal_and_busy_shares_come_from_the_cpu_line() {
        let before = parse_cpu_line("cpu  100 0 50 800 10 0 0 40 0 0\ncpu0 1 2 3\n").unwrap();
        let after = parse_cpu_line("cpu  200 0 100 900 10 0 0 90 0 0\n").unwrap();
        assert_eq!(before.total, 1000);
        let busy = busy_between(before, after, 1.5);
        // Δtotal = 300, Δsteal = 50, Δidle = 100.
        assert!((busy.steal_percent - 100.0 * 50.0 / 300.0).abs() < 1e-9);
        assert!((busy.busy_percent - 100.0 * 200.0 / 300.0).abs() < 1e-9);
        assert_eq!(busy.load_avg, 1.5);
    }

    #[test]
    fn this_machine_has_a_fingerprint() {
        let env = Environment::capture("abc".into(), "cgroup-v1", Some(1 << 30));
        assert!(env.cores >= 1);
        assert!(env.memory_bytes > 0);
        assert!(!env.kernel.is_empty());
    }
}
