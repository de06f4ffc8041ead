//! The alert rules as a table: (state, observation, confirmation, now) → (state, commit, notices).

use super::*;
use crate::config::Heartbeat;
use crate::extract::lexicon::Lexicon;
use crate::extract::verdict::assess;

const NOW: i64 = 1_800_000_000;
const DAY: i64 = REMINDER_INTERVAL;
const URL: &str = "http://shop.example/terms";
const HASH: [u8; 32] = [7; 32];
const OLD_HASH: [u8; 32] = [1; 32];

/// Texts a page can give.
#[derive(Clone, Copy, Debug)]
enum T {
    /// Online cancellation supported.
    Online,
    /// As `Online`, with other wording changed.
    OnlineReworded,
    /// Cancellation only in shops: the verdict flips.
    Shops,
    /// No cancellation wording at all.
    None,
}

fn text(t: T) -> Extracted {
    let second = match t {
        T::Online | T::OnlineReworded => "You may cancel the service online via My Account.",
        T::Shops => "The service can be cancelled only at our shops.",
        T::None => "Prices are listed below.",
    };
    let first = match t {
        T::OnlineReworded => "Terms of service (2026 edition)",
        _ => "Terms of service",
    };
    let blocks = vec![first.to_string(), second.to_string()];
    let assessment = assess(Lexicon::builtin(), &blocks);
    Extracted {
        blocks,
        contexts: Vec::new(),
        assessment,
    }
}

