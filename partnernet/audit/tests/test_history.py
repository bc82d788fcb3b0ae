import pytest

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.audit.services import audit_record
from partnernet.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_officers_see_the_history_of_an_object(client, django_assert_max_num_queries):
    partnership = Partnership.objects.get(slug="falun-kolomyia")
    officer = User.objects.get(email="officer@icld.example")
    audit_record(actor=officer, action="publish", obj=partnership, reason="approved by the board")
    sign_in(client, officer)
    with django_assert_max_num_queries(12):
        response = client.get(f"/audit/partnerships.partnership/{partnership.pk}/")
    assert response.status_code == 200
    assert "approved by the board" in response.content.decode()


def test_coordinators_and_the_public_do_not_see_histories(client):
    partnership = Partnership.objects.get(slug="falun-kolomyia")
    url = f"/audit/partnerships.partnership/{partnership.pk}/"
    assert client.get(url).status_code == 302
    client.force_login(User.objects.get(email="falun@demo.example"))
    assert client.get(url).status_code == 403


def test_an_unknown_object_type_is_a_404(client):
    sign_in(client, User.objects.get(email="officer@icld.example"))
    assert client.get("/audit/nothing.here/1/").status_code == 404
    # Nothing ever existed there: 404. An object that is gone keeps its history.
    assert client.get("/audit/partnerships.partnership/not-a-number/").status_code == 404
    assert client.get("/audit/partnerships.partnership/999999/").status_code == 404
    audit_record(actor=None, action="delete", obj=Partnership(pk=999999, slug="gone"))
    assert client.get("/audit/partnerships.partnership/999999/").status_code == 200
