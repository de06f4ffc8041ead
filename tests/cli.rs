//! The command line around the checks: what `check-config` catches and warns about, the read-only
//! `status`/`history`/`diff`, and `inspect` when things go wrong.

mod common;

use std::path::Path;

use common::*;

const POLICY: &str =
    "<h1>Termination</h1><p>To terminate the service, please visit any 3Shop in person.</p>";

const PEM: &str =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUYWJj\n-----END CERTIFICATE-----\n";

/// A config with one target and `extra` before the targets.
fn env_with(extra: &str) -> Env {
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", "https://example.org/terms")],
        None,
        extra,
    );
    env
}

/// The 1-based line of the first line of `config` that starts with `prefix`.
fn line_of(config: &Path, prefix: &str) -> usize {
    std::fs::read_to_string(config)
        .unwrap()
        .lines()
        .position(|l| l.starts_with(prefix))
        .expect("the line is in the config")
        + 1
}

/// The files in the env's folder, sorted.
fn files(env: &Env) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------------
// check-config: files the config names

#[test]
fn a_missing_or_broken_lexicon_is_a_config_error() {
    let env = env_with("");
    let config = std::fs::read_to_string(&env.config).unwrap();
    std::fs::write(
        &env.config,
        format!("lexicon = \"my-lexicon.toml\"\n{config}"),
    )
    .unwrap();
    for cmd in ["check-config", "check"] {
        let r = env.run(&[cmd]);
        r.expect_code(2);
        let err = r.stderr();
        assert!(
            err.contains("policywatch.toml:1:11: key `lexicon`: cannot read"),
            "{err}"
        );
        assert!(err.contains("my-lexicon.toml"), "{err}");
    }

    // Present but not a lexicon: the lexicon's own complaint is in the message.
    std::fs::write(
        env.dir.path().join("my-lexicon.toml"),
        "[concepts.terminate]\nterms = [\"end*\"]\n",
    )
    .unwrap();
    let r = env.run(&["check-config"]);
    r.expect_code(2);
    let err = r.stderr();
    assert!(
        err.contains("policywatch.toml:1:11: key `lexicon`"),
        "{err}"
    );
    assert!(err.contains("concept `online` is missing"), "{err}");

    std::fs::write(
        env.dir.path().join("my-lexicon.toml"),
        policywatch::extract::lexicon::BUILTIN,
    )
    .unwrap();
    env.run(&["check-config"]).expect_code(0);
}

#[test]
fn ca_files_must_exist_and_hold_a_certificate_but_password_file_need_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, PEM).unwrap();
    let not_pem = dir.path().join("not-a-cert.pem");
    std::fs::write(&not_pem, "this is not a certificate\n").unwrap();
    let missing = dir.path().join("missing.pem");
    let email = |smtp_ca: &Path| {
        format!(
            "\n[email]\nfrom = \"pw@example.org\"\nto = \"me@example.org\"\n[email.smtp]\nhost = \"mail.example.org\"\nusername = \"pw\"\npassword_file = \"/run/credentials/policywatch.service/smtp-password\"\nca_file = {:?}\n",
            smtp_ca.display().to_string()
        )
    };
    let env = Env::new();
    let write = |fetch_ca: &Path, smtp_ca: &Path| {
        env.write_config(
            &[TestTarget::new("t1", "https://example.org/terms")],
            Some(&email(smtp_ca)),
            &format!("ca_file = {:?}\n", fetch_ca.display().to_string()),
        );
    };

    write(&ca, &ca);
    env.run(&["check-config"]).expect_code(0);

    for (bad, why) in [(&missing, "cannot read"), (&not_pem, "no PEM certificate")] {
        write(bad, &ca);
        let r = env.run(&["check-config"]);
        r.expect_code(2);
        let want = format!(
            "policywatch.toml:{}:11: key `fetch.ca_file`: ",
            line_of(&env.config, "ca_file")
        );
        assert!(r.stderr().contains(&want), "{want}\n{}", r.stderr());
        assert!(r.stderr().contains(why), "{}", r.stderr());

        write(&ca, bad);
        let r = env.run(&["check-config"]);
        r.expect_code(2);
        let line = std::fs::read_to_string(&env.config)
            .unwrap()
            .lines()
            .collect::<Vec<_>>()
            .iter()
            .rposition(|l| l.starts_with("ca_file"))
            .unwrap()
            + 1;
        let want = format!("policywatch.toml:{line}:11: key `email.smtp.ca_file`: ");
        assert!(r.stderr().contains(&want), "{want}\n{}", r.stderr());
        assert!(r.stderr().contains(why), "{}", r.stderr());
    }
}

