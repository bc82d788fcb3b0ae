"""Writes for applications: drafting, submission, the guarded workflow, decisions and agreements.

Every state change goes through `_apply`, which runs the django-fsm transition, records an audit
entry and schedules the announcement e-mail for after the commit. Money is checked under a row
lock on the call, so two officers deciding at the same moment cannot over-commit its budget.
"""

import contextlib
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.audit.personal import snapshot
from partnernet.audit.services import audit_record
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, FundingTransaction, Partnership

from . import rules
from .models import (
    COMMITTED_STATES,
    Agreement,
    Application,
    ApplicationSection,
    BudgetLine,
    Call,
    Ceiling,
    Component,
    CostCategory,
    ReportingDeadline,
    Side,
    State,
    TeamMember,
)
from .notifications import announce
from .partnership_link import partnership_activate, partnership_for_grant

LANGUAGES = ("sv", "uk", "en")
TEAM_SNAPSHOT = ("side", "role", "name")  # the name is redacted (TeamMember.PERSONAL_DATA)


def _apply(application: Application, action: str, actor, reason: str = "", announce_it=True):
    """Run one guarded transition, save, audit it and announce it after the commit."""
    before = application.state
    getattr(application, action)()
    application.save()
    audit_record(
        actor=actor,
        action=action,
        obj=application,
        reason=reason,
        before={"state": before},
        after={"state": application.state},
    )
    if announce_it:
        actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        transaction.on_commit(
            lambda: announce(
                application_id=application.pk, action=action, actor_id=actor_id, reason=reason
            )
        )


def _locked(application_id: int) -> Application:
    return Application.objects.select_for_update().select_related("call").get(pk=application_id)


def _editable(application_id: int) -> Application:
    application = _locked(application_id)
    if not application.is_editable:
        raise ValidationError(_("This application can no longer be edited."))
    return application


def application_start(
    *,
    call: Call,
    swedish_partner: Municipality,
    partner: Municipality,
    area: CooperationArea | None,
    title: str,
    actor,
) -> Application:
    """Start (or find) the one application of this pair to this call, with empty sections."""
    pair = {"call": call, "swedish_partner": swedish_partner, "partner": partner}
    existing = Application.objects.filter(**pair).first()
    if existing:
        return existing
    partnership = Partnership.objects.filter(
        swedish_partner=swedish_partner, partner=partner, network=call.network_id
    ).first()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                **pair, area=area, title=title, partnership=partnership, created_by=actor
            )
            for key in ApplicationSection.Key.values:
                ApplicationSection.objects.create(application=application, key=key)
            audit_record(actor=actor, action="create", obj=application)
    except IntegrityError:  # the other partner started it at the same moment
        return Application.objects.get(**pair)
    return application


def application_draft_save(
    *,
    application_id: int,
    actor,
    title: str,
    area: CooperationArea | None,
    texts: dict[str, dict[str, str]],
    source_languages: dict[str, str],
) -> Application:
    """Store the draft text. A changed original makes older translations out of date; a
    changed translation is stamped as brought up to date."""
    with transaction.atomic():
        application = _editable(application_id)
        changed = [
            name
            for name, value in (("title", title), ("area", area))
            if getattr(application, name) != value
        ]
        application.title, application.area = title, area
        for section in application.sections.all():
            if _section_save(
                section, texts.get(section.key, {}), source_languages.get(section.key)
            ):
                changed.append(section.key)
        application.draft_saved_at = timezone.now()
        application.save()
        if changed:
            audit_record(
                actor=actor, action="save_draft", obj=application, after={"changed": changed}
            )
    return application


def _section_save(section: ApplicationSection, texts: dict[str, str], source: str | None) -> bool:
    now = timezone.now()
    changed = False
    if source in LANGUAGES and source != section.source_language:
        section.source_language, changed = source, True
    for language in LANGUAGES:
        new = texts.get(language)
        if new is None or new == (getattr(section, f"text_{language}") or ""):
            continue
        setattr(section, f"text_{language}", new)
        changed = True
        if language == section.source_language:
            section.source_updated_at = now
        else:
            section.translated_at = {**section.translated_at, language: now.isoformat()}
    if changed:  # (never assign `section.text`: modeltranslation maps it to the active language)
        section.save()
    return changed


