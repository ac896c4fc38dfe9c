//! IP address, prefix and MAC helpers that accept and print exactly what Go's `net/netip`
//! and `net` packages do, since upstream validation is defined by those parsers:
//!
//! - [`parse_addr`] = `netip.ParseAddr` (IPv6 zones allowed, IPv4 leading zeros refused),
//! - [`Prefix::parse`] = `netip.ParsePrefix` (host bits allowed: `10.0.1.5/24` parses but
//!   is not canonical; no zones; bits without sign or leading zeros),
//! - [`parse_ip`] = `net.ParseIP`, [`parse_cidr`] = `net.ParseCIDR` (mask may have leading
//!   zeros),
//! - [`Mac::parse`] = `net.ParseMAC`, printed like `net.HardwareAddr.String()`.

use std::cmp::Ordering;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::validate::meta::go_quote;

/// An IP address as `netip.Addr` holds it: the address and an optional IPv6 zone.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Addr {
    ip: IpAddr,
    zone: Option<Box<str>>,
}

impl Addr {
    /// An address without zone.
    pub fn new(ip: IpAddr) -> Self {
        Addr { ip, zone: None }
    }

    /// The address without its zone.
    pub fn ip(&self) -> IpAddr {
        self.ip
    }

    /// The IPv6 zone (`eth0` of `fe80::1%eth0`), if any.
    pub fn zone(&self) -> Option<&str> {
        self.zone.as_deref()
    }

    /// Whether this is an IPv4 address (`Is4`; IPv4-mapped IPv6 addresses are not).
    pub fn is_ipv4(&self) -> bool {
        self.ip.is_ipv4()
    }

    /// The next address (`Addr.Next`), `None` past the last address of the family.
    pub fn next(&self) -> Option<Addr> {
        next_ip(self.ip).map(|ip| Addr {
            ip,
            zone: self.zone.clone(),
        })
    }
}

impl From<IpAddr> for Addr {
    fn from(ip: IpAddr) -> Self {
        Addr::new(ip)
    }
}

impl PartialOrd for Addr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Addr {
    /// `netip.Addr.Compare`: by family (IPv4 first), then address, then zone.
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_ip(self.ip, other.ip).then_with(|| self.zone.cmp(&other.zone))
    }
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.ip)?;
        if let Some(zone) = &self.zone {
            write!(f, "%{zone}")?;
        }
        Ok(())
    }
}

fn cmp_ip(a: IpAddr, b: IpAddr) -> Ordering {
    match (a, b) {
        (IpAddr::V4(x), IpAddr::V4(y)) => x.cmp(&y),
        (IpAddr::V6(x), IpAddr::V6(y)) => x.cmp(&y),
        (IpAddr::V4(_), IpAddr::V6(_)) => Ordering::Less,
        (IpAddr::V6(_), IpAddr::V4(_)) => Ordering::Greater,
    }
}

/// The address after `ip` in its family, `None` after the last one.
pub fn next_ip(ip: IpAddr) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(v4) => u32::from(v4)
            .checked_add(1)
            .map(|n| IpAddr::V4(Ipv4Addr::from(n))),
        IpAddr::V6(v6) => u128::from(v6)
            .checked_add(1)
            .map(|n| IpAddr::V6(Ipv6Addr::from(n))),
    }
}

/// Parses an address like Go's `netip.ParseAddr`.
///
/// IPv4 needs exactly four decimal fields without leading zeros; IPv6 may embed an IPv4
/// tail and carry a non-empty zone after `%`.
pub fn parse_addr(text: &str) -> Option<Addr> {
    parse_addr_go(text).ok()
}

/// [`parse_addr`] with Go's error text on failure (`ParseAddr("…"): … (at "…")`), the
/// text upstream appends to messages that wrap the parser's error.
pub fn parse_addr_go(text: &str) -> Result<Addr, String> {
    let fail = |msg: &str, at: Option<&str>| {
        let mut out = format!("ParseAddr({}): {msg}", go_quote(text));
        if let Some(at) = at.filter(|a| !a.is_empty()) {
            out.push_str(&format!(" (at {})", go_quote(at)));
        }
        out
    };
    // Go decides the family by the first '.', ':' or '%' it meets.
    match text.bytes().find(|b| matches!(b, b'.' | b':' | b'%')) {
        Some(b'.') => parse_ipv4_fields(text)
            .map(|b| Addr::new(IpAddr::V4(Ipv4Addr::from(b))))
            .map_err(|(msg, at)| fail(msg, at)),
        Some(b':') => parse_ipv6(text).map_err(|(msg, at)| fail(msg, at)),
        Some(_) => Err(fail("missing IPv6 address", None)),
        None => Err(fail("unable to parse IP", None)),
    }
}

