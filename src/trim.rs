//! Trim: gives memory freed after a burst of work back to the operating system, so an idle daemon
//! is as small as its live data, not as large as its busiest moment.
//!
//! A pass parses pages on several threads; glibc keeps the freed memory in per-thread arenas and
//! in the middle of its heaps, where it stays resident for the hours until the next pass.
//! `malloc_trim` returns it. Other C libraries already unmap freed memory or have no such call:
//! there this does nothing. SQLite's own page cache is shrunk separately
//! (`Store::release_memory`). Fewer arenas leave less to return ([`limit_arenas`]).

/// Gives back the pages of this program's own file that are in memory: its code and read-only
/// data as the kernel mapped them at start-up and during the burst. An idle daemon runs a sliver
/// of its code (the scheduler's tick), yet a pass leaves ~10 MiB of the 22 MB binary resident,
/// more when the file was read into the page cache in large folios (BENCHMARKS.md, "Idle"): the
/// kernel then maps a whole folio at a fault. `MADV_PAGEOUT` (Linux 5.4) unmaps them and lets the
/// kernel reclaim the ones no other process maps; what the daemon runs next faults back in, from
/// the page cache or the file. The mappings are then marked `MADV_RANDOM`: a fault reads the page
/// it needs, not a readahead window of code the daemon does not run (about 0.6 MiB less idle).
/// An idle daemon after a pass of 1000 targets went from 13.8–16.8 MiB to 9.1–9.7 MiB
/// (BENCHMARKS.md, "Idle", round 8). Only mappings that cannot be written are given back, so no
/// data is lost. Elsewhere, or on an older kernel, nothing happens.
/// Returns how many mappings were given back.
pub fn release_code_pages() -> usize {
    #[cfg(target_os = "linux")]
    {
        let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
            return 0;
        };
        let Ok(exe) = std::fs::read_link("/proc/self/exe") else {
            return 0;
        };
        let mut released = 0;
        for (start, end) in read_only_mappings_of(&maps, &exe.to_string_lossy()) {
            // SAFETY: the range is one of this process's own mappings, read from /proc/self/maps
            // just now, of this program's file and not writable. MADV_PAGEOUT and MADV_RANDOM
            // never discard data: a page that is the file's is dropped and read back on the next
            // access; a private copy (the relocated read-only data) can only be swapped out and
            // back. No memory changes under any Rust reference.
            let done = unsafe {
                let at = start as *mut libc::c_void;
                let paged_out = libc::madvise(at, end - start, libc::MADV_PAGEOUT) == 0;
                // A hint only: its failure changes nothing but how much a fault reads.
                libc::madvise(at, end - start, libc::MADV_RANDOM);
                paged_out
            };
            released += usize::from(done);
        }
        released
    }
    #[cfg(not(target_os = "linux"))]
    0
}

/// The address ranges of `maps` (the text of `/proc/<pid>/maps`) that map the file `exe` and
/// cannot be written. A binary replaced on disk since the start (an upgrade) is shown with
/// " (deleted)" after its path, and still counts.
fn read_only_mappings_of(maps: &str, exe: &str) -> Vec<(usize, usize)> {
    let exe = without_deleted(exe);
    maps.lines()
        .filter_map(mapping)
        .filter(|m| m.path == exe && !m.perms.contains('w'))
        .map(|m| (m.start, m.end))
        .collect()
}

/// KiB of the process at `proc` (`/proc/self`, `/proc/<pid>`) that is resident in mappings of its
/// own program file, from its `smaps`; `None` when they cannot be read.
pub fn program_resident_kib(proc: &std::path::Path) -> Option<u64> {
    let exe = std::fs::read_link(proc.join("exe")).ok()?;
    let exe = exe.to_string_lossy();
    let exe = without_deleted(&exe);
    let smaps = std::fs::read_to_string(proc.join("smaps")).ok()?;
    let (mut ours, mut kib) = (false, 0);
    for line in smaps.lines() {
        if let Some(m) = mapping(line) {
            ours = m.path == exe;
        } else if let Some(rss) = line.strip_prefix("Rss:")
            && ours
        {
            kib += rss
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()?;
        }
    }
    Some(kib)
}

/// One mapping, as a line of `maps` (or the first line of one in `smaps`) shows it.
struct Mapping<'a> {
    start: usize,
    end: usize,
    perms: &'a str,
    /// The file's path, without the " (deleted)" of a file replaced since.
    path: &'a str,
}

/// `line` read as "start-end perms offset dev inode path" (the path is the rest after five
/// fields); `None` for anything else, such as an `smaps` field ("Size:  4096 kB").
fn mapping(line: &str) -> Option<Mapping<'_>> {
    let mut fields = line.splitn(6, ' ');
    let (start, end) = fields.next()?.split_once('-')?;
    let start = usize::from_str_radix(start, 16).ok()?;
    let end = usize::from_str_radix(end, 16).ok()?;
    let perms = fields.next()?;
    let path = without_deleted(fields.nth(3).unwrap_or("").trim());
    (end > start).then_some(Mapping {
        start,
        end,
        perms,
        path,
    })
}