#[test]
fn urls_with_credentials_are_refused_without_repeating_them() {
    for url in [
        "https://me:s3cret@example.org/terms",
        "https://me@example.org/terms",
    ] {
        let env = Env::new();
        env.write_config(&[TestTarget::new("t1", url)], None, "");
        let r = env.run(&["check-config"]);
        r.expect_code(2);
        let want = format!(
            "policywatch.toml:{}:7: key `target[0].url`: credentials in URLs are not supported: they would be logged and emailed",
            line_of(&env.config, "url =")
        );
        assert!(r.stderr().contains(&want), "{want}\n{}", r.stderr());
        assert!(!r.stderr().contains("s3cret"), "{}", r.stderr());
        assert!(!r.stderr().contains("me@"), "{}", r.stderr());
    }
}

/// Every bounded key at a sane value, one per line, so a case can swap one line.
const ALL_BOUNDED: &[&str] = &[
    "database = \"policywatch.sqlite3\"",
    "[fetch]",
    "timeout = \"30s\"",
    "max_body = \"10 MiB\"",
    "concurrency = 16",
    "per_host_concurrency = 2",
    "per_host_delay = \"1s\"",
    "retries = 3",
    "[alerts]",
    "confirm_delay = \"10s\"",
    "lost_after = 2",
    "failures_before_alert = 3",
    "[storage]",
    "keep_checks = \"90d\"",
    "[email]",
    "from = \"pw@example.org\"",
    "to = \"me@example.org\"",
    "[email.smtp]",
    "host = \"mail.example.org\"",
    "port = 587",
    "timeout = \"30s\"",
    "[[target]]",
    "name = \"t1\"",
    "carrier = \"C\"",
    "url = \"https://example.org/terms\"",
];

