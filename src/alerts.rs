//! Alerts: the rules that decide, from what one check observed, what the target's state becomes
//! and what to report. A pure core: no I/O, no clock (the time is an argument), no wording (the
//! email text is `notify::report`'s job). `check` is the shell that fetches, asks [`decide`] and
//! carries out the answer.
//!
//! The rules:
//! - **Confirm before alerting.** A change (and wording that went missing for `lost_after`
//!   checks) is reported only after a second fetch agrees; otherwise it is held as *flapping*.
//!   [`decide`] asks for that fetch with [`Step::Confirm`] and is then asked again with the
//!   [`Confirmation`].
//! - **Reverts.** New text that was current before is reported as a revert to it.
//! - **Evidence lost and back.** A selection missing for `lost_after` checks in a row, or
//!   cancellation wording gone for as long (and confirmed), is reported once; its return once.
//!   Which of the two was lost is remembered, as they come back differently.
//! - **Failures.** Silent until `failures_before_alert` in a row; then one "failing", at most one
//!   reminder per [`REMINDER_INTERVAL`], and one "recovered" when the page answers again.
//! - **Moved.** A permanent redirect is reported once, never on a first check and never for a
//!   mere http → https upgrade of the same address.
//! - **Rebaseline.** After a selector or lexicon edit that could not be re-derived from the stored
//!   page, the next text becomes the baseline without an alert.
//! - **Digest.** With `digest = "daily"`, a change outside the cancellation wording waits for the
//!   digest.

use url::Url;

use crate::config::{AlertSettings, Digest};
use crate::diff::{Change, Severity, Side, diff};
use crate::extract::extracted::Extracted;
use crate::extract::verdict::Assessment;
use crate::fetch::Validators;
use crate::store::{CheckStatus, Lost, TargetState};

/// How often a target that stays failing is mentioned again.
pub const REMINDER_INTERVAL: i64 = 24 * 3600;

/// What one check observed.
#[derive(Debug, Clone, Copy)]
pub enum Observed<'a> {
    /// No page: the fetch failed with this cause.
    Failed { cause: &'a str },
    /// 304 Not Modified: the page is as it was when the current version was taken.
    NotModified,
    /// The page at `url` loaded, but the watched selection is missing (`cause` says how).
    Missing { url: &'a str, cause: &'a str },
    /// The page loaded and gave text.
    Content(Content<'a>),
}

/// A page that gave text, beside what is stored.
#[derive(Debug, Clone, Copy)]
pub struct Content<'a> {
    /// How the page was fetched.
    pub seen: Seen<'a>,
    pub extracted: &'a Extracted,
    /// The current version; `None` on a target's first check.
    pub current: Option<Text<'a>>,
    /// When this text was first seen, if it was a version of this target before (a revert).
    pub earlier: Option<i64>,
}

/// How a page that gave text was fetched: what the rules keep of it besides its text. Alone, it
/// is a page known to give the current version's text without being read, its bytes or its
/// pre-selection cut being those of the page that gave it (see [`decide_same`]).
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    /// The target's configured URL (a redirect from it is judged against it).
    pub requested: &'a str,
    /// The page's validators and hash, kept once its text is accepted as current.
    pub validators: &'a Validators,
    pub page_hash: [u8; 32],
    /// The hash of the page's pre-selection cut, when it could be cut.
    pub cut_hash: Option<[u8; 32]>,
    /// Where the chain's first permanent redirect led.
    pub moved_to: Option<&'a Url>,
}

/// Stored text and its assessment.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    pub blocks: &'a [String],
    pub assessment: &'a Assessment,
}

/// The second fetch of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// Same text (or 304).
    Agrees,
    /// Other text, or no selection.
    Disagrees,
    /// The second fetch failed with this cause.
    Failed(String),
}

/// What [`decide`] answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Fetch again after `confirm_delay` and call [`decide`] again with the [`Confirmation`];
    /// nothing is committed yet. Never returned when a confirmation is given.
    Confirm,
    Decided(Box<Decision>),
}

/// The target's new state, what to commit, and the notices to queue with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub state: TargetState,
    pub commit: Commit,
    pub notices: Vec<Notice>,
}

