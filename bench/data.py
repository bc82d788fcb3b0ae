"""Bulk data for benchmarks: `ensure_generated_partnerships(n=10_000)` spreads n partnerships
over the real registry (every Swedish kommun, hromadas all over Ukraine), in a network of their
own, with texts in three languages, goals and tags, and indexes them for search.

Idempotent and fast: rows are bulk-created, generated rows have lowercase slugs `gen-…` (the
API's slug pattern; `lowercase_generated_slugs` fixes databases generated before), texts come
from a small pool so each distinct text is embedded once, and rows are indexed in chunks of
ids (one `pk IN (…)` over every new row per batch made 100 000 rows quadratic).
"""

import random
from datetime import date

from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from partnernet.catalogue.models import SearchDocument
from partnernet.catalogue.services import search_documents_rebuild
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Goal, Network, Partnership, Tag

NETWORK_SLUG = "gen-network"
TOPICS = [
    (
        "Vattenförsörjning och avloppsrening",
        "Water supply and sewage treatment",
        "Водопостачання та очищення стічних вод",
    ),
    (
        "Avfallshantering och återvinning",
        "Waste management and recycling",
        "Поводження з відходами та переробка",
    ),
    (
        "Demokratisk skola och elevinflytande",
        "Democratic school and pupil participation",
        "Демократична школа та участь учнів",
    ),
    ("Jämställd stadsplanering", "Gender-equal urban planning", "Гендерно рівне містобудування"),
    (
        "Krisberedskap och civilt försvar",
        "Crisis preparedness and civil defence",
        "Готовність до криз і цивільний захист",
    ),
    ("Digital medborgardialog", "Digital dialogue with residents", "Цифровий діалог з мешканцями"),
    ("Ungdomars delaktighet", "Youth participation", "Участь молоді"),
    (
        "Energieffektivisering av offentliga byggnader",
        "Energy efficiency of public buildings",
        "Енергоефективність громадських будівель",
    ),
    (
        "Kollektivtrafik och cykelvägar",
        "Public transport and cycle paths",
        "Громадський транспорт і велодоріжки",
    ),
    (
        "Öppen och transparent budget",
        "Open and transparent budgeting",
        "Відкритий і прозорий бюджет",
    ),
    ("Inkluderande socialtjänst", "Inclusive social services", "Інклюзивні соціальні послуги"),
    ("Kulturarv och turism", "Cultural heritage and tourism", "Культурна спадщина та туризм"),
]
TAIL = (
    "Kommunerna utbyter erfarenheter och stärker den lokala demokratin.",
    "The municipalities exchange experience and strengthen local democracy.",
    "Громади обмінюються досвідом і зміцнюють місцеву демократію.",
)


def ensure_generated_partnerships(n: int = 10_000) -> int:
    """At least `n` generated partnerships exist and are indexed; returns how many exist."""
    lowercase_generated_slugs()
    existing = Partnership.objects.filter(slug__startswith="gen-").count()
    if existing < n:
        existing += len(_create(_network(), existing, n))
    _index_missing()
    _analyze()
    return existing


def lowercase_generated_slugs() -> int:
    """One UPDATE: generated slugs made before they were lowercase (`gen-SE05…`) become
    lowercase, so an older bench database is reused; returns how many changed."""
    generated = Partnership.objects.filter(slug__startswith="gen-")
    return generated.exclude(slug=Lower("slug")).update(slug=Lower("slug"))


INDEX_CHUNK = 2000


def _index_missing() -> None:
    """Index the generated partnerships without a search document (new ones, or those of a
    run that was interrupted), a chunk of ids at a time."""
    indexed = SearchDocument.objects.values("partnership_id")
    missing = list(
        Partnership.objects.filter(slug__startswith="gen-")
        .exclude(pk__in=indexed)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(missing), INDEX_CHUNK):
        search_documents_rebuild(partnership_ids=missing[start : start + INDEX_CHUNK])


