//! versus: Python against Go, measured on your machine.
//!
//! The data flow, one module per step:
//!
//! ```text
//! cli ─▶ settings ─▶ suite (manifest) ─┐
//!                  └▶ toolchain ───────┴▶ plan (artifact: builds) ─▶ runner ─▶ measure ─▶ verify
//!                                                                     │
//!                         stats ◀── report ◀── store ◀───────────────┘ (one transaction per case)
//! ```
//!
//! Beside it: `server` (the local HTTP server fan-out workloads call) and `load` (the HTTP load
//! generator of `versus load`, for the backend suite).

pub mod article_page;
pub mod artifact;
pub mod backend;
pub mod case;
pub mod childenv;
pub mod cli;
pub mod codesize;
pub mod commands;
pub mod digest;
pub mod error;
pub mod input;
pub mod interrupt;
pub mod language;
pub mod leftovers;
pub mod load;
pub mod machine;
pub mod manifest;
pub mod measure;
mod names;
pub mod plan;
pub mod proctable;
pub mod progress;
pub mod report;
pub mod runner;
pub mod server;
pub mod settings;
pub mod stats;
pub mod store;
pub mod suite;
pub mod text;
pub mod toolchain;
pub mod typecheck;
pub mod units;
pub mod venv;
pub mod verify;
pub mod workloads;

/// `versus advise`'s weighing, which the report shares (src/report/advice.rs).
pub use report::advice as advise;

#[cfg(test)]
mod layers;
#[cfg(test)]
mod testing;
