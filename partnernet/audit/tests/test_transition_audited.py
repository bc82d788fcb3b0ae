"""The one audited state change: a refused step writes nothing; an allowed one saves the state
and writes one entry with the state before and after."""

import pytest
from django_fsm import TransitionNotAllowed

from partnernet.audit.models import AuditEntry
from partnernet.audit.services import transition_audited
from partnernet.partnerships.models import Partnership

pytestmark = pytest.mark.django_db
SLUG = "lidingo-slavuta"


def _in(state: str) -> Partnership:
    Partnership.objects.filter(slug=SLUG).update(publication=state)
    return Partnership.objects.get(slug=SLUG)


def test_a_step_the_state_does_not_allow_saves_nothing_and_audits_nothing():
    partnership = _in("draft")
    entries = AuditEntry.objects.count()
    with pytest.raises(TransitionNotAllowed):
        transition_audited(obj=partnership, action="withdraw", field="publication", actor=None)
    assert Partnership.objects.get(slug=SLUG).publication == "draft"
    assert AuditEntry.objects.count() == entries


def test_an_allowed_step_saves_the_state_and_writes_one_entry_with_before_and_after():
    partnership = _in("published")
    entries = AuditEntry.objects.count()
    transition_audited(
        obj=partnership, action="withdraw", field="publication", actor=None, reason="safety"
    )
    assert Partnership.objects.get(slug=SLUG).publication == "withdrawn"
    assert AuditEntry.objects.count() == entries + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.reason) == ("withdraw", "safety")
    assert (entry.before, entry.after) == (
        {"publication": "published"},
        {"publication": "withdrawn"},
    )
