"""The client address of a request: the one answer used by sign-in lock-out, API rate limits and
session records.

Behind a reverse proxy or load balancer every request comes from the proxy, and the client's
address is in `X-Forwarded-For`, a header anyone can also send themselves. So the header is read
only when the direct peer (`REMOTE_ADDR`) is one of the proxies named in the `TRUSTED_PROXIES`
setting (addresses or networks, e.g. `10.0.0.0/8,127.0.0.1`), and then from the right: each
trusted proxy appends the address it received the request from, so the rightmost address that is
not a trusted proxy is the client. Whatever a client writes further left is never read. Without
`TRUSTED_PROXIES` the header is ignored. The entry `unix` trusts a proxy that connects through a
Unix socket (where there is no peer address).

    >>> client_address_from("10.0.0.5", "203.0.113.9, 10.0.0.7", ("10.0.0.0/8",))
    '203.0.113.9'
    >>> client_address_from("198.51.100.1", "203.0.113.9", ("10.0.0.0/8",))
    '198.51.100.1'
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"
# In TRUSTED_PROXIES: the proxy talks to us over a Unix socket (REMOTE_ADDR is then empty).
UNIX_SOCKET = "unix"


def parse_address(text: str) -> Address | None:
    """An IP address from a header value (`1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:443`,
    `2001:db8::1`); IPv4-mapped IPv6 addresses become IPv4. None when it is not an address."""
    value = text.strip().strip('"')
    if value.startswith("["):  # [IPv6]:port
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@functools.lru_cache(maxsize=16)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """`TRUSTED_PROXIES` entries as networks; raises ValueError on an entry that is neither an
    address nor a network (the system check reports it at start-up)."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def is_trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address_from(remote_addr: str, forwarded_for: str, trusted: tuple[str, ...]) -> str:
    """The client's address given the direct peer, the X-Forwarded-For header and the trusted
    proxies (a pure function of its three arguments)."""
    peer = parse_address(remote_addr or "")
    via_socket = peer is None and UNIX_SOCKET in trusted
    if peer is None and not via_socket:
        return UNKNOWN
    networks = parse_networks(tuple(e for e in trusted if e != UNIX_SOCKET))
    if not forwarded_for or not (via_socket or (peer is not None and is_trusted(peer, networks))):
        return str(peer) if peer else UNKNOWN
    nearest = peer
    for hop in reversed(forwarded_for.split(",")):
        address = parse_address(hop)
        if address is None:
            # A trusted proxy passed on something that is not an address: the last address we
            # can vouch for is the proxy that handed it on.
            break
        if not is_trusted(address, networks):
            return str(address)
        nearest = address
    return str(nearest) if nearest else UNKNOWN  # every hop is one of our proxies


def client_address(request: HttpRequest) -> str:
    """The client address of a Django request, by the rule above and `settings.TRUSTED_PROXIES`."""
    from django.conf import settings

    return client_address_from(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        tuple(getattr(settings, "TRUSTED_PROXIES", ())),
    )
