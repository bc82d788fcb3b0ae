"""The publication lifecycle and field privacy: refusals first, then what the public sees.

The table of allowed transitions is written by hand from the issue (draft → published →
withdrawn → published again, or back to draft), not read from the model."""

import re

import pytest
from django.test import Client
from django.utils import translation

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.audit.models import AuditEntry
from partnernet.catalogue.models import SearchDocument
from partnernet.lib import embeddings
from partnernet.partnerships.models import PRIVATISABLE_FIELDS, Partnership
from partnernet.partnerships.services import (
    PublicationRefused,
    partnership_field_hide,
    partnership_field_show,
    partnership_publish,
    partnership_return_to_draft,
    partnership_withdraw,
)

SLUG = "umea-kherson"
TITLE_EN = "Umeå and Kherson"
SCREEN = f"/en/partnerships/{SLUG}/publication/"
OFFICER = "officer@icld.example"
QUERIES = 8  # session, user, two factors, roles, the partnership and its tags: 6 today

ALLOWED = {
    ("draft", "publish"): "published",
    ("draft", "withdraw"): None,
    ("draft", "return_to_draft"): None,
    ("published", "publish"): None,
    ("published", "withdraw"): "withdrawn",
    ("published", "return_to_draft"): None,
    ("withdrawn", "publish"): "published",
    ("withdrawn", "withdraw"): None,
    ("withdrawn", "return_to_draft"): "draft",
}


def _act(partnership, action, actor=None):
    if action == "publish":
        return partnership_publish(partnership=partnership, actor=actor)
    if action == "withdraw":
        return partnership_withdraw(partnership=partnership, actor=actor, reason="safety")
    return partnership_return_to_draft(partnership=partnership, actor=actor)


def _in_state(state: str) -> Partnership:
    # `.update` writes the row without the model (the way a test sets up a state).
    Partnership.objects.filter(slug=SLUG).update(publication=state)
    return Partnership.objects.get(slug=SLUG)


def _officer() -> User:
    return User.objects.get(email=OFFICER)


def slugs(response) -> list[str]:
    return re.findall(r'<h3><a href="/\w\w/partnerships/([^/]+)/', response.content.decode())


# Refusals ----------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(("state", "action"), [k for k, v in ALLOWED.items() if v is None])
def test_an_illegal_transition_is_refused_and_changes_nothing(state, action):
    partnership = _in_state(state)
    entries = AuditEntry.objects.count()
    with pytest.raises(PublicationRefused) as refusal:
        _act(partnership, action)
    assert refusal.value.message
    assert Partnership.objects.get(slug=SLUG).publication == state
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_assigning_the_publication_directly_raises():
    partnership = Partnership.objects.get(slug=SLUG)
    with pytest.raises(AttributeError):
        partnership.publication = "draft"
    with pytest.raises(AttributeError):
        partnership.is_published = False


@pytest.mark.django_db
def test_refresh_from_db_still_works_on_the_protected_field():
    partnership = Partnership.objects.get(slug=SLUG)
    Partnership.objects.filter(pk=partnership.pk).update(publication="withdrawn")
    partnership.refresh_from_db()
    assert partnership.publication == "withdrawn"


@pytest.mark.django_db
def test_a_partnership_without_any_text_cannot_be_published():
    blank = {f"{f}_{lang}": "" for f in ("summary", "description") for lang in ("sv", "uk", "en")}
    Partnership.objects.filter(slug=SLUG).update(publication="draft", **blank)
    with translation.override("en"), pytest.raises(PublicationRefused) as refusal:
        partnership_publish(partnership=Partnership.objects.get(slug=SLUG), actor=None)
    assert "needs a title, both partners and a focus or description" in refusal.value.message
    assert Partnership.objects.get(slug=SLUG).publication == "draft"


@pytest.mark.django_db
def test_withdrawing_needs_a_reason():
    partnership = Partnership.objects.get(slug=SLUG)
    with pytest.raises(PublicationRefused):
        partnership_withdraw(partnership=partnership, actor=None, reason="  ")
    assert Partnership.objects.get(slug=SLUG).publication == "published"


@pytest.mark.django_db
def test_hiding_a_field_without_a_reason_is_refused():
    partnership = Partnership.objects.get(slug=SLUG)
    for reason in ("", "   "):
        with pytest.raises(PublicationRefused):
            partnership_field_hide(
                partnership=partnership, field="partner", reason=reason, actor=None
            )
    assert Partnership.objects.get(slug=SLUG).private_fields == []


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["title", "slug", "publication", "private_fields", "", "x" * 300])
def test_hiding_or_showing_a_field_that_cannot_be_private_is_refused(field):
    partnership = Partnership.objects.get(slug=SLUG)
    with pytest.raises(PublicationRefused):
        partnership_field_hide(partnership=partnership, field=field, reason="safety", actor=None)
    with pytest.raises(PublicationRefused):
        partnership_field_show(partnership=partnership, field=field, actor=None)


