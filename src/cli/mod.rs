//! The binary's commands, one module each, behind [`dispatch`]: it loads the config and the
//! database a command needs and returns the exit code; `main` turns an error into a message.
//! Binary-private (not part of the library): the work itself is the library's.

mod add;
pub mod args;
mod check;
mod inspect;
mod send;
mod signals;
mod summary;
mod worker;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::Result;

use policywatch::config::Config;
use policywatch::store::Store;
use policywatch::{daemon, status};

use args::{Cli, Command, config_path};

/// The width of the terminal stdout is, or `None` for a pipe or a file (plain output).
fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let cols = console::Term::stdout()
        .size_checked()
        .map_or(100, |(_rows, cols)| usize::from(cols));
    Some(cols.max(40))
}

/// Exit codes, as documented in the README.
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
/// `check`: every target was checked, but some alerts could not be delivered (they stay
/// pending), so that cron notices.
pub const EXIT_UNDELIVERED: u8 = 3;

fn load_config(cli: &Cli) -> Result<Config> {
    Ok(load_config_with_source(cli)?.0)
}

/// The config (with `--database` applied) and the text it was read from.
fn load_config_with_source(cli: &Cli) -> Result<(Config, String)> {
    let (mut config, source) = Config::load_with_source(&config_path(cli))?;
    if let Some(db) = &cli.database {
        config.database = db.clone();
    }
    Ok((config, source))
}

fn open_store(config: &Config) -> Result<Arc<Mutex<Store>>> {
    let store = Store::open(&config.database)?;
    Ok(Arc::new(Mutex::new(store)))
}

/// The database for `status`, `history` and `diff`: read-only, so no empty database is created
/// and no migration runs. `{e}` alone: the message is complete, and its SQLite source would only
/// repeat it.
fn open_read_only(config: &Config) -> Result<Store> {
    Store::open_read_only(&config.database).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Runs the command `cli` names and says how the process should exit.
pub async fn dispatch(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Check { targets } => {
            let mut config = load_config(&cli)?;
            if !targets.is_empty() {
                if let Some(unknown) = targets.iter().find(|n| config.target(n).is_none()) {
                    eprintln!(
                        "policywatch: no target named `{unknown}` in {}; `policywatch list` shows them",
                        config.path.display()
                    );
                    return Ok(ExitCode::from(EXIT_USAGE));
                }
                config.targets.retain(|t| targets.contains(&t.name));
            }
            check::check(&config).await
        }
        Command::Run => {
            // Signals first: a SIGHUP or SIGTERM during start-up must not kill the process.
            let (shutdown, reload) = signals::forward_signals(cli.database.clone())?;
            let (config, source) = load_config_with_source(&cli)?;
            let worker = daemon::WorkerCommand::this_binary(vec![
                "--log-format".into(),
                cli.log_format.as_arg().into(),
                "worker".into(),
            ]);
            daemon::run(config, source, worker, shutdown, reload).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Worker => worker::worker().await,
        Command::CheckConfig => {
            let config = load_config(&cli)?;
            print!("{}", summary::summary(&config));
            Ok(ExitCode::SUCCESS)
        }
        Command::Inspect(args) => inspect::inspect_cmd(&cli, args).await,
        Command::Status => {
            let config = load_config(&cli)?;
            let store = open_read_only(&config)?;
            print!("{}", status::render_for(&config, &store, terminal_width())?);
            Ok(ExitCode::SUCCESS)
        }
        Command::History { target } => {
            let config = load_config(&cli)?;
            let store = open_read_only(&config)?;
            print!("{}", status::history(&config, &store, target)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff { target, from, to } => {
            let config = load_config(&cli)?;
            let store = open_read_only(&config)?;
            print!(
                "{}",
                status::diff_versions(&config, &store, target, *from, *to)?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::SendTestEmail => send::send_test_email(&load_config(&cli)?).await,
        Command::SendTest { channel } => {
            let config = load_config(&cli)?;
            send::send_test(&config, channel).await
        }
        Command::Add(args) => add::add(&cli, args),
        Command::List => {
            let config = load_config(&cli)?;
            print!("{}", status::target_list(&config, terminal_width()));
            Ok(ExitCode::SUCCESS)
        }
    }
}
