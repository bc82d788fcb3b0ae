"""Reference data (cost categories, ceilings) and the demo's grant history; safe to run again.

The six seed partnerships become granted inception applications of the network's first call,
decided by a demo programme officer. ICLD's announcement gives no amounts, so the grants are
recorded without an amount (left empty, never invented) and the call's budget is left empty.
"""

from datetime import UTC, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_noop

from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.lib.systemtext import system_text
from partnernet.partnerships.models import Network, Partnership

from . import services
from .models import Call, CallState, Ceiling, Component, CostCategory

# slug, eligible, (sv, en, uk), explanation (sv, en, uk) for the ineligible ones
COST_CATEGORIES = [
    ("travel", True, ("Resor", "Travel", "Проїзд"), None),
    ("accommodation", True, ("Logi", "Accommodation", "Проживання"), None),
    ("local-travel", True, ("Lokala resor", "Local travel", "Місцевий транспорт"), None),
    ("venues", True, ("Lokaler", "Venues", "Приміщення"), None),
    (
        "interpretation",
        True,
        (
            "Tolkning och översättning",
            "Interpretation and translation",
            "Усний і письмовий переклад",
        ),
        None,
    ),
    ("visas", True, ("Visum", "Visas", "Візи"), None),
    (
        "climate-compensation",
        True,
        ("Klimatkompensation", "Climate compensation", "Кліматична компенсація"),
        None,
    ),
    (
        "salaries",
        False,
        ("Löner", "Salaries", "Заробітна плата"),
        (
            "Programmet betalar inte löner: varje kommun står för sin egen personal.",
            "The programme does not pay salaries: each municipality pays its own staff.",
            "Програма не оплачує заробітну плату: кожна громада утримує власний персонал.",
        ),
    ),
    (
        "per-diems",
        False,
        ("Traktamenten", "Per diems", "Добові"),
        (
            "Programmet betalar inte traktamenten.",
            "The programme does not pay per diems.",
            "Програма не оплачує добові.",
        ),
    ),
]

# The programme's guidelines for Europe (ICLD): SEK 220 000 for an inception, SEK 450 000 a
# year for a project. Officers edit these in the admin.
CEILINGS = [
    (Component.INCEPTION, "europe", Decimal(220_000), False),
    (Component.PROJECT, "europe", Decimal(450_000), True),
]

FIRST_CALL = {
    "title_sv": "Förberedelsefas – Demokratisk resiliens",
    "title_en": "Inception – Democratic resilience",
    "title_uk": "Підготовчий етап – Демократична стійкість",
    "guidelines_sv": (
        "En svensk kommun eller region och en partner i Ukraina förbereder tillsammans ett "
        "partnerskap under ett år: två partnerbesök, ett team per sida med två politiker "
        "(majoritet och opposition), en eller två tjänstepersoner och en samordnare, och en "
        "resultatplan enligt LFA-metoden. Ansökan kan lämnas in när som helst under året."
    ),
    "guidelines_en": (
        "A Swedish municipality or region and a partner in Ukraine prepare a partnership "
        "together for one year: two partner visits, a team on each side of two politicians "
        "(majority and opposition), one or two civil servants and a coordinator, and a results "
        "plan in the logical-framework approach. Applications are welcome all year."
    ),
    "guidelines_uk": (
        "Шведський муніципалітет або регіон і партнер в Україні протягом року разом готують "
        "партнерство: два партнерські візити, команда з кожного боку з двох політиків "
        "(більшість і опозиція), одного-двох службовців і координатора, а також план "
        "результатів за методом логіко-структурного підходу. Заявки приймаються цілий рік."
    ),
    "eligibility_sv": (
        "Svenska kommuner och regioner som är med i nätverket för demokratisk resiliens, "
        "tillsammans med en ukrainsk kommun (hromada), stad eller oblast som de har "
        "undertecknat en avsiktsförklaring med."
    ),
    "eligibility_en": (
        "Swedish municipalities and regions in the network for democratic resilience, "
        "together with a Ukrainian hromada, city or oblast with which they have signed a "
        "letter of intent."
    ),
    "eligibility_uk": (
        "Шведські муніципалітети та регіони, що входять до мережі демократичної стійкості, "
        "разом з українською громадою, містом або областю, з якими вони підписали лист про "
        "наміри."
    ),
    "criteria_sv": (
        "Relevans för demokratisk resiliens, förankring hos båda parters politiska ledning, "
        "genomförbarhet, tydliga resultat och en rimlig budget."
    ),
    "criteria_en": (
        "Relevance to democratic resilience, support from both partners' political "
        "leadership, feasibility, clear results and a reasonable budget."
    ),
    "criteria_uk": (
        "Значення для демократичної стійкості, підтримка політичного керівництва обох "
        "партнерів, здійсненність, чіткі результати та обґрунтований бюджет."
    ),
}
# System texts (`lib.systemtext`), rendered in each reader's language.
DEMO_REASONS = system_text(
    gettext_noop(
        "Demo data: ICLD's announcement lists the partnership among those granted funds. "
        "The amount has not been published and is left empty."
    )
)
DEMO_STEPS_REASON = system_text(
    gettext_noop("Demo data: a past application, from ICLD's announcement.")
)


