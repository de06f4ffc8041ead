//! Files the config points at (the lexicon, CA files), read and checked while the config is
//! loaded, so that a missing or broken one is a config error with file, line and key rather than
//! a failure at the first check.

use std::path::PathBuf;

use toml::Spanned;

use super::position::{Utf8Position, one_line};
use super::{ConfigError, Validator};

impl Validator<'_> {
    /// A file the config points at, read now so that a missing one is a config error.
    pub(super) fn read_file(
        &self,
        s: &Spanned<String>,
        key: &str,
        limit: u64,
    ) -> Result<(PathBuf, Vec<u8>), ConfigError> {
        let path = self.relative(s.get_ref());
        let bytes = crate::local_file::read(&path, limit)
            .map_err(|e| self.error(s, key, format!("cannot read {}: {e}", path.display())))?;
        Ok((path, bytes))
    }

    /// A replacement lexicon: it must exist and compile, as it would at run time.
    pub(super) fn lexicon_file(&self, s: &Spanned<String>) -> Result<PathBuf, ConfigError> {
        let (path, bytes) = self.read_file(s, "lexicon", crate::local_file::MAX_LEXICON)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let bad = Utf8Position::of(e.as_bytes(), e.utf8_error());
            self.error(
                s,
                "lexicon",
                format!(
                    "{} is not UTF-8 text: byte 0x{:02X} at offset {} (line {}) is not valid UTF-8",
                    path.display(),
                    bad.byte,
                    bad.offset,
                    bad.line
                ),
            )
        })?;
        crate::extract::lexicon::Lexicon::parse(&path.display().to_string(), &text).map_err(
            |e| {
                let detail = match e {
                    crate::extract::lexicon::LexiconError::Invalid { message, .. } => message,
                    other => other.to_string(),
                };
                self.error(
                    s,
                    "lexicon",
                    format!(
                        "{} is not a valid lexicon: {}",
                        path.display(),
                        one_line(&detail)
                    ),
                )
            },
        )?;
        Ok(path)
    }

    /// An extra root CA: it must exist and hold at least one PEM certificate.
    pub(super) fn ca_file(&self, s: &Spanned<String>, key: &str) -> Result<PathBuf, ConfigError> {
        let (path, bytes) = self.read_file(s, key, crate::local_file::MAX_CA_FILE)?;
        if !has_pem_certificate(&String::from_utf8_lossy(&bytes)) {
            return Err(self.error(
                s,
                key,
                format!(
                    "{} holds no PEM certificate (a `-----BEGIN CERTIFICATE-----` block)",
                    path.display()
                ),
            ));
        }
        if let Err(why) = certificates_parse(&bytes) {
            return Err(self.error(
                s,
                key,
                format!(
                    "{} holds a certificate that cannot be read: {why}",
                    path.display()
                ),
            ));
        }
        Ok(path)
    }
}

/// Whether every PEM certificate in `pem` decodes and parses as the TLS stacks will read it at
/// run time (rustls, for fetches and SMTP alike), so that a broken bundle is a config error.
fn certificates_parse(pem: &[u8]) -> Result<(), String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| format!("{e:?}"))?;
        roots.add(cert).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Whether `text` holds a complete `-----BEGIN CERTIFICATE-----` … `-----END CERTIFICATE-----`
/// block with something between the two lines.
pub(super) fn has_pem_certificate(text: &str) -> bool {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    text.match_indices(BEGIN).any(|(i, _)| {
        let body = &text[i + BEGIN.len()..];
        body.find(END)
            .is_some_and(|j| !body[..j].trim().is_empty() && !body[..j].contains("-----BEGIN"))
    })
}
