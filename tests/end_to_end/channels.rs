//! End to end: notification channels (webhook JSON and Slack, email beside them), SMTP servers
//! that stall or refuse, read-only commands in a read-only folder, and a newer schema. The real
//! binary against real servers on 127.0.0.1 and a SQLite file in a temp dir.

use crate::common;
#[path = "common/channels.rs"]
mod fakes;

use std::time::{Duration, Instant};

use common::*;
use fakes::{FakeSmtp, Receiver, SmtpMood};
use hmac::{KeyInit, Mac};

const POLICY: &str = "<h1>Termination</h1><p>To terminate the service, please visit any 3Shop in person.</p><p>Termination requires not less than thirty (30) days' notice.</p>";
const POLICY_ONLINE: &str = "<h1>Termination</h1><p>You may terminate the service online via My Account.</p><p>Termination requires not less than seven (7) days' notice.</p>";
const SECRET: &str = "s3cret-key";

fn webhook(name: &str, url: &str, format: &str, secret: bool) -> String {
    format!(
        "\n[[webhook]]\nname = \"{name}\"\nurl = \"{url}\"\nformat = \"{format}\"\n{}",
        if secret {
            "secret_env = \"PW_TEST_SECRET\"\n"
        } else {
            ""
        }
    )
}

fn verify(body: &[u8], header: &str) {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        header,
        format!("sha256={hex}"),
        "signature of the exact body"
    );
}

fn status(env: &Env) -> String {
    let r = env.run(&["status"]);
    r.expect_code(0);
    r.stdout()
}

#[test]
fn webhook_gets_one_signed_post_per_alert_and_never_holds_up_email() {
    let server = HttpServer::start();
    let smtp = start_smtp();
    let hook_port = free_port(); // the receiver is down at first
    server.page("/terms", &carrier_page(POLICY, "a"));
    let env = Env::new();
    let hook_url = format!("http://127.0.0.1:{hook_port}/hook");
    env.write_config(
        &[TestTarget::new("t1", &server.url("/terms"))],
        Some(&smtp_section(smtp.port)),
        &webhook("ops", &hook_url, "json", true),
    );
    let secret = [("PW_TEST_SECRET", SECRET)];
    let r = env.run_env(&["check-config"], &secret);
    r.expect_code(0);
    assert!(
        r.stdout().contains("channels: email, ops\n"),
        "{}",
        r.stdout()
    );
    assert!(r.stdout().contains("webhook ops (json)"), "{}", r.stdout());
    env.run_env(&["check"], &secret).expect_code(0);

    server.page("/terms", &carrier_page(POLICY_ONLINE, "b"));
    let r = env.run_env(&["check"], &secret);
    r.expect_code(3);
    assert!(
        r.stdout().starts_with("CHANGED t1 verdict"),
        "{}",
        r.stdout()
    );
    // Email went out although the webhook is down.
    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(mails.len(), 1);
    let mail = parse_mail(&mails[0]);
    let message_id = mail.message_id().unwrap().to_string();
    assert!(mail.subject().unwrap().contains("t1"));
    let out = status(&env);
    assert!(out.contains("  ops: 1 pending"), "{out}");
    assert!(out.contains("cannot connect to 127.0.0.1"), "{out}");
    assert!(!out.contains("  email: "), "email is not pending: {out}");

    // The receiver is back: the next check delivers the webhook, once.
    let receiver = Receiver::start_on(hook_port);
    env.run_env(&["check"], &secret).expect_code(0);
    let posts = receiver.wait_for(1);
    assert_eq!(posts.len(), 1);
    let post = &posts[0];
    assert_eq!(post.path, "/hook");
    verify(&post.body, &post.headers["x-policywatch-signature"]);
    let delivery = post.headers["x-policywatch-delivery"].clone();
    assert!(!delivery.is_empty());
    assert_eq!(post.headers["content-type"], "application/json");
    let json: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(json["schema"], 1);
    assert_eq!(json["event"], "change");
    assert_eq!(json["target"], "t1");
    assert_eq!(json["carrier"], "Test Carrier");
    assert_eq!(json["url"], server.url("/terms"));
    assert_eq!(json["severity"], "verdict");
    assert_eq!(json["alert_id"], message_id);
    assert_eq!(json["verdict"]["before"], "not-supported");
    assert_eq!(json["verdict"]["after"], "supported");
    assert!(
        json["verdict"]["evidence_after"][0]["sentence"]
            .as_str()
            .unwrap()
            .contains("online via My Account")
    );
    let has = |key: &str, text: &str| {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b.as_str().unwrap().contains(text))
    };
    assert!(has("removed", "visit any 3Shop"));
    assert!(has("added", "online via My Account"));
    assert!(json["seen_at"].as_str().unwrap().ends_with('Z'));

    // Nothing is sent twice, on either channel.
    env.run_env(&["check"], &secret).expect_code(0);
    assert_eq!(receiver.posts().len(), 1);
    assert_eq!(smtp.mailbox.count(), 1);
    let out = status(&env);
    assert!(!out.contains("pending\n"), "{out}");
}

