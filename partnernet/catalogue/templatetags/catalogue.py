from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """`?…&page=N`: the current query string with another page number."""
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's address without its query string: filters and pages share one canonical."""
    request = context.get("request")
    return request.build_absolute_uri(request.path) if request else ""


@register.simple_tag(takes_context=True)
def absolute_lang_url(context, language: str) -> str:
    """The current page in another language, as an absolute address (for hreflang links)."""
    request = context.get("request")
    return (
        request.build_absolute_uri(translate_url(request.get_full_path(), language))
        if request
        else ""
    )
