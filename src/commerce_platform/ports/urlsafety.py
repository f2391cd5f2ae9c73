"""URL safety check before any fetch (SSRF guard).

Only http and https; a host that resolves to a private, loopback, link-local, multicast, reserved
or cloud-metadata address is refused unless allow-listed (``COMMERCE_FETCH_ALLOW_HOSTS``: host names
or CIDRs). Every redirect hop is checked again by the fetcher.
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

Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address of ``host``, IPv4 first: the fetcher connects to the first one, and a
    runtime without IPv6 egress (a Lambda outside a dual-stack VPC) must not pick an IPv6 one."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos}, key=lambda a: (":" in a, a))


class UrlPolicy:
    def __init__(self, allow: Iterable[str] = (), resolver: Resolver = system_resolver) -> None:
        self.allow_hosts: set[str] = set()
        self.allow_nets: list[ipaddress._BaseNetwork] = []
        for entry in allow:
            entry = entry.strip().lower()
            if not entry:
                continue
            try:
                self.allow_nets.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.allow_hosts.add(entry)
        self.resolver = resolver

    def _address_allowed(self, addr: ipaddress._BaseAddress) -> bool:
        return any(addr in net for net in self.allow_nets if net.version == addr.version)

    @staticmethod
    def _is_internal(addr: ipaddress._BaseAddress) -> bool:
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        return (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_multicast
                or addr.is_reserved or addr.is_unspecified or not addr.is_global)

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
            if addr in METADATA_ADDRESSES:
                raise Refused(f"host {host} resolves to the metadata address {addr}", field="image_url")
            if self._is_internal(addr) and not (host_allowed or self._address_allowed(addr)):
                raise Refused(f"host {host} resolves to the internal address {addr}",
                              field="image_url", hint="allow-list it in COMMERCE_FETCH_ALLOW_HOSTS if intended")
        return addresses
