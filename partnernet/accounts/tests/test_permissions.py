"""Every route declares its permission, and the declarations hold: route × principal × ownership.

The expected outcome of every cell comes from `matrix.POLICY_IN_WORDS`, written by hand; the
sample objects belong to Falun–Kolomyia, so "own" and "other" coordinators, assigned and other
reviewers are told apart. Every route has a sample (a route without one fails, it is never
skipped), and a loosened declaration or a widened policy is caught (the last tests here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import get_resolver, include, path
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from partnernet.accounts import permissions
from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.accounts.permissions import Perm, Scope, authenticated, public
from partnernet.accounts.testing import sign_in
from partnernet.accounts.urlcheck import is_exempt, undeclared_routes, walk
from partnernet.api.services import api_token_create
from partnernet.grants.models import (
    Agreement,
    Application,
    DecisionException,
    Review,
    TeamMember,
)
from partnernet.grants.services import agreement_generate, decision_letters_write
from partnernet.grants.tests.factories import PDF
from partnernet.matchmaking import joining
from partnernet.matchmaking.models import JoinRequest, LetterOfIntent, MatchProposal, QueueEntry
from partnernet.matchmaking.selectors import key_digest
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network, Partnership

from . import matrix
from .factories import UserFactory

OWN = "falun-kolomyia"
NETWORK = "democratic-resilience"
DEMO_EMAILS = {
    matrix.COORDINATOR_OWN: "falun@demo.example",
    matrix.COORDINATOR_OTHER: "umea@demo.example",
    matrix.PROJECT_MEMBER: "member@demo.example",
    matrix.STEERING_MEMBER: "steering@demo.example",
    matrix.OFFICER: "officer@icld.example",
    matrix.REVIEWER: "reviewer@icld.example",
    matrix.FINANCE: "finance@icld.example",
    matrix.NETWORK: "network@icld.example",
}
ROUTES = [r for r in walk() if not is_exempt(r)]


def route_id(route) -> str:
    return f"{route.name or route.route}[{','.join(route.methods) or 'page'}]"


def test_every_route_and_api_operation_declares_its_permission():
    assert undeclared_routes() == []


def test_the_written_policy_covers_every_route_and_nothing_else():
    names = {route.name for route in ROUTES}
    assert names == set(matrix.POLICY_IN_WORDS), (
        "routes without a written rule: "
        f"{sorted(names - set(matrix.POLICY_IN_WORDS))}; rules without a route: "
        f"{sorted(set(matrix.POLICY_IN_WORDS) - names)}"
    )


def _forgotten(request):
    return HttpResponse("no declaration")


def test_a_route_without_a_declaration_fails_the_check():
    synthetic = [
        path("fine/", public(lambda request: HttpResponse())),
        path("nested/", include([path("forgotten/<int:pk>/", _forgotten)])),
    ]
    assert undeclared_routes(synthetic) == ["/nested/forgotten/<int:pk>/ (_forgotten)"]


def test_a_ninja_operation_without_a_declaration_fails_the_check():
    from ninja import NinjaAPI

    api = NinjaAPI(urls_namespace="synthetic-check")

    @api.get("/declared")
    @public
    def declared(request):
        return {}

    @api.get("/forgotten")
    def forgotten(request):
        return {}

    assert undeclared_routes([path("api/", api.urls)]) == [
        "/api/forgotten (synthetic-check:forgotten)"
    ]


# Sample objects ---------------------------------------------------------------------------------
@dataclass
class Samples:
    partnership: Partnership
    application: Application
    team_member: TeamMember
    proposal: MatchProposal
    letter: LetterOfIntent
    entry: QueueEntry
    subject: User  # a person nobody in the matrix is
    token_pk: int  # an API token of the own coordinator
    reviewer_other: User
    unverified_staff: User
    exception_pk: int  # an exception to the decision rules asked for on the application
    join_request: JoinRequest  # a confirmed request to join, awaiting verification
    work: WorkSamples  # a published document and an activity of Falun–Kolomyia
    join_key: str  # the one-time link of another, unconfirmed, request
    notification_pk: int  # a notification to the own coordinator
    workspace: dict[str, int]  # an activity and a team member of the own partnership's workspace
    events: EventSamples  # a public meeting of the seed network, an activity, a calendar secret
    reports: dict[str, int]  # the own partnership's plan, report and its parts (_reports_samples)


def _staff(email: str, role: str) -> User:
    user = UserFactory(email=email, is_staff=True)
    funder = Organisation.objects.get(kind=Organisation.Kind.FUNDER)
    RoleAssignment.objects.create(user=user, role=role, organisation=funder)
    return user


def make_samples() -> Samples:
    own = Partnership.objects.get(slug=OWN)
    falun = own.swedish_partner
    application = Application.objects.filter(partnership=own).order_by("pk").first()
    reviewer = User.objects.get(email=DEMO_EMAILS[matrix.REVIEWER])
    Review.objects.get_or_create(application=application, reviewer=reviewer)
    team_member = TeamMember.objects.create(
        application=application, side="swedish", role="coordinator", name="Sample Person"
    )
    partner = Municipality.objects.filter(country_id="UA").exclude(pk=own.partner_id).first()
    proposal = MatchProposal.objects.create(
        network=Network.objects.get(slug=NETWORK),
        swedish_partner=falun,
        partner=partner,
        note="sample",
    )
    letter = LetterOfIntent.objects.filter(swedish_partner=falun).order_by("pk").first()
    entry = QueueEntry.objects.filter(municipality=falun).order_by("pk").first()
    owner = User.objects.get(email=DEMO_EMAILS[matrix.COORDINATOR_OWN])
    token, _raw = api_token_create(user=owner, name="sample")
    exception = _grant_documents(application)
    join_request, join_key = _join_samples()
    return Samples(
        partnership=own,
        application=application,
        team_member=team_member,
        proposal=proposal,
        letter=letter,
        entry=entry,
        subject=UserFactory(email="subject@example.org"),
        token_pk=token.pk,
        reviewer_other=_staff("reviewer-other@icld.example", Role.REVIEWER),
        unverified_staff=_staff("unverified@icld.example", Role.PROGRAMME_OFFICER),
        join_request=join_request,
        join_key=join_key,
        exception_pk=exception.pk,
        notification_pk=_notifications_samples(),
        work=_work_samples(own),
        workspace=_workspace_samples(own),
        events=_events_samples(own),
        reports=_reports_samples(own, application),
    )


SAMPLE_LETTER = "grants/letters/permission-matrix-sample.pdf"


def _grant_documents(application: Application) -> DecisionException:
    """The sample grant's documents: its signed letter of intent (one stored file, reused),
    its agreement, its decision letters and an exception another officer asked for."""
    if not default_storage.exists(SAMPLE_LETTER):
        default_storage.save(SAMPLE_LETTER, ContentFile(PDF))
    Application.objects.filter(pk=application.pk).update(letter_of_intent=SAMPLE_LETTER)
    application.refresh_from_db()
    if not Agreement.objects.filter(application=application).exists():
        agreement_generate(application=application)
    decision_letters_write(application=application)
    asker = _staff("asker@icld.example", Role.PROGRAMME_OFFICER)
    return DecisionException.objects.create(
        application=application, amount=1, reason="sample", requested_by=asker
    )


def _join_samples() -> tuple[JoinRequest, str]:
    """A hromada outside the queue asks to join twice: one request confirmed (awaiting an
    officer), one not yet (made with a known one-time key, as if read from its e-mail)."""
    network = Network.objects.get(slug=NETWORK)
    hromada = (
        Municipality.objects.filter(country_id="UA", queue_entries__isnull=True)
        .order_by("code")
        .first()
    )
    confirmed = joining.join_request_start(
        municipality=hromada,
        network=network,
        email="joiner@hromada.example",
        full_name="Sample Joiner",
        language="uk",
        areas=[],
        text="sample need",
    )
    joining.join_request_confirm(join_request=confirmed, password="a-sample-long-password")
    key = "sample-join-key-unconfirmed"
    JoinRequest.objects.create(
        municipality=hromada,
        network=network,
        user=UserFactory(email="joiner-2@hromada.example"),
        text="sample need",
        source_language="uk",
        key_digest=key_digest(key),
        expires_at=timezone.now() + timedelta(days=1),
    )
    return confirmed, key


@pytest.fixture
def samples(db) -> Samples:
    return make_samples()


# Which sample each primary key of each route stands for (a route missing here fails).
SAMPLE_PK = {
    "accounts:person_export": lambda s: s.subject.pk,
    "accounts:person_erase": lambda s: s.subject.pk,
    "api_token_revoke": lambda s: s.token_pk,
    "matchmaking:proposal": lambda s: s.proposal.pk,
    "matchmaking:letter": lambda s: s.letter.pk,
    "matchmaking:entry": lambda s: s.entry.pk,
    "matchmaking:move": lambda s: s.entry.pk,
    "matchmaking:reorder": lambda s: s.entry.pk,
    "matchmaking:join_request": lambda s: s.join_request.pk,
    "grants:call": lambda s: s.application.call_id,
    "grants:call_edit": lambda s: s.application.call_id,
    "grants:call_open": lambda s: s.application.call_id,
    "grants:call_close": lambda s: s.application.call_id,
    "calls:detail": lambda s: s.application.call_id,  # the network's first call: published
    "grants:call_export": lambda s: s.application.call_id,
    "notifications:open": lambda s: s.notification_pk,
    "workspace:activity": lambda s: s.workspace["activity"],
    "workspace:activity_edit": lambda s: s.workspace["activity"],
    "workspace:activity_step": lambda s: s.workspace["activity"],
    "workspace:team_remove": lambda s: s.workspace["member"],
    **{
        f"events:{name}": lambda s: s.events.event_pk
        for name in (
            "detail",
            "ics",
            "edit",
            "cancel",
            "register",
            "unregister",
            "registrations",
            "attendance",
            "materials",
            "material_file",
        )
    },
    "calendars:activity": lambda s: s.events.activity_pk,
}
SAMPLE_SIDE = "partner"  # the decision letter to the international partner
NETWORK_SLUG_ROUTES = ("matchmaking:", "catalogue:network", "api-v1:network_detail", "events:")


def sample_values(route, s: Samples) -> dict[str, str]:
    """Real values for every parameter of the route, all belonging to Falun–Kolomyia."""
    name = route.name
    values = {}
    for kwarg in route.kwargs:
        if kwarg == "slug":
            values[kwarg] = NETWORK if name.startswith(NETWORK_SLUG_ROUTES) else OWN
        elif kwarg == "code":
            values[kwarg] = "2080"
        elif kwarg == "name":
            values[kwarg] = "partnerships"
        elif kwarg == "object_type":
            values[kwarg] = "partnerships.partnership"
        elif kwarg == "object_id":
            values[kwarg] = s.partnership.pk
        elif kwarg == "uidb64":
            values[kwarg] = urlsafe_base64_encode(force_bytes(s.subject.pk))
        elif kwarg == "token":
            values[kwarg] = default_token_generator.make_token(s.subject)
        elif kwarg == "key":
            values[kwarg] = s.join_key
        elif kwarg == "kind":
            values[kwarg] = "team"
        elif kwarg == "item_pk":
            values[kwarg] = s.team_member.pk
        elif kwarg == "exception_pk":
            values[kwarg] = s.exception_pk
        elif kwarg == "side":
            values[kwarg] = SAMPLE_SIDE
        elif kwarg in ("activity_pk", "filename"):
            values[kwarg] = getattr(s.work, kwarg)
        elif kwarg in ("secret", "document_pk"):
            values[kwarg] = getattr(s.events, kwarg)
        elif kwarg in REPORT_SAMPLE_KWARGS:
            values[kwarg] = s.reports[kwarg]
        elif kwarg == "fmt":
            values[kwarg] = "csv"
        elif kwarg == "pk" and name.startswith("reports:"):
            values[kwarg] = s.reports["report"]
        elif kwarg == "pk" and name.startswith("results:"):
            values[kwarg] = s.reports["plan"]
        elif kwarg == "pk" and name in SAMPLE_PK:
            values[kwarg] = SAMPLE_PK[name](s)
        elif kwarg == "pk" and name.startswith("grants:"):
            values[kwarg] = s.application.pk
        else:
            raise AssertionError(f"no sample for <{kwarg}> of /{route.route} ({name})")
    return values


def client_for(principal: str, s: Samples) -> Client:
    client = Client()
    if principal == matrix.ANONYMOUS:
        return client
    if principal == matrix.UNVERIFIED_STAFF:
        return sign_in(client, s.unverified_staff, verified=False)
    user = (
        s.reviewer_other
        if principal == matrix.REVIEWER_OTHER
        else User.objects.get(email=DEMO_EMAILS[principal])
    )
    return sign_in(client, user)


# A valid body for each API write (the API validates the body before the view runs, so an
# invalid one would be refused as 422 for everyone and prove nothing about permissions).
API_BODIES = {"api-v1:own_partnership_update": '{"language": "en"}'}


# Token routes: the settings and headers their holder has (the token is checked in the view).
METRICS_SAMPLE_TOKEN = "permission-matrix-metrics-token"
ROUTE_SETTINGS = {"metrics": {"METRICS_TOKEN": METRICS_SAMPLE_TOKEN}}
ROUTE_HEADERS = {"metrics": {"HTTP_AUTHORIZATION": f"Bearer {METRICS_SAMPLE_TOKEN}"}}


def request(client: Client, route, values: dict):
    """GET a page (POST an empty form when it only takes POST); an API operation with its own
    method and a valid JSON body."""
    if route.name in ROUTE_SETTINGS:
        with override_settings(**ROUTE_SETTINGS[route.name]):
            url = route.path(values)
            return url, client.get(url, **ROUTE_HEADERS[route.name])
    url = route.path(values)
    if route.methods:
        method = route.methods[0].lower()
        body = {}
        if method != "get":
            body = {"data": API_BODIES[route.name], "content_type": "application/json"}
        return url, getattr(client, method)(url, **body)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return url, response


def check_cell(route, principal: str, s: Samples) -> list[str]:
    """Everything wrong with one cell (empty: the cell holds)."""
    values = sample_values(route, s)
    url, response = request(client_for(principal, s), route, values)
    rule = matrix.POLICY_IN_WORDS[route.name]
    want, got = matrix.expected(route.name, principal), matrix.outcome(response, url)
    problems = []
    if want != got:
        problems.append(
            f"{principal} on {url}: expected {want}, got {got} ({response.status_code}); "
            f"the policy says: {rule.words}"
        )
    if route.methods and got in (matrix.FORBIDDEN, matrix.HIDDEN):
        kind = response.get("Content-Type", "")
        if not kind.startswith("application/problem+json"):
            problems.append(f"{principal} on {url}: a refusal that is not problem+json ({kind})")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("principal", matrix.PRINCIPALS)
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_permission_matrix(route, principal, samples):
    assert check_cell(route, principal, samples) == []


# The matrix catches a wrong declaration --------------------------------------------------------
def _pattern(name: str):
    """The URL pattern named `app:name` (to swap its view for a loosened one)."""
    namespace, _, short = name.rpartition(":")
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if getattr(entry, "namespace", None) == namespace:
            for pattern in entry.url_patterns:
                if pattern.name == short:
                    return pattern
    raise LookupError(name)


def _route(name: str):
    return next(r for r in ROUTES if r.name == name)


@pytest.mark.django_db
def test_a_loosened_declaration_is_caught(samples, monkeypatch):
    """`/accounts/people/` declared `authenticated` instead of `requires(PEOPLE_INVITE)`."""
    pattern = _pattern("accounts:people")
    loosened = authenticated(pattern.callback.__wrapped__)
    monkeypatch.setattr(pattern, "callback", loosened)
    problems = check_cell(_route("accounts:people"), matrix.REVIEWER, samples)
    assert problems == [
        "reviewer on /accounts/people/: expected FORBIDDEN, got OK (200); the policy says: "
        "only programme officers see everyone with an account and invite people"
    ]


@pytest.mark.django_db
def test_a_widened_policy_is_caught(samples, monkeypatch):
    """A reviewer given the power to decide on the applications they review."""
    widened = {**permissions.POLICY[Role.REVIEWER], Perm.APPLICATION_DECIDE: Scope.ASSIGNED}
    monkeypatch.setitem(permissions.POLICY, Role.REVIEWER, widened)
    problems = check_cell(_route("grants:decide"), matrix.REVIEWER, samples)
    assert len(problems) == 1 and "expected FORBIDDEN, got OK (400)" in problems[0]
    assert "a reviewer may read the applications they review but may not decide" in problems[0]


@pytest.mark.django_db
def test_a_widened_scope_is_caught(samples, monkeypatch):
    """Coordinators given every municipality's queue entries instead of their own."""
    widened = {**permissions.POLICY[Role.MUNICIPAL_COORDINATOR], Perm.QUEUE_VIEW: Scope.EVERYWHERE}
    monkeypatch.setitem(permissions.POLICY, Role.MUNICIPAL_COORDINATOR, widened)
    problems = check_cell(_route("matchmaking:entry"), matrix.COORDINATOR_OTHER, samples)
    assert len(problems) == 1 and "expected HIDDEN, got OK (200)" in problems[0]