/// A Go parse failure: the message and the unparsed rest it points at.
type GoFail<'a> = (&'static str, Option<&'a str>);

/// Go's `parseIPv4Fields`: four decimal fields, no leading zeros.
fn parse_ipv4_fields(s: &str) -> Result<[u8; 4], GoFail<'_>> {
    let b = s.as_bytes();
    let mut fields = [0u8; 4];
    let (mut val, mut pos, mut digits) = (0u32, 0usize, 0usize);
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            if digits == 1 && val == 0 {
                return Err(("IPv4 field has octet with leading zero", None));
            }
            val = val * 10 + u32::from(c - b'0');
            digits += 1;
            if val > 255 {
                return Err(("IPv4 field has value >255", None));
            }
        } else if c == b'.' {
            if i == 0 || i == b.len() - 1 || b.get(i - 1) == Some(&b'.') {
                return Err(("IPv4 field must have at least one digit", s.get(i..)));
            }
            if pos == 3 {
                return Err(("IPv4 address too long", None));
            }
            if let Some(f) = fields.get_mut(pos) {
                *f = u8::try_from(val).unwrap_or(u8::MAX);
            }
            pos += 1;
            val = 0;
            digits = 0;
        } else {
            return Err(("unexpected character", s.get(i..)));
        }
    }
    if pos < 3 {
        return Err(("IPv4 address too short", None));
    }
    fields[3] = u8::try_from(val).unwrap_or(u8::MAX);
    Ok(fields)
}

/// Go's `parseIPv6`, with its error texts.
fn parse_ipv6(input: &str) -> Result<Addr, GoFail<'_>> {
    let (mut s, zone) = match input.split_once('%') {
        Some((_, "")) => return Err(("zone must be a non-empty string", None)),
        Some((addr, zone)) => (addr, Some(Box::<str>::from(zone))),
        None => (input, None),
    };
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if let Some(rest) = s.strip_prefix("::") {
        ellipsis = Some(0);
        s = rest;
        if s.is_empty() {
            return Ok(Addr {
                ip: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
                zone,
            });
        }
    }
    let mut i = 0usize;
    while i < 16 {
        let b = s.as_bytes();
        let mut off = 0usize;
        let mut acc = 0u32;
        while let Some(digit) = b.get(off).and_then(|&c| char::from(c).to_digit(16)) {
            acc = (acc << 4) + digit;
            if off > 3 {
                return Err((
                    "each colon-separated field must have at most 4 hex digits",
                    Some(s),
                ));
            }
            if acc > u32::from(u16::MAX) {
                return Err(("IPv6 field has value >=2^16", Some(s)));
            }
            off += 1;
        }
        if off == 0 {
            return Err((
                "each colon-separated field must have at least one digit",
                Some(s),
            ));
        }
        if b.get(off) == Some(&b'.') {
            if ellipsis.is_none() && i != 12 {
                return Err((
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    Some(s),
                ));
            }
            if i + 4 > 16 {
                return Err((
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    Some(s),
                ));
            }
            let v4 = parse_ipv4_fields(s)?;
            ip[i..i + 4].copy_from_slice(&v4);
            s = "";
            i += 4;
            break;
        }
        let [hi, lo] = u16::try_from(acc).unwrap_or(u16::MAX).to_be_bytes();
        ip[i] = hi;
        ip[i + 1] = lo;
        i += 2;
        s = s.get(off..).unwrap_or("");
        if s.is_empty() {
            break;
        }
        let Some(rest) = s.strip_prefix(':') else {
            return Err(("unexpected character, want colon", Some(s)));
        };
        if rest.is_empty() {
            return Err(("colon must be followed by more characters", Some(s)));
        }
        s = rest;
        if let Some(rest) = s.strip_prefix(':') {
            if ellipsis.is_some() {
                return Err(("multiple :: in address", Some(s)));
            }
            ellipsis = Some(i);
            s = rest;
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(("trailing garbage after address", Some(s)));
    }
    match ellipsis {
        _ if i == 16 && ellipsis.is_some() => {
            return Err(("the :: must expand to at least one field of zeros", Some(s)));
        }
        None if i < 16 => return Err(("address string too short", None)),
        Some(at) if i < 16 => {
            let n = 16 - i;
            ip.copy_within(at..i, at + n);
            ip[at..at + n].fill(0);
        }
        _ => {}
    }
    Ok(Addr {
        ip: IpAddr::V6(Ipv6Addr::from(ip)),
        zone,
    })
}

