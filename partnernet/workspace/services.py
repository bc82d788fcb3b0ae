"""Writes of a partnership's workspace: the team (invite, remove) and the activity plan (plan,
edit, and the guarded status steps). Keyword-only, one transaction each, an audit entry, the
e-mails after the commit (`accounts.notify`).

Who may call them is checked by the views' fetch (`selectors.*_for_user`); what only the
service knows (the side a coordinator may invite to, a participant or budget line of another
partnership, a stale version, a step the status does not allow) is refused here with a
translated `ValidationError`, nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts import permissions
from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.accounts.notify import Message, notify
from partnernet.accounts.services import role_grant, user_invite
from partnernet.audit.services import audit_record, transition_audited
from partnernet.grants.models import BudgetLine, ResultStatement
from partnernet.lib import languages
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.selectors import coordinators_of

from . import selectors
from .models import Activity, ActivityKind, TeamMember, TeamRole

# Fields a calendar carries: a change to any of them raises the activity's SEQUENCE.
CALENDAR_FIELDS = ("title", "starts_on", "ends_on", "place", "status")


class StaleVersion(ValidationError):
    """The activity changed since the form was read: the save is refused, nothing written."""


# The team ---------------------------------------------------------------------------------------
def workspace_role(team_role: str) -> str:
    """The partnership-scoped role a team member holds (what gives them the workspace)."""
    if team_role == TeamRole.STEERING_GROUP_MEMBER:
        return Role.STEERING_GROUP_MEMBER
    return Role.PROJECT_MEMBER


def _organisation(partnership: Partnership, side: str) -> Organisation:
    municipality = partnership.swedish_partner if side == "swedish" else partnership.partner
    organisation, _created = Organisation.objects.get_or_create(
        municipality=municipality,
        defaults={
            "name": (municipality.official_name or municipality.name)[:200],
            "kind": Organisation.Kind.MUNICIPALITY,
        },
    )
    return organisation


def _check_side(actor: User | None, partnership: Partnership, side: str) -> None:
    if side not in ("swedish", "partner"):
        raise ValidationError(_("Choose a side."), code="side")
    if actor is not None and side not in selectors.sides_managed_by(actor, partnership):
        raise ValidationError(
            _("You may change only your own municipality's side of the team."), code="side"
        )


def _other_side(side: str) -> str:
    return "partner" if side == "swedish" else "swedish"


def _team_path(partnership: Partnership) -> str:
    return reverse("workspace:team", kwargs={"slug": partnership.slug})


@transaction.atomic
def team_member_invite(
    *,
    actor: User | None,
    partnership: Partnership,
    side: str,
    team_role: str,
    name: str,
    email: str = "",
    position: str = "",
    language: str = languages.DEFAULT,
) -> TeamMember:
    """Add a person to one side of the team. An account with that e-mail is linked; a new
    address gets an account through `accounts.services.user_invite` (a set-password link in
    `language`). A linked person holds the partnership-scoped role of `workspace_role`, which
    gives them the workspace. Without an e-mail the person is only named. `actor` None is the
    system (the demo)."""
    _check_side(actor, partnership, side)
    if team_role not in TeamRole.values:
        raise ValidationError(_("Choose a role in the team."), code="team_role")
    name, email = name.strip(), User.objects.normalize_email(email).strip().lower()
    if not name:
        raise ValidationError(_("Write the person's name."), code="name")
    if (
        email
        and TeamMember.objects.filter(
            partnership=partnership, email__iexact=email, team_role=team_role
        ).exists()
    ):
        raise ValidationError(
            _("This person is already in the team in this role."), code="duplicate"
        )
    member = TeamMember(
        partnership=partnership,
        side=side,
        team_role=team_role,
        name=name,
        email=email,
        position=position.strip(),
        invited_by=actor,
    )
    created = False
    if email:
        organisation = _organisation(partnership, side)
        role = workspace_role(team_role)
        existing = User.objects.filter(email=email).first()
        if existing is not None:
            role_grant(
                actor=None,
                user=existing,
                role=role,
                organisation=organisation,
                partnership=partnership,
            )
            member.user, member.joined_at = existing, timezone.now()
        else:
            invitation = user_invite(
                email=email,
                role=role,
                organisation=organisation,
                partnership=partnership,
                full_name=name,
                invited_by=None,
                language=language if language in languages.LANGUAGES else languages.DEFAULT,
            )
            member.user, created = invitation.user, True
    member.save()
    audit_record(
        actor=actor,
        action="team_invite",
        obj=member,
        after={
            "partnership": partnership.pk,
            "side": side,
            "team_role": team_role,
            "account": member.user_id,
            "new_account": created,
        },
    )
    params = {"partnership": partnership.title, "role": TeamRole(team_role).label}
    if member.user is not None and not created:  # a new account gets its set-password e-mail
        notify(
            [member.user],
            Message(
                subject=gettext_noop("You are in a partnership's team"),
                body=gettext_noop(
                    "You have been added to the team of %(partnership)s as %(role)s. The "
                    "workspace: %(link)s"
                ),
                params=params,
                link=reverse("workspace:home", kwargs={"slug": partnership.slug}),
            ),
        )
    _tell_other_side(
        partnership,
        side,
        actor,
        gettext_noop(
            "Someone joined the partner's side of the team of %(partnership)s as %(role)s: %(link)s"
        ),
        params,
    )
    return member


def _tell_other_side(
    partnership: Partnership, side: str, actor: User | None, body: str, params: dict
) -> None:
    """The other side's coordinators (not the person acting) learn of a change of the team."""
    notify(
        [u for u in coordinators_of(partnership, _other_side(side)) if u != actor],
        Message(
            subject=gettext_noop("The partner's team has changed"),
            body=body,
            params=params,
            link=_team_path(partnership),
        ),
    )


