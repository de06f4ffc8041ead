//! `render = "browser"` with real Chromium against pages served on 127.0.0.1: an app shell whose
//! terms arrive through `fetch()`, the page's own requests under the address guard and robots.txt,
//! settling (network idle, `wait_for`, a page that never settles), and the browser process going
//! away when no target needs it. Chromium must be installed (scripts/install-test-deps.sh); these
//! tests fail, never skip, without it. Few and quick: every `check` starts one Chromium.

#[path = "end_to_end/common/mod.rs"]
mod common;

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use policywatch::config::FetchSettings;
use policywatch::fetch::browser::{BrowserError, Chromium, GuardOnly, process};

/// Fails (never skips) with the install hint when Chromium is missing.
fn require_chromium() {
    if let Err(e) = process::find_executable() {
        panic!("{e}");
    }
}

/// An app shell: the terms arrive from /terms.json; a footer outside `main` changes on every load
/// (noise); and the script also tries addresses that must never be reached, by `fetch()` and by
/// WebRTC (STUN and TURN over UDP to `udp_port` on 0.0.0.0, which no interception sees).
fn app_shell(forbidden: &[String], udp_port: u16) -> String {
    let mut probes: String = forbidden
        .iter()
        .map(|u| format!("fetch('{u}').catch(() => {{}});\n"))
        .collect();
    probes.push_str(&format!(
        "try {{ const pc = new RTCPeerConnection({{iceServers: [{{urls: 'stun:0.0.0.0:{udp_port}'}}, \
         {{urls: 'turn:0.0.0.0:{udp_port}?transport=udp', username: 'u', credential: 'c'}}]}}); \
         pc.createDataChannel('probe'); pc.createOffer().then(o => pc.setLocalDescription(o)); }} \
         catch (e) {{}}\n"
    ));
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Terms</title></head>
<body><div id="root"></div><noscript>Please enable JavaScript.</noscript>
<footer id="stamp"></footer>
<script>
{probes}
fetch('/terms.json').then(r => r.json()).then(t => {{
  const main = document.createElement('main');
  for (const p of t.paragraphs) {{ const e = document.createElement('p'); e.textContent = p; main.appendChild(e); }}
  document.getElementById('root').appendChild(main);
  document.getElementById('stamp').textContent = 'Rendered ' + Date.now() + ' ' + Math.random();
}});
</script></body></html>"#
    )
}

fn terms_json(paragraphs: &[&str]) -> Reply {
    let body = serde_json::json!({ "paragraphs": paragraphs }).to_string();
    Reply::bytes(
        200,
        &[("Content-Type", "application/json")],
        body.into_bytes(),
    )
}

/// A listener that counts the connections it accepts: a request that must never be made.
fn counting_listener() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            c.fetch_add(1, Ordering::SeqCst);
            drop(conn);
        }
    });
    (port, count)
}

/// Live processes whose environment carries `TMPDIR=tag`: policywatch passes Chromium only a
/// few variables of its own, `TMPDIR` among them, and Chromium's children inherit it.
fn processes_tagged(tag: &str) -> Vec<u32> {
    let needle = format!("TMPDIR={tag}");
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

/// The processes still tagged once they have had up to 5 s to go: Chromium's children exit on
/// their own after the browser does, a moment later on a loaded machine. Polled, not slept.
fn processes_tagged_after_exit(tag: &str) -> Vec<u32> {
    for _ in 0..50 {
        if processes_tagged(tag).is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    processes_tagged(tag)
}

/// Descendants of `root` whose command is Chromium, by walking the process tree (not through
/// `policywatch` child processes, which other tests of this file run at the same time).
fn chromium_descendants(root: u32) -> usize {
    let mut parent_of = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let comm = head.split_once('(').map(|x| x.1).unwrap_or("").to_string();
        let ppid = rest
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parent_of.push((pid, ppid, comm));
        }
    }
    let mut tree = vec![root];
    let mut count = 0;
    // Breadth-first; bounded by the number of processes.
    let mut i = 0;
    while i < tree.len() && i < parent_of.len() + 1 {
        let p = tree[i];
        for (pid, ppid, comm) in &parent_of {
            // The other test's `policywatch` runs have Chromiums of their own: not ours.
            if *ppid == p && !tree.contains(pid) && comm != "policywatch" {
                tree.push(*pid);
                if comm.contains("chrom") {
                    count += 1;
                }
            }
        }
        i += 1;
    }
    count
}