def _analyze() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL plans joins from them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (
                Partnership,
                Partnership.goals.through,
                Partnership.tags.through,
                Municipality,
                SearchDocument,
            ):
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def _network() -> Network:
    names = {
        "name": "Generated network",
        "name_sv": "Genererat nätverk",
        "name_en": "Generated network",
        "name_uk": "Згенерована мережа",
    }
    return Network.objects.get_or_create(slug=NETWORK_SLUG, defaults={**names, "funder": "Bench"})[
        0
    ]


def _pairs(n: int) -> list[tuple[Municipality, Municipality]]:
    swedish = list(Municipality.objects.filter(country_id="SE").order_by("code"))
    ukrainian = list(Municipality.objects.filter(country_id="UA").order_by("code"))
    rng, seen, pairs = random.Random(20241216), set(), []
    while len(pairs) < n:
        s, u = rng.choice(swedish), rng.choice(ukrainian)
        if (s.pk, u.pk) not in seen:
            seen.add((s.pk, u.pk))
            pairs.append((s, u))
    return pairs


@transaction.atomic
def _create(network: Network, start: int, n: int) -> list[int]:
    areas = list(CooperationArea.objects.order_by("slug"))
    goals, tags = list(Goal.objects.order_by("number")), list(Tag.objects.order_by("slug"))
    taken = set(
        Partnership.objects.filter(network=network).values_list("swedish_partner_id", "partner_id")
    )
    rng, now, rows = random.Random(start), timezone.now(), []
    for i, (s, u) in enumerate(_pairs(n)):
        if (s.pk, u.pk) in taken:
            continue
        topic = TOPICS[i % len(TOPICS)]
        rows.append(_partnership(i, s, u, network, areas[i % len(areas)], topic, rng, now))
        if len(taken) + len(rows) >= n:
            break
    created = Partnership.objects.bulk_create(rows, batch_size=1000)
    ids = [p.pk for p in created]
    if not all(ids):  # databases that do not return ids
        ids = list(
            Partnership.objects.filter(slug__in=[p.slug for p in rows]).values_list("pk", flat=True)
        )
    Through = Partnership.goals.through
    Through.objects.bulk_create(
        [Through(partnership_id=pk, goal_id=goals[(pk * 7) % 17].pk) for pk in ids]
        + [Through(partnership_id=pk, goal_id=16) for pk in ids if (pk * 7) % 17 != 15],
        batch_size=2000,
    )
    TagThrough = Partnership.tags.through
    TagThrough.objects.bulk_create(
        [TagThrough(partnership_id=pk, tag_id=tags[pk % len(tags)].pk) for pk in ids],
        batch_size=2000,
    )
    return ids


def _partnership(i, s, u, network, area, topic, rng, now) -> Partnership:
    texts = {}
    for lang, k in (("sv", 0), ("en", 1), ("uk", 2)):
        texts[f"summary_{lang}"] = topic[k] + "."
        texts[f"description_{lang}"] = topic[k] + ". " + TAIL[k]
        word = {"sv": "och", "en": "and", "uk": "і"}[lang]
        texts[f"title_{lang}"] = f"{getattr(s, f'name_{lang}')} {word} {getattr(u, f'name_{lang}')}"
    year = 2016 + i % 9
    return Partnership(
        slug=f"gen-{s.code}-{u.code}".lower(),
        title=texts["title_sv"],
        summary=texts["summary_sv"],
        description=texts["description_sv"],
        **texts,
        swedish_partner=s,
        partner=u,
        network=network,
        area=area,
        phase=rng.choice(Partnership.Phase.values),
        status=rng.choice(Partnership.Status.values),
        start_date=date(year, 1 + i % 12, 1),
        end_date=date(year + 2, 1 + i % 12, 1),
        granted_amount=rng.randrange(100_000, 2_000_000, 10_000),
        publication="published" if i % 20 else "draft",
        published_at=now,
        source_language="sv",
        source_updated_at=now,
        translated_at={"en": now.isoformat(), "uk": now.isoformat()},
    )
