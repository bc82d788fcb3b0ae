"""Thin views of a network's events (`/<lang>/networks/<slug>/events/…`) and of the calendars.

Each declares its permission, fetches through `selectors.event_for_user` (404 for people who
may not see an event, 403 for those who see it but may not manage it), parses with a form and
calls one service. A refused service call says why, in the reader's language."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnernet.accounts.permissions import Perm, authenticated, public, requires
from partnernet.documents.forms import UploadForm
from partnernet.documents.selectors import document_file_response
from partnernet.lib.choices import ID_LIMIT
from partnernet.lib.languages import best_text
from partnernet.partnerships.models import Network
from partnernet.partnerships.selectors import partnership_workspace_for_user

from . import calendars, forms, selectors, services
from .models import KYIV, STOCKHOLM, Event, Registration, RegistrationStatus


def _network(slug: str) -> Network:
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    return network


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _language() -> str:
    return get_language() or "sv"


@public
@require_GET
def event_list(request, slug: str):
    network = _network(slug)
    listing = selectors.event_list(user=request.user, network=network)
    context = {
        "network": network,
        "listing": listing,
        "may_manage": selectors.is_manager(request.user),
        "zones": (STOCKHOLM, KYIV),
    }
    return render(request, "events/event_list.html", context)


@public
@require_GET
def event_detail(request, slug: str, pk: int):
    event = selectors.event_for_user(user=request.user, slug=slug, pk=pk)
    registration = selectors.registration_of(user=request.user, event=event)
    registered = selectors.registered_count(event)
    now = timezone.now()
    is_manager = selectors.is_manager(request.user)
    is_registered = registration is not None and registration.status == "registered"
    language = _language()
    context = {
        "event": event,
        "network": event.network,
        "title": best_text(event, "title", language),
        "agenda": best_text(event, "agenda", language),
        "registration": registration,
        "position": (
            selectors.waiting_position(registration)
            if registration is not None and registration.status == RegistrationStatus.WAITING
            else None
        ),
        "registered": registered,
        "places_left": (
            max(event.capacity - registered, 0) if event.capacity is not None else None
        ),
        "waiting": selectors.waiting_list(event).count(),
        "may_manage": is_manager,
        "show_link": bool(event.online_url) and (is_registered or is_manager),
        "may_download": is_registered or is_manager,
        "materials": selectors.materials_of(event),
        "has_begun": event.starts_at <= now,
        "has_ended": event.ends_at <= now,
        "form": (
            forms.RegistrationForm(
                partnerships=selectors.partnerships_for_registration(
                    user=request.user, network=event.network
                )
            )
            if request.user.is_authenticated and registration is None
            else None
        ),
        "zones": _zones(event),
    }
    return render(request, "events/event_detail.html", context)


def _zones(event: Event) -> list[str]:
    zones = [STOCKHOLM, KYIV]
    if event.time_zone not in zones:
        zones.append(event.time_zone)
    return zones


@requires(Perm.EVENT_MANAGE)
@require_http_methods(["GET", "POST"])
def event_create(request, slug: str):
    network = _network(slug)
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=request.user, network=network, fields=form.fields_value()
            )
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The event was created."))
            return redirect(event.get_absolute_url())
    context = {"form": form, "network": network}
    return render(request, "events/event_form.html", context, status=400 if form.errors else 200)


@requires(Perm.EVENT_MANAGE)
@require_http_methods(["GET", "POST"])
def event_edit(request, slug: str, pk: int):
    event = selectors.event_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.EVENT_MANAGE)
    registered = selectors.registered_count(event)
    data = request.POST if request.method == "POST" else None
    form = forms.EventForm(data, event=event, registered=registered)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event_id=event.pk, fields=form.fields_value())
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The event was saved."))
            return redirect(event.get_absolute_url())
    context = {"form": form, "network": event.network, "event": event}
    return render(request, "events/event_form.html", context, status=400 if form.errors else 200)


@requires(Perm.EVENT_MANAGE)
@require_POST
def event_cancel(request, slug: str, pk: int):
    event = selectors.event_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.EVENT_MANAGE)
    try:
        services.event_cancel(actor=request.user, event_id=event.pk)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The event was cancelled; the people registered are told."))
    return redirect(event.get_absolute_url())


@authenticated
@require_POST
def register(request, slug: str, pk: int):
    event = selectors.event_for_user(user=request.user, slug=slug, pk=pk)
    form = forms.RegistrationForm(
        request.POST,
        partnerships=selectors.partnerships_for_registration(
            user=request.user, network=event.network
        ),
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of your partnerships, or none."))
        return redirect(event.get_absolute_url())
    try:
        registration = services.registration_create(
            actor=request.user, event_id=event.pk, partnership=form.chosen()
        )
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, _("You are registered."))
        else:
            messages.info(
                request,
                _("The event is full: you are number %(n)s on the waiting list.")
                % {"n": selectors.waiting_position(registration)},
            )
    return redirect(event.get_absolute_url())


@authenticated
@require_POST
def unregister(request, slug: str, pk: int):
    """The person cancels their own registration; a manager, with `registration`, someone
    else's (from the registrations page)."""
    event = selectors.event_for_user(user=request.user, slug=slug, pk=pk)
    other = request.POST.get("registration", "")
    if other:
        event = selectors.event_for_user(
            user=request.user, slug=slug, pk=pk, perm=Perm.EVENT_MANAGE
        )
        registration: Registration | None = selectors.registration_in(event=event, pk=other)
        back, done = (
            reverse("events:registrations", kwargs={"slug": slug, "pk": pk}),
            _("The registration is cancelled and the person told."),
        )
    else:
        registration = selectors.registration_of(user=request.user, event=event)
        back, done = event.get_absolute_url(), _("Your registration is cancelled.")
    if registration is None:
        messages.error(request, _("You are not registered for this event."))
        return redirect(back)
    try:
        services.registration_cancel(actor=request.user, registration_id=registration.pk)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(back)


