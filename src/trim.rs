//! Trim: gives memory freed after a burst of work back to the operating system, so an idle daemon
//! is as small as its live data, not as large as its busiest moment.
//!
//! A pass parses pages on several threads; glibc keeps the freed memory in per-thread arenas and
//! in the middle of its heaps, where it stays resident for the hours until the next pass.
//! `malloc_trim` returns it. Other C libraries already unmap freed memory or have no such call:
//! there this does nothing. SQLite's own page cache is shrunk separately
//! (`Store::release_memory`). Fewer arenas leave less to return ([`limit_arenas`]).

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