@pytest.mark.django_db
def test_a_narrowed_policy_is_caught_too(samples, monkeypatch):
    """Coordinators losing their profile: the matrix also checks who must get in."""
    narrowed = dict(permissions.POLICY[Role.MUNICIPAL_COORDINATOR])
    del narrowed[Perm.PROFILE_EDIT]
    monkeypatch.setitem(permissions.POLICY, Role.MUNICIPAL_COORDINATOR, narrowed)
    problems = check_cell(_route("matchmaking:profile"), matrix.COORDINATOR_OWN, samples)
    assert len(problems) == 1 and "expected OK, got FORBIDDEN (403)" in problems[0]


def _notifications_samples() -> int:
    """A notification to Falun's coordinator (the notifications app's sample)."""
    from partnernet.notifications.models import Notification

    owner = User.objects.get(email=DEMO_EMAILS[matrix.COORDINATOR_OWN])
    return Notification.objects.create(
        recipient=owner, subject="sample", link="/me/", created_at=timezone.now()
    ).pk


# The documents and conversation of the workspace ---------------------------------------------
WORK_DOCUMENT_ROUTES = (
    "documents:detail",
    "documents:version_add",
    "documents:download",
    "documents:publish",
    "public_documents:download",
)
SAMPLE_PK.update({name: lambda s: s.work.document_pk for name in WORK_DOCUMENT_ROUTES})