#[test]
fn numbers_durations_and_sizes_out_of_range_are_config_errors() {
    let env = Env::new();
    let write = |line: usize, text: &str| {
        let mut lines: Vec<&str> = ALL_BOUNDED.to_vec();
        lines[line - 1] = text;
        std::fs::write(&env.config, lines.join("\n") + "\n").unwrap();
    };
    write(1, ALL_BOUNDED[0]);
    env.run(&["check-config"]).expect_code(0);

    // (line, the line written, key, message)
    let cases: &[(usize, &str, &str, &str)] = &[
        (
            3,
            "timeout = \"500000000y\"",
            "fetch.timeout",
            "`500000000y` is out of range (1s to 10m)",
        ),
        (
            3,
            "timeout = \"0s\"",
            "fetch.timeout",
            "`0s` is out of range (1s to 10m)",
        ),
        (
            3,
            "timeout = \"11m\"",
            "fetch.timeout",
            "`11m` is out of range (1s to 10m)",
        ),
        (
            4,
            "max_body = \"1 TiB\"",
            "fetch.max_body",
            "`1 TiB` is out of range (1 KiB to 100 MiB)",
        ),
        (
            4,
            "max_body = \"10\"",
            "fetch.max_body",
            "`10` is out of range (1 KiB to 100 MiB)",
        ),
        (
            5,
            "concurrency = 0",
            "fetch.concurrency",
            "0 is out of range (1 to 256)",
        ),
        (
            5,
            "concurrency = 100000",
            "fetch.concurrency",
            "100000 is out of range (1 to 256)",
        ),
        (
            6,
            "per_host_concurrency = 33",
            "fetch.per_host_concurrency",
            "33 is out of range (1 to 32)",
        ),
        (
            7,
            "per_host_delay = \"500000000y\"",
            "fetch.per_host_delay",
            "`500000000y` is out of range (0s to 1h)",
        ),
        (
            8,
            "retries = 4294967295",
            "fetch.retries",
            "4294967295 is out of range (0 to 10)",
        ),
        (
            8,
            "retries = -1",
            "fetch.retries",
            "-1 is out of range (0 to 10)",
        ),
        (
            10,
            "confirm_delay = \"2h\"",
            "alerts.confirm_delay",
            "`2h` is out of range (0s to 1h)",
        ),
        (
            11,
            "lost_after = 0",
            "alerts.lost_after",
            "0 is out of range (1 to 100)",
        ),
        (
            11,
            "lost_after = 101",
            "alerts.lost_after",
            "101 is out of range (1 to 100)",
        ),
        (
            12,
            "failures_before_alert = 1001",
            "alerts.failures_before_alert",
            "1001 is out of range (1 to 1000)",
        ),
        (
            14,
            "keep_checks = \"1h\"",
            "storage.keep_checks",
            "`1h` is out of range (1d to 10y)",
        ),
        (
            14,
            "keep_checks = \"11y\"",
            "storage.keep_checks",
            "`11y` is out of range (1d to 10y)",
        ),
        (
            20,
            "port = 0",
            "email.smtp.port",
            "0 is out of range (1 to 65535)",
        ),
        (
            20,
            "port = 65536",
            "email.smtp.port",
            "65536 is out of range (1 to 65535)",
        ),
        (
            21,
            "timeout = \"0s\"",
            "email.smtp.timeout",
            "`0s` is out of range (1s to 10m)",
        ),
        (
            21,
            "timeout = \"1y\"",
            "email.smtp.timeout",
            "`1y` is out of range (1s to 10m)",
        ),
    ];
    for &(line, text, key, message) in cases {
        write(line, text);
        let column = text.find('=').unwrap() + 3;
        let want = format!("policywatch.toml:{line}:{column}: key `{key}`: {message}\n");
        for cmd in ["check-config", "check"] {
            let r = env.run(&[cmd]);
            r.expect_code(2);
            assert!(r.stderr().ends_with(&want), "{want}\n{}", r.stderr());
        }
    }
    // The bounds themselves are accepted.
    for (line, text) in [
        (3, "timeout = \"10m\""),
        (4, "max_body = \"1 KiB\""),
        (8, "retries = 0"),
        (14, "keep_checks = \"10y\""),
        (20, "port = 65535"),
    ] {
        write(line, text);
        env.run(&["check-config"]).expect_code(0);
    }
    assert!(
        !env.db().exists(),
        "a bad config stops `check` before the database"
    );
}

#[test]
fn readme_documents_every_range() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (key, range) in policywatch::config::documented_ranges() {
        let leaf = key.rsplit('.').next().unwrap();
        assert!(
            readme
                .lines()
                .any(|l| l.starts_with(&format!("{leaf} =")) && l.ends_with(&format!("; {range}"))),
            "README's configuration block gives `{key}` its range {range}"
        );
    }
}

#[test]
fn a_config_that_is_not_utf8_is_named_once_with_its_line() {
    let env = env_with("");
    let mut bytes = std::fs::read(&env.config).unwrap();
    bytes.extend_from_slice(b"# Big5 \xb2\xd7\xa4\xee\n");
    std::fs::write(&env.config, &bytes).unwrap();
    let line = bytes.iter().filter(|&&b| b == b'\n').count();
    let offset = bytes.len() - 5;
    let r = env.run(&["check-config"]);
    r.expect_code(2);
    let want = format!(
        "policywatch: {}:{line}:8: the config is not UTF-8 text (byte 0xB2 at offset {offset}); save it as UTF-8\n",
        env.config.display()
    );
    assert_eq!(r.stderr(), want);
}

