//! policywatch: watches carriers' pages for what they say about cancelling a service.
//!
//! The folders follow the pipeline: config → schedule → fetch (HTTP, guard, decode) → extract
//! (blocks, normalise, lexicon, verdict) → diff → alerts (the pure rules) → store → notify
//! (report, channels, digest). `check` is the shell that runs the pipeline once for one target;
//! `pass` checks every target once (`policywatch check`); `daemon` runs checks on schedule in
//! short-lived `worker` processes (and `trim`s memory after bursts). ARCHITECTURE.md walks
//! through the flow.

pub mod alerts;
pub mod check;
pub mod config;
pub mod daemon;
pub mod diff;
pub mod edit;
pub mod error_chain;
pub mod extract;
pub mod fetch;
pub mod hash;
pub mod inspect;
pub mod local_file;
pub mod metrics;
pub mod notify;
pub mod pass;
pub mod schedule;
pub mod status;
pub mod store;
pub mod table;
pub mod text;
pub mod trim;
pub mod worker;
pub mod zone;