@pytest.mark.django_db
def test_showing_a_field_that_is_already_public_is_refused():
    with pytest.raises(PublicationRefused):
        partnership_field_show(
            partnership=Partnership.objects.get(slug=SLUG), field="summary", actor=None
        )


def test_the_privatisable_fields_are_the_ones_the_issue_names():
    assert PRIVATISABLE_FIELDS == (
        "partner",
        "summary",
        "description",
        "tags",
        "start_date",
        "end_date",
        "granted_amount",
    )


# What is allowed, and its audit ------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(("state", "action"), [k for k, v in ALLOWED.items() if v])
def test_an_allowed_transition_is_made_and_audited(state, action):
    partnership = _in_state(state)
    officer = _officer()
    result = _act(partnership, action, actor=officer)
    assert result.publication == ALLOWED[(state, action)]
    assert Partnership.objects.get(slug=SLUG).publication == ALLOWED[(state, action)]
    entry = AuditEntry.objects.filter(object_id=str(partnership.pk)).latest("pk")
    assert entry.action == action and entry.actor == officer
    assert entry.before == {"publication": state}
    assert entry.after == {"publication": ALLOWED[(state, action)]}


@pytest.mark.django_db
def test_first_publication_sets_published_at_and_a_later_one_keeps_it():
    Partnership.objects.filter(slug=SLUG).update(publication="draft", published_at=None)
    first = partnership_publish(partnership=Partnership.objects.get(slug=SLUG), actor=None)
    assert first.published_at is not None
    partnership_withdraw(partnership=first, actor=None, reason="safety")
    again = partnership_publish(partnership=first, actor=None)
    assert again.published_at == first.published_at


@pytest.mark.django_db
def test_hiding_and_showing_a_field_is_audited_with_its_reason():
    officer = _officer()
    partnership = Partnership.objects.get(slug=SLUG)
    hidden = partnership_field_hide(
        partnership=partnership, field="partner", reason="Names people at risk", actor=officer
    )
    assert hidden.private_fields == ["partner"]
    assert hidden.private_reasons == {"partner": "Names people at risk"}
    entry = AuditEntry.objects.filter(object_id=str(partnership.pk)).latest("pk")
    assert (entry.action, entry.reason, entry.actor) == (
        "field_hide",
        "Names people at risk",
        officer,
    )
    shown = partnership_field_show(partnership=partnership, field="partner", actor=officer)
    assert shown.private_fields == [] and shown.private_reasons == {}
    assert AuditEntry.objects.filter(object_id=str(partnership.pk)).latest("pk").action == (
        "field_show"
    )


# The public channels follow at once --------------------------------------------------------------
@pytest.mark.django_db
def test_after_withdrawal_the_page_is_gone_and_the_cached_list_no_longer_shows_it(client):
    assert SLUG in slugs(client.get("/en/partnerships/"))  # the list is now cached
    assert client.get(f"/en/partnerships/{SLUG}/").status_code == 200
    partnership_withdraw(
        partnership=Partnership.objects.get(slug=SLUG), actor=_officer(), reason="safety"
    )
    assert client.get(f"/en/partnerships/{SLUG}/").status_code == 404
    assert SLUG not in slugs(client.get("/en/partnerships/"))
    assert client.get(f"/api/v1/partnerships/{SLUG}").status_code == 404


@pytest.mark.django_db
def test_a_hidden_description_leaves_the_cached_page_and_the_search_at_once(client, monkeypatch):
    # Lexical search only: a one-word query would otherwise always return its nearest meaning.
    monkeypatch.setattr(embeddings, "embed_query", lambda text: None)
    words = "The goal is to build cities where everyone feels welcome"
    document = SearchDocument.objects.get(partnership__slug=SLUG)
    assert "welcom" in document.body.split()
    assert words in client.get(f"/en/partnerships/{SLUG}/").content.decode()
    assert slugs(client.get("/en/partnerships/", {"q": "welcome"})) == [SLUG]
    partnership_field_hide(
        partnership=Partnership.objects.get(slug=SLUG),
        field="description",
        reason="safety",
        actor=_officer(),
    )
    assert words not in client.get(f"/en/partnerships/{SLUG}/").content.decode()
    assert slugs(client.get("/en/partnerships/", {"q": "welcome"})) == []
    reindexed = SearchDocument.objects.get(partnership__slug=SLUG)
    assert "welcom" not in reindexed.body.split()
    if embeddings.available():  # the meaning stored is of the public text only
        assert reindexed.embedded_hash != document.embedded_hash


