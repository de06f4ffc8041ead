//! The command line around the checks: what `check-config` catches and warns about, the read-only
//! `status`/`history`/`diff`, and `inspect` when things go wrong.

mod common;

use std::path::Path;

use common::*;

const POLICY: &str =
    "<h1>Termination</h1><p>To terminate the service, please visit any 3Shop in person.</p>";

const PEM: &str =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUYWJj\n-----END CERTIFICATE-----\n";

/// A config with one target and `extra` before the targets.
fn env_with(extra: &str) -> Env {
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", "https://example.org/terms")],
        None,
        extra,
    );
    env
}

/// The 1-based line of the first line of `config` that starts with `prefix`.
fn line_of(config: &Path, prefix: &str) -> usize {
    std::fs::read_to_string(config)
        .unwrap()
        .lines()
        .position(|l| l.starts_with(prefix))
        .expect("the line is in the config")
        + 1
}

/// The files in the env's folder, sorted.
fn files(env: &Env) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// One module per theme; the constants and helpers above are theirs.
#[path = "cli/check_config.rs"]
mod check_config;
#[path = "cli/inspect.rs"]
mod inspect;
#[path = "cli/read_only.rs"]
mod read_only;
