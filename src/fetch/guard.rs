//! Address guard: which IP addresses policywatch may connect to, for every outgoing HTTP request
//! (pages, robots.txt, a browser page's own requests, webhooks and Slack).
//!
//! A watched URL (or a redirect from it, or a webhook URL) must not make policywatch probe the
//! machine it runs on or its network. The rule is "refuse unless clearly global":
//!
//! - **Always refused** (`Forbidden`): cloud metadata services, by address, whatever range they
//!   sit in (169.254.169.254, 169.254.170.2 (AWS ECS), 100.100.100.200 (Alibaba Cloud),
//!   192.0.0.192 (Oracle Cloud), fd00:ec2::254 (AWS over IPv6)); link-local, unspecified,
//!   multicast, broadcast and reserved addresses; the special-purpose ranges that are not globally
//!   reachable (0.0.0.0/8, 192.0.0.0/24 protocol assignments, 192.88.99.0/24 6to4 relays, the
//!   documentation ranges, 240.0.0.0/4; in IPv6 anything outside global unicast 2000::/3 that is
//!   not named below, 2001::/23 protocol assignments (Teredo 2001::/32 among them: its hidden IPv4
//!   is not worth unwrapping), and the documentation prefixes 2001:db8::/32 and 3fff::/20).
//! - **Refused unless `allow_private_addresses`** (`Private`): loopback, RFC 1918, carrier-grade
//!   NAT 100.64.0.0/10, benchmarking 198.18.0.0/15, IPv6 loopback and unique local fc00::/7.
//! - An IPv6 address that carries an IPv4 one is judged as that IPv4 address: IPv4-mapped
//!   ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16 (the IPv4 is bits 16..48) and the
//!   deprecated IPv4-compatible ::a.b.c.d (but :: and ::1 are themselves).
//! - Everything else is public.
//!
//! Every request goes out through a client made by [`client_builder`]: its resolver
//! (`GuardedResolver`) hands the connector only the addresses the guard allows, and a literal
//! address in a URL (which is never resolved) is checked with [`AddressGuard::check_url`] before
//! the request. A name whose addresses are partly refused is connected to on the allowed ones
//! only: the addresses judged are exactly the addresses connected to, so refusing the whole name
//! would protect nothing more. This holds for the browser backend too, because Chromium never
//! connects anywhere itself: its DNS is off and each request a page makes is made by policywatch
//! with this client (`fetch::browser::request`). A caller that could not choose the address
//! connected to would have to refuse a name with any refused address; there is none.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use url::Url;

use crate::config::FetchSettings;
use crate::fetch::http::connect_timeout;

/// Cloud metadata services, refused even with `allow_private_addresses`: a redirect to one of
/// them would hand out the machine's credentials. Some sit in ranges that are otherwise only
/// private (100.64.0.0/10, fc00::/7).
const METADATA_V4: [Ipv4Addr; 4] = [
    Ipv4Addr::new(169, 254, 169, 254), // AWS, GCP, Azure, and most others
    Ipv4Addr::new(169, 254, 170, 2),   // AWS ECS task metadata
    Ipv4Addr::new(100, 100, 100, 200), // Alibaba Cloud
    Ipv4Addr::new(192, 0, 0, 192),     // Oracle Cloud
];
const METADATA_V6: [Ipv6Addr; 1] = [
    Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254), // AWS IMDS over IPv6
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Loopback or a private range: allowed only with `allow_private_addresses`.
    Private,
    /// Cloud metadata, link-local, unspecified, multicast, broadcast, reserved or otherwise not
    /// globally reachable: never allowed.
    Forbidden,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressGuard {
    pub allow_private: bool,
}

impl AddressGuard {
    pub fn check(&self, ip: IpAddr) -> Result<(), Refusal> {
        match classify(ip) {
            Class::Public => Ok(()),
            Class::Private if self.allow_private => Ok(()),
            Class::Private => Err(Refusal::Private),
            Class::Forbidden => Err(Refusal::Forbidden),
        }
    }

