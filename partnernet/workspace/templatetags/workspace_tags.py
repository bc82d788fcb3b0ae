"""`{% visit activity partnership %}`: who travels to whom ("Falun visits Kolomyia"), each
municipality named in the reader's language; a partner kept private from the public is "the
partner municipality"."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partnernet.municipalities.names import display_name

register = template.Library()


def _name(municipality) -> str:
    if municipality is None:
        return _("the partner municipality")
    return display_name(municipality, get_language() or "sv")


@register.simple_tag
def visit(activity, partnership) -> str:
    side = getattr(activity, "travelling_side", "")
    if side not in ("swedish", "partner"):
        return ""
    swedish, partner = _name(partnership.swedish_partner), _name(partnership.partner)
    a, b = (swedish, partner) if side == "swedish" else (partner, swedish)
    return _("%(a)s visits %(b)s") % {"a": a, "b": b}
