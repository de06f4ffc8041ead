//! The daemon end to end: its checks run in a worker process, which ends with its burst; a
//! worker that dies is a recorded failure, not a lost check or a dead daemon.

use super::*;

/// The status and error of every check of `target`, oldest first.
fn checks(env: &Env, target: &str) -> Vec<(String, Option<String>)> {
    let db = open_db(env);
    let mut stmt = db
        .prepare("SELECT status, error FROM checks WHERE target = ?1 ORDER BY id")
        .unwrap();
    stmt.query_map([target], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn checks_run_in_a_worker_that_exits_once_its_burst_is_over() {
    let server = HttpServer::start();
    server.page("/p", &policy(1));
    let env = Env::new();
    // Hourly, never checked: caught up once, soon after the start.
    env.write_config(
        &[target("p", &server, "/p", "schedule = \"0 0 * * * *\"")],
        None,
        "",
    );
    let mut d = Daemon::start(&env);
    d.wait_running();
    assert!(
        wait_until(Duration::from_secs(10), || env.db().exists()
            && checks(&env, "p").iter().any(|(s, _)| s == "new")),
        "{}",
        d.log()
    );
    assert_eq!(d.workers().len(), 1, "the check ran in one worker");
    // The worker is let go LINGER (10 s) after its last check; the daemon stays.
    assert!(
        wait_until(Duration::from_secs(20), || d.workers().is_empty()),
        "the worker outlived its burst: {:?}\n{}",
        d.workers(),
        d.log()
    );
    assert!(d.running(), "{}", d.log());
    let (status, _) = d.terminate(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "{}", d.log());
}

#[test]
fn a_worker_killed_mid_check_is_a_recorded_failure_and_the_next_check_runs() {
    let (_server, env, mut d) = daemon_checking_a_slow_page(
        vec![
            Reply::slow(Duration::from_secs(5), &policy(1)),
            Reply::html(&policy(1)),
        ],
        "*/2 * * * * *",
    );
    let workers = d.workers();
    assert_eq!(workers.len(), 1, "{}", d.log());
    kill("KILL", workers[0]);
    // The check in flight is recorded as failed, with why; a later check stores the page.
    assert!(
        wait_until(Duration::from_secs(15), || {
            let seen = checks(&env, "slow");
            seen.iter().any(|(s, e)| {
                s == "error"
                    && e.as_deref().is_some_and(|e| {
                        e.contains("the check worker ended") && e.contains("SIGKILL")
                    })
            }) && seen.iter().any(|(s, _)| s == "new")
        }),
        "{:?}\n{}",
        checks(&env, "slow"),
        d.log()
    );
    assert!(d.running(), "{}", d.log());
    assert!(d.log().contains("check failed"), "{}", d.log());
    let (status, _) = d.terminate(Duration::from_secs(25));
    assert_eq!(status.code(), Some(0), "{}", d.log());
}