/// An observation, owned, for the table.
#[derive(Clone, Debug)]
enum Obs {
    Failed(&'static str),
    NotModified,
    Missing,
    Content {
        current: Option<T>,
        new: T,
        moved_to: Option<&'static str>,
        earlier: Option<i64>,
    },
}

fn content(current: T, new: T) -> Obs {
    Obs::Content {
        current: Some(current),
        new,
        moved_to: None,
        earlier: None,
    }
}

fn moved(current: Option<T>, to: &'static str) -> Obs {
    Obs::Content {
        current,
        new: T::Online,
        moved_to: Some(to),
        earlier: None,
    }
}

fn settings() -> AlertSettings {
    AlertSettings {
        confirm_delay: std::time::Duration::ZERO,
        lost_after: 2,
        failures_before_alert: 3,
        digest: Digest::Daily,
        heartbeat: Heartbeat::Weekly,
    }
}

/// A target with a stored version, fetched with validators.
fn base() -> TargetState {
    TargetState {
        etag: Some("\"old\"".into()),
        last_modified: None,
        page_hash: Some(OLD_HASH),
        fingerprint: Some("fp".into()),
        ..TargetState::default()
    }
}

/// `base()` once a page has been accepted: its validators and hash.
fn accepted() -> TargetState {
    TargetState {
        etag: Some("\"new\"".into()),
        page_hash: Some(HASH),
        ..base()
    }
}

/// `base()` after a page that was not accepted: no validators, the old hash.
fn unvalidated() -> TargetState {
    TargetState {
        etag: None,
        ..base()
    }
}

fn failing(streak: i64, alerted_at: i64, reminded_at: Option<i64>) -> TargetState {
    TargetState {
        failure_streak: streak,
        failing_alerted_at: Some(alerted_at),
        failing_reminded_at: reminded_at,
        ..base()
    }
}

/// What a row expects, with the commit as a short readable line.
struct Row {
    name: &'static str,
    state: TargetState,
    settings: AlertSettings,
    obs: Obs,
    confirmation: Option<Confirmation>,
    now: i64,
    /// `None`: a confirmation is asked for.
    expect: Option<(TargetState, &'static str, Vec<Notice>)>,
}

fn row(
    name: &'static str,
    state: TargetState,
    obs: Obs,
    confirmation: Option<Confirmation>,
    expect: Option<(TargetState, &'static str, Vec<Notice>)>,
) -> Row {
    Row {
        name,
        state,
        settings: settings(),
        obs,
        confirmation,
        now: NOW,
        expect,
    }
}

fn summary(c: &Commit) -> String {
    match c {
        Commit::Failed(cause) => format!("failed: {cause}"),
        Commit::Seen => "seen".into(),
        Commit::Held { kind, note } => format!("{}: {note}", kind.status().as_str()),
        Commit::First => "first".into(),
        Commit::Rebaseline => "rebaseline".into(),
        Commit::Changed(r) => format!(
            "{} {}{}{}",
            r.kind.as_str(),
            r.change.severity.as_str(),
            if r.digest { " digest" } else { "" },
            r.reverted_to
                .map(|t| format!(" reverted to {t}"))
                .unwrap_or_default()
        ),
    }
}

fn run(r: &Row) -> Step {
    let texts: Vec<Extracted> = match &r.obs {
        Obs::Content { current, new, .. } => {
            vec![text(*new), text(current.unwrap_or(T::None))]
        }
        _ => Vec::new(),
    };
    let validators = Validators {
        etag: Some("\"new\"".into()),
        last_modified: None,
    };
    let moved_url: Option<Url> = match &r.obs {
        Obs::Content { moved_to, .. } => moved_to.map(|u| u.parse().unwrap()),
        _ => None,
    };
    let observed = match &r.obs {
        Obs::Failed(cause) => Observed::Failed { cause },
        Obs::NotModified => Observed::NotModified,
        Obs::Missing => Observed::Missing {
            url: URL,
            cause: "selector `main` matches nothing",
        },
        Obs::Content {
            current, earlier, ..
        } => Observed::Content(Content {
            seen: Seen {
                requested: URL,
                validators: &validators,
                page_hash: HASH,
                cut_hash: None,
                moved_to: moved_url.as_ref(),
            },
            extracted: &texts[0],
            current: current.map(|_| Text {
                blocks: &texts[1].blocks,
                assessment: &texts[1].assessment,
            }),
            earlier: *earlier,
        }),
    };
    decide(
        &r.state,
        &observed,
        r.confirmation.as_ref(),
        r.now,
        &r.settings,
    )
}

fn rows() -> Vec<Row> {
    let agrees = Some(Confirmation::Agrees);
    let mut rows = vec![
        // Failures: silent below the threshold, one alert at it, then a daily reminder.
        row(
            "first failure is silent",
            base(),
            Obs::Failed("timeout after 30 s"),
            None,
            Some((
                TargetState {
                    failure_streak: 1,
                    ..base()
                },
                "failed: timeout after 30 s",
                vec![],
            )),
        ),
        row(
            "second failure of three is silent",
            TargetState {
                failure_streak: 1,
                ..base()
            },
            Obs::Failed("HTTP 503"),
            None,
            Some((
                TargetState {
                    failure_streak: 2,
                    ..base()
                },
                "failed: HTTP 503",
                vec![],
            )),
        ),
        row(
            "third failure alerts",
            TargetState {
                failure_streak: 2,
                ..base()
            },
            Obs::Failed("HTTP 503"),
            None,
            Some((
                failing(3, NOW, None),
                "failed: HTTP 503",
                vec![Notice::Failing {
                    streak: 3,
                    cause: "HTTP 503".into(),
                }],
            )),
        ),
        row(
            "no reminder at 23:59:59",
            failing(5, NOW - DAY + 1, None),
            Obs::Failed("HTTP 503"),
            None,
            Some((failing(6, NOW - DAY + 1, None), "failed: HTTP 503", vec![])),
        ),
        row(
            "a reminder at 24 h",
            failing(5, NOW - DAY, None),
            Obs::Failed("HTTP 503"),
            None,
            Some((
                failing(6, NOW - DAY, Some(NOW)),
                "failed: HTTP 503",
                vec![Notice::StillFailing {
                    streak: 6,
                    cause: "HTTP 503".into(),
                }],
            )),
        ),
        row(
            "the next reminder counts from the last one",
            failing(9, NOW - 3 * DAY, Some(NOW - DAY + 60)),
            Obs::Failed("HTTP 503"),
            None,
            Some((
                failing(10, NOW - 3 * DAY, Some(NOW - DAY + 60)),
                "failed: HTTP 503",
                vec![],
            )),
        ),
        row(
            "a 304 after a failing alert is a recovery",
            failing(4, NOW - 60, Some(NOW - 30)),
            Obs::NotModified,
            None,
            Some((base(), "seen", vec![Notice::Recovered { streak: 4 }])),
        ),
        row(
            "failures below the threshold end silently",
            TargetState {
                failure_streak: 2,
                ..base()
            },
            Obs::NotModified,
            None,
            Some((base(), "seen", vec![])),
        ),
        row(
            "content after a failing alert is a recovery",
            failing(3, NOW - 60, None),
            content(T::Online, T::Online),
            None,
            Some((accepted(), "seen", vec![Notice::Recovered { streak: 3 }])),
        ),
        // The selection missing: lost after `lost_after` checks, once; failures untouched.
        row(
            "selection missing once of two",
            TargetState {
                failure_streak: 2,
                ..base()
            },
            Obs::Missing,
            None,
            Some((
                TargetState {
                    failure_streak: 2,
                    lost_streak: 1,
                    ..unvalidated()
                },
                "failed: selector `main` matches nothing",
                vec![],
            )),
        ),
        row(
            "selection missing twice is lost",
            TargetState {
                lost_streak: 1,
                ..base()
            },
            Obs::Missing,
            None,
            Some((
                TargetState {
                    lost_streak: 2,
                    evidence_lost: Lost::Selection,
                    ..unvalidated()
                },
                "failed: selector `main` matches nothing",
                vec![Notice::SelectionLost {
                    url: URL.into(),
                    cause: "selector `main` matches nothing".into(),
                    streak: 2,
                }],
            )),
        ),
        row(
            "a lost selection is reported once",
            TargetState {
                lost_streak: 2,
                evidence_lost: Lost::Selection,
                ..base()
            },
            Obs::Missing,
            None,
            Some((
                TargetState {
                    lost_streak: 3,
                    evidence_lost: Lost::Selection,
                    ..unvalidated()
                },
                "failed: selector `main` matches nothing",
                vec![],
            )),
        ),
        row(
            "the selection back unchanged",
            TargetState {
                lost_streak: 4,
                evidence_lost: Lost::Selection,
                ..base()
            },
            content(T::Online, T::Online),
            None,
            Some((accepted(), "seen", vec![Notice::EvidenceBack])),
        ),
        row(
            "the selection back without its wording stays lost, and is not called back",
            TargetState {
                lost_streak: 4,
                evidence_lost: Lost::Selection,
                ..base()
            },
            content(T::Online, T::None),
            agrees.clone(),
            Some((
                TargetState {
                    lost_streak: 4,
                    evidence_lost: Lost::Wording,
                    ..accepted()
                },
                "change verdict",
                vec![],
            )),
        ),
        row(
            "the selection back changed, confirmed",
            TargetState {
                lost_streak: 4,
                evidence_lost: Lost::Selection,
                ..base()
            },
            content(T::Online, T::Shops),
            agrees.clone(),
            Some((accepted(), "change verdict", vec![Notice::EvidenceBack])),
        ),
        // Cancellation wording vanishing from a loading page.
        row(
            "wording missing for lost_after - 1 checks is held",
            base(),
            content(T::Online, T::None),
            None,
            Some((
                TargetState {
                    lost_streak: 1,
                    ..unvalidated()
                },
                "held: cancellation wording missing, 1 of 2 checks before an alert",
                vec![],
            )),
        ),
        row(
            "wording missing for lost_after checks asks for a confirmation",
            TargetState {
                lost_streak: 1,
                ..base()
            },
            content(T::Online, T::None),
            None,
            None,
        ),
        row(
            "wording missing, confirmed: evidence lost",
            TargetState {
                lost_streak: 1,
                ..base()
            },
            content(T::Online, T::None),
            agrees.clone(),
            Some((
                TargetState {
                    lost_streak: 2,
                    evidence_lost: Lost::Wording,
                    ..accepted()
                },
                "evidence-lost verdict",
                vec![],
            )),
        ),
        row(
            "wording missing, not confirmed: flapping",
            TargetState {
                lost_streak: 1,
                ..base()
            },
            content(T::Online, T::None),
            Some(Confirmation::Disagrees),
            Some((
                TargetState {
                    lost_streak: 2,
                    ..unvalidated()
                },
                "flapping: flapping: a second fetch disagreed",
                vec![],
            )),
        ),
        row(
            "lost wording stays lost while the text stays",
            TargetState {
                lost_streak: 2,
                evidence_lost: Lost::Wording,
                ..base()
            },
            content(T::None, T::None),
            None,
            Some((
                TargetState {
                    evidence_lost: Lost::Wording,
                    ..accepted()
                },
                "seen",
                vec![],
            )),
        ),
        row(
            "lost wording back, confirmed",
            TargetState {
                lost_streak: 2,
                evidence_lost: Lost::Wording,
                ..base()
            },
            content(T::None, T::Online),
            agrees.clone(),
            Some((accepted(), "evidence-back verdict", vec![])),
        ),
        // Changes: confirmed, digest routing, reverts, flapping.
        row(
            "a target's first text",
            TargetState {
                lost_streak: 1,
                rebaseline_pending: true,
                ..TargetState::default()
            },
            Obs::Content {
                current: None,
                new: T::Online,
                moved_to: None,
                earlier: None,
            },
            None,
            Some((
                TargetState {
                    etag: Some("\"new\"".into()),
                    page_hash: Some(HASH),
                    ..TargetState::default()
                },
                "first",
                vec![],
            )),
        ),
        row(
            "same text: seen, validators kept",
            base(),
            content(T::Online, T::Online),
            None,
            Some((accepted(), "seen", vec![])),
        ),
        row(
            "a change asks for a confirmation",
            base(),
            content(T::Online, T::Shops),
            None,
            None,
        ),
        row(
            "a verdict change, confirmed",
            base(),
            content(T::Online, T::Shops),
            agrees.clone(),
            Some((accepted(), "change verdict", vec![])),
        ),
        row(
            "a wording change waits for the digest",
            base(),
            content(T::Online, T::OnlineReworded),
            agrees.clone(),
            Some((accepted(), "change wording digest", vec![])),
        ),
        row(
            "a change the second fetch disagrees with is flapping",
            base(),
            content(T::Online, T::Shops),
            Some(Confirmation::Disagrees),
            Some((
                unvalidated(),
                "flapping: flapping: a second fetch disagreed",
                vec![],
            )),
        ),
        row(
            "a change whose second fetch fails is flapping",
            base(),
            content(T::Online, T::Shops),
            Some(Confirmation::Failed("timeout after 30 s".into())),
            Some((
                unvalidated(),
                "flapping: change not confirmed: timeout after 30 s",
                vec![],
            )),
        ),
        row(
            "after a flap, a 304 is the current version seen again",
            unvalidated(),
            Obs::NotModified,
            None,
            Some((unvalidated(), "seen", vec![])),
        ),
        row(
            "a revert to an older version",
            base(),
            Obs::Content {
                current: Some(T::Shops),
                new: T::Online,
                moved_to: None,
                earlier: Some(NOW - 7 * DAY),
            },
            agrees.clone(),
            Some((accepted(), "change verdict reverted to 1799395200", vec![])),
        ),
        // Configuration edits.
        row(
            "a pending rebaseline takes changed text without confirmation or alert",
            TargetState {
                rebaseline_pending: true,
                lost_streak: 1,
                ..base()
            },
            content(T::Online, T::Shops),
            None,
            Some((accepted(), "rebaseline", vec![])),
        ),
        row(
            "a pending rebaseline with the same text ends",
            TargetState {
                rebaseline_pending: true,
                ..base()
            },
            content(T::Online, T::Online),
            None,
            Some((accepted(), "seen", vec![])),
        ),
        // Permanent redirects.
        row(
            "a move is reported",
            base(),
            moved(Some(T::Online), "https://new.example/terms"),
            None,
            Some((
                TargetState {
                    moved_to: Some("https://new.example/terms".into()),
                    ..accepted()
                },
                "seen",
                vec![Notice::Moved {
                    to: "https://new.example/terms".into(),
                }],
            )),
        ),
        row(
            "a move is reported once",
            TargetState {
                moved_to: Some("https://new.example/terms".into()),
                ..base()
            },
            moved(Some(T::Online), "https://new.example/terms"),
            None,
            Some((
                TargetState {
                    moved_to: Some("https://new.example/terms".into()),
                    ..accepted()
                },
                "seen",
                vec![],
            )),
        ),
        row(
            "an https upgrade is not news",
            base(),
            moved(Some(T::Online), "https://shop.example/terms"),
            None,
            Some((
                TargetState {
                    moved_to: Some("https://shop.example/terms".into()),
                    ..accepted()
                },
                "seen",
                vec![],
            )),
        ),
        row(
            "no move is reported on a first check",
            TargetState::default(),
            moved(None, "https://new.example/terms"),
            None,
            Some((
                TargetState {
                    moved_to: Some("https://new.example/terms".into()),
                    etag: Some("\"new\"".into()),
                    page_hash: Some(HASH),
                    ..TargetState::default()
                },
                "first",
                vec![],
            )),
        ),
        row(
            "a redirect that went away is remembered",
            TargetState {
                moved_to: Some("https://new.example/terms".into()),
                ..base()
            },
            content(T::Online, T::Online),
            None,
            Some((
                TargetState {
                    moved_to: Some("https://new.example/terms".into()),
                    ..accepted()
                },
                "seen",
                vec![],
            )),
        ),
        row(
            "a move to another place is reported",
            TargetState {
                moved_to: Some("https://new.example/terms".into()),
                ..base()
            },
            moved(Some(T::Online), "https://newer.example/terms"),
            None,
            Some((
                TargetState {
                    moved_to: Some("https://newer.example/terms".into()),
                    ..accepted()
                },
                "seen",
                vec![Notice::Moved {
                    to: "https://newer.example/terms".into(),
                }],
            )),
        ),
    ];
    // Rows that need other settings.
    rows.push(Row {
        settings: AlertSettings {
            digest: Digest::Off,
            ..settings()
        },
        ..row(
            "with the digest off a wording change goes out at once",
            base(),
            content(T::Online, T::OnlineReworded),
            agrees.clone(),
            Some((accepted(), "change wording", vec![])),
        )
    });
    rows.push(Row {
        settings: AlertSettings {
            failures_before_alert: 1,
            lost_after: 1,
            ..settings()
        },
        ..row(
            "failures_before_alert = 1 alerts at once",
            base(),
            Obs::Failed("HTTP 404"),
            None,
            Some((
                failing(1, NOW, None),
                "failed: HTTP 404",
                vec![Notice::Failing {
                    streak: 1,
                    cause: "HTTP 404".into(),
                }],
            )),
        )
    });
    rows.push(Row {
        settings: AlertSettings {
            lost_after: 1,
            ..settings()
        },
        ..row(
            "lost_after = 1 confirms missing wording at once",
            base(),
            content(T::Online, T::None),
            None,
            None,
        )
    });
    rows
}

#[test]
fn the_rules_table() {
    let mut failures = Vec::new();
    for r in rows() {
        let got = run(&r);
        let ok = match (&got, &r.expect) {
            (Step::Confirm, None) => true,
            (Step::Decided(d), Some((state, commit, notices))) => {
                d.state == *state && summary(&d.commit) == *commit && d.notices == *notices
            }
            _ => false,
        };
        if !ok {
            let got = match &got {
                Step::Confirm => "Confirm".to_string(),
                Step::Decided(d) => format!(
                    "state {:?}\n  commit {}\n  notices {:?}",
                    d.state,
                    summary(&d.commit),
                    d.notices
                ),
            };
            failures.push(format!("{}:\n  {got}", r.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_confirmation_in_hand_is_never_asked_for_again() {
    for mut r in rows() {
        for c in [
            Confirmation::Agrees,
            Confirmation::Disagrees,
            Confirmation::Failed("x".into()),
        ] {
            r.confirmation = Some(c);
            assert!(matches!(run(&r), Step::Decided(_)), "{}", r.name);
        }
    }
}

#[test]
fn a_confirmation_is_asked_for_only_when_a_change_is_reported() {
    // Where no confirmation is given and none is asked for, giving one changes nothing.
    for mut r in rows().into_iter().filter(|r| r.confirmation.is_none()) {
        let Step::Decided(without) = run(&r) else {
            continue;
        };
        r.confirmation = Some(Confirmation::Disagrees);
        assert_eq!(run(&r), Step::Decided(without), "{}", r.name);
    }
}

#[test]
fn kinds_are_the_outbox_kinds() {
    let kinds: Vec<&str> = [
        Notice::Failing {
            streak: 1,
            cause: String::new(),
        },
        Notice::StillFailing {
            streak: 1,
            cause: String::new(),
        },
        Notice::Recovered { streak: 1 },
        Notice::Moved { to: String::new() },
        Notice::SelectionLost {
            url: String::new(),
            cause: String::new(),
            streak: 1,
        },
        Notice::EvidenceBack,
    ]
    .iter()
    .map(Notice::kind)
    .collect();
    assert_eq!(
        kinds,
        [
            "failing",
            "failing-reminder",
            "recovered",
            "moved",
            "evidence-lost",
            "evidence-back"
        ]
    );
    assert_eq!(Held::Waiting.status(), CheckStatus::Held);
    assert_eq!(Held::Flapping.status(), CheckStatus::Flapping);
}

/// `decide_same` makes, without the text, exactly the decision `decide` makes for the same page
/// read in full and found identical to the current version; and it declines whenever the rules
/// would read the wording. Every state of the table, every kind of lost evidence, streaks,
/// a pending baseline, each with and without a redirect.
#[test]
fn a_page_known_to_give_the_current_text_is_decided_as_if_read() {
    let mut states: Vec<TargetState> = rows().into_iter().map(|r| r.state).collect();
    for lost in [Lost::No, Lost::Selection, Lost::Wording] {
        for lost_streak in [0, 1, 2] {
            for rebaseline_pending in [false, true] {
                states.push(TargetState {
                    evidence_lost: lost,
                    lost_streak,
                    rebaseline_pending,
                    ..failing(3, NOW - 2 * DAY, None)
                });
                states.push(TargetState {
                    evidence_lost: lost,
                    lost_streak,
                    rebaseline_pending,
                    moved_to: Some("https://elsewhere.example/terms".into()),
                    ..accepted()
                });
            }
        }
    }
    let validators = Validators {
        etag: Some("\"new\"".into()),
        last_modified: Some("Sun, 29 Nov 2026 00:00:00 GMT".into()),
    };
    let (mut decided, mut declined) = (0, 0);
    for t in [T::Online, T::None] {
        let ex = text(t);
        for state in &states {
            for moved in [
                None,
                Some("https://elsewhere.example/terms"),
                Some("https://shop.example/terms"),
            ] {
                let moved: Option<Url> = moved.map(|u| u.parse().unwrap());
                let seen = Seen {
                    requested: URL,
                    validators: &validators,
                    page_hash: HASH,
                    cut_hash: Some([9; 32]),
                    moved_to: moved.as_ref(),
                };
                let Some(fast) = decide_same(state, &seen, NOW, &settings()) else {
                    assert!(
                        state.evidence_lost != Lost::No
                            || state.lost_streak != 0
                            || state.rebaseline_pending,
                        "declined a plain state: {state:?}"
                    );
                    declined += 1;
                    continue;
                };
                let read = Observed::Content(Content {
                    seen,
                    extracted: &ex,
                    current: Some(Text {
                        blocks: &ex.blocks,
                        assessment: &ex.assessment,
                    }),
                    earlier: None,
                });
                let full = decide(state, &read, None, NOW, &settings());
                assert_eq!(
                    Step::Decided(Box::new(fast)),
                    full,
                    "state {state:?}, moved {moved:?}"
                );
                decided += 1;
            }
        }
    }
    assert!(
        decided > 20 && declined > 20,
        "{decided} decided, {declined} declined"
    );
}
