"""Who may do what: the one owner of authority in Partnernet.

- **Vocabulary**: `Perm`, one member per thing a person can be allowed to do.
- **Policy**: `POLICY`, one table role → {permission: reach}. The reach (`Scope`) says where a
  permission applies: everywhere, for the person's own municipality or partnership, or for the
  objects they are assigned to (a reviewer's applications).
- **Declarations**: every view and API operation carries `public`, `authenticated` or
  `requires(Perm.X)`; `accounts.urlcheck` fails for any route without one (default deny).
- **Objects**: each app has one `<resource>_for_user(user=…, …, perm=…)` fetch that describes
  its object as a `Target` and calls `authorize`, which raises the one domain error,
  `AccessRefused`: 404 when the person may not see the object (as if it did not exist), 403 when
  they may see it but not do this. Pages answer it in `AccountSecurityMiddleware`, the API in
  `api.problems` (problem+json).
- **Two factors**: a permission that comes from a staff role (`STAFF_ROLES`, and superusers)
  counts only in a session verified by two factors, checked on every request; a person made
  staff while signed in gains nothing until they verify.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy as _

from .models import STAFF_ROLES, Role, RoleAssignment

PERMISSION_ATTR = "partnernet_permission"
PUBLIC = "public"
AUTHENTICATED = "authenticated"
_CACHE = "_pn_held_roles"


class Perm(StrEnum):
    """Everything a person can be allowed to do (values are stable: they appear in logs)."""

    # People and their personal data
    PEOPLE_INVITE = "people.invite"  # see everyone with an account, invite people
    ROLE_GRANT = "role.grant"  # give a person a role
    PERSON_EXPORT = "person.export"  # another person's data (everyone exports their own)
    PERSON_ERASE = "person.erase"  # erase another person
    AUDIT_VIEW = "audit.view"  # the history of any object
    ADMIN_SITE = "admin.site"  # Django's admin
    # Calls, applications, reviews, decisions
    CALL_MANAGE = "call.manage"  # create calls, see a call's score table
    APPLICATION_VIEW = "application.view"
    APPLICATION_WRITE = "application.write"  # start and co-write, submit
    APPLICATION_MANAGE = "application.manage"  # move an application between states
    REVIEW_ASSIGN = "review.assign"
    APPLICATION_REVIEW = "application.review"  # score an application
    REVIEWS_READ_ALL = "reviews.read_all"  # every review, before submitting one's own
    APPLICATION_DECIDE = "application.decide"  # grant or reject
    AGREEMENT_ACCEPT = "agreement.accept"  # accept a grant agreement for one's side
    DECISION_DOCUMENTS_VIEW = "decision.documents"  # an application's decision letters, agreement
    # Queue and matchmaking
    QUEUE_VIEW = "queue.view"  # a queue entry with its history
    QUEUE_MANAGE = "queue.manage"  # move and reorder entries
    PROFILE_EDIT = "profile.edit"  # a municipality's interest profile (with private contact)
    MATCH_PROPOSE = "match.propose"  # suggestions and proposals
    MATCH_RESPOND = "match.respond"  # see a proposal and answer it for one's side
    LETTER_CONFIRM = "letter.confirm"  # see a letter of intent and confirm it for one's side
    # Partnerships
    PARTNERSHIP_EDIT = "partnership.edit"  # read in full and edit a partnership's texts
    PRIVATE_FIELDS_VIEW = "partnership.private_fields"  # fields kept private from the public
    PUBLICATION_MANAGE = "publication.manage"  # publish, withdraw, mark fields private
    # The registry
    REGISTRY_ADD = "registry.add"  # add a local or regional government of another country
    # After the grant: a partnership's workspace and the network's meetings
    WORKSPACE_VIEW = "workspace.view"  # a partnership's workspace, documents and conversation
    WORKSPACE_WRITE = "workspace.write"  # plan activities, upload documents, write messages
    TEAM_MANAGE = "team.manage"  # invite and remove a partnership's team members
    DOCUMENT_PUBLISH = "document.publish"  # publish a document on the public partnership page
    EVENT_MANAGE = "event.manage"  # a network's meetings: create, registrations, attendance
    # Results, reports and money (issue 14)
    REPORT_VIEW = "report.view"  # a partnership's results plan and reports, with their finances
    REPORT_WRITE = "report.write"  # co-write a report, its values and costs; edit the plan
    REPORT_SUBMIT = "report.submit"  # submit a report, propose a changed results plan
    REPORT_REVIEW = "report.review"  # approve or return reports, schedule them, accept plans
    REIMBURSEMENT_RECORD = "reimbursement.record"  # record what was paid for an approved report
    PROGRAMME_VIEW = "programme.view"  # the programme dashboard and the funder's budget


class Scope(StrEnum):
    EVERYWHERE = "everywhere"
    # The municipality of the person's organisation; for a partnership, the partnership the
    # role is for (or every partnership of that municipality when the role has no partnership).
    OWN = "own"
    ASSIGNED = "assigned"  # the objects the person is assigned to


_ALL, _OWN, _ASSIGNED = Scope.EVERYWHERE, Scope.OWN, Scope.ASSIGNED

# The policy: role → what it may do, and where. Nothing else grants a permission.
POLICY: dict[str, dict[Perm, Scope]] = {
    Role.PROGRAMME_OFFICER: {
        Perm.PEOPLE_INVITE: _ALL,
        Perm.ROLE_GRANT: _ALL,
        Perm.PERSON_EXPORT: _ALL,
        Perm.PERSON_ERASE: _ALL,
        Perm.AUDIT_VIEW: _ALL,
        Perm.ADMIN_SITE: _ALL,
        Perm.CALL_MANAGE: _ALL,
        Perm.APPLICATION_VIEW: _ALL,
        Perm.APPLICATION_MANAGE: _ALL,
        Perm.REVIEW_ASSIGN: _ALL,
        Perm.REVIEWS_READ_ALL: _ALL,
        Perm.APPLICATION_DECIDE: _ALL,
        Perm.DECISION_DOCUMENTS_VIEW: _ALL,
        Perm.QUEUE_VIEW: _ALL,
        Perm.QUEUE_MANAGE: _ALL,
        Perm.PROFILE_EDIT: _ALL,
        Perm.MATCH_PROPOSE: _ALL,
        Perm.MATCH_RESPOND: _ALL,
        Perm.LETTER_CONFIRM: _ALL,
        Perm.PRIVATE_FIELDS_VIEW: _ALL,
        Perm.PUBLICATION_MANAGE: _ALL,
        Perm.REGISTRY_ADD: _ALL,
        Perm.WORKSPACE_VIEW: _ALL,
        Perm.WORKSPACE_WRITE: _ALL,
        Perm.TEAM_MANAGE: _ALL,
        Perm.DOCUMENT_PUBLISH: _ALL,
        Perm.EVENT_MANAGE: _ALL,
        Perm.REPORT_VIEW: _ALL,
        Perm.REPORT_REVIEW: _ALL,
        # Held so that officers may make finance officers (nobody hands out a power they do not
        # hold); `reimbursement_record` refuses the officer who approved the report (four eyes).
        Perm.REIMBURSEMENT_RECORD: _ALL,
        Perm.PROGRAMME_VIEW: _ALL,
    },
    Role.REVIEWER: {
        Perm.APPLICATION_VIEW: _ASSIGNED,
        Perm.APPLICATION_REVIEW: _ASSIGNED,
        Perm.PRIVATE_FIELDS_VIEW: _ALL,
    },
    Role.FINANCE_OFFICER: {
        Perm.AUDIT_VIEW: _ALL,
        Perm.PRIVATE_FIELDS_VIEW: _ALL,
        Perm.REPORT_VIEW: _ALL,
        Perm.REIMBURSEMENT_RECORD: _ALL,
        Perm.PROGRAMME_VIEW: _ALL,
    },
    Role.NETWORK_COORDINATOR: {
        Perm.PRIVATE_FIELDS_VIEW: _ALL,
        Perm.EVENT_MANAGE: _ALL,
    },
    Role.MUNICIPAL_COORDINATOR: {
        Perm.APPLICATION_VIEW: _OWN,
        Perm.APPLICATION_WRITE: _OWN,
        Perm.AGREEMENT_ACCEPT: _OWN,
        Perm.DECISION_DOCUMENTS_VIEW: _OWN,
        Perm.QUEUE_VIEW: _OWN,
        Perm.PROFILE_EDIT: _OWN,
        Perm.MATCH_RESPOND: _OWN,
        Perm.LETTER_CONFIRM: _OWN,
        Perm.PARTNERSHIP_EDIT: _OWN,
        Perm.PRIVATE_FIELDS_VIEW: _OWN,
        Perm.WORKSPACE_VIEW: _OWN,
        Perm.WORKSPACE_WRITE: _OWN,
        Perm.TEAM_MANAGE: _OWN,
        Perm.REPORT_VIEW: _OWN,
        Perm.REPORT_WRITE: _OWN,
        Perm.REPORT_SUBMIT: _OWN,
    },
    Role.PROJECT_MEMBER: {
        Perm.PRIVATE_FIELDS_VIEW: _OWN,
        Perm.WORKSPACE_VIEW: _OWN,
        Perm.WORKSPACE_WRITE: _OWN,
        Perm.REPORT_VIEW: _OWN,
        Perm.REPORT_WRITE: _OWN,
    },
    Role.STEERING_GROUP_MEMBER: {
        Perm.PRIVATE_FIELDS_VIEW: _OWN,
        Perm.WORKSPACE_VIEW: _OWN,
        Perm.WORKSPACE_WRITE: _OWN,
        Perm.REPORT_VIEW: _OWN,
    },
}
# Acting on one's own account with these is refused, whoever one is.
NOT_ON_ONESELF = frozenset({Perm.ROLE_GRANT, Perm.PERSON_ERASE})


class AccessRefused(Exception):
    """The one refusal of the permission layer.

    `hidden`: the person may not see the object, so it is answered as if it did not exist
    (404); otherwise the object is visible but the action is not theirs (403).
    """

    def __init__(self, *, hidden: bool, perm: Perm | None = None, message: str = ""):
        self.hidden, self.perm, self.message = hidden, perm, message
        super().__init__(message or ("not visible" if hidden else f"needs {perm}"))

    @property
    def status(self) -> int:
        return 404 if self.hidden else 403


# Who the person is -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Held:
    role: str
    municipality_id: int | None  # the municipality of the role's organisation
    partnership_id: int | None  # the partnership the role is limited to, if any


def _held(user) -> tuple[_Held, ...]:
    """The person's role assignments, read once per user object (one query per request)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        rows = RoleAssignment.objects.filter(user_id=user.pk).values_list(
            "role", "organisation__municipality_id", "partnership_id"
        )
        cached = tuple(_Held(*row) for row in rows)
        setattr(user, _CACHE, cached)
    return cached


