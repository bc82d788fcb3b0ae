"""Demo step: each pair of the seed network gets an approved results plan (objective, two
outcomes, outputs and indicators with baselines and yearly targets), an agreement when its
granted application has none, and one annual report in its own state, so the programme pages
show a real programme:

- falun-kolomyia: draft, due in two months;
- karlskrona-chortkiv: submitted, waiting for review;
- lidingo-slavuta: returned with the officer's comment;
- ronneby-ternopil: draft and overdue (the co-writing walk-through starts from it);
- umea-kherson: approved and reimbursed;
- vaxjo-kalush: approved, waiting for the reimbursement.

Reports carry narrative sections in Swedish, Ukrainian and English, indicator values and
expenditures in SEK, EUR and UAH converted at recorded rates. Dates are relative to today.
Idempotent: a partnership with a plan keeps it, one with a report keeps it (and its parts).
States change only through the models' transitions; each change is audited as a service would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.grants.models import (
    COMMITTED_STATES,
    Agreement,
    Application,
    CostCategory,
    ReportingDeadline,
)
from partnernet.grants.services import agreement_generate
from partnernet.partnerships.models import Partnership

from .models import (
    WRITABLE_REPORT_STATES,
    ExchangeRate,
    Expenditure,
    IndicatorValue,
    PlanIndicator,
    PlanStatement,
    PlanTarget,
    Reimbursement,
    Report,
    ReportSection,
    ResultLevel,
    ResultsPlan,
    ReviewComment,
)
from .services.reminders import reminders_compute
from .services.schedule import report_schedule_sync

NETWORK = "democratic-resilience"
OFFICER = "officer@icld.example"
FINANCE = "finance@icld.example"
# Recorded rates (SEK per unit) on the first day of each month the expenditures fall in.
RATES = {"SEK": Decimal(1), "EUR": Decimal("11.4200"), "UAH": Decimal("0.2610")}
RATE_SOURCE = "Sveriges Riksbank (demo)"


@dataclass(frozen=True)
class Story:
    """What one pair's report says: its state, how far back its year lies (days from today to
    the end of the period), and whether it was reimbursed."""

    state: str
    period_end_offset: int
    reimbursed: bool = False


STORIES = {
    "falun-kolomyia": Story("draft", 5),
    "karlskrona-chortkiv": Story("submitted", -45),
    "lidingo-slavuta": Story("returned", -75),
    "ronneby-ternopil": Story("draft", -70),
    "umea-kherson": Story("approved", -160, reimbursed=True),
    "vaxjo-kalush": Story("approved", -120),
}

# Per cooperation area: the second outcome, the outputs and the indicators of the plan, and the
# narrative of the year (sv, uk, en). The objective and first outcome and output come from the
# granted application when it has them.
THEMES: dict[str, dict] = {
    "technical-services-infrastructure": {
        "outcome": "Water supply and waste collection reach every district, crises included.",
        "outputs": [
            "A joint plan for sorting household waste, tried in two districts.",
            "A contingency plan for the water works, practised once a year.",
        ],
        "indicators": [
            ("Households with sorted waste collection", "%", 12, [25, 40]),
            ("Hours of drinking water per day in the worst-served district", "hours", 14, [18, 22]),
            ("Staff trained in the contingency plan", "people", 0, [20, 40]),
        ],
        "texts": {
            "sv": "Under året har vi kartlagt vattenförsörjningen i alla stadsdelar och provat "
            "sortering av hushållsavfall i två av dem. Avfallsbolagets personal besökte "
            "återvinningscentralen i Sverige och beredskapsplanen för vattenverket övades.",
            "uk": "Протягом року ми обстежили водопостачання в усіх районах громади та "
            "запровадили сортування побутових відходів у двох із них. Працівники комунального "
            "підприємства відвідали сортувальну станцію у Швеції.",
            "en": "This year we mapped the water supply of every district and tried sorting "
            "household waste in two of them. The waste company's staff visited the Swedish "
            "recycling centre and the water works practised its contingency plan.",
        },
    },
    "education": {
        "outcome": "Pupils and parents take part in the schools' decisions.",
        "outputs": [
            "Pupil councils set up in five schools with a common guide.",
            "A training for head teachers on democratic school leadership.",
        ],
        "indicators": [
            ("Schools with an elected pupil council", "schools", 1, [3, 5]),
            ("Parents taking part in school consultations", "%", 8, [15, 25]),
            ("Head teachers trained", "people", 0, [10, 20]),
        ],
        "texts": {
            "sv": "Elevråd har valts i tre skolor och en gemensam handledning för elevråden "
            "har skrivits på båda språken. Rektorerna deltog i en utbildning om demokratiskt "
            "ledarskap och föräldrarna bjöds in till två samråd.",
            "uk": "Учнівські ради обрано у трьох школах, спільний посібник підготовлено двома "
            "мовами. Директори шкіл пройшли навчання з демократичного лідерства, батьків "
            "запросили на дві консультації.",
            "en": "Pupil councils were elected in three schools and a common guide for them was "
            "written in both languages. Head teachers took part in a training on democratic "
            "leadership and parents were invited to two consultations.",
        },
    },
    "urban-planning": {
        "outcome": "Residents are consulted before every detailed plan is adopted.",
        "outputs": [
            "A consultation method for detailed plans, tried on the central square.",
            "An open map of the plans under way, published on the city's website.",
        ],
        "indicators": [
            ("Detailed plans with a public consultation", "%", 10, [40, 80]),
            ("Residents taking part in consultations", "people", 60, [250, 500]),
            ("Plans under way shown on the open map", "%", 0, [50, 100]),
        ],
        "texts": {
            "sv": "Samrådsmetoden för detaljplaner provades på planen för centrala torget: "
            "över tvåhundra invånare lämnade synpunkter, på plats och digitalt. "
            "Planarkitekterna från båda kommunerna arbetade tillsammans i två workshops.",
            "uk": "Метод громадських обговорень детальних планів випробувано на плані "
            "центральної площі: понад двісті мешканців висловили свої пропозиції. "
            "Архітектори обох громад провели дві спільні робочі зустрічі.",
            "en": "The consultation method for detailed plans was tried on the plan for the "
            "central square: more than two hundred residents gave their views, on site and "
            "online. The planners of both municipalities met in two workshops.",
        },
    },
    "inclusive-leadership-governance": {
        "outcome": "The council's majority and opposition agree the priorities together.",
        "outputs": [
            "A cross-party working group that meets every quarter.",
            "Open council meetings streamed and minuted on the website.",
        ],
        "indicators": [
            ("Cross-party working group meetings", "meetings", 0, [4, 8]),
            ("Budget priorities agreed by majority and opposition", "priorities", 0, [3, 5]),
            ("Council meetings streamed and minuted", "%", 20, [60, 100]),
        ],
        "texts": {
            "sv": "Den partiöverskridande arbetsgruppen har träffats fyra gånger och enats om "
            "tre prioriteringar för budgeten. Fullmäktiges möten sänds nu direkt och "
            "protokollen publiceras inom en vecka.",
            "uk": "Міжфракційна робоча група зібралася чотири рази та погодила три бюджетні "
            "пріоритети. Засідання ради тепер транслюються наживо, протоколи публікуються "
            "протягом тижня.",
            "en": "The cross-party working group met four times and agreed three priorities for "
            "the budget. Council meetings are now streamed live and their minutes published "
            "within a week.",
        },
    },
}
DEFAULT_THEME = "inclusive-leadership-governance"
SECTION_TAILS = {
    ReportSection.Key.SUMMARY: {"sv": "", "uk": "", "en": ""},
    ReportSection.Key.LESSONS: {
        "sv": "Strömavbrotten försenade en workshop; nästa år planerar vi digitala reservdagar.",
        "uk": "Відключення електроенергії затримали один семінар; наступного року плануємо "
        "резервні онлайн-дні.",
        "en": "Power cuts delayed one workshop; next year we plan reserve days online.",
    },
    ReportSection.Key.FINANCES: {
        "sv": "Resorna blev något billigare än budgeterat; tolkning köptes lokalt i hryvnia.",
        "uk": "Поїздки коштували трохи менше за бюджет; послуги перекладу оплачено в гривнях.",
        "en": "Travel cost slightly less than budgeted; interpretation was bought locally in "
        "hryvnia.",
    },
}
# (category, description, currency, amount, days after the period start): the Swedish partner
# keeps the accounts, in Swedish.
EXPENDITURES = [
    ("travel", "Flyg Stockholm–Rzeszów, delegation om fyra", "SEK", Decimal("38600"), 40),
    ("accommodation", "Hotell för delegationen, tre nätter", "EUR", Decimal("1480"), 42),
    ("local-travel", "Minibuss Rzeszów–partnerkommunen tur och retur", "UAH", Decimal("21500"), 42),
    ("venues", "Konferenslokal för den gemensamma workshopen", "UAH", Decimal("14800"), 120),
    ("interpretation", "Tolkning svenska–ukrainska, två dagar", "UAH", Decimal("36000"), 121),
    ("travel", "Återbesök: tåg och flyg till Sverige", "SEK", Decimal("52300"), 200),
]
REVIEW_COMMENT = (
    "Indikatorvärdet för utbildad personal saknar en kommentar om hur det mätts, och kvitto "
    "saknas för minibussen. Komplettera och skicka in igen."
)


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _granted(partnership: Partnership) -> Application | None:
    return (
        Application.objects.filter(partnership=partnership, state__in=COMMITTED_STATES)
        .select_related("call")
        .order_by("-pk")
        .first()
    )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _agreement(application: Application, story: Story, today: date) -> Agreement:
    """The granted application's agreement (generated as the grants app does when missing),
    its period placed so that the pair's report year ends `period_end_offset` days from today."""
    agreement = Agreement.objects.filter(application=application).first()
    if agreement is not None:
        return agreement
    agreement = agreement_generate(application=application)
    ends = today + timedelta(days=story.period_end_offset)
    starts = _add_years(ends, -1) + timedelta(days=1)
    amount = agreement.amount
    if amount is None:
        amount = application.budget_lines.aggregate(total=Sum("amount"))["total"]
    Agreement.objects.filter(pk=agreement.pk).update(starts_on=starts, ends_on=ends, amount=amount)
    ReportingDeadline.objects.filter(agreement=agreement, kind=ReportingDeadline.Kind.FINAL).update(
        due_on=ends + timedelta(days=60)
    )
    agreement.refresh_from_db()
    return agreement