def grants_reference_load() -> None:
    for order, (slug, eligible, names, explanation) in enumerate(COST_CATEGORIES):
        values = {
            f"name_{lang}": name for lang, name in zip(("sv", "en", "uk"), names, strict=True)
        }
        if explanation:
            values |= {
                f"explanation_{lang}": text
                for lang, text in zip(("sv", "en", "uk"), explanation, strict=True)
            }
        CostCategory.objects.get_or_create(
            slug=slug,
            defaults={
                **values,
                "name": names[0],
                "eligible": eligible,
                "order": order,
                "explanation": explanation[0] if explanation else "",
            },
        )
    for component, region, amount, per_year in CEILINGS:
        Ceiling.objects.get_or_create(
            component=component, region=region, defaults={"amount": amount, "per_year": per_year}
        )


def funder_get() -> Organisation:
    """The funder organisation (ICLD); the accounts demo step may already have created it."""
    funder = Organisation.objects.filter(kind=Organisation.Kind.FUNDER).order_by("id").first()
    return funder or Organisation.objects.create(name="ICLD", kind=Organisation.Kind.FUNDER)


def demo_officer() -> User:
    """The accounts demo's programme officer when there is one, else a demo officer of ours."""
    funder = funder_get()
    existing = (
        User.objects.filter(roles__role=Role.PROGRAMME_OFFICER, roles__organisation=funder)
        .order_by("id")
        .first()
    )
    if existing:
        return existing
    officer, created = User.objects.get_or_create(
        email="officer@icld.demo", defaults={"full_name": "Demo programme officer"}
    )
    if created:
        officer.set_unusable_password()
        officer.save()
    RoleAssignment.objects.get_or_create(
        user=officer, role=Role.PROGRAMME_OFFICER, organisation=funder, partnership=None
    )
    return officer


@transaction.atomic
def grants_demo_load() -> None:
    """Cost rules, the network's first call and the six seed grants with their history."""
    grants_reference_load()
    network = Network.objects.filter(slug="democratic-resilience").first()
    if network is None:
        return
    call = (
        Call.objects.filter(network=network, component=Component.INCEPTION).order_by("id").first()
    )
    if call is None:
        call = Call.objects.create(
            network=network,
            component=Component.INCEPTION,
            title=FIRST_CALL["title_sv"],
            guidelines=FIRST_CALL["guidelines_sv"],
            eligibility=FIRST_CALL["eligibility_sv"],
            criteria=FIRST_CALL["criteria_sv"],
            state=CallState.PUBLISHED,
            translated_at={"en": "2024-12-01T00:00:00+00:00", "uk": "2024-12-01T00:00:00+00:00"},
            source_updated_at=datetime(2024, 12, 1, tzinfo=UTC),
            **FIRST_CALL,
        )
    officer = demo_officer()
    for partnership in network.partnerships.select_related("swedish_partner", "partner", "area"):
        _seed_application(call, partnership, officer)


def _seed_application(call: Call, partnership: Partnership, officer: User) -> None:
    services.application_history_write(
        call=call,
        partnership=partnership,
        officer=officer,
        steps_reason=DEMO_STEPS_REASON,
        reasons=DEMO_REASONS,
    )
