//! Build script: a link flag for packed relocations (below), and a digest of the extraction and
//! verdict source (`src/extract/`, and `src/fetch/wall.rs`, which decides whether a page that gave
//! little text is the page at all), which becomes part of every target's fingerprint
//! (`check::rederive`). Any change to what extraction or the verdict make of a page then
//! re-derives stored baselines once, silently, on the first check after an upgrade, instead of
//! relying on someone remembering to bump a version number: a verdict kept from the old code
//! would otherwise be compared with the new code's, and the difference reported as a change of
//! the page.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new("src/extract");
    println!("cargo:rerun-if-changed={}", root.display());
    let wall = Path::new("src/fetch/wall.rs");
    println!("cargo:rerun-if-changed={}", wall.display());
    let mut files = vec![wall.to_path_buf()];
    collect(root, &mut files);
    files.sort();
    // FNV-1a over (path, contents) pairs: stable across toolchains, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
        let contents = fs::read(f).unwrap_or_default();
        let path = f.to_string_lossy().replace('\\', "/");
        for b in path.bytes().chain([0]).chain(contents).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=POLICYWATCH_EXTRACT_DIGEST={h:016x}");

    // Packed relative relocations (DT_RELR, glibc 2.36 and binutils 2.38 or later, as on Debian
    // 12): the position-independent binary's ~1.6 MiB relocation table shrinks to a few KiB, and
    // with it what every process of it (the daemon, each check worker) reads at start and keeps
    // resident (issue 16's idle memory; BENCHMARKS.md "Idle"). Address randomisation stays.
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.ends_with("-linux-gnu") {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}