    /// Checks the host of `url` when it is a literal address (a literal is never resolved, so
    /// the resolver never sees it); a name passes here and is judged when it resolves.
    pub fn check_url(&self, url: &Url) -> Result<(), (IpAddr, Refusal)> {
        match literal_ip(url) {
            Some(ip) => self.check(ip).map_err(|r| (ip, r)),
            None => Ok(()),
        }
    }
}

/// The host of `url` when it is a literal IP address.
pub fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    }
}

enum Class {
    Public,
    Private,
    Forbidden,
}

fn classify(ip: IpAddr) -> Class {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => classify_v4(v4),
            None => classify_v6(v6),
        },
    }
}

/// The IPv4 address an IPv6 address stands for, where it stands for one.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let seg = ip.segments();
    let bits = u128::from(ip);
    if let Some(v4) = ip.to_ipv4_mapped() {
        // ::ffff:a.b.c.d
        Some(v4)
    } else if seg[..6] == [0x0064, 0xff9b, 0, 0, 0, 0] {
        // 64:ff9b::/96, NAT64 well-known prefix: the IPv4 is the last 32 bits.
        Some(Ipv4Addr::from(bits as u32))
    } else if seg[0] == 0x2002 {
        // 2002::/16, 6to4: the IPv4 is bits 16..48 (2002:AABB:CCDD:: carries AA.BB.CC.DD).
        Some(Ipv4Addr::from((bits >> 80) as u32))
    } else if seg[..6] == [0; 6] && !ip.is_unspecified() && !ip.is_loopback() {
        // ::a.b.c.d, IPv4-compatible (deprecated): the last 32 bits.
        Some(Ipv4Addr::from(bits as u32))
    } else {
        None
    }
}

fn classify_v4(ip: Ipv4Addr) -> Class {
    let o = ip.octets();
    if METADATA_V4.contains(&ip)
        || ip.is_unspecified()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        // 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24
        || ip.is_documentation()
        // 0.0.0.0/8, "this network"
        || o[0] == 0
        // 192.0.0.0/24, IETF protocol assignments
        || (o[0] == 192 && o[1] == 0 && o[2] == 0)
        // 192.88.99.0/24, 6to4 relay anycast (deprecated)
        || (o[0] == 192 && o[1] == 88 && o[2] == 99)
        // 240.0.0.0/4, reserved
        || o[0] >= 240
    {
        Class::Forbidden
    } else if ip.is_loopback()
        || ip.is_private()
        // 100.64.0.0/10: carrier-grade NAT, inside someone's network.
        || (o[0] == 100 && (o[1] & 0xC0) == 64)
        // 198.18.0.0/15: benchmarking networks.
        || (o[0] == 198 && (o[1] & 0xFE) == 18)
    {
        Class::Private
    } else {
        Class::Public
    }
}

fn classify_v6(ip: Ipv6Addr) -> Class {
    let seg = ip.segments();
    if METADATA_V6.contains(&ip) {
        Class::Forbidden
    } else if ip.is_loopback()
        // fc00::/7 unique local
        || (seg[0] & 0xFE00) == 0xFC00
    {
        Class::Private
    } else if is_global_unicast(seg) {
        Class::Public
    } else {
        // Unspecified, multicast, link-local, site-local, discard-only, local-use NAT64,
        // IPv4-translated, Teredo, documentation, and everything else not global.
        Class::Forbidden
    }
}

/// 2000::/3 global unicast, less its special-purpose blocks that are not globally reachable.
fn is_global_unicast(seg: [u16; 8]) -> bool {
    let ietf_protocol = seg[0] == 0x2001 && seg[1] < 0x0200; // 2001::/23, Teredo among them
    let documentation = (seg[0] == 0x2001 && seg[1] == 0x0DB8) // 2001:db8::/32
        || (seg[0] == 0x3FFF && seg[1] < 0x1000); // 3fff::/20
    (seg[0] & 0xE000) == 0x2000 && !ietf_protocol && !documentation
}

