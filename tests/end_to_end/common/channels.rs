//! Test servers for notification channels: a webhook receiver that records each POST, and an
//! SMTP server (plain, or implicit TLS) that misbehaves on purpose (never greets, stalls in DATA,
//! refuses a message, never ends its greeting).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// One POST as the receiver got it.
#[derive(Clone, Debug)]
pub struct Post {
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

/// A webhook receiver on 127.0.0.1: answers each POST with the next status of its queue (the
/// last one repeated) and records it.
#[derive(Clone)]
pub struct Receiver {
    pub port: u16,
    posts: Arc<Mutex<Vec<Post>>>,
    statuses: Arc<Mutex<Vec<u16>>>,
}

impl Receiver {
    pub fn start() -> Receiver {
        Receiver::start_on(0)
    }

    pub fn start_on(port: u16) -> Receiver {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind receiver");
        let r = Receiver {
            port: listener.local_addr().unwrap().port(),
            posts: Arc::default(),
            statuses: Arc::new(Mutex::new(vec![200])),
        };
        let me = r.clone();
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let me = me.clone();
                thread::spawn(move || me.serve(conn));
            }
        });
        r
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }

    pub fn answer(&self, statuses: Vec<u16>) {
        *self.statuses.lock().unwrap() = statuses;
    }

    /// Forgets the POSTs received so far.
    pub fn clear(&self) {
        self.posts.lock().unwrap().clear();
    }

    pub fn posts(&self) -> Vec<Post> {
        self.posts.lock().unwrap().clone()
    }

    /// Waits until at least `n` POSTs arrived (the server thread may lag the client a little).
    pub fn wait_for(&self, n: usize) -> Vec<Post> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.posts().len() < n && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(20));
        }
        self.posts()
    }

    fn serve(&self, conn: TcpStream) {
        let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
        let mut reader = BufReader::new(conn);
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let mut headers = HashMap::new();
        // At most 100 header lines.
        for _ in 0..100 {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let len: usize = headers
            .get("content-length")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0)
            .min(10 << 20);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let status = {
            let mut q = self.statuses.lock().unwrap();
            if q.len() > 1 { q.remove(0) } else { q[0] }
        };
        self.posts.lock().unwrap().push(Post {
            path,
            headers,
            body,
        });
        let mut conn = reader.into_inner();
        let _ = write!(
            conn,
            "HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
        );
    }
}

/// How the fake SMTP server misbehaves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SmtpMood {
    /// Talks normally and accepts every message.
    Fine,
    /// Accepts connections and never says a word.
    Silent,
    /// Talks normally until the end of the message, then never answers.
    StallInData,
    /// Refuses the first message with 552 (too large), and that message again whenever it
    /// comes back (known by its Message-ID); accepts the others.
    RefuseFirst,
    /// Refuses the client at the greeting (`554`), as a relay that does not know the client's
    /// address does.
    RefuseClient,
    /// Sends `220 ` and then `x` without a line end, until the client goes away (or
    /// [`FLOOD_CAP`] bytes, so that a client without a bound ends too).
    Flood,
}

/// The most a [`SmtpMood::Flood`] server sends.
pub const FLOOD_CAP: u64 = 256 << 20;

/// `AUTH PLAIN` for user `policywatch`, password `s3cret` (base64 of `\0policywatch\0s3cret`).
const AUTH_OK: &str = "AUTH PLAIN AHBvbGljeXdhdGNoAHMzY3JldA==";

/// A hand-rolled SMTP server: just enough of the protocol for lettre, misbehaving as asked.
/// It offers `AUTH PLAIN` and takes the test credentials only.
#[derive(Clone)]
pub struct FakeSmtp {
    pub port: u16,
    /// Messages accepted, raw.
    pub accepted: Arc<Mutex<Vec<Vec<u8>>>>,
    /// Messages whose data was sent, accepted or not.
    pub data_count: Arc<Mutex<usize>>,
    /// The Message-ID that `RefuseFirst` refuses.
    refused: Arc<Mutex<Option<String>>>,
    /// Bytes a [`SmtpMood::Flood`] server managed to write, over all its connections.
    flooded: Arc<Mutex<u64>>,
    mood: SmtpMood,
}

impl FakeSmtp {
    pub fn start(mood: SmtpMood) -> FakeSmtp {
        FakeSmtp::start_with(mood, None)
    }