def application_letter_upload(*, application_id: int, actor, upload) -> Application:
    """Attach the signed letter of intent (checked as a PDF by the form)."""
    with transaction.atomic():
        application = _editable(application_id)
        application.letter_of_intent.save(f"letter-{application.pk}.pdf", upload, save=False)
        application.letter_uploaded_at = timezone.now()
        application.save()
        audit_record(actor=actor, action="upload_letter", obj=application)
    return application


def team_member_add(
    *, application_id: int, actor, side: str, role: str, name: str, position: str = ""
) -> TeamMember:
    with transaction.atomic():
        application = _editable(application_id)
        member = TeamMember.objects.create(
            application=application, side=side, role=role, name=name, position=position
        )
        audit_record(
            actor=actor,
            action="add_team_member",
            obj=application,
            after=snapshot(member, TEAM_SNAPSHOT),
        )
    return member


def team_member_remove(*, member_id: int, actor) -> None:
    member = TeamMember.objects.get(pk=member_id)
    with transaction.atomic():
        application = _editable(member.application_id)
        member.delete()
        audit_record(
            actor=actor,
            action="remove_team_member",
            obj=application,
            before=snapshot(member, TEAM_SNAPSHOT),
        )


def budget_line_add(
    *,
    application_id: int,
    actor,
    category: CostCategory,
    description: str,
    amount: Decimal,
    year: int = 1,
) -> BudgetLine:
    """Add one line; an ineligible category (salaries, per diems) is refused with its reason."""
    problems = rules.line_problems(_line(category, amount, year))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        application = _editable(application_id)
        line = BudgetLine.objects.create(
            application=application,
            category=category,
            description=description,
            amount=amount,
            year=year,
        )
        audit_record(
            actor=actor,
            action="add_budget_line",
            obj=application,
            after={"category": category.slug, "amount": str(amount), "year": year},
        )
    return line


def budget_line_remove(*, line_id: int, actor) -> None:
    line = BudgetLine.objects.get(pk=line_id)
    with transaction.atomic():
        application = _editable(line.application_id)
        line.delete()
        audit_record(
            actor=actor,
            action="remove_budget_line",
            obj=application,
            before={"category": line.category.slug, "amount": str(line.amount)},
        )


def _line(category: CostCategory, amount: Decimal, year: int) -> rules.Line:
    return rules.Line(
        category=category.name,
        eligible=category.eligible,
        amount=amount,
        year=year,
        explanation=category.explanation,
    )


def ceiling_for(call: Call) -> Ceiling | None:
    return Ceiling.objects.filter(component=call.component, region=call.region).first()


def application_budget_problems(application: Application) -> list[str]:
    ceiling = ceiling_for(application.call)
    lines = [
        _line(line.category, line.amount, line.year)
        for line in application.budget_lines.select_related("category")
    ]
    return rules.budget_problems(
        lines,
        ceiling=ceiling.amount if ceiling else None,
        per_year=bool(ceiling and ceiling.per_year),
    )


def application_problems(application: Application) -> list[str]:
    """Everything that keeps an application from being submitted, in words for its writers."""
    problems = []
    if not application.title.strip():
        problems.append(_("The application needs a title."))
    if application.area_id is None:
        problems.append(_("Choose the cooperation area."))
    if not application.letter_of_intent:
        problems.append(_("Upload the letter of intent signed by both partners."))
    summary = application.sections.filter(key=ApplicationSection.Key.SUMMARY).first()
    if summary is None or not (getattr(summary, f"text_{summary.source_language}") or "").strip():
        problems.append(_("Write the summary in its original language."))
    if application.call.component == Component.INCEPTION:
        members = list(application.team.values_list("side", "role"))
        sides = {
            Side.SWEDISH: str(application.swedish_partner),
            Side.PARTNER: str(application.partner),
        }
        problems += rules.team_problems(members, sides=sides)
    elif not application.results.filter(indicators__isnull=False).exists():
        problems.append(_("The results plan needs an objective or outcome with an indicator."))
    return problems + application_budget_problems(application)


