import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from partnernet.audit.models import AuditEntry
from partnernet.matchmaking.demo import matchmaking_demo_load
from partnernet.matchmaking.models import InterestProfile, QueueEntry, QueueMove

pytestmark = pytest.mark.django_db


def suggest(*args) -> list[dict]:
    out = StringIO()
    call_command("suggest_partners", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_falun_gets_kolomyia_first_and_every_candidate_has_reasons():
    rows = suggest("2080", "--top", "5")
    assert len(rows) == 5
    assert rows[0]["code"] == "UA26080070000092582"
    assert rows[0]["already_partners"] and not rows[0]["proposable"]
    assert all(row["reasons"] and {"code", "name", "score"} <= row.keys() for row in rows)
    assert all(not row["code"].isdigit() for row in rows)  # only the other side


def test_a_need_in_ukrainian_finds_falun():
    rows = suggest("--need-text", "Водопостачання та поводження з відходами", "--top", "3")
    assert "2080" in [row["code"] for row in rows]
    assert all(row["code"].isdigit() for row in rows)


def test_reasons_speak_the_terminals_language(monkeypatch):
    monkeypatch.setenv("PARTNERNET_LANGUAGE", "en")
    rows = suggest("2080", "--top", "1")
    assert "Falun offers waste management, which Kolomyia asks for" in rows[0]["reasons"]


def test_unknown_codes_and_empty_needs_are_clear_errors():
    with pytest.raises(CommandError):
        call_command("suggest_partners", "9999")
    with pytest.raises(CommandError):
        call_command("suggest_partners", "--need-text", "   ")
    with pytest.raises(CommandError):
        call_command("suggest_partners")


def test_the_demo_has_profiles_history_and_marked_examples_and_runs_again_safely():
    assert InterestProfile.objects.filter(is_example=False).count() == 12
    examples = InterestProfile.objects.filter(is_example=True).select_related("municipality")
    assert {p.municipality.country_id for p in examples} == {"SE", "UA"}
    assert all("(" in p.original_text() for p in examples)
    granted = QueueEntry.objects.filter(stage="granted")
    assert granted.count() == 12
    assert QueueMove.objects.filter(entry=granted[0]).count() == 5
    before = (
        QueueMove.objects.count(),
        AuditEntry.objects.count(),
        InterestProfile.objects.count(),
    )
    matchmaking_demo_load()
    after = (QueueMove.objects.count(), AuditEntry.objects.count(), InterestProfile.objects.count())
    assert before == after