def forget(user) -> None:
    """Drop the cached roles of `user` (after their roles changed)."""
    if user is not None and _CACHE in getattr(user, "__dict__", {}):
        delattr(user, _CACHE)


def session_verified(user) -> bool:
    """Whether the person's session is verified by two factors.

    Every request's user carries `is_verified` (django-otp's middleware); API tokens are marked
    unverified (`mark_unverified`). A user object outside a request (a command, a job) has no
    session, and its roles count as held.
    """
    verify = getattr(user, "is_verified", None)
    return True if verify is None else bool(verify())


def mark_unverified(user):
    """A person authenticated by something that is not a second factor (an API token)."""
    user.otp_device = None
    user.is_verified = lambda: False
    return user


def requires_two_factor(user) -> bool:
    """Staff roles, the admin flag and superusers need a two-factor-verified session."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(held.role in STAFF_ROLES for held in _held(user))


def _grants(user) -> Iterator[tuple[Perm, Scope, _Held | None]]:
    """Every (permission, reach, assignment) the person holds in this session."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return
    verified: bool | None = None
    if user.is_superuser:
        verified = session_verified(user)
        if verified:
            for perm in Perm:
                yield perm, Scope.EVERYWHERE, None
            return
    for held in _held(user):
        if held.role in STAFF_ROLES:
            if verified is None:
                verified = session_verified(user)
            if not verified:
                continue
        for perm, scope in POLICY.get(held.role, {}).items():
            yield perm, scope, held


