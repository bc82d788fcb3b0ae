"""Field-level rules: private fields of a partnership stay private on every public surface."""

import pytest

from partnernet.accounts.models import User
from partnernet.accounts.permissions import can_see_other_reviews
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.selectors import can_see_field

pytestmark = pytest.mark.django_db
SECRET = "Names of the civil servants in the shelter"


@pytest.fixture
def private_description():
    partnership = Partnership.objects.get(slug="falun-kolomyia")
    Partnership.objects.filter(pk=partnership.pk).update(
        description=SECRET,
        description_en=SECRET,
        description_sv=SECRET,
        description_uk=SECRET,
        private_fields=["description"],
    )
    partnership.refresh_from_db()
    return partnership


def test_private_fields_are_hidden_from_the_public(client, private_description):
    for url in [
        "/en/partnerships/falun-kolomyia/",
        "/sv/partnerships/falun-kolomyia/",
        "/api/v1/partnerships/falun-kolomyia",
        "/open-data/partnerships.csv",
    ]:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET not in body.decode(), url


def test_who_may_see_a_private_field(private_description):
    from django.contrib.auth.models import AnonymousUser

    own = User.objects.get(email="falun@demo.example")
    other = User.objects.get(email="umea@demo.example")
    officer = User.objects.get(email="officer@icld.example")
    assert not can_see_field(AnonymousUser(), private_description, "description")
    assert not can_see_field(other, private_description, "description")
    assert can_see_field(own, private_description, "description")
    assert can_see_field(officer, private_description, "description")
    assert can_see_field(AnonymousUser(), private_description, "title")


def test_a_reviewer_sees_other_reviews_only_after_submitting_their_own():
    reviewer = User.objects.get(email="reviewer@icld.example")
    officer = User.objects.get(email="officer@icld.example")
    assert not can_see_other_reviews(user=reviewer, has_submitted_own=False)
    assert can_see_other_reviews(user=reviewer, has_submitted_own=True)
    assert can_see_other_reviews(user=officer, has_submitted_own=False)