def _plan(
    partnership: Partnership, application: Application, agreement: Agreement, officer: User | None
) -> ResultsPlan:
    existing = ResultsPlan.objects.filter(partnership=partnership).order_by("-pk").first()
    if existing is not None:
        return existing
    theme = THEMES.get(partnership.area.slug, THEMES[DEFAULT_THEME])
    written = {r.level: r for r in application.results.prefetch_related("indicators")}
    plan = ResultsPlan.objects.create(
        partnership=partnership,
        application=application,
        component=application.call.component,
        created_by=officer,
    )

    def statement(level: str, text: str, order: int, parent=None) -> PlanStatement:
        return PlanStatement.objects.create(
            plan=plan, level=level, text=text, language="en", order=order, parent=parent
        )

    objective_text = written["objective"].text if "objective" in written else theme["outcome"]
    objective = statement(ResultLevel.OBJECTIVE, objective_text, 0)
    first_outcome = written["outcome"].text if "outcome" in written else theme["outcome"]
    outcomes = [
        statement(ResultLevel.OUTCOME, first_outcome, 1, objective),
        statement(ResultLevel.OUTCOME, theme["outcome"], 2, objective),
    ]
    # The theme's outputs serve its outcome; the application's output its own outcome.
    outputs = [
        statement(ResultLevel.OUTPUT, theme["outputs"][0], 3, outcomes[1]),
        statement(ResultLevel.OUTPUT, theme["outputs"][1], 4, outcomes[1]),
    ]
    if "output" in written:
        statement(ResultLevel.OUTPUT, written["output"].text, 5, outcomes[0])
    # The theme's indicators: two of its outcome, one of its second output; the application's
    # own indicators (when it has any) measure the first outcome, four in all at most.
    rows = [
        (outcomes[1], n, u, Decimal(b), [Decimal(t) for t in ts])
        for n, u, b, ts in theme["indicators"]
    ]
    rows[2] = (outputs[1], *rows[2][1:])
    rows += [
        (outcomes[0], i.name, i.unit, i.baseline, [i.target])
        for r in written.values()
        for i in r.indicators.all()
    ]
    years = [agreement.starts_on.year, agreement.starts_on.year + 1]
    for order, (holder, name, unit, baseline, targets) in enumerate(rows[:4]):
        item = PlanIndicator.objects.create(
            statement=holder,
            name=name,
            unit=unit,
            baseline_value=baseline,
            baseline_date=agreement.starts_on - timedelta(days=30),
            order=order,
        )
        for year, value in zip(years, targets, strict=False):
            PlanTarget.objects.create(indicator=item, year=year, value=value)
    plan.propose()
    plan.accept()
    plan.decided_by = officer
    plan.save()
    audit_record(actor=officer, action="approve", obj=plan, after={"state": plan.state})
    return plan


