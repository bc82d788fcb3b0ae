"""The one side vocabulary: grants' teams say `swedish` / `partner`, stored "se" is converted."""

import importlib

import pytest
from django.apps import apps

from partnernet.grants.models import Side, TeamMember
from partnernet.partnerships.models import PairSide

from . import factories as f

pytestmark = pytest.mark.django_db
migration = importlib.import_module("partnernet.grants.migrations.0004_pair_side")


def test_grants_side_is_the_pair_side():
    assert Side is PairSide
    assert PairSide.values == ["swedish", "partner"]
    assert [PairSide.SWEDISH.field, PairSide.PARTNER.field] == ["swedish_partner", "partner"]


def test_the_data_migration_turns_se_into_swedish_and_back():
    application, _writer = f.complete_application(f.call())
    TeamMember.objects.filter(application=application, side="swedish").update(side="se")
    migration.forwards(apps, None)
    sides = set(TeamMember.objects.filter(application=application).values_list("side", flat=True))
    assert sides == {"swedish", "partner"}
    migration.backwards(apps, None)
    sides = set(TeamMember.objects.filter(application=application).values_list("side", flat=True))
    assert sides == {"se", "partner"}
