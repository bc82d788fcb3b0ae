"""How a grant reaches the partnership: created (unpublished) on the grant, active and in the
public catalogue once both partners have accepted the agreement."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnernet.audit.services import audit_record
from partnernet.partnerships.models import Partnership, Publication
from partnernet.partnerships.services import partnership_publish, partnership_titles

from .models import Agreement, Application, ApplicationSection, Component


def _unique_slug(application: Application) -> str:
    base = slugify(f"{application.swedish_partner.name_en} {application.partner.name_en}")[:100]
    slug, number = base, 2
    while Partnership.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def partnership_for_grant(
    *, application: Application, amount: Decimal | None, actor
) -> Partnership:
    """The application's partnership, created unpublished when the pair has none yet; the
    amount granted is added to what the partnership has been granted."""
    partnership = (
        application.partnership
        or Partnership.objects.filter(
            swedish_partner=application.swedish_partner,
            partner=application.partner,
            network=application.call.network,
        ).first()
    )
    if partnership is None:
        if application.area is None:  # submission requires one; a partnership cannot lack it
            raise ValidationError(_("Choose the cooperation area."))
        titles = partnership_titles(
            swedish=application.swedish_partner, partner=application.partner
        )
        partnership = Partnership.objects.create(
            slug=_unique_slug(application),
            **titles,
            swedish_partner=application.swedish_partner,
            partner=application.partner,
            network=application.call.network,
            area=application.area,
            status=Partnership.Status.PLANNED,
            created_by=actor,
        )
        audit_record(actor=actor, action="create", obj=partnership, reason=str(application))
    if amount:
        partnership.granted_amount = (partnership.granted_amount or Decimal(0)) + amount
        partnership.save(update_fields=["granted_amount", "updated_at"])
    if application.partnership_id != partnership.pk:
        application.partnership = partnership
        application.save(update_fields=["partnership"])
    return partnership


def partnership_activate(*, application: Application, agreement: Agreement, actor) -> Partnership:
    """Active phase; published (through the publication lifecycle) when it is a draft. A
    partnership an officer has withdrawn stays withdrawn."""
    partnership = application.partnership
    assert partnership is not None  # linked when the grant was decided (partnership_for_grant)
    before = {
        "status": partnership.status,
        "phase": partnership.phase,
        "is_published": partnership.is_published,
    }
    partnership.status = Partnership.Status.ACTIVE
    partnership.phase = (
        Partnership.Phase.INCEPTION
        if application.call.component == Component.INCEPTION
        else Partnership.Phase.PROJECT
    )
    partnership.start_date = partnership.start_date or agreement.starts_on
    _copy_summary(application, partnership)
    partnership.save()
    if partnership.publication == Publication.DRAFT and partnership.is_ready_to_publish():
        partnership = partnership_publish(partnership=partnership, actor=actor)
    audit_record(
        actor=actor,
        action="activate",
        obj=partnership,
        before=before,
        after={
            "status": partnership.status,
            "phase": partnership.phase,
            "is_published": partnership.is_published,
        },
    )
    return partnership


def _copy_summary(application: Application, partnership: Partnership) -> None:
    """A new partnership's public focus is the application's summary, in every language."""
    if partnership.summary:
        return
    section = application.sections.filter(key=ApplicationSection.Key.SUMMARY).first()
    if section is None:
        return
    for language in ("sv", "uk", "en"):
        setattr(partnership, f"summary_{language}", getattr(section, f"text_{language}") or "")
    partnership.source_language = section.source_language
    partnership.source_updated_at = section.source_updated_at
    partnership.translated_at = dict(section.translated_at)
