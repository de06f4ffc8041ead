//! Database growth (issue 7): 1000 targets checked hourly for 30 simulated days, through the
//! library's `Store::record`, with realistic check records: the extracted blocks of a 92 KiB
//! carrier page (`bench/sample-page.html`, ~125 blocks, each target's text made distinct), its
//! assessment, the raw page saved on each new version, and an alert per change. Most checks are
//! unchanged; each target changes about once every ten days; about 1 % of checks fail. Check
//! records are pruned daily with `Store::prune(now, [storage] keep_checks)` (90 days).
//!
//! `cargo bench --bench db_growth [-- --targets N --days D --keep-days K]`
//! Prints the file size at the end of every simulated week, then a summary line.

use std::path::Path;
use std::time::{Duration, Instant};

use policywatch::extract::Extractor;
use policywatch::extract::lexicon::Lexicon;
use policywatch::extract::verdict::assess;
use policywatch::store::{
    AlertMessage, CheckRecord, NewAlert, RawPage, RecordOutcome, Store, TargetState,
};

const PAGE: &str = include_str!("../bench/sample-page.html");
const START: i64 = 1_790_000_000;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator (xorshift), so every run stores the same rows.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.next().is_multiple_of(one_in)
    }
}

fn size_of(path: &Path) -> u64 {
    let wal = path.with_extension("sqlite3-wal");
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let targets = arg("--targets", 1000) as usize;
    let days = arg("--days", 30) as i64;
    let keep = Duration::from_secs(arg("--keep-days", 90) * 86_400);
    let lexicon = Lexicon::builtin();
    let template = Extractor::new(&["#policy".to_string()], &[])
        .unwrap()
        .texts(
            PAGE,
            &"https://www.example-carrier.hk/tnc/00000.html"
                .parse()
                .unwrap(),
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growth.sqlite3");
    let mut store = Store::open(&path).unwrap();

    let names: Vec<String> = (0..targets).map(|i| format!("p{i:05}")).collect();
    let urls: Vec<String> = (0..targets)
        .map(|i| format!("https://www.example-carrier.hk/tnc/{i:05}.html"))
        .collect();
    // Each target's current wording: the page's blocks with a target-specific first block and
    // a revision number in one policy sentence.
    let wording = |i: usize, revision: u32| -> Vec<String> {
        let mut b = template.clone();
        b[0] = format!("{} (plan {i})", b[0]);
        b[12] = format!(
            "Either party may terminate the service by giving not less than {} days' notice.",
            30 + revision
        );
        b
    };
    let mut revision = vec![0u32; targets];
    let mut current: Vec<(Vec<String>, policywatch::extract::verdict::Assessment)> = (0..targets)
        .map(|i| {
            let b = wording(i, 0);
            let a = assess(lexicon, &b);
            (b, a)
        })
        .collect();
    let state = TargetState {
        etag: Some("\"5f3a-62c1e9b0\"".into()),
        last_modified: Some("Tue, 24 Nov 2026 08:00:00 GMT".into()),
        fingerprint: Some("0123456789abcdef".into()),
        ..TargetState::default()
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut checks, mut changes, mut failures, mut pruned) = (0u64, 0u64, 0u64, 0usize);
    let clock = Instant::now();
    let hours = days * 24;
    println!(
        "targets={targets} days={days} keep_checks={}d",
        keep.as_secs() / 86_400
    );
    for hour in 0..hours {
        let now = START + hour * 3600;
        for i in 0..targets {
            let at = now + i as i64 % 60;
            checks += 1;
            let base = CheckRecord {
                target: &names[i],
                carrier: "3HK",
                url: &urls[i],
                started_at: at,
                duration: Duration::from_millis(40 + rng.next() % 200),
                http_status: Some(200),
                outcome: RecordOutcome::NotModified,
                state: &state,
                alerts: &[],
                raw: None,
                lease: None,
            };
            if hour > 0 && rng.chance(100) {
                failures += 1;
                store
                    .record(&CheckRecord {
                        http_status: Some(503),
                        outcome: RecordOutcome::Failed {
                            error: "HTTP 503 Service Unavailable",
                        },
                        ..base
                    })
                    .unwrap();
                continue;
            }
            // About one change per target every ten days (240 hourly checks).
            let change = hour == 0 || rng.chance(240);
            if change && hour > 0 {
                changes += 1;
                revision[i] += 1;
                let b = wording(i, revision[i]);
                let a = assess(lexicon, &b);
                current[i] = (b, a);
            }
            let (blocks, assessment) = &current[i];
            let alert = (change && hour > 0).then(|| NewAlert {
                message: AlertMessage {
                    kind: "change".into(),
                    message_id: format!("<{}.{at}@policywatch.invalid>", names[i]),
                    thread_id: Some(format!("<{}@policywatch.invalid>", names[i])),
                    subject: format!(
                        "[policywatch] 3HK: {}: cancellation wording changed",
                        names[i]
                    ),
                    body_text: blocks[..12].join("\n"),
                    body_html: Some(format!(
                        "<html><body><p>{}</p></body></html>",
                        blocks[..14].join("</p><p>")
                    )),
                },
                payload: serde_json::json!({"text": blocks[..12].join("\n")}).to_string(),
                digest: false,
            });
            let raw = change.then(|| RawPage {
                fetched_at: at,
                url: urls[i].clone(),
                body: policywatch::fetch::Body::Html(PAGE.replace("p00003", &names[i])),
            });
            store
                .record(&CheckRecord {
                    outcome: RecordOutcome::Content {
                        blocks,
                        assessment,
                        alert,
                        rebaseline: false,
                    },
                    raw: raw.as_ref(),
                    ..base
                })
                .unwrap();
        }
        // Alerts go out within the hour.
        store
            .route(now, "email", |_| vec!["email".to_string()])
            .unwrap();
        for d in store.pending_deliveries(None).unwrap() {
            store.delivery_sent(d.id, now + 60).unwrap();
        }
        if hour % 24 == 23 {
            pruned += store.prune(now + 3600, keep).unwrap();
        }
        if hour % (24 * 7) == 24 * 7 - 1 {
            println!(
                "day {:>3}: {:>8.1} MiB (with WAL), {checks} checks, {changes} changes",
                (hour + 1) / 24,
                mib(size_of(&path))
            );
        }
    }
    let elapsed = clock.elapsed();
    drop(store); // closing checkpoints the WAL into the main file
    let size = size_of(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    for (what, sql) in [
        ("checks", "SELECT count(*), 0 FROM checks"),
        (
            "versions",
            "SELECT count(*), coalesce(sum(length(text) + length(assessment)), 0) FROM versions",
        ),
        (
            "raw pages",
            "SELECT count(*), coalesce(sum(length(html)), 0) FROM raw_pages",
        ),
        (
            "outbox",
            "SELECT count(*), coalesce(sum(length(body_text) + length(body_html)), 0) FROM outbox",
        ),
    ] {
        let (rows, bytes): (i64, i64) = conn
            .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        println!(
            "{what:>9}: {rows:>7} rows, {:>7.1} MiB of payload",
            mib(bytes as u64)
        );
    }
    drop(conn);
    println!(
        "RESULT targets={targets} days={days} checks={checks} changes={changes} failures={failures} \
         pruned={pruned} size={:.1}MiB bytes_per_check={:.0} record_us={:.1} elapsed={:.1}s",
        mib(size),
        size as f64 / checks as f64,
        elapsed.as_secs_f64() * 1e6 / checks as f64,
        elapsed.as_secs_f64()
    );
}