fn without_deleted(path: &str) -> &str {
    path.strip_suffix(" (deleted)").unwrap_or(path)
}

/// The most glibc malloc arenas the process uses (see [`limit_arenas`]).
pub const ARENAS: i32 = 2;

/// Returns free heap memory to the operating system; cheap enough to call after every burst.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers and only walks glibc's own heap under its locks;
    // it is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Caps glibc's malloc arenas at [`ARENAS`]; call it before any thread starts. glibc gives a
/// thread that allocates while the others' arenas are busy an arena of its own, up to 8 per
/// core, and a pass's blocking threads leave theirs behind, each with free pages pinned by a few
/// live allocations that `malloc_trim` cannot return. With two arenas an idle daemon is 3–6 MiB
/// smaller after a pass of 1000 targets, with a lower peak and the same CPU (BENCHMARKS.md,
/// "Idle"). A limit the user set (`GLIBC_TUNABLES=glibc.malloc.arena_max`, `MALLOC_ARENA_MAX`)
/// is left alone. Returns whether the cap was set.
pub fn limit_arenas() -> bool {
    if user_set_arenas() {
        return false;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt takes no pointers; it only sets a parameter of glibc's allocator under
    // its own lock.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS) == 1
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    false
}

/// Whether the user's environment sets glibc's arena limit itself.
fn user_set_arenas() -> bool {
    std::env::var_os("MALLOC_ARENA_MAX").is_some()
        || std::env::var("GLIBC_TUNABLES").is_ok_and(|t| t.contains("arena_max"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_programs_own_read_only_mappings_are_given_back() {
        let maps = "\
55d0c0000000-55d0c0400000 r--p 00000000 08:01 1234                       /usr/bin/policywatch
55d0c0400000-55d0c1000000 r-xp 00400000 08:01 1234                       /usr/bin/policywatch
55d0c1000000-55d0c1100000 rw-p 01000000 08:01 1234                       /usr/bin/policywatch
55d0c1100000-55d0c1200000 r--p 01100000 08:01 1234                       /usr/bin/policywatch-old
7f0000000000-7f0000100000 r-xp 00000000 08:01 99                         /usr/lib/x86_64-linux-gnu/libc.so.6
7f0000200000-7f0000300000 rw-p 00000000 00:00 0                          [heap]
7ffd00000000-7ffd00001000 r-xp 00000000 00:00 0                          [vdso]
garbage line
";
        assert_eq!(
            super::read_only_mappings_of(maps, "/usr/bin/policywatch"),
            [
                (0x55d0c0000000, 0x55d0c0400000),
                (0x55d0c0400000, 0x55d0c1000000)
            ]
        );
        // Replaced on disk by an upgrade: the kernel marks the old file deleted.
        let upgraded =
            "55d0c0400000-55d0c1000000 r-xp 00400000 08:01 1234   /usr/bin/policywatch (deleted)\n";
        assert_eq!(
            super::read_only_mappings_of(upgraded, "/usr/bin/policywatch (deleted)"),
            [(0x55d0c0400000, 0x55d0c1000000)]
        );
        assert!(super::read_only_mappings_of(maps, "/usr/bin/other").is_empty());
        // In smaps: a field is no mapping, and an anonymous mapping has no path (it ends the
        // program's mapping before it).
        assert!(super::mapping("Size:               4096 kB").is_none());
        assert_eq!(
            super::mapping("7f0000200000-7f0000300000 rw-p 00000000 00:00 0").map(|m| m.path),
            Some("")
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_programs_pages_leave_memory_and_come_back_when_run() {
        let exe_rss_kib = || {
            super::program_resident_kib(std::path::Path::new("/proc/self"))
                .expect("this process's smaps")
        };
        let before = exe_rss_kib();
        assert!(super::release_code_pages() >= 2, "code and read-only data");
        let after = exe_rss_kib();
        assert!(
            after * 2 < before,
            "the test binary's resident pages: {before} KiB before, {after} KiB after"
        );
        // Code runs on: what it needs faults back in.
        assert!(exe_rss_kib() > 0);
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn arenas_are_capped_unless_the_user_set_a_cap() {
        assert_eq!(super::limit_arenas(), !super::user_set_arenas());
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn freed_memory_goes_back_to_the_system() {
        fn rss_kib() -> u64 {
            std::fs::read_to_string("/proc/self/status")
                .unwrap()
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
                .unwrap()
        }
        // Fragmentation, as a pass leaves it: blocks below the mmap threshold (so they live in
        // the heap), every other one freed, so no free space is at the top to shrink by itself.
        let mut blocks: Vec<Option<Vec<u8>>> =
            (0..8192).map(|_| Some(vec![1u8; 16 * 1024])).collect();
        for b in blocks.iter_mut().step_by(2) {
            *b = None;
        }
        let before = rss_kib();
        super::release_free_memory();
        let after = rss_kib();
        assert!(
            after + 32 * 1024 < before,
            "64 MiB freed in 16 KiB holes: RSS {before} KiB before the trim, {after} KiB after"
        );
        drop(blocks);
    }
}
