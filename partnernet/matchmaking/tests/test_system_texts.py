"""Queue history written by the system is a message key, read in each reader's language; the
data migration turns what was stored already translated into keys (issue 12.4)."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests.factories import UserFactory
from partnernet.accounts.tests.factories import officer as make_officer
from partnernet.lib.systemtext import is_system_text, render, system_text
from partnernet.matchmaking.models import QueueEntry, QueueMove

from . import factories

pytestmark = pytest.mark.django_db
migration = importlib.import_module("partnernet.matchmaking.migrations.0005_system_texts")


def _move(reason: str, **extra) -> QueueMove:
    network, place = factories.network(), factories.municipality("UA")
    entry = QueueEntry.objects.create(municipality=place, network=network)
    return QueueMove.objects.create(entry=entry, kind=QueueMove.Kind.JOIN, reason=reason, **extra)


def test_a_persons_reason_and_name_are_left_as_they_were():
    officer = UserFactory(full_name="Anna Andersson")
    move = _move("Asked by the hromada in March", actor=None, actor_label="erased person #3")
    migration.forwards(apps, None)
    move.refresh_from_db()
    assert move.reason == "Asked by the hromada in March"
    assert move.actor_label == "erased person #3"  # a pseudonym with no account behind it
    assert officer.full_name == "Anna Andersson"


def test_old_system_reasons_in_any_language_become_keys_and_names_are_no_longer_stored():
    person = UserFactory(full_name="Anna Andersson")
    english = _move("Matched by ICLD", actor_label="system")
    swedish = _move(
        "Båda sidor accepterade matchningen Umeå – Cherson",
        actor=person,
        actor_label="Anna Andersson",
    )
    migration.forwards(apps, None)
    english.refresh_from_db()
    swedish.refresh_from_db()
    assert english.reason == system_text("Matched by ICLD") and english.actor_label == ""
    assert is_system_text(swedish.reason) and swedish.actor_label == ""
    assert render(swedish.reason, "en") == "Both sides accepted the match Umeå – Cherson"


def test_the_entry_page_shows_the_reason_and_the_mover_in_the_readers_language():
    move = _move(system_text("Matched by ICLD"))
    client = sign_in(Client(), make_officer())
    url = f"/uk/queue/{move.entry.network.slug}/entries/{move.entry.pk}/"
    html = client.get(url).content.decode()
    assert "Пару утворено ICLD" in html and "Matched by ICLD" not in html
    assert "система" in html  # moved by the system, named in the reader's language
    assert "system_text" not in html
