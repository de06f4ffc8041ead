use std::io::Write;
use std::sync::mpsc;

use tokio::io::AsyncReadExt;

use super::*;
use crate::config::SmtpSettings;

/// A server on 127.0.0.1 for one connection: `220 ` and then `x` without a line end until
/// the client goes away, or until `cap` bytes so that a client without the bound still
/// ends. Gives the number of bytes it managed to write.
fn flooding_server(cap: u64) -> (u16, mpsc::Receiver<u64>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((mut conn, _)) = listener.accept() else {
            return;
        };
        let chunk = [b'x'; 64 * 1024];
        let mut written = 0;
        if conn.write_all(b"220 ").is_ok() {
            written = 4;
            while written < cap && conn.write_all(&chunk).is_ok() {
                written += chunk.len() as u64;
            }
        }
        let _ = tx.send(written);
    });
    (port, rx)
}

fn settings(port: u16, security: SmtpSecurity) -> EmailSettings {
    EmailSettings {
        from: "policywatch <policywatch@example.org>".parse().unwrap(),
        to: vec!["me@example.org".parse().unwrap()],
        smtp: SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security,
            username: None,
            password_env: None,
            password_file: None,
            ca_file: None,
            timeout: Duration::from_secs(20),
        },
    }
}

#[tokio::test]
async fn a_greeting_without_end_is_cut_off_at_the_bound_and_retried_later() {
    // STARTTLS too: the greeting comes before TLS, so anyone on the path can send it.
    for security in [SmtpSecurity::None, SmtpSecurity::Starttls] {
        let (port, written) = flooding_server(256 << 20);
        let mailer = Mailer::new(&settings(port, security)).unwrap();
        let err = mailer.test_connection().await.unwrap_err();
        let NotifyError::Send { cause, failure, .. } = &err else {
            panic!("{err}");
        };
        assert!(
            cause.starts_with("the server sent too much (more than 1 MiB on one connection"),
            "{security:?}: {cause}"
        );
        // It concerns the server, not the message: the alert stays pending, the channel rests.
        assert_eq!(*failure, Failure::Unreachable);
        assert_eq!(delivery_error(err).kind, Failure::Unreachable);
        // What the server got out before we hung up: the bound plus what the two sockets'
        // buffers held, not the 256 MiB it had to send.
        let written = written.recv_timeout(Duration::from_secs(30)).unwrap();
        assert!(
            written < 64 << 20,
            "{security:?}: the server wrote {written} bytes"
        );
    }
}

#[tokio::test]
async fn bounded_reads_fail_once_the_budget_is_crossed_and_stay_failed() {
    let (port, _written) = flooding_server(256 << 20);
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let budget = 100_000;
    let mut stream = Bounded::new(tcp, budget);
    let mut buf = [0u8; 8192];
    let mut total = 0u64;
    let err = loop {
        match stream.read(&mut buf).await {
            Ok(0) => panic!("the server stopped first, after {total} bytes"),
            Ok(n) => total += n as u64,
            Err(e) => break e,
        }
    };
    assert!(
        total > budget && total <= budget + buf.len() as u64,
        "{total}"
    );
    assert_eq!(
        err.to_string(),
        "the server sent too much: more than 97.7 KiB on one connection, where SMTP \
         replies take a few KiB"
    );
    // Sticky: no read after the budget gets through.
    assert!(stream.read(&mut buf).await.is_err());
}

#[test]
fn sizes_are_said_in_mib_when_whole() {
    assert_eq!(size_text(MAX_SERVER_BYTES), "1 MiB");
    assert_eq!(size_text(3 << 20), "3 MiB");
    assert_eq!(size_text(1000), "1000 B");
}
