//! The module layering ARCHITECTURE.md describes, checked on the source text: config may use
//! extract (to validate selectors and the lexicon), so extract must never use config, and the
//! pure alert rules must not reach for I/O (store access, fetching, sending, the clock).

use std::path::Path;

/// Every `.rs` file below `dir`, with its text.
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }
    out
}

fn src(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(rel)
}

#[test]
fn extract_does_not_import_config() {
    let files = sources(&src("extract"));
    assert!(files.len() >= 5, "{files:?}");
    for (path, text) in files {
        assert!(
            !text.contains("crate::config"),
            "{path} uses crate::config: config imports extract, so this makes a circle"
        );
    }
}

#[test]
fn the_alert_rules_do_no_io() {
    let mut files = sources(&src("alerts"));
    files.push((
        "src/alerts.rs".into(),
        std::fs::read_to_string(src("alerts.rs")).unwrap(),
    ));
    for (path, text) in files {
        for io in [
            "lock(",
            "Fetcher",
            "now_unix",
            "Utc::now",
            "SystemTime",
            "tokio::",
            "std::fs",
            "crate::notify",
        ] {
            assert!(!text.contains(io), "{path} mentions {io}");
        }
    }
}