#[test]
fn slack_format_is_a_slack_message_and_notify_narrows_the_channels() {
    let server = HttpServer::start();
    let receiver = Receiver::start();
    server.page("/terms", &carrier_page(POLICY, "a"));
    let env = Env::new();
    let mut target = TestTarget::new("t1", &server.url("/terms"));
    target.extra = "notify = [\"chat\"]".into();
    env.write_config(
        &[target],
        None,
        &webhook("chat", &receiver.url("/slack"), "slack", false),
    );
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &carrier_page(POLICY_ONLINE, "b"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    // Without [email], reports go to the console, but this target's only go to "chat".
    assert!(
        !r.stderr().contains("----- [policywatch]"),
        "{}",
        r.stderr()
    );
    let posts = receiver.wait_for(1);
    assert_eq!(posts.len(), 1);
    assert!(!posts[0].headers.contains_key("x-policywatch-signature"));
    let v: serde_json::Value = serde_json::from_slice(&posts[0].body).unwrap();
    let text = v["text"].as_str().unwrap();
    assert!(text.contains("t1"), "{text}");
    assert!(text.contains("not-supported → supported"), "{text}");
    let blocks = v["blocks"].as_array().unwrap();
    assert!(!blocks.is_empty() && blocks.len() <= 50);
    for b in blocks {
        let kind = b["type"].as_str().unwrap();
        assert!(["header", "section", "context"].contains(&kind), "{b}");
        if kind == "header" {
            assert_eq!(b["text"]["type"], "plain_text");
            assert!(b["text"]["text"].as_str().unwrap().chars().count() <= 150);
        }
        if kind == "section" {
            assert_eq!(b["text"]["type"], "mrkdwn");
            assert!(b["text"]["text"].as_str().unwrap().chars().count() <= 3000);
        }
    }
    assert!(v.to_string().contains("online via My Account"));
}

#[test]
fn a_refused_webhook_alert_is_kept_until_another_goes_through_and_a_busy_one_retried() {
    let server = HttpServer::start();
    let receiver = Receiver::start();
    receiver.answer(vec![503, 410]);
    server.page("/one", &carrier_page(POLICY, "a"));
    server.page("/two", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(
        &[
            TestTarget::new("t1", &server.url("/one")),
            TestTarget::new("t2", &server.url("/two")),
        ],
        None,
        &webhook("ops", &receiver.url("/hook"), "json", false),
    );
    env.run(&["check"]).expect_code(0);
    server.page("/one", &carrier_page(POLICY_ONLINE, "b"));
    env.run(&["check"]).expect_code(3);
    assert!(status(&env).contains("HTTP 503"));
    // 410 before the receiver has taken any alert: it may refuse every alert alike (a revoked
    // token), so the alert is kept.
    let r = env.run(&["check"]);
    r.expect_code(3);
    assert!(
        r.stderr()
            .contains("1 alert delivery not delivered (1 kept for a retry"),
        "{}",
        r.stderr()
    );
    let out = status(&env);
    assert!(out.contains("HTTP 410"), "{out}");
    assert!(out.contains("a refusal"), "{out}");
    assert!(!out.contains("refused for good"), "{out}");
    // t2's alert goes through; t1's is tried again and refused again: now it is final.
    receiver.answer(vec![410, 200, 410]);
    server.page("/two", &carrier_page(POLICY_ONLINE, "b"));
    let r = env.run(&["check"]);
    r.expect_code(3);
    assert!(r.stderr().contains("refused for good"), "{}", r.stderr());
    let out = status(&env);
    assert!(
        out.contains("refused for good in the last 7 days: 1"),
        "{out}"
    );
    assert!(out.contains("pending alerts: 0"), "{out}");
    let posts = receiver.wait_for(5);
    assert_eq!(posts.len(), 5);
    let ids: Vec<&str> = posts
        .iter()
        .map(|p| p.headers["x-policywatch-delivery"].as_str())
        .collect();
    assert_eq!(ids[0], ids[1], "a retry keeps its delivery id");
    assert_eq!([ids[2], ids[4]], [ids[0], ids[0]]);
    assert_ne!(ids[3], ids[0], "t2's alert went through between t1's tries");
    // Never tried again; the next digest names the refusal.
    receiver.answer(vec![200]);
    env.run(&["check"]).expect_code(0);
    let posts = receiver.wait_for(6);
    assert_eq!(posts.len(), 6);
    let digest: serde_json::Value = serde_json::from_slice(&posts[5].body).unwrap();
    assert_eq!(digest["event"], "digest");
    assert!(
        digest["text"].as_str().unwrap().contains("HTTP 410"),
        "{digest}"
    );
}

#[test]
fn a_refusal_taken_on_its_retry_is_no_failure() {
    // One alert refused, the other taken; the first, tried again, is taken too: everything
    // went out, so `check` exits 0.
    let server = HttpServer::start();
    let receiver = Receiver::start();
    receiver.answer(vec![422, 200]);
    server.page("/one", &carrier_page(POLICY, "a"));
    server.page("/two", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(
        &[
            TestTarget::new("t1", &server.url("/one")),
            TestTarget::new("t2", &server.url("/two")),
        ],
        None,
        &webhook("ops", &receiver.url("/hook"), "json", false),
    );
    env.run(&["check"]).expect_code(0);
    server.page("/one", &carrier_page(POLICY_ONLINE, "b"));
    server.page("/two", &carrier_page(POLICY_ONLINE, "b"));
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(receiver.wait_for(3).len(), 3);
    assert!(status(&env).contains("pending alerts: 0"));
}

#[test]
fn a_webhook_url_from_the_environment_is_used_and_never_shown() {
    let server = HttpServer::start();
    let receiver = Receiver::start();
    receiver.answer(vec![200]);
    server.page("/terms", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", &server.url("/terms"))],
        None,
        "\n[[webhook]]\nname = \"chat\"\nurl_env = \"PW_TEST_HOOK_URL\"\nformat = \"slack\"\n",
    );
    let hook = receiver.url("/services/T0/B0/s3cret-token");
    let r = env.run_env(&["check-config"], &[("PW_TEST_HOOK_URL", &hook)]);
    r.expect_code(0);
    assert!(
        r.stdout()
            .contains("webhook chat (slack) $PW_TEST_HOOK_URL"),
        "{}",
        r.stdout()
    );
    assert!(!r.stdout().contains("s3cret-token"), "{}", r.stdout());
    let r = env.run(&["check-config"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains(
            "webhook chat: url_env names PW_TEST_HOOK_URL, which is not set in this environment"
        ),
        "{}",
        r.stdout()
    );
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &carrier_page(POLICY_ONLINE, "b"));
    // Without the variable the alert waits, and the cause names the variable.
    let r = env.run(&["check"]);
    r.expect_code(3);
    assert!(
        r.stderr()
            .contains("url_env names PW_TEST_HOOK_URL, which is not set"),
        "{}",
        r.stderr()
    );
    assert!(receiver.posts().is_empty());
    let r = env.run_env(&["check"], &[("PW_TEST_HOOK_URL", &hook)]);
    r.expect_code(0);
    assert!(!r.stderr().contains("s3cret-token"), "{}", r.stderr());
    let posts = receiver.wait_for(1);
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].path, "/services/T0/B0/s3cret-token");
}

#[test]
fn webhooks_to_private_addresses_need_the_fetch_permission() {
    let receiver = Receiver::start();
    let by_name = receiver.url("/hook").replace("127.0.0.1", "localhost");
    // A literal address (checked before the request) and a name that resolves to one (checked
    // by the resolver), in both formats: refused without the permission, delivered with it.
    for (url, format) in [(receiver.url("/hook"), "json"), (by_name, "slack")] {
        let env = Env::new();
        env.write_config(
            &[TestTarget::new("t1", "https://example.org/")],
            None,
            &webhook("ops", &url, format, false),
        );
        let allowed = std::fs::read_to_string(&env.config).unwrap();
        assert!(allowed.contains("allow_private_addresses = true"));
        std::fs::write(
            &env.config,
            allowed.replace(
                "allow_private_addresses = true",
                "allow_private_addresses = false",
            ),
        )
        .unwrap();
        let r = env.run(&["send-test", "--channel", "ops"]);
        r.expect_code(1);
        assert!(
            r.stderr().contains("address 127.0.0.1 refused"),
            "{url}: {}",
            r.stderr()
        );
        assert!(
            r.stderr().contains("fetch.allow_private_addresses = true"),
            "{url}: {}",
            r.stderr()
        );
        assert!(receiver.posts().is_empty(), "{url}: nothing connects");

        std::fs::write(&env.config, &allowed).unwrap();
        env.run(&["send-test", "--channel", "ops"]).expect_code(0);
        let posts = receiver.wait_for(1);
        assert_eq!(posts.len(), 1, "{url}");
        let v: serde_json::Value = serde_json::from_slice(&posts[0].body).unwrap();
        match format {
            "json" => assert_eq!(v["event"], "test"),
            _ => assert!(v["blocks"].is_array(), "{v}"),
        }
        receiver.clear();
    }
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", "https://example.org/")],
        None,
        &webhook("ops", &receiver.url("/hook"), "json", false),
    );
    let r = env.run(&["send-test", "--channel", "pager"]);
    r.expect_code(1);
    assert!(
        r.stderr().contains("no channel named `pager`"),
        "{}",
        r.stderr()
    );
}

