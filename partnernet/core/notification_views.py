"""/<lang>/notifications/: a person's own notifications (the pages of the notifications app,
which sits below the permission layer and so cannot declare them itself; as the history pages
of audit). Only ever the signed-in person's own: another person's notification is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from partnernet.accounts.permissions import authenticated
from partnernet.notifications import selectors, services
from partnernet.notifications.forms import ALL_READ, PREFERENCE_SAVED, PreferenceForm

PAGE_SIZE = 20


@authenticated
@require_safe
def notification_list(request):
    language = get_language() or "sv"
    page = Paginator(selectors.notifications_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = [(n, *services.notification_render(n, language)) for n in page.object_list]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "items": items, "frequency": selectors.email_frequency(user=request.user)},
    )


@authenticated
@require_safe
def notification_open(request, pk: int):
    """Follow a notification: it is read from now on; on to the page it is about."""
    notification = selectors.notification_for_user(user=request.user, pk=pk)
    link = services.notification_open(notification=notification)
    if not link or "://" in link:
        return redirect("notifications:list")
    return redirect(services.path_for(link, get_language() or "sv"))


@authenticated
@require_POST
def notifications_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, ALL_READ)
    return redirect("notifications:list")


@authenticated
def notification_settings(request):
    initial = {"email": selectors.email_frequency(user=request.user)}
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notification_preference_set(user=request.user, email=form.cleaned_data["email"])
        messages.success(request, PREFERENCE_SAVED)
        return redirect("notifications:settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/settings.html", {"form": form}, status=status)
