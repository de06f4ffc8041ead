//! Fetch faults, end to end: TLS failures.

use super::*;

/// A minimal HTTPS server with a certificate from the test CA: 404 for /robots.txt, `page` for
/// anything else. Returns its port.
fn start_https(cert: &Path, key: &Path, page: String) -> u16 {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(key).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let config = std::sync::Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let config = config.clone();
            let page = page.clone();
            thread::spawn(move || {
                let conn = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                // Read the request head; a client that refuses the certificate ends here.
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match tls.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let (status, body) = if head.starts_with(b"GET /robots.txt ") {
                    ("404 Not Found", String::new())
                } else {
                    ("200 OK", page)
                };
                let reply = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = std::io::Write::write_all(&mut tls, reply.as_bytes());
                tls.conn.send_close_notify();
                let _ = std::io::Write::flush(&mut tls);
            });
        }
    });
    port
}

#[test]
fn untrusted_certificate_is_named() {
    let server = server_with_good_page();
    let env = Env::new();
    let (ca, cert, key) = test_ca(env.dir.path());
    let port = start_https(&cert, &key, carrier_page(POLICY, "tls"));
    let url = format!("https://127.0.0.1:{port}/terms");

    // The test CA is no root the system knows: the certificate is refused.
    write_config(&env, FAST, &bad_and_good(&server, &url), None);
    let pass = check(&env);
    assert_eq!(
        pass.expect_bad_then_good("TLS certificate invalid for 127.0.0.1: "),
        "TLS certificate invalid for 127.0.0.1: unknown issuer (a private CA can be added with fetch.ca_file)"
    );

    // With the CA as fetch.ca_file, the same server is trusted: it was the certificate.
    let env = Env::new();
    let fetch = format!("{FAST}ca_file = {:?}\n", ca.display().to_string());
    write_config(&env, &fetch, &bad_and_good(&server, &url), None);
    let pass = check(&env);
    pass.run.expect_code(0);
    assert_eq!(
        pass.run.lines(),
        vec!["NEW bad", "NEW good"],
        "{}",
        pass.run.stderr()
    );
}