def _late_message(call: Call) -> str:
    closed = timezone.localtime(call.closes_at) if call.closes_at else None
    if closed is None:
        return _("The call is not open yet.")
    return _(
        "The call closed on %(date)s at %(time)s (Swedish time); late applications cannot be "
        "submitted."
    ) % {"date": closed.date().isoformat(), "time": closed.strftime("%H:%M")}


def application_submit(*, application_id: int, actor) -> Application:
    """Submit a complete draft while the call is open. Submitting twice changes nothing."""
    with transaction.atomic():
        application = _locked(application_id)
        if application.state != State.DRAFT:
            return application
        if not application.call.is_open_at(timezone.now()):
            raise ValidationError(_late_message(application.call))
        problems = application_problems(application)
        if problems:
            raise ValidationError(problems)
        _apply(application, "submit", actor)
        _queue_move(application, "inception_applied", actor)
    return application


def application_resubmit(*, application_id: int, actor) -> Application:
    with transaction.atomic():
        application = _locked(application_id)
        if application.state != State.MORE_INFORMATION:
            return application
        problems = application_problems(application)
        if problems:
            raise ValidationError(problems)
        _apply(application, "resubmit", actor)
    return application


def application_move(*, application_id: int, actor, action: str, reason: str = "") -> Application:
    """An officer's workflow step: `screen`, `start_review`, `request_information`, `close`."""
    if action not in {"screen", "start_review", "request_information", "close"}:
        raise ValidationError(_("Unknown step."))
    if action == "request_information" and not reason.strip():
        raise ValidationError(_("Say what information is needed."))
    with transaction.atomic():
        application = _locked(application_id)
        _check_allowed(application, action)
        _apply(application, action, actor, reason=reason.strip())
    return application


def _check_allowed(application: Application, action: str) -> None:
    from django_fsm import can_proceed

    if not can_proceed(getattr(application, action)):
        raise ValidationError(
            _("This step is not possible while the application is %(state)s.")
            % {"state": State(application.state).label}
        )


def _check_decider(application: Application, actor, reasons: str) -> None:
    if not reasons.strip():
        raise ValidationError(_("A decision must state its reasons."))
    if application.reviews.filter(reviewer=actor).exists():
        raise ValidationError(_("You reviewed this application, so someone else must decide it."))


def call_committed(call: Call) -> Decimal:
    total = call.applications.filter(state__in=COMMITTED_STATES).aggregate(s=Sum("granted_amount"))
    return total["s"] or Decimal(0)


def application_grant(
    *, application_id: int, actor, amount: Decimal | None, reasons: str, historical: bool = False
) -> Application:
    """Grant `amount` with reasons. The call's row is locked first, so concurrent decisions
    are serialised and the call's total budget is never over-committed. `historical` records a
    past grant (the demo's seed partnerships): its amount may be unknown (None), and it is
    neither announced nor given a new agreement, nor moved along the queue."""
    with transaction.atomic():
        call_id = Application.objects.values_list("call_id", flat=True).get(pk=application_id)
        call = Call.objects.select_for_update().get(pk=call_id)
        application = _locked(application_id)
        _check_decider(application, actor, reasons)
        _check_allowed(application, "grant")
        if application.area_id is None and application.partnership_id is None:
            raise ValidationError(_("Choose the cooperation area."))
        if amount is not None or not historical:
            _check_amount(application, call, amount)
        application.granted_amount, application.decided_by = amount, actor
        application.decision_reasons = reasons.strip()
        _apply(
            application,
            "grant",
            actor,
            reason=application.decision_reasons,
            announce_it=not historical,
        )
        partnership = partnership_for_grant(application=application, amount=amount, actor=actor)
        if amount:
            FundingTransaction.objects.create(
                partnership=partnership,
                kind=FundingTransaction.Kind.COMMITMENT,
                date=timezone.localdate(),
                amount=amount,
                reference=f"grant-{application.pk}",
                description=str(call),
            )
        if not historical:
            agreement_generate(application=application)
            _queue_move(application, "granted", actor)
    return application


