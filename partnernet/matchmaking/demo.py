"""Demo data for the queue: interest profiles of the twelve seed municipalities (what the
announcement says each works on; the Swedish offers in Swedish, the Ukrainian needs partly in
Ukrainian), the six pairs' history up to "granted" with confirmed letters of intent, and a few
EXAMPLE municipalities waiting in the queue, clearly marked as such (`is_example`, "(example)").
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from partnernet.audit.services import audit_record
from partnernet.lib.systemtext import system_text
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network, Partnership

from . import services
from .models import LetterOfIntent, QueueEntry, Stage

TECH, EDU, URBAN, GOV = (
    "technical-services-infrastructure",
    "education",
    "urban-planning",
    "inclusive-leadership-governance",
)

# (code, language, text, priorities, areas, capacity, is_example)
PROFILES = [
    (
        "2080",
        "sv",
        (
            "Falu kommun erbjuder erfarenhet av vattenförsörjning och avfallshantering: drift av "
            "vattenverk och reningsverk, insamling och återvinning av avfall, och tekniska system "
            "som står emot kriser och är tillgängliga för alla."
        ),
        "vattenförsörjning, avfallshantering, krisberedskap",
        [TECH],
        1,
        False,
    ),
    (
        "UA26080070000092582",
        "uk",
        (
            "Коломийська громада потребує досвіду у сфері водопостачання та поводження з "
            "відходами: модернізація водопровідних мереж, сортування сміття і побудова стійких до "
            "криз систем інфраструктури, доступних для всіх."
        ),
        "водопостачання, поводження з відходами",
        [TECH],
        1,
        False,
    ),
    (
        "1080",
        "sv",
        (
            "Karlskrona kommun erbjuder erfarenhet av demokratisk skolutveckling, elevinflytande "
            "och vuxenutbildning: undervisning som ger både unga och äldre bättre möjligheter."
        ),
        "demokratisk utbildning, undervisning för unga och äldre",
        [EDU],
        1,
        False,
    ),
    (
        "UA61060430000094264",
        "uk",
        (
            "Чортківська громада прагне зробити систему освіти кращою та демократичнішою і "
            "розвивати методи навчання, які дають кращі можливості і молоді, і людям старшого "
            "віку."
        ),
        "демократична освіта, методи навчання",
        [EDU],
        1,
        False,
    ),
    (
        "0186",
        "sv",
        (
            "Lidingö stad delar med sig av arbetet för en likvärdig skola där alla elever får "
            "samma möjligheter att lära sig och växa, oavsett bakgrund, och av undervisning för "
            "framtidens demokratiska medborgare."
        ),
        "likvärdig skola, demokratiska medborgare",
        [EDU],
        1,
        False,
    ),
    (
        "UA68060270000042174",
        "en",
        (
            "Slavuta wants to reduce the differences between its schools so that every child gets "
            "an equally good education, whatever their background, and to raise democratic "
            "citizens."
        ),
        "equal schooling, democratic citizenship",
        [EDU],
        1,
        False,
    ),
    (
        "1081",
        "sv",
        (
            "Ronneby kommun erbjuder kunskap om vattenhantering och rent dricksvatten, "
            "krisberedskap och miljöskydd, och erfarenhet av samarbete inom EU."
        ),
        "vattenhantering, krisberedskap, miljö, EU",
        [TECH],
        1,
        False,
    ),
    (
        "UA61040490000035010",
        "uk",
        (
            "Тернопільська громада потребує досвіду в управлінні водними ресурсами, готовності до "
            "криз і захисті довкілля, а також підтримки на шляху України до ЄС."
        ),
        "управління водними ресурсами, готовність до криз, довкілля, ЄС",
        [TECH],
        1,
        False,
    ),
    (
        "2480",
        "sv",
        (
            "Umeå kommun erbjuder erfarenhet av jämställd stadsplanering och digital "
            "medborgardialog, där alla invånare kan vara med och påverka hur staden utvecklas."
        ),
        "jämställd stadsplanering, digital delaktighet",
        [URBAN],
        1,
        False,
    ),
    (
        "UA65100150000057191",
        "uk",
        (
            "Херсонська громада шукає досвіду гендерно рівного містобудування та цифрової участі "
            "мешканців, щоб планувати місто, у якому добре жити всім, зокрема й після війни."
        ),
        "гендерно рівне містобудування, цифрова участь мешканців",
        [URBAN],
        1,
        False,
    ),
    (
        "0780",
        "sv",
        (
            "Växjö kommun erbjuder erfarenhet av inkluderande ledarskap och beslutsfattande, "
            "krisberedskap, ungdomars delaktighet och digital kommunikation med invånarna."
        ),
        "inkluderande ledarskap, krisberedskap, unga, digital kommunikation",
        [GOV],
        1,
        False,
    ),
    (
        "UA26060170000091466",
        "en",
        (
            "Kalush needs support for inclusive leadership and decision-making, for its economy "
            "in wartime, for crisis preparedness, for engaging young people and for digital "
            "communication with residents."
        ),
        "inclusive decisions, war economy, crisis preparedness, youth",
        [GOV],
        1,
        False,
    ),
    # Examples: not real statements of these municipalities.
    (
        "2281",
        "sv",
        (
            "(exempel) Sundsvalls kommun erbjuder erfarenhet av energiförsörjning, fjärrvärme och "
            "digitala e-tjänster för invånarna."
        ),
        "(exempel) energi, digitala tjänster",
        [TECH],
        2,
        True,
    ),
    (
        "1880",
        "sv",
        (
            "(exempel) Örebro kommun erbjuder erfarenhet av inkluderande skola, vuxenutbildning "
            "och socialt arbete med unga."
        ),
        "(exempel) skola, unga",
        [EDU],
        1,
        True,
    ),
    (
        "UA32080070000050759",
        "uk",
        (
            "(приклад) Бучанська громада потребує досвіду відбудови та планування міста, "
            "енергоефективності і цифрових послуг для мешканців."
        ),
        "(приклад) містобудування, енергетика",
        [URBAN, TECH],
        1,
        True,
    ),
    (
        "UA53080370000025447",
        "en",
        (
            "(example) Poltava seeks experience with waste management, recycling and clean water "
            "supply."
        ),
        "(example) waste, water",
        [TECH],
        1,
        True,
    ),
    (
        "UA07080170000013585",
        "uk",
        (
            "(приклад) Луцька громада шукає партнера у сфері освіти: інклюзивна школа та навчання "
            "дорослих."
        ),
        "(приклад) освіта",
        [EDU],
        1,
        True,
    ),
]
# System texts (`lib.systemtext`): rendered in each reader's language, never stored translated.
SEED_REASON = system_text(
    gettext_noop("Seed network: from ICLD's announcement of the six granted partnerships")
)
HISTORY = [
    (Stage.MATCHED, datetime(2024, 9, 16, 10), system_text(gettext_noop("Matched by ICLD"))),
    (
        Stage.LETTER_OF_INTENT,
        datetime(2024, 10, 7, 10),
        system_text(gettext_noop("Letter of intent signed by both")),
    ),
    (
        Stage.INCEPTION_APPLIED,
        datetime(2024, 10, 21, 10),
        system_text(gettext_noop("Inception application submitted")),
    ),
    (Stage.GRANTED, datetime(2024, 11, 25, 10), system_text(gettext_noop("Granted by ICLD"))),
]


@transaction.atomic
def matchmaking_demo_load() -> None:
    """Profiles, the six pairs' queue history and the example queue; safe to run again."""
    network = Network.objects.get(slug="democratic-resilience")
    areas = {a.slug: a for a in CooperationArea.objects.all()}
    municipalities = Municipality.objects.in_bulk([p[0] for p in PROFILES], field_name="code")
    missing = [
        p
        for p in PROFILES
        if not network.interest_profiles.filter(municipality__code=p[0]).exists()
    ]
    services.embed_texts([f"{p[2]}\n{p[3]}" for p in missing])  # one batch for all
    for partnership in Partnership.objects.filter(network=network).select_related(
        "swedish_partner", "partner"
    ):
        _seed_history(network, partnership)
    for code, language, text, priorities, slugs, capacity, is_example in missing:
        services.profile_save(
            municipality=municipalities[code],
            network=network,
            actor=None,
            text=text,
            source_language=language,
            areas=[areas[s] for s in slugs],
            priorities=priorities,
            capacity=capacity,
            is_example=is_example,
        )


