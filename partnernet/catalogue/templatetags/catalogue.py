from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """`?…&page=N`: the current query string with another page number."""
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()
