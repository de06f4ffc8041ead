//! Unit tests of config loading: defaults, every table's checks, and errors that name file,
//! line and key.

use super::files::has_pem_certificate;
use super::*;

const MINIMAL: &str = r#"
[[target]]
name = "a"
carrier = "C"
url = "https://example.org/"
"#;

fn parse(src: &str) -> Result<Config, ConfigError> {
    Config::parse(Path::new("/etc/pw/policywatch.toml"), src)
}

fn err(src: &str) -> (usize, String, String) {
    match parse(src) {
        Err(ConfigError::Invalid {
            line, key, message, ..
        }) => (line, key, message),
        other => panic!("expected an Invalid error, got {other:?}"),
    }
}

#[test]
fn minimal_config_gets_defaults() {
    let c = parse(MINIMAL).unwrap();
    assert_eq!(c.database, PathBuf::from("/etc/pw/policywatch.sqlite3"));
    assert_eq!(c.fetch, FetchSettings::default());
    assert_eq!(c.schedule.default, DEFAULT_SCHEDULE);
    assert_eq!(c.targets[0].select, vec!["body"]);
    assert_eq!(c.targets[0].schedule, DEFAULT_SCHEDULE);
    assert!(c.email.is_none());
    assert_eq!(c.alerts, AlertSettings::default());
    assert!(!c.targets[0].ignore_robots);
}

#[test]
fn alerts_and_robots_keys() {
    let c = parse(&format!(
        "[alerts]\nconfirm_delay = \"0s\"\nlost_after = 3\ndigest = \"off\"\nheartbeat = \"off\"\n{MINIMAL}ignore_robots = true\n"
    ))
    .unwrap();
    assert_eq!(c.alerts.confirm_delay, Duration::ZERO);
    assert_eq!(c.alerts.lost_after, 3);
    assert_eq!(c.alerts.digest, Digest::Off);
    assert_eq!(c.lexicon, None);
    assert!(c.targets[0].ignore_robots);
    let (_, key, _) = err("[alerts]\nfailures_before_alert = 0\n");
    assert_eq!(key, "alerts.failures_before_alert");
    let (_, key, _) = err("[alerts]\ndigest = \"hourly\"\n");
    assert_eq!(key, "alerts.digest");
    let (_, key, _) = err("[storage]\nkeep_checks = \"1h\"\n");
    assert_eq!(key, "storage.keep_checks");
    let c = parse(&format!("[storage]\nkeep_checks = \"30d\"\n{MINIMAL}")).unwrap();
    assert_eq!(c.storage.keep_checks, Duration::from_secs(30 * 24 * 3600));
}

#[test]
fn metrics_listen_is_loopback_only() {
    assert_eq!(parse(MINIMAL).unwrap().metrics, None);
    let c = parse(&format!("[metrics]\n{MINIMAL}")).unwrap();
    assert_eq!(
        c.metrics.unwrap().listen,
        DEFAULT_METRICS_LISTEN.parse().unwrap()
    );
    let c = parse(&format!("[metrics]\nlisten = \"[::1]:9000\"\n{MINIMAL}")).unwrap();
    assert_eq!(c.metrics.unwrap().listen, "[::1]:9000".parse().unwrap());
    for bad in [
        "0.0.0.0:9464",
        "192.168.1.2:9464",
        "localhost:9464",
        "127.0.0.1",
    ] {
        let (line, key, message) = err(&format!("[metrics]\nlisten = \"{bad}\"\n"));
        assert_eq!((line, key.as_str()), (2, "metrics.listen"), "{message}");
        assert!(message.contains(bad), "{message}");
    }
    let (_, key, _) = err("[metrics]\nlisten_on = \"127.0.0.1:1\"\n");
    assert_eq!(key, "metrics.listen_on");
}