#[test]
fn send_test_reaches_a_webhook_and_email() {
    let receiver = Receiver::start();
    let smtp = start_smtp();
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", "https://example.org/")],
        Some(&smtp_section(smtp.port)),
        &webhook("ops", &receiver.url("/hook"), "json", true),
    );
    let secret = [("PW_TEST_SECRET", SECRET)];
    let r = env.run_env(&["send-test", "--channel", "ops"], &secret);
    r.expect_code(0);
    let post = &receiver.wait_for(1)[0];
    verify(&post.body, &post.headers["x-policywatch-signature"]);
    let v: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(v["event"], "test");
    env.run(&["send-test", "--channel", "email"]).expect_code(0);
    let mails = smtp.mailbox.wait_for(1);
    assert_eq!(
        parse_mail(&mails[0]).subject(),
        Some("[policywatch] test email")
    );
    // Without the secret in the environment, the webhook says so.
    let r = env.run(&["send-test", "--channel", "ops"]);
    r.expect_code(1);
    assert!(
        r.stderr().contains("PW_TEST_SECRET, which is not set"),
        "{}",
        r.stderr()
    );
}

/// A check against a stuck SMTP server: it returns (its time bounded by the timeout, not by the
/// server), and the alert stays pending with the cause.
fn stuck_smtp(mood: SmtpMood) {
    let server = HttpServer::start();
    let smtp = FakeSmtp::start(mood);
    server.page("/terms", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", &server.url("/terms"))],
        Some(&smtp_section_with_timeout(smtp.port, "2s")),
        "",
    );
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &carrier_page(POLICY_ONLINE, "b"));
    let started = Instant::now();
    let r = env.run(&["check"]);
    // Not a measurement: a hang detector. Without the timeout this took 120 s.
    assert!(started.elapsed() < Duration::from_secs(30), "{mood:?}");
    r.expect_code(3);
    assert!(r.stdout().starts_with("CHANGED t1"), "{}", r.stdout());
    let out = status(&env);
    assert!(out.contains("pending alerts: 1"), "{out}");
    assert!(out.contains("  email: 1 pending"), "{out}");
    assert!(out.contains("1 attempt"), "{out}");
    assert!(out.contains("timed out after 2s"), "{out}");
    assert!(smtp.accepted.lock().unwrap().is_empty());
}

