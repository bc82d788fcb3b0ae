"""The load drill's own people and rows, prepared in the load-test database before each run.

Nothing here weakens security: the drill signs in as people who exist only in its database, with
the password every demo person has, and staff verify with a recovery code (a static one-time
token) made fresh for each run, exactly as at `/accounts/login/verify/`.

- `coordinators`: each coordinates a municipality pair of their own (a partnership `loadtest-N`
  in the demo's network) with a draft application to the demo's open call and a draft annual
  report, so no two simulated writers share a text and an autosave never meets a co-writer's
  conflict. Made once, reused by every run (their texts just get newer versions).
- `officers`: programme officers (staff), each with an authenticator, a fresh recovery code per
  run, and a slice of this run's call: submitted applications to screen, send to review and
  reject with reasons. A decision is final, so every run gets a new call of its own; the queue
  entries the officers reorder up and down stay a valid order whatever the runs do.
- `partnerships`: slugs of published partnerships (the demo's and the generated ones) for the
  public readers.
"""

from __future__ import annotations

import re
import secrets
from datetime import date
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.core.demo_accounts import DEMO_PASSWORD, funder_ensure
from partnernet.grants.models import Application, ApplicationSection, Call, State
from partnernet.grants.services import application_start
from partnernet.matchmaking.models import WAITING, QueueEntry
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network, Partnership
from partnernet.reports.models import Report, ReportState
from partnernet.reports.services.writing import report_sections_ensure

NETWORK = "democratic-resilience"  # the demo's network: its open call and its queue
OWN_NETWORK = "loadtest"  # the drill's partnerships and decision calls (the demo's steps skip it)
DOMAIN = "loadtest.example"
APPLICATIONS_PER_OFFICER = 12


def _municipality_pairs(n: int) -> list[tuple[Municipality, Municipality]]:
    """n pairs of municipalities no partnership of the demo's network uses."""
    used = set(
        Partnership.objects.filter(network__slug=NETWORK).values_list(
            "swedish_partner_id", "partner_id"
        )
    )
    busy = {pk for pair in used for pk in pair}
    swedish = [m for m in Municipality.objects.filter(country_id="SE").order_by("-code")]
    ukrainian = [m for m in Municipality.objects.filter(country_id="UA").order_by("-code")]
    swedish = [m for m in swedish if m.pk not in busy][:n]
    ukrainian = [m for m in ukrainian if m.pk not in busy][:n]
    return list(zip(swedish, ukrainian, strict=False))


def _person(email: str, name: str, password_hash: str, *, staff: bool = False) -> User:
    user, _created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "password": password_hash, "is_staff": staff}
    )
    return user


def _coordinator(i: int, pair, network: Network, call: Call, area, password_hash: str) -> dict:
    swedish, partner = pair
    partnership, _created = Partnership.objects.get_or_create(
        slug=f"loadtest-{i}",
        defaults={
            "title": f"{swedish.name} – {partner.name} (load test)",
            "swedish_partner": swedish,
            "partner": partner,
            "network": network,
            "area": area,
            "source_language": "sv",
            "start_date": date(2026, 1, 1),
            "end_date": date(2027, 12, 31),
        },
    )
    organisation, _created = Organisation.objects.get_or_create(
        municipality=partnership.swedish_partner,
        defaults={"name": partnership.swedish_partner.name, "kind": Organisation.Kind.MUNICIPALITY},
    )
    user = _person(f"coordinator-{i}@{DOMAIN}", f"Load-test coordinator {i}", password_hash)
    RoleAssignment.objects.get_or_create(
        user=user,
        role=Role.MUNICIPAL_COORDINATOR,
        organisation=organisation,
        partnership=partnership,
    )
    application = application_start(
        call=call,
        swedish_partner=partnership.swedish_partner,
        partner=partnership.partner,
        area=area,
        title=f"Load-test application {i}",
        actor=user,
    )
    report, _created = Report.objects.get_or_create(
        partnership=partnership,
        kind="annual",
        accounting_year=2026,
        defaults={
            "component": call.component,
            "title": "Annual report 2026 (load test)",
            "period_start": date(2026, 1, 1),
            "period_end": date(2026, 12, 31),
            "due_on": date(2027, 3, 31),
            "state": ReportState.DRAFT,
            "created_by": user,
        },
    )
    report_sections_ensure(report)
    return {
        "email": user.email,
        "application": application.pk,
        "report": report.pk,
        "partnership": partnership.slug,
    }


