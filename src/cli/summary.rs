//! `check-config`: the summary of a valid config (database, time zone, email, channels, metrics,
//! targets) and the warnings about settings that are valid but worth a second look.

use policywatch::config::Config;

pub fn summary(config: &Config) -> String {
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
            w.url.shown(),
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
    for hook in &config.webhooks {
        // Set but not a URL is said too; the value itself never is.
        if let (policywatch::config::WebhookUrl::Env(_), Err(why)) = (&hook.url, hook.url.resolve())
        {
            w.push(format!("webhook {}: {why} in this environment", hook.name));
        }
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
