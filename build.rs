//! Build script: a digest of the extraction and verdict source (`src/extract/`), which becomes
//! part of every target's fingerprint (`check::rederive`). Any change to what extraction or the
//! verdict make of a page then re-derives stored baselines once, silently, on the first check
//! after an upgrade, instead of relying on someone remembering to bump a version number: a verdict
//! kept from the old code would otherwise be compared with the new code's, and the difference
//! reported as a change of the page.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new("src/extract");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
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
