//! Links are content (issue 13.3): a form that moves is a change, said plainly; tracking noise is
//! not; and the upgrade that starts writing link targets into the text rebaselines silently.
//! Real binary, real HTTP and SMTP servers, a real SQLite file.

use crate::common;

use std::time::Duration;

use common::*;

fn policy(href: &str) -> String {
    format!(
        r#"<h2>Mobile Disconnection Request</h2><p>To terminate the service, send the <a href="{href}">Disconnection Form</a> by fax or visit any 3Shop.</p>"#
    )
}

fn setup() -> (HttpServer, SmtpServer, Env) {
    let server = HttpServer::start();
    let smtp = start_smtp();
    let env = Env::new();
    env.write_config(
        &[TestTarget::new("t1", &server.url("/terms"))],
        Some(&smtp_section(smtp.port)),
        "",
    );
    (server, smtp, env)
}

fn settle() {
    std::thread::sleep(Duration::from_millis(200));
}

#[test]
fn a_moved_form_is_a_change_and_tracking_noise_is_not() {
    let (server, smtp, env) = setup();
    server.page("/terms", &carrier_page(&policy("/forms/disc-en.pdf"), "0"));
    env.run(&["check"]).expect_code(0);
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    let current = store.current("t1").unwrap().unwrap();
    let base = server.url("/forms/disc-en.pdf");
    assert!(
        current
            .blocks
            .iter()
            .any(|b| b.contains(&format!("[Disconnection Form]({base})"))),
        "{:?}",
        current.blocks
    );
    drop(store);

    // The same link with tracking parameters, a session id and a fragment: noise.
    server.page(
        "/terms",
        &carrier_page(
            &policy("/forms/disc-en.pdf;jsessionid=A1B2?utm_source=news&fbclid=x#page=2"),
            "1",
        ),
    );
    let r = env.run(&["check"]);
    assert_eq!(r.lines(), vec!["UNCHANGED t1"]);

    // The form moves online: the same words, another target.
    server.page(
        "/terms",
        &carrier_page(&policy("https://forms.example.com/disconnect"), "2"),
    );
    let r = env.run(&["check"]);
    assert!(r.stdout().starts_with("CHANGED t1 "), "{}", r.stdout());
    let mails = smtp.mailbox.wait_for(1);
    let m = parse_mail(&mails[0]);
    let text = m.body_text(0).unwrap();
    assert!(
        text.contains(&format!(
            "link changed: Disconnection Form → https://forms.example.com/disconnect (was {base})"
        )),
        "{text}"
    );
    let html = m.body_html(0).unwrap();
    assert!(html.contains("link changed:"), "{html}");
}

/// Stored versions from before links were written into the text hold the words only. The
/// extraction version is part of the fingerprint, so the first check after the upgrade re-derives
/// the baseline from the stored page instead of reporting every page with a link as changed.
#[test]
fn the_upgrade_that_writes_links_rebaselines_without_an_alert() {
    let (server, smtp, env) = setup();
    server.page("/terms", &carrier_page(&policy("/forms/disc-en.pdf"), "0"));
    env.run(&["check"]).expect_code(0);

    // Make the database look as the previous release left it: text without link targets, and
    // that release's fingerprint.
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        let (id, text): (i64, String) = conn
            .query_row(
                "SELECT v.id, v.text FROM versions v JOIN targets t ON t.current_version = v.id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let old = policywatch::extract::links::without_targets(&text).into_owned();
        assert_ne!(old, text, "the stored text had a link target");
        conn.execute(
            "UPDATE versions SET text = ?1 WHERE id = ?2",
            rusqlite::params![old, id],
        )
        .unwrap();
        conn.execute(
            "UPDATE targets SET fingerprint = 'from-an-older-release', page_hash = NULL",
            [],
        )
        .unwrap();
    }

    // The page did not change; the upgrade is not a change of the page.
    let r = env.run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED t1"]);
    let r = env.run(&["check"]);
    assert_eq!(r.lines(), vec!["UNCHANGED t1"]);
    settle();
    assert_eq!(smtp.mailbox.count(), 0);
    let store = policywatch::store::Store::open(&env.db()).unwrap();
    let current = store.current("t1").unwrap().unwrap();
    assert!(
        current.blocks.iter().any(|b| b.contains("](")),
        "{:?}",
        current.blocks
    );
}
