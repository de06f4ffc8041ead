//! The end-to-end tests, in one test binary: each module drives the real `policywatch` binary (or its
//! library) against real HTTP and SMTP servers on 127.0.0.1 and a real SQLite file in a temp dir.
//! One binary, not one per file, because each debug test binary links the whole program (~40 MB):
//! twenty of them filled CI's disk. Chromium's own tests stay in tests/browser.rs, since they count
//! the browser processes under the test process, which other modules' checks would add to.

mod common;

mod alerts;
mod channels;
mod check;
mod cli;
mod daemon;
mod daemon_inprocess;
mod documents;
mod fetch;
mod hostile;
mod layers;
mod links;
mod pdf;
mod preselect;
mod preselect_odd;
mod properties;
mod report_context;
mod ux;
mod verdicts;
mod worker;