#[test]
fn check_config_warns_about_a_password_sent_in_clear_text() {
    let smtp = |security: &str, username: &str| {
        format!(
            "\n[email]\nfrom = \"pw@example.org\"\nto = \"me@example.org\"\n[email.smtp]\nhost = \"mail.example.org\"\nsecurity = \"{security}\"\n{username}"
        )
    };
    let warning = "warning: email.smtp.security = \"none\" with a username: the SMTP password would be sent to mail.example.org in clear text";
    let env = Env::new();
    let targets = [TestTarget::new("t1", "https://example.org/terms")];

    env.write_config(&targets, Some(&smtp("none", "username = \"pw\"\n")), "");
    let r = env.run(&["check-config"]);
    r.expect_code(0);
    assert!(r.stdout().contains(warning), "{}", r.stdout());

    for (security, username) in [("none", ""), ("starttls", "username = \"pw\"\n")] {
        env.write_config(&targets, Some(&smtp(security, username)), "");
        let r = env.run(&["check-config"]);
        r.expect_code(0);
        assert!(!r.stdout().contains("clear text"), "{}", r.stdout());
    }
}

// ---------------------------------------------------------------------------------------------
// status, history, diff: read-only

#[test]
fn status_history_and_diff_need_an_existing_database_and_create_none() {
    let env = env_with("");
    let before = files(&env);
    for args in [&["status"][..], &["history", "t1"][..], &["diff", "t1"][..]] {
        let r = env.run(args);
        r.expect_code(1);
        let want = format!(
            "policywatch: database: no database at {} yet: run `policywatch check` first, or pass --database / $POLICYWATCH_DATABASE (the systemd unit keeps it in /var/lib/policywatch)",
            env.db().display()
        );
        assert!(r.stderr().contains(&want), "{args:?}: {}", r.stderr());
        assert!(r.stdout().is_empty(), "{args:?}: {}", r.stdout());
        assert_eq!(files(&env), before, "{args:?} created a file");
    }
    // --database names the file the message is about.
    let elsewhere = env.dir.path().join("elsewhere.sqlite3");
    let r = env.run(&["--database", elsewhere.to_str().unwrap(), "status"]);
    r.expect_code(1);
    assert!(
        r.stderr()
            .contains(&format!("no database at {} yet", elsewhere.display())),
        "{}",
        r.stderr()
    );
    assert!(!elsewhere.exists());
}

#[test]
fn status_reads_a_database_made_by_check_without_changing_it() {
    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(&[TestTarget::new("t1", &server.url("/terms"))], None, "");
    env.run(&["check"]).expect_code(0);

    let r = env.run(&["status"]);
    r.expect_code(0);
    assert!(r.stdout().contains("t1"), "{}", r.stdout());
    let r = env.run(&["history", "t1"]);
    r.expect_code(0);
    assert!(r.stdout().contains('*'), "{}", r.stdout());
    env.run(&["diff", "t1"]).expect_code(0);
}

#[test]
fn status_refuses_a_database_older_than_the_binary_and_does_not_migrate_it() {
    let env = env_with("");
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
    }
    let r = env.run(&["status"]);
    r.expect_code(1);
    assert!(
        r.stderr()
            .contains("has schema version 1, but this policywatch needs version"),
        "{}",
        r.stderr()
    );
    assert!(
        r.stderr()
            .contains("run `policywatch check` once to upgrade it"),
        "{}",
        r.stderr()
    );
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "status must not migrate");
}

// ---------------------------------------------------------------------------------------------
// inspect

/// `inspect --file` on a carrier page, with `extra` arguments.
fn inspect_file(env: &Env, extra: &[&str]) -> Run {
    let page = env.dir.path().join("page.html");
    std::fs::write(&page, carrier_page(POLICY, "x")).unwrap();
    let mut args = vec!["inspect", "--file", page.to_str().unwrap()];
    args.extend_from_slice(extra);
    env.run(&args)
}