@transaction.atomic
def team_member_remove(*, actor: User | None, member: TeamMember) -> None:
    """Take a person out of the team. Their partnership-scoped role goes with it unless
    another place in this team still needs it."""
    partnership = member.partnership
    _check_side(actor, partnership, member.side)
    user, role = member.user, workspace_role(member.team_role)
    side, team_role = member.side, member.team_role
    before = {"side": side, "team_role": team_role, "account": member.user_id}
    audit_record(actor=actor, action="team_remove", obj=member, before=before)
    member.delete()
    if user is not None:
        still = TeamMember.objects.filter(partnership=partnership, user=user)
        if not any(workspace_role(r) == role for r in still.values_list("team_role", flat=True)):
            removed, _rows = RoleAssignment.objects.filter(
                user=user, role=role, partnership=partnership
            ).delete()
            if removed:
                audit_record(
                    actor=actor,
                    action="revoke_role",
                    obj=user,
                    before={"role": role, "partnership": partnership.pk},
                )
            permissions.forget(user)
    _tell_other_side(
        partnership,
        side,
        actor,
        gettext_noop(
            "Someone in the role %(role)s left the partner's side of the team of "
            "%(partnership)s: %(link)s"
        ),
        {"partnership": partnership.title, "role": TeamRole(team_role).label},
    )


# The activity plan ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ActivityFacts:
    """What a person writes about an activity (parsed by `forms.ActivityForm`)."""

    kind: str
    title: str
    starts_on: date
    ends_on: date | None = None
    travelling_side: str = ""
    place: str = ""
    purpose: str = ""
    planned_cost: Decimal | None = None
    actual_cost: Decimal | None = None
    budget_line: BudgetLine | None = None
    results: tuple[ResultStatement, ...] = ()
    participants: tuple[TeamMember, ...] = ()
    is_public: bool = False


def _check_facts(partnership: Partnership, facts: ActivityFacts) -> None:
    """The rules of one activity; each refusal names what to change."""
    errors: dict[str, list[str]] = {}
    if facts.kind not in ActivityKind.values:
        errors["kind"] = [_("Choose what kind of activity this is.")]
    if facts.kind == ActivityKind.VISIT and facts.travelling_side not in ("swedish", "partner"):
        errors["travelling_side"] = [_("Say which side travels to the other.")]
    if facts.kind != ActivityKind.VISIT and facts.travelling_side:
        errors["travelling_side"] = [_("Only a visit has a side that travels.")]
    if not facts.title.strip():
        errors["title"] = [_("Give the activity a title.")]
    if facts.ends_on is not None and facts.ends_on < facts.starts_on:
        errors["ends_on"] = [_("The activity cannot end before it starts.")]
    for cost_field in ("planned_cost", "actual_cost"):
        cost = getattr(facts, cost_field)
        if cost is not None and cost < 0:
            errors[cost_field] = [_("A cost cannot be negative.")]
    application = selectors.granted_application(partnership)
    if facts.budget_line is not None and (
        application is None or facts.budget_line.application_id != application.pk
    ):
        errors["budget_line"] = [_("Choose a line of this partnership's granted budget.")]
    if any(application is None or r.application_id != application.pk for r in facts.results):
        errors["results"] = [_("Choose results of this partnership's granted application.")]
    if any(m.partnership_id != partnership.pk for m in facts.participants):
        errors["participants"] = [
            _("Only members of this partnership's team can take part in its activities.")
        ]
    if errors:
        raise ValidationError(errors)


def _apply(activity: Activity, facts: ActivityFacts) -> None:
    for name in (
        "kind",
        "title",
        "starts_on",
        "ends_on",
        "place",
        "purpose",
        "planned_cost",
        "actual_cost",
        "budget_line",
        "is_public",
    ):
        value = getattr(facts, name)
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    activity.travelling_side = facts.travelling_side if facts.kind == ActivityKind.VISIT else ""


