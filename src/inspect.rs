//! Inspect: what a page or target extracts, with matches marked, the evidence and the verdict.
//!
//! The `urlwatch --test-filter` habit: try selectors on a page before watching it. Nothing is
//! stored. The last line is always `VERDICT online-cancellation: <verdict>`, for scripts: when the
//! page cannot be fetched or the selection is missing, the report says so in a `# error:` line and
//! the verdict is `unknown`.

use std::fmt::Write as _;
use std::path::PathBuf;

use url::Url;

use crate::config::{DEFAULT_SCHEDULE, Render, Target};
use crate::extract::app_shell;
use crate::extract::document::{self, DocumentError, PdfLimits};
use crate::extract::extracted::{Extracted, assess_blocks};
use crate::extract::lexicon::Lexicon;
use crate::extract::normalise::for_people;
use crate::extract::verdict::{Assessment, Ending, Evidence, Stance, Verdict, weigh};
use crate::fetch::Body;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// A target name from the config, or a URL.
    pub what: Option<String>,
    /// Read the page from a file instead of fetching it.
    #[arg(long, conflicts_with = "what")]
    pub file: Option<PathBuf>,
    /// CSS selector of the watched region (repeatable); overrides the target's.
    #[arg(long = "select")]
    pub select: Vec<String>,
    /// CSS selector of parts to drop (repeatable); overrides the target's.
    #[arg(long = "remove")]
    pub remove: Vec<String>,
    /// For a PDF: start at the first block containing this text; overrides the target's.
    #[arg(long = "pdf-from")]
    pub pdf_from: Option<String>,
    /// For a PDF: stop before the next block containing this text; overrides the target's.
    #[arg(long = "pdf-to")]
    pub pdf_to: Option<String>,
    /// How to load the page: "static" (HTTP) or "browser" (render its JavaScript first).
    #[arg(long, value_parser = ["static", "browser"])]
    pub render: Option<String>,
    /// With --render browser: wait until this CSS selector matches.
    #[arg(long = "wait-for", requires = "render")]
    pub wait_for: Option<String>,
    /// Allow fetching loopback and private addresses (for pages on your own network).
    #[arg(long)]
    pub allow_private_addresses: bool,
    /// Also print how the headline was weighed: the features of the rules' reading and the
    /// probability of each answer (`corpus/verdicts/train.py` learns from these lines).
    #[arg(long)]
    pub weighing: bool,
}

impl Args {
    /// Naming something that is not a URL or a file means a target: that needs the config.
    pub fn needs_config(&self) -> bool {
        self.file.is_none() && self.what.as_deref().is_some_and(|w| !w.contains("://"))
    }

    /// A throw-away target for a URL or file given on the command line.
    pub fn ad_hoc_target(&self, url: &str) -> Result<Target, InspectError> {
        let url = Url::parse(url).map_err(|e| InspectError::Url(url.to_string(), e.to_string()))?;
        let select = if self.select.is_empty() {
            vec![crate::extract::DEFAULT_SELECT.to_string()]
        } else {
            self.select.clone()
        };
        Ok(Target {
            name: "inspect".into(),
            carrier: "-".into(),
            url,
            select,
            remove: self.remove.clone(),
            schedule: DEFAULT_SCHEDULE.into(),
            ignore_robots: false,
            render: Render::Static,
            pdf_from: None,
            pdf_to: None,
            notify: None,
        })
        .map(|t| self.override_target(&t))
    }

