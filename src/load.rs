//! versus's HTTP/1.1 load generator, for `versus load` and the backend suite.
//!
//! One module per step:
//!
//! ```text
//! spec (URL, request bytes, mode, phases; checked once)
//!   ─▶ engine (threads × current_thread runtimes; connection tasks; pacer; backlog sampling)
//!        └─ connection (keep-alive socket, one reusable buffer) ─ response (httparse framing)
//!        └─ pacer (open-loop schedule, timerfd waits) ─ watchdog (per-connection timeout)
//!        └─ recorder (one set of HDR histograms per thread, error counts)
//!   ─▶ Measurement ─▶ report (pure: percentiles, Little's law, overload, warnings) ─▶ render
//! ```
//!
//! Two modes, always labelled (after a survey of wrk, wrk2, oha, vegeta and k6 for issue #5):
//!
//! - **Closed loop** (no `--rate`, as wrk and oha): each connection sends its next request when
//!   the previous answer arrives. It measures capacity; its latencies are *closed-loop service
//!   times*, fixed by Little's law at mean ≈ connections ÷ throughput, which every run checks.
//! - **Open loop** (`--rate R`, as wrk2): request k is due at t0 + k/R. Latency is counted from
//!   that intended time (coordinated omission corrected) and, separately, raw from the actual
//!   send. Late requests are queued, never dropped (k6's dropping hides overload), and a backlog
//!   that keeps growing marks the run overloaded.
//!
//! Why each dependency earns its place (measured on a 2-core VM against Go's net/http; the figures
//! are in the reference notes):
//!
//! - `tokio` (rt, net, time, io-util): a `current_thread` runtime per generator thread drives
//!   thousands of keep-alive sockets with epoll and no locks on the hot path; blocking threads per
//!   connection would spend the CPU the server needs on a small machine. Only the single-threaded
//!   scheduler, the reactor (which also polls the pacer's timerfds) and the timer are compiled in.
//! - `httparse`: zero-copy, allocation-free parsing of the response head and chunk sizes in our
//!   own reused buffer. A loop with it costs about as much CPU per request as wrk; hyper's
//!   connection API measured ~40% more and oha (hyper plus a record per request) ~2× more.
//! - `hdrhistogram`: fixed-memory latency histograms (3 significant digits) that merge across
//!   threads, so a run of any length never keeps a record per request (oha's sorted Vec of every
//!   result grows without bound), and the full percentile spectrum can be reported as wrk2 does.

mod connection;
mod engine;
mod pacer;
mod recorder;
mod render;
mod report;
mod request;
mod response;
mod spec;
mod usage;
mod watchdog;

pub use engine::{Measurement, run};
pub use recorder::{ErrorCounts, ErrorKind, StillDue};
pub use render::{OutputFormat, write_json, write_table};
pub use report::{LoadReport, SCHEMA, StillDueAtEnd, Summary, Warning};
pub use spec::{
    LoadSpec, MAX_BODY_BYTES, Mode, Target, check_connections, check_method, check_rate,
    parse_duration, positive_duration, read_body, read_bounded, threads,
};
