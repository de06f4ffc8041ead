//! `inspect`: finds the page (a file, a URL, or a configured target), fetches it if need be, and
//! prints what the library's inspection reports; a failure still ends with the verdict line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use policywatch::config::{Config, ConfigError, FetchSettings};
use policywatch::extract::document;
use policywatch::extract::lexicon::{Lexicon, Shared};
use policywatch::fetch::{Body, Fetched, Fetcher, Request};
use policywatch::inspect;

use super::EXIT_FAILED;
use super::args::{Cli, config_path};

pub async fn inspect_cmd(cli: &Cli, args: &inspect::Args) -> Result<ExitCode> {
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
        None => Shared::Builtin,
    };
    let max_body = config
        .as_ref()
        .map_or_else(|| FetchSettings::default().max_body, |c| c.fetch.max_body);
    let limits = document::pdf_limits(max_body);
    let (label, body, target, url) = if let Some(file) = &args.file {
        // A page read from a file is bounded as a fetched one is (`fetch.max_body`).
        let bytes = policywatch::local_file::read(file, max_body)
            .with_context(|| format!("cannot read {}", file.display()))?;
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
    match inspect::inspect(
        &label,
        &target,
        body,
        &url,
        &lexicon,
        &limits,
        args.weighing,
    )
    .await
    {
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
