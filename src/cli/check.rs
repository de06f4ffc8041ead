//! `check [NAME…]`: every target (or the named ones) once, now; a progress bar on a terminal, one
//! line per target on stdout, and the exit code that says whether targets failed or alerts stayed
//! undelivered.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;

use policywatch::config::Config;
use policywatch::notify::Channels;
use policywatch::pass;

use super::{EXIT_FAILED, EXIT_UNDELIVERED, open_store};

pub async fn check(config: &Config) -> Result<ExitCode> {
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