# What an object is, for a check --------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """What an object-level check looks at: the municipalities an object belongs to, the
    partnership (when the object is a partnership or part of one), the people assigned to it."""

    municipalities: frozenset[int] = frozenset()
    partnership: int | None = None
    assigned: frozenset[int] = frozenset()


def municipality_target(*municipality_ids: int | None, assigned: Iterable[int] = ()) -> Target:
    """An object of one or more municipalities (an application, a queue entry, a letter)."""
    return Target(
        municipalities=frozenset(m for m in municipality_ids if m is not None),
        assigned=frozenset(assigned),
    )


def partnership_target(partnership) -> Target:
    """A partnership: roles limited to it, or held for either municipality, reach it."""
    return Target(
        municipalities=frozenset({partnership.swedish_partner_id, partnership.partner_id}),
        partnership=partnership.pk,
    )


NOBODYS = Target()  # an object of no municipality (a person, a call): only `EVERYWHERE` reaches


def _reaches(user, scope: Scope, held: _Held | None, target: Target) -> bool:
    if scope is Scope.EVERYWHERE:
        return True
    if scope is Scope.ASSIGNED:
        return user.pk in target.assigned
    if held is None or held.municipality_id is None and held.partnership_id is None:
        return False
    if target.partnership is not None and held.partnership_id is not None:
        return held.partnership_id == target.partnership
    return held.municipality_id in target.municipalities


# The questions views and selectors ask ---------------------------------------------------------
def holds(user, perm: Perm) -> bool:
    """Whether the person may do `perm` anywhere at all (what a view declaration checks)."""
    return any(p == perm for p, _scope, _held_role in _grants(user))


def may(user, perm: Perm, target: Target) -> bool:
    """Whether the person may do `perm` on the object described by `target`."""
    return any(
        p == perm and _reaches(user, scope, held, target) for p, scope, held in _grants(user)
    )


@dataclass(frozen=True)
class Reach:
    """Where a person may do one thing: for filtering lists in the database."""

    everywhere: bool = False
    # Municipalities of the person's organisations (whatever partnership the role is for):
    # for objects of a municipality (applications, queue entries, profiles, proposals).
    municipalities: frozenset[int] = field(default_factory=frozenset)
    # For partnerships: the ones a role is limited to, and municipalities held without limit.
    partnerships: frozenset[int] = field(default_factory=frozenset)
    whole_municipalities: frozenset[int] = field(default_factory=frozenset)
    assigned: bool = False  # objects the person is assigned to


def reach(user, perm: Perm) -> Reach:
    everywhere = assigned = False
    municipalities: set[int] = set()
    partnerships: set[int] = set()
    whole: set[int] = set()
    for p, scope, held in _grants(user):
        if p != perm:
            continue
        if scope is Scope.EVERYWHERE:
            everywhere = True
        elif scope is Scope.ASSIGNED:
            assigned = True
        elif held is not None:
            if held.municipality_id is not None:
                municipalities.add(held.municipality_id)
                if held.partnership_id is None:
                    whole.add(held.municipality_id)
            if held.partnership_id is not None:
                partnerships.add(held.partnership_id)
    return Reach(
        everywhere, frozenset(municipalities), frozenset(partnerships), frozenset(whole), assigned
    )


def authorize(user, target: Target | None, *, see: Perm, perm: Perm | None = None) -> None:
    """The object-level check of every `*_for_user` fetch.

    `target` None means the object does not exist. Raises `AccessRefused`: hidden (404) when
    the person may not `see` it, refused (403) when they may see it but not do `perm`.
    """
    if target is None or not may(user, see, target):
        raise AccessRefused(hidden=True, perm=see)
    if perm is not None and perm != see and not may(user, perm, target):
        raise AccessRefused(hidden=False, perm=perm)


def authorize_on_person(user, person, perm: Perm) -> None:
    """Acting on a person's account (export, erase, roles): `perm` everywhere, and never the
    powers of `NOT_ON_ONESELF` on one's own account."""
    authorize(user, NOBODYS if person is not None else None, see=perm, perm=perm)
    if perm in NOT_ON_ONESELF and person.pk == getattr(user, "pk", None):
        raise AccessRefused(
            hidden=False, perm=perm, message=str(_("Nobody may do this to their own account."))
        )