def _rate(currency: str, on: date) -> Decimal:
    rate = RATES[currency]
    if currency != "SEK":
        ExchangeRate.objects.get_or_create(
            currency=currency, on=on, defaults={"rate": rate, "source": RATE_SOURCE}
        )
    return rate


def _sections(report: Report, theme: dict) -> None:
    keys = [
        ReportSection.Key.SUMMARY,
        ReportSection.Key.ACTIVITIES,
        ReportSection.Key.LESSONS,
        ReportSection.Key.FINANCES,
    ]
    now = timezone.now()
    for key in keys:
        bodies = {}
        for lang in ("sv", "uk", "en"):
            body = theme["texts"][lang]
            tail = SECTION_TAILS.get(key)
            if tail is not None and tail[lang]:
                body = tail[lang]
            elif key == ReportSection.Key.SUMMARY:
                body = body.split(". ")[0].rstrip(".") + "."
            bodies[lang] = body
        section = ReportSection(report=report, key=key, source_language="sv", text=bodies["sv"])
        for lang, body in bodies.items():
            section.set_text("text", lang, body, now=now)
        section.save()


def _values(report: Report, plan: ResultsPlan, author: User | None) -> None:
    indicators = PlanIndicator.objects.filter(statement__plan=plan).prefetch_related("targets")
    for index, item in enumerate(indicators.order_by("order", "pk")):
        targets = {t.year: t.value for t in item.targets.all()}
        target = targets.get(report.period_start.year, item.baseline_value)
        # Most indicators on track, the last one behind: the programme page shows both.
        share = Decimal("0.55") if index == indicators.count() - 1 else Decimal("0.95")
        value = (item.baseline_value + (target - item.baseline_value) * share).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        )
        IndicatorValue.objects.create(
            report=report,
            indicator=item,
            value=value,
            comment="Counted from the attendance lists and the municipality's own records.",
            updated_by=author,
        )


