"""Demo step: each seed partnership's general thread with a few messages in Swedish, Ukrainian
and English (a reply, a mention, an attached document), written over the past days. Written
directly, not through `message_post`: the demo tells nobody. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from partnernet.accounts.models import User
from partnernet.documents.models import Document
from partnernet.partnerships.models import Partnership

from .models import Message
from .selectors import thread_of


def conversations_demo_load() -> None:
    now = timezone.now()
    for partnership in Partnership.objects.select_related("swedish_partner", "partner"):
        thread = thread_of(partnership=partnership)
        if thread.messages.exists():
            continue
        swedish, partner = partnership.slug.split("-", 1)
        a = User.objects.filter(email=f"{swedish}@demo.example").first()
        b = User.objects.filter(email=f"{partner}@demo.example").first()
        officer = User.objects.filter(email="officer@icld.example").first()
        if a is None or b is None:
            continue
        first = Message.objects.create(
            thread=thread,
            author=a,
            language="sv",
            body="Hej! Protokollet från styrgruppsmötet finns nu bland dokumenten. "
            "Säg till om något saknas.",
        )
        minutes = Document.objects.filter(partnership=partnership, category="minutes").first()
        if minutes is not None:
            first.attachments.add(minutes)
        reply = Message.objects.create(
            thread=thread,
            author=b,
            reply_to=first,
            language="uk",
            body="Дякуємо! Ми переглянули протокол і додали фото з робочої зустрічі. "
            "Пропонуємо наступну зустріч провести онлайн.",
        )
        reply.mentions.add(a)
        last = Message.objects.create(
            thread=thread,
            author=officer or a,
            language="en",
            body="Thank you both. The minutes are now published on the public partnership page.",
        )
        for message, days in ((first, 6), (reply, 5), (last, 2)):
            Message.objects.filter(pk=message.pk).update(created_at=now - timedelta(days=days))