#[test]
fn a_server_that_never_greets_times_out_and_status_says_so() {
    stuck_smtp(SmtpMood::Silent);
}

#[test]
fn a_server_that_stalls_in_data_times_out_and_status_says_so() {
    stuck_smtp(SmtpMood::StallInData);
}

#[test]
fn send_test_email_gives_up_on_a_silent_server() {
    let smtp = FakeSmtp::start(SmtpMood::Silent);
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", "https://example.org/")],
        Some(&smtp_section_with_timeout(smtp.port, "2s")),
        "",
    );
    let started = Instant::now();
    let r = env.run(&["send-test-email"]);
    assert!(started.elapsed() < Duration::from_secs(30));
    r.expect_code(1);
    assert!(r.stderr().contains("timed out after 2s"), "{}", r.stderr());
}

#[test]
fn check_counts_every_alert_left_undelivered_not_only_those_it_tried() {
    // A silent server: the first delivery times out, the channel rests, the second is not
    // tried; both are undelivered, and the exit message says two.
    let server = HttpServer::start();
    let smtp = FakeSmtp::start(SmtpMood::Silent);
    server.page("/a", &carrier_page(POLICY, "a"));
    server.page("/b", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(
        &[
            TestTarget::new("ta", &server.url("/a")),
            TestTarget::new("tb", &server.url("/b")),
        ],
        Some(&smtp_section_with_timeout(smtp.port, "1s")),
        "",
    );
    env.run(&["check"]).expect_code(0);
    server.page("/a", &carrier_page(POLICY_ONLINE, "b"));
    server.page("/b", &carrier_page(POLICY_ONLINE, "b"));
    let r = env.run(&["check"]);
    r.expect_code(3);
    assert!(
        r.stderr()
            .contains("2 alert deliveries not delivered (2 kept for a retry"),
        "{}",
        r.stderr()
    );
    assert!(status(&env).contains("email: 2 pending"));
}

#[test]
fn a_relay_that_refuses_the_client_loses_no_alert() {
    let server = HttpServer::start();
    let refusing = FakeSmtp::start(SmtpMood::RefuseClient);
    server.page("/a", &carrier_page(POLICY, "a"));
    let env = Env::new();
    let targets = [TestTarget::new("ta", &server.url("/a"))];
    env.write_config(&targets, Some(&smtp_section(refusing.port)), "");
    env.run(&["check"]).expect_code(0);
    server.page("/a", &carrier_page(POLICY_ONLINE, "b"));
    let r = env.run(&["check"]);
    r.expect_code(3);
    assert!(r.stderr().contains("(1 kept for a retry"), "{}", r.stderr());
    assert!(r.stderr().contains("0 refused for good"), "{}", r.stderr());
    // Again: still kept.
    env.run(&["check"]).expect_code(3);
    let out = status(&env);
    assert!(out.contains("email: 1 pending"), "{out}");
    assert!(out.contains("554"), "{out}");
    assert!(out.contains("a refusal"), "{out}");
    // The relay is mended (here: the config names one that takes the client): the alert goes.
    let good = FakeSmtp::start(SmtpMood::Fine);
    env.write_config(&targets, Some(&smtp_section(good.port)), "");
    env.run(&["check"]).expect_code(0);
    let accepted = good.accepted.lock().unwrap().clone();
    assert_eq!(accepted.len(), 1);
    assert!(
        parse_mail(&accepted[0]).subject().unwrap().contains("ta"),
        "the kept alert"
    );
}

#[test]
fn a_552_for_one_alert_does_not_block_the_next() {
    let server = HttpServer::start();
    let smtp = FakeSmtp::start(SmtpMood::RefuseFirst);
    server.page("/a", &carrier_page(POLICY, "a"));
    server.page("/b", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(
        &[
            TestTarget::new("ta", &server.url("/a")),
            TestTarget::new("tb", &server.url("/b")),
        ],
        Some(&smtp_section(smtp.port)),
        "",
    );
    env.run(&["check"]).expect_code(0);
    server.page("/a", &carrier_page(POLICY_ONLINE, "b"));
    server.page("/b", &carrier_page(POLICY_ONLINE, "b"));
    let r = env.run(&["check"]);
    r.expect_code(3);
    assert!(r.stderr().contains("refused for good"), "{}", r.stderr());
    assert!(r.stderr().contains("ERROR"), "{}", r.stderr());
    let accepted = smtp.accepted.lock().unwrap().clone();
    assert_eq!(accepted.len(), 1, "the second alert went out");
    // The refused one was tried again once the server had taken the other, and refused again.
    assert_eq!(smtp.data_count(), 3);
    let mail = parse_mail(&accepted[0]);
    let subject = mail.subject().unwrap().to_string();
    assert!(
        subject.contains("ta") || subject.contains("tb"),
        "{subject}"
    );
    let out = status(&env);
    assert!(out.contains("pending alerts: 0"), "{out}");
    assert!(
        out.contains("refused for good in the last 7 days: 1"),
        "{out}"
    );
    assert!(out.contains("552"), "{out}");
    // Refused for good: never tried again; the next digest names it.
    env.run(&["check"]).expect_code(0);
    assert_eq!(smtp.data_count(), 4);
    let accepted = smtp.accepted.lock().unwrap().clone();
    let digest = parse_mail(&accepted[1]);
    assert!(
        digest.subject().unwrap().contains("1 undeliverable"),
        "{:?}",
        digest.subject()
    );
    assert!(digest.body_text(0).unwrap().contains("552"));
}

#[test]
fn status_works_in_a_read_only_folder() {
    use std::os::unix::fs::PermissionsExt;
    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(&[TestTarget::new("t1", &server.url("/terms"))], None, "");
    env.run(&["check"]).expect_code(0);
    let dir = env.dir.path();
    let files = || {
        let mut f: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        f.sort();
        f
    };
    let before = files();
    // Root writes anywhere: the binary runs as nobody, for whom the folder is read-only.
    let mode = if running_as_root() { 0o755 } else { 0o555 };
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).unwrap();
    for f in ["policywatch.toml", "policywatch.sqlite3"] {
        std::fs::set_permissions(dir.join(f), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let run = |args: &[&str]| Run(env.command_as_nobody(args).output().unwrap());
    let r = run(&["status"]);
    let r2 = run(&["history", "t1"]);
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    r.expect_code(0);
    assert!(r.stdout().contains("t1"), "{}", r.stdout());
    assert!(r.stdout().contains("pending alerts: 0"), "{}", r.stdout());
    r2.expect_code(0);
    assert!(r2.stdout().contains("*     1"), "{}", r2.stdout());
    assert_eq!(files(), before, "nothing written beside the database");
}

#[test]
fn a_write_ahead_log_to_replay_is_named_in_a_read_only_folder() {
    use std::os::unix::fs::PermissionsExt;
    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(&[TestTarget::new("t1", &server.url("/terms"))], None, "");
    env.run(&["check"]).expect_code(0);
    // A crash's leftovers: changes still in the log, beside the database, no index.
    let writer = rusqlite::Connection::open(env.db()).unwrap();
    writer
        .execute_batch("PRAGMA wal_autocheckpoint = 0; UPDATE targets SET carrier = 'C2';")
        .unwrap();
    let ro = env.dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let db = ro.join("policywatch.sqlite3");
    std::fs::copy(env.db(), &db).unwrap();
    let wal = env.dir.path().join("policywatch.sqlite3-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    std::fs::copy(&wal, ro.join("policywatch.sqlite3-wal")).unwrap();
    drop(writer);
    for f in [&env.config, &db, &ro.join("policywatch.sqlite3-wal")] {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        &ro,
        std::fs::Permissions::from_mode(if running_as_root() { 0o755 } else { 0o555 }),
    )
    .unwrap();
    let db_arg = db.display().to_string();
    let r = Run(env
        .command_as_nobody(&["--database", &db_arg, "status"])
        .output()
        .unwrap());
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    r.expect_code(1);
    assert!(
        r.stderr()
            .contains("holds changes that must be replayed first"),
        "{}",
        r.stderr()
    );
    assert!(!ro.join("policywatch.sqlite3-shm").exists());
}

#[test]
fn a_newer_schema_is_named_once_and_at_once() {
    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(&[TestTarget::new("t1", &server.url("/terms"))], None, "");
    env.run(&["check"]).expect_code(0);
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let known = policywatch::store::SCHEMA_VERSION;
    let want = format!(
        "this database was written by a newer policywatch (schema 99; this binary knows up to {known})"
    );
    for args in [&["check"][..], &["status"][..]] {
        let started = Instant::now();
        let r = env.run(args);
        r.expect_code(1);
        assert_eq!(
            r.stderr().matches(&want).count(),
            1,
            "{args:?}: {}",
            r.stderr()
        );
        assert!(!r.stderr().contains("too high"), "{}", r.stderr());
        // No retries: a hang detector, not a measurement (it used to take 5.5 s).
        assert!(started.elapsed() < Duration::from_secs(5), "{args:?}");
    }
}

/// `[email]` for a fake SMTP server on `port` by name (the test certificate's), with `security`
/// and any further `[email.smtp]` lines.
fn email_section(port: u16, security: &str, extra: &str) -> String {
    format!(
        "\n[email]\nfrom = \"policywatch <policywatch@example.org>\"\nto = [\"me@example.org\"]\n[email.smtp]\nhost = \"localhost\"\nport = {port}\nsecurity = \"{security}\"\ntimeout = \"10s\"\n{extra}"
    )
}

/// A check against a server that sends `220 ` and then bytes without a line end: the send is cut
/// off at the bound and says so, the alert stays pending, and the server got out no more than
/// the bound and what the two sockets' buffers hold (without the bound the client took all it
/// was given, at network speed, until the timeout).
fn flooded(smtp: &FakeSmtp, email: &str) {
    let server = HttpServer::start();
    server.page("/terms", &carrier_page(POLICY, "a"));
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", &server.url("/terms"))],
        Some(email),
        "",
    );
    env.run(&["check"]).expect_code(0);
    server.page("/terms", &carrier_page(POLICY_ONLINE, "b"));
    let r = env.run(&["check"]);
    r.expect_code(3);
    assert!(r.stdout().starts_with("CHANGED t1"), "{}", r.stdout());
    let out = status(&env);
    assert!(out.contains("pending alerts: 1"), "{out}");
    assert!(out.contains("  email: 1 pending"), "{out}");
    assert!(
        out.contains("the server sent too much (more than 1 MiB on one connection"),
        "{out}"
    );
    let written = smtp.flooded();
    assert!(
        written > 1 << 20 && written < 64 << 20,
        "the server wrote {written} bytes"
    );
}

#[test]
fn a_greeting_without_end_is_cut_off_and_the_alert_stays_pending() {
    let smtp = FakeSmtp::start(SmtpMood::Flood);
    flooded(&smtp, &email_section(smtp.port, "none", ""));
}

#[test]
fn a_greeting_without_end_before_starttls_is_cut_off_too() {
    // The greeting comes before TLS: anyone on the path can send it.
    let smtp = FakeSmtp::start(SmtpMood::Flood);
    flooded(&smtp, &email_section(smtp.port, "starttls", ""));
}

#[test]
fn a_greeting_without_end_inside_implicit_tls_is_cut_off_too() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = test_ca(dir.path());
    let smtp = FakeSmtp::start_tls(SmtpMood::Flood, &cert, &key);
    let ca = format!("ca_file = \"{}\"\n", ca.display());
    flooded(&smtp, &email_section(smtp.port, "tls", &ca));
}

#[test]
fn implicit_tls_delivers_with_a_private_ca_and_only_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = test_ca(dir.path());
    let smtp = FakeSmtp::start_tls(SmtpMood::Fine, &cert, &key);
    let auth = "username = \"policywatch\"\npassword_env = \"PW_TEST_SMTP_PASSWORD\"\n";
    let ca_line = format!("ca_file = \"{}\"\n", ca.display());
    let env = Env::new();
    let config = |extra: &str| {
        env.write_config(
            &[TestTarget::new("t1", "https://example.org/")],
            Some(&email_section(smtp.port, "tls", extra)),
            "",
        );
    };
    let pw = [("PW_TEST_SMTP_PASSWORD", "s3cret")];
    config(&format!("{auth}{ca_line}"));
    // send-test connects once to test the connection (TLS, authentication), then sends.
    let r = env.run_env(&["send-test", "--channel", "email"], &pw);
    r.expect_code(0);
    let accepted = smtp.accepted.lock().unwrap().clone();
    assert_eq!(accepted.len(), 1, "{}", r.stderr());
    let text = String::from_utf8_lossy(&accepted[0]);
    assert!(text.contains("Subject: [policywatch] test email"), "{text}");
    assert!(
        !r.stderr().contains("s3cret"),
        "the password is never logged"
    );

    // A wrong password is refused by the server, over the same TLS.
    let r = env.run_env(
        &["send-test", "--channel", "email"],
        &[("PW_TEST_SMTP_PASSWORD", "wrong")],
    );
    r.expect_code(1);
    assert!(
        r.stderr().contains("authentication failed"),
        "{}",
        r.stderr()
    );

    // Without the CA the certificate is refused: verified as strictly as before.
    config(auth);
    let r = env.run_env(&["send-test", "--channel", "email"], &pw);
    r.expect_code(1);
    assert!(r.stderr().contains("TLS failure"), "{}", r.stderr());
    assert_eq!(smtp.accepted.lock().unwrap().len(), 1);
}
