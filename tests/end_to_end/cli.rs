//! The command line around the checks: what `check-config` catches and warns about, the read-only
//! `status`/`history`/`diff`, and `inspect` when things go wrong.

use crate::common;

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

#[test]
fn a_malformed_worker_thread_count_is_ignored_not_a_crash() {
    // tokio panics on a TOKIO_WORKER_THREADS that is not a positive number; policywatch reads it
    // itself and keeps its own default then.
    let env = env_with("");
    for value in ["", "abc", "0", "-3", "2"] {
        let run = env.run_env(&["check-config"], &[("TOKIO_WORKER_THREADS", value)]);
        assert_eq!(
            run.code(),
            0,
            "TOKIO_WORKER_THREADS={value:?}: {}",
            run.stderr()
        );
        assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    }
}