def _check_amount(application: Application, call: Call, amount: Decimal | None) -> None:
    if amount is None or amount <= 0:
        raise ValidationError(_("Enter the amount granted."))
    ceiling = ceiling_for(call)
    years = max(application.budget_lines.values_list("year", flat=True), default=1)
    if ceiling and amount > ceiling.amount * (years if ceiling.per_year else 1):
        raise ValidationError(_("The amount is above the ceiling for this component."))
    committed = call_committed(call)
    if not rules.commitment_fits(budget=call.budget, committed=committed, amount=amount):
        left = (call.budget or Decimal(0)) - committed
        raise ValidationError(
            _("The call's budget cannot cover this grant: SEK %(left)s is left.")
            % {"left": f"{max(left, 0):,.0f}".replace(",", " ")},
            code="over_budget",
        )


def application_reject(*, application_id: int, actor, reasons: str) -> Application:
    with transaction.atomic():
        application = _locked(application_id)
        _check_decider(application, actor, reasons)
        _check_allowed(application, "reject")
        application.decided_by, application.decision_reasons = actor, reasons.strip()
        _apply(application, "reject", actor, reason=application.decision_reasons)
    return application


def agreement_generate(*, application: Application) -> Agreement:
    """The agreement with its reporting deadlines: an annual report two months after each
    year of the grant, and a final report two months after its end."""
    starts = timezone.localdate()
    years = 1
    if application.call.component != Component.INCEPTION:
        years = max(application.budget_lines.values_list("year", flat=True), default=1)
    ends = _add_years(starts, years) - timedelta(days=1)
    agreement = Agreement.objects.create(
        application=application, amount=application.granted_amount, starts_on=starts, ends_on=ends
    )
    for year in range(1, years):
        ReportingDeadline.objects.create(
            agreement=agreement,
            kind=ReportingDeadline.Kind.ANNUAL,
            due_on=_add_months(_add_years(starts, year), 2),
        )
    ReportingDeadline.objects.create(
        agreement=agreement, kind=ReportingDeadline.Kind.FINAL, due_on=_add_months(ends, 2)
    )
    return agreement


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


def agreement_accept(*, application_id: int, actor, side: str) -> Application:
    """One partner accepts; when both have, the agreement is signed and the grant is active."""
    with transaction.atomic():
        application = _locked(application_id)
        if application.state != State.GRANTED:
            raise ValidationError(_("There is no agreement waiting to be accepted."))
        agreement = Agreement.objects.select_for_update().get(application=application)
        prefix = "swedish" if side == Side.SWEDISH else "partner"
        if getattr(agreement, f"{prefix}_accepted_at") is None:
            setattr(agreement, f"{prefix}_accepted_at", timezone.now())
            setattr(agreement, f"{prefix}_accepted_by", actor)
            agreement.save()
            audit_record(actor=actor, action="accept", obj=agreement, after={"side": side})
        if agreement.fully_accepted:
            _apply(application, "sign_agreement", actor)
            _apply(application, "activate", actor)
            partnership_activate(application=application, agreement=agreement, actor=actor)
    return application


def _queue_move(application: Application, stage: str, actor) -> None:
    """Move both municipalities along the network's queue (inception applications only)."""
    if application.call.component != Component.INCEPTION:
        return
    try:
        from partnernet.matchmaking.services import queue_entry_move
    except ImportError:  # the queue is not there yet
        return
    for municipality in (application.swedish_partner, application.partner):
        # The queue only moves forward: a municipality already further along (granted with
        # another partner) keeps its place, and the application goes on.
        with contextlib.suppress(ValidationError), transaction.atomic():
            queue_entry_move(
                municipality=municipality,
                network=application.call.network,
                stage=stage,
                actor=actor,
                reason=str(application),
            )