/// Parses an address like Go's `net.ParseIP`: `netip.ParseAddr` without zones.
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    parse_addr(text).filter(|a| a.zone.is_none()).map(|a| a.ip)
}

fn bit_len(ip: IpAddr) -> u8 {
    if ip.is_ipv4() { 32 } else { 128 }
}

/// An IP prefix as `netip.Prefix` holds it: the address as written (host bits kept) and
/// the prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Prefix {
    addr: IpAddr,
    bits: u8,
}

impl Prefix {
    /// A prefix of `addr` and `bits`; `None` when `bits` exceeds the family's length.
    pub fn new(addr: IpAddr, bits: u8) -> Option<Self> {
        (bits <= bit_len(addr)).then_some(Prefix { addr, bits })
    }

    /// Parses a prefix like Go's `netip.ParsePrefix`: `<addr>/<bits>`, split at the last
    /// `/`, no zone, bits in decimal without sign or leading zeros.
    pub fn parse(text: &str) -> Option<Self> {
        Prefix::parse_go(text).ok()
    }

    /// [`Prefix::parse`] with Go's error text on failure (`netip.ParsePrefix("…"): …`),
    /// the text upstream appends to messages that wrap the parser's error.
    pub fn parse_go(text: &str) -> Result<Self, String> {
        let fail = |msg: &str| format!("netip.ParsePrefix({}): {msg}", go_quote(text));
        let Some((addr, bits)) = text.rsplit_once('/') else {
            return Err(fail("no '/'"));
        };
        let addr = parse_addr_go(addr).map_err(|e| fail(&e))?;
        if addr.zone.is_some() {
            return Err(fail("IPv6 zones cannot be present in a prefix"));
        }
        let bad_bits = || fail(&format!("bad bits after slash: {}", go_quote(bits)));
        if bits.len() > 1 && !matches!(bits.as_bytes().first(), Some(b'1'..=b'9')) {
            return Err(bad_bits());
        }
        // strconv.Atoi; after the check above a sign can only be the whole text.
        let bits = bits.parse::<i64>().map_err(|_| bad_bits())?;
        u8::try_from(bits)
            .ok()
            .and_then(|n| Prefix::new(addr.ip, n))
            .ok_or_else(|| fail("prefix length out of range"))
    }

    /// The address as written.
    pub fn addr(&self) -> IpAddr {
        self.addr
    }

    /// The prefix length.
    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// Whether this is an IPv4 prefix.
    pub fn is_ipv4(&self) -> bool {
        self.addr.is_ipv4()
    }

    /// The prefix with its host bits cleared (`Masked`).
    pub fn masked(&self) -> Prefix {
        Prefix {
            addr: self.network(),
            bits: self.bits,
        }
    }

    /// Whether the host bits are all zero (`p == p.Masked()`).
    pub fn is_canonical(&self) -> bool {
        self.addr == self.network()
    }

