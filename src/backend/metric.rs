//! The names of what each start of a server stores as metrics (docs/workloads.md), written by
//! [`super::verdict`] and read by the rates and the report.

pub const THROUGHPUT: &str = "throughput_per_s";
pub const ERRORS: &str = "errors";
pub const SERVER_CPU: &str = "server_cpu_s";
pub const PER_CPU: &str = "requests_per_server_cpu_s";
pub const COLD_START: &str = "cold_start_s";
pub const GENERATOR_CPU: &str = "generator_cpu_s";
/// 1 when the server ignored SIGTERM and was killed after the grace period.
pub const KILLED_AFTER_GRACE: &str = "killed_after_grace";
pub const P50: &str = "latency_p50_ms";
pub const P90: &str = "latency_p90_ms";
pub const P99: &str = "latency_p99_ms";
pub const P999: &str = "latency_p999_ms";
pub const MAX: &str = "latency_max_ms";
pub const RAW_P50: &str = "raw_p50_ms";
pub const RAW_P99: &str = "raw_p99_ms";
pub const CONNECTIONS: &str = "connections";
pub const RATE_PER_S: &str = "rate_per_s";
pub const RATE_PERCENT: &str = "rate_percent";
/// 1 when the backlog of requests due but not yet sent kept growing: the server (or the
/// load generator) fell behind the rate, and the latency measures the queue.
pub const OVERLOADED: &str = "overloaded";
/// Open loop: requests due in the measured phase and unanswered at its end, which the latency
/// figures count at the latency they had reached (lower bounds).
pub const STILL_DUE: &str = "still_due_at_end";
