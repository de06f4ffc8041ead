//! The `policywatch` command: parses the command line, loads the config, calls the library, and
//! turns errors into messages and exit codes (0 ok, 1 a target or run-time failure, 2 usage or
//! config error, 3 `check` could not deliver some alerts).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use policywatch::config::{Config, ConfigError, FetchSettings};
use policywatch::extract::document;
use policywatch::extract::lexicon::Lexicon;
use policywatch::fetch::{Body, Fetched, Fetcher, Request};
use policywatch::notify::{self, Channels};
use policywatch::store::Store;
use policywatch::{daemon, inspect, pass, status};

#[derive(Parser)]
#[command(
    name = "policywatch",
    version,
    about = "Watches mobile carriers' pages for changes in what they say about cancelling a \
             service, and emails a report when that wording changes."
)]
struct Cli {
    /// Config file. Default: `./config/policywatch.toml` if it exists, else
    /// `/etc/policywatch/policywatch.toml`.
    #[arg(long, global = true, env = "POLICYWATCH_CONFIG")]
    config: Option<PathBuf>,
    /// Database file, overriding the config's `database` (the systemd unit sets this).
    #[arg(long, global = true, env = "POLICYWATCH_DATABASE")]
    database: Option<PathBuf>,
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
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
}

#[derive(clap::Args)]
struct AddArgs {
    /// The page to watch.
    url: String,
    /// Unique target name (letters, digits, . _ -); default: made from the URL.
    #[arg(long)]
    name: Option<String>,
    /// Carrier name, e.g. "3HK".
    #[arg(long)]
    carrier: String,
    /// CSS selector of the watched region (repeatable; default: body).
    #[arg(long = "select")]
    select: Vec<String>,
    /// CSS selector of parts to leave out (repeatable).
    #[arg(long = "remove")]
    remove: Vec<String>,
    /// 6-field cron expression (default: the config's [schedule] default).
    #[arg(long)]
    schedule: Option<String>,
    /// `static` (default) or `browser`.
    #[arg(long)]
    render: Option<String>,
    /// With `--render browser`: wait until this CSS selector matches.
    #[arg(long)]
    wait_for: Option<String>,
}

/// Where the config is looked for when neither `--config` nor `$POLICYWATCH_CONFIG` names it.
const CONFIG_PLACES: [&str; 2] = [
    "config/policywatch.toml",
    "/etc/policywatch/policywatch.toml",
];

