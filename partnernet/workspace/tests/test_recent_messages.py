"""The start page's "what happened lately" carries the conversation: the latest messages of the
partnership's threads (general and per activity), each in its own language, linking to its
thread; another partnership's messages never show."""

from __future__ import annotations

import pytest

from partnernet.accounts.models import User
from partnernet.conversations.selectors import thread_of
from partnernet.conversations.services import message_post
from partnernet.partnerships.models import Partnership

from .conftest import OWN

pytestmark = pytest.mark.django_db


def _write(slug: str, body: str, language: str, email: str) -> None:
    partnership = Partnership.objects.get(slug=slug)
    thread = thread_of(partnership=partnership)
    message_post(actor=User.objects.get(email=email), thread=thread, body=body, language=language)


def test_another_partnership_s_messages_never_show(falun):
    _write("umea-kherson", "Umeå skriver om detaljplanen", "sv", "umea@demo.example")
    html = falun.get(f"/en/partnerships/{OWN}/work/").content.decode()
    assert "detaljplanen" not in html


def test_the_latest_messages_show_in_their_language_with_a_link_to_the_thread(falun):
    _write(OWN, "Дякуємо за візит до Коломиї", "uk", "kolomyia@demo.example")
    html = falun.get(f"/sv/partnerships/{OWN}/work/").content.decode()
    assert '<span lang="uk">Дякуємо за візит до Коломиї</span>' in html
    assert f'href="/sv/partnerships/{OWN}/work/conversation/#message-' in html
