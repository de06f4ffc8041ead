//! Shared test harness: a real HTTP server and a real SMTP server on 127.0.0.1, a temp dir with a
//! config and a SQLite file, and a runner for the real binary.
//!
//! The HTTP server is a raw `std::net::TcpListener` rather than a mock library, because the fault
//! cases (no answer, trickle, reset mid-body, bombs) need a server that can misbehave on purpose.
#![allow(dead_code)]

pub mod pdf;
pub mod preselect;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// HTTP

/// What the server does for one request.
#[derive(Clone)]
pub enum Reply {
    /// A normal response.
    Ok {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Accept the connection, read the request, never answer.
    NoAnswer,
    /// Read the request, then close the connection without sending a byte.
    CloseWithoutAnswer,
    /// Send headers, then the body one byte at a time with a pause.
    Trickle { body: Vec<u8>, pause: Duration },
    /// Send headers announcing `len` bytes and only part of the body, then reset the connection.
    ResetMidBody { sent: Vec<u8>, len: usize },
    /// Stream `len` bytes of filler (never held in memory).
    Huge { len: u64, content_type: String },
    /// Wait `delay` after reading the request, then send `reply`. The wait counts in
    /// `HttpServer::max_busy`.
    Delayed { delay: Duration, reply: Box<Reply> },
    /// A page with an ETag (and optionally Last-Modified): 304 Not Modified when the request's
    /// If-None-Match names the ETag or its If-Modified-Since equals `last_modified`.
    Conditional {
        etag: String,
        last_modified: Option<String>,
        reply: Box<Reply>,
    },
}

impl Reply {
    pub fn html(body: &str) -> Reply {
        Reply::Ok {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }
    pub fn status(status: u16) -> Reply {
        Reply::Ok {
            status,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: format!("<html><body>status {status}</body></html>").into_bytes(),
        }
    }
    pub fn bytes(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> Reply {
        Reply::Ok {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body,
        }
    }
    /// A robots.txt with `body`.
    pub fn robots(body: &str) -> Reply {
        Reply::bytes(
            200,
            &[("Content-Type", "text/plain")],
            body.as_bytes().to_vec(),
        )
    }
    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::bytes(status, &[("Location", location)], Vec::new())
    }
    pub fn with_header(mut self, k: &str, v: &str) -> Reply {
        if let Reply::Ok { headers, .. } = &mut self {
            headers.push((k.into(), v.into()));
        }
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub at: Instant,
}

#[derive(Default)]
struct Routes {
    /// Per path, a queue of replies; the last one is repeated forever.
    replies: HashMap<String, Vec<Reply>>,
    seen: Vec<Seen>,
}

#[derive(Clone)]
pub struct HttpServer {
    pub addr: SocketAddr,
    routes: Arc<Mutex<Routes>>,
    active: Arc<AtomicUsize>,
    pub max_active: Arc<AtomicUsize>,
    busy: Arc<AtomicUsize>,
    /// The most `Reply::Delayed` waits in progress at once. Unlike `max_active` it excludes the
    /// server's own lingering after a reply, so it counts only requests the client has in flight.
    pub max_busy: Arc<AtomicUsize>,
}

impl HttpServer {
    pub fn start() -> HttpServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let server = HttpServer {
            addr: listener.local_addr().unwrap(),
            routes: Arc::default(),
            active: Arc::default(),
            max_active: Arc::default(),
            busy: Arc::default(),
            max_busy: Arc::default(),
        };
        let s = server.clone();
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let s = s.clone();
                thread::spawn(move || s.serve(conn));
            }
        });
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Sets the replies for a path: served in order, the last one repeated.
    pub fn route(&self, path: &str, replies: Vec<Reply>) {
        self.routes
            .lock()
            .unwrap()
            .replies
            .insert(path.to_string(), replies);
    }

    pub fn page(&self, path: &str, html: &str) {
        self.route(path, vec![Reply::html(html)]);
    }

    pub fn requests(&self, path: &str) -> Vec<Seen> {
        self.routes
            .lock()
            .unwrap()
            .seen
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }

    pub fn hits(&self, path: &str) -> usize {
        self.requests(path).len()
    }

    fn next_reply(&self, path: &str) -> Option<Reply> {
        let mut routes = self.routes.lock().unwrap();
        let queue = routes.replies.get_mut(path)?;
        if queue.len() > 1 {
            Some(queue.remove(0))
        } else {
            queue.first().cloned()
        }
    }

    fn serve(&self, mut conn: TcpStream) {
        let n = self.active.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_active.fetch_max(n, Ordering::SeqCst);
        let _ = self.serve_one(&mut conn);
        self.active.fetch_sub(1, Ordering::SeqCst);
    }

