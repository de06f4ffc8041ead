//! The daemon end to end: what it keeps in memory once a burst is over.

use super::*;

/// KiB of `pid`'s memory that maps its own program file.
fn program_rss_kib(pid: u32) -> u64 {
    policywatch::trim::program_resident_kib(Path::new(&format!("/proc/{pid}")))
        .expect("the daemon's smaps")
}

#[test]
fn after_a_burst_the_idle_daemon_gives_back_its_programs_pages() {
    let (_server, env) = one_target_checked_yearly();
    // A copy of the binary of its own: the kernel keeps pages that another process maps too,
    // and the other tests' daemons and workers run the same file.
    let program = env.dir.path().join("policywatch-copy");
    std::fs::copy(env!("CARGO_BIN_EXE_policywatch"), &program).expect("copy the binary");
    let d = Daemon::start_program(
        &env,
        &program,
        &[("POLICYWATCH_LOG", "info,policywatch::daemon=debug")],
    );
    d.wait_running();
    d.wait_log("status=NEW", Duration::from_secs(20));
    let busy = program_rss_kib(d.child.id());
    // Once the burst's worker has gone and the HTTP pool has closed (30 s), the follow-up trim
    // gives the pages back.
    d.wait_log("gave back the program's pages", Duration::from_secs(90));
    let idle = program_rss_kib(d.child.id());
    assert!(
        idle * 2 < busy,
        "the daemon's resident pages of its program: {busy} KiB after the check, {idle} KiB idle\n{}",
        d.log()
    );
    // And it still works: a reload re-reads the config and schedules again.
    d.signal("HUP");
    d.wait_log("config reloaded", Duration::from_secs(10));
}
