//! `[[target]]`: the pages watched. Each target's name, carrier, URL, selectors, schedule, how it
//! is rendered, which part of a PDF is watched and where its alerts go.

use std::collections::HashSet;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;
use url::Url;

use super::{ConfigError, OneOrMany, Validator, WebhookSettings};
use crate::extract::DEFAULT_SELECT;

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub name: String,
    pub carrier: String,
    pub url: Url,
    pub select: Vec<String>,
    pub remove: Vec<String>,
    /// The 6-field cron expression this target runs on (its own or the default).
    pub schedule: String,
    /// Fetch even where robots.txt disallows it (for people who own the site).
    pub ignore_robots: bool,
    /// How the page is loaded: plain HTTP or a browser that runs its scripts.
    pub render: Render,
    /// For a PDF: the text of the block where the watched part starts (`pdf_from`) and of the
    /// block where it stops (`pdf_to`, excluded). `select`/`remove` do not apply to PDFs.
    pub pdf_from: Option<String>,
    pub pdf_to: Option<String>,
    /// The channels this target's alerts go to; `None`: every channel.
    pub notify: Option<Vec<String>>,
}

impl Target {
    /// Where this target's watched text is, as extraction needs it.
    pub fn selection(&self) -> crate::extract::document::Selection {
        crate::extract::document::Selection {
            name: self.name.clone(),
            select: self.select.clone(),
            remove: self.remove.clone(),
            pdf_from: self.pdf_from.clone(),
            pdf_to: self.pdf_to.clone(),
            rendered: self.render != Render::Static,
        }
    }
}

/// `render = "static" | "browser"` with its `wait_for` selector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Render {
    /// One HTTP GET; the HTML as served.
    #[default]
    Static,
    /// Loaded in a headless browser; the DOM once the page settles: when `wait_for` (a CSS
    /// selector) matches, or without it when the network is idle.
    Browser { wait_for: Option<String> },
}

impl Render {
    pub fn as_str(&self) -> &'static str {
        match self {
            Render::Static => "static",
            Render::Browser { .. } => "browser",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTarget {
    name: Spanned<String>,
    carrier: Spanned<String>,
    url: Spanned<String>,
    select: Option<Spanned<OneOrMany>>,
    remove: Option<Spanned<OneOrMany>>,
    schedule: Option<Spanned<String>>,
    #[serde(default)]
    ignore_robots: bool,
    render: Option<Spanned<String>>,
    wait_for: Option<Spanned<String>>,
    pdf_from: Option<Spanned<String>>,
    pdf_to: Option<Spanned<String>>,
    notify: Option<Spanned<Vec<String>>>,
}

impl Validator<'_> {
    /// Every `[[target]]`, in file order: `default_schedule` for those without their own, and
    /// the channels there are for `notify` to name.
    pub(super) fn targets(
        &self,
        raw: Vec<RawTarget>,
        default_schedule: &str,
        has_email: bool,
        webhooks: &[WebhookSettings],
    ) -> Result<Vec<Arc<Target>>, ConfigError> {
        let mut names = HashSet::new();
        let mut targets = Vec::with_capacity(raw.len());
        for (i, t) in raw.into_iter().enumerate() {
            let key = |k: &str| format!("target[{i}].{k}");
            let name = self.name(&t.name, &key("name"))?;
            if !names.insert(name.clone()) {
                return Err(self.error(
                    &t.name,
                    &key("name"),
                    format!("duplicate target name `{name}`"),
                ));
            }
            let carrier = t.carrier.get_ref().trim().to_string();
            if carrier.is_empty() {
                return Err(self.error(&t.carrier, &key("carrier"), "must not be empty"));
            }
            let url = self.http_url(&t.url, &key("url"), "logged and emailed")?;
            let select = match &t.select {
                Some(s) => self.selectors(s, &key("select"), false)?,
                None => vec![DEFAULT_SELECT.to_string()],
            };
            let remove = match &t.remove {
                Some(s) => self.selectors(s, &key("remove"), true)?,
                None => Vec::new(),
            };
            let schedule = match &t.schedule {
                Some(s) => self.cron(s, &key("schedule"))?,
                None => default_schedule.to_string(),
            };
            let render = self.render(&t, &key)?;
            let pdf_from = self.pdf_mark(t.pdf_from.as_ref(), &key("pdf_from"))?;
            let pdf_to = self.pdf_mark(t.pdf_to.as_ref(), &key("pdf_to"))?;
            let notify = t
                .notify
                .as_ref()
                .map(|n| self.notify(n, &key("notify"), has_email, webhooks))
                .transpose()?;
            targets.push(Arc::new(Target {
                name,
                carrier,
                url,
                select,
                remove,
                schedule,
                ignore_robots: t.ignore_robots,
                render,
                pdf_from,
                pdf_to,
                notify,
            }));
        }
        Ok(targets)
    }

    fn selectors(
        &self,
        s: &Spanned<OneOrMany>,
        key: &str,
        allow_empty: bool,
    ) -> Result<Vec<String>, ConfigError> {
        let list = s.get_ref().clone().into_vec();
        if list.is_empty() && !allow_empty {
            return Err(self.error(s, key, "needs at least one CSS selector"));
        }
        for sel in &list {
            crate::extract::parse_selector(sel).map_err(|e| self.error(s, key, e.to_string()))?;
        }
        Ok(list)
    }

    /// `render` and `wait_for`: a selector to wait for only makes sense in a browser.
    fn render(&self, t: &RawTarget, key: &dyn Fn(&str) -> String) -> Result<Render, ConfigError> {
        let browser = match &t.render {
            None => false,
            Some(r) => match r.get_ref().trim() {
                "static" => false,
                "browser" => true,
                other => {
                    return Err(self.error(
                        r,
                        &key("render"),
                        format!("`{other}` is not a way to render: use \"static\" or \"browser\""),
                    ));
                }
            },
        };
        let wait_for = match &t.wait_for {
            None => None,
            Some(w) if !browser => {
                return Err(self.error(
                    w,
                    &key("wait_for"),
                    "only applies with render = \"browser\"",
                ));
            }
            Some(w) => {
                let sel = w.get_ref().trim();
                crate::extract::parse_selector(sel)
                    .map_err(|e| self.error(w, &key("wait_for"), e.to_string()))?;
                Some(sel.to_string())
            }
        };
        Ok(if browser {
            Render::Browser { wait_for }
        } else {
            Render::Static
        })
    }

    /// `pdf_from` / `pdf_to`: some text to find, not blank.
    fn pdf_mark(
        &self,
        s: Option<&Spanned<String>>,
        key: &str,
    ) -> Result<Option<String>, ConfigError> {
        match s {
            None => Ok(None),
            Some(s) if s.get_ref().trim().is_empty() => {
                Err(self.error(s, key, "must not be empty"))
            }
            Some(s) => Ok(Some(s.get_ref().trim().to_string())),
        }
    }
}
