"""Writes of an application's writers: starting it, co-writing its texts (`grants.drafts`),
the letter of intent, the team, the budget, the results plan, and submitting it.

Every write locks the application and refuses one its writers can no longer change
(`workflow.application_editable`); submitting runs the guarded transition (`workflow`).
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.accounts.models import User
from partnernet.audit.personal import snapshot
from partnernet.audit.services import audit_record
from partnernet.lib.files import file_discard, file_replace
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Partnership

from .. import drafts, rules
from ..models import (
    Application,
    ApplicationSection,
    BudgetLine,
    Call,
    CostCategory,
    Indicator,
    ResultStatement,
    State,
    TeamMember,
)
from ..selectors import (
    application_problems,
    area_name,
    area_text,
    budget_rule_line,
    signoff_problems,
)
from .sections import sections_save
from .signoffs import signoffs_clear
from .workflow import (
    application_editable,
    application_locked,
    queue_move,
    transition_apply,
)

TEAM_SNAPSHOT = ("side", "role", "name")  # the name is redacted (TeamMember.PERSONAL_DATA)


def application_start(
    *,
    call: Call,
    swedish_partner: Municipality,
    partner: Municipality,
    area: CooperationArea | None,
    title: str,
    actor: User,
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
    signoffs_cleared: list[str] = dataclass_field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        items = {**self.sections, **self.fields}
        return [key for key, item in items.items() if item["outcome"] == drafts.SAVE]


def application_draft_save(
    *,
    application_id: int,
    actor: User,
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
        application = application_editable(application_id)
        result = DraftResult(application=application)
        for name, edit in fields.items():
            _field_save(application, name, edit, result)
        result.sections, section_conflicts = sections_save(
            list(application.sections.all()), sections
        )
        result.conflicts.extend(section_conflicts)
        application.draft_saved_at = timezone.now()
        application.save(update_fields=["title", "area", "draft_saved_at"])
        if result.changed:
            audit_record(
                actor=actor,
                action="save_draft",
                obj=application,
                after={"changed": result.changed},
            )
            result.signoffs_cleared = signoffs_clear(
                application=application, actor=actor, what="text"
            )
        if result.conflicts:
            audit_record(
                actor=actor,
                action="draft_conflict",
                obj=application,
                after={"conflicts": [c["key"] for c in result.conflicts]},
            )
    return result


def _field_save(
    application: Application, name: str, edit: drafts.FieldEdit, result: "DraftResult"
) -> None:
    if name == "title":
        current, posted = application.title, (edit.value or "").strip()
    else:
        current, posted = area_text(application.area), area_text(edit.value)
    outcome = drafts.decide_field(current=current, edit=edit, posted=posted)
    if outcome == drafts.SAVE:
        if name == "title":
            application.title = posted
        else:
            application.area = edit.value
    elif outcome == drafts.CONFLICT:
        label = _("Title") if name == "title" else _("Cooperation area")
        shown = (lambda v: v) if name == "title" else area_name
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
    value = application.title if name == "title" else area_text(application.area)
    result.fields[name] = {"outcome": outcome, "value": value, "base": drafts.digest(value)}


def application_letter_upload(*, application_id: int, actor: User, upload: File) -> Application:
    """Attach the signed letter of intent (checked as a PDF by the form); a letter it replaces
    is deleted from storage after the commit, the new one if the change fails."""
    stored = None
    try:
        with transaction.atomic():
            application = application_editable(application_id)
            stored = file_replace(
                application.letter_of_intent, name=f"letter-{application.pk}.pdf", content=upload
            )
            application.letter_uploaded_at = timezone.now()
            application.save()
            audit_record(actor=actor, action="upload_letter", obj=application)
            signoffs_clear(application=application, actor=actor, what="letter")
    except Exception:
        if stored:
            file_discard(application.letter_of_intent, stored)
        raise
    return application


def team_member_add(
    *, application_id: int, actor: User, side: str, role: str, name: str, position: str = ""
) -> TeamMember:
    with transaction.atomic():
        application = application_editable(application_id)
        member = TeamMember.objects.create(
            application=application, side=side, role=role, name=name, position=position
        )
        audit_record(
            actor=actor,
            action="add_team_member",
            obj=application,
            after=snapshot(member, TEAM_SNAPSHOT),
        )
        signoffs_clear(application=application, actor=actor, what="team")
    return member


def _item_remove(
    *, item: TeamMember | BudgetLine, actor: User, action: str, before: dict, what: str
) -> None:
    """Remove one line of an editable application: audited on the application, and the
    partners' sign-offs cleared (the content changed)."""
    with transaction.atomic():
        application = application_editable(item.application_id)
        item.delete()
        audit_record(actor=actor, action=action, obj=application, before=before)
        signoffs_clear(application=application, actor=actor, what=what)


