//! `add URL --carrier NAME …`: appends a validated target to the config file, or refuses with
//! the config's own error and leaves the file as it was.

use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::EXIT_USAGE;
use super::args::{AddArgs, Cli, config_path};

/// `add URL --carrier … [--name …] [--select …]`: appends a validated target to the config.
pub fn add(cli: &Cli, args: &AddArgs) -> Result<ExitCode> {
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
