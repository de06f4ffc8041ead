//! Address guard: which IP addresses a fetch may connect to.
//!
//! A watched URL (or a redirect from it) must not make policywatch probe the machine it runs on or
//! its network: loopback and private ranges are refused unless `allow_private_addresses` is set,
//! and link-local (cloud metadata at 169.254.169.254), unspecified, multicast and other reserved
//! addresses are refused always. The check runs on every address a name resolves to and on every
//! literal address in a URL, at every redirect hop (see `fetch`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Loopback or a private range: allowed only with `allow_private_addresses`.
    Private,
    /// Link-local, unspecified, multicast, broadcast or reserved: never allowed.
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
}

enum Class {
    Public,
    Private,
    Forbidden,
}

fn classify(ip: IpAddr) -> Class {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => classify_v4(v4),
            None => classify_v6(v6),
        },
    }
}

fn classify_v4(ip: Ipv4Addr) -> Class {
    let o = ip.octets();
    if ip.is_unspecified()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || o[0] == 0
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
    if ip.is_unspecified()
        || ip.is_multicast()
        // fe80::/10 link-local
        || (seg[0] & 0xFFC0) == 0xFE80
        // 2001:db8::/32 documentation
        || (seg[0] == 0x2001 && seg[1] == 0x0DB8)
    {
        Class::Forbidden
    } else if ip.is_loopback()
        // fc00::/7 unique local
        || (seg[0] & 0xFE00) == 0xFC00
    {
        Class::Private
    } else {
        Class::Public
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(allow: bool, ip: &str) -> Result<(), Refusal> {
        AddressGuard {
            allow_private: allow,
        }
        .check(ip.parse().unwrap())
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
}
