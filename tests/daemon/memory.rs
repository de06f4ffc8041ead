//! The daemon end to end: what it keeps in memory once a burst is over.

use super::*;

/// KiB of `pid`'s memory that maps its own program file.
fn program_rss_kib(pid: u32) -> u64 {
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).expect("the daemon's program");
    let exe = exe.to_string_lossy();
    let exe = exe.strip_suffix(" (deleted)").unwrap_or(&exe);
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).expect("smaps");
    let (mut ours, mut kib) = (false, 0);
    for line in smaps.lines() {
        if let Some(rss) = line.strip_prefix("Rss:") {
            if ours {
                kib += rss
                    .trim()
                    .trim_end_matches(" kB")
                    .trim()
                    .parse::<u64>()
                    .expect("an Rss line");
            }
        } else if is_mapping_line(line) {
            ours = line
                .trim_end()
                .trim_end_matches(" (deleted)")
                .ends_with(exe);
        }
    }
    kib
}

/// A mapping's first line in smaps ("start-end perms offset dev inode path"), not one of its
/// fields ("Size:  4096 kB").
fn is_mapping_line(line: &str) -> bool {
    line.split_whitespace().next().is_some_and(|range| {
        range.contains('-') && range.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
    })
}

#[test]
fn after_a_burst_the_idle_daemon_gives_back_its_programs_pages() {
    let server = HttpServer::start();
    server.page("/p", &policy(1));
    let env = Env::new();
    // Checked once at start (a new target is caught up at once), then not for a year.
    env.write_config(
        &[target("p", &server, "/p", "schedule = \"0 0 0 1 1 *\"")],
        None,
        "",
    );
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