@requires(Perm.EVENT_MANAGE)
@require_GET
def registrations(request, slug: str, pk: int):
    event = selectors.event_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.EVENT_MANAGE)
    rows = selectors.registrations_of_event(event)
    context = {
        "event": event,
        "network": event.network,
        "registered": [r for r in rows if r.status == RegistrationStatus.REGISTERED],
        "waiting": [r for r in rows if r.status == RegistrationStatus.WAITING],
        "cancelled": [r for r in rows if r.status == RegistrationStatus.CANCELLED],
        "has_begun": event.starts_at <= timezone.now(),
    }
    return render(request, "events/registrations.html", context)


ATTENDED = {"yes": True, "no": False}


@requires(Perm.EVENT_MANAGE)
@require_POST
def attendance(request, slug: str, pk: int):
    """Who came: one yes/no per registered person (`attended-<registration id>`)."""
    event = selectors.event_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.EVENT_MANAGE)
    answers: dict[int, bool] = {}
    for key, value in request.POST.items():
        name, _sep, number = key.partition("-")
        if name == "attended" and number.isdigit() and int(number) < ID_LIMIT and value in ATTENDED:
            answers[int(number)] = ATTENDED[value]
    try:
        changed = services.attendance_record(
            actor=request.user, event_id=event.pk, attended=answers
        )
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Attendance saved (%(n)s changed).") % {"n": changed})
    return redirect("events:registrations", slug=event.network.slug, pk=event.pk)


@requires(Perm.EVENT_MANAGE)
@require_http_methods(["GET", "POST"])
def materials(request, slug: str, pk: int):
    """Choose the documents shared with the participants, or upload a new one (the network's)."""
    event = selectors.event_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.EVENT_MANAGE)
    available = selectors.material_documents_available(event)
    initial = {"documents": list(event.materials.values_list("pk", flat=True))}
    uploading = request.method == "POST" and request.POST.get("action") == "upload"
    form = forms.MaterialsForm(
        request.POST if request.method == "POST" and not uploading else None,
        available=available,
        initial=initial,
    )
    upload = UploadForm(
        request.POST if uploading else None, request.FILES if uploading else None, prefix="upload"
    )
    chosen = form if not uploading else upload
    if request.method == "POST" and chosen.is_valid():
        data = chosen.cleaned_data
        try:
            if uploading:
                services.event_material_upload(
                    actor=request.user,
                    event_id=event.pk,
                    title=data["title"],
                    category=data["category"],
                    language=data["language"],
                    file=data["file"],
                )
            else:
                services.event_materials_set(
                    actor=request.user, event_id=event.pk, documents=list(data["documents"])
                )
        except ValidationError as error:
            for message in _errors(error):
                chosen.add_error(None, message)
        else:
            messages.success(request, _("The materials were saved."))
            return redirect(event.get_absolute_url())
    context = {"event": event, "network": event.network, "form": form, "upload": upload}
    status = 400 if form.errors or upload.errors else 200
    return render(request, "events/materials.html", context, status=status)