    /// The first address of the prefix (`Masked().Addr()`).
    pub fn network(&self) -> IpAddr {
        match self.addr {
            IpAddr::V4(v4) => IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask32(self.bits))),
            IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask128(self.bits))),
        }
    }

    /// The last address of the prefix (the IPv4 broadcast address), as upstream's
    /// `iputil.LastIPNetip`.
    pub fn last(&self) -> IpAddr {
        match self.addr {
            IpAddr::V4(v4) => IpAddr::V4(Ipv4Addr::from(u32::from(v4) | !mask32(self.bits))),
            IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) | !mask128(self.bits))),
        }
    }

    /// The network address plus one, upstream's default gateway; `None` when it does not
    /// exist (the network is the family's last address).
    pub fn gateway(&self) -> Option<IpAddr> {
        next_ip(self.network())
    }

    /// Whether `ip` lies inside the prefix (`Contains`; other families never do).
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.addr.is_ipv4() == ip.is_ipv4()
            && Prefix {
                addr: ip,
                bits: self.bits,
            }
            .network()
                == self.network()
    }

    /// `Contains` for a parsed address: zoned addresses are never contained, as in Go.
    pub fn contains_addr(&self, addr: &Addr) -> bool {
        addr.zone.is_none() && self.contains(addr.ip)
    }

    /// Whether the two prefixes share an address (`Overlaps`; families never overlap).
    pub fn overlaps(&self, other: &Prefix) -> bool {
        if self.addr.is_ipv4() != other.addr.is_ipv4() {
            return false;
        }
        let bits = self.bits.min(other.bits);
        Prefix {
            addr: self.addr,
            bits,
        }
        .network()
            == Prefix {
                addr: other.addr,
                bits,
            }
            .network()
    }

    /// Whether `self` lies entirely inside `outer` (upstream's `iputil.IsSubset`).
    pub fn is_subset_of(&self, outer: &Prefix) -> bool {
        self.addr.is_ipv4() == outer.addr.is_ipv4()
            && self.bits >= outer.bits
            && outer.contains(self.addr)
    }
}

impl fmt::Display for Prefix {
    /// `netip.Prefix.String`: the address as written, `/`, the length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.bits)
    }
}

fn mask32(bits: u8) -> u32 {
    u32::MAX
        .checked_shl(32 - u32::from(bits.min(32)))
        .unwrap_or(0)
}

fn mask128(bits: u8) -> u128 {
    u128::MAX
        .checked_shl(128 - u32::from(bits.min(128)))
        .unwrap_or(0)
}

/// Non-empty ASCII decimal digits (leading zeros allowed), at most 255.
fn parse_decimal(text: &str) -> Option<u8> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = text.bytes().try_fold(0u32, |n, b| {
        n.checked_mul(10)?
            .checked_add(u32::from(b - b'0'))
            .filter(|n| *n <= 255)
    });
    value.and_then(|n| u8::try_from(n).ok())
}

/// Parses like Go's `net.ParseCIDR`: an address without zone, `/`, a decimal length that
/// may have leading zeros. Returns the address as written and the masked prefix.
pub fn parse_cidr(text: &str) -> Option<(IpAddr, Prefix)> {
    let (addr, bits) = text.split_once('/')?;
    let ip = parse_ip(addr)?;
    let prefix = Prefix::new(ip, parse_decimal(bits)?)?;
    Some((ip, prefix.masked()))
}

/// A hardware address as Go's `net.HardwareAddr`: 6, 8 or 20 bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Mac(Vec<u8>);

impl Mac {
    /// Parses like Go's `net.ParseMAC`: `aa:bb:…` or `aa-bb-…` (one separator throughout)
    /// or `aabb.ccdd.…`, hex digits of either case, 6, 8 or 20 bytes.
    pub fn parse(text: &str) -> Option<Mac> {
        let s = text.as_bytes();
        if s.len() < 14 {
            return None;
        }
        let (group, sep) = match (s.get(2), s.get(4)) {
            (Some(&sep @ (b':' | b'-')), _) => (2, sep),
            (_, Some(b'.')) => (4, b'.'),
            _ => return None,
        };
        let stride = group + 1;
        if !(s.len() + 1).is_multiple_of(stride) {
            return None;
        }
        let bytes_len = (s.len() + 1) / stride * group / 2;
        if !matches!(bytes_len, 6 | 8 | 20) {
            return None;
        }
        let mut out = Vec::with_capacity(bytes_len);
        for chunk in s.chunks(stride) {
            let (digits, rest) = chunk.split_at(group.min(chunk.len()));
            if digits.len() != group || rest.iter().any(|&b| b != sep) {
                return None;
            }
            for pair in digits.chunks(2) {
                out.push(hex_pair(pair)?);
            }
        }
        Some(Mac(out))
    }

