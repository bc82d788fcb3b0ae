"""Public calls (issue 12.2): `/<lang>/calls/` and `/<lang>/calls/<id>/` show open and upcoming
calls with their texts, ceilings, eligible costs and deadlines in Stockholm and Kyiv time;
officers create, edit, open and close calls in three languages. Refusals first."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from partnernet.accounts.testing import sign_in
from partnernet.audit.models import AuditEntry

from .. import services
from ..models import Call, CallState
from ..selectors import calls_open_for_application
from . import factories as f

pytestmark = pytest.mark.django_db

TEXTS = {
    "title_sv": "Projekt 2027",
    "title_uk": "Проєкти 2027",
    "title_en": "Projects 2027",
    "guidelines_sv": "Två till tre års samarbete.",
    "guidelines_uk": "Співпраця від двох до трьох років.",
    "guidelines_en": "Two to three years of cooperation.",
    "eligibility_sv": "Kommuner i nätverket.",
    "eligibility_uk": "Громади мережі.",
    "eligibility_en": "Municipalities in the network.",
    "criteria_sv": "Relevans och genomförbarhet.",
    "criteria_uk": "Доречність і здійсненність.",
    "criteria_en": "Relevance and feasibility.",
}


def translated() -> dict:
    """Texts with their English and Ukrainian translations brought up to date now."""
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    texts = {key: value for key, value in TEXTS.items() if not key.startswith("title_")}
    return {**texts, "translated_at": {"en": later, "uk": later}}


def officer_client() -> Client:
    return sign_in(Client(), f.officer())


def form_data(**changes) -> dict:
    return {
        "network": f.network().pk,
        "component": "project",
        "region": "europe",
        "source_language": "sv",
        **TEXTS,
        "opens_at": "2027-01-10T08:00",
        "closes_at": "2027-03-01T16:00",
        "budget": "9000000",
        **changes,
    }


def draft(**changes) -> Call:
    values = {key: value for key, value in TEXTS.items() if not key.startswith("title_")}
    return f.call(state=CallState.DRAFT, **{**values, "guidelines": "x", **changes})


# Refusals ---------------------------------------------------------------------------------------
def test_a_draft_call_has_no_public_page_and_is_not_listed():
    call = draft(title_en="Secret draft")
    for lang in ("sv", "uk", "en"):
        assert Client().get(f"/{lang}/calls/{call.pk}/").status_code == 404
    listing = Client().get("/en/calls/").content.decode()
    assert "Secret draft" not in listing
    assert call not in calls_open_for_application()


def test_a_closed_call_has_no_public_page_and_is_listed_as_past_without_a_link():
    call = f.call(state=CallState.CLOSED, title_en="Old call 2025")
    assert Client().get(f"/en/calls/{call.pk}/").status_code == 404
    listing = Client().get("/en/calls/").content.decode()
    assert "Old call 2025" in listing
    assert f"/en/calls/{call.pk}/" not in listing
    assert call not in calls_open_for_application()


def test_an_unknown_call_is_404():
    assert Client().get("/en/calls/999999/").status_code == 404
    assert officer_client().get("/en/grants/calls/999999/edit/").status_code == 404


def test_coordinators_may_not_edit_open_or_close_a_call():
    call = draft()
    coordinator = sign_in(Client(), f.coordinator(f.pair(0)[0]))
    assert coordinator.get(f"/en/grants/calls/{call.pk}/edit/").status_code == 403
    assert coordinator.post(f"/en/grants/calls/{call.pk}/edit/", form_data()).status_code == 403
    assert coordinator.post(f"/en/grants/calls/{call.pk}/open/").status_code == 403
    assert coordinator.post(f"/en/grants/calls/{call.pk}/close/").status_code == 403
    call.refresh_from_db()
    assert call.state == CallState.DRAFT and call.title_en == "Test call"


def test_the_public_may_not_reach_the_officer_screens():
    call = draft()
    response = Client().get(f"/en/grants/calls/{call.pk}/edit/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("lang", "changes", "message"),
    [
        ("en", {"closes_at": "2027-01-01T08:00"}, "The call must close after it opens."),
        ("sv", {"closes_at": "2027-01-01T08:00"}, "Utlysningen måste stänga efter att den öppnar."),
        ("uk", {"closes_at": "2027-01-01T08:00"}, "Конкурс має закриватися після відкриття."),
        ("en", {"title_sv": ""}, "Write the title in the original language of the texts."),
        ("sv", {"title_sv": ""}, "Skriv titeln på texternas originalspråk."),
        (
            "uk",
            {"source_language": "uk", "title_uk": ""},
            "Напишіть назву мовою оригіналу текстів.",
        ),
        ("en", {"budget": "-5"}, "The budget cannot be negative."),
        ("uk", {"budget": "-5"}, "Бюджет не може бути від’ємним."),
        ("sv", {"opens_at": "not a date"}, "Fyll i ett giltigt datum/tid."),
    ],
)
def test_bad_input_is_refused_with_a_translated_message(lang, changes, message):
    client = officer_client()
    before = Call.objects.count()
    response = client.post(f"/{lang}/grants/calls/new/", form_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Call.objects.count() == before
    call = draft()
    edited = client.post(f"/{lang}/grants/calls/{call.pk}/edit/", form_data(**changes))
    assert edited.status_code == 400 and message in edited.content.decode()
    call.refresh_from_db()
    assert call.title_en == "Test call"  # nothing written


def test_a_call_without_its_texts_cannot_be_opened():
    call = f.call(state=CallState.DRAFT)  # a title, no guidelines, eligibility or criteria
    client = officer_client()
    response = client.post(f"/sv/grants/calls/{call.pk}/open/", follow=True)
    page = response.content.decode()
    assert "Skriv de här texterna på utlysningens originalspråk innan du öppnar den" in page
    assert "riktlinjer" in page
    call.refresh_from_db()
    assert call.state == CallState.DRAFT
    assert Client().get(f"/en/calls/{call.pk}/").status_code == 404


def test_a_step_the_state_does_not_allow_is_refused_in_words():
    call = draft()
    client = officer_client()
    response = client.post(f"/en/grants/calls/{call.pk}/close/", follow=True)
    assert "This step is not possible while the call is draft." in response.content.decode()
    call.refresh_from_db()
    assert call.state == CallState.DRAFT


# The officer's lifecycle ------------------------------------------------------------------------
def test_an_officer_creates_a_draft_in_three_languages_opens_it_and_closes_it():
    client = officer_client()
    response = client.post("/en/grants/calls/new/", form_data())
    assert response.status_code == 302
    call = Call.objects.get(title_sv="Projekt 2027")
    assert call.state == CallState.DRAFT
    assert (call.source_language, call.guidelines_sv) == ("sv", "Två till tre års samarbete.")
    assert call.guidelines_uk == "Співпраця від двох до трьох років."
    assert call.closes_at == datetime(2027, 3, 1, 15, 0, tzinfo=UTC)  # 16:00 in Stockholm
    assert Client().get(f"/en/calls/{call.pk}/").status_code == 404  # a draft

    assert client.post(f"/en/grants/calls/{call.pk}/open/").status_code == 302
    call.refresh_from_db()
    assert call.state == CallState.PUBLISHED
    assert Client().get(f"/uk/calls/{call.pk}/").status_code == 200

    assert client.post(f"/en/grants/calls/{call.pk}/close/").status_code == 302
    call.refresh_from_db()
    assert call.state == CallState.CLOSED
    assert Client().get(f"/en/calls/{call.pk}/").status_code == 404
    actions = list(
        AuditEntry.objects.filter(object_type="grants.call", object_id=str(call.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "open", "close"]


def test_editing_the_original_puts_the_translations_out_of_date_on_the_public_page():
    call = services.call_create(
        actor=f.officer(),
        network=f.network(),
        component="project",
        region="europe",
        texts=TEXTS,
    )
    call = services.call_open(actor=f.officer(email="second@icld.example"), call=call)
    uk = Client().get(f"/uk/calls/{call.pk}/").content.decode()
    assert "Співпраця від двох до трьох років." in uk
    assert "older than the original" not in uk and "старіший за оригінал" not in uk

    client = officer_client()
    edited = form_data(guidelines_sv="Två till tre års samarbete, med styrgrupp.")
    assert client.post(f"/en/grants/calls/{call.pk}/edit/", edited).status_code == 302
    call.refresh_from_db()
    assert call.translation_state("uk") == "outdated"
    uk = Client().get(f"/uk/calls/{call.pk}/").content.decode()
    assert 'lang="sv"' in uk and "Två till tre års samarbete, med styrgrupp." in uk
    assert "Переклад цього тексту старіший за оригінал" in uk
    entry = AuditEntry.objects.filter(object_id=str(call.pk), action="update").get()
    assert entry.after["guidelines_sv"] == "Två till tre års samarbete, med styrgrupp."
    assert "guidelines_uk" not in entry.after  # the translation itself did not change


def test_saving_an_unchanged_call_writes_nothing():
    call = services.call_create(
        actor=f.officer(), network=f.network(), component="project", region="europe", texts=TEXTS
    )
    stamp = call.source_updated_at
    services.call_update(actor=f.officer(), call=call, facts={}, texts=TEXTS)
    call.refresh_from_db()
    assert call.source_updated_at == stamp
    assert not AuditEntry.objects.filter(object_id=str(call.pk), action="update").exists()


# The public pages -------------------------------------------------------------------------------
def test_the_deadline_is_shown_in_stockholm_and_kyiv_time():
    call = f.call(
        **translated(),
        opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        closes_at=datetime(2030, 3, 1, 15, 0, tzinfo=UTC),
    )
    for lang, stockholm, kyiv in (
        ("en", "Stockholm time", "Kyiv time"),
        ("sv", "svensk tid", "Kyivtid"),
        ("uk", "за стокгольмським часом", "за київським часом"),
    ):
        page = Client().get(f"/{lang}/calls/{call.pk}/").content.decode()
        assert f"2030-03-01 16:00</time> {stockholm} (2030-03-01 17:00 {kyiv})" in page


def test_the_call_page_shows_its_texts_ceiling_and_costs():
    call = f.call(**translated())
    page = Client().get(f"/en/calls/{call.pk}/").content.decode()
    for text in (
        "Test call",
        "Two to three years of cooperation.",
        "Municipalities in the network.",
        "Relevance and feasibility.",
        "SEK\xa0220,000",  # the inception ceiling in Europe
        "Salaries",  # not eligible, with its explanation
        "Open: applications are welcome.",
        "none: applications are welcome all year",
    ):
        assert text in page, text


def test_how_to_apply_depends_on_who_reads():
    call = f.call()
    anonymous = Client().get(f"/en/calls/{call.pk}/").content.decode()
    assert "/accounts/login/?next=/en/grants/" in anonymous
    coordinator = sign_in(Client(), f.coordinator(f.pair(0)[0]))
    page = coordinator.get(f"/en/calls/{call.pk}/").content.decode()
    assert 'href="/en/grants/#start-heading"' in page and "Start an application" in page


def test_open_upcoming_and_past_calls_are_listed_apart(django_assert_max_num_queries):
    now = timezone.now()
    f.call(title_en="Open now", closes_at=now + timedelta(days=30))
    f.call(title_en="Opens later", opens_at=now + timedelta(days=10))
    f.call(title_en="Deadline passed", closes_at=now - timedelta(days=1))
    with django_assert_max_num_queries(6):
        page = Client().get("/en/calls/").content.decode()
    opened, upcoming, past = (
        page.index("Open calls"),
        page.index("Upcoming calls"),
        page.index("Past calls"),
    )
    assert opened < page.index("Open now") < upcoming < page.index("Opens later") < past
    assert past < page.index("Deadline passed")


def test_the_list_query_count_does_not_grow_with_the_calls(django_assert_max_num_queries):
    for index in range(20):
        f.call(title_en=f"Call {index}")
    with django_assert_max_num_queries(6):
        assert Client().get("/sv/calls/").status_code == 200