/// An error from our DNS resolver, found again in reqwest's error chain with [`resolve_error`].
#[derive(Debug, thiserror::Error)]
pub(crate) enum ResolveError {
    #[error("DNS failure for {0}")]
    Dns(String),
    #[error("address {addr} refused for {host}")]
    Refused {
        host: String,
        addr: IpAddr,
        refusal: Refusal,
    },
}

/// The resolver's own error somewhere in `e`'s chain of causes, if the failure was ours.
pub(crate) fn resolve_error<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a ResolveError> {
    let mut source = Some(e);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<ResolveError>() {
            return Some(r);
        }
        source = s.source();
    }
    None
}

/// The HTTP client's resolver: of the addresses a name resolves to, only those the guard allows
/// are handed to the connector; a name with none left is refused before anything connects.
pub(crate) struct GuardedResolver {
    pub guard: AddressGuard,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let guard = self.guard;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                // Not `Box::new(..)?`: `?` would box the box, and `resolve_error` could no
                // longer find the `ResolveError` in the chain.
                .map_err(|_| ResolveError::Dns(host.clone()))?
                .collect();
            allowed(guard, host, addrs).map(|a| Box::new(a.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The addresses of `host` the guard allows, or why there are none.
fn allowed(
    guard: AddressGuard,
    host: String,
    addrs: Vec<SocketAddr>,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    let mut first_refusal = None;
    let allowed: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|a| match guard.check(a.ip()) {
            Ok(()) => true,
            Err(r) => {
                first_refusal.get_or_insert((a.ip(), r));
                false
            }
        })
        .collect();
    match (allowed.is_empty(), first_refusal) {
        (false, _) => Ok(allowed),
        (true, Some((addr, refusal))) => Err(Box::new(ResolveError::Refused {
            host,
            addr,
            refusal,
        })),
        (true, None) => Err(Box::new(ResolveError::Dns(host))),
    }
}

/// Why the guarded HTTP client could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot read fetch.ca_file {}: {source}", path.display())]
    CaFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("fetch.ca_file {} is not PEM: {detail}", path.display())]
    CaPem { path: PathBuf, detail: String },
}