    fn serve_one(&self, conn: &mut TcpStream) -> std::io::Result<()> {
        let mut reader = BufReader::new(conn.try_clone()?);
        let mut request_line = String::new();
        reader.read_line(&mut request_line)?;
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_string();
        let mut headers = HashMap::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        self.routes.lock().unwrap().seen.push(Seen {
            path: path.clone(),
            headers: headers.clone(),
            at: Instant::now(),
        });
        let mut reply = match self.next_reply(&path) {
            Some(r) => r,
            None => Reply::Ok {
                status: 404,
                headers: vec![("Content-Type".into(), "text/plain".into())],
                body: b"not found".to_vec(),
            },
        };
        // Unwrap the wrappers down to a reply that is written below.
        let reply = loop {
            reply = match reply {
                Reply::Delayed { delay, reply } => {
                    let n = self.busy.fetch_add(1, Ordering::SeqCst) + 1;
                    self.max_busy.fetch_max(n, Ordering::SeqCst);
                    thread::sleep(delay);
                    // Not busy before a byte of the reply is written: the client cannot have
                    // finished this request while it still counts.
                    self.busy.fetch_sub(1, Ordering::SeqCst);
                    *reply
                }
                Reply::Conditional {
                    etag,
                    last_modified,
                    reply,
                } => {
                    let etag_matches = headers
                        .get("if-none-match")
                        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
                    let date_matches = last_modified.as_ref().is_some_and(|lm| {
                        headers.get("if-modified-since").is_some_and(|v| v == lm)
                    });
                    let mut extra = vec![("ETag".to_string(), etag.clone())];
                    if let Some(lm) = &last_modified {
                        extra.push(("Last-Modified".to_string(), lm.clone()));
                    }
                    if etag_matches || date_matches {
                        let mut head =
                            "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n".to_string();
                        for (k, v) in &extra {
                            head.push_str(&format!("{k}: {v}\r\n"));
                        }
                        head.push_str("\r\n");
                        conn.write_all(head.as_bytes())?;
                        let _ = conn.flush();
                        return Ok(());
                    }
                    let mut reply = *reply;
                    for (k, v) in &extra {
                        reply = reply.with_header(k, v);
                    }
                    reply
                }
                other => break other,
            };
        };
        match reply {
            Reply::Delayed { .. } | Reply::Conditional { .. } => unreachable!("unwrapped above"),
            Reply::Ok {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
                for (k, v) in &headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                if !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                {
                    head.push_str(&format!("Content-Length: {}\r\n", body.len()));
                }
                head.push_str("\r\n");
                conn.write_all(head.as_bytes())?;
                conn.write_all(&body)?;
            }
            Reply::NoAnswer => {
                thread::sleep(Duration::from_secs(120));
            }
            Reply::CloseWithoutAnswer => {
                conn.shutdown(Shutdown::Both)?;
                return Ok(());
            }
            Reply::Trickle { body, pause } => {
                conn.write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .as_bytes(),
                )?;
                for b in body {
                    conn.write_all(&[b])?;
                    conn.flush()?;
                    thread::sleep(pause);
                }
            }
            Reply::ResetMidBody { sent, len } => {
                conn.write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
                    )
                    .as_bytes(),
                )?;
                conn.write_all(&sent)?;
                conn.flush()?;
                // SO_LINGER 0 makes close() send RST instead of FIN.
                let _ = socket2_linger_zero(conn);
                conn.shutdown(Shutdown::Both)?;
            }
            Reply::Huge { len, content_type } => {
                conn.write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nConnection: close\r\n\r\n"
                    )
                    .as_bytes(),
                )?;
                let chunk = vec![b'a'; 64 * 1024];
                let mut left = len;
                while left > 0 {
                    let n = left.min(chunk.len() as u64) as usize;
                    if conn.write_all(&chunk[..n]).is_err() {
                        break;
                    }
                    left -= n as u64;
                }
            }
        }
        let _ = conn.flush();
        // Drain anything left so the client sees a clean close.
        let _ = conn.set_read_timeout(Some(Duration::from_millis(50)));
        let mut sink = [0u8; 1024];
        let _ = conn.read(&mut sink);
        Ok(())
    }
}

fn socket2_linger_zero(conn: &TcpStream) -> std::io::Result<()> {
    socket2::SockRef::from(conn).set_linger(Some(Duration::ZERO))
}

// ---------------------------------------------------------------------------------------------
// SMTP

#[derive(Clone, Default)]
pub struct Mailbox {
    pub messages: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Mailbox {
    pub fn count(&self) -> usize {
        self.messages.lock().unwrap().len()
    }
    pub fn raw(&self) -> Vec<Vec<u8>> {
        self.messages.lock().unwrap().clone()
    }
    /// Waits until at least `n` messages arrived (the server thread may lag the client a little).
    pub fn wait_for(&self, n: usize) -> Vec<Vec<u8>> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.count() < n && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(20));
        }
        self.raw()
    }
}

