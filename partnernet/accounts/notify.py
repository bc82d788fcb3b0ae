"""Telling people: the implementation is `partnernet.notifications.services` (issue 13.6)."""

from partnernet.notifications.services import Message, link_for, notify  # noqa: F401
