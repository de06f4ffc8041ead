//! `send-test-email` and `send-test --channel NAME`: one test message through a channel, now, and
//! what failed if it did not go.

use std::process::ExitCode;

use anyhow::{Result, bail};

use policywatch::config::Config;
use policywatch::notify::{self, Channels};

/// `send-test --channel NAME`: one test message through one channel, now.
pub async fn send_test(config: &Config, name: &str) -> Result<ExitCode> {
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

/// `send-test-email`: connects, negotiates TLS, authenticates and sends a test message.
pub async fn send_test_email(config: &Config) -> Result<ExitCode> {
    let Some(email) = &config.email else {
        bail!("no [email] section in {}", config.path.display());
    };
    let mailer = notify::Mailer::new(email)?;
    mailer.test_connection().await?;
    let alert = notify::test_alert(config, notify::now_unix());
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
