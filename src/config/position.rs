//! Where in the config file: byte offsets → line and column, the dotted key at an offset, the
//! first byte that is not UTF-8, and TOML parser messages on one line. Every config error names
//! file, line and key through these.

/// A TOML parser message on one line: its multi-line snippet (`TOML parse error at line 2, column
/// 9`, the source line, a caret line, the message) becomes `line 2, column 9: the message`.
pub(super) fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message.trim().lines().collect();
    match (lines.first(), lines.last()) {
        (Some(first), Some(last)) if lines.len() > 1 => {
            let at = first.trim().trim_start_matches("TOML parse error at ");
            format!("{at}: {}", last.trim())
        }
        _ => message.trim().to_string(),
    }
}

/// Where the first byte that is not UTF-8 sits in a file.
pub(super) struct Utf8Position {
    pub line: usize,
    /// 1-based, in characters of the valid text before the byte.
    pub column: usize,
    pub offset: usize,
    pub byte: u8,
}

impl Utf8Position {
    pub fn of(bytes: &[u8], error: std::str::Utf8Error) -> Utf8Position {
        let offset = error.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let (line, column) = line_col(valid, offset);
        Utf8Position {
            line,
            column,
            offset,
            byte: bytes.get(offset).copied().unwrap_or(0),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = source
        .get(line_start..offset)
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

/// Best-effort dotted key path (`fetch.timeout`, `target[2].schedule`) for a byte offset, so that
/// errors reported by the TOML parser name the key as well as the line.
pub(super) fn key_at(source: &str, offset: usize) -> String {
    let mut table = String::new();
    let mut array_counts: std::collections::HashMap<String, usize> = Default::default();
    let mut pos = 0;
    let mut key = String::new();
    for line in source.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let trimmed = line.trim();
        if let Some(name) = trimmed
            .strip_prefix("[[")
            .and_then(|r| r.split("]]").next())
        {
            let name = name.trim().to_string();
            let n = array_counts.entry(name.clone()).or_insert(0);
            table = format!("{name}[{n}]");
            *n += 1;
            key.clear();
        } else if let Some(name) = trimmed.strip_prefix('[').and_then(|r| r.split(']').next()) {
            table = name.trim().to_string();
            key.clear();
        } else if let Some((k, _)) = trimmed.split_once('=')
            && !trimmed.starts_with('#')
        {
            key = k.trim().trim_matches('"').to_string();
        }
        if offset < pos {
            let _ = start;
            break;
        }
    }
    match (table.is_empty(), key.is_empty()) {
        (true, _) => key,
        (false, true) => table,
        (false, false) => format!("{table}.{key}"),
    }
}
