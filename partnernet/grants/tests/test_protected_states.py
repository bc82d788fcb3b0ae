"""States change only through the guarded transitions: assigning a state raises, the admin
cannot delete an application or edit its state."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests.factories import officer
from partnernet.grants.admin import ApplicationAdmin
from partnernet.grants.models import Application
from partnernet.matchmaking.models import LetterOfIntent, MatchProposal, QueueEntry
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network


def _proposal() -> MatchProposal:
    """The demo data has no proposal: one between Falun and another Ukrainian municipality."""
    falun = Municipality.objects.get(code="2080")
    partner = Municipality.objects.filter(country_id="UA").order_by("pk").first()
    network = Network.objects.get(slug="democratic-resilience")
    return MatchProposal.objects.create(network=network, swedish_partner=falun, partner=partner)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Application, "state", "granted"),
        (QueueEntry, "stage", "matched"),
        (MatchProposal, "status", "accepted"),
        (LetterOfIntent, "status", "confirmed"),
    ],
)
def test_assigning_a_state_after_loading_raises(model, field, value):
    obj = model.objects.order_by("pk").first() or _proposal()
    before = getattr(obj, field)
    with pytest.raises(AttributeError):
        setattr(obj, field, value)
    obj.refresh_from_db()  # FSMModelMixin: reloading the protected field still works
    assert getattr(obj, field) == before == getattr(model.objects.get(pk=obj.pk), field)


@pytest.mark.django_db
def test_the_admin_cannot_delete_an_application_or_edit_its_state():
    superuser = officer(is_superuser=True)
    request = RequestFactory().get("/admin/grants/application/")
    request.user = superuser
    model_admin = ApplicationAdmin(Application, admin.site)
    assert model_admin.has_delete_permission(request) is False
    assert model_admin.has_delete_permission(request, Application.objects.first()) is False
    assert "delete_selected" not in model_admin.get_actions(request)
    assert "state" in model_admin.get_readonly_fields(request)


@pytest.mark.django_db
def test_the_admin_delete_page_of_an_application_is_refused():
    application = Application.objects.order_by("pk").first()
    client = sign_in(Client(), officer(is_superuser=True))
    response = client.post(f"/admin/grants/application/{application.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Application.objects.filter(pk=application.pk).exists()
