from django.conf import settings

from partnernet.accounts.permissions import Perm, holds


def site(request) -> dict:
    return {
        "VERSION": settings.VERSION,
        "LANGUAGE_CODES": settings.LANGUAGE_CODES,
        "QUEUE_NETWORK": settings.QUEUE_NETWORK,
        "MENU": Menu(getattr(request, "user", None)),
    }


class Menu:
    """What the main menu offers the person: only pages they may open (`accounts.permissions`,
    asked when the menu is drawn, from the roles read once per request)."""

    def __init__(self, user):
        self.user = user

    def _holds(self, *perms: Perm) -> bool:
        return self.user is not None and any(holds(self.user, perm) for perm in perms)

    @property
    def queue(self) -> bool:
        return self._holds(Perm.QUEUE_VIEW)

    @property
    def grants(self) -> bool:
        return self._holds(Perm.APPLICATION_VIEW)

    @property
    def people(self) -> bool:
        return self._holds(Perm.PEOPLE_INVITE)
