"""URL safety check before any fetch (SSRF guard).

Only http and https; a host that resolves to a private, loopback, link-local, multicast, reserved
or cloud-metadata address is refused unless allow-listed (``COMMERCE_FETCH_ALLOW_HOSTS``: host names
or CIDRs). IPv6 addresses that carry an IPv4 address (IPv4-mapped and -compatible, 6to4, Teredo, NAT64)
are judged by that IPv4 address too: 2002:7f00:1:: reaches 127.0.0.1 through a 6to4 relay. Every
redirect hop is checked again by the fetcher.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from ..errors import Refused

ALLOWED_SCHEMES = ("http", "https")
# Metadata endpoints of the clouds; refused even if somebody allow-lists their whole range by mistake.
METADATA_ADDRESSES = frozenset({
    ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("169.254.170.2"),
    ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200"),
})
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data"})

# NAT64 (RFC 6052 well-known prefix, RFC 8215 local-use prefix): the IPv4 address is the last 32 bits.
NAT64_NETWORKS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def embedded_ipv4(addr: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to (empty for IPv4 and plain IPv6)."""
    if not isinstance(addr, ipaddress.IPv6Address):
        return []
    found: list[ipaddress.IPv4Address] = []
    if addr.ipv4_mapped:  # ::ffff:a.b.c.d
        found.append(addr.ipv4_mapped)
    if addr.sixtofour:  # 2002:AABB:CCDD::/48 -> AA.BB.CC.DD
        found.append(addr.sixtofour)
    if addr.teredo:  # 2001:0::/32: (server = bits 32-63, client = last 32 bits XOR 0xffffffff)
        found.extend(addr.teredo)
    value = int(addr)
    if value >> 32 == 0 and value > 1:  # IPv4-compatible ::a.b.c.d (deprecated; :: and ::1 are not)
        found.append(ipaddress.IPv4Address(value))
    if any(addr in net for net in NAT64_NETWORKS):
        found.append(ipaddress.IPv4Address(value & 0xFFFFFFFF))
    return found


def system_resolver(host: str, port: int) -> list[str]:
    """Every address of ``host``, IPv4 first: the fetcher connects to the first one, and a
    runtime without IPv6 egress (a Lambda outside a dual-stack VPC) must not pick an IPv6 one."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos}, key=lambda a: (":" in a, a))


class UrlPolicy:
    def __init__(self, allow: Iterable[str] = (), resolver: Resolver = system_resolver) -> None:
        self.allow_hosts: set[str] = set()
        self.allow_nets: list[IPNetwork] = []
        for entry in allow:
            entry = entry.strip().lower()
            if not entry:
                continue
            try:
                self.allow_nets.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.allow_hosts.add(entry)
        self.resolver = resolver

    def _address_allowed(self, addr: IPAddress) -> bool:
        return any(addr in net for net in self.allow_nets if net.version == addr.version)

    @staticmethod
    def _is_internal(addr: IPAddress) -> bool:
        """Internal itself, or leading to an internal IPv4 address (6to4, Teredo, NAT64, mapped)."""
        return any(a.is_private or a.is_loopback or a.is_link_local or a.is_multicast or a.is_reserved
                   or a.is_unspecified or not a.is_global or getattr(a, "is_site_local", False)
                   for a in (addr, *embedded_ipv4(addr)))

    def check(self, url: str) -> list[str]:
        """The resolved addresses of an acceptable URL; Refused (with the reason) otherwise."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise Refused(f"malformed URL {url!r}: {exc}", field="image_url") from None
        if parts.scheme.lower() not in ALLOWED_SCHEMES:
            raise Refused(f"scheme {parts.scheme!r} is not allowed (only http and https)", field="image_url")
        host = (parts.hostname or "").lower().rstrip(".")
        if not host:
            raise Refused(f"URL {url!r} has no host", field="image_url")
        if parts.username or parts.password:
            raise Refused("URLs with credentials are not fetched", field="image_url")
        if host in METADATA_HOSTS:
            raise Refused(f"host {host} is a cloud metadata endpoint", field="image_url")
        port = port or (443 if parts.scheme.lower() == "https" else 80)
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            addresses = []
        if not addresses:
            try:
                addresses = self.resolver(host, port)
            except OSError as exc:
                raise Refused(f"host {host} does not resolve: {exc}", field="image_url") from None
            if not addresses:
                raise Refused(f"host {host} does not resolve", field="image_url")
        host_allowed = host in self.allow_hosts
        for text in addresses:
            addr = ipaddress.ip_address(text.split("%", 1)[0])
            inner = embedded_ipv4(addr)
            if addr in METADATA_ADDRESSES or any(a in METADATA_ADDRESSES for a in inner):
                via = f" (embedding {', '.join(map(str, inner))})" if inner else ""
                raise Refused(f"host {host} resolves to the metadata address {addr}{via}", field="image_url")
            if self._is_internal(addr) and not (host_allowed or self._address_allowed(addr)):
                via = f", which embeds the IPv4 address {', '.join(map(str, inner))}" if inner else ""
                raise Refused(f"host {host} resolves to the internal address {addr}{via}",
                              field="image_url", hint="allow-list it in COMMERCE_FETCH_ALLOW_HOSTS if intended")
        return addresses
