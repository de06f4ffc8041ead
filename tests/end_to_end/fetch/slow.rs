//! Fetch faults, end to end: servers that are slow, silent or broken.

use super::*;

#[test]
fn no_answer_times_out() {
    let server = server_with_good_page();
    server.route("/silent", vec![Reply::NoAnswer]);
    let pass = check_fault(&server, &server.url("/silent"));
    pass.expect_bad_then_good("timeout after 2 s");
    assert_eq!(server.hits("/silent"), 2, "a timeout is retried once");
    // Two 2 s attempts and a backoff. The bound only has to be well short of the server's
    // 120 s silence, so a loaded machine cannot trip it.
    assert!(pass.elapsed < Duration::from_secs(60), "{:?}", pass.elapsed);
}

#[test]
fn trickle_is_cut_by_the_whole_request_timeout() {
    let server = server_with_good_page();
    // One byte every 50 ms: no single read ever waits long, yet the whole page takes over 20 s.
    let body = carrier_page(POLICY, "trickle").into_bytes();
    let whole = Duration::from_millis(50) * u32::try_from(body.len()).unwrap();
    assert!(whole > Duration::from_secs(20), "{whole:?}");
    server.route(
        "/trickle",
        vec![Reply::Trickle {
            body,
            pause: Duration::from_millis(50),
        }],
    );
    let pass = check_fault(&server, &server.url("/trickle"));
    pass.expect_bad_then_good("timeout after 2 s");
    // Cut at 2 s a try: well short of half the time the whole page would take, a bound a
    // loaded machine cannot trip.
    assert!(
        pass.elapsed < whole / 2,
        "{:?} for a page that takes {whole:?}",
        pass.elapsed
    );
}

#[test]
fn reset_mid_body() {
    let server = server_with_good_page();
    let page = carrier_page(POLICY, "reset");
    server.route(
        "/reset",
        vec![Reply::ResetMidBody {
            sent: page.as_bytes()[..100].to_vec(),
            len: page.len(),
        }],
    );
    let pass = check_fault(&server, &server.url("/reset"));
    let cause = pass.expect_bad_then_good("connection reset while reading from 127.0.0.1");
    assert_eq!(cause, "connection reset while reading from 127.0.0.1");
    assert_eq!(server.hits("/reset"), 2, "a reset is retried once");
}

#[test]
fn service_unavailable_then_ok_is_retried_within_the_pass() {
    let server = server_with_good_page();
    server.route(
        "/flaky",
        vec![
            Reply::status(503),
            Reply::html(&carrier_page(POLICY, "flaky")),
        ],
    );
    let pass = check_fast(&[
        TestTarget::new("flaky", &server.url("/flaky")),
        TestTarget::new("good", &server.url("/good")),
    ]);
    pass.run.expect_code(0);
    assert_eq!(pass.run.lines(), vec!["NEW flaky", "NEW good"]);
    assert_eq!(server.hits("/flaky"), 2);
    pass.expect_bounded_memory();
}

#[test]
fn too_many_requests_honours_retry_after() {
    let server = server_with_good_page();
    server.route(
        "/busy",
        vec![
            Reply::status(429).with_header("Retry-After", "1"),
            Reply::html(&carrier_page(POLICY, "busy")),
        ],
    );
    let pass = check_fast(&[
        TestTarget::new("busy", &server.url("/busy")),
        TestTarget::new("good", &server.url("/good")),
    ]);
    pass.run.expect_code(0);
    assert_eq!(pass.run.lines(), vec!["NEW busy", "NEW good"]);
    let seen = server.requests("/busy");
    assert_eq!(seen.len(), 2);
    let gap = seen[1].at - seen[0].at;
    // The backoff alone would be 0.25–0.75 s.
    assert!(gap >= Duration::from_millis(950), "retried after {gap:?}");
    assert!(gap < Duration::from_secs(5), "retried after {gap:?}");
    pass.expect_bounded_memory();
}
