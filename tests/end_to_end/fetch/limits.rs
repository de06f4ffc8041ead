//! Fetch faults, end to end: size limits on bodies and compressed bodies.

use super::*;

#[test]
fn hundred_megabyte_body_is_cut_at_the_limit() {
    let server = server_with_good_page();
    server.route(
        "/huge",
        vec![Reply::Huge {
            len: 100 * 1024 * 1024,
            content_type: "text/html".into(),
        }],
    );
    let pass = check_fault(&server, &server.url("/huge"));
    assert_eq!(
        pass.expect_bad_then_good("body over 10 MiB"),
        "body over 10 MiB"
    );
    assert_eq!(server.hits("/huge"), 1, "too large is not retried");
}

/// A gzip stream that inflates to an HTML prefix and `mib` MiB of filler, in well under 1 MiB.
/// One MiB of filler is deflated once into a byte-aligned block (full flush); as the history is
/// always filler, that block can be repeated. The CRC is combined the same way, so building a
/// 200 MiB bomb takes milliseconds.
fn gzip_bomb(mib: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, Crc, FlushCompress};
    let prefix = b"<!DOCTYPE html><html><body><main><p>";
    let filler = vec![b'a'; 1 << 20];
    let mut deflate = Compress::new(Compression::best(), false);
    let mut run = |input: &[u8], flush: FlushCompress| {
        let mut out = Vec::with_capacity(64 * 1024);
        let before = deflate.total_in();
        deflate.compress_vec(input, &mut out, flush).unwrap();
        assert_eq!(deflate.total_in() - before, input.len() as u64);
        assert!(out.len() < out.capacity(), "output buffer large enough");
        out
    };
    let mut first = prefix.to_vec();
    first.extend_from_slice(&filler);
    let head = run(&first, FlushCompress::Full);
    let block = run(&filler, FlushCompress::Full);
    let tail = run(&[], FlushCompress::Finish);

    let mut crc = Crc::new();
    crc.update(&first);
    let mut block_crc = Crc::new();
    block_crc.update(&filler);
    let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255];
    gz.extend_from_slice(&head);
    for _ in 1..mib {
        gz.extend_from_slice(&block);
        crc.combine(&block_crc);
    }
    gz.extend_from_slice(&tail);
    gz.extend_from_slice(&crc.sum().to_le_bytes());
    gz.extend_from_slice(&crc.amount().to_le_bytes());
    gz
}

#[test]
fn gzip_bomb_is_cut_at_the_decompressed_limit() {
    let bomb = gzip_bomb(200);
    assert!(
        bomb.len() < 1 << 20,
        "the bomb is small on the wire: {} bytes",
        bomb.len()
    );
    // A valid gzip stream (CRC and length checked on a small one)…
    let small = gzip_bomb(3);
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(small.as_slice())
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out.len(), 36 + (3 << 20));
    // …that does inflate past the limit (checked on the first 11 MiB only).
    let mut inflated = flate2::read::GzDecoder::new(bomb.as_slice()).take(11 << 20);
    assert_eq!(
        std::io::copy(&mut inflated, &mut std::io::sink()).unwrap(),
        11 << 20
    );
    let server = server_with_good_page();
    server.route(
        "/bomb",
        vec![Reply::bytes(
            200,
            &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Encoding", "gzip"),
            ],
            bomb,
        )],
    );
    let pass = check_fault(&server, &server.url("/bomb"));
    assert_eq!(
        pass.expect_bad_then_good("body over 10 MiB"),
        "body over 10 MiB"
    );
    let seen = server.requests("/bomb");
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0]
            .headers
            .get("accept-encoding")
            .is_some_and(|v| v.contains("gzip")),
        "{:?}",
        seen[0].headers
    );
}