@dataclass
class WorkSamples:
    document_pk: int
    activity_pk: int
    filename: str


SAMPLE_DOCUMENT = "documents/permission-matrix-sample.pdf"


def _work_samples(own: Partnership) -> WorkSamples:
    """A published minutes document (one PDF version, one stored file reused) and a planned
    activity of the sample partnership."""
    from partnernet.documents.models import Document, DocumentVersion
    from partnernet.documents.services import document_publish
    from partnernet.workspace.models import Activity

    if not default_storage.exists(SAMPLE_DOCUMENT):
        default_storage.save(SAMPLE_DOCUMENT, ContentFile(PDF))
    officer = User.objects.get(email=DEMO_EMAILS[matrix.OFFICER])
    document = Document.objects.create(
        partnership=own, title="Sample minutes", category="minutes", language="en"
    )
    DocumentVersion.objects.create(
        document=document,
        number=1,
        file=SAMPLE_DOCUMENT,
        original_name="sample-minutes.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=officer,
    )
    document_publish(actor=officer, document=document, published=True)
    activity = Activity.objects.create(
        partnership=own, kind="workshop", title="Sample workshop", starts_on=timezone.localdate()
    )
    return WorkSamples(document.pk, activity.pk, "sample-minutes.pdf")


def _workspace_samples(own: Partnership) -> dict[str, int]:
    """A planned activity and a named team member of the own partnership's workspace."""
    from partnernet.workspace.models import Activity
    from partnernet.workspace.models import TeamMember as WorkspaceMember

    member = WorkspaceMember.objects.create(
        partnership=own, side="swedish", team_role="civil_servant", name="Sample Member"
    )
    activity = Activity.objects.create(
        partnership=own, kind="workshop", title="Sample workshop", starts_on=timezone.localdate()
    )
    return {"activity": activity.pk, "member": member.pk}


