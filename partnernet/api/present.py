"""Plain dicts for API responses, built from model instances in one language.

Pure functions (no queries beyond the relations the selectors already loaded), so the same
shapes are produced for every page and tested without HTTP.
"""

from partnernet.lib.languages import LANGUAGES, best_text
from partnernet.municipalities.names import display_name
from partnernet.partnerships.projection import hidden, public_partnership


def translated(obj, field: str, lang: str) -> str:
    """The field's best text for a reader of `lang` (`lib.languages.best_text`)."""
    return best_text(obj, field, lang)[0]


def municipality_ref(municipality, lang: str) -> dict:
    return {
        "code": municipality.code,
        "name": display_name(municipality, lang),
        "country": municipality.country_id,
    }


def municipality(item, lang: str) -> dict:
    return {
        **municipality_ref(item, lang),
        "kind": item.kind,
        "official_name": item.official_name,
        "name_latin": item.name_latin,
        "region": display_name(item.region, lang) if item.region_id else None,
        "population": item.population,
        "population_date": item.population_date,
        "latitude": item.latitude,
        "longitude": item.longitude,
    }


def partnership(item, lang: str, base_url: str = "", *, include_private: bool = False) -> dict:
    """The public representation, read from the public projection: the keys of fields kept
    private are left out entirely (the schema makes each of them optional)."""
    if not include_private:
        item = public_partnership(item)
    data = {
        "slug": item.slug,
        "url": f"{base_url}/{lang}/partnerships/{item.slug}/",
        "language": lang,
        "translation": item.translation_state(lang),
        "title": translated(item, "title", lang),
        "summary": translated(item, "summary", lang),
        "description": translated(item, "description", lang),
        "swedish_partner": municipality_ref(item.swedish_partner, lang),
        "partner": municipality_ref(item.partner, lang) if item.partner else None,
        "network": {"slug": item.network.slug, "name": translated(item.network, "name", lang)},
        "area": {
            "slug": item.area.slug,
            "name": translated(item.area, "name", lang),
            "dac_sector": item.area.dac_sector,
        },
        "goals": [goal.number for goal in item.goals.all()],
        "tags": [{"slug": t.slug, "name": translated(t, "name", lang)} for t in item.tags.all()],
        "phase": item.phase,
        "status": item.status,
        "start_date": item.start_date,
        "end_date": item.end_date,
        "granted_amount": int(item.granted_amount) if item.granted_amount is not None else None,
        "currency": "SEK",
        "published_at": item.published_at,
    }
    for key in () if include_private else hidden(item):
        data.pop(key, None)
    return data


def own_partnership(item, lang: str, base_url: str = "") -> dict:
    """Everything, private fields included: only for the partnership's coordinators."""
    data = partnership(item, lang, base_url, include_private=True)
    data.update(
        is_published=item.is_published,
        private_fields=list(item.private_fields or ()),
        source_language=item.source_language,
        texts={
            code: {
                "summary": getattr(item, f"summary_{code}") or "",
                "description": getattr(item, f"description_{code}") or "",
            }
            for code in LANGUAGES
        },
    )
    return data
