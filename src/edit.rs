//! Edit: `policywatch add` appends a target to the config file, keeping its comments and layout.
//!
//! The edit is made on a format-preserving TOML document (toml_edit), then the whole new text is
//! validated by the same loader every other command uses. Only a config that loads is written, and
//! it is written atomically (a temporary file beside it, then a rename), so a refused or
//! interrupted `add` leaves the file exactly as it was. Nothing here fetches the page.

use std::io::Write;
use std::path::{Path, PathBuf};

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use crate::config::{Config, ConfigError};

/// A target as given on the `add` command line.
#[derive(Debug, Clone, Default)]
pub struct NewTarget {
    pub url: String,
    /// Default: made from the URL's host and path.
    pub name: Option<String>,
    pub carrier: String,
    pub select: Vec<String>,
    pub remove: Vec<String>,
    pub schedule: Option<String>,
    /// `static` or `browser`; left out of the file when `None`.
    pub render: Option<String>,
    pub wait_for: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not valid TOML, so it cannot be edited safely: {message}", path.display())]
    Syntax { path: PathBuf, message: String },
    #[error("{}: `target` is not an array of [[target]] tables", path.display())]
    TargetNotTables { path: PathBuf },
    /// The edited config does not load; the file was left untouched.
    #[error("{0} (the config file was not changed)")]
    Invalid(ConfigError),
    #[error("cannot write config file {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Appends `target` to the config at `path` and returns the validated new config. The file is
/// written only if the result loads.
pub fn add_target(path: &Path, target: &NewTarget) -> Result<Config, EditError> {
    let source = crate::local_file::read_to_string(path, crate::local_file::MAX_CONFIG).map_err(
        |source| EditError::Read {
            path: path.to_path_buf(),
            source,
        },
    )?;
    let text = with_target(path, &source, target)?;
    let config = Config::parse(path, &text).map_err(EditError::Invalid)?;
    write_atomically(path, &text)?;
    Ok(config)
}

/// The config text `source` with `target` appended as a new `[[target]]` table.
pub fn with_target(path: &Path, source: &str, target: &NewTarget) -> Result<String, EditError> {
    let mut doc: DocumentMut =
        source
            .parse()
            .map_err(|e: toml_edit::TomlError| EditError::Syntax {
                path: path.to_path_buf(),
                message: e.message().trim().to_string(),
            })?;
    let mut table = Table::new();
    table.insert(
        "name",
        value(
            target
                .name
                .clone()
                .unwrap_or_else(|| name_from_url(&target.url)),
        ),
    );
    table.insert("carrier", value(&target.carrier));
    table.insert("url", value(&target.url));
    if !target.select.is_empty() {
        table.insert("select", strings(&target.select));
    }
    if !target.remove.is_empty() {
        table.insert("remove", strings(&target.remove));
    }
    if let Some(s) = &target.schedule {
        table.insert("schedule", value(s));
    }
    if let Some(r) = &target.render {
        table.insert("render", value(r));
    }
    if let Some(w) = &target.wait_for {
        table.insert("wait_for", value(w));
    }
    match doc.get_mut("target") {
        None => {
            let mut tables = ArrayOfTables::new();
            tables.push(table);
            doc.insert("target", Item::ArrayOfTables(tables));
        }
        Some(Item::ArrayOfTables(tables)) => tables.push(table),
        Some(_) => {
            return Err(EditError::TargetNotTables {
                path: path.to_path_buf(),
            });
        }
    }
    Ok(doc.to_string())
}

fn strings(values: &[String]) -> Item {
    let mut array = Array::new();
    for v in values {
        array.push(v.as_str());
    }
    value(array)
}

/// A target name from a URL: host and path, lower case, in the letters the config allows
/// (`www.example.com/help/terms.html` → `example-com-help-terms`). Bounded to 64 characters.
pub fn name_from_url(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest
        .strip_suffix(".html")
        .or_else(|| rest.strip_suffix(".htm"))
        .or_else(|| rest.strip_suffix(".pdf"))
        .unwrap_or(rest);
    let mut name = String::new();
    for c in rest.chars() {
        if name.len() >= 64 {
            break;
        }
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    if name.is_empty() {
        "target".to_string()
    } else {
        name.to_string()
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`, keeping the
/// file's permissions: a crash leaves either the old or the new config, never half of one.
fn write_atomically(path: &Path, text: &str) -> Result<(), EditError> {
    let err = |source| EditError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config".into());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        if let Ok(meta) = std::fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "# my targets\ndatabase = \"x.sqlite3\"\n\n[[target]]\n# the first one\nname = \"a\"\ncarrier = \"C\"\nurl = \"https://example.com/a\"\n";

    fn new(url: &str) -> NewTarget {
        NewTarget {
            url: url.into(),
            carrier: "3HK".into(),
            select: vec!["main".into()],
            ..NewTarget::default()
        }
    }

    #[test]
    fn appends_and_keeps_comments() {
        let text = with_target(
            Path::new("c.toml"),
            BASE,
            &new("https://www.three.com.hk/terms.html"),
        )
        .unwrap();
        assert!(text.starts_with(BASE), "{text}");
        assert!(text.contains("# the first one"));
        let config = Config::parse(Path::new("c.toml"), &text).unwrap();
        assert_eq!(config.targets.len(), 2);
        assert_eq!(config.targets[1].name, "three-com-hk-terms");
        assert_eq!(config.targets[1].select, vec!["main".to_string()]);
    }

    #[test]
    fn first_target_in_a_file_without_any() {
        let text = with_target(
            Path::new("c.toml"),
            "# empty\n",
            &new("https://example.com/"),
        )
        .unwrap();
        let config = Config::parse(Path::new("c.toml"), &text).unwrap();
        assert_eq!(config.targets[0].name, "example-com");
    }

    #[test]
    fn names_from_urls() {
        assert_eq!(
            name_from_url(
                "https://www.hk.chinamobile.com/en/corporate_information/Terms.html?x=1#y"
            ),
            "hk-chinamobile-com-en-corporate-information-terms"
        );
        assert_eq!(name_from_url("http://"), "target");
        assert!(name_from_url(&format!("https://e.com/{}", "a".repeat(500))).len() <= 64);
    }

    #[test]
    fn a_bad_target_leaves_the_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, BASE).unwrap();
        let mut t = new("https://example.com/b");
        t.name = Some("a".into());
        let e = add_target(&path, &t).unwrap_err().to_string();
        assert!(
            e.contains("target[1].name") && e.contains("not changed"),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), BASE);
        let mut t = new("https://example.com/b");
        t.select = vec!["div[".into()];
        let e = add_target(&path, &t).unwrap_err().to_string();
        assert!(e.contains("select"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), BASE);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn a_good_target_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, BASE).unwrap();
        let config = add_target(&path, &new("https://example.com/b")).unwrap();
        assert_eq!(config.targets.len(), 2);
        let again = Config::load(&path).unwrap();
        assert_eq!(again.targets[1].url.as_str(), "https://example.com/b");
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("# the first one")
        );
    }
}
