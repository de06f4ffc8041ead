//! The first hour as a user (issue 15): commands without flags, `add` and `list`, readable
//! messages and logs, per-target version numbers, the verdict on `NEW` lines and the Atom feed.

use crate::common;

use std::collections::HashSet;
use std::process::Command;

use common::*;

const POLICY: &str =
    "<h1>Termination</h1><p>To terminate the service, please visit any 3Shop in person.</p>";
const ONLINE: &str =
    "<h1>Termination</h1><p>You may terminate the service online through My Account.</p>";

fn served(pages: &[(&str, &str)]) -> (HttpServer, Env) {
    let server = HttpServer::start();
    let env = Env::new();
    let mut targets = Vec::new();
    for (name, policy) in pages {
        server.page(&format!("/{name}"), &carrier_page(policy, "0"));
        targets.push(TestTarget::new(name, &server.url(&format!("/{name}"))));
    }
    env.write_config(&targets, None, "");
    (server, env)
}

#[test]
fn new_lines_carry_the_verdict() {
    let (_server, env) = served(&[("a", POLICY), ("b", ONLINE)]);
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(
        r.full_lines(),
        vec![
            "NEW a online-cancellation=not-supported",
            "NEW b online-cancellation=supported"
        ]
    );
}

#[test]
fn history_numbers_versions_per_target_and_diff_takes_those_numbers() {
    let (server, env) = served(&[("a", POLICY), ("b", POLICY)]);
    env.run(&["check"]).expect_code(0);
    server.page("/b", &carrier_page(ONLINE, "1"));
    env.run(&["check"]).expect_code(0);
    // b's versions have global row ids 2 and 3; history calls them 1 and 2.
    let h = env.run(&["history", "b"]);
    h.expect_code(0);
    let lines = h.lines();
    assert_eq!(lines.len(), 2, "{}", h.stdout());
    assert!(lines[0].starts_with("      1  "), "{}", h.stdout());
    assert!(lines[1].starts_with("*     2  "), "{}", h.stdout());
    let d = env.run(&["diff", "b", "--from", "1", "--to", "2"]);
    d.expect_code(0);
    assert!(d.stdout().starts_with("--- version 1 "), "{}", d.stdout());
    assert!(d.stdout().contains("+++ version 2 "), "{}", d.stdout());
    assert!(
        d.stdout()
            .contains("+ You may terminate the service online")
    );
    let missing = env.run(&["diff", "b", "--from", "3"]);
    missing.expect_code(1);
    assert!(
        missing.stderr().contains("has no version 3"),
        "{}",
        missing.stderr()
    );
}

#[test]
fn add_keeps_comments_validates_and_list_shows_it() {
    let (server, env) = served(&[("a", POLICY)]);
    let before = format!(
        "# my carriers\n{}",
        std::fs::read_to_string(&env.config).unwrap()
    );
    std::fs::write(&env.config, &before).unwrap();
    let url = server.url("/b");
    let r = env.run(&[
        "add",
        &url,
        "--carrier",
        "3HK",
        "--name",
        "three-terms",
        "--select",
        "main",
    ]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("added target three-terms"),
        "{}",
        r.stdout()
    );
    let after = std::fs::read_to_string(&env.config).unwrap();
    assert!(
        after.starts_with(&before),
        "appended, nothing else changed:\n{after}"
    );
    let l = env.run(&["list"]);
    l.expect_code(0);
    let rows = l.lines();
    assert_eq!(rows[0], "NAME\tCARRIER\tRENDER\tSCHEDULE\tURL");
    assert!(
        rows[2].starts_with("three-terms\t3HK\tstatic\t"),
        "{rows:?}"
    );
    assert!(rows[2].ends_with(&url), "{rows:?}");

    // A duplicate name and a bad selector are refused with file:line:key; the file is untouched.
    for args in [
        vec![
            "add",
            "https://example.org/x",
            "--carrier",
            "C",
            "--name",
            "a",
        ],
        vec![
            "add",
            "https://example.org/x",
            "--carrier",
            "C",
            "--select",
            "div[",
        ],
    ] {
        let r = env.run(&args);
        r.expect_code(2);
        let err = r.stderr();
        assert!(err.contains("policywatch.toml:"), "{err}");
        assert!(err.contains("key `target[2]."), "{err}");
        assert!(err.contains("not changed"), "{err}");
        assert!(
            !err.contains('\n') || err.lines().count() == 1,
            "one line: {err}"
        );
        assert_eq!(std::fs::read_to_string(&env.config).unwrap(), after);
    }
}

#[test]
fn a_bad_selector_is_one_line_naming_the_key_and_selector() {
    let env = Env::new();
    let mut t = TestTarget::new("t1", "https://example.org/terms");
    t.select = vec!["div:hovr".into()];
    env.write_config(&[t], None, "");
    let r = env.run(&["check-config"]);
    r.expect_code(2);
    let err = r.stderr();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("key `target[0].select"), "{err}");
    assert!(err.contains("`div:hovr`"), "{err}");
    assert!(!err.to_lowercase().contains("report this"), "{err}");
}

#[test]
fn check_config_names_tls_modes_in_words() {
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", "https://example.org/terms")],
        Some(&smtp_section(2525)),
        "",
    );
    let r = env.run(&["check-config"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("via 127.0.0.1:2525 (no TLS)"),
        "{}",
        r.stdout()
    );
    assert!(!r.stdout().contains("None"), "{}", r.stdout());
}

