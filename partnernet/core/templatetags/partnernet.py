from django import template
from django.urls import translate_url
from django.utils.translation import get_language, get_language_from_path

from partnernet.lib import systemtext
from partnernet.lib.money import format_money, format_number
from partnernet.municipalities.countries import COUNTRIES
from partnernet.municipalities.names import display_name

register = template.Library()


@register.simple_tag(takes_context=True)
def lang_url(context, language: str) -> str:
    """The current page, query string included, in another language."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.simple_tag
def tr(obj, field: str) -> str:
    """A translated field in the active language, falling back to the original language."""
    language = get_language() or "sv"
    value = getattr(obj, f"{field}_{language}", None)
    if value:
        return value
    source = getattr(obj, "source_language", "sv")
    return str(getattr(obj, f"{field}_{source}", None) or getattr(obj, field, ""))


@register.filter
def swap_query(request, pairs: str) -> str:
    """`request|swap_query:"page=2"`: the query string with some parameters replaced."""
    query = request.GET.copy()
    for pair in pairs.split("&"):
        key, _, value = pair.partition("=")
        query.pop(key, None)
        if value:
            query[key] = value
    return query.urlencode()


@register.filter
def money(amount, currency: str = "SEK") -> str:
    """`{{ amount|money }}`: the amount written in the reader's language (`lib.money`)."""
    return format_money(amount, currency, get_language() or "sv")


@register.filter
def place(obj) -> str:
    """`{{ municipality|place }}`: a registry name (municipality, region, country) in the
    reader's language (`municipalities.names.display_name`, the one rule)."""
    return display_name(obj, get_language() or "sv") if obj else ""


@register.filter
def country_name(code: str) -> str:
    """`{{ "MD"|country_name }}`: a country of the reference data named in the reader's
    language (the code itself when it is not one)."""
    info = COUNTRIES.get(str(code))
    return (info.names.get(get_language() or "sv") or info.names["sv"]) if info else str(code)


@register.filter
def number(value) -> str:
    """`{{ count|number }}`: a whole number grouped the reader's way (`lib.money`)."""
    return format_number(value, get_language() or "sv")


@register.filter(name="system_text")
def system_text(value) -> str:
    """`{{ move.reason|system_text }}`: a stored system text in the reader's language; a
    person's own text as written (`lib.systemtext`)."""
    return systemtext.render(value)


@register.simple_tag(takes_context=True)
def language_in_path(context) -> bool:
    """Whether the page's address names its language (`/uk/…`): its language switch is then a
    link to the same page under another prefix; otherwise it sets the language (a form to
    `set_language`, which remembers it in a cookie)."""
    request = context.get("request")
    return request is not None and get_language_from_path(request.path_info) is not None
