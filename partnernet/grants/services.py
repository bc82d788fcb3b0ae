"""Writes for applications: drafting, submission, the guarded workflow, decisions and agreements.

Every state change goes through `_apply`, which runs the django-fsm transition, records an audit
entry and schedules the announcement e-mail for after the commit. Money is checked under a row
lock on the call, so two officers deciding at the same moment cannot over-commit its budget.
"""

import contextlib
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.audit.personal import snapshot
from partnernet.audit.services import audit_record
from partnernet.lib.files import file_discard, file_replace
from partnernet.lib.languages import LANGUAGES
from partnernet.matchmaking.services import queue_entry_move
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.consent import Outcome, consent_record
from partnernet.partnerships.models import (
    CooperationArea,
    FundingTransaction,
    Partnership,
    text_stamps,
)

from . import drafts, rules
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
from .selectors import coordinator_side

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
        announce(application=application, action=action, actor=actor, reason=reason)


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


@dataclass
class DraftResult:
    """What a draft save did: per section its outcome and state now, and the conflicts."""

    application: Application
    sections: dict[str, dict] = dataclass_field(default_factory=dict)
    fields: dict[str, dict] = dataclass_field(default_factory=dict)
    conflicts: list[dict] = dataclass_field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        items = {**self.sections, **self.fields}
        return [key for key, item in items.items() if item["outcome"] == drafts.SAVE]


def _texts(section: ApplicationSection) -> dict[str, str]:
    return {lang: getattr(section, f"text_{lang}") or "" for lang in LANGUAGES}


def _area_text(area: CooperationArea | None) -> str:
    return str(area.pk) if area else ""


def field_base(application: Application, name: str) -> str:
    """The base digest of an application field as a page shows it."""
    value = application.title if name == "title" else _area_text(application.area)
    return drafts.digest(value)


def application_draft_save(
    *,
    application_id: int,
    actor,
    sections: dict[str, drafts.SectionEdit],
    fields: dict[str, drafts.FieldEdit] | None = None,
) -> DraftResult:
    """Store what a co-writer changed, never what someone else changed meanwhile.

    `sections` and `fields` (`title`, `area`) hold only what the post carried: anything absent
    is left as it is. Each section is decided on its own (`grants.drafts.decide`): a section the
    writer changed while someone else changed it too is refused and returned as a conflict with
    both texts; the other sections are saved. A changed original makes older translations out
    of date; a changed translation is stamped as brought up to date."""
    fields = fields or {}
    with transaction.atomic():
        application = _editable(application_id)
        result = DraftResult(application=application)
        for name, edit in fields.items():
            _field_save(application, name, edit, result)
        for section in application.sections.all():
            section_edit = sections.get(section.key)
            if section_edit is not None:
                _section_decide_and_save(section, section_edit, result)
            else:
                result.sections[section.key] = {"outcome": drafts.UNCHANGED}
            section.refresh_from_db()
            result.sections[section.key] |= {
                "version": section.version,
                "base": drafts.base_of(_texts(section), section.source_language),
                "source": section.source_language,
            }
            item = result.sections[section.key]
            if (
                section_edit is not None
                and section_edit.version != section.version
                and item["outcome"]
                in (
                    drafts.SAME,
                    drafts.UNCHANGED,
                )
            ):  # changed by someone else: the page gets the newest text
                item["texts"] = _texts(section)
                if item["outcome"] == drafts.UNCHANGED:
                    item["outcome"] = drafts.UPDATED
        application.draft_saved_at = timezone.now()
        application.save(update_fields=["title", "area", "draft_saved_at"])
        if result.changed:
            audit_record(
                actor=actor,
                action="save_draft",
                obj=application,
                after={"changed": result.changed},
            )
        if result.conflicts:
            audit_record(
                actor=actor,
                action="draft_conflict",
                obj=application,
                after={"conflicts": [c["key"] for c in result.conflicts]},
            )
    return result


