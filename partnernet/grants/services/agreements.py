"""Writes of the agreement and the grant's life after the decision: the agreement with its
reporting deadlines, both partners' acceptance, the partnership the grant creates (unpublished)
and activates (published, in the public catalogue, once both have accepted), and the results
reported on an active grant."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.partnerships.consent import Outcome, consent_record
from partnernet.partnerships.models import Partnership, Publication
from partnernet.partnerships.services import partnership_publish, partnership_titles

from ..models import (
    Agreement,
    Application,
    ApplicationSection,
    Component,
    Indicator,
    IndicatorActual,
    ReportingDeadline,
    State,
)
from ..reporting import Due, add_years, reporting_schedule
from ..selectors import coordinator_side
from ..signals import agreement_accepted
from .workflow import application_locked, transition_apply


def _unique_slug(application: Application) -> str:
    base = slugify(f"{application.swedish_partner.name_en} {application.partner.name_en}")[:100]
    slug, number = base, 2
    while Partnership.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def partnership_for_grant(
    *, application: Application, amount: Decimal | None, actor: User
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


def partnership_activate(
    *, application: Application, agreement: Agreement, actor: User
) -> Partnership:
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


def agreement_generate(*, application: Application) -> Agreement:
    """The agreement with its reporting deadlines (`grants.reporting`: an annual report per
    accounting year, two months after it, and a final report two months after the end)."""
    starts = timezone.localdate()
    years = 1
    if application.call.component != Component.INCEPTION:
        years = max(application.budget_lines.values_list("year", flat=True), default=1)
    ends = add_years(starts, years) - timedelta(days=1)
    agreement = Agreement.objects.create(
        application=application, amount=application.granted_amount, starts_on=starts, ends_on=ends
    )
    ReportingDeadline.objects.bulk_create(
        ReportingDeadline(agreement=agreement, kind=due.kind, due_on=due.due_on)
        for due in agreement_reporting_schedule(agreement)
    )
    return agreement


def agreement_reporting_schedule(agreement: Agreement) -> list[Due]:
    """The reports `agreement` owes (the rule is `grants.reporting.reporting_schedule`)."""
    component = agreement.application.call.component
    return reporting_schedule(
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        annual=component != Component.INCEPTION,
    )


def agreement_accept(*, application_id: int, actor: User, side: str) -> Application:
    """One partner accepts; when both have, the agreement is signed and the grant is active."""
    with transaction.atomic():
        application = application_locked(application_id)
        if application.state != State.GRANTED:
            raise ValidationError(_("There is no agreement waiting to be accepted."))
        agreement = Agreement.objects.select_for_update().get(application=application)
        own = coordinator_side(actor, application)
        consent = consent_record(
            agreement,
            agreement.CONSENT,
            side=side,
            may_answer_for=[own] if own else [],
            by=actor,
            at=timezone.now(),
        )
        agreement.save()
        audit_record(actor=actor, action="accept", obj=agreement, after={"side": side})
        if consent.outcome == Outcome.AGREED:
            transition_apply(application=application, action="sign_agreement", actor=actor)
            transition_apply(application=application, action="activate", actor=actor)
            partnership_activate(application=application, agreement=agreement, actor=actor)
            agreement_id = agreement.pk
            transaction.on_commit(
                lambda: agreement_accepted.send(
                    sender=Agreement, agreement_id=agreement_id, actor_id=actor.pk
                )
            )
    return application


def indicator_actual_record(
    *, indicator_id: int, actor: User, period: str, value: Decimal
) -> IndicatorActual:
    """The value reached in one period, reported once the grant is active."""
    indicator = Indicator.objects.select_related("result__application").get(pk=indicator_id)
    if indicator.result.application.state not in {State.ACTIVE, State.CLOSED}:
        raise ValidationError(_("Results are reported once the grant is active."))
    with transaction.atomic():
        actual, _created = IndicatorActual.objects.update_or_create(
            indicator=indicator, period=period, defaults={"value": value}
        )
        audit_record(
            actor=actor,
            action="record_actual",
            obj=indicator,
            after={"period": period, "value": str(value)},
        )
    return actual