def _expenditures(report: Report, application: Application, author: User | None) -> Decimal:
    categories = {c.slug: c for c in CostCategory.objects.filter(eligible=True)}
    lines = {b.category_id: b for b in application.budget_lines.all()}
    total = Decimal(0)
    for slug, text, currency, amount, days in EXPENDITURES:
        category = categories.get(slug)
        if category is None:
            continue
        paid = min(report.period_start + timedelta(days=days), report.period_end)
        rate_date = paid.replace(day=1)
        rate = _rate(currency, rate_date)
        amount_sek = (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        Expenditure.objects.create(
            report=report,
            category=category,
            budget_line=lines.get(category.pk),
            description=text,
            paid_on=paid,
            currency=currency,
            amount=amount,
            rate=rate,
            rate_date=rate_date,
            amount_sek=amount_sek,
            created_by=author,
        )
        total += amount_sek
    return total


def _report(
    partnership: Partnership,
    application: Application,
    agreement: Agreement,
    plan: ResultsPlan,
    story: Story,
) -> None:
    if Report.objects.filter(partnership=partnership).exists():
        return
    officer, finance = _user(OFFICER), _user(FINANCE)
    author = _user(f"{partnership.slug.split('-', 1)[0]}@demo.example")
    theme = THEMES.get(partnership.area.slug, THEMES[DEFAULT_THEME])
    # The reports the agreement owes, from the one schedule rule (an inception grant owes its
    # final report; a project grant an annual report per accounting year and a final one).
    report_schedule_sync(agreement=agreement)
    report = Report.objects.filter(agreement=agreement).order_by("due_on", "pk").first()
    if report is None:
        return
    _sections(report, theme)
    _values(report, plan, author)
    total = _expenditures(report, application, author)
    if story.state == "draft":
        return
    submitted = agreement.ends_on + timedelta(days=20)
    report.submit()
    report.submitted_by = author
    report.save()
    Report.objects.filter(pk=report.pk).update(
        submitted_at=datetime.combine(submitted, time(10), tzinfo=UTC)
    )
    audit_record(actor=author, action="submit", obj=report, after={"state": report.state})
    if story.state == "submitted":
        return
    if story.state == "returned":
        report.return_for_changes()
        report.decided_by = officer
        report.save()
        ReviewComment.objects.create(
            report=report,
            part="indicators",
            text=REVIEW_COMMENT,
            language="sv",
            decision="returned",
            author=officer,
        )
        audit_record(actor=officer, action="return", obj=report, after={"state": report.state})
        return
    report.approve()
    report.decided_by = officer
    report.save()
    audit_record(actor=officer, action="approve", obj=report, after={"state": report.state})
    if story.reimbursed and finance is not None:
        payment = Reimbursement.objects.create(
            report=report,
            amount=total.quantize(Decimal("1"), rounding=ROUND_HALF_UP),
            paid_on=submitted + timedelta(days=30),
            reference=f"ICLD-{report.period_end.year}-{report.pk:05d}",
            recorded_by=finance,
        )
        audit_record(actor=finance, action="create", obj=payment, after={"amount": str(total)})


@transaction.atomic
def reports_demo_load() -> None:
    today = timezone.localdate()
    partnerships = Partnership.objects.filter(
        network__slug=NETWORK, slug__in=list(STORIES)
    ).select_related("area")
    officer = _user(OFFICER)
    for partnership in partnerships.order_by("slug"):
        application = _granted(partnership)
        if application is None:
            continue
        story = STORIES[partnership.slug]
        agreement = _agreement(application, story, today)
        plan = _plan(partnership, application, agreement, officer)
        _report(partnership, application, agreement, plan, story)
    # The reminders of the reports still with the teams (an overdue one gets its after-due ones).
    for report in Report.objects.filter(
        partnership__in=partnerships, state__in=WRITABLE_REPORT_STATES
    ):
        reminders_compute(report=report)