def _field_save(application: Application, name: str, edit: drafts.FieldEdit, result) -> None:
    if name == "title":
        current, posted = application.title, (edit.value or "").strip()
    else:
        current, posted = _area_text(application.area), _area_text(edit.value)
    outcome = drafts.decide_field(current=current, edit=edit, posted=posted)
    if outcome == drafts.SAVE:
        if name == "title":
            application.title = posted
        else:
            application.area = edit.value
    elif outcome == drafts.CONFLICT:
        label = _("Title") if name == "title" else _("Cooperation area")
        shown = (lambda v: v) if name == "title" else _area_name
        result.conflicts.append(
            {
                "key": name,
                "label": str(label),
                "base": drafts.digest(current),
                "current": current,
                "yours": {"value": shown(posted)},
                "theirs": {"value": shown(current)},
            }
        )
    value = application.title if name == "title" else _area_text(application.area)
    result.fields[name] = {"outcome": outcome, "value": value, "base": drafts.digest(value)}


def _area_name(pk: str) -> str:
    area = CooperationArea.objects.filter(pk=pk).first() if pk else None
    return str(area) if area else "–"


def _section_decide_and_save(section: ApplicationSection, edit: drafts.SectionEdit, result):
    texts = {lang: text for lang, text in edit.texts.items() if lang in LANGUAGES}
    source = edit.source if edit.source in LANGUAGES else None
    edit = drafts.SectionEdit(texts=texts, source=source, version=edit.version, base=edit.base)
    for _attempt in range(3):
        decision = drafts.decide(
            current=_texts(section),
            current_source=section.source_language,
            current_version=section.version,
            edit=edit,
        )
        if decision.outcome != drafts.SAVE or _section_write(section, edit, decision):
            break
        section.refresh_from_db()  # written by someone else between our read and our write
    result.sections[section.key] = {"outcome": decision.outcome}
    if decision.outcome == drafts.CONFLICT:
        result.conflicts.append(
            {
                "key": section.key,
                "label": str(section.get_key_display()),
                "version": section.version,
                "base": drafts.base_of(_texts(section), section.source_language),
                "source": section.source_language,
                "yours": {lang: edit.texts[lang] for lang in decision.languages},
                "source_edited": decision.source_changed,
                "yours_source": edit.source,
                "theirs": _texts(section),
            }
        )


def _section_write(section: ApplicationSection, edit, decision: drafts.Decision) -> bool:
    """Compare-and-swap on the version: False when someone else wrote the section first."""
    now = timezone.now()
    source = edit.source if decision.source_changed else section.source_language
    changes: dict = {"source_language": source}
    for language in decision.languages:
        changes[f"text_{language}"] = edit.texts[language].strip()
    translated_at, original_changed = text_stamps(
        source_language=source,
        translated_at=section.translated_at,
        languages=decision.languages,
        now=now,
    )
    if original_changed:
        changes["source_updated_at"] = now
    # (the plain `text` column follows the original language; modeltranslation would otherwise
    # map `text` to the active language's column)
    texts = {**_texts(section), **{k[5:]: v for k, v in changes.items() if k.startswith("text_")}}
    changes |= {"translated_at": translated_at, "text": texts[source]}
    rows = ApplicationSection.objects.filter(pk=section.pk, version=section.version).rewrite(False)
    return rows.update(**changes, version=F("version") + 1) == 1


def application_letter_upload(*, application_id: int, actor, upload) -> Application:
    """Attach the signed letter of intent (checked as a PDF by the form); a letter it replaces
    is deleted from storage after the commit, the new one if the change fails."""
    stored = None
    try:
        with transaction.atomic():
            application = _editable(application_id)
            stored = file_replace(
                application.letter_of_intent, name=f"letter-{application.pk}.pdf", content=upload
            )
            application.letter_uploaded_at = timezone.now()
            application.save()
            audit_record(actor=actor, action="upload_letter", obj=application)
    except Exception:
        if stored:
            file_discard(application.letter_of_intent, stored)
        raise
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
        sides: dict[str, str] = {
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
        own = coordinator_side(actor, application) if actor is not None else None
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
            _apply(application, "sign_agreement", actor)
            _apply(application, "activate", actor)
            partnership_activate(application=application, agreement=agreement, actor=actor)
    return application


def _queue_move(application: Application, stage: str, actor) -> None:
    """Move both municipalities along the network's queue (inception applications only)."""
    if application.call.component != Component.INCEPTION:
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
