"""A replaced letter of intent is deleted from storage; a failed upload leaves no file behind."""

from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from .. import services
from ..models import Application
from ..services import applications
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(application, actor, data=f.PDF):
    return services.application_letter_upload(
        application_id=application.pk, actor=actor, upload=SimpleUploadedFile("loi.pdf", data)
    )


def test_a_replaced_letter_is_deleted_once_the_change_is_committed(
    django_capture_on_commit_callbacks,
):
    application, actor = f.complete_application(f.call())
    first = application.letter_of_intent.name
    assert default_storage.exists(first)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        second = upload(application, actor).letter_of_intent.name
    assert second != first and default_storage.exists(second)
    assert default_storage.exists(first)  # not before the commit
    for callback in pending:
        callback()
    assert not default_storage.exists(first)
    assert Application.objects.get(pk=application.pk).letter_of_intent.name == second


def test_a_failed_upload_keeps_the_old_letter_and_stores_nothing_new(
    django_capture_on_commit_callbacks,
):
    application, actor = f.complete_application(f.call())
    first = application.letter_of_intent.name
    before = set(default_storage.listdir("grants/letters")[1])
    with (
        mock.patch.object(applications, "audit_record", side_effect=RuntimeError("disk full")),
        django_capture_on_commit_callbacks(execute=True) as pending,
        pytest.raises(RuntimeError),
    ):
        upload(application, actor)
    assert pending == []
    assert set(default_storage.listdir("grants/letters")[1]) == before
    assert default_storage.exists(first)
    assert Application.objects.get(pk=application.pk).letter_of_intent.name == first