def _snapshot(activity: Activity) -> dict:
    return {name: _plain(getattr(activity, name)) for name in (*CALENDAR_FIELDS, "kind")}


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _calendar_changed(before: dict, after: dict) -> bool:
    return any(before.get(name) != after.get(name) for name in CALENDAR_FIELDS)


def _locked(activity: Activity, version: int | None) -> Activity:
    """The activity's row, locked; refused when it changed since `version` was read."""
    row = Activity.objects.select_for_update().get(pk=activity.pk)
    if version is not None and row.version != version:
        raise StaleVersion(
            _(
                "Someone else changed this activity while you were editing it. Nothing was "
                "saved: your changes are still in the form. Check the activity as it is now, "
                "then save again."
            ),
            code="stale",
        )
    return row


@transaction.atomic
def activity_create(
    *, actor: User | None, partnership: Partnership, facts: ActivityFacts
) -> Activity:
    """Plan an activity (status planned)."""
    _check_facts(partnership, facts)
    activity = Activity(partnership=partnership, created_by=actor)
    _apply(activity, facts)
    activity.save()
    activity.results.set(facts.results)
    activity.participants.set(facts.participants)
    audit_record(
        actor=actor,
        action="create",
        obj=activity,
        after={**_snapshot(activity), "partnership": partnership.pk},
    )
    return activity


@transaction.atomic
def activity_update(
    *, actor: User | None, activity: Activity, facts: ActivityFacts, version: int
) -> Activity:
    """Change what the team wrote about an activity (not its status: that is a step)."""
    partnership = activity.partnership
    row = _locked(activity, version)
    _check_facts(partnership, facts)
    before = _snapshot(row)
    _apply(row, facts)
    after = _snapshot(row)
    if _calendar_changed(before, after):
        row.sequence += 1
    row.version += 1
    row.save()
    row.results.set(facts.results)
    row.participants.set(facts.participants)
    audit_record(actor=actor, action="update", obj=row, before=before, after=after)
    row.partnership = partnership
    return row


def _refuse_step(row: Activity, step: str) -> None:
    if not row.may(step, guards=False):
        raise ValidationError(
            _("This step is not possible while the activity is “%(status)s”.")
            % {"status": row.get_status_display()},
            code="step",
        )


def _step(*, actor: User | None, row: Activity, step: str) -> Activity:
    transition_audited(obj=row, action=step, field="status", actor=actor)
    return row


def _bumped(row: Activity) -> None:
    row.sequence += 1
    row.version += 1


@transaction.atomic
def activity_mark_done(
    *,
    actor: User | None,
    activity: Activity,
    report: str,
    report_language: str,
    version: int | None,
    actual_cost: Decimal | None = None,
    is_public: bool | None = None,
) -> Activity:
    """Planned → done, with a short report and its language (both required)."""
    row = _locked(activity, version)
    errors = {}
    if not report.strip():
        errors["report"] = [_("Write a short report of what was done.")]
    if report_language not in languages.LANGUAGES:
        errors["report_language"] = [_("Say which language the report is written in.")]
    if actual_cost is not None and actual_cost < 0:
        errors["actual_cost"] = [_("A cost cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    _refuse_step(row, "mark_done")  # the status first: the report's guard needs the text
    row.report, row.report_language = report.strip(), report_language
    if actual_cost is not None:
        row.actual_cost = actual_cost
    if is_public is not None:
        row.is_public = is_public
    _bumped(row)
    return _step(actor=actor, row=row, step="mark_done")


@transaction.atomic
def activity_postpone(
    *,
    actor: User | None,
    activity: Activity,
    starts_on: date,
    ends_on: date | None,
    version: int | None,
) -> Activity:
    """Planned → postponed, to new dates."""
    row = _locked(activity, version)
    _refuse_step(row, "postpone")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The activity cannot end before it starts.")]})
    if starts_on == row.starts_on and ends_on == row.ends_on:
        raise ValidationError({"starts_on": [_("Give the new dates of the activity.")]})
    before = {"starts_on": row.starts_on.isoformat(), "ends_on": _plain(row.ends_on)}
    row.starts_on, row.ends_on = starts_on, ends_on
    _bumped(row)
    _step(actor=actor, row=row, step="postpone")
    audit_record(
        actor=actor,
        action="reschedule",
        obj=row,
        before=before,
        after={"starts_on": starts_on.isoformat(), "ends_on": _plain(ends_on)},
    )
    return row


@transaction.atomic
def activity_replan(*, actor: User | None, activity: Activity, version: int | None) -> Activity:
    """Postponed → planned (on the dates it was postponed to)."""
    row = _locked(activity, version)
    _refuse_step(row, "replan")
    _bumped(row)
    return _step(actor=actor, row=row, step="replan")


@transaction.atomic
def activity_cancel(*, actor: User | None, activity: Activity, version: int | None) -> Activity:
    """Planned or postponed → cancelled."""
    row = _locked(activity, version)
    _refuse_step(row, "cancel")
    _bumped(row)
    return _step(actor=actor, row=row, step="cancel")