def team_member_remove(*, member_id: int, actor: User) -> None:
    member = TeamMember.objects.get(pk=member_id)
    _item_remove(
        item=member,
        actor=actor,
        action="remove_team_member",
        before=snapshot(member, TEAM_SNAPSHOT),
        what="team",
    )


def budget_line_add(
    *,
    application_id: int,
    actor: User,
    category: CostCategory,
    description: str,
    amount: Decimal,
    year: int = 1,
) -> BudgetLine:
    """Add one line; an ineligible category (salaries, per diems) is refused with its reason."""
    problems = rules.line_problems(budget_rule_line(category, amount, year))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        application = application_editable(application_id)
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
        signoffs_clear(application=application, actor=actor, what="budget")
    return line


def budget_line_remove(*, line_id: int, actor: User) -> None:
    line = BudgetLine.objects.select_related("category").get(pk=line_id)
    _item_remove(
        item=line,
        actor=actor,
        action="remove_budget_line",
        before={"category": line.category.slug, "amount": str(line.amount)},
        what="budget",
    )


def _late_message(call: Call) -> str:
    closed = timezone.localtime(call.closes_at) if call.closes_at else None
    if closed is None:
        return _("The call is not open yet.")
    return _(
        "The call closed on %(date)s at %(time)s (Swedish time); late applications cannot be "
        "submitted."
    ) % {"date": closed.date().isoformat(), "time": closed.strftime("%H:%M")}


def application_submit(*, application_id: int, actor: User) -> Application:
    """Submit a complete draft while the call is open. Submitting twice changes nothing."""
    with transaction.atomic():
        application = application_locked(application_id)
        if application.state != State.DRAFT:
            return application
        if not application.call.is_open_at(timezone.now()):
            raise ValidationError(_late_message(application.call))
        problems = application_problems(application) + signoff_problems(application)
        if problems:
            raise ValidationError(problems)
        transition_apply(application=application, action="submit", actor=actor)
        queue_move(application=application, stage="inception_applied", actor=actor)
    return application


def application_resubmit(*, application_id: int, actor: User) -> Application:
    with transaction.atomic():
        application = application_locked(application_id)
        if application.state != State.MORE_INFORMATION:
            return application
        problems = application_problems(application) + signoff_problems(application)
        if problems:
            raise ValidationError(problems)
        transition_apply(application=application, action="resubmit", actor=actor)
    return application


def result_add(*, application_id: int, actor: User, level: str, text: str) -> ResultStatement:
    with transaction.atomic():
        application = application_editable(application_id)
        result = ResultStatement.objects.create(application=application, level=level, text=text)
        audit_record(actor=actor, action="add_result", obj=application, after={"level": level})
        signoffs_clear(application=application, actor=actor, what="results")
    return result


def indicator_add(
    *,
    result_id: int,
    actor: User,
    name: str,
    unit: str,
    baseline: Decimal,
    target: Decimal,
    baseline_year: int | None = None,
    target_year: int | None = None,
) -> Indicator:
    result = ResultStatement.objects.get(pk=result_id)
    with transaction.atomic():
        application = application_editable(result.application_id)
        indicator = Indicator.objects.create(
            result=result,
            name=name,
            unit=unit,
            baseline=baseline,
            target=target,
            baseline_year=baseline_year,
            target_year=target_year,
        )
        audit_record(
            actor=actor,
            action="add_indicator",
            obj=application,
            after={"indicator": name, "baseline": str(baseline), "target": str(target)},
        )
        signoffs_clear(application=application, actor=actor, what="results")
    return indicator