#[test]
fn render_wait_for_and_pdf_narrowing() {
    let t = &parse(MINIMAL).unwrap().targets[0];
    assert_eq!(t.render, Render::Static);
    assert_eq!((t.pdf_from.as_deref(), t.pdf_to.as_deref()), (None, None));
    let c = parse(&format!(
        "{MINIMAL}render = \"browser\"\nwait_for = \"main .terms\"\npdf_from = \" 5. Termination \"\npdf_to = \"6. Fees\"\n"
    ))
    .unwrap();
    let t = &c.targets[0];
    assert_eq!(
        t.render,
        Render::Browser {
            wait_for: Some("main .terms".into())
        }
    );
    assert_eq!(t.pdf_from.as_deref(), Some("5. Termination"));
    assert_eq!(t.pdf_to.as_deref(), Some("6. Fees"));
    let c = parse(&format!("{MINIMAL}render = \"static\"\n")).unwrap();
    assert_eq!(c.targets[0].render, Render::Static);
    let c = parse(&format!("{MINIMAL}render = \"browser\"\n")).unwrap();
    assert_eq!(c.targets[0].render, Render::Browser { wait_for: None });

    for (extra, want, says) in [
        (
            "render = \"chrome\"",
            "target[0].render",
            "use \"static\" or \"browser\"",
        ),
        (
            "wait_for = \"main\"",
            "target[0].wait_for",
            "only applies with render = \"browser\"",
        ),
        (
            "render = \"static\"\nwait_for = \"main\"",
            "target[0].wait_for",
            "only applies with render = \"browser\"",
        ),
        (
            "render = \"browser\"\nwait_for = \"div[\"",
            "target[0].wait_for",
            "invalid CSS selector",
        ),
        (
            "pdf_from = \"  \"",
            "target[0].pdf_from",
            "must not be empty",
        ),
        ("pdf_to = \"\"", "target[0].pdf_to", "must not be empty"),
    ] {
        let (_, key, message) = err(&format!("{MINIMAL}{extra}\n"));
        assert_eq!(key, want, "{extra}: {message}");
        assert!(message.contains(says), "{extra}: {message}");
    }
}

#[test]
fn misspelt_key_is_named_with_its_line() {
    let (line, key, message) = err(&format!("{MINIMAL}shedule = \"0 0 * * * *\"\n"));
    assert_eq!(line, 6);
    assert_eq!(key, "target[0].shedule");
    assert!(message.contains("unknown field `shedule`"), "{message}");
}

#[test]
fn wrong_type_names_key() {
    let (line, key, _) = err("[fetch]\nallow_private_addresses = \"yes\"\n");
    assert_eq!((line, key.as_str()), (2, "fetch.allow_private_addresses"));
}

#[test]
fn bad_values_are_rejected_with_key() {
    let cases = [
        ("schedule = \"0 0 * * *\"", "target[0].schedule"),
        ("select = \"div[\"", "target[0].select"),
        ("select = []", "target[0].select"),
        ("remove = [\"p\", \"a >\"]", "target[0].remove"),
    ];
    for (extra, want) in cases {
        let (line, key, message) = err(&format!("{MINIMAL}{extra}\n"));
        assert_eq!(key, want, "{message}");
        assert_eq!(line, 6);
    }
    let (_, key, _) = err(&MINIMAL.replace("https://example.org/", "ftp://example.org/"));
    assert_eq!(key, "target[0].url");
    let (_, key, _) = err(&MINIMAL.replace("https://example.org/", "not a url"));
    assert_eq!(key, "target[0].url");
    let (_, key, _) = err(&MINIMAL.replace("name = \"a\"", "name = \"a b\""));
    assert_eq!(key, "target[0].name");
    let (_, key, _) = err(&format!("[fetch]\ntimeout = \"soon\"\n{MINIMAL}"));
    assert_eq!(key, "fetch.timeout");
    let (_, key, _) = err(&format!("[schedule]\ntimezone = \"Mars/Base\"\n{MINIMAL}"));
    assert_eq!(key, "schedule.timezone");
}

#[test]
fn duplicate_names_are_rejected() {
    let (line, key, message) = err(&format!("{MINIMAL}{MINIMAL}"));
    assert_eq!(line, 8);
    assert_eq!(key, "target[1].name");
    assert!(message.contains("duplicate"));
}

#[test]
fn names_are_bounded() {
    let named =
        |n: usize| MINIMAL.replacen("name = \"a\"", &format!("name = \"{}\"", "n".repeat(n)), 1);
    assert!(parse(&named(MAX_NAME)).is_ok());
    let (_, key, message) = err(&named(MAX_NAME + 1));
    assert_eq!(key, "target[0].name");
    assert!(message.contains("at most 200 characters"), "{message}");
}

