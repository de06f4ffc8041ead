//! The `policywatch` command: parses the command line, loads the config, calls the library, and
//! turns errors into messages and exit codes (0 ok, 1 a target or run-time failure, 2 usage or
//! config error, 3 `check` could not deliver some alerts).

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use policywatch::config::ConfigError;

use cli::args::{Cli, Command, LogFormat};
use cli::{EXIT_FAILED, EXIT_USAGE, dispatch};

fn main() -> ExitCode {
    // Before any thread exists, so that every thread shares the capped arenas.
    policywatch::trim::limit_arenas();
    let cli = Cli::parse();
    let interactive_check =
        matches!(cli.command, Command::Check { .. }) && std::io::stderr().is_terminal();
    init_logging(cli.log_format, interactive_check);
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.enable_all();
    // One thread runs the async work (fetches, commits, orchestration); extraction and the
    // verdict run on the blocking pool. A second async thread mostly woke the first: the
    // unchanged and noise passes spent a third of their CPU in the kernel's futex wake-ups and
    // task switches (BENCHMARKS.md, "Round 5 of issue 16"). TOKIO_WORKER_THREADS still decides
    // when it is a positive number; tokio itself would panic on any other value, so it is read
    // here and never left to tokio.
    let threads = std::env::var("TOKIO_WORKER_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0);
    builder.worker_threads(threads.unwrap_or(1));
    let runtime = match builder.build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("policywatch: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    // The command runs as a task on the async thread, not on this one: driven by `block_on`
    // here, every check that finished woke this thread through a futex to poll the pass, and it
    // slept again (about a twentieth of a noise pass's CPU, BENCHMARKS.md "Round 6 of issue 16").
    let result = match runtime.block_on(runtime.spawn(dispatch(cli))) {
        Ok(result) => result,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => Err(anyhow::anyhow!("the command was cancelled: {e}")),
        },
    };
    // Background work (a DNS lookup, an SMTP connection) must not hold the exit past the
    // daemon's own shutdown grace.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    match result {
        Ok(code) => code,
        Err(e) => {
            let usage = e.downcast_ref::<ConfigError>().is_some();
            let said = policywatch::error_chain::join(e.chain().map(|c| c.to_string()));
            eprintln!("policywatch: {said}");
            ExitCode::from(if usage { EXIT_USAGE } else { EXIT_FAILED })
        }
    }
}

fn init_logging(format: LogFormat, interactive_check: bool) {
    use tracing_subscriber::EnvFilter;
    // A `check` on a terminal shows a progress bar; per-check log lines would scroll it away.
    let default = if interactive_check {
        "warn"
    } else {
        "info,tokio_cron_scheduler=warn"
    };
    let filter =
        EnvFilter::try_from_env("POLICYWATCH_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        // Events carry a `target` field (the target's name); tracing's module path would be a
        // second `target` key in the same object.
        LogFormat::Json => builder.json().flatten_event(true).with_target(false).init(),
        // journald adds its own timestamps; colour only on a terminal.
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .with_target(false)
            .init(),
    }
}