    /// The address bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

fn hex_pair(pair: &[u8]) -> Option<u8> {
    let digit = |b: u8| char::from(b).to_digit(16);
    match pair {
        [hi, lo] => u8::try_from(digit(*hi)? * 16 + digit(*lo)?).ok(),
        _ => None,
    }
}

impl fmt::Display for Mac {
    /// Lower-case hex bytes joined by `:`, as `net.HardwareAddr.String()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_like_go() {
        assert_eq!(parse_addr("10.0.0.1").unwrap().to_string(), "10.0.0.1");
        assert!(parse_addr("010.0.0.1").is_none());
        assert!(parse_addr("10.0.0").is_none());
        assert!(parse_addr("10.0.0.256").is_none());
        assert_eq!(parse_addr("fe80::1%eth0").unwrap().zone(), Some("eth0"));
        assert!(parse_addr("fe80::1%").is_none());
        assert!(parse_ip("fe80::1%eth0").is_none());
        assert_eq!(
            parse_addr("::FFFF:1.2.3.4").unwrap().to_string(),
            "::ffff:1.2.3.4"
        );
        assert!(!parse_addr("::ffff:1.2.3.4").unwrap().is_ipv4());
        let a = parse_addr("10.0.0.9").unwrap();
        let b = parse_addr("10.0.0.10").unwrap();
        assert!(a < b);
        assert!(parse_addr("255.255.255.255").unwrap().next().is_none());
    }

    #[test]
    fn prefixes_like_go() {
        let p = Prefix::parse("10.0.1.5/24").unwrap();
        assert!(!p.is_canonical());
        assert_eq!(p.to_string(), "10.0.1.5/24");
        assert_eq!(p.masked().to_string(), "10.0.1.0/24");
        assert_eq!(p.gateway().unwrap().to_string(), "10.0.1.1");
        assert_eq!(p.last().to_string(), "10.0.1.255");
        assert!(Prefix::parse("10.0.1.0/024").is_none());
        assert!(Prefix::parse("10.0.1.0/+24").is_none());
        assert!(Prefix::parse("10.0.1.0/33").is_none());
        assert!(Prefix::parse("10.0.1.0").is_none());
        assert!(Prefix::parse("10.0.1.0/").is_none());
        assert!(Prefix::parse("fe80::%eth0/64").is_none());
        assert_eq!(
            Prefix::parse("0.0.0.0/0").unwrap().last().to_string(),
            "255.255.255.255"
        );
        assert_eq!(Prefix::parse("2001:db8::/32").unwrap().bits(), 32);
        assert!(Prefix::parse("2001:db8::/129").is_none());
        let a = Prefix::parse("10.0.0.0/16").unwrap();
        let b = Prefix::parse("10.0.5.0/24").unwrap();
        let c = Prefix::parse("10.1.0.0/16").unwrap();
        assert!(a.overlaps(&b) && b.overlaps(&a) && !a.overlaps(&c));
        assert!(b.is_subset_of(&a) && !a.is_subset_of(&b));
        assert!(a.contains("10.0.255.255".parse().unwrap()));
        assert!(!a.contains("::ffff:10.0.0.1".parse().unwrap()));
    }