#[test]
fn email_is_validated() {
    let ok = format!(
        "[email]\nfrom = \"pw <pw@example.org>\"\nto = \"me@example.org\"\n[email.smtp]\nhost = \"mail\"\nsecurity = \"tls\"\n{MINIMAL}"
    );
    let c = parse(&ok).unwrap();
    let e = c.email.unwrap();
    assert_eq!(e.smtp.port, 465);
    assert_eq!(e.to.len(), 1);
    let (_, key, _) = err(&ok.replace("me@example.org", "not an address"));
    assert_eq!(key, "email.to");
    let (_, key, _) = err(&ok.replace("\"tls\"", "\"ssl\""));
    assert_eq!(key, "email.smtp.security");
    // A host that is no host name is refused now, not at the first alert.
    let (line, key, message) = err(&ok.replace("host = \"mail\"", "host = \"a b\\r\\nc\""));
    assert_eq!((line, key.as_str()), (5, "email.smtp.host"), "{message}");
    assert!(message.contains("is not a host name"), "{message}");
    let v6 = parse(&ok.replace("host = \"mail\"", "host = \"::1\"")).unwrap();
    assert_eq!(v6.email.unwrap().smtp.host, "::1");
    let (_, key, _) = err(&ok.replace("host = \"mail\"", "host = \"[::1]\""));
    assert_eq!(key, "email.smtp.host");
    // The error is one line, whatever the value holds.
    let (_, key, message) = err(&ok.replace("pw <pw@example.org>", "pw\\r\\nBcc: x@example.org"));
    assert_eq!(key, "email.from");
    assert!(
        !message.contains('\n') && message.contains("\\r\\n"),
        "{message}"
    );
}

const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n";

/// A config in a temp dir, so that relative file names resolve to real files.
fn parse_in(dir: &Path, src: &str) -> Result<Config, ConfigError> {
    Config::parse(&dir.join("policywatch.toml"), src)
}

fn err_in(dir: &Path, src: &str) -> (usize, String, String) {
    match parse_in(dir, src) {
        Err(ConfigError::Invalid {
            line, key, message, ..
        }) => (line, key, message),
        other => panic!("expected an Invalid error, got {other:?}"),
    }
}

#[test]
fn lexicon_file_must_exist_and_compile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lex.toml"),
        crate::extract::lexicon::BUILTIN,
    )
    .unwrap();
    let c = parse_in(dir.path(), &format!("lexicon = \"lex.toml\"\n{MINIMAL}")).unwrap();
    assert_eq!(c.lexicon, Some(dir.path().join("lex.toml")));

    let (line, key, message) = err_in(
        dir.path(),
        &format!("lexicon = \"missing.toml\"\n{MINIMAL}"),
    );
    assert_eq!((line, key.as_str()), (1, "lexicon"), "{message}");
    assert!(message.contains("missing.toml"), "{message}");

    std::fs::write(
        dir.path().join("bad.toml"),
        "[concepts.terminate]\nterms = [\"end\"]\n",
    )
    .unwrap();
    let (line, key, message) = err_in(dir.path(), &format!("lexicon = \"bad.toml\"\n{MINIMAL}"));
    assert_eq!((line, key.as_str()), (1, "lexicon"), "{message}");
    assert!(message.contains("not a valid lexicon"), "{message}");
    assert!(message.contains("concept `online` is missing"), "{message}");

    std::fs::write(
        dir.path().join("bad.toml"),
        "[concepts.terminate]\nterms = \"x\"\n",
    )
    .unwrap();
    let (_, _, message) = err_in(dir.path(), &format!("lexicon = \"bad.toml\"\n{MINIMAL}"));
    assert!(!message.contains('\n'), "{message}");
    assert!(
        message.contains("line 2, column 9: invalid type"),
        "{message}"
    );
}