#[derive(Clone)]
struct Collect {
    mailbox: Mailbox,
    current: Vec<u8>,
}

impl mailin_embedded::Handler for Collect {
    fn data_start(&mut self, _: &str, _: &str, _: bool, _: &[String]) -> mailin_embedded::Response {
        self.current.clear();
        mailin_embedded::response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> mailin_embedded::Response {
        let msg = std::mem::take(&mut self.current);
        self.mailbox.messages.lock().unwrap().push(msg);
        mailin_embedded::response::OK
    }
    fn auth_plain(&mut self, _: &str, user: &str, password: &str) -> mailin_embedded::Response {
        if user == "policywatch" && password == "s3cret" {
            mailin_embedded::response::AUTH_OK
        } else {
            mailin_embedded::response::INVALID_CREDENTIALS
        }
    }
}

pub struct SmtpServer {
    pub port: u16,
    pub mailbox: Mailbox,
}

/// Starts a real SMTP server on `port` (0 for any), with STARTTLS when `tls` names a cert and key.
pub fn start_smtp_on(port: u16, tls: Option<(&Path, &Path)>) -> SmtpServer {
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind smtp");
    let port = listener.local_addr().unwrap().port();
    let mailbox = Mailbox::default();
    let handler = Collect {
        mailbox: mailbox.clone(),
        current: Vec::new(),
    };
    let mut server = mailin_embedded::Server::new(handler);
    server.with_name("localhost").with_tcp_listener(listener);
    if let Some((cert, key)) = tls {
        server
            .with_ssl(mailin_embedded::SslConfig::SelfSigned {
                cert_path: cert.display().to_string(),
                key_path: key.display().to_string(),
            })
            .expect("tls config");
        // mailin then requires AUTH before MAIL: the TLS tests also cover authentication.
        server.with_auth(mailin_embedded::AuthMechanism::Plain);
    }
    thread::spawn(move || {
        let _ = server.serve();
    });
    SmtpServer { port, mailbox }
}

pub fn start_smtp() -> SmtpServer {
    start_smtp_on(0, None)
}

/// A port with nothing listening (for "SMTP server down").
/// A port free now that a test binds later, or binds again after closing it (a server that
/// goes down and comes back). It is taken below the kernel's ephemeral range: a port from that
/// range (what binding port 0 gives) can meanwhile become the source port of any outgoing
/// connection a parallel test makes, and the later bind then fails with "address in use".
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    const FIRST: u32 = 10_000;
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let ephemeral = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|r| r.split_whitespace().next()?.parse::<u32>().ok())
        .unwrap_or(32_768);
    let span = ephemeral.saturating_sub(FIRST).max(1);
    // Test binaries run one after another, tests of one binary in parallel: the process id
    // spreads the binaries, the counter the tests of one.
    let start = std::process::id().wrapping_mul(7919);
    for _ in 0..span {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = FIRST + start.wrapping_add(n) % span;
        let port = u16::try_from(port).expect("ports below the ephemeral range fit in u16");
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port below the ephemeral range ({FIRST}..{ephemeral})");
}

/// A test CA and a leaf certificate for localhost/127.0.0.1, written as PEM files in `dir`.
/// Returns (ca_cert, leaf_cert, leaf_key).
pub fn test_ca(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, KeyUsagePurpose};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "policywatch test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    let ca_path = dir.join("ca.pem");
    let cert_path = dir.join("leaf.pem");
    let key_path = dir.join("leaf-key.pem");
    std::fs::write(&ca_path, ca_cert.pem()).unwrap();
    std::fs::write(&cert_path, leaf.pem()).unwrap();
    std::fs::write(&key_path, leaf_key.serialize_pem()).unwrap();
    (ca_path, cert_path, key_path)
}

// ---------------------------------------------------------------------------------------------
// Config and binary

pub struct TestTarget {
    pub name: String,
    pub carrier: String,
    pub url: String,
    pub select: Vec<String>,
    pub remove: Vec<String>,
    pub extra: String,
}

impl TestTarget {
    pub fn new(name: &str, url: &str) -> TestTarget {
        TestTarget {
            name: name.into(),
            carrier: "Test Carrier".into(),
            url: url.into(),
            select: vec!["main".into()],
            remove: vec![],
            extra: String::new(),
        }
    }
}