# The officer's screen ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_anonymous_people_are_sent_to_sign_in():
    response = Client().get(SCREEN)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    response = Client().post(SCREEN, {"operation": "withdraw", "reason": "x"})
    assert response.status_code == 302
    assert Partnership.objects.get(slug=SLUG).publication == "published"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email",
    [
        "umea@demo.example",
        "falun@demo.example",
        "member@demo.example",
        "steering@demo.example",
        "reviewer@icld.example",
        "finance@icld.example",
        "network@icld.example",
    ],
)
def test_everyone_but_programme_officers_is_refused_the_screen(email):
    client = sign_in(Client(), User.objects.get(email=email))
    assert client.get(SCREEN).status_code == 403
    response = client.post(SCREEN, {"operation": "withdraw", "reason": "x"})
    assert response.status_code == 403
    assert Partnership.objects.get(slug=SLUG).publication == "published"


@pytest.mark.django_db
def test_an_unknown_partnership_is_not_found_for_officers_too():
    client = sign_in(Client(), _officer())
    assert client.get("/en/partnerships/no-such-thing/publication/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"operation": "explode"},
        {"operation": "hide"},
        {"operation": "hide", "field": "title", "reason": "x"},
        {"operation": "hide", "field": "partner", "reason": ""},
        {"operation": "hide", "field": "partner", "reason": "x" * 501},
        {"operation": "publish"},
        {"operation": "return_to_draft"},
        {"operation": "withdraw", "reason": ""},
        {"operation": "show", "field": "summary"},
    ],
)
def test_bad_or_refused_posts_re_render_with_an_error_and_change_nothing(data):
    client = sign_in(Client(), _officer())
    before = AuditEntry.objects.count()
    response = client.post(SCREEN, data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    partnership = Partnership.objects.get(slug=SLUG)
    assert (partnership.publication, partnership.private_fields) == ("published", [])
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_refusal_is_explained_in_the_readers_language():
    client = sign_in(Client(), _officer())
    body = client.post(
        f"/sv/partnerships/{SLUG}/publication/", {"operation": "publish"}
    ).content.decode()
    assert "Det går inte medan partnerskapet är publicerat." in body


@pytest.mark.django_db
def test_the_screen_offers_only_what_the_state_allows():
    client = sign_in(Client(), _officer())
    body = client.get(SCREEN).content.decode()
    assert 'value="withdraw"' in body
    assert 'value="publish"' not in body and 'value="return_to_draft"' not in body
    assert body.count('value="hide"') == 7
    _in_state("withdrawn")
    body = client.get(SCREEN).content.decode()
    assert 'value="publish"' in body and 'value="return_to_draft"' in body
    assert 'value="withdraw"' not in body


@pytest.mark.django_db
def test_an_officer_withdraws_hides_and_publishes_through_the_screen(client):
    officer_client = sign_in(Client(), _officer())
    response = officer_client.post(SCREEN, {"operation": "withdraw", "reason": "war zone"})
    assert response.status_code == 302 and response["Location"] == SCREEN
    assert "withdrawn from the public site" in officer_client.get(SCREEN).content.decode()
    assert client.get(f"/en/partnerships/{SLUG}/").status_code == 404
    response = officer_client.post(
        SCREEN, {"operation": "hide", "field": "partner", "reason": "names a person"}
    )
    assert response.status_code == 302
    response = officer_client.post(SCREEN, {"operation": "publish"})
    assert response.status_code == 302
    partnership = Partnership.objects.get(slug=SLUG)
    assert partnership.publication == "published"
    assert partnership.private_fields == ["partner"]
    assert partnership.private_reasons == {"partner": "names a person"}
    actions = list(
        AuditEntry.objects.filter(object_id=str(partnership.pk))
        .order_by("-pk")
        .values_list("action", flat=True)[:3]
    )
    assert actions == ["publish", "field_hide", "withdraw"]


@pytest.mark.django_db
def test_the_screen_is_linked_from_the_public_page_for_officers_only(client):
    link = f'href="/en/partnerships/{SLUG}/publication/"'
    assert link not in client.get(f"/en/partnerships/{SLUG}/").content.decode()
    officer_client = sign_in(Client(), _officer())
    assert link in officer_client.get(f"/en/partnerships/{SLUG}/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "uk", "en"])
def test_the_screen_answers_in_three_languages(language):
    client = sign_in(Client(), _officer())
    response = client.get(f"/{language}/partnerships/{SLUG}/publication/")
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


@pytest.mark.django_db
def test_the_screen_reads_in_a_few_queries(django_assert_max_num_queries):
    client = sign_in(Client(), _officer())
    client.get(SCREEN)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(SCREEN).status_code == 200
