//! Local files read whole (the config, the lexicon, CA bundles, a password file, a page given to
//! `inspect --file`), each with a bound: a path can name `/dev/zero` or a file grown by mistake,
//! and an unbounded read of it would take the daemon's memory (a SIGHUP reload reads the config
//! in the daemon itself). Errors are `std::io::Error`s so that callers keep their own wording.

use std::io::{self, Read};
use std::path::Path;

/// The config file (a worker's header carries it within 64 MiB, with the lexicon).
pub const MAX_CONFIG: u64 = 16 << 20;
/// A lexicon file (the built-in one is ~0.2 MiB).
pub const MAX_LEXICON: u64 = 4 << 20;
/// A PEM bundle of CA certificates (the system's whole bundle is ~0.2 MiB).
pub const MAX_CA_FILE: u64 = 4 << 20;
/// A password file.
pub const MAX_PASSWORD: u64 = 64 << 10;

/// The bytes of the file at `path`, or an error if it holds more than `limit`.
pub fn read(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let expected = file.metadata().map(|m| m.len()).unwrap_or(0).min(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "larger than {} (the limit for this file)",
                crate::fetch::http::size_text(limit)
            ),
        ));
    }
    Ok(bytes)
}

/// [`read`], as UTF-8 text.
pub fn read_to_string(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read(path, limit)?)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.utf8_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_up_to_its_bound_and_refused_beyond() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![b'a'; 1024]).unwrap();
        assert_eq!(read(&path, 1024).unwrap().len(), 1024);
        let e = read(&path, 1023).unwrap_err();
        assert!(e.to_string().contains("larger than 1023 B"), "{e}");
        assert!(read_to_string(&path, 4096).is_ok());
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(read_to_string(&path, 4096).is_err());
    }

    #[test]
    fn an_endless_file_is_refused_at_the_bound() {
        // /dev/zero never ends: without the bound this read would take all memory.
        let e = read(Path::new("/dev/zero"), MAX_PASSWORD).unwrap_err();
        assert!(e.to_string().contains("larger than 64 KiB"), "{e}");
    }
}
