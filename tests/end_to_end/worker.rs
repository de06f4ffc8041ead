//! The check worker's side of the protocol (`policywatch::worker::serve`) in-process, over pipes:
//! a real HTTP server, a real SQLite file, the config as the daemon would send it.

use crate::common;

use std::time::Duration;

use policywatch::worker::{Header, Hello, MAX_ORDER_LINE, Order, Report, serve};
use tokio::io::{AsyncWriteExt, BufReader, DuplexStream};

use common::*;

/// A worker serving on pipes: (its input, its output, the task).
struct Piped {
    input: Option<DuplexStream>,
    output: BufReader<DuplexStream>,
    task: tokio::task::JoinHandle<Result<(), policywatch::worker::WorkerError>>,
}

fn start() -> Piped {
    let (input, worker_in) = tokio::io::duplex(1 << 16);
    let (worker_out, output) = tokio::io::duplex(1 << 16);
    let task = tokio::spawn(serve(BufReader::new(worker_in), worker_out));
    Piped {
        input: Some(input),
        output: BufReader::new(output),
        task,
    }
}

impl Piped {
    async fn send(&mut self, line: &[u8]) {
        let input = self.input.as_mut().expect("input still open");
        input.write_all(line).await.unwrap();
        input.write_all(b"\n").await.unwrap();
    }

    async fn send_json(&mut self, value: &impl serde::Serialize) {
        self.send(&serde_json::to_vec(value).unwrap()).await;
    }

    async fn read<T: serde::de::DeserializeOwned>(&mut self) -> T {
        let mut buf = Vec::new();
        let read = tokio::time::timeout(
            Duration::from_secs(20),
            policywatch::worker::read_line(&mut self.output, 1 << 20, &mut buf),
        )
        .await
        .expect("the worker answers")
        .unwrap();
        assert!(read, "the worker's output ended");
        serde_json::from_slice(&buf).unwrap()
    }

    async fn close(&mut self) -> Result<(), policywatch::worker::WorkerError> {
        self.input.take();
        tokio::time::timeout(Duration::from_secs(20), &mut self.task)
            .await
            .expect("the worker ends with its input")
            .unwrap()
    }
}