/// The HTTP client every outgoing request is made with, to be finished with `.build()` (callers
/// add their own pool settings). Names resolve through `GuardedResolver`; there is no proxy (a
/// proxy would resolve names where the guard cannot see) and redirects are not followed (the
/// caller guards each hop); TLS is verified, with `fetch.ca_file` as an extra root.
pub fn client_builder(settings: &FetchSettings) -> Result<reqwest::ClientBuilder, ClientError> {
    let guard = AddressGuard {
        allow_private: settings.allow_private_addresses,
    };
    let mut builder = reqwest::Client::builder()
        .user_agent(settings.user_agent.clone())
        .timeout(settings.timeout)
        .connect_timeout(connect_timeout(settings.timeout))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(Arc::new(GuardedResolver { guard }));
    if let Some(ca) = &settings.ca_file {
        let pem =
            crate::local_file::read(ca, crate::local_file::MAX_CA_FILE).map_err(|source| {
                ClientError::CaFile {
                    path: ca.clone(),
                    source,
                }
            })?;
        let certs =
            reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| ClientError::CaPem {
                path: ca.clone(),
                detail: e.to_string(),
            })?;
        builder = builder.tls_certs_merge(certs);
    }
    Ok(builder)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(allow_private: bool) -> AddressGuard {
        AddressGuard { allow_private }
    }

    fn check(allow: bool, ip: &str) -> Result<(), Refusal> {
        guard(allow).check(ip.parse().unwrap())
    }

    fn addrs(ips: &[&str]) -> Vec<SocketAddr> {
        ips.iter()
            .map(|ip| SocketAddr::new(ip.parse().unwrap(), 0))
            .collect()
    }

    #[test]
    fn a_name_is_connected_to_on_its_allowed_addresses_only() {
        let strict = guard(false);
        let mixed = addrs(&["127.0.0.1", "8.8.8.8", "169.254.169.254", "1.1.1.1"]);
        let kept = allowed(strict, "mixed.example".into(), mixed.clone()).unwrap();
        assert_eq!(kept, addrs(&["8.8.8.8", "1.1.1.1"]));
        let open = guard(true);
        let kept = allowed(open, "mixed.example".into(), mixed).unwrap();
        assert_eq!(kept, addrs(&["127.0.0.1", "8.8.8.8", "1.1.1.1"]));
    }

    #[test]
    fn a_name_with_no_allowed_address_is_refused_naming_the_first() {
        let strict = guard(false);
        let err = allowed(
            strict,
            "inside.example".into(),
            addrs(&["10.0.0.1", "169.254.169.254"]),
        )
        .unwrap_err();
        match resolve_error(err.as_ref()) {
            Some(ResolveError::Refused {
                host,
                addr,
                refusal,
            }) => {
                assert_eq!(host, "inside.example");
                assert_eq!(addr.to_string(), "10.0.0.1");
                assert_eq!(*refusal, Refusal::Private);
            }
            other => panic!("{other:?}"),
        }
        let err = allowed(strict, "nothing.example".into(), Vec::new()).unwrap_err();
        assert!(matches!(
            resolve_error(err.as_ref()),
            Some(ResolveError::Dns(h)) if h == "nothing.example"
        ));
    }

    #[test]
    fn literal_addresses_in_urls_are_checked_names_are_left_to_the_resolver() {
        let strict = guard(false);
        let url = |u: &str| Url::parse(u).unwrap();
        assert_eq!(
            strict.check_url(&url("http://127.0.0.1:8080/hook")),
            Err(("127.0.0.1".parse().unwrap(), Refusal::Private))
        );
        assert_eq!(
            strict.check_url(&url("http://[fe80::1]/")),
            Err(("fe80::1".parse().unwrap(), Refusal::Forbidden))
        );
        assert_eq!(strict.check_url(&url("http://localhost/")), Ok(()));
        assert_eq!(strict.check_url(&url("https://8.8.8.8/")), Ok(()));
    }

    #[test]
    fn public_always_allowed() {
        for ip in ["8.8.8.8", "203.186.1.1", "2606:4700::1111"] {
            assert_eq!(check(false, ip), Ok(()), "{ip}");
        }
    }

    #[test]
    fn private_only_when_allowed() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "::1",
            "fd00::1",
            "100.64.0.1",
            "::ffff:127.0.0.1",
        ] {
            assert_eq!(check(false, ip), Err(Refusal::Private), "{ip}");
            assert_eq!(check(true, ip), Ok(()), "{ip}");
        }
    }

    #[test]
    fn link_local_and_reserved_never() {
        for ip in [
            "169.254.169.254",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "fe80::1",
            "::",
            "::ffff:169.254.169.254",
        ] {
            assert_eq!(check(true, ip), Err(Refusal::Forbidden), "{ip}");
        }
    }

    #[test]
    fn cloud_metadata_never_even_when_private_allowed() {
        for ip in [
            "169.254.169.254", // AWS, GCP, Azure, most others
            "169.254.170.2",   // AWS ECS task metadata
            "100.100.100.200", // Alibaba Cloud (inside 100.64.0.0/10, otherwise Private)
            "192.0.0.192",     // Oracle Cloud
            "fd00:ec2::254",   // AWS IMDS over IPv6 (inside fc00::/7, otherwise Private)
            // The same addresses behind an IPv6 wrapper.
            "::ffff:100.100.100.200",
            "64:ff9b::100.100.100.200",
            "2002:6464:64c8::1",
            "::100.100.100.200",
        ] {
            assert_eq!(check(true, ip), Err(Refusal::Forbidden), "{ip}");
            assert_eq!(check(false, ip), Err(Refusal::Forbidden), "{ip}");
        }
        // Neighbours of the metadata addresses keep their range's class.
        assert_eq!(check(true, "100.100.100.201"), Ok(()));
        assert_eq!(check(false, "100.100.100.201"), Err(Refusal::Private));
        assert_eq!(check(true, "fd00:ec2::253"), Ok(()));
    }

    #[test]
    fn special_purpose_ipv4_ranges_are_not_public() {
        for ip in [
            "192.0.0.1",    // 192.0.0.0/24 IETF protocol assignments
            "192.0.0.8",    //   IPv4 dummy address
            "192.0.0.170",  //   NAT64 discovery
            "192.0.2.1",    // TEST-NET-1
            "192.88.99.1",  // 6to4 relay anycast (deprecated)
            "198.51.100.7", // TEST-NET-2
            "203.0.113.9",  // TEST-NET-3
            "240.0.0.1",    // reserved
            "0.1.2.3",      // "this network"
        ] {
            assert_eq!(check(true, ip), Err(Refusal::Forbidden), "{ip}");
        }
        // Their public neighbours.
        for ip in ["192.0.1.1", "192.88.98.1", "198.51.101.1", "203.0.114.1"] {
            assert_eq!(check(false, ip), Ok(()), "{ip}");
        }
    }

    #[test]
    fn ipv6_with_an_embedded_ipv4_is_checked_as_that_ipv4() {
        // (address, private allowed?, expected)
        for (ip, allow, expected) in [
            // NAT64 well-known prefix 64:ff9b::/96.
            ("64:ff9b::8.8.8.8", false, Ok(())),
            ("64:ff9b::127.0.0.1", false, Err(Refusal::Private)),
            ("64:ff9b::10.0.0.1", true, Ok(())),
            ("64:ff9b::169.254.169.254", true, Err(Refusal::Forbidden)),
            ("64:ff9b::192.0.0.192", true, Err(Refusal::Forbidden)),
            // 6to4 2002::/16: the IPv4 is bits 16..48.
            ("2002:0808:0808::1", false, Ok(())),
            ("2002:7f00:0001::1", false, Err(Refusal::Private)),
            ("2002:c0a8:0101:1::1", false, Err(Refusal::Private)),
            ("2002:a9fe:a9fe::1", true, Err(Refusal::Forbidden)),
            ("2002::1", true, Err(Refusal::Forbidden)), // 0.0.0.0
            // IPv4-compatible ::a.b.c.d (deprecated).
            ("::8.8.8.8", false, Ok(())),
            ("::127.0.0.1", false, Err(Refusal::Private)),
            ("::10.1.2.3", false, Err(Refusal::Private)),
            ("::169.254.169.254", true, Err(Refusal::Forbidden)),
            ("::0.0.0.2", true, Err(Refusal::Forbidden)),
            // IPv4-mapped ::ffff:a.b.c.d.
            ("::ffff:8.8.8.8", false, Ok(())),
            ("::ffff:10.0.0.1", false, Err(Refusal::Private)),
        ] {
            assert_eq!(check(allow, ip), expected, "{ip}");
        }
        // :: and ::1 are not IPv4-compatible addresses.
        assert_eq!(check(true, "::"), Err(Refusal::Forbidden));
        assert_eq!(check(false, "::1"), Err(Refusal::Private));
        assert_eq!(check(true, "::1"), Ok(()));
    }

    #[test]
    fn teredo_and_other_non_global_ipv6_never() {
        for ip in [
            // Teredo 2001::/32: refused outright, whatever IPv4 it hides.
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001::1",
            "2001:2::1",        // benchmarking (2001::/23 protocol assignments)
            "2001:10::1",       // ORCHID (deprecated)
            "2001:db8::1",      // documentation
            "3fff::1",          // documentation (RFC 9637)
            "100::1",           // discard-only
            "64:ff9b:1::a00:1", // local-use NAT64
            "::ffff:0:a00:1",   // IPv4-translated
            "fec0::1",          // site-local (deprecated)
            "5f00::1",          // SRv6 SIDs
            "4000::1",          // unassigned, outside 2000::/3
            "ff02::1",          // multicast
            "fe80::1",          // link-local
        ] {
            assert_eq!(check(true, ip), Err(Refusal::Forbidden), "{ip}");
        }
        // Global unicast elsewhere in 2000::/3 is public.
        for ip in [
            "2001:4860:4860::8888",
            "2404:6800:4005::200e",
            "2a00:1450::1",
        ] {
            assert_eq!(check(false, ip), Ok(()), "{ip}");
        }
    }
}
