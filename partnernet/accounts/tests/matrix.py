"""The permission matrix, written by hand: who may use each route, in the programme's words.

Nothing here is read from the code under test: not from the view declarations, not from
`accounts.permissions.POLICY`. If a declaration is loosened or the policy widened, a cell of
`test_permissions.py` disagrees with this page and fails.

Outcomes of one request:
  OK         the person got in (a page, a file, a form's own errors, a redirect after a write)
  LOGIN      sign in first (a redirect to the sign-in page, or 401 from the API)
  HELD       staff without a two-factor-verified session are sent to the two-factor step
  FORBIDDEN  403: the person may see the thing but not do this
  HIDDEN     404: the person may not see the thing at all, so it is as if it did not exist
"""

from __future__ import annotations

from dataclasses import dataclass

OK, LOGIN, HELD, FORBIDDEN, HIDDEN = "OK", "LOGIN", "HELD", "FORBIDDEN", "HIDDEN"

# The people who try every route. The sample objects belong to Falun–Kolomyia (Falun, 2080).
ANONYMOUS = "anonymous"
COORDINATOR_OWN = "coordinator-own"  # municipal coordinator of Falun, for Falun–Kolomyia
COORDINATOR_OTHER = "coordinator-other"  # municipal coordinator of Umeå, for Umeå–Kherson
PROJECT_MEMBER = "project-member"  # project member of Falun–Kolomyia
STEERING_MEMBER = "steering-member"  # steering-group member of Falun–Kolomyia
OFFICER = "programme-officer"  # verified by two factors
REVIEWER = "reviewer"  # assigned to the sample application, verified
REVIEWER_OTHER = "reviewer-other"  # a reviewer not assigned to it, verified
FINANCE = "finance-officer"  # verified
NETWORK = "network-coordinator"  # verified
UNVERIFIED_STAFF = "staff-unverified"  # a programme officer who has not given a second factor

PRINCIPALS = [
    ANONYMOUS,
    COORDINATOR_OWN,
    COORDINATOR_OTHER,
    PROJECT_MEMBER,
    STEERING_MEMBER,
    OFFICER,
    REVIEWER,
    REVIEWER_OTHER,
    FINANCE,
    NETWORK,
    UNVERIFIED_STAFF,
]
COORDINATORS = frozenset({COORDINATOR_OWN, COORDINATOR_OTHER})
REVIEWERS = frozenset({REVIEWER, REVIEWER_OTHER})
SIGNED_IN = frozenset(PRINCIPALS) - {ANONYMOUS, UNVERIFIED_STAFF}


@dataclass(frozen=True)
class Rule:
    """Who may use a route. `may`: they get in. `hidden_from`: signed-in people who may not
    even see the object (404). Any other signed-in person is refused (403). `public`: anyone,
    signed in or not. `two_factor_page`: one of the pages a person held for two factors may
    still open (signing in and out, the two-factor pages)."""

    words: str
    may: frozenset[str] = frozenset()
    hidden_from: frozenset[str] = frozenset()
    public: bool = False
    two_factor_page: bool = False


def anyone(words: str, *, two_factor_page: bool = False) -> Rule:
    return Rule(words, public=True, two_factor_page=two_factor_page)


def signed_in(words: str, *, two_factor_page: bool = False) -> Rule:
    return Rule(words, may=SIGNED_IN, two_factor_page=two_factor_page)


def only(words: str, *who: str, hidden_from: tuple[str, ...] = ()) -> Rule:
    return Rule(words, may=frozenset(who), hidden_from=frozenset(hidden_from))


PUBLIC_PAGE = "the public reads what is published, and the registry"
WORKSPACE_TEAM = (OFFICER, COORDINATOR_OWN, PROJECT_MEMBER, STEERING_MEMBER)
PLAN_READERS = (OFFICER, FINANCE, COORDINATOR_OWN, PROJECT_MEMBER, STEERING_MEMBER)
WRITING = "only the coordinators of the applying municipalities co-write an application"