#[test]
fn inspect_ends_with_an_unknown_verdict_when_the_selector_matches_nothing() {
    let env = Env::new();
    let r = inspect_file(&env, &["--select", "#no-such-element"]);
    r.expect_code(1);
    let lines = r.lines();
    assert_eq!(
        lines.last().map(String::as_str),
        Some("VERDICT online-cancellation: unknown"),
        "{}",
        r.stdout()
    );
    let error = &lines[lines.len() - 2];
    assert!(error.starts_with("# error: "), "{}", r.stdout());
    assert!(error.contains("#no-such-element"), "{}", r.stdout());
    assert!(lines[0].starts_with("# page: "), "{}", r.stdout());

    // The same selection that matches: exit 0 and a real verdict.
    let r = inspect_file(&env, &["--select", "main"]);
    r.expect_code(0);
    assert_eq!(
        r.lines().last().map(String::as_str),
        Some("VERDICT online-cancellation: not-supported"),
        "{}",
        r.stdout()
    );
}

#[test]
fn inspect_ends_with_an_unknown_verdict_when_the_page_cannot_be_fetched() {
    let server = HttpServer::start();
    server.route("/gone", vec![Reply::status(404)]);
    let env = Env::new();
    let r = env.run(&["inspect", &server.url("/gone"), "--allow-private-addresses"]);
    r.expect_code(1);
    let lines = r.lines();
    assert_eq!(
        lines.last().map(String::as_str),
        Some("VERDICT online-cancellation: unknown"),
        "{}",
        r.stdout()
    );
    assert!(
        lines[lines.len() - 2].starts_with("# error: "),
        "{}",
        r.stdout()
    );
}

#[test]
fn inspect_of_a_file_or_url_sets_an_invalid_config_aside() {
    let env = Env::new();
    std::fs::write(&env.config, "[[target]]\nname = \"a\"\nshedule = \"x\"\n").unwrap();
    let r = inspect_file(&env, &["--select", "main"]);
    r.expect_code(0);
    assert_eq!(
        r.lines().last().map(String::as_str),
        Some("VERDICT online-cancellation: not-supported"),
        "{}",
        r.stdout()
    );
    assert!(r.stderr().contains("ignoring the config"), "{}", r.stderr());
    assert!(r.stderr().contains("policywatch.toml:"), "{}", r.stderr());

    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY, "a"));
    let r = env.run(&[
        "inspect",
        &server.url("/terms"),
        "--allow-private-addresses",
        "--select",
        "main",
    ]);
    r.expect_code(0);
    assert!(r.stderr().contains("ignoring the config"), "{}", r.stderr());

    // A target name does need the config: its error stands.
    let r = env.run(&["inspect", "a"]);
    r.expect_code(2);
    assert!(r.stderr().contains("shedule"), "{}", r.stderr());
}

#[test]
fn inspect_of_a_target_honours_its_ignore_robots() {
    let server = HttpServer::start();
    server.route(
        "/robots.txt",
        vec![Reply::bytes(
            200,
            &[("Content-Type", "text/plain")],
            b"User-agent: *\nDisallow: /private/\n".to_vec(),
        )],
    );
    server.page("/private/terms", &carrier_page(POLICY, "own"));
    let mut own = TestTarget::new("own", &server.url("/private/terms"));
    own.extra = "ignore_robots = true".into();
    let env = Env::new();
    env.write_config(
        &[
            own,
            TestTarget::new("theirs", &server.url("/private/terms")),
        ],
        None,
        "",
    );

    let r = env.run(&["inspect", "own"]);
    r.expect_code(0);
    assert_eq!(
        r.lines().last().map(String::as_str),
        Some("VERDICT online-cancellation: not-supported"),
        "{}\n{}",
        r.stdout(),
        r.stderr()
    );

    let r = env.run(&["inspect", "theirs"]);
    r.expect_code(1);
    assert!(r.stdout().contains("robots.txt"), "{}", r.stdout());
    assert_eq!(
        server.hits("/private/terms"),
        1,
        "only `own` fetched the page"
    );
}
