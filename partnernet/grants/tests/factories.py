"""Factories and helpers for the grants tests: people with roles, calls, complete drafts."""

from decimal import Decimal
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network

from .. import selectors, services
from ..drafts import SectionEdit
from ..models import RUBRIC, Call, CallState, Component, CostCategory, Side, TeamMember


def _one_page_pdf() -> bytes:
    """A real PDF (uploads are read by pypdf before they are accepted)."""
    writer, buffer = PdfWriter(), BytesIO()
    writer.add_blank_page(595, 842)
    writer.write(buffer)
    return buffer.getvalue()


PDF = _one_page_pdf()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@grants.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "a long test password 123")


def funder() -> Organisation:
    from ..demo import funder_get

    return funder_get()


def with_role(role: str, organisation: Organisation, **user_fields) -> User:
    user = UserFactory(**user_fields)
    RoleAssignment.objects.create(user=user, role=role, organisation=organisation)
    return user


def officer(**fields) -> User:
    return with_role(Role.PROGRAMME_OFFICER, funder(), **fields)


def reviewer(**fields) -> User:
    return with_role(Role.REVIEWER, funder(), **fields)


def coordinator(municipality: Municipality, **fields) -> User:
    organisation = Organisation.objects.get_or_create(
        municipality=municipality,
        defaults={"name": municipality.name, "kind": Organisation.Kind.MUNICIPALITY},
    )[0]
    return with_role(Role.MUNICIPAL_COORDINATOR, organisation, **fields)


def pair(index: int = 0) -> tuple[Municipality, Municipality]:
    """A Swedish and a Ukrainian municipality with no partnership yet."""
    swedish = Municipality.objects.filter(country_id="SE", swedish_partnerships__isnull=True)
    partner = Municipality.objects.filter(country_id="UA", international_partnerships__isnull=True)
    return swedish.order_by("code")[index], partner.order_by("code")[index]


def network() -> Network:
    return Network.objects.get(slug="democratic-resilience")


def call(
    component: str = Component.INCEPTION, budget: Decimal | None = Decimal(1_000_000), **kw
) -> Call:
    """A published call (open now unless `opens_at`/`closes_at` say otherwise); `kw` overrides
    any default (`state=CallState.DRAFT`, `title_en=…`)."""
    defaults = {
        "title": "Test call",
        "title_sv": "Testutlysning",
        "title_en": "Test call",
        "title_uk": "Тестовий конкурс",
        "state": CallState.PUBLISHED,
    }
    return Call.objects.create(
        network=network(), component=component, budget=budget, **{**defaults, **kw}
    )


def category(slug: str) -> CostCategory:
    return CostCategory.objects.get(slug=slug)


INCEPTION_TEAM = [
    ("politician_majority", "Anna"),
    ("politician_opposition", "Bo"),
    ("civil_servant", "Cecilia"),
    ("coordinator", "David"),
]


def complete_application(
    the_call: Call, index: int = 0, amount: Decimal = Decimal(150_000), signed: bool = True
):
    """A draft that can be submitted: text, signed letter, full inception team, budget, and
    (unless `signed=False`) signed off by a coordinator of each partner."""
    swedish, partner = pair(index)
    actor = coordinator(swedish)
    application = services.application_start(
        call=the_call,
        swedish_partner=swedish,
        partner=partner,
        area=CooperationArea.objects.get(slug="education"),
        title="Democratic schools",
        actor=actor,
    )
    services.application_draft_save(
        application_id=application.pk,
        actor=actor,
        sections={
            "summary": SectionEdit(
                texts={"sv": "Demokratiska skolor", "uk": "", "en": ""}, source="sv", version=1
            )
        },
    )
    services.application_letter_upload(
        application_id=application.pk, actor=actor, upload=SimpleUploadedFile("loi.pdf", PDF)
    )
    for side in (Side.SWEDISH, Side.PARTNER):
        for role, name in INCEPTION_TEAM:
            TeamMember.objects.create(application=application, side=side, role=role, name=name)
    services.budget_line_add(
        application_id=application.pk,
        actor=actor,
        category=category("travel"),
        description="Two visits",
        amount=amount,
    )
    application.refresh_from_db()
    if signed and not selectors.application_problems(application):
        sign_off_both(application, swedish_writer=actor)
        application.refresh_from_db()
    return application, actor


def sign_off_both(application, swedish_writer=None, partner_writer=None) -> None:
    """Both partners sign the application off (a new coordinator for a side not given)."""
    swedish_writer = swedish_writer or coordinator(application.swedish_partner)
    partner_writer = partner_writer or coordinator(application.partner)
    for writer in (swedish_writer, partner_writer):
        services.application_sign_off(application_id=application.pk, actor=writer)


def review_done(application, **fields):
    """One completed review of the application by a new reviewer (all criteria scored 4)."""
    person = reviewer(**fields)
    review = services.review_assign(application_id=application.pk, reviewer=person, actor=person)
    services.review_submit(
        review_id=review.pk,
        actor=person,
        scores={key: 4 for key, _label in RUBRIC},
        comments="Sound plan.",
        conflict_of_interest=False,
    )
    return person


def in_review(
    the_call: Call, index: int = 0, amount: Decimal = Decimal(150_000), reviewed: bool = True
):
    """A submitted application in review, with (unless `reviewed=False`) the one completed
    review a call asks for by default."""
    application, actor = complete_application(the_call, index, amount)
    services.application_submit(application_id=application.pk, actor=actor)
    staff = officer()
    services.application_move(application_id=application.pk, actor=staff, action="screen")
    services.application_move(application_id=application.pk, actor=staff, action="start_review")
    if reviewed:
        review_done(application)
    application.refresh_from_db()
    return application


def draft_form_values(client, application, language: str = "en") -> dict[str, str]:
    """What the writer's browser would post: every field of the draft form on the real page."""
    page = client.get(f"/{language}/grants/applications/{application.pk}/")
    assert page.status_code == 200
    return parse_draft_form(page.content.decode())


def parse_draft_form(html: str) -> dict[str, str]:
    """The values of the draft form's fields in a page, as a browser would post them."""
    from html.parser import HTMLParser

    class DraftFormParser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.values, self.textarea, self.select = False, {}, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and attrs.get("id") == "draft-form":
                self.inside = True
            if not self.inside or "name" not in attrs and tag not in ("option",):
                return
            if tag == "input" and attrs.get("type") not in ("submit", "button"):
                self.values[attrs["name"]] = attrs.get("value", "")
            elif tag == "textarea":
                self.textarea = attrs["name"]
                self.values[self.textarea] = ""
            elif tag == "select":
                self.select = attrs["name"]
                self.values.setdefault(self.select, "")
            elif tag == "option" and self.select and "selected" in attrs:
                self.values[self.select] = attrs.get("value", "")

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "textarea":
                self.textarea = None
            elif tag == "select":
                self.select = None

        def handle_data(self, data):
            if self.textarea:
                self.values[self.textarea] += data

    parser = DraftFormParser()
    parser.feed(html)
    parser.values.pop("csrfmiddlewaretoken", None)
    # A textarea's first newline is not part of its value (HTML parsing rule).
    return {k: v[1:] if v.startswith("\n") else v for k, v in parser.values.items()}