/// The config file to use: the one named, else the first of [`CONFIG_PLACES`] that exists, else
/// the first (so that the error names it).
fn config_path(cli: &Cli) -> PathBuf {
    if let Some(p) = &cli.config {
        return p.clone();
    }
    CONFIG_PLACES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(CONFIG_PLACES[0]))
}

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
const EXIT_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;
/// `check`: every target was checked, but some alerts could not be delivered (they stay
/// pending), so that cron notices.
const EXIT_UNDELIVERED: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let interactive_check =
        matches!(cli.command, Command::Check { .. }) && std::io::stderr().is_terminal();
    init_logging(cli.log_format, interactive_check);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("policywatch: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let result = runtime.block_on(dispatch(cli));
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

fn load_config(cli: &Cli) -> Result<Config> {
    let mut config = Config::load(&config_path(cli))?;
    if let Some(db) = &cli.database {
        config.database = db.clone();
    }
    Ok(config)
}

fn open_store(config: &Config) -> Result<Arc<Mutex<Store>>> {
    let store = Store::open(&config.database)?;
    Ok(Arc::new(Mutex::new(store)))
}

async fn dispatch(cli: Cli) -> Result<ExitCode> {
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
            check(&config).await
        }
        Command::Run => {
            // Signals first: a SIGHUP or SIGTERM during start-up must not kill the process.
            let (shutdown, reload) = forward_signals(cli.database.clone())?;
            let config = load_config(&cli)?;
            daemon::run(config, shutdown, reload).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::CheckConfig => {
            let config = load_config(&cli)?;
            print!("{}", summary(&config));
            Ok(ExitCode::SUCCESS)
        }
        Command::Inspect(args) => inspect_cmd(&cli, args).await,
        Command::Status => {
            let config = load_config(&cli)?;
            // Read-only: no empty database created, no migration. `{e}` alone: the message is
            // complete, and its SQLite source would only repeat it.
            let store =
                Store::open_read_only(&config.database).map_err(|e| anyhow::anyhow!("{e}"))?;
            print!("{}", status::render_for(&config, &store, terminal_width())?);
            Ok(ExitCode::SUCCESS)
        }
        Command::History { target } => {
            let config = load_config(&cli)?;
            let store =
                Store::open_read_only(&config.database).map_err(|e| anyhow::anyhow!("{e}"))?;
            print!("{}", status::history(&config, &store, target)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff { target, from, to } => {
            let config = load_config(&cli)?;
            let store =
                Store::open_read_only(&config.database).map_err(|e| anyhow::anyhow!("{e}"))?;
            print!(
                "{}",
                status::diff_versions(&config, &store, target, *from, *to)?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::SendTestEmail => {
            let config = load_config(&cli)?;
            let Some(email) = &config.email else {
                bail!("no [email] section in {}", config.path.display());
            };
            let mailer = notify::Mailer::new(email)?;
            mailer.test_connection().await?;
            let alert = notify::test_alert(&config, notify::now_unix());
            mailer.send(&alert).await?;
            println!(
                "sent a test email to {} via {}:{}",
                email
                    .to
                    .iter()
                    .map(|m| m.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                email.smtp.host,
                email.smtp.port
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::SendTest { channel } => {
            let config = load_config(&cli)?;
            send_test(&config, channel).await
        }
        Command::Add(args) => add(&cli, args),
        Command::List => {
            let config = load_config(&cli)?;
            print!("{}", status::target_list(&config, terminal_width()));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `add URL --carrier … [--name …] [--select …]`: appends a validated target to the config.
fn add(cli: &Cli, args: &AddArgs) -> Result<ExitCode> {
    let path = config_path(cli);
    let new = policywatch::edit::NewTarget {
        url: args.url.clone(),
        name: args.name.clone(),
        carrier: args.carrier.clone(),
        select: args.select.clone(),
        remove: args.remove.clone(),
        schedule: args.schedule.clone(),
        render: args.render.clone(),
        wait_for: args.wait_for.clone(),
    };
    match policywatch::edit::add_target(&path, &new) {
        Ok(config) => {
            let t = config
                .targets
                .last()
                .context("the edited config has no targets")?;
            println!(
                "added target {} ({}) to {}: {}",
                t.name,
                t.carrier,
                path.display(),
                t.url
            );
            println!(
                "try it with: policywatch inspect {}   (the daemon picks it up on reload: systemctl reload policywatch)",
                t.name
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(policywatch::edit::EditError::Invalid(e)) => {
            eprintln!("policywatch: {e} (the config file was not changed)");
            Ok(ExitCode::from(EXIT_USAGE))
        }
        Err(e) => Err(e.into()),
    }
}

/// `send-test --channel NAME`: one test message through one channel, now.
async fn send_test(config: &Config, name: &str) -> Result<ExitCode> {
    let channels = Channels::from_config(config, Box::new(std::io::stdout()));
    let Some(channel) = channels.get(name) else {
        bail!(
            "no channel named `{name}` in {}; the channels are: {}",
            config.path.display(),
            config.channel_names().join(", ")
        );
    };
    let alert = notify::test_alert(config, notify::now_unix());
    match channels.send_now(channel, &alert).await {
        Ok(()) => {
            println!("sent a test message through channel {name}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => bail!("channel {name}: {}", e.message),
    }
}

async fn check(config: &Config) -> Result<ExitCode> {
    let store = open_store(config)?;
    // stdout carries exactly one line per target, so reports without [email] go to stderr.
    let channels = Channels::from_config(config, Box::new(std::io::stderr()));
    // Progress on a terminal only: never on a pipe or in a journal.
    let progress = std::io::stderr().is_terminal().then(|| {
        let pb = indicatif::ProgressBar::new(config.targets.len() as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template("{spinner} checking {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    });
    let ran = pass::run(config, store, &channels, |o| {
        if let Some(pb) = &progress {
            pb.set_message(o.target.clone());
            pb.inc(1);
        }
    })
    .await?;
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    let mut stdout = std::io::stdout().lock();
    for o in &ran.outcomes {
        writeln!(stdout, "{}", o.line())?;
    }
    stdout.flush()?;
    drop(stdout);
    if let Some(why) = &ran.undelivered {
        eprintln!("policywatch: {why}");
    }
    Ok(if ran.outcomes.iter().any(|o| o.is_error()) {
        ExitCode::from(EXIT_FAILED)
    } else if ran.undelivered.is_some() {
        ExitCode::from(EXIT_UNDELIVERED)
    } else {
        ExitCode::SUCCESS
    })
}

/// SIGTERM and SIGINT become the daemon's stop requests, SIGHUP its reload requests.
fn forward_signals(
    database: Option<PathBuf>,
) -> Result<(mpsc::Receiver<()>, mpsc::Receiver<daemon::Reload>)> {
    let mut sigterm = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    let mut sigint = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
    let mut sighup = signal(SignalKind::hangup()).context("cannot listen for SIGHUP")?;
    // Small buffers: a burst of signals while the daemon is busy needs only one of each.
    let (stop_tx, stop_rx) = mpsc::channel(2);
    let (reload_tx, reload_rx) = mpsc::channel(1);
    tokio::spawn(async move {
        loop {
            let stop = tokio::select! {
                _ = sigterm.recv() => true,
                _ = sigint.recv() => true,
                _ = sighup.recv() => false,
            };
            if stop {
                tracing::info!("stop requested by signal");
                let _ = stop_tx.try_send(());
            } else {
                tracing::info!("SIGHUP: reload requested");
                let _ = reload_tx.try_send(daemon::Reload {
                    database: database.clone(),
                });
            }
        }
    });
    Ok((stop_rx, reload_rx))
}

fn summary(config: &Config) -> String {
    let mut s = format!(
        "config {} is valid\ndatabase: {}\ntimezone: {}, default schedule \"{}\"\n",
        config.path.display(),
        config.database.display(),
        config.schedule.timezone.name(),
        config.schedule.default
    );
    match &config.email {
        Some(e) => s.push_str(&format!(
            "email: from {} to {} via {}:{} ({})\n",
            e.from,
            e.to.iter()
                .map(|m| m.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            e.smtp.host,
            e.smtp.port,
            match e.smtp.security {
                policywatch::config::SmtpSecurity::None => "no TLS",
                policywatch::config::SmtpSecurity::Starttls => "STARTTLS",
                policywatch::config::SmtpSecurity::Tls => "TLS",
            }
        )),
        None => s.push_str("email: not configured; reports are printed\n"),
    }
    s.push_str(&format!(
        "channels: {}\n",
        config.channel_names().join(", ")
    ));
    for w in &config.webhooks {
        s.push_str(&format!(
            "  webhook {} ({}) {}{}\n",
            w.name,
            w.format.as_str(),
            w.url,
            if w.secret_env.is_some() {
                ", signed"
            } else {
                ""
            }
        ));
    }
    match &config.metrics {
        Some(metrics) => s.push_str(&format!(
            "metrics: http://{}/metrics and /healthz\n",
            metrics.listen
        )),
        None => s.push_str("metrics: off\n"),
    }
    s.push_str(&format!("targets: {}\n", config.targets.len()));
    for t in &config.targets {
        let mut how = String::new();
        if let policywatch::config::Render::Browser { wait_for } = &t.render {
            how.push_str(" render = browser");
            if let Some(w) = wait_for {
                how.push_str(&format!(", wait_for \"{w}\""));
            }
        }
        for (key, text) in [("pdf_from", &t.pdf_from), ("pdf_to", &t.pdf_to)] {
            if let Some(text) = text {
                how.push_str(&format!(" {key} \"{text}\""));
            }
        }
        s.push_str(&format!(
            "  {} ({}) \"{}\" {}{how}{}\n",
            t.name,
            t.carrier,
            t.schedule,
            t.url,
            t.notify
                .as_ref()
                .map(|n| format!(" → {}", n.join(", ")))
                .unwrap_or_default()
        ));
    }
    for w in warnings(config) {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}

/// Valid but worth a second look.
fn warnings(config: &Config) -> Vec<String> {
    let mut w = Vec::new();
    for t in config.targets.iter().filter(|t| t.ignore_robots) {
        w.push(format!(
            "target {} ignores robots.txt (ignore_robots = true): only do this for a site you own",
            t.name
        ));
    }
    if let Some(var) = config
        .email
        .as_ref()
        .and_then(|e| e.smtp.password_env.as_ref())
        .filter(|v| std::env::var_os(v).is_none())
    {
        w.push(format!(
            "email.smtp.password_env names {var}, which is not set in this environment"
        ));
    }
    for (hook, var) in config
        .webhooks
        .iter()
        .filter_map(|h| h.secret_env.as_ref().map(|v| (h, v)))
        .filter(|(_, v)| std::env::var_os(v).is_none())
    {
        w.push(format!(
            "webhook {}: secret_env names {var}, which is not set in this environment",
            hook.name
        ));
    }
    if config.fetch.allow_private_addresses {
        w.push(
            "fetch.allow_private_addresses = true: targets may reach loopback and private networks"
                .into(),
        );
    }
    let clear_text = |s: &&policywatch::config::SmtpSettings| {
        s.security == policywatch::config::SmtpSecurity::None && s.username.is_some()
    };
    if let Some(smtp) = config.email.as_ref().map(|e| &e.smtp).filter(clear_text) {
        w.push(format!(
            "email.smtp.security = \"none\" with a username: the SMTP password would be sent to {} in clear text; use \"starttls\" or \"tls\"",
            smtp.host
        ));
    }
    w
}

async fn inspect_cmd(cli: &Cli, args: &inspect::Args) -> Result<ExitCode> {
    // A config is needed only to name a target; a file or URL works without one, so for those a
    // config that does not load is set aside with a warning rather than stopping the inspection.
    let config = match Config::load(&config_path(cli)) {
        Ok(c) => Some(c),
        Err(e) if args.needs_config() => return Err(e.into()),
        Err(ConfigError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            None
        }
        Err(e) => {
            tracing::warn!(
                "ignoring the config: {e}; inspecting with the built-in lexicon and default fetch settings"
            );
            None
        }
    };
    let lexicon = match &config {
        Some(c) => Lexicon::load_identified(c.lexicon.as_deref())?.0,
        None => Lexicon::builtin().clone(),
    };
    let limits = document::pdf_limits(
        config
            .as_ref()
            .map_or_else(|| FetchSettings::default().max_body, |c| c.fetch.max_body),
    );
    let (label, body, target, url) = if let Some(file) = &args.file {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let (body, encoding) = inspect::file_body(bytes);
        let target = args.ad_hoc_target(&format!("file://{}", absolute(file).display()))?;
        let url = target.url.clone();
        (
            format!("{} ({encoding})", file.display()),
            body,
            target,
            url,
        )
    } else if let Some(what) = &args.what {
        let (target, settings) = match config.as_ref().and_then(|c| c.target(what).map(|t| (t, c)))
        {
            Some((t, c)) => (args.override_target(t), c.fetch.clone()),
            None if what.contains("://") => (
                args.ad_hoc_target(what)?,
                config
                    .as_ref()
                    .map(|c| c.fetch.clone())
                    .unwrap_or_else(FetchSettings::default),
            ),
            None => bail!(
                "`{what}` is neither a target in {} nor a URL",
                config_path(cli).display()
            ),
        };
        let mut settings = settings;
        if args.allow_private_addresses {
            settings.allow_private_addresses = true;
        }
        let fetcher = Fetcher::new(&settings)?;
        let fetched = fetcher
            .fetch(&Request {
                url: &target.url,
                validators: None,
                ignore_robots: target.ignore_robots,
                render: &target.render,
            })
            .await;
        fetcher.shutdown().await;
        let page = match fetched {
            Ok(Fetched::Page(p)) => *p,
            // No page, no verdict: the report still ends with one, as documented.
            Ok(Fetched::NotModified { .. }) => {
                print!(
                    "{}",
                    inspect::failure(
                        target.url.as_str(),
                        &target,
                        None,
                        &"unexpected 304 Not Modified"
                    )
                );
                return Ok(ExitCode::from(EXIT_FAILED));
            }
            Err(e) => {
                print!(
                    "{}",
                    inspect::failure(target.url.as_str(), &target, None, &e)
                );
                return Ok(ExitCode::from(EXIT_FAILED));
            }
        };
        (
            format!(
                "{} (HTTP {}, {})",
                page.url,
                page.status,
                match page.body {
                    Body::Pdf(_) => "PDF",
                    Body::Html(_) => page.encoding,
                }
            ),
            page.body,
            target,
            page.url,
        )
    } else {
        bail!("inspect needs a target name, a URL, or --file PAGE.html");
    };
    let kind = body.kind();
    match inspect::inspect(&label, &target, body, &url, &lexicon, &limits).await {
        Ok(report) => {
            print!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        // A selector that matches nothing: the README promises the verdict as the last line.
        Err(e) => {
            let body = (kind == "pdf").then(|| Body::Pdf(Vec::new()));
            print!("{}", inspect::failure(&label, &target, body.as_ref(), &e));
            Ok(ExitCode::from(EXIT_FAILED))
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}