pub struct Env {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("policywatch.toml");
        Env { dir, config }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("policywatch.sqlite3")
    }

    /// Writes a config: fast politeness settings, private addresses allowed, optional email.
    pub fn write_config(&self, targets: &[TestTarget], email: Option<&str>, extra: &str) {
        let mut s = String::from(
            "database = \"policywatch.sqlite3\"\n\n[fetch]\ntimeout = \"5s\"\nallow_private_addresses = true\nper_host_delay = \"0s\"\nretries = 2\n",
        );
        s.push_str(extra);
        if !extra.contains("[alerts]") {
            // Confirmation re-fetches at once: tests need not wait the default 10 s.
            s.push_str("\n[alerts]\nconfirm_delay = \"0s\"\n");
        }
        if let Some(e) = email {
            s.push_str(e);
        }
        s.push_str(&targets_toml(targets));
        std::fs::write(&self.config, s).unwrap();
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = self.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run(cmd.output().expect("run policywatch"))
    }

    /// The binary with this config and `args`, untouched by the caller's POLICYWATCH_CONFIG and
    /// POLICYWATCH_DATABASE, logging at INFO: for tests that spawn it themselves.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_from(Command::new(env!("CARGO_BIN_EXE_policywatch")), args)
    }

    /// [`Env::command`] as user nobody when the tests run as root, for whom file modes do not
    /// stop a write: a read-only folder is then read-only to policywatch too.
    pub fn command_as_nobody(&self, args: &[&str]) -> Command {
        if !running_as_root() {
            return self.command(args);
        }
        let mut setpriv = Command::new("setpriv");
        setpriv.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        setpriv.arg(env!("CARGO_BIN_EXE_policywatch"));
        self.command_from(setpriv, args)
    }

    fn command_from(&self, mut cmd: Command, args: &[&str]) -> Command {
        cmd.arg("--config").arg(&self.config).args(args);
        cmd.env_remove("POLICYWATCH_CONFIG")
            .env_remove("POLICYWATCH_DATABASE")
            .env("POLICYWATCH_LOG", "info");
        cmd
    }
}

/// Whether the tests run as root (containers, CI): /proc/self belongs to the effective user.
pub fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The `[[target]]` tables for `targets`.
pub fn targets_toml(targets: &[TestTarget]) -> String {
    let mut s = String::new();
    for t in targets {
        s.push_str(&format!(
            "\n[[target]]\nname = \"{}\"\ncarrier = \"{}\"\nurl = \"{}\"\nselect = {:?}\nremove = {:?}\n{}\n",
            t.name, t.carrier, t.url, t.select, t.remove, t.extra
        ));
    }
    s
}

/// `[email]` for the test SMTP server on `port`. The conversation's timeout only bounds a hang:
/// on a loaded machine the server thread can take seconds to answer, and a delivery that timed
/// out would wait for its backoff and fail the test for no fault of policywatch.
pub fn smtp_section(port: u16) -> String {
    smtp_section_with_timeout(port, "30s")
}

/// [`smtp_section`] with another SMTP timeout, for servers that stall on purpose.
pub fn smtp_section_with_timeout(port: u16, timeout: &str) -> String {
    format!(
        "\n[email]\nfrom = \"policywatch <policywatch@example.org>\"\nto = [\"me@example.org\"]\n[email.smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\ntimeout = \"{timeout}\"\n"
    )
}

pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    /// stdout's lines, with the verdict of `NEW` lines left off (most tests are about what
    /// happened, not about the verdict; `full_lines` keeps it).
    pub fn lines(&self) -> Vec<String> {
        self.full_lines()
            .into_iter()
            .map(
                |l| match (l.starts_with("NEW "), l.find(" online-cancellation=")) {
                    (true, Some(i)) => l[..i].to_string(),
                    _ => l,
                },
            )
            .collect()
    }
    pub fn full_lines(&self) -> Vec<String> {
        self.stdout().lines().map(str::to_string).collect()
    }
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code(),
            code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// A carrier-like page: noisy nav, scripts, a policy region, a footer with a timestamp.
pub fn carrier_page(policy: &str, noise: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Terms</title>
<script>window.__STATE__ = {{"token":"{noise}","ts":"{noise}"}};</script></head>
<body><nav><a href="/">Home</a> <a href="/cancel">Online Cancellation</a> <span class="ad">{noise}</span></nav>
<main>{policy}</main>
<footer>Generated {noise} · © 2026</footer></body></html>"#
    )
}

/// Parses an email with mail-parser.
pub fn parse_mail(raw: &[u8]) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default()
        .parse(raw)
        .expect("a parseable email")
}

/// The text of an HTML body with tags removed (entities left as they are).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

impl Reply {
    /// An HTML page answered `delay` after the request was read: a slow server. The wait counts
    /// in `HttpServer::max_busy`, so with one slow route that is the most requests for it at once.
    pub fn slow(delay: Duration, html: &str) -> Reply {
        Reply::Delayed {
            delay,
            reply: Box::new(Reply::html(html)),
        }
    }
}
