//! The command line as clap reads it (the commands, their flags, the global options) and where
//! the config file is looked for. Parsing only: what a command does is in its own module.

// The doc comments below are clap's `--help` text, printed as written: `[email]` and
// `[[webhook]]` name config tables there, not links, and escaping them would show in the help.
#![allow(rustdoc::broken_intra_doc_links)]

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use policywatch::inspect;

#[derive(Parser)]
#[command(
    name = "policywatch",
    version,
    about = "Watches mobile carriers' pages for changes in what they say about cancelling a \
             service, and emails a report when that wording changes."
)]
pub struct Cli {
    /// Config file. Default: `./config/policywatch.toml` if it exists, else
    /// `/etc/policywatch/policywatch.toml`.
    #[arg(long, global = true, env = "POLICYWATCH_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database file, overriding the config's `database` (the systemd unit sets this).
    #[arg(long, global = true, env = "POLICYWATCH_DATABASE")]
    pub database: Option<PathBuf>,
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    /// As written on the command line.
    pub fn as_arg(self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Check every target (or only the named ones) once now, print one line per target, exit.
    Check {
        /// Target names; default: every target.
        targets: Vec<String>,
    },
    /// Run as a daemon: each target on its own schedule until SIGTERM or SIGINT.
    Run,
    /// Validate the config file and print a short summary.
    CheckConfig,
    /// Show what a page or target extracts and its verdict; stores nothing.
    Inspect(inspect::Args),
    /// Current verdict, last check and pending alerts, per carrier and target.
    Status,
    /// The stored versions of a target, with when each was first and last seen.
    History {
        /// Target name.
        target: String,
    },
    /// What changed between two stored versions (default: the previous and the current one).
    Diff {
        /// Target name.
        target: String,
        /// Version number to compare from, as `history` numbers them (1, 2, 3…).
        #[arg(long)]
        from: Option<i64>,
        /// Version number to compare to (default: the current version).
        #[arg(long)]
        to: Option<i64>,
    },
    /// Send a test email with the [email] settings and say exactly what failed, if anything.
    SendTestEmail,
    /// Add a target to the config file (comments and layout are kept); refused if invalid.
    Add(AddArgs),
    /// List the configured targets.
    List,
    /// Send a test message through one channel (email or a webhook) and say what failed.
    SendTest {
        /// The channel: "email", or a [[webhook]] name (see `check-config`).
        #[arg(long)]
        channel: String,
    },
    /// The daemon's check worker: reads its config and target names on stdin, reports on
    /// stdout. Started by `run`, not by hand.
    #[command(hide = true)]
    Worker,
}

#[derive(clap::Args)]
pub struct AddArgs {
    /// The page to watch.
    pub url: String,
    /// Unique target name (letters, digits, . _ -); default: made from the URL.
    #[arg(long)]
    pub name: Option<String>,
    /// Carrier name, e.g. "3HK".
    #[arg(long)]
    pub carrier: String,
    /// CSS selector of the watched region (repeatable; default: body).
    #[arg(long = "select")]
    pub select: Vec<String>,
    /// CSS selector of parts to leave out (repeatable).
    #[arg(long = "remove")]
    pub remove: Vec<String>,
    /// 6-field cron expression (default: the config's [schedule] default).
    #[arg(long)]
    pub schedule: Option<String>,
    /// `static` (default) or `browser`.
    #[arg(long)]
    pub render: Option<String>,
    /// With `--render browser`: wait until this CSS selector matches.
    #[arg(long)]
    pub wait_for: Option<String>,
}

/// Where the config is looked for when neither `--config` nor `$POLICYWATCH_CONFIG` names it.
const CONFIG_PLACES: [&str; 2] = [
    "config/policywatch.toml",
    "/etc/policywatch/policywatch.toml",
];

/// The config file to use: the one named, else the first of [`CONFIG_PLACES`] that exists, else
/// the first (so that the error names it).
pub fn config_path(cli: &Cli) -> PathBuf {
    if let Some(p) = &cli.config {
        return p.clone();
    }
    CONFIG_PLACES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(CONFIG_PLACES[0]))
}