@authenticated
@require_GET
def material_file(request, slug: str, pk: int, document_pk: int):
    """A material's current file: for the people registered and the managers."""
    event = selectors.event_for_user(user=request.user, slug=slug, pk=pk)
    version = selectors.material_version_for_user(
        user=request.user, event=event, document_pk=document_pk
    )
    return document_file_response(version=version)


# Calendars ----------------------------------------------------------------------------------
@public
@require_GET
def event_ics(request, slug: str, pk: int):
    event = selectors.event_for_user(user=request.user, slug=slug, pk=pk)
    language = _language()
    with_link = selectors.is_registered(user=request.user, event=event)
    entry = calendars.event_entry(event, language, with_link=with_link)
    return calendars.ics_response(
        name=entry.summary, entries=[entry], filename=f"event-{event.pk}.ics", language=language
    )


@public
@require_GET
def network_ics(request, slug: str):
    """The network's public events (never an online link)."""
    network = _network(slug)
    language = _language()
    entries = [calendars.event_entry(e, language) for e in selectors.public_network_events(network)]
    return calendars.ics_response(
        name=best_text(network, "name", language)[0],
        entries=entries,
        filename=f"{network.slug}.ics",
        language=language,
    )


@requires(Perm.WORKSPACE_VIEW)
@require_GET
def partnership_ics(request, slug: str):
    """A partnership's activities and the events its people are registered for."""
    partnership = partnership_workspace_for_user(user=request.user, slug=slug)
    language = _language()
    entries = [
        calendars.activity_entry(a, language) for a in selectors.activities_of([partnership.pk])
    ]
    events = selectors.events_registered_for(partnership_ids=[partnership.pk])
    entries += [calendars.event_entry(e, language) for e in events]
    return calendars.ics_response(
        name=str(partnership),
        entries=entries,
        filename=f"{partnership.slug}.ics",
        language=language,
    )


@requires(Perm.WORKSPACE_VIEW)
@require_GET
def activity_ics(request, slug: str, pk: int):
    partnership = partnership_workspace_for_user(user=request.user, slug=slug)
    activity = selectors.activity_for_partnership(partnership=partnership, pk=pk)
    language = _language()
    entry = calendars.activity_entry(activity, language)
    return calendars.ics_response(
        name=entry.summary,
        entries=[entry],
        filename=f"activity-{activity.pk}.ics",
        language=language,
    )


@authenticated
@require_http_methods(["GET", "POST"])
def calendar_page(request):
    """The person's secret calendar address: made or reset here, shown once."""
    token = None
    if request.method == "POST":
        token = services.calendar_feed_reset(actor=request.user)
    feed = selectors.calendar_feed_of(request.user)
    address = request.build_absolute_uri(f"/calendar/{token}.ics") if token is not None else ""
    return render(
        request,
        "events/calendar_page.html",
        {"feed": feed, "address": address, "network_feeds": Network.objects.order_by("name")},
    )


@public
@require_GET
def person_ics(request, secret: str):
    """A person's own calendar, by its secret address (no session needed): the events they
    are registered for (with the online link) and their partnerships' activities."""
    owner = selectors.feed_owner(token=secret)
    if owner is None:
        raise Http404
    language = owner.preferred_language or "sv"
    events = selectors.events_registered_for(person_ids=[owner.pk])
    entries = [calendars.event_entry(e, language, with_link=True) for e in events]
    partnerships = selectors.partnership_ids_of(owner)
    entries += [
        calendars.activity_entry(a, language) for a in selectors.activities_of(partnerships)
    ]
    return calendars.ics_response(
        name="Partnernet", entries=entries, filename="partnernet.ics", language=language
    )
