//! The command line end to end: what `check-config` refuses (ranges, credentials in URLs, the
//! files the config names) and warns about.

use super::*;

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
    let (ca, _, _) = test_ca(dir.path());
    let broken = dir.path().join("broken.pem");
    std::fs::write(&broken, PEM).unwrap();
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

    for (bad, why) in [
        (&missing, "cannot read"),
        (&not_pem, "no PEM certificate"),
        (&broken, "holds a certificate that cannot be read"),
    ] {
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