# Network meetings and calendars (events) ------------------------------------------------------
@dataclass
class EventSamples:
    event_pk: int  # a public meeting of the seed network, the own coordinator registered
    document_pk: int  # its material (a network document with one version)
    activity_pk: int  # an activity of Falun–Kolomyia
    secret: str  # the own coordinator's secret calendar address


def _events_samples(own: Partnership) -> EventSamples:
    from partnernet.documents.models import Document, DocumentVersion
    from partnernet.events.models import Event
    from partnernet.events.services import calendar_feed_reset, registration_create
    from partnernet.workspace.models import Activity

    start = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        network=own.network,
        title_sv="Exempelmöte",
        title_en="Sample meeting",
        title_uk="Зразкова зустріч",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Visby",
        online_url="https://meet.example/sample",
        capacity=10,
    )
    owner = User.objects.get(email=DEMO_EMAILS[matrix.COORDINATOR_OWN])
    registration_create(actor=owner, event_id=event.pk, partnership=own)
    document = Document.objects.create(
        network=own.network, title="Sample agenda", category="presentation", language="en"
    )
    name = default_storage.save("documents/permission-matrix-sample.pdf", ContentFile(PDF))
    DocumentVersion.objects.create(
        document=document,
        number=1,
        file=name,
        original_name="agenda.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    event.materials.add(document)
    activity = Activity.objects.create(
        partnership=own, kind="visit", title="Sample visit", starts_on=start.date()
    )
    return EventSamples(
        event_pk=event.pk,
        document_pk=document.pk,
        activity_pk=activity.pk,
        secret=calendar_feed_reset(actor=owner),
    )


# Results, reports and money (issue 14) ---------------------------------------------------------
REPORT_SAMPLE_KWARGS = ("statement_pk", "indicator_pk", "expenditure_pk", "import_pk")


def _reports_samples(own: Partnership, application: Application) -> dict[str, int]:
    """The own partnership's approved results plan (one objective with one indicator), a draft
    annual report on its agreement with one expenditure and an import waiting for confirmation.
    Routes name them `pk` (a report under `reports:`, a plan under `results:`) and
    `statement_pk`, `indicator_pk`, `expenditure_pk`, `import_pk`."""
    from decimal import Decimal

    from partnernet.grants.models import CostCategory
    from partnernet.reports.models import (
        Expenditure,
        ExpenditureImport,
        PlanIndicator,
        PlanStatement,
        Report,
        ResultsPlan,
    )

    agreement = Agreement.objects.get(application=application)
    # The demo gives the own partnership an approved plan (reports/demo.py): reuse it.
    plan = ResultsPlan.objects.filter(partnership=own, state="approved").first()
    if plan is None:
        plan = ResultsPlan.objects.create(
            partnership=own, application=application, component=application.call.component
        )
        plan.accept()
        plan.save()
    statement = PlanStatement.objects.create(plan=plan, level="objective", text="Sample objective")
    indicator = PlanIndicator.objects.create(
        statement=statement, name="Sample indicator", unit="%", baseline_value=Decimal(10)
    )
    start = agreement.starts_on
    report = Report.objects.filter(partnership=own, agreement=agreement).order_by("pk").first()
    if report is None:
        report = Report.objects.create(
            partnership=own,
            agreement=agreement,
            kind="annual",
            component=application.call.component,
            accounting_year=start.year,
            period_start=start,
            period_end=agreement.ends_on,
            due_on=agreement.ends_on + timedelta(days=60),
        )
    category = CostCategory.objects.filter(eligible=True).order_by("pk").first()
    expenditure = Expenditure.objects.create(
        report=report,
        category=category,
        description="Sample train tickets",
        paid_on=start,
        amount=Decimal(1000),
        rate_date=start,
        amount_sek=Decimal(1000),
    )
    upload = ExpenditureImport.objects.create(report=report, file_name="sample.csv", rows=[])
    return {
        "plan": plan.pk,
        "report": report.pk,
        "statement_pk": statement.pk,
        "indicator_pk": indicator.pk,
        "expenditure_pk": expenditure.pk,
        "import_pk": upload.pk,
    }