def _seed_history(network: Network, partnership: Partnership) -> None:
    pair = (partnership.swedish_partner, partnership.partner)
    if (
        QueueEntry.objects.filter(
            network=network, municipality__in=pair, stage=Stage.GRANTED
        ).count()
        == 2
    ):
        return
    joined = timezone.make_aware(datetime(2024, 9, 2, 10))
    for municipality in pair:
        entry = services.queue_entry_join(
            municipality=municipality, network=network, actor=None, reason=SEED_REASON, at=joined
        )
        for stage, at, reason in HISTORY:
            if entry.stage != Stage.GRANTED:
                entry = services.queue_entry_move(
                    municipality=municipality,
                    network=network,
                    stage=stage,
                    actor=None,
                    reason=reason,
                    at=timezone.make_aware(at),
                )
    if not LetterOfIntent.objects.filter(
        network=network, swedish_partner=pair[0], partner=pair[1]
    ).exists():
        signed = timezone.make_aware(datetime(2024, 10, 7, 10))
        letter = LetterOfIntent.objects.create(
            network=network,
            swedish_partner=pair[0],
            partner=pair[1],
            status=LetterOfIntent.Status.CONFIRMED,
            swedish_confirmed_at=signed,
            partner_confirmed_at=signed,
            created_at=signed,
            text=getattr(partnership, "summary_sv", ""),
        )
        audit_record(
            actor=None,
            action="create",
            obj=letter,
            after={"status": letter.status},
            reason=SEED_REASON,
        )


def queue_fill(*, network: Network, count: int, spacing: timedelta = timedelta(hours=1)) -> int:
    """`count` more municipalities (the first ones not in any queue yet) wait in the network's
    queue, the newest last, joined `spacing` apart: queues of any size for benchmarks and
    query-count tests. Returns how many were added."""
    if count <= 0:
        return 0
    taken = QueueEntry.objects.values_list("municipality_id", flat=True)
    free = Municipality.objects.exclude(pk__in=taken).order_by("pk").values_list("pk", flat=True)
    start = (QueueEntry.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    now = timezone.now()
    made = QueueEntry.objects.bulk_create(
        QueueEntry(
            municipality_id=pk,
            network=network,
            position=start + i,
            joined_at=now - spacing * i,
        )
        for i, pk in enumerate(free[:count])
    )
    return len(made)
