"""Who the client is, behind proxies or not: a table written by hand."""

import pytest
from django.test import RequestFactory

from partnernet.lib.addresses import client_address, client_address_from, parse_networks

PROXIES = ("10.0.0.0/8", "192.0.2.10", "2001:db8:1::/48")
CASES = [
    # (REMOTE_ADDR, X-Forwarded-For, trusted proxies, client address, why)
    ("203.0.113.9", "", (), "203.0.113.9", "no proxy: the peer"),
    ("203.0.113.9", "198.51.100.1", (), "203.0.113.9", "header ignored without TRUSTED_PROXIES"),
    ("203.0.113.9", "198.51.100.1", PROXIES, "203.0.113.9", "header from an untrusted peer"),
    ("10.0.0.5", "198.51.100.1", PROXIES, "198.51.100.1", "one trusted proxy"),
    ("10.0.0.5", "198.51.100.1, 10.1.2.3", PROXIES, "198.51.100.1", "two trusted proxies"),
    ("10.0.0.5", "6.6.6.6, 198.51.100.1", PROXIES, "198.51.100.1", "forged hop on the left"),
    ("10.0.0.5", "1.1.1.1, 2.2.2.2, 198.51.100.1", PROXIES, "198.51.100.1", "many forged hops"),
    ("10.0.0.5", "", PROXIES, "10.0.0.5", "trusted peer, no header: the proxy itself"),
    ("10.0.0.5", "10.9.9.9", PROXIES, "10.9.9.9", "only proxies: the farthest of them"),
    ("10.0.0.5", "nonsense", PROXIES, "10.0.0.5", "garbage from a proxy: the proxy"),
    ("10.0.0.5", "198.51.100.1, garbage", PROXIES, "10.0.0.5", "garbage nearest: stop there"),
    ("10.0.0.5", "garbage, 198.51.100.1", PROXIES, "198.51.100.1", "garbage beyond the client"),
    ("10.0.0.5", "198.51.100.1:5555", PROXIES, "198.51.100.1", "IPv4 with a port"),
    ("10.0.0.5", "[2001:db8:99::7]:443", PROXIES, "2001:db8:99::7", "IPv6 with a port"),
    ("192.0.2.10", "198.51.100.1", PROXIES, "198.51.100.1", "a single trusted address"),
    ("192.0.2.11", "198.51.100.1", PROXIES, "192.0.2.11", "its neighbour is not trusted"),
    ("2001:db8:1::2", "198.51.100.1", PROXIES, "198.51.100.1", "an IPv6 proxy"),
    ("::ffff:10.0.0.5", "198.51.100.1", PROXIES, "198.51.100.1", "IPv4-mapped peer"),
    ("", "198.51.100.1", PROXIES, "unknown", "no peer address and no socket proxy"),
    ("", "198.51.100.1", ("unix",), "198.51.100.1", "a proxy on a Unix socket"),
    ("", "", ("unix",), "unknown", "a Unix socket and no header"),
    ("not-an-ip", "", (), "unknown", "a peer that is not an address"),
]


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected", "why"), CASES, ids=[c[-1] for c in CASES]
)
def test_the_client_address_rule(remote, forwarded, trusted, expected, why):
    assert client_address_from(remote, forwarded, trusted) == expected


def test_a_request_is_read_through_the_setting(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1"
    )
    settings.TRUSTED_PROXIES = []
    assert client_address(request) == "10.0.0.5"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request) == "198.51.100.1"


def test_a_bad_trusted_proxy_entry_is_an_error():
    with pytest.raises(ValueError):
        parse_networks(("10.0.0.0/8", "proxy.example"))
