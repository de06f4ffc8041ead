//! The Chromium process: found, started with flags that keep it from reaching the network on its
//! own, connected to over the DevTools protocol, and stopped with all its children.
//!
//! Chromium is started here rather than by chromiumoxide's launcher so that we choose every flag
//! (its defaults turn popup blocking off), keep its stderr drained, and can make the kernel kill
//! it if policywatch dies (`PR_SET_PDEATHSIG`) and stop its whole process group on close.
//!
//! Network containment: every request a page makes is paused by the DevTools Fetch domain and
//! answered by policywatch itself (see `page`), so Chromium needs no network at all. To make sure
//! nothing slips past that (a WebSocket, a worker's request, a popup), Chromium's only route out is
//! a proxy at a local socket of ours that accepts and drops every connection ([`Sink`]), and its
//! own DNS resolver is switched off.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chromiumoxide::Browser;
use chromiumoxide::handler::HandlerConfig;
use futures_util::StreamExt;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

use super::BrowserError;

/// How long Chromium gets to print its DevTools address after starting. A warm start takes
/// under a second, but a cold one (its 350 MB of files evicted from the page cache by a build
/// or a backup, two starts at once on a slow disk) was seen to take over 20 s; a check that waits
/// longer once is better than one that fails.
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a polite `Browser.close` gets before the process group is killed.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the sink waits for a dropped connection's request line (for the log).
const SINK_READ: Duration = Duration::from_secs(1);
/// The longest stderr line kept for an error message or a log line.
const MAX_LINE: usize = 300;
/// Names tried on `PATH` when `POLICYWATCH_CHROMIUM` is not set.
const NAMES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];
/// Debian's binary itself. Preferred to /usr/bin/chromium, a shell wrapper that refuses to start
/// when it cannot read /proc/cpuinfo, which the systemd unit hides (`ProcSubset=pid`).
const DEBIAN_BINARY: &str = "/usr/lib/chromium/chromium";

/// Where the Chromium binary is: `$POLICYWATCH_CHROMIUM`, else Debian's `DEBIAN_BINARY`, else
/// the first of `NAMES` on `PATH`.
pub fn find_executable() -> Result<PathBuf, BrowserError> {
    if let Some(path) = std::env::var_os("POLICYWATCH_CHROMIUM") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(BrowserError::NotFound {
                looked_for: path.display().to_string(),
            })
        };
    }
    if Path::new(DEBIAN_BINARY).is_file() {
        return Ok(PathBuf::from(DEBIAN_BINARY));
    }
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    NAMES
        .iter()
        .flat_map(|name| dirs.iter().map(move |d| d.join(name)))
        .find(|p| p.is_file())
        .ok_or_else(|| BrowserError::NotFound {
            looked_for: format!("{} on PATH", NAMES.join(", ")),
        })
}

/// The flags Chromium runs with. Each group closes a way out or a piece of background work.
fn args(user_data_dir: &Path, sink_port: u16, sandbox: bool) -> Vec<String> {
    let mut args: Vec<String> = [
        "--headless",
        "--disable-gpu",
        "--hide-scrollbars",
        "--mute-audio",
        "--no-first-run",
        "--no-default-browser-check",
        // No connections of Chromium's own: updates, sync, metrics, safe browsing, pings.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-breakpad",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--metrics-recording-only",
        "--no-pings",
        "--disable-quic",
        // V8 without its JIT: no writable-and-executable memory, so the systemd unit keeps
        // MemoryDenyWriteExecute=yes, and the JIT's bugs (a common way into a browser) are gone.
        // Terms pages need no speed; WebAssembly is unavailable.
        "--js-flags=--jitless",
        // /dev/shm is small under systemd and in containers; /tmp is not.
        "--disable-dev-shm-usage",
        // No popups, no permission prompts granted, no WebRTC UDP around the proxy.
        "--block-new-web-contents",
        "--deny-permission-prompts",
        // WebRTC's UDP goes past both the request interception and the proxy sink. Headless
        // Chromium reads the policy from this switch and ignores the `--force-` one (a page's
        // STUN probe to 0.0.0.0 went out with only that; `tests/browser.rs` sends one): both are
        // kept, and the page's scripts lose RTCPeerConnection too (`page.rs`).
        "--webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,\
         AutofillServerCommunication,CertificateTransparencyComponentUpdater,HttpsUpgrades,\
         InterestFeedContentSuggestions,PrivacySandboxSettings4",
        // Only loopback DevTools, on a port the kernel picks.
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        // Everything that is not answered by policywatch goes to the sink, loopback included;
        // names are never resolved by Chromium (a proxy resolves them, and ours resolves none).
        "--proxy-bypass-list=<-loopback>",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    args.push(format!("--proxy-server=http://127.0.0.1:{sink_port}"));
    args.push(format!("--user-data-dir={}", user_data_dir.display()));
    if !sandbox {
        args.push("--no-sandbox".into());
    }
    args.push("about:blank".into());
    args
}

/// Chromium's own sandbox needs an unprivileged user namespace and refuses to run as root; as root
/// (containers, CI) it runs without, and the service's own confinement is what is left (README).
fn sandbox_possible() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        (unsafe { libc::geteuid() }) != 0
            && std::env::var_os("POLICYWATCH_CHROMIUM_NO_SANDBOX").is_none()
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        std::env::var_os("POLICYWATCH_CHROMIUM_NO_SANDBOX").is_none()
    }
}

