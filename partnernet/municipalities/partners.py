"""Who may be a partner: the one owner of the rule (pure, no query).

A partner is a local or regional government of any kind in the registry: a Swedish kommun or
region, a Ukrainian hromada, city with special status or oblast, or a local or regional
government of another country added by an officer. The kind never matters; the country does:
a pair joins a Swedish government (`swedish_partner`) with one of another country (`partner`).
Matchmaking, applications and partnerships ask here, and nowhere else. No Django import: the
pure scoring of matchmaking uses it too.
"""

from typing import Protocol, TypeVar

SWEDEN = "SE"  # the country of the network's Swedish partners
UKRAINE = "UA"  # the country of the first network's partners


class _Located(Protocol):
    country_id: str


def is_swedish_side(country: str) -> bool:
    """Whether a government of `country` (ISO alpha-2) is on the Swedish side of a pair."""
    return country == SWEDEN


def offers(government: _Located) -> bool:
    """Swedish governments offer what they know; the others state their needs."""
    return is_swedish_side(government.country_id)


def is_pair(swedish_partner: _Located, partner: _Located) -> bool:
    """Whether these two, in this order, may be a pair: a Swedish government first, one of
    another country second (their kinds do not matter)."""
    return is_swedish_side(swedish_partner.country_id) and not is_swedish_side(partner.country_id)


_G = TypeVar("_G", bound=_Located)


def orient(one: _G, other: _G) -> tuple[_G, _G]:
    """(swedish_partner, partner) of two governments, whichever order they come in (when
    neither or both are Swedish the order is kept, and `is_pair` refuses it)."""
    return (
        (other, one)
        if is_swedish_side(other.country_id) and not is_swedish_side(one.country_id)
        else (one, other)
    )