fn header(env: &Env, lexicon: Option<String>) -> Header {
    Header {
        config_path: env.config.clone(),
        config: std::fs::read_to_string(&env.config).unwrap(),
        database: env.db(),
        lexicon,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_checks_each_name_it_is_given_and_reports_it() {
    let server = HttpServer::start();
    server.page(
        "/a",
        &carrier_page("<p>You can cancel online via My Account.</p>", "a"),
    );
    server.page(
        "/b",
        &carrier_page("<p>Terms without a word on it.</p>", "b"),
    );
    let env = Env::new();
    env.write_config(
        &[
            TestTarget::new("a", &server.url("/a")),
            TestTarget::new("b", &server.url("/b")),
        ],
        None,
        "",
    );
    let mut w = start();
    w.send_json(&header(&env, None)).await;
    assert_eq!(w.read::<Hello>().await, Hello::Ready);
    for name in ["a", "nope", "b"] {
        w.send_json(&name).await;
    }
    let mut reports: Vec<Report> = Vec::new();
    for _ in 0..3 {
        reports.push(w.read().await);
    }
    reports.sort_by(|x, y| x.target.cmp(&y.target));
    assert_eq!(reports[0].target, "a");
    assert_eq!(reports[0].status, "new");
    assert_eq!(reports[0].line, "NEW a online-cancellation=supported");
    assert_eq!(reports[1].target, "b");
    assert_eq!(reports[1].status, "new");
    assert_eq!(
        (reports[2].target.as_str(), reports[2].status.as_str()),
        ("nope", "error")
    );
    assert!(
        reports[2].line.contains("no such target"),
        "{:?}",
        reports[2]
    );
    // A second check of the same page, then the end of the input ends the worker.
    w.send_json(&"a").await;
    let again: Report = w.read().await;
    assert_eq!(
        (again.target.as_str(), again.status.as_str()),
        ("a", "unchanged")
    );
    w.close().await.unwrap();
    // What it checked is in the database.
    let db = rusqlite::Connection::open(env.db()).unwrap();
    let versions: i64 = db
        .query_row("SELECT COUNT(*) FROM versions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(versions, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_check_is_recorded_through_the_alert_rules() {
    let server = HttpServer::start();
    server.page(
        "/a",
        &carrier_page("<p>You can cancel online via My Account.</p>", "a"),
    );
    let env = Env::new();
    env.write_config(&[TestTarget::new("a", &server.url("/a"))], None, "");
    let mut w = start();
    w.send_json(&header(&env, None)).await;
    assert_eq!(w.read::<Hello>().await, Hello::Ready);
    w.send_json(&"a").await;
    assert_eq!(w.read::<Report>().await.status, "new");
    let cause = "the check worker ended (signal: 9 (SIGKILL)) before it finished this check";
    let streak = || -> i64 {
        rusqlite::Connection::open(env.db())
            .unwrap()
            .query_row(
                "SELECT failure_streak FROM targets WHERE name = 'a'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    for n in 1..=2 {
        w.send_json(&Order::Failed {
            failed: "a".into(),
            cause: cause.into(),
        })
        .await;
        let report: Report = w.read().await;
        assert_eq!(
            (report.target.as_str(), report.status.as_str()),
            ("a", "error")
        );
        assert_eq!(report.line, format!("ERROR a: {cause}"));
        // Counted like any failed check, so a failing alert comes when the streak is long enough.
        assert_eq!(streak(), n);
    }
    w.close().await.unwrap();
    let db = rusqlite::Connection::open(env.db()).unwrap();
    let (status, error): (String, String) = db
        .query_row(
            "SELECT status, error FROM checks WHERE target = 'a' ORDER BY id DESC",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), error.as_str()), ("error", cause));
}

#[tokio::test]
async fn a_header_no_checker_can_be_built_from_is_refused_with_the_reason() {
    let env = Env::new();
    env.write_config(&[TestTarget::new("a", "http://127.0.0.1:9/")], None, "");
    // The config names a lexicon; the text the daemon read from it lacks a concept.
    let mut config = std::fs::read_to_string(&env.config).unwrap();
    config.insert_str(0, "lexicon = \"lexicon.toml\"\n");
    std::fs::write(&env.config, &config).unwrap();
    std::fs::write(env.dir.path().join("lexicon.toml"), "").unwrap();
    let bad_lexicon = "[concepts]\nterminate = [\"cancel\"]\n".to_string();
    let mut w = start();
    w.send_json(&header(&env, Some(bad_lexicon))).await;
    match w.read::<Hello>().await {
        Hello::Refused(why) => assert!(
            why.contains("lexicon.toml") && why.contains("missing"),
            "{why}"
        ),
        Hello::Ready => panic!("a lexicon without its concepts was accepted"),
    }
    assert!(w.close().await.is_err());

    // A config that does not validate: refused with its file, line and key.
    let mut h = header(&env, None);
    h.config = "[fetch]\ntimeout = \"soon\"\n".into();
    let mut w = start();
    w.send_json(&h).await;
    match w.read::<Hello>().await {
        Hello::Refused(why) => assert!(
            why.contains("policywatch.toml") && why.contains("fetch.timeout"),
            "{why}"
        ),
        Hello::Ready => panic!("an invalid config was accepted"),
    }

    // Not a header at all.
    let mut w = start();
    w.send(b"{\"config\": 1}").await;
    let e = w.close().await.unwrap_err();
    assert!(e.to_string().contains("header is not valid"), "{e}");
}

#[tokio::test]
async fn a_name_line_over_its_bound_ends_the_worker_cleanly() {
    let env = Env::new();
    env.write_config(&[TestTarget::new("a", "http://127.0.0.1:9/")], None, "");
    let mut w = start();
    w.send_json(&header(&env, None)).await;
    assert_eq!(w.read::<Hello>().await, Hello::Ready);
    let long = format!("\"{}\"", "n".repeat(MAX_ORDER_LINE));
    w.send(long.as_bytes()).await;
    // The worker stops reading and ends, although its input is still open.
    tokio::time::timeout(Duration::from_secs(20), &mut w.task)
        .await
        .expect("the worker ended")
        .unwrap()
        .unwrap();
}
