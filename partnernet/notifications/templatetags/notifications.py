"""`{% notifications_menu_item %}`: the header's link to the signed-in person's notifications
with their unread count (one query, made only where the header is drawn, once per request);
`{% unread_notifications as count %}` gives the count alone."""

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


@register.inclusion_tag("notifications/_menu_item.html", takes_context=True)
def notifications_menu_item(context) -> dict:
    return {"unread": unread_notifications(context)}
