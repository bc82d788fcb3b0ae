"""After the merge of the workspace wave: a manager uploads a meeting's material through the
documents app (its file checks apply), the registered download it through the documents app's
one streaming response, and the public partnership page names the public meetings the
partnership comes to (which meetings only, never who)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests.factories import officer
from partnernet.documents import samples
from partnernet.documents.models import Document
from partnernet.events import services
from partnernet.events.models import Event
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.selectors import partnership_public_get

from . import factories as f

pytestmark = pytest.mark.django_db
BASE = "/en/networks/democratic-resilience/events"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client: Client, event: Event, name: str, content: bytes):
    return client.post(
        f"{BASE}/{event.pk}/materials/",
        {
            "action": "upload",
            "upload-title": "Agenda and programme",
            "upload-category": "presentation",
            "upload-language": "en",
            "upload-file": SimpleUploadedFile(name, content),
        },
    )


# Refusals first ---------------------------------------------------------------------------------
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_shared():
    event = f.event()
    response = _upload(sign_in(Client(), officer()), event, "agenda.pdf", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400
    assert (
        event.materials.count() == 0 and Document.objects.filter(network=event.network).count() == 0
    )


def test_a_member_who_is_not_a_manager_may_not_upload_materials():
    event = f.event()
    response = _upload(sign_in(Client(), f.member()), event, "agenda.pdf", samples.pdf("agenda"))
    assert response.status_code == 403
    assert event.materials.count() == 0


def test_a_material_whose_file_is_gone_answers_404_not_500():
    event = f.event()
    manager = officer()
    _upload(sign_in(Client(), manager), event, "agenda.pdf", samples.pdf("agenda"))
    version = event.materials.get().versions.get()
    version.file.storage.delete(version.file.name)
    response = sign_in(Client(), manager).get(f"{BASE}/{event.pk}/materials/{version.document_id}/")
    assert response.status_code == 404


# What works -------------------------------------------------------------------------------------
def test_an_uploaded_material_is_the_network_s_shared_and_downloaded_by_the_registered():
    event = f.event()
    response = _upload(sign_in(Client(), officer()), event, "agenda.pdf", samples.pdf("agenda"))
    assert response.status_code == 302
    document = event.materials.get()
    assert document.network_id == event.network_id and document.partnership_id is None
    assert not document.is_published  # private to the participants, as every document
    person = f.member()
    services.registration_create(actor=person, event_id=event.pk)
    download = sign_in(Client(), person).get(f"{BASE}/{event.pk}/materials/{document.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def _meeting(title: str, days: int, **extra) -> Event:
    start = timezone.now() + timedelta(days=days)
    return f.event(
        title_sv=title,
        title_en=title,
        title_uk=title,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        **extra,
    )


def test_the_public_page_names_the_public_meetings_the_partnership_comes_to():
    shown = _meeting("Kick-off in Visby", 3)
    closed = _meeting("Closed working group", 4, is_public=False)
    _meeting("Meeting nobody of ours attends", 5)
    person = f.member()
    own = Partnership.objects.get(slug="falun-kolomyia")
    page = Client()
    with translation.override("en"):
        address = partnership_public_get(slug=own.slug).get_absolute_url()
    before = page.get(address)
    assert "Kick-off in Visby" not in before.content.decode()
    for event in (shown, closed):
        services.registration_create(actor=person, event_id=event.pk, partnership=own)
    # a browser holding the page's validator learns that it changed (no 304 with old meetings)
    again = page.get(address, HTTP_IF_NONE_MATCH=before["ETag"])
    assert again.status_code == 200
    html = again.content.decode()
    assert "Kick-off in Visby" in html
    assert "Closed working group" not in html
    assert "Meeting nobody of ours attends" not in html
    assert person.email not in html and (person.full_name or "@") not in html


# A manager cancels someone's registration --------------------------------------------------------
def test_only_a_manager_cancels_someone_else_s_registration():
    event = f.event(capacity=1)
    first, second = f.member(), f.member()
    services.registration_create(actor=first, event_id=event.pk)
    services.registration_create(actor=second, event_id=event.pk)
    taken = event.registrations.get(person=first)
    response = sign_in(Client(), second).post(
        f"{BASE}/{event.pk}/unregister/", {"registration": taken.pk}
    )
    assert response.status_code == 403  # they see the meeting, but managing it is not theirs
    taken.refresh_from_db()
    assert taken.status == "registered"


def test_a_registration_of_another_event_is_404_under_this_one():
    event, other = f.event(), f.event()
    person = f.member()
    services.registration_create(actor=person, event_id=other.pk)
    foreign = other.registrations.get()
    response = sign_in(Client(), officer()).post(
        f"{BASE}/{event.pk}/unregister/", {"registration": foreign.pk}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "registered"


def test_a_manager_cancels_a_registration_the_person_is_told_and_the_waiting_move_up(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = f.event(capacity=1)
    first, second = f.member(), f.member()
    services.registration_create(actor=first, event_id=event.pk)
    services.registration_create(actor=second, event_id=event.pk)
    taken = event.registrations.get(person=first)
    manager = sign_in(Client(), officer())
    page = manager.get(f"{BASE}/{event.pk}/registrations/").content.decode()
    assert f'form="cancel-{taken.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(f"{BASE}/{event.pk}/unregister/", {"registration": taken.pk})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/events/{event.pk}/registrations/")
    statuses = dict(event.registrations.values_list("person__email", "status"))
    assert statuses == {first.email: "cancelled", second.email: "registered"}
    told = {message.to[0] for message in mailoutbox}
    assert first.email in told and second.email in told
