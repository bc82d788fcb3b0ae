"""Demo step: each pair of the seed network gets a team on both sides and an activity plan
(done visits and workshops with short reports in Swedish, Ukrainian and English, and planned
ones; Falun–Kolomyia plans a visit to Kolomyia). Dates are relative to today, so the demo stays
alive. Idempotent: a partnership that has a team or activities keeps them.

The teams' people are named (fictional); the seed municipalities' demo coordinators
(`<municipality>@demo.example`) and Falun's project and steering-group members are linked to
their places in the team, with the partnership-scoped role a team member holds.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from partnernet.accounts.models import Organisation, RoleAssignment, User
from partnernet.grants.models import Application, BudgetLine, CostCategory, ResultStatement
from partnernet.partnerships.models import Partnership

from . import selectors
from .models import Activity, ActivityKind, ActivityStatus, TeamMember, TeamRole
from .services import workspace_role

SWEDISH_NAMES = [
    ("Anna Lindqvist", "Karin Berg", "Erik Sundström", "Maria Holm", "Johan Ek"),
    ("Lena Nyberg", "Per Wallin", "Sara Lund", "Oskar Falk", "Eva Strand"),
    ("Ingrid Sjöberg", "Magnus Dahl", "Elin Åkesson", "Henrik Bergman", "Ulla Norén"),
    ("Karl Engström", "Sofia Hedlund", "Nils Björk", "Emma Lundgren", "Lars Ström"),
    ("Astrid Nilsson", "Björn Håkansson", "Frida Olsson", "Anders Vik", "Maja Lind"),
    ("Gunnar Ek", "Hanna Sandberg", "Linnea Forsberg", "Mats Öberg", "Ida Persson"),
]
UKRAINIAN_NAMES = [
    ("Олена Коваль", "Андрій Мельник", "Ірина Бондар", "Тарас Шевчук", "Наталія Ткач"),
    ("Оксана Кравець", "Василь Гнатюк", "Марія Лисенко", "Богдан Савчук", "Юлія Мороз"),
    ("Світлана Романюк", "Петро Іваненко", "Галина Бойко", "Олег Кузьмич", "Леся Павлюк"),
    ("Ольга Зайченко", "Ігор Литвин", "Тетяна Демчук", "Роман Козак", "Христина Гуменюк"),
    ("Вікторія Мартинюк", "Сергій Остапчук", "Людмила Федорук", "Микола Дячук", "Анна Марчук"),
    ("Надія Стасюк", "Володимир Лесик", "Катерина Ярема", "Іван Жук", "Софія Дмитрук"),
]
# (role, index in the names) of a complete team; the last name is a project member.
TEAM = [
    (TeamRole.POLITICIAN_MAJORITY, 0),
    (TeamRole.POLITICIAN_OPPOSITION, 1),
    (TeamRole.CIVIL_SERVANT, 2),
    (TeamRole.COORDINATOR, 3),
    (TeamRole.PROJECT_MEMBER, 4),
]
RESULTS = [
    ("objective", "Citizens of both municipalities take part in local decisions."),
    ("outcome", "Both councils hold regular citizen dialogues, the opposition included."),
    ("output", "A joint plan for citizen dialogue, tried in two schools."),
]
BUDGET = [
    ("travel", "Visits in both directions", 260000),
    ("venues", "Workshops and trainings", 45000),
    ("interpretation", "Interpretation Swedish–Ukrainian", 40000),
]
# Pairs whose partner side still lacks its opposition politician (the page says so).
INCOMPLETE = {"karlskrona-chortkiv", "ronneby-ternopil"}


def _reports(swedish: str, partner: str) -> dict[str, str]:
    return {
        "sv": (
            f"Delegationen från {swedish} besökte {partner} i tre dagar. Vi träffade "
            "kommunfullmäktiges presidium och oppositionen, besökte två skolor och kom överens "
            "om en gemensam plan för medborgardialoger."
        ),
        "uk": (
            f"Семінар громади {partner} та муніципалітету {swedish} про відкритість бюджету: "
            "28 учасників, три робочі групи, спільний перелік кроків до наступної зустрічі."
        ),
        "en": (
            f"Training for the officials of {swedish} and {partner} on citizen dialogue "
            "methods; the participants drafted a first dialogue plan for spring."
        ),
    }


def _team(partnership: Partnership, index: int) -> None:
    if TeamMember.objects.filter(partnership=partnership).exists():
        return
    now = timezone.now()
    side_slugs = partnership.slug.split("-", 1)
    for side, names, slug in (
        ("swedish", SWEDISH_NAMES[index % 6], side_slugs[0]),
        ("partner", UKRAINIAN_NAMES[index % 6], side_slugs[1]),
    ):
        municipality = partnership.swedish_partner if side == "swedish" else partnership.partner
        organisation = Organisation.objects.filter(municipality=municipality).first()
        for role, at in TEAM:
            if (
                side == "partner"
                and partnership.slug in INCOMPLETE
                and role == "politician_opposition"
            ):
                continue
            user = None
            if role == TeamRole.COORDINATOR:
                user = User.objects.filter(email=f"{slug}@demo.example").first()
            falun = partnership.slug == "falun-kolomyia" and side == "swedish"
            if falun and role == TeamRole.PROJECT_MEMBER:
                user = User.objects.filter(email="member@demo.example").first()
            name = (
                user.full_name if user is not None and role != TeamRole.COORDINATOR else names[at]
            )
            TeamMember.objects.create(
                partnership=partnership,
                side=side,
                team_role=role,
                name=name,
                email=user.email if user is not None else "",
                user=user,
                joined_at=now if user is not None else None,
                position="",
            )
            if user is not None and organisation is not None:
                RoleAssignment.objects.get_or_create(
                    user=user,
                    role=workspace_role(role),
                    organisation=organisation,
                    partnership=partnership,
                )
        if partnership.slug == "falun-kolomyia" and side == "swedish":
            steering = User.objects.filter(email="steering@demo.example").first()
            if steering is not None:
                TeamMember.objects.create(
                    partnership=partnership,
                    side=side,
                    team_role=TeamRole.STEERING_GROUP_MEMBER,
                    name=steering.full_name,
                    email=steering.email,
                    user=steering,
                    joined_at=now,
                )


def _plan_and_budget(application: Application | None) -> None:
    """A granted seed application without a results plan and budget gets a small one, so its
    activities have results and budget lines to link to."""
    if application is None or application.budget_lines.exists():
        return
    for level, text in RESULTS:
        ResultStatement.objects.get_or_create(application=application, level=level, text=text)
    categories = {c.slug: c for c in CostCategory.objects.filter(slug__in=[b[0] for b in BUDGET])}
    for slug, description, amount in BUDGET:
        if slug in categories:
            BudgetLine.objects.create(
                application=application,
                category=categories[slug],
                description=description,
                amount=amount,
            )


def _activities(partnership: Partnership, index: int) -> None:
    if Activity.objects.filter(partnership=partnership).exists():
        return
    _plan_and_budget(selectors.granted_application(partnership))
    today = timezone.localdate()
    swedish = partnership.swedish_partner
    partner = partnership.partner
    reports = _reports(swedish.name_sv or swedish.name, partner.name_en or partner.name)
    application = selectors.granted_application(partnership)
    lines = list(selectors.budget_lines(application)[:2])
    results = list(selectors.result_statements(application)[:2])
    members = list(TeamMember.objects.filter(partnership=partnership))
    shift = index * 9  # the pairs' plans do not all fall on the same days

    def add(**fields) -> Activity:
        line = lines[0] if lines and fields["kind"] == ActivityKind.VISIT else None
        activity = Activity.objects.create(partnership=partnership, budget_line=line, **fields)
        activity.results.set(results[:1])
        activity.participants.set(
            [m for m in members if m.team_role != TeamRole.PROJECT_MEMBER][:6]
        )
        return activity

    start = today - timedelta(days=210 + shift)
    add(
        kind=ActivityKind.VISIT,
        title=f"Besök i {partner.name_sv or partner.name}",
        travelling_side="swedish",
        starts_on=start,
        ends_on=start + timedelta(days=2),
        place=partner.name_sv or partner.name,
        purpose="Kick-off of the inception phase: meet the partner's council and opposition.",
        status=ActivityStatus.DONE,
        report=reports["sv"],
        report_language="sv",
        planned_cost=120000,
        actual_cost=112500,
        is_public=True,
    )
    start = today - timedelta(days=120 + shift)
    add(
        kind=ActivityKind.WORKSHOP,
        title="Семінар: відкритий бюджет",
        starts_on=start,
        place=partner.name_uk or partner.name,
        status=ActivityStatus.DONE,
        report=reports["uk"],
        report_language="uk",
        planned_cost=30000,
        actual_cost=27800,
        is_public=True,
    )
    start = today - timedelta(days=60 + shift)
    add(
        kind=ActivityKind.TRAINING,
        title="Training in citizen dialogue",
        starts_on=start,
        place="Online",
        status=ActivityStatus.DONE,
        report=reports["en"],
        report_language="en",
        planned_cost=15000,
        actual_cost=15000,
        is_public=index % 2 == 0,
    )
    if index % 3 == 1:  # over, but nobody has marked it yet
        add(
            kind=ActivityKind.DIGITAL_MEETING,
            title="Digital meeting: the plan for autumn",
            starts_on=today - timedelta(days=10),
            place="Online",
        )
    add(
        kind=ActivityKind.DIGITAL_MEETING,
        title="Digitalt möte: planering inför våren",
        starts_on=today + timedelta(days=14 + index),
        place="Online",
    )
    if partnership.slug == "falun-kolomyia":
        start = today + timedelta(days=45)
        add(
            kind=ActivityKind.VISIT,
            title="Falun besöker Kolomyja",
            travelling_side="swedish",
            starts_on=start,
            ends_on=start + timedelta(days=3),
            place="Kolomyja",
            purpose="Study visit on citizen dialogue and the school councils.",
            planned_cost=140000,
        )
    else:
        start = today + timedelta(days=60 + shift)
        add(
            kind=ActivityKind.VISIT,
            title="Return visit to Sweden",
            travelling_side="partner",
            starts_on=start,
            ends_on=start + timedelta(days=3),
            place=swedish.name_sv or swedish.name,
            planned_cost=150000,
        )


@transaction.atomic
def workspace_demo_load() -> None:
    partnerships = Partnership.objects.filter(network__slug="democratic-resilience").select_related(
        "swedish_partner", "partner"
    )
    for index, partnership in enumerate(partnerships.order_by("slug")):
        _team(partnership, index)
        _activities(partnership, index)