POLICY_IN_WORDS: dict[str, Rule] = {
    # The public site and the open data
    "healthz": anyone("anyone may ask whether the service is up"),
    # A token route: the matrix sends the token (test_permissions.ROUTE_HEADERS); without it 404
    # when no token is set, else 401/403 (observability tests).
    "metrics": anyone("whoever holds the metrics token reads the service's counts"),
    "sitemap": anyone(PUBLIC_PAGE),
    "set_language": anyone("anyone may choose the language", two_factor_page=True),
    "catalogue:home": anyone(PUBLIC_PAGE),
    "catalogue:partnerships": anyone(PUBLIC_PAGE),
    "catalogue:feed": anyone(PUBLIC_PAGE),
    "catalogue:partnership": anyone(PUBLIC_PAGE),
    "catalogue:network": anyone(PUBLIC_PAGE),
    "catalogue:map": anyone(PUBLIC_PAGE),
    "catalogue:map_data": anyone(PUBLIC_PAGE),
    "municipalities:search": anyone(PUBLIC_PAGE),
    "municipalities:detail": anyone(PUBLIC_PAGE),
    "matchmaking:queue": anyone("anyone sees how many municipalities wait in the queue"),
    "calls:list": anyone("anyone reads the open, upcoming and past calls for applications"),
    "calls:detail": anyone("anyone reads an open or upcoming call; a draft has no public page"),
    "site:accessibility": anyone("anyone reads the accessibility statement"),
    "site:privacy": anyone("anyone reads the privacy notice"),
    "site:contact": anyone("anyone finds how to contact the funder"),
    "join:start": anyone("any municipality may ask to join a network"),
    "join:confirm": anyone("whoever holds a one-time link may confirm that request to join"),
    "opendata:index": anyone(PUBLIC_PAGE),
    "opendata:datapackage": anyone(PUBLIC_PAGE),
    "opendata:catalog": anyone(PUBLIC_PAGE),
    "opendata:iati_activities": anyone(PUBLIC_PAGE),
    "opendata:iati_organisation": anyone(PUBLIC_PAGE),
    "opendata:csv": anyone(PUBLIC_PAGE),
    "opendata:json": anyone(PUBLIC_PAGE),
    "api-v1:partnerships_list": anyone(PUBLIC_PAGE),
    "api-v1:partnership_detail": anyone(PUBLIC_PAGE),
    "api-v1:municipalities_list": anyone(PUBLIC_PAGE),
    "api-v1:municipality_detail": anyone(PUBLIC_PAGE),
    "api-v1:networks_list": anyone(PUBLIC_PAGE),
    "api-v1:network_detail": anyone(PUBLIC_PAGE),
    "api-v1:areas_list": anyone(PUBLIC_PAGE),
    "api-v1:goals_list": anyone(PUBLIC_PAGE),
    # Signing in, passwords, one's own account
    "accounts:login": anyone("anyone may sign in", two_factor_page=True),
    "accounts:login_verify": anyone("anyone may give their second factor", two_factor_page=True),
    "accounts:logout": anyone("anyone may sign out", two_factor_page=True),
    "accounts:password_reset": anyone("anyone may ask for a new password"),
    "accounts:password_set": anyone("whoever holds a one-time link may set that password"),
    "accounts:home": signed_in("everyone signed in keeps their own details"),
    "me": signed_in("everyone signed in has a start page of what waits for them"),
    "accounts:sessions_end": signed_in("everyone signed in may sign out everywhere"),
    "accounts:export": signed_in("everyone may download what is held about themselves"),
    "accounts:two_factor": signed_in("everyone may set up two factors", two_factor_page=True),
    "accounts:recovery_codes": signed_in(
        "everyone with two factors may renew their recovery codes", two_factor_page=True
    ),
    "api_tokens": signed_in("everyone signed in manages their own API tokens"),
    "notifications:list": signed_in("everyone signed in reads their own notifications"),
    "notifications:read_all": signed_in("everyone signed in may mark their own as read"),
    "notifications:settings": signed_in("everyone signed in chooses how often they get e-mail"),
    "notifications:open": only(
        "a notification is opened by the person it was sent to; nobody else learns it exists",
        COORDINATOR_OWN,
        hidden_from=tuple(SIGNED_IN - {COORDINATOR_OWN}),
    ),
    "api_token_revoke": only(
        "a token is revoked by its owner only; nobody else learns that it exists",
        COORDINATOR_OWN,
        hidden_from=tuple(SIGNED_IN - {COORDINATOR_OWN}),
    ),
    "api-v1:own_partnerships_list": signed_in(
        "everyone signed in may list the partnerships they coordinate (none, for most)"
    ),
    "api-v1:own_partnership_detail": only(
        "a coordinator reads their own partnership in full through the API; "
        "other coordinators do not learn it exists; nobody else uses this",
        COORDINATOR_OWN,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    "api-v1:own_partnership_update": only(
        "a coordinator edits their own partnership's texts through the API",
        COORDINATOR_OWN,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    # People and personal data: programme officers only
    "accounts:people": only(
        "only programme officers see everyone with an account and invite people", OFFICER
    ),
    "accounts:person_export": only(
        "only programme officers export another person's personal data", OFFICER
    ),
    "accounts:person_erase": only("only programme officers erase another person", OFFICER),
    "audit:history": only(
        "programme officers and finance officers read the history of anything", OFFICER, FINANCE
    ),
    # Calls, applications, reviews, decisions
    "grants:index": only(
        "programme officers, coordinators and reviewers have a grants page "
        "(each sees the applications that concern them)",
        OFFICER,
        *COORDINATORS,
        *REVIEWERS,
    ),
    "grants:call_create": only("only programme officers open calls", OFFICER),
    "grants:call": only("only programme officers see a call's score table", OFFICER),
    "grants:call_edit": only("only programme officers edit a call and its texts", OFFICER),
    "grants:call_open": only("only programme officers open a call to the public", OFFICER),
    "grants:call_close": only("only programme officers close a call", OFFICER),
    "grants:call_export": only("only programme officers download a call's scores", OFFICER),
    "grants:start": only(
        "any municipal coordinator starts an application for their municipality", *COORDINATORS
    ),
    "grants:application": only(
        "an application is read by the coordinators of its municipalities, the reviewers "
        "assigned to it and programme officers; other coordinators and reviewers do not "
        "learn it exists",
        OFFICER,
        COORDINATOR_OWN,
        REVIEWER,
        hidden_from=(COORDINATOR_OTHER, REVIEWER_OTHER),
    ),
    "grants:autosave": only(WRITING, COORDINATOR_OWN, hidden_from=(COORDINATOR_OTHER,)),
    "grants:letter": only(WRITING, COORDINATOR_OWN, hidden_from=(COORDINATOR_OTHER,)),
    "grants:team_add": only(WRITING, COORDINATOR_OWN, hidden_from=(COORDINATOR_OTHER,)),
    "grants:budget_add": only(WRITING, COORDINATOR_OWN, hidden_from=(COORDINATOR_OTHER,)),
    "grants:result_add": only(WRITING, COORDINATOR_OWN, hidden_from=(COORDINATOR_OTHER,)),
    "grants:indicator_add": only(WRITING, COORDINATOR_OWN, hidden_from=(COORDINATOR_OTHER,)),
    "grants:remove": only(WRITING, COORDINATOR_OWN, hidden_from=(COORDINATOR_OTHER,)),
    "grants:submit": only(
        "only the applying coordinators submit", COORDINATOR_OWN, hidden_from=(COORDINATOR_OTHER,)
    ),
    "grants:move": only("only programme officers move an application on", OFFICER),
    "grants:assign": only("only programme officers assign reviewers", OFFICER),
    "grants:decide": only(
        "only programme officers decide; a reviewer may read the applications they review "
        "but may not decide",
        OFFICER,
    ),
    "grants:review": only(
        "only a reviewer assigned to an application scores it (not even an officer)",
        REVIEWER,
        hidden_from=(REVIEWER_OTHER,),
    ),
    "grants:accept": only(
        "the applying coordinators accept the grant agreement for their side",
        COORDINATOR_OWN,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    "grants:sign_off": only(
        "only the applying coordinators sign an application off (or withdraw their sign-off)",
        COORDINATOR_OWN,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    "grants:exception_request": only(
        "only programme officers ask for an exception to the decision rules", OFFICER
    ),
    "grants:exception_answer": only(
        "only programme officers answer another officer's request for an exception", OFFICER
    ),
    "grants:letter_of_intent_file": only(
        "the signed letter of intent is downloaded by whoever reads the application: its "
        "coordinators, the reviewers assigned to it and programme officers",
        OFFICER,
        COORDINATOR_OWN,
        REVIEWER,
        hidden_from=(COORDINATOR_OTHER, REVIEWER_OTHER),
    ),
    "grants:decision_letter": only(
        "a decision letter is read by the applying coordinators and programme officers; "
        "reviewers do not get the partners' letters, other coordinators do not learn of them",
        OFFICER,
        COORDINATOR_OWN,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    "grants:agreement_text": only(
        "the grant agreement is read by the applying coordinators and programme officers",
        OFFICER,
        COORDINATOR_OWN,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    # Publication of partnerships
    "partnerships:publication": only(
        "only programme officers publish, withdraw and keep a partnership's fields private",
        OFFICER,
    ),
    # A partnership's documents and conversation (the workspace after the grant)
    **{
        name: only(
            "a partnership's documents and conversation are for its team (both sides' "
            "coordinators, project and steering-group members) and programme officers; other "
            "partnerships' people do not even see that they exist",
            OFFICER,
            COORDINATOR_OWN,
            PROJECT_MEMBER,
            STEERING_MEMBER,
            hidden_from=(COORDINATOR_OTHER,),
        )
        for name in (
            "documents:list",
            "documents:upload",
            "documents:detail",
            "documents:version_add",
            "documents:download",
            "conversations:thread",
            "conversations:post",
            "conversations:activity_thread",
            "conversations:activity_post",
        )
    },
    "documents:publish": only(
        "only programme officers publish a document on the public partnership page or take it off",
        OFFICER,
    ),
    "public_documents:download": anyone(
        "anyone downloads a published document of a published partnership"
    ),
    # The registry
    "municipalities:add": only(
        "only programme officers add a local or regional government of another country to the "
        "registry",
        OFFICER,
    ),
    # Queue and matchmaking
    "matchmaking:entry": only(
        "a queue entry and its history are for programme officers and the municipality's own "
        "coordinators",
        OFFICER,
        COORDINATOR_OWN,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    "matchmaking:join_request": only(
        "only programme officers read, verify and decline a request to join (it is nobody "
        "else's business before it is verified, not even the municipality's coordinators')",
        OFFICER,
    ),
    "matchmaking:move": only("only programme officers move a municipality in the queue", OFFICER),
    "matchmaking:reorder": only("only programme officers change the queue's order", OFFICER),
    "matchmaking:profile": only(
        "a municipality's interest profile (with its private contact) is edited by its own "
        "coordinators and programme officers",
        OFFICER,
        COORDINATOR_OWN,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    "matchmaking:suggestions": only("only programme officers see partner suggestions", OFFICER),
    "matchmaking:propose": only("only programme officers propose a match", OFFICER),
    "matchmaking:proposal": only(
        "a proposed match is answered by the two municipalities' coordinators; officers may "
        "record an answer",
        OFFICER,
        COORDINATOR_OWN,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    "matchmaking:letter": only(
        "a letter of intent is confirmed by the two municipalities' coordinators; officers "
        "may record a confirmation",
        OFFICER,
        COORDINATOR_OWN,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    # A partnership's workspace (issue 13): its team on both sides and programme officers;
    # nobody else learns that it exists, whatever they may do elsewhere.
    **{
        f"workspace:{name}": only(
            "a partnership's workspace (its overview, team, activity plan and timeline) is "
            "open to its team on both sides and to programme officers; everyone else does not "
            "learn it exists",
            *WORKSPACE_TEAM,
            hidden_from=tuple(SIGNED_IN - set(WORKSPACE_TEAM)),
        )
        for name in ("home", "team", "activities", "timeline", "activity")
    },
    **{
        f"workspace:{name}": only(
            "everyone in the team (project and steering-group members too) and programme "
            "officers plan and edit activities and move their status",
            *WORKSPACE_TEAM,
            hidden_from=tuple(SIGNED_IN - set(WORKSPACE_TEAM)),
        )
        for name in ("activity_create", "activity_edit", "activity_step")
    },
    **{
        f"workspace:{name}": only(
            "only the coordinators (for their own side) and programme officers invite and "
            "remove team members; the team's other members see the team but may not change it",
            OFFICER,
            COORDINATOR_OWN,
            hidden_from=tuple(SIGNED_IN - set(WORKSPACE_TEAM)),
        )
        for name in ("team_invite", "team_remove")
    },
    # A report's narrative and review (issue 14, writing): the partnership's team on both
    # sides, programme and finance officers read it; other partnerships' people do not learn
    # it exists; roles that never read reports are refused.
    "reports:detail": only(
        "a report (its narrative and the officer's comments) is read by its partnership's team "
        "on both sides and by programme and finance officers; other partnerships' people do not "
        "learn it exists",
        OFFICER,
        FINANCE,
        COORDINATOR_OWN,
        PROJECT_MEMBER,
        STEERING_MEMBER,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    "reports:save": only(
        "a report's narrative is co-written by its coordinators and project members of both "
        "sides; the steering group and officers read it",
        COORDINATOR_OWN,
        PROJECT_MEMBER,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    "reports:submit": only(
        "only a coordinator of either side submits the report",
        COORDINATOR_OWN,
        hidden_from=(COORDINATOR_OTHER,),
    ),
    "reports:review": only(
        "only programme officers approve or return a report",
        OFFICER,
    ),
    # A partnership's report schedule (issue 14.2, 14.3): the team on both sides, programme and
    # finance officers see it; only programme officers add reports and move due dates.
    "reports:list": only(
        "a partnership's reports, their due dates and states are seen by its team on both "
        "sides and by programme and finance officers; everyone else does not learn they exist",
        OFFICER,
        FINANCE,
        COORDINATOR_OWN,
        PROJECT_MEMBER,
        STEERING_MEMBER,
        hidden_from=tuple(
            SIGNED_IN - {OFFICER, FINANCE, COORDINATOR_OWN, PROJECT_MEMBER, STEERING_MEMBER}
        ),
    ),
    **{
        f"reports:{name}": only(
            "only programme officers add milestone and ad-hoc reports and move due dates; "
            "everyone else (the team and finance officers too) is refused",
            OFFICER,
        )
        for name in ("create", "due")
    },
    # The programme at a glance and the funder's budget (issue 14, part 8 and 6): programme
    # and finance officers only; everyone else signed in is refused.
    **{
        f"programme:{name}": only(
            "programme officers and finance officers see the programme at a glance, its "
            "export and the funder's budget; nobody else does",
            OFFICER,
            FINANCE,
        )
        for name in ("dashboard", "export", "budget")
    },
    # A report's finances (issue 14.4-14.6: expenditures, receipts, bulk import, reimbursement):
    # everyone who sees the partnership's reports reads them; its coordinators and project
    # members write them; only finance officers record the reimbursement.
    **{
        f"reports:{name}": only(
            "a report's finances (budget against actual, expenditures, the import template) are "
            "read by the partnership's team on both sides, programme and finance officers; "
            "nobody else learns they exist",
            *WORKSPACE_TEAM,
            FINANCE,
            hidden_from=tuple(SIGNED_IN - {*WORKSPACE_TEAM, FINANCE}),
        )
        for name in ("finances", "import_template")
    },
    **{
        f"reports:{name}": only(
            "a report's expenditures, receipts and imports are written by the coordinators and "
            "project members of the partnership; officers and the steering group read them; "
            "other partnerships' coordinators do not learn they exist",
            COORDINATOR_OWN,
            PROJECT_MEMBER,
            hidden_from=(COORDINATOR_OTHER,),
        )
        for name in (
            "expenditure_add",
            "expenditure_edit",
            "expenditure_remove",
            "receipt_add",
            "import",
            "import_preview",
            "import_confirm",
            "import_discard",
        )
    },
    "reports:reimburse": only(
        "finance officers record the reimbursement of an approved report (programme officers "
        "may too, never for a report they approved themselves); nobody else",
        FINANCE,
        OFFICER,
    ),
    # A partnership's results plan and a report's indicator values (issue 14, area "plan"):
    # seen by its team on both sides and by programme and finance officers; the team edits,
    # the coordinators propose, the programme officer accepts. The steps are refused (403) to
    # whoever may do them nowhere; a coordinator of another partnership learns nothing (404).
    **{
        name: only(
            "a partnership's results plan and its reports' indicator values are seen by its "
            "team on both sides and by programme and finance officers",
            *PLAN_READERS,
            hidden_from=tuple(SIGNED_IN - set(PLAN_READERS)),
        )
        for name in ("results:plan", "results:version", "reports:indicators")
    },
    **{
        name: only(
            "the team (coordinators and project members) edits the plan's drafts and a report's "
            "indicator values; steering-group members and officers read them",
            COORDINATOR_OWN,
            PROJECT_MEMBER,
            hidden_from=(COORDINATOR_OTHER,),
        )
        for name in (
            "results:start",
            "results:carry",
            "results:revise",
            "results:edit",
            "results:statement_add",
            "results:statement_edit",
            "results:statement_remove",
            "results:indicator_add",
            "results:indicator_edit",
            "results:indicator_remove",
            "reports:indicators_save",
        )
    },
    **{
        f"results:{name}": only(
            "only the coordinators propose a changed plan and take a proposal back",
            COORDINATOR_OWN,
            hidden_from=(COORDINATOR_OTHER,),
        )
        for name in ("propose", "reopen")
    },
    **{
        f"results:{name}": only(
            "only the programme officer accepts or declines a proposed plan (refused to "
            "everyone else, who may do it nowhere)",
            OFFICER,
        )
        for name in ("accept", "decline")
    },
    # Network meetings and calendars (issue 13.7, 13.8)
    **{
        f"events:{name}": anyone(
            "anyone sees a network's public meetings and their calendars; a meeting that is "
            "not public only the network's partnerships' people and the managers"
        )
        for name in ("list", "network_ics", "detail", "ics")
    },
    **{
        f"events:{name}": only(
            "programme officers and network coordinators create, change and cancel meetings, "
            "see the registrations and waiting list, record attendance and share materials",
            OFFICER,
            NETWORK,
        )
        for name in ("create", "edit", "cancel", "registrations", "attendance", "materials")
    },
    "events:register": signed_in("anyone signed in registers themself for a meeting they see"),
    "events:unregister": signed_in("anyone signed in cancels their own registration"),
    "events:material_file": only(
        "a meeting's materials are downloaded by the people registered and the managers",
        OFFICER,
        NETWORK,
        COORDINATOR_OWN,
    ),
    **{
        f"calendars:{name}": only(
            "a partnership's calendar (its activities and meetings) is for its team on both "
            "sides and programme officers; other coordinators do not learn it exists",
            OFFICER,
            COORDINATOR_OWN,
            PROJECT_MEMBER,
            STEERING_MEMBER,
            hidden_from=(COORDINATOR_OTHER,),
        )
        for name in ("partnership", "activity")
    },
    "calendars:page": signed_in("everyone signed in makes and resets their own calendar address"),
    "calendar_feed": anyone("whoever holds a person's secret calendar address reads it"),
}


def expected(route_name: str, principal: str) -> str:
    """The outcome the policy above gives `principal` on the route."""
    rule = POLICY_IN_WORDS[route_name]
    if principal == UNVERIFIED_STAFF:
        # Held at the two-factor step everywhere but signing in and out and two factors.
        return OK if rule.two_factor_page else HELD
    if rule.public:
        return OK
    if principal == ANONYMOUS:
        return LOGIN
    if principal in rule.may:
        return OK
    return HIDDEN if principal in rule.hidden_from else FORBIDDEN


def outcome(response, path: str) -> str:
    """What a response means, in the terms of the policy."""
    status, location = response.status_code, response.get("Location", "")
    if status >= 500:
        return f"SERVER ERROR {status}"
    if status == 401 or status == 302 and location.startswith("/accounts/login/?next="):
        return LOGIN
    held_at = ("/accounts/2fa/", "/accounts/login/verify/")
    if status == 302 and location.startswith(held_at) and not path.startswith("/accounts/2fa/"):
        return HELD
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return HIDDEN
    return OK
