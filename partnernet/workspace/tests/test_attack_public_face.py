"""Attacks on what the public reads of the plan: a private partner's name in a done public
activity's title, place and report (any spelling, joined by '_' or digits), a visit's
travelling side; activities not done or not public never shown."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from partnernet.accounts.models import User
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.projection import public_slug
from partnernet.partnerships.services import partnership_field_hide
from partnernet.workspace.models import Activity

from .conftest import OWN

pytestmark = pytest.mark.django_db


def test_a_hidden_partner_is_named_nowhere_in_the_public_activities():
    partnership = Partnership.objects.select_related("partner").get(slug=OWN)
    common = {"partnership": partnership, "starts_on": date(2025, 5, 1)}
    Activity.objects.create(
        **common,
        kind="visit",
        travelling_side="partner",
        title="Studiebesök_Kolomyia 2025",
        place="Kolomyia2025 rådhus",
        report="Vi träffade Коломийська громада och borgmästaren i Kolomyjas rådhus.",
        report_language="sv",
        status="done",
        is_public=True,
    )
    Activity.objects.create(
        **common, kind="workshop", title="Secret plan", status="planned", is_public=True
    )
    Activity.objects.create(
        **common, kind="workshop", title="Private done", status="done", is_public=False
    )
    officer = User.objects.get(email="officer@icld.example")
    partnership_field_hide(partnership=partnership, field="partner", reason="safety", actor=officer)
    partnership.refresh_from_db()
    page = Client().get(reverse("catalogue:partnership", kwargs={"slug": public_slug(partnership)}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Studiebes" in text  # the activity is there
    for name in ("Kolom", "kolom", "Колом", "колом"):
        assert name not in text, name
    assert "Secret plan" not in text and "Private done" not in text