/// What the check commits.
#[derive(Debug, Clone, PartialEq)]
pub enum Commit {
    /// An error check with this cause; no version.
    Failed(String),
    /// The current version seen again (304, or the same text).
    Seen,
    /// A change not accepted (yet); no version.
    Held { kind: Held, note: String },
    /// The target's first version; no alert.
    First,
    /// A new current version, reported.
    Changed(Report),
    /// A new current version after a configuration edit; no alert.
    Rebaseline,
}

/// Why a change is held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Wording missing for fewer checks than `lost_after`.
    Waiting,
    /// A second fetch disagreed or failed.
    Flapping,
}

impl Held {
    /// The check status stored for it.
    pub fn status(self) -> CheckStatus {
        match self {
            Held::Waiting => CheckStatus::Held,
            Held::Flapping => CheckStatus::Flapping,
        }
    }
}

/// A reported change of text: the alert that goes with the new version.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub change: Change,
    pub kind: ChangeKind,
    /// When the new text was first seen before (a revert).
    pub reverted_to: Option<i64>,
    /// Waits for the daily digest.
    pub digest: bool,
}

/// What a reported change means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Change,
    /// The change removed the last cancellation wording.
    EvidenceLost,
    /// The change brought cancellation wording back.
    EvidenceBack,
}

impl ChangeKind {
    /// The outbox kind.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Change => "change",
            ChangeKind::EvidenceLost => "evidence-lost",
            ChangeKind::EvidenceBack => "evidence-back",
        }
    }
}

/// An alert about the target's state rather than its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// `streak` checks in a row failed; the latest with `cause`.
    Failing { streak: i64, cause: String },
    /// Still failing, a reminder.
    StillFailing { streak: i64, cause: String },
    /// The page answers again after `streak` failures.
    Recovered { streak: i64 },
    /// A permanent redirect to `to`.
    Moved { to: String },
    /// The selection at `url` has been missing for `streak` checks.
    SelectionLost {
        url: String,
        cause: String,
        streak: i64,
    },
    /// The selection or its wording is back.
    EvidenceBack,
}

impl Notice {
    /// The outbox kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::Failing { .. } => "failing",
            Notice::StillFailing { .. } => "failing-reminder",
            Notice::Recovered { .. } => "recovered",
            Notice::Moved { .. } => "moved",
            Notice::SelectionLost { .. } => "evidence-lost",
            Notice::EvidenceBack => "evidence-back",
        }
    }
}

/// The rules: `state` is the target's state before this check, `now` the check's start.
pub fn decide(
    state: &TargetState,
    observed: &Observed<'_>,
    confirmation: Option<&Confirmation>,
    now: i64,
    settings: &AlertSettings,
) -> Step {
    let mut rules = Rules {
        state: state.clone(),
        notices: Vec::new(),
        settings,
        now,
    };
    let commit = match observed {
        Observed::Failed { cause } => rules.failed(cause),
        Observed::NotModified => {
            rules.reachable();
            Commit::Seen
        }
        Observed::Missing { url, cause } => rules.missing(url, cause),
        Observed::Content(content) => {
            rules.reachable();
            rules.moved(&content.seen, content.current.is_some());
            match rules.content(content, confirmation) {
                Some(commit) => commit,
                None => return Step::Confirm,
            }
        }
    };
    Step::Decided(Box::new(Decision {
        state: rules.state,
        commit,
        notices: rules.notices,
    }))
}

/// The rules for a page that gives the current version's text ([`Seen`] alone), when they need
/// nothing of that text: the decision [`decide`] makes for the same page as
/// [`Observed::Content`] with the current version as both its text and the stored one, made
/// without loading the version. `None` when the rules would read the text's wording (evidence
/// lost, a wording streak counting, a baseline pending): load the version and call [`decide`].
pub fn decide_same(
    state: &TargetState,
    seen: &Seen<'_>,
    now: i64,
    settings: &AlertSettings,
) -> Option<Decision> {
    if state.evidence_lost != Lost::No || state.lost_streak != 0 || state.rebaseline_pending {
        return None;
    }
    let mut rules = Rules {
        state: state.clone(),
        notices: Vec::new(),
        settings,
        now,
    };
    rules.reachable();
    rules.moved(seen, true);
    rules.accept(seen);
    Some(Decision {
        state: rules.state,
        commit: Commit::Seen,
        notices: rules.notices,
    })
}

