"""Demo step: a few documents for each seed partnership (minutes, a photo, the agreement), made
at demo time as small real files; the minutes of each pair published. Idempotent."""

from django.core.files.base import ContentFile

from partnernet.accounts.models import User
from partnernet.partnerships.models import Partnership

from . import samples
from .models import Document
from .services import document_publish, document_upload

OFFICER = "officer@icld.example"


def documents_demo_load() -> None:
    officer = User.objects.filter(email=OFFICER).first()
    for partnership in Partnership.objects.select_related("swedish_partner", "partner"):
        if Document.objects.filter(partnership=partnership).exists():
            continue
        swedish, partner = partnership.slug.split("-", 1)
        author = User.objects.filter(email=f"{swedish}@demo.example").first() or officer
        other = User.objects.filter(email=f"{partner}@demo.example").first() or author
        if author is None or other is None:
            continue
        a, b = partnership.swedish_partner.name, partnership.partner.name
        minutes = document_upload(
            actor=author,
            partnership=partnership,
            title=f"Protokoll från styrgruppsmötet {a}–{b}",
            category="minutes",
            language="sv",
            file=ContentFile(samples.pdf(f"Minutes {a} - {b}"), name="protokoll-styrgrupp.pdf"),
        )
        document_upload(
            actor=other,
            partnership=partnership,
            title=f"Фото з робочої зустрічі ({b})",
            category="photo",
            language="uk",
            file=ContentFile(samples.png(), name="фото-зустріч.png"),
        )
        document_upload(
            actor=author,
            partnership=partnership,
            title="Partnership agreement (signed)",
            category="agreement",
            language="en",
            file=ContentFile(samples.pdf("Partnership agreement"), name="agreement.pdf"),
        )
        if officer is not None:
            document_publish(actor=officer, document=minutes, published=True)
