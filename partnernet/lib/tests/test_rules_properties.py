"""Properties of the cell rule and the client-address rule, on generated input. Each property
names the cases it must reach (`reaches`, lib.testing_properties), so a strategy that never
produced the interesting case fails instead of passing vacuously."""

import ipaddress

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from partnernet.lib.addresses import client_address_from, parse_address
from partnernet.lib.cells import FORMULA_TRIGGERS, neutralise, xlsx_row

TEXTS = st.text(max_size=20) | st.tuples(
    st.sampled_from(FORMULA_TRIGGERS), st.text(max_size=10)
).map("".join)


@pytest.mark.reaches("dangerous", "harmless", each=20)
@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_a_neutralised_cell_never_starts_a_formula_and_keeps_its_text(text):
    cell = neutralise(text)
    dangerous = text.startswith(FORMULA_TRIGGERS)
    event("dangerous" if dangerous else "harmless")
    assert not cell.startswith(FORMULA_TRIGGERS)
    assert cell == ("'" + text if dangerous else text)


@pytest.mark.reaches("changed", "unchanged")
@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("\x00\x01\x0b\x1f=+-@ab\t\n\r\ufffe"), max_size=12))
def test_an_xlsx_cell_holds_only_xml_characters_and_starts_no_formula(text):
    (cell,) = xlsx_row([text])
    event("changed" if cell != text else "unchanged")
    assert not any(ch in cell for ch in "\x00\x01\x0b\x1f\ufffe")
    assert not cell.startswith(FORMULA_TRIGGERS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, 5),
        (-5, -5),
        (True, True),
        (b"=1", b"=1"),  # bytes are not text a spreadsheet shows
        ("-", "'-"),
        ("'=1", "'=1"),
    ],
)
def test_only_text_is_neutralised(value, expected):
    assert neutralise(value) == expected


CLIENTS = st.ip_addresses(v=4).filter(lambda a: ipaddress.ip_address(a) not in PROXY_NET)
PROXY_NET = ipaddress.ip_network("10.0.0.0/8")
PROXIES = st.integers(1, 2**24 - 2).map(lambda n: str(PROXY_NET[n]))


@pytest.mark.reaches("forged", "nothing forged", "behind hops", "direct")
@settings(max_examples=300, deadline=None)
@given(
    forged=st.lists(st.ip_addresses(v=4).map(str) | st.text(max_size=8), max_size=4),
    client=CLIENTS.map(str),
    hops=st.lists(PROXIES, max_size=3),
    peer=PROXIES,
)
def test_behind_trusted_proxies_the_client_is_the_rightmost_untrusted_address(
    forged, client, hops, peer
):
    """Whatever a client writes in front of its own address is never read."""
    header = ", ".join([*forged, client, *hops])
    event("forged" if forged else "nothing forged")
    event("behind hops" if hops else "direct")
    assert client_address_from(peer, header, ("10.0.0.0/8",)) == client


@pytest.mark.reaches("with header", "no header")
@settings(max_examples=200, deadline=None)
@given(peer=CLIENTS.map(str), header=st.text(max_size=40))
def test_an_untrusted_peer_is_the_client_whatever_it_sends(peer, header):
    event("with header" if header else "no header")
    assert client_address_from(peer, header, ("10.0.0.0/8",)) == peer
    assert client_address_from(peer, header, ()) == peer


# Random text is never an address: written addresses (bare, with a port, bracketed, quoted, in
# spaces) make the "address" branch reachable, and a cut one the near misses.
def _written(address: str, form: str, cut: int) -> str:
    text = form.format(address)
    return text[: len(text) - cut]


WRITTEN_ADDRESSES = st.builds(
    _written,
    st.ip_addresses().map(str),
    st.sampled_from(["{}", "{}:80", "[{}]", "[{}]:443", '"{}"', " {} "]),
    st.integers(0, 3),
)


@pytest.mark.reaches("address", "not an address")
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30) | WRITTEN_ADDRESSES)
def test_parse_address_never_raises_and_returns_a_real_address(text):
    address = parse_address(text)
    event("address" if address else "not an address")
    if address is not None:
        assert ipaddress.ip_address(str(address)) == address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.2.3.4", "1.2.3.4"),
        (" 1.2.3.4 ", "1.2.3.4"),
        ('"1.2.3.4"', "1.2.3.4"),
        ("1.2.3.4:80", "1.2.3.4"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("1.2.3", None),
        ("256.1.1.1", None),
        ("unknown", None),
        ("", None),
        ("[", None),
        ("1.2.3.4:80:90", None),
    ],
)
def test_parse_address(text, expected):
    address = parse_address(text)
    assert (str(address) if address else None) == expected