    #[test]
    fn errors_read_like_go() {
        let addr = |s: &str| parse_addr_go(s).err().unwrap_or_default();
        assert_eq!(
            addr("010.0.0.1"),
            r#"ParseAddr("010.0.0.1"): IPv4 field has octet with leading zero"#
        );
        assert_eq!(
            addr("10.0.0.256"),
            r#"ParseAddr("10.0.0.256"): IPv4 field has value >255"#
        );
        assert_eq!(
            addr("10.0.0"),
            r#"ParseAddr("10.0.0"): IPv4 address too short"#
        );
        assert_eq!(
            addr("1.2.3.4.5"),
            r#"ParseAddr("1.2.3.4.5"): IPv4 address too long"#
        );
        assert_eq!(
            addr("10..0.1"),
            r#"ParseAddr("10..0.1"): IPv4 field must have at least one digit (at ".0.1")"#
        );
        assert_eq!(
            addr("10.0.1.x"),
            r#"ParseAddr("10.0.1.x"): unexpected character (at "x")"#
        );
        assert_eq!(addr("any"), r#"ParseAddr("any"): unable to parse IP"#);
        assert_eq!(addr("%eth0"), r#"ParseAddr("%eth0"): missing IPv6 address"#);
        assert_eq!(
            addr("fe80::1%"),
            r#"ParseAddr("fe80::1%"): zone must be a non-empty string"#
        );
        assert_eq!(
            addr("1::2::3"),
            r#"ParseAddr("1::2::3"): multiple :: in address (at ":3")"#
        );
        assert_eq!(
            addr("1:2:3"),
            r#"ParseAddr("1:2:3"): address string too short"#
        );
        assert_eq!(
            addr("12345::"),
            r#"ParseAddr("12345::"): each colon-separated field must have at most 4 hex digits (at "12345::")"#
        );
        assert_eq!(
            addr("1:2:3:4:5:6:7:8::"),
            r#"ParseAddr("1:2:3:4:5:6:7:8::"): the :: must expand to at least one field of zeros"#
        );
        assert_eq!(
            addr("1:"),
            r#"ParseAddr("1:"): colon must be followed by more characters (at ":")"#
        );
        assert_eq!(
            addr("1:2:3:4:5:6:7:8:9"),
            r#"ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9")"#
        );
        let prefix = |s: &str| Prefix::parse_go(s).err().unwrap_or_default();
        assert_eq!(
            prefix("10.0.0.0"),
            r#"netip.ParsePrefix("10.0.0.0"): no '/'"#
        );
        assert_eq!(
            prefix("10.0.0.0/33"),
            r#"netip.ParsePrefix("10.0.0.0/33"): prefix length out of range"#
        );
        assert_eq!(
            prefix("10.0.0.0/024"),
            r#"netip.ParsePrefix("10.0.0.0/024"): bad bits after slash: "024""#
        );
        assert_eq!(
            prefix("10.0.0.0/"),
            r#"netip.ParsePrefix("10.0.0.0/"): bad bits after slash: """#
        );
        assert_eq!(
            prefix("10.0.0.0/99999999999999999999"),
            r#"netip.ParsePrefix("10.0.0.0/99999999999999999999"): bad bits after slash: "99999999999999999999""#
        );
        assert_eq!(
            prefix("10.0.0/8"),
            r#"netip.ParsePrefix("10.0.0/8"): ParseAddr("10.0.0"): IPv4 address too short"#
        );
        assert_eq!(
            prefix("fe80::1%eth0/64"),
            r#"netip.ParsePrefix("fe80::1%eth0/64"): IPv6 zones cannot be present in a prefix"#
        );
        // Valid IPv6 forms, including an embedded IPv4 tail and a leading ellipsis.
        for ok in [
            "::",
            "::1",
            "1::",
            "2001:db8::8a2e:370:7334",
            "::ffff:10.0.0.1",
            "1:2:3:4:5:6:1.2.3.4",
        ] {
            assert_eq!(
                parse_addr(ok).map(|a| a.ip()),
                ok.parse::<IpAddr>().ok(),
                "{ok}"
            );
        }
    }

    #[test]
    fn cidr_like_go() {
        let (ip, net) = parse_cidr("192.168.1.7/024").unwrap();
        assert_eq!(ip.to_string(), "192.168.1.7");
        assert_eq!(net.to_string(), "192.168.1.0/24");
        assert!(parse_cidr("192.168.1.7").is_none());
        assert!(parse_cidr("192.168.1.7/").is_none());
        assert!(parse_cidr("192.168.1.7/33").is_none());
        assert!(parse_cidr("any").is_none());
    }

    #[test]
    fn macs_like_go() {
        let canon = |s: &str| Mac::parse(s).map(|m| m.to_string());
        assert_eq!(
            canon("AA:BB:CC:DD:EE:0F").as_deref(),
            Some("aa:bb:cc:dd:ee:0f")
        );
        assert_eq!(
            canon("aa-bb-cc-dd-ee-ff").as_deref(),
            Some("aa:bb:cc:dd:ee:ff")
        );
        assert_eq!(
            canon("aabb.ccdd.eeff").as_deref(),
            Some("aa:bb:cc:dd:ee:ff")
        );
        assert_eq!(
            canon("00:00:5e:00:53:01:02:03").as_deref(),
            Some("00:00:5e:00:53:01:02:03")
        );
        assert!(canon("aa:bb-cc:dd:ee:ff").is_none());
        assert!(canon("aa:bb:cc:dd:ee").is_none());
        assert!(canon("aa:bb:cc:dd:ee:fg").is_none());
        assert!(canon("aa:bb:cc:dd:ee:ff:").is_none());
        assert!(canon("aabbccddeeff").is_none());
    }
}
