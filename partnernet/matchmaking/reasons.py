"""Reasons of a suggestion, rendered in the reader's language (the active gettext language)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import topics
from .scoring import Reason


def _kind(value: int) -> str:
    labels = {2: _("urban"), 1: _("small-town"), 0: _("rural")}
    return labels.get(value, "")


def render(reason: Reason | dict, area_names: dict[str, str] | None = None) -> str:
    """One sentence for one reason code; unknown codes are shown as they are."""
    code, p = (
        (reason.code, reason.params)
        if isinstance(reason, Reason)
        else (reason["code"], reason["params"])
    )
    area_names = area_names or {}
    if code == "already_partners":
        return _("%(a)s and %(b)s are already partners") % p
    if code == "shared_area":
        return _("Both work on %(area)s") % {"area": area_names.get(p["area"], p["area"])}
    if code == "offer_meets_need":
        return _("%(offerer)s offers %(topic)s, which %(needer)s asks for") % {
            **p,
            "topic": topics.label(p["topic"]),
        }
    if code == "offer_meets_text":
        return _("%(offerer)s offers %(topic)s, which the need asks for") % {
            **p,
            "topic": topics.label(p["topic"]),
        }
    if code == "close_in_meaning":
        return _("Needs and offers are close in meaning (similarity %(percent)s out of 100)") % p
    if code == "population_unknown":
        return _("The population of %(name)s is not known, so size is not compared") % p
    if code == "similar_size":
        return _("Similar size (%(a)s and %(b)s inhabitants)") % {
            "a": f"{p['a']:,}".replace(",", " "),
            "b": f"{p['b']:,}".replace(",", " "),
        }
    if code == "same_kind":
        return _("Both are %(kind)s municipalities") % {"kind": _kind(p["kind"])}
    if code == "linked_regions":
        return _("There are already partnerships between %(region)s and this region") % p
    if code == "has_capacity":
        return (
            ngettext(
                "%(name)s has room for %(free)s more partnership",
                "%(name)s has room for %(free)s more partnerships",
                p["free"],
            )
            % p
        )
    if code == "at_capacity":
        return _("%(name)s already has %(load)s of %(capacity)s partnerships") % p
    if code == "no_profile":
        return _("%(name)s has no interest profile yet: ranked by size, kind and region only") % p
    return code


def render_all(reasons, area_names: dict[str, str] | None = None) -> list[str]:
    return [render(r, area_names) for r in reasons]