    /// The same server with implicit TLS (SMTPS): a TLS session from the first byte, with the
    /// certificate and key in `cert` and `key` (PEM, e.g. from `test_ca`).
    pub fn start_tls(mood: SmtpMood, cert: &Path, key: &Path) -> FakeSmtp {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let key = PrivateKeyDer::from_pem_file(key).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
        FakeSmtp::start_with(mood, Some(Arc::new(config)))
    }

    fn start_with(mood: SmtpMood, tls: Option<Arc<rustls::ServerConfig>>) -> FakeSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind smtp");
        let s = FakeSmtp {
            port: listener.local_addr().unwrap().port(),
            accepted: Arc::default(),
            data_count: Arc::default(),
            refused: Arc::default(),
            flooded: Arc::default(),
            mood,
        };
        let me = s.clone();
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                // A silent server holds the connection until the client gives up.
                let wait = if mood == SmtpMood::Silent { 120 } else { 60 };
                let _ = conn.set_read_timeout(Some(Duration::from_secs(wait)));
                let me = me.clone();
                let tls = tls.clone();
                thread::spawn(move || match tls {
                    None => me.serve(conn),
                    Some(config) => {
                        let Ok(session) = rustls::ServerConnection::new(config) else {
                            return;
                        };
                        me.serve(rustls::StreamOwned::new(session, conn));
                    }
                });
            }
        });
        s
    }

    pub fn data_count(&self) -> usize {
        *self.data_count.lock().unwrap()
    }

    /// Bytes a [`SmtpMood::Flood`] server managed to write before the client went away.
    pub fn flooded(&self) -> u64 {
        *self.flooded.lock().unwrap()
    }

    fn serve<S: Read + Write>(&self, conn: S) {
        let mut reader = BufReader::new(conn);
        let mut buf = [0u8; 512];
        if self.mood == SmtpMood::Silent {
            while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
            return;
        }
        if self.mood == SmtpMood::RefuseClient {
            let _ = reader
                .get_mut()
                .write_all(b"554 5.7.1 Access denied: your address is not allowed\r\n");
            return;
        }
        if self.mood == SmtpMood::Flood {
            let chunk = [b'x'; 64 * 1024];
            let mut next: &[u8] = b"220 ";
            while self.flooded() < FLOOD_CAP && reader.get_mut().write_all(next).is_ok() {
                *self.flooded.lock().unwrap() += next.len() as u64;
                next = &chunk;
            }
            while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
            return;
        }
        let _ = reader.get_mut().write_all(b"220 localhost fake ESMTP\r\n");
        // A bounded conversation: at most 1,000 commands.
        for _ in 0..1000 {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" => b"250-localhost\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n",
                "AUTH" if line.trim_end() == AUTH_OK => b"235 2.7.0 authenticated\r\n",
                "AUTH" => b"535 5.7.8 authentication failed\r\n",
                "DATA" => {
                    let _ = reader.get_mut().write_all(b"354 go ahead\r\n");
                    let mut msg = Vec::new();
                    loop {
                        let mut l = Vec::new();
                        if reader.read_until(b'\n', &mut l).unwrap_or(0) == 0 {
                            return;
                        }
                        if l == b".\r\n" {
                            break;
                        }
                        msg.extend_from_slice(&l);
                    }
                    *self.data_count.lock().unwrap() += 1;
                    let id = String::from_utf8_lossy(&msg)
                        .lines()
                        .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
                        .map(str::to_string);
                    let refuse = self.mood == SmtpMood::RefuseFirst && {
                        let mut refused = self.refused.lock().unwrap();
                        refused.get_or_insert_with(|| id.clone().unwrap_or_default())
                            == &id.unwrap_or_default()
                    };
                    match self.mood {
                        SmtpMood::StallInData => {
                            while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
                            return;
                        }
                        SmtpMood::RefuseFirst if refuse => {
                            b"552 5.3.4 message too big for system\r\n"
                        }
                        _ => {
                            self.accepted.lock().unwrap().push(msg);
                            b"250 2.0.0 queued\r\n"
                        }
                    }
                }
                "QUIT" => {
                    let _ = reader.get_mut().write_all(b"221 bye\r\n");
                    return;
                }
                _ => b"250 ok\r\n",
            };
            if reader.get_mut().write_all(reply).is_err() {
                return;
            }
        }
    }
}