/// One decision in progress.
struct Rules<'s> {
    state: TargetState,
    notices: Vec<Notice>,
    settings: &'s AlertSettings,
    now: i64,
}

impl Rules<'_> {
    fn failed(&mut self, cause: &str) -> Commit {
        let s = &mut self.state;
        s.failure_streak += 1;
        match s.failing_alerted_at {
            None if s.failure_streak >= i64::from(self.settings.failures_before_alert) => {
                s.failing_alerted_at = Some(self.now);
                self.notices.push(Notice::Failing {
                    streak: s.failure_streak,
                    cause: cause.to_string(),
                });
            }
            Some(alerted) => {
                let last = s.failing_reminded_at.unwrap_or(alerted);
                if self.now - last >= REMINDER_INTERVAL {
                    s.failing_reminded_at = Some(self.now);
                    self.notices.push(Notice::StillFailing {
                        streak: s.failure_streak,
                        cause: cause.to_string(),
                    });
                }
            }
            None => {}
        }
        Commit::Failed(cause.to_string())
    }

    /// The page answered (content or 304): a failure streak ends.
    fn reachable(&mut self) {
        let s = &mut self.state;
        if s.failing_alerted_at.is_some() {
            self.notices.push(Notice::Recovered {
                streak: s.failure_streak,
            });
        }
        s.failure_streak = 0;
        s.failing_alerted_at = None;
        s.failing_reminded_at = None;
    }

    /// The page loads, so the host is fine, but "recovered" would be misleading: failure streaks
    /// are left as they are and the selection counts as lost.
    fn missing(&mut self, url: &str, cause: &str) -> Commit {
        let s = &mut self.state;
        // A page without the selection must be fetched in full next time.
        s.etag = None;
        s.last_modified = None;
        s.lost_streak += 1;
        if s.lost_streak >= i64::from(self.settings.lost_after) && s.evidence_lost == Lost::No {
            s.evidence_lost = Lost::Selection;
            self.notices.push(Notice::SelectionLost {
                url: url.to_string(),
                cause: cause.to_string(),
                streak: s.lost_streak,
            });
        }
        Commit::Failed(cause.to_string())
    }

    /// A permanent redirect is reported once, never on a first check, never for http → https.
    /// The last destination is kept when a fetch is not redirected: a redirect that comes and
    /// goes (a migration half done, servers behind one name that disagree) is told once, not at
    /// every return. A new destination is news.
    fn moved(&mut self, seen: &Seen<'_>, has_current: bool) {
        let Some(to) = seen.moved_to else {
            return;
        };
        let worth_telling = has_current && !only_upgraded_to_https(seen.requested, to);
        let to = to.to_string();
        if worth_telling && self.state.moved_to.as_deref() != Some(to.as_str()) {
            self.notices.push(Notice::Moved { to: to.clone() });
        }
        self.state.moved_to = Some(to);
    }

    /// This page's text is (or becomes) the current version: its validators and hash are kept.
    fn accept(&mut self, seen: &Seen<'_>) {
        self.state.etag = seen.validators.etag.clone();
        self.state.last_modified = seen.validators.last_modified.clone();
        self.state.page_hash = Some(seen.page_hash);
        self.state.cut_hash = seen.cut_hash;
    }

    fn evidence_back(&mut self) {
        self.state.evidence_lost = Lost::No;
        self.state.lost_streak = 0;
        self.notices.push(Notice::EvidenceBack);
    }

    /// `None` when a confirmation is needed and not given.
    fn content(&mut self, c: &Content<'_>, confirmation: Option<&Confirmation>) -> Option<Commit> {
        // Validators are kept only for content that is accepted; a held or flapping page must
        // be fetched in full next time, or a 304 would hide it for good. The page hash stays: it
        // still names a page that gives the current version.
        self.state.etag = None;
        self.state.last_modified = None;
        let ex = c.extracted;
        let has_wording = ex.assessment.cancellation_blocks.iter().any(|b| *b);
        let Some(current) = c.current else {
            self.state.lost_streak = 0;
            self.state.rebaseline_pending = false;
            self.accept(&c.seen);
            return Some(Commit::First);
        };
        if self.state.evidence_lost == Lost::Selection {
            let had_wording = current.assessment.cancellation_blocks.iter().any(|b| *b);
            if has_wording || !had_wording {
                // The selection is back, changed or not, with what it had to lose.
                self.evidence_back();
            } else {
                // The region is back without the cancellation wording: the evidence is still
                // lost (already told), now as wording; its return will be the one "back" alert.
                self.state.evidence_lost = Lost::Wording;
            }
        }
        let Some(change) = changed(current, ex) else {
            if self.state.evidence_lost == Lost::Wording && has_wording {
                self.evidence_back();
            }
            self.state.lost_streak = 0;
            self.state.rebaseline_pending = false;
            self.accept(&c.seen);
            return Some(Commit::Seen);
        };
        if self.state.rebaseline_pending {
            self.state.rebaseline_pending = false;
            self.state.lost_streak = 0;
            self.accept(&c.seen);
            return Some(Commit::Rebaseline);
        }
        let had_wording = current.assessment.cancellation_blocks.iter().any(|b| *b);
        let losing_wording = had_wording && !has_wording && self.state.evidence_lost == Lost::No;
        if losing_wording {
            self.state.lost_streak += 1;
            if self.state.lost_streak < i64::from(self.settings.lost_after) {
                let note = format!(
                    "cancellation wording missing, {} of {} checks before an alert",
                    self.state.lost_streak, self.settings.lost_after
                );
                return Some(Commit::Held {
                    kind: Held::Waiting,
                    note,
                });
            }
        }
        // Only what two fetches agree on is reported.
        match confirmation? {
            Confirmation::Agrees => {}
            Confirmation::Disagrees => return Some(flapping("flapping: a second fetch disagreed")),
            Confirmation::Failed(cause) => {
                return Some(flapping(&format!("change not confirmed: {cause}")));
            }
        }
        self.accept(&c.seen);
        let report = if losing_wording {
            self.state.evidence_lost = Lost::Wording;
            Report {
                change,
                kind: ChangeKind::EvidenceLost,
                reverted_to: None,
                digest: false,
            }
        } else {
            let back = self.state.evidence_lost == Lost::Wording && has_wording;
            if back {
                self.state.evidence_lost = Lost::No;
            }
            if has_wording {
                self.state.lost_streak = 0;
            }
            let digest = !back
                && change.severity == Severity::Wording
                && self.settings.digest == Digest::Daily;
            Report {
                change,
                kind: if back {
                    ChangeKind::EvidenceBack
                } else {
                    ChangeKind::Change
                },
                reverted_to: c.earlier,
                digest,
            }
        };
        Some(Commit::Changed(report))
    }
}

fn flapping(note: &str) -> Commit {
    Commit::Held {
        kind: Held::Flapping,
        note: note.to_string(),
    }
}

/// The change from the current version to a new extraction, if any.
fn changed(current: Text<'_>, ex: &Extracted) -> Option<Change> {
    diff(
        &Side {
            blocks: current.blocks,
            cancellation: &current.assessment.cancellation_blocks,
            contexts: &[],
            verdict: current.assessment.verdict,
        },
        &Side {
            blocks: &ex.blocks,
            cancellation: &ex.assessment.cancellation_blocks,
            contexts: &ex.contexts,
            verdict: ex.assessment.verdict,
        },
    )
}

/// A move from http:// to https:// of the same address is housekeeping, not news.
fn only_upgraded_to_https(from: &str, to: &Url) -> bool {
    Url::parse(from).is_ok_and(|f| {
        f.scheme() == "http"
            && to.scheme() == "https"
            && f.host_str() == to.host_str()
            && f.path() == to.path()
            && f.query() == to.query()
    })
}

#[cfg(test)]
mod tests;
