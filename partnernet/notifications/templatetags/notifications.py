"""`{% unread_notifications as count %}`: the signed-in person's unread notifications for the
header (one query, made only where the header is drawn, once per request)."""

from django import template

from partnernet.notifications.selectors import unread_count

register = template.Library()
_CACHE = "_pn_unread_notifications"


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    if request is None:
        return 0
    if not hasattr(request, _CACHE):
        setattr(request, _CACHE, unread_count(user=getattr(request, "user", None)))
    return getattr(request, _CACHE)