/// A local socket that accepts and drops every connection: Chromium's proxy, so that a request
/// that escaped interception (a WebSocket, a worker's request, Chromium's own update checks)
/// fails instead of leaving the machine.
pub struct Sink {
    pub port: u16,
    connections: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Sink {
    async fn start() -> Result<Sink, BrowserError> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| BrowserError::Launch(format!("cannot open the proxy sink: {e}")))?;
        let port = listener
            .local_addr()
            .map_err(|e| BrowserError::Launch(format!("cannot open the proxy sink: {e}")))?
            .port();
        let connections = Arc::new(AtomicUsize::new(0));
        let count = connections.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::Relaxed);
                // Chromium's own background requests (component updates, the clock) land here
                // despite its flags, so this is routine: logged at debug with the request line.
                tokio::spawn(async move {
                    let mut head = [0u8; 512];
                    let n = tokio::time::timeout(SINK_READ, stream.read(&mut head))
                        .await
                        .ok()
                        .and_then(Result::ok)
                        .unwrap_or(0);
                    let text = String::from_utf8_lossy(&head[..n]);
                    let line = clip(text.lines().next().unwrap_or(""));
                    tracing::debug!(request = %line, "browser connection dropped by the proxy sink");
                });
            }
        });
        Ok(Sink {
            port,
            connections,
            task,
        })
    }

    /// Connections dropped so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A started Chromium with its DevTools connection.
pub struct Process {
    pub browser: Arc<Browser>,
    child: Child,
    handler: JoinHandle<()>,
    stderr: JoinHandle<()>,
    pub sink: Sink,
    // Removed (with the profile) when the process is dropped, after Chromium has exited.
    _profile: tempfile::TempDir,
}

/// The environment variables Chromium gets from ours: finding programs, the locale, fonts, the
/// time zone and temporary files. `HOME` and the XDG folders are set to its throwaway profile;
/// proxies do not apply (every request goes to the sink, `--proxy-server`).
pub fn for_chromium(key: &str) -> bool {
    const KEEP: &[&str] = &[
        "PATH",
        "TMPDIR",
        "LANG",
        "LANGUAGE",
        "TZ",
        "FONTCONFIG_FILE",
        "FONTCONFIG_PATH",
    ];
    KEEP.contains(&key) || key.starts_with("LC_")
}