    /// A configured target with any `--select`/`--remove` given on the command line.
    pub fn override_target(&self, t: &Target) -> Target {
        let mut t = t.clone();
        if !self.select.is_empty() {
            t.select = self.select.clone();
        }
        if !self.remove.is_empty() {
            t.remove = self.remove.clone();
        }
        if self.pdf_from.is_some() {
            t.pdf_from = self.pdf_from.clone();
        }
        if self.pdf_to.is_some() {
            t.pdf_to = self.pdf_to.clone();
        }
        match self.render.as_deref() {
            Some("browser") => {
                t.render = Render::Browser {
                    wait_for: self.wait_for.clone(),
                }
            }
            Some(_) => t.render = Render::Static,
            None => {}
        }
        t
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error("`{0}` is not a URL: {1}")]
    Url(String, String),
    #[error(transparent)]
    Document(#[from] DocumentError),
}

/// A page read from a file: a PDF by its signature, else HTML decoded as a fetch would.
pub fn file_body(bytes: Vec<u8>) -> (Body, &'static str) {
    if crate::fetch::sniff::is_pdf(None, &bytes) {
        return (Body::Pdf(bytes), "PDF");
    }
    let decoded = crate::fetch::decode::decode(bytes, None);
    (Body::Html(decoded.text), decoded.encoding.name())
}

/// Renders the inspection of one page; `url` is where it was found (links resolve against it).
pub async fn inspect(
    label: &str,
    target: &Target,
    body: Body,
    url: &Url,
    lexicon: &Lexicon,
    limits: &PdfLimits,
    weighing: bool,
) -> Result<String, InspectError> {
    let (body, blocks) = document::blocks(&target.selection(), body, url, limits).await;
    let blocks = blocks?;
    let shell = match &body {
        Body::Html(html) => document::is_app_shell(&target.selection(), html, Some(&blocks)),
        Body::Pdf(_) => false,
    };
    let Extracted {
        blocks,
        contexts,
        assessment,
    } = assess_blocks(blocks, lexicon, None);
    let mut out = header(label, target, &body);
    if shell {
        let _ = writeln!(out, "# hint: {}", app_shell::HINT);
    }
    let _ = writeln!(
        out,
        "# {} blocks; * marks cancellation wording",
        blocks.len()
    );
    for (i, b) in blocks.iter().enumerate() {
        let mark = if assessment
            .cancellation_blocks
            .get(i)
            .copied()
            .unwrap_or(false)
        {
            '*'
        } else {
            ' '
        };
        // The context a reader has on the way to the block: `Mobile Disconnection Request ›`.
        match contexts.get(i).filter(|c| !c.is_empty()) {
            Some(c) => {
                let _ = writeln!(out, "{mark} [{:>3}] {c} › {b}", i + 1);
            }
            None => {
                let _ = writeln!(out, "{mark} [{:>3}] {b}", i + 1);
            }
        }
    }
    push_evidence(&mut out, &assessment);
    push_weighing(&mut out, &assessment, weighing);
    let _ = writeln!(out, "VERDICT online-cancellation: {}", assessment.verdict);
    Ok(for_people(&out).into_owned())
}

/// The report for a page that could not be fetched or whose selection is missing: the error as a
/// `# error:` line, then the verdict `unknown`, so the last line is a verdict as always.
pub fn failure(
    label: &str,
    target: &Target,
    body: Option<&Body>,
    error: &dyn std::fmt::Display,
) -> String {
    let mut out = match body {
        Some(body) => header(label, target, body),
        None => header(label, target, &Body::Html(String::new())),
    };
    let message = error.to_string();
    let _ = writeln!(
        out,
        "# error: {}",
        message.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let _ = writeln!(out, "VERDICT online-cancellation: {}", Verdict::Unknown);
    for_people(&out).into_owned()
}

/// The first lines of every report: the page and the selectors (or, for a PDF, the narrowing)
/// tried on it.
fn header(label: &str, target: &Target, body: &Body) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# page: {label}");
    if let Body::Pdf(_) = body {
        let _ = writeln!(
            out,
            "# pdf_from: {}  pdf_to: {}",
            target.pdf_from.as_deref().unwrap_or("-"),
            target.pdf_to.as_deref().unwrap_or("-")
        );
        return out;
    }
    let _ = writeln!(
        out,
        "# select: {}  remove: {}",
        target.select.join(", "),
        if target.remove.is_empty() {
            "-".to_string()
        } else {
            target.remove.join(", ")
        }
    );
    out
}

/// The evidence lines, each with the context it was read in ("heading › sentence"), add-on
/// statements apart, then related wording; then the answers that hold for part of the page
/// (add-ons, products, some places), which go before the headline so that it stays last.
fn push_evidence(out: &mut String, assessment: &Assessment) {
    let line = |out: &mut String, e: &Evidence| {
        let _ = writeln!(
            out,
            "  [{:>3}] {:<20} \"{}\"  ({})",
            e.block + 1,
            e.label(),
            e.in_context(),
            e.concepts.join(", ")
        );
    };
    let _ = writeln!(out, "# evidence (context › sentence)");
    let deciding: Vec<&Evidence> = assessment.deciding().collect();
    if deciding.is_empty() {
        let _ = writeln!(out, "  (no sentence about how to end the service)");
    }
    for e in deciding {
        line(out, e);
    }
    let addons: Vec<&Evidence> = assessment
        .evidence
        .iter()
        .filter(|e| e.ending == Ending::Addon && e.stance != Stance::Related)
        .collect();
    if !addons.is_empty() {
        let _ = writeln!(out, "# add-ons and other things ended (they do not decide)");
        for e in addons {
            line(out, e);
        }
    }
    let related: Vec<&Evidence> = assessment
        .evidence
        .iter()
        .filter(|e| e.stance == Stance::Related)
        .collect();
    if !related.is_empty() {
        let _ = writeln!(out, "# related wording (fees, refunds, notice)");
        for e in related {
            let _ = writeln!(
                out,
                "  [{:>3}] \"{}\"  ({})",
                e.block + 1,
                e.sentence,
                e.concepts.join(", ")
            );
        }
    }
    if let Some(v) = assessment.addon {
        let _ = writeln!(out, "ADD-ON online-cancellation: {v}");
    }
    if let Some(later) = &assessment.answered_by {
        let _ = writeln!(
            out,
            "LATER WORD \"{later}\" answers the page: earlier statements are set aside"
        );
    }
    if let Some(group) = assessment.group_answered() {
        let _ = writeln!(
            out,
            "FOR {group}: the page is written for them, and the headline answers for them"
        );
    }
    for (product, v) in &assessment.products {
        let _ = writeln!(out, "PRODUCT {product} online-cancellation: {v}");
    }
    if let Some(v) = assessment.qualified_apart() {
        let _ = writeln!(
            out,
            "QUALIFIED online-cancellation (some products or places): {v}"
        );
    }
}

/// How the statements were weighed into the headline: a `WEIGHED` line when the weighing
/// moved it off the rules' answer; with `all`, every feature and each answer's probability.
fn push_weighing(out: &mut String, assessment: &Assessment, all: bool) {
    if !all && assessment.rules_read.is_none() {
        return;
    }
    let w = weigh::decide(assessment);
    if all {
        let _ = writeln!(out, "# weighing (features of the rules' reading)");
        for (name, value) in &w.features {
            let _ = writeln!(out, "  FEATURE {name} = {value}");
        }
    }
    let scores: Vec<String> = w
        .scores
        .iter()
        .map(|(v, p)| format!("{v} {p:.2}"))
        .collect();
    let telling: Vec<String> = w
        .telling
        .iter()
        .map(|(name, by)| format!("{name} (+{by:.2})"))
        .collect();
    let _ = writeln!(
        out,
        "WEIGHED the rules read {}; weighed together, the statements read {} ({}){}",
        w.rules,
        w.verdict,
        scores.join(", "),
        if telling.is_empty() {
            String::new()
        } else {
            format!("; moved most by {}", telling.join(", "))
        }
    );
}