def may_grant(user, role: str) -> bool:
    """Programme officers grant roles; nobody hands out a power they do not hold: every
    permission a role has everywhere must be one the granter holds everywhere (the powers of
    municipal roles reach only their own organisation's objects)."""
    if not holds(user, Perm.ROLE_GRANT) or role not in POLICY:
        return False
    wide = [perm for perm, scope in POLICY[role].items() if scope is Scope.EVERYWHERE]
    return all(reach(user, perm).everywhere for perm in wide)


# Declarations ----------------------------------------------------------------------------------
def _declare(view: Callable, permission: str) -> Callable:
    setattr(view, PERMISSION_ATTR, permission)
    return view


def declared_permission(view: Callable) -> str | None:
    return getattr(view, PERMISSION_ATTR, None)


def public(view: Callable) -> Callable:
    """Anyone may call this view; it must only show published data."""
    return _declare(view, PUBLIC)


def authenticated(view: Callable) -> Callable:
    """Any signed-in person, acting on their own things only (their account, their tokens)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _declare(wrapper, AUTHENTICATED)


def requires(perm: Perm) -> Callable[[Callable], Callable]:
    """A signed-in person who holds `perm` somewhere (403 otherwise); the view then fetches its
    object through a `*_for_user` helper, which checks the object itself."""
    perm = Perm(perm)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not holds(request.user, perm):
                raise AccessRefused(hidden=False, perm=perm)
            return view(request, *args, **kwargs)

        return _declare(wrapper, perm)

    return decorator


# Field-level rules -----------------------------------------------------------------------------
def can_see_other_reviews(*, user, has_submitted_own: bool) -> bool:
    """A reviewer sees the other reviews of an application only after submitting their own;
    officers always see them. (The grants app applies this in `reviews_visible_to`.)"""
    return has_submitted_own or reach(user, Perm.REVIEWS_READ_ALL).everywhere
