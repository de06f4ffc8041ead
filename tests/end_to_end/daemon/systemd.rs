//! The daemon end to end: systemd notifications (ready, watchdog, reloading, stopping).

use super::*;

#[test]
fn notify_socket_gets_ready_status_watchdog_reloading_and_stopping() {
    let server = HttpServer::start();
    server.page("/p", &policy(1));
    let env = Env::new();
    env.write_config(&[target("p", &server, "/p", EVERY_SECOND)], None, "");
    let sock_path = env.dir.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).expect("bind the notify socket");
    sock.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let messages: Arc<Mutex<Vec<String>>> = Arc::default();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let messages = messages.clone();
        let done = done.clone();
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                match sock.recv(&mut buf) {
                    Ok(n) => messages
                        .lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&buf[..n]).into_owned()),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                    Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
                    Err(_) => break,
                }
            }
        });
    }
    let lines = || -> Vec<String> {
        messages
            .lock()
            .unwrap()
            .iter()
            .flat_map(|m| m.lines().map(str::to_string).collect::<Vec<_>>())
            .collect()
    };
    let count = |line: &str| lines().iter().filter(|l| *l == line).count();

    let mut d = Daemon::start_with(
        &env,
        &[
            ("NOTIFY_SOCKET", sock_path.to_str().unwrap()),
            ("WATCHDOG_USEC", "2000000"),
        ],
    );
    assert!(
        wait_until(Duration::from_secs(10), || count("READY=1") >= 1),
        "no READY=1: {:?}\n{}",
        lines(),
        d.log()
    );
    // READY comes with the first STATUS.
    let first = messages.lock().unwrap().clone();
    let ready = first
        .iter()
        .find(|m| m.lines().any(|l| l == "READY=1"))
        .unwrap();
    let status = ready
        .lines()
        .find_map(|l| l.strip_prefix("STATUS="))
        .unwrap_or_else(|| panic!("no STATUS= with READY=1: {ready:?}"));
    assert!(
        status.starts_with("1 target, next check ") && status.ends_with(", 0 failing"),
        "{status}"
    );
    assert!(status.contains("HKT"), "{status}");
    // Pings every second (half of WATCHDOG_USEC), from the scheduler.
    assert!(
        wait_until(Duration::from_secs(6), || count("WATCHDOG=1") >= 3),
        "fewer than 3 WATCHDOG=1: {:?}",
        lines()
    );

    // A reload is announced with RELOADING=1 and its MONOTONIC_USEC, and ends with READY=1.
    d.signal("HUP");
    d.wait_log("config reloaded", Duration::from_secs(5));
    assert!(
        wait_until(Duration::from_secs(3), || count("READY=1") >= 2),
        "{:?}",
        lines()
    );
    let all = messages.lock().unwrap().clone();
    let reloading = all
        .iter()
        .find(|m| m.lines().any(|l| l == "RELOADING=1"))
        .unwrap_or_else(|| panic!("no RELOADING=1: {all:?}"));
    assert!(
        reloading.lines().any(|l| l.starts_with("MONOTONIC_USEC=")),
        "{reloading:?}"
    );

    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "{}", d.log());
    assert!(
        wait_until(Duration::from_secs(2), || count("STOPPING=1") == 1),
        "{:?}",
        lines()
    );
    done.store(true, std::sync::atomic::Ordering::SeqCst);
}

#[test]
fn no_watchdog_pings_for_another_process() {
    // WATCHDOG_PID names someone else: the watchdog is not ours to feed.
    let server = HttpServer::start();
    server.page("/p", &policy(1));
    let env = Env::new();
    env.write_config(&[target("p", &server, "/p", "")], None, "");
    let sock_path = env.dir.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut d = Daemon::start_with(
        &env,
        &[
            ("NOTIFY_SOCKET", sock_path.to_str().unwrap()),
            ("WATCHDOG_USEC", "2000000"),
            ("WATCHDOG_PID", "1"),
        ],
    );
    d.wait_running();
    let deadline = Instant::now() + Duration::from_millis(2500);
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        if let Ok(n) = sock.recv(&mut buf) {
            got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
    }
    assert!(got.iter().any(|m| m.contains("READY=1")), "{got:?}");
    assert!(!got.iter().any(|m| m.contains("WATCHDOG=1")), "{got:?}");
    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0));
}