def _recovery_code(user: User) -> str:
    """A fresh single-use code for this run (the run before's unused ones are removed)."""
    TOTPDevice.objects.get_or_create(
        user=user, name="load-test authenticator", defaults={"confirmed": True}
    )
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    code = secrets.token_hex(5)
    StaticToken.objects.create(device=device, token=code)
    return code


def _decision_call(network: Network, area, officers: int) -> tuple[Call, list[int]]:
    """A call of this run with submitted applications for the officers to decide."""
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    call = Call.objects.create(
        network=network,
        component="project",
        title=f"Load test {stamp}",
        budget=Decimal(10_000_000),
    )
    pairs = _municipality_pairs(max(officers * APPLICATIONS_PER_OFFICER, 1))
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            swedish_partner=swedish,
            partner=partner,
            title=f"Load-test application to decide {n}",
            area=area,
            state=State.SUBMITTED,
            submitted_at=now,
        )
        for n, (swedish, partner) in enumerate(pairs)
    )
    ApplicationSection.objects.bulk_create(
        ApplicationSection(application=application, key=key, text_en="Generated for the drill.")
        for application in applications
        for key in ApplicationSection.Key.values
    )
    return call, [application.pk for application in applications]


@transaction.atomic
def loadtest_prepare(*, coordinators: int, officers: int) -> dict:
    """The people and rows of one run; returns what the locust scenario needs to know."""
    network = Network.objects.get(slug=NETWORK)
    call = Call.objects.filter(network=network, state="published").order_by("pk").first()
    if call is None:
        raise RuntimeError("the demo's open call is missing: run setup_demo first")
    own, _created = Network.objects.get_or_create(
        slug=OWN_NETWORK,
        defaults={
            "name": "Load test",
            "name_sv": "Lasttest",
            "name_en": "Load test",
            "name_uk": "Навантажувальний тест",
            "funder": "ICLD",
        },
    )
    area = CooperationArea.objects.order_by("slug").first()
    password_hash = make_password(DEMO_PASSWORD)
    pairs = _municipality_pairs(coordinators)
    mine = {
        p.slug: (p.swedish_partner, p.partner)
        for p in Partnership.objects.filter(slug__startswith="loadtest-").select_related(
            "swedish_partner", "partner"
        )
    }
    taken = {pk for pair in mine.values() for pk in (pair[0].pk, pair[1].pk)}
    fresh = iter([p for p in pairs if p[0].pk not in taken and p[1].pk not in taken])
    writers = []
    for i in range(coordinators):
        pair = mine.get(f"loadtest-{i}") or next(fresh)
        writers.append(_coordinator(i, pair, own, call, area, password_hash))
    funder = funder_ensure()
    _call, pool = _decision_call(own, area, officers)
    staff = []
    for i in range(officers):
        user = _person(f"officer-{i}@{DOMAIN}", f"Load-test officer {i}", password_hash, staff=True)
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.PROGRAMME_OFFICER, organisation=funder, partnership=None
        )
        share = pool[i * APPLICATIONS_PER_OFFICER : (i + 1) * APPLICATIONS_PER_OFFICER]
        staff.append({"email": user.email, "code": _recovery_code(user), "applications": share})
    waiting = list(
        QueueEntry.objects.filter(network=network, stage__in=WAITING)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    # (the API takes lower-case slugs only: a few generated ones carry a code in capitals)
    published = [
        slug
        for slug in Partnership.objects.filter(publication="published")
        .order_by("slug")
        .values_list("slug", flat=True)
        if re.fullmatch(r"[a-z0-9-]+", slug)
    ]
    return {
        "password": DEMO_PASSWORD,
        "network": network.slug,
        "queue_entries": waiting,
        "partnerships": published,
        "coordinators": writers,
        "officers": staff,
    }