impl Process {
    pub async fn start(executable: &Path) -> Result<Process, BrowserError> {
        let sink = Sink::start().await?;
        // Under systemd, TMPDIR is the unit's private /tmp; a fresh profile per start.
        let profile = tempfile::Builder::new()
            .prefix("policywatch-chromium-")
            .tempdir()
            .map_err(|e| BrowserError::Launch(format!("cannot create a profile folder: {e}")))?;
        let mut cmd = Command::new(executable);
        // Chromium runs a page's scripts: it gets no variable of ours but what it needs (a
        // secret may be in any other, and under `check` the credentials folder is one).
        cmd.env_clear()
            .envs(std::env::vars_os().filter(|(k, _)| k.to_str().is_some_and(for_chromium)));
        cmd.args(args(profile.path(), sink.port, sandbox_possible()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            // Under systemd's DynamicUser there is no writable home: Chromium's caches and
            // certificate store go to the throwaway profile.
            .env("HOME", profile.path())
            .env("XDG_CONFIG_HOME", profile.path())
            .env("XDG_CACHE_HOME", profile.path())
            // Its own process group, so that closing stops the renderers and the zygote too.
            .process_group(0);
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: prctl is async-signal-safe and touches no memory of ours.
        unsafe {
            cmd.pre_exec(|| {
                // If policywatch dies without closing it, the kernel kills Chromium.
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let mut child = cmd.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => BrowserError::NotFound {
                looked_for: executable.display().to_string(),
            },
            _ => BrowserError::Launch(format!("cannot start {}: {e}", executable.display())),
        })?;
        let Some(stderr) = child.stderr.take() else {
            return Err(BrowserError::Launch("no stderr from chromium".into()));
        };
        let mut lines = BufReader::new(stderr).lines();
        let mut last = String::new();
        let found = tokio::time::timeout(LAUNCH_TIMEOUT, async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some((_, ws)) = line.rsplit_once("listening on ")
                    && ws.starts_with("ws://")
                {
                    return Some(ws.trim().to_string());
                }
                last = clip(&line);
            }
            None
        })
        .await;
        let ws = match found {
            Ok(Some(ws)) => ws,
            Ok(None) => {
                let status = child.wait().await.ok();
                return Err(BrowserError::Launch(format!(
                    "chromium exited at start ({}): {last}",
                    status.map_or("unknown status".into(), |s| s.to_string())
                )));
            }
            Err(_) => {
                kill_group(&mut child).await;
                return Err(BrowserError::Launch(format!(
                    "chromium gave no DevTools address within {} s: {last}",
                    LAUNCH_TIMEOUT.as_secs()
                )));
            }
        };
        // Keep reading stderr so that Chromium never blocks on a full pipe; its lines are noise
        // for our users, so they go to debug.
        let stderr = tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                tracing::debug!(chromium = %clip(&line));
            }
        });
        let config = HandlerConfig {
            ignore_https_errors: false,
            request_timeout: Duration::from_secs(30),
            ..HandlerConfig::default()
        };
        let (browser, mut handler) = match Browser::connect_with_config(ws, config).await {
            Ok(pair) => pair,
            Err(e) => {
                kill_group(&mut child).await;
                stderr.abort();
                return Err(BrowserError::Protocol(format!(
                    "cannot connect to chromium: {e}"
                )));
            }
        };
        // The handler drives the DevTools connection; it ends when the connection closes.
        let handler = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if let Err(e) = event {
                    tracing::debug!(error = %e, "DevTools connection event");
                }
            }
        });
        tracing::info!(pid = child.id(), "chromium started");
        Ok(Process {
            browser: Arc::new(browser),
            child,
            handler,
            stderr,
            sink,
            _profile: profile,
        })
    }

    /// Whether the process has exited (crashed, or killed from outside).
    pub fn exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }

    /// Asks Chromium to close, then kills its process group if it has not exited in time.
    ///
    /// The close goes through [`Browser::close`], which tells the handler a close is coming:
    /// Chromium drops the DevTools socket without a closing handshake as it exits, and a handler
    /// that was not told logs that at ERROR (`ResetWithoutClosingHandshake`) although nothing
    /// went wrong. Once the close is answered the handler ends; it is awaited before the process
    /// group is killed. A page still holding the browser (only if its render was abandoned
    /// mid-way) leaves a plain `Browser.close` command, and the handler is then aborted.
    pub async fn stop(mut self) {
        let polite = tokio::time::timeout(CLOSE_TIMEOUT, async {
            let announced = match Arc::get_mut(&mut self.browser) {
                Some(browser) => browser.close().await.is_ok(),
                None => {
                    let _ = self
                        .browser
                        .execute(
                            chromiumoxide::cdp::browser_protocol::browser::CloseParams::default(),
                        )
                        .await;
                    false
                }
            };
            if announced {
                let _ = (&mut self.handler).await;
            }
            let _ = self.child.wait().await;
        })
        .await;
        if polite.is_err() {
            tracing::warn!("chromium did not close in time; killing it");
        }
        // The handler goes first: if the polite close failed, it would see the kill below as a
        // reset connection and log it at ERROR.
        self.handler.abort();
        // Renderers and the zygote share the group; stop them whatever the main process did.
        kill_group(&mut self.child).await;
        self.stderr.abort();
        tracing::info!("chromium stopped");
    }
}

/// Kills the process group Chromium leads, then reaps the main process.
async fn kill_group(child: &mut Child) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if let Some(pid) = child.id().and_then(|p| i32::try_from(p).ok()) {
        // SAFETY: kill has no memory preconditions; a group that is already gone gives ESRCH.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill().await;
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, child.wait()).await;
}

fn clip(line: &str) -> String {
    line.chars().take(MAX_LINE).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chromium_gets_no_secret_nor_credentials_folder() {
        for key in ["PATH", "TMPDIR", "LANG", "LC_ALL", "TZ", "FONTCONFIG_FILE"] {
            assert!(for_chromium(key), "{key}");
        }
        for key in [
            "CREDENTIALS_DIRECTORY",
            "POLICYWATCH_SMTP_PASSWORD",
            "POLICYWATCH_WEBHOOK_SECRET",
            "SMTP_PASSWORD",
            "NOTIFY_SOCKET",
            "HOME",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert!(!for_chromium(key), "{key}");
        }
    }

    #[test]
    fn args_route_everything_to_the_sink_and_block_popups() {
        let a = args(Path::new("/tmp/p"), 4242, false);
        assert!(a.contains(&"--proxy-server=http://127.0.0.1:4242".to_string()));
        assert!(a.contains(&"--proxy-bypass-list=<-loopback>".to_string()));
        assert!(a.contains(&"--block-new-web-contents".to_string()));
        assert!(a.contains(&"--webrtc-ip-handling-policy=disable_non_proxied_udp".to_string()));
        assert!(a.contains(&"--no-sandbox".to_string()));
        assert!(!args(Path::new("/tmp/p"), 1, true).contains(&"--no-sandbox".to_string()));
        // Chromium keeps only the last --disable-features: there must be one.
        assert_eq!(
            a.iter()
                .filter(|x| x.starts_with("--disable-features"))
                .count(),
            1
        );
    }
}