#[test]
fn a_missing_file_is_said_once() {
    let env = Env::new();
    let r = env.run(&["check-config"]);
    r.expect_code(2);
    let err = r.stderr();
    let os = std::io::Error::from_raw_os_error(2).to_string();
    assert_eq!(err.matches(&os).count(), 1, "{err}");
}

#[test]
fn json_logs_have_unique_keys() {
    let (_server, env) = served(&[("a", POLICY)]);
    let r = env.run_env(
        &["--log-format", "json", "check"],
        &[("POLICYWATCH_LOG", "info")],
    );
    r.expect_code(0);
    let mut seen = 0;
    for line in r.stderr().lines() {
        let keys = top_level_keys(line);
        let unique: HashSet<&String> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len(), "duplicate keys in {line}");
        if line.contains("\"checked\"") {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["target"], "a", "{line}");
            seen += 1;
        }
    }
    assert_eq!(seen, 1, "{}", r.stderr());
}

/// The keys of a flat JSON object, in order, duplicates kept (serde_json's map would keep only
/// the last of two equal keys).
fn top_level_keys(line: &str) -> Vec<String> {
    use serde::de::{Deserializer, MapAccess, Visitor};
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
            let mut keys = Vec::new();
            while let Some(k) = map.next_key::<String>()? {
                map.next_value::<serde::de::IgnoredAny>()?;
                keys.push(k);
            }
            Ok(keys)
        }
    }
    let mut de = serde_json::Deserializer::from_str(line);
    de.deserialize_map(Keys)
        .expect("each log line is a JSON object")
}

#[test]
fn the_config_is_found_without_flags() {
    let (_server, env) = served(&[("a", POLICY)]);
    let dir = env.dir.path();
    std::fs::create_dir(dir.join("config")).unwrap();
    std::fs::rename(&env.config, dir.join("config/policywatch.toml")).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_policywatch"))
            .current_dir(dir)
            .args(args)
            .env_remove("POLICYWATCH_CONFIG")
            .env_remove("POLICYWATCH_DATABASE")
            .output()
            .unwrap()
    };
    let out = run(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The database is the config's, beside it.
    assert!(dir.join("config/policywatch.sqlite3").exists());
    let out = run(&["status"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("a "));
}

#[test]
fn the_feed_lists_changes_escaped() {
    let server = HttpServer::start();
    let env = Env::new();
    server.page("/a", &carrier_page(POLICY, "0"));
    env.write_config(
        &[TestTarget::new("a", &server.url("/a"))],
        None,
        "\n[feed]\npath = \"feed.atom\"\nentries = 5\n",
    );
    env.run(&["check"]).expect_code(0);
    server.page(
        "/a",
        &carrier_page(
            "<h1>Termination</h1><p>You may terminate the service online through My Account &lt;script&gt;.</p>",
            "1",
        ),
    );
    env.run(&["check"]).expect_code(0);
    let xml = std::fs::read_to_string(env.dir.path().join("feed.atom")).expect("feed written");
    let feed: atom_syndication::Feed = xml.parse().expect("valid Atom");
    assert_eq!(feed.entries.len(), 1, "{xml}");
    let e = &feed.entries[0];
    assert!(e.title.value.contains("a:"), "{}", e.title.value);
    assert_eq!(e.links[0].href, server.url("/a"));
    assert!(!xml.contains("<script>"), "{xml}");
}

#[test]
fn check_names_checks_only_those() {
    let (server, env) = served(&[("a", POLICY), ("b", POLICY), ("c", POLICY)]);
    let r = env.run(&["check", "c", "a"]);
    r.expect_code(0);
    // Config order, only the named.
    assert_eq!(r.lines(), vec!["NEW a", "NEW c"]);
    assert_eq!(server.hits("/b"), 0);
    let r = env.run(&["check", "nope"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("no target named `nope`"),
        "{}",
        r.stderr()
    );
}

#[test]
fn a_failed_check_is_a_warning_and_a_good_one_info() {
    let server = HttpServer::start();
    server.page("/a", &carrier_page(POLICY, "0"));
    server.route("/b", vec![Reply::status(404)]);
    let env = Env::new();
    env.write_config(
        &[
            TestTarget::new("a", &server.url("/a")),
            TestTarget::new("b", &server.url("/b")),
        ],
        None,
        "",
    );
    let r = env.run_env(&["--log-format", "json", "check"], &[]);
    r.expect_code(1);
    let mut levels = std::collections::HashMap::new();
    for line in r.stderr().lines().filter(|l| l.contains("\"checked\"")) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        levels.insert(
            v["target"].as_str().unwrap().to_string(),
            v["level"].clone(),
        );
    }
    assert_eq!(levels["a"], "INFO", "{}", r.stderr());
    assert_eq!(levels["b"], "WARN", "{}", r.stderr());
}

#[test]
fn plain_status_columns_line_up_whatever_the_name_length() {
    let long = "smartone-broadband-sim-charges-zh-and-more";
    let (_server, env) = served(&[("a", POLICY), (long, ONLINE)]);
    env.run(&["check"]).expect_code(0);
    let r = env.run(&["status"]);
    r.expect_code(0);
    let out = r.stdout();
    let column = |name: &str| {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no line for {name}: {out}"));
        line.find("last check:").expect("a last-check column")
    };
    assert_eq!(column("a"), column(long), "{out}");
    // The long name is whole and followed by a space, not run into the verdict.
    assert!(out.contains(&format!("{long} ")), "{out}");
}
