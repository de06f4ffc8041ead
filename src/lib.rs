//! policywatch: watches carriers' pages for what they say about cancelling a service.
//!
//! The modules follow the pipeline: config → schedule → fetch (guard, decode) → extract
//! (normalise) → verdict (lexicon) → diff → store → report → notify. `check` runs the pipeline
//! once for one target; `daemon` runs it on schedule (and `trim`s memory after bursts).

pub mod check;
pub mod config;
pub mod daemon;
pub mod decode;
pub mod diff;
pub mod digest;
pub mod extract;
pub mod fetch;
pub mod guard;
pub mod inspect;
pub mod lexicon;
pub mod metrics;
pub mod normalise;
pub mod notify;
pub mod report;
pub mod schedule;
pub mod status;
pub mod store;
pub mod trim;
pub mod verdict;