#[test]
fn app_shell_is_rendered_changes_are_reported_and_forbidden_requests_never_leave() {
    require_chromium();
    let server = HttpServer::start();
    let smtp = start_smtp();
    // 0.0.0.0 reaches this machine's listeners on Linux, and the guard always refuses it: if the
    // refusal failed, the counter would see the connection.
    let (port, never) = counting_listener();
    // WebRTC's UDP, which neither the request interception nor the proxy sink sees.
    let udp = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    udp.set_nonblocking(true).unwrap();
    let udp_port = udp.local_addr().unwrap().port();
    // A second host whose robots.txt forbids /private.
    let other = HttpServer::start();
    other.route(
        "/robots.txt",
        vec![Reply::robots("User-agent: *\nDisallow: /private\n")],
    );
    other.page("/private", "secret");
    let forbidden = vec![
        "http://169.254.169.254/latest/meta-data/".to_string(),
        format!("http://0.0.0.0:{port}/probe"),
        other.url("/private"),
    ];
    server.page("/", &app_shell(&forbidden, udp_port));
    server.route(
        "/terms.json",
        vec![terms_json(&[
            "To terminate the service, please visit any 3Shop in person.",
            "Termination requires not less than thirty (30) days' notice.",
        ])],
    );
    let env = Env::new();
    let mut target = TestTarget::new("js", &server.url("/"));
    target.extra = "render = \"browser\"".into();
    env.write_config(&[target], Some(&smtp_section(smtp.port)), "");
    // A folder of this test's own: what carries it in its environment is this test's.
    let tmp = tempfile::tempdir().unwrap();
    let tag = tmp.path().display().to_string();
    // A normal run logs no ERROR: not even Chromium's DevTools socket closing as it stops.
    // Secrets in the environment never reach Chromium (it runs the page's scripts).
    let run = |args: &[&str]| {
        let r = env.run_env(
            args,
            &[
                ("TMPDIR", &tag),
                ("POLICYWATCH_SMTP_PASSWORD", "hunter2-test-secret"),
            ],
        );
        let log = r.stderr();
        assert!(
            !log.lines().any(|l| l.contains("ERROR")),
            "{args:?} logged an error:\n{log}"
        );
        r
    };

    // While the first check runs, look at the environment of every Chromium process it starts.
    let stop = Arc::new(AtomicUsize::new(0));
    let watcher = {
        let (stop, tag) = (stop.clone(), tag.clone());
        std::thread::spawn(move || {
            let (mut seen, mut leaked) = (std::collections::HashSet::new(), Vec::new());
            while stop.load(Ordering::SeqCst) == 0 {
                for pid in processes_tagged(&tag) {
                    let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
                    if !String::from_utf8_lossy(&cmd).contains("chromium") {
                        continue;
                    }
                    seen.insert(pid);
                    let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
                    if String::from_utf8_lossy(&env).contains("hunter2-test-secret") {
                        leaked.push(pid);
                    }
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            (seen.len(), leaked)
        })
    };
    let r = run(&["check"]);
    stop.store(1, Ordering::SeqCst);
    let (seen, leaked) = watcher.join().unwrap();
    assert!(seen > 0, "no Chromium process was seen");
    assert_eq!(leaked, Vec::<u32>::new(), "a secret reached Chromium");
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["NEW js"], "{}", r.stderr());
    let status = run(&["status"]).stdout();
    assert!(status.contains("not-supported"), "{status}");
    assert!(status.contains("3Shop"), "{status}");
    // Every forbidden request was refused, logged with the page's target, and never made.
    let log = r.stderr();
    for url in &forbidden {
        assert!(
            log.lines().any(|l| l.contains("WARN")
                && l.contains("browser request refused")
                && l.contains(url.as_str())
                && l.contains("js")),
            "no refusal logged for {url}:\n{log}"
        );
    }
    assert!(
        log.contains("refused a forbidden address (169.254.169.254)"),
        "{log}"
    );
    assert!(log.contains("blocked by robots.txt"), "{log}");
    assert_eq!(
        never.load(Ordering::SeqCst),
        0,
        "a refused address was connected to"
    );
    assert_eq!(other.hits("/private"), 0, "robots.txt was not obeyed");
    let mut datagram = [0u8; 1500];
    let mut sent = 0;
    while udp.recv_from(&mut datagram).is_ok() {
        sent += 1;
    }
    assert_eq!(sent, 0, "the page's WebRTC sent UDP past the guard");
    assert_eq!(server.hits("/terms.json"), 1);
    // `check` leaves no Chromium behind.
    assert_eq!(processes_tagged_after_exit(&tag), Vec::<u32>::new());

    // Only the noise outside `main` changes (a new stamp on every render): unchanged.
    let r = run(&["check"]);
    r.expect_code(0);
    assert_eq!(r.lines(), vec!["UNCHANGED js"], "{}", r.stderr());

    // The API's wording changes: reported, with the new wording in the email.
    server.route(
        "/terms.json",
        vec![terms_json(&[
            "To terminate the service, please visit any 3Shop in person.",
            "Termination requires not less than seven (7) days' notice.",
        ])],
    );
    let r = run(&["check"]);
    r.expect_code(0);
    assert!(
        r.lines()[0].starts_with("CHANGED js cancellation"),
        "{}\n{}",
        r.stdout(),
        r.stderr()
    );
    let mails = smtp.mailbox.wait_for(1);
    let text = parse_mail(&mails[0]).body_text(0).unwrap().into_owned();
    assert!(
        text.contains("+ Termination requires not less than seven (7) days' notice."),
        "{text}"
    );

    // inspect --render browser renders first: the static page alone has no terms.
    let r = run(&[
        "inspect",
        "--render",
        "browser",
        "--allow-private-addresses",
        &server.url("/"),
    ]);
    r.expect_code(0);
    let out = r.stdout();
    assert!(out.contains("seven (7) days"), "{out}");
    assert!(
        out.contains("VERDICT online-cancellation: not-supported"),
        "{out}"
    );
    assert_eq!(processes_tagged_after_exit(&tag), Vec::<u32>::new());
}

fn settings(timeout: Duration) -> FetchSettings {
    FetchSettings {
        allow_private_addresses: true,
        timeout,
        ..FetchSettings::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settles_on_wait_for_or_fails_naming_the_cause_and_closes_when_idle() {
    require_chromium();
    let server = HttpServer::start();
    // The terms appear after a request's answer, and an image that never comes keeps the network
    // busy for ever: only `wait_for` can settle this page.
    server.page(
        "/",
        r#"<html><body><img src="/slow.png"><div id="app"></div><script>
fetch('/terms.json').then(r => r.json()).then(t => {
  document.getElementById('app').innerHTML = '<section id="terms">' + t.paragraphs[0] + '</section>';
});
</script></body></html>"#,
    );
    server.route(
        "/terms.json",
        vec![terms_json(&["Cancel online in My Account."])],
    );
    server.route("/slow.png", vec![Reply::NoAnswer]);
    // SAFETY of the test: the variable is read when a Chromium is made, below, in this test only.
    unsafe { std::env::set_var("POLICYWATCH_BROWSER_IDLE", "1s") };
    // 8 s: the first render includes Chromium's start, seconds on a loaded 2-core machine.
    let chromium = Chromium::new(&settings(Duration::from_secs(8)));
    let url = url::Url::parse(&server.url("/")).unwrap();

    let page = chromium
        .render(&url, Some("#terms"), &GuardOnly)
        .await
        .expect("wait_for settles the page");
    assert!(
        page.html.contains("Cancel online in My Account."),
        "{}",
        page.html
    );
    let me = std::process::id();
    assert!(
        chromium_descendants(me) > 0,
        "chromium runs while pages need it"
    );

    let err = chromium.render(&url, None, &GuardOnly).await.unwrap_err();
    // The image is requested by the parser itself, so it is in flight whatever the load on this
    // machine; /terms.json may be too.
    assert!(
        matches!(err, BrowserError::NotSettled { secs: 8, in_flight, .. } if in_flight >= 1),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with("page did not settle within 8 s (") && text.ends_with(" still in flight)"),
        "{text}"
    );
    let err = chromium
        .render(&url, Some("#never"), &GuardOnly)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "wait_for selector `#never` never appeared within 8 s"
    );

    // No page for the idle period: the browser and all its children are gone.
    let mut left = usize::MAX;
    for _ in 0..100 {
        left = chromium_descendants(me);
        if left == 0 && !chromium.is_running().await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, 0, "chromium processes left after the idle close");
    assert!(!chromium.is_running().await);

    // And it comes back when a page needs it.
    let page = chromium
        .render(&url, Some("#terms"), &GuardOnly)
        .await
        .unwrap();
    assert!(page.html.contains("My Account"));
    chromium.shutdown().await;
    assert_eq!(chromium_descendants(me), 0);

    // A page whose script builds a DOM over max_body is refused: measured in the page, the DOM
    // never crosses the DevTools socket.
    server.page(
        "/big",
        r#"<html><body><div id="app"></div><script>
document.getElementById('app').textContent = 'x'.repeat(4 << 20);
</script></body></html>"#,
    );
    let small = Chromium::new(&FetchSettings {
        max_body: 64 << 10,
        ..settings(Duration::from_secs(8))
    });
    let big = url::Url::parse(&server.url("/big")).unwrap();
    let err = small.render(&big, None, &GuardOnly).await.unwrap_err();
    assert!(err.to_string().contains("body over 64.0 KiB"), "{err}");
    small.shutdown().await;
}