#[test]
fn ca_files_must_hold_a_pem_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let real = rcgen::generate_simple_self_signed(vec!["ca.test".to_string()]).unwrap();
    std::fs::write(dir.path().join("ca.pem"), real.cert.pem()).unwrap();
    // Looks like PEM, but its body is no certificate.
    std::fs::write(dir.path().join("broken.pem"), PEM).unwrap();
    std::fs::write(
        dir.path().join("key.pem"),
        "-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let config = |fetch_ca: &str, smtp_ca: &str| {
        format!(
            "[fetch]\nca_file = \"{fetch_ca}\"\n[email]\nfrom = \"pw@example.org\"\nto = \"me@example.org\"\n[email.smtp]\nhost = \"mail\"\npassword_file = \"/run/credentials/policywatch.service/smtp-password\"\nca_file = \"{smtp_ca}\"\n{MINIMAL}"
        )
    };
    let c = parse_in(dir.path(), &config("ca.pem", "ca.pem")).unwrap();
    assert_eq!(c.fetch.ca_file, Some(dir.path().join("ca.pem")));
    let smtp = c.email.unwrap().smtp;
    assert_eq!(smtp.ca_file, Some(dir.path().join("ca.pem")));
    // The password file is a credential that may exist only under systemd: not checked.
    assert!(smtp.password_file.is_some());

    for (file, want) in [
        ("missing.pem", "cannot read"),
        ("key.pem", "no PEM certificate"),
        ("broken.pem", "holds a certificate that cannot be read"),
    ] {
        let (line, key, message) = err_in(dir.path(), &config(file, "ca.pem"));
        assert_eq!((line, key.as_str()), (2, "fetch.ca_file"), "{message}");
        assert!(
            message.contains(want) && message.contains(file),
            "{message}"
        );
        let (line, key, message) = err_in(dir.path(), &config("ca.pem", file));
        assert_eq!((line, key.as_str()), (9, "email.smtp.ca_file"), "{message}");
        assert!(
            message.contains(want) && message.contains(file),
            "{message}"
        );
    }
}

#[test]
fn pem_detection_needs_a_whole_certificate_block() {
    assert!(has_pem_certificate(PEM));
    assert!(has_pem_certificate(&format!("# bundle\n{PEM}{PEM}")));
    assert!(!has_pem_certificate(""));
    assert!(!has_pem_certificate("-----BEGIN CERTIFICATE-----\n"));
    assert!(!has_pem_certificate(
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"
    ));
    assert!(!has_pem_certificate(
        "-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n"
    ));
}

#[test]
fn urls_with_credentials_are_rejected_without_echoing_them() {
    for url in [
        "https://user:s3cret@example.org/",
        "https://user@example.org/",
        "https://:s3cret@example.org/",
    ] {
        let (line, key, message) = err(&MINIMAL.replace("https://example.org/", url));
        assert_eq!((line, key.as_str()), (5, "target[0].url"), "{message}");
        assert_eq!(
            message,
            "credentials in URLs are not supported: they would be logged and emailed"
        );
    }
}

#[test]
fn a_config_that_is_not_utf8_says_where_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policywatch.toml");
    std::fs::write(&path, b"[fetch]\ntimeout = \"5s\" # \xe7\xb5\x82 \xff\n").unwrap();
    let e = Config::load(&path).unwrap_err();
    assert!(
        matches!(
            e,
            ConfigError::NotUtf8 {
                line: 2,
                column: 20,
                offset: 29,
                byte: 0xFF,
                ..
            }
        ),
        "{e:?}"
    );
    let message = e.to_string();
    assert!(message.ends_with(
        "policywatch.toml:2:20: the config is not UTF-8 text (byte 0xFF at offset 29); save it as UTF-8"
    ), "{message}");
    assert!(std::error::Error::source(&e).is_none(), "no repeated cause");
}

#[test]
fn line_col_counts_characters() {
    assert_eq!(line_col("a\n終止b", 8), (2, 3));
}

#[test]
fn a_config_or_lexicon_without_end_is_refused_at_its_bound() {
    let e = Config::load(Path::new("/dev/zero"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("larger than 16 MiB"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let (line, key, message) = err_in(dir.path(), &format!("lexicon = \"/dev/zero\"\n{MINIMAL}"));
    assert_eq!((line, key.as_str()), (1, "lexicon"), "{message}");
    assert!(message.contains("larger than 4 MiB"), "{message}");
}
