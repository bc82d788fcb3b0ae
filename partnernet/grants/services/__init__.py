"""Writes of the grants app, one module per sub-domain, sharing one transition runner:

- `calls`: calls for applications (create, edit, open, close);
- `applications`: starting, co-writing (`grants.drafts`), letter, team, budget, results plan,
  submitting;
- `review`: the officer's steps, reviewers and their reviews;
- `signoffs`: both partners' sign-off of the content before submitting, cleared by a change;
- `decisions`: granting (under a lock on the call's budget) and rejecting, and the exceptions
  to the decision rules a second programme officer approves;
- `letters`: the decision letter to each partner, in its language;
- `agreements`: the agreement, both partners' acceptance, the partnership the grant creates and
  activates, results reported on an active grant;
- `demo_history`: the demo's historical grants, kept out of the real decision;
- `workflow`: lock, guarded transition, audit entry, announcement after the commit.

Every public service is re-exported here: `from partnernet.grants import services` and
`services.application_grant(...)`. Reads live in `grants.selectors`.
"""

from .agreements import (
    agreement_accept,
    agreement_generate,
    indicator_actual_record,
    partnership_activate,
    partnership_for_grant,
)
from .applications import (
    TEAM_SNAPSHOT,
    DraftResult,
    application_draft_save,
    application_letter_upload,
    application_resubmit,
    application_start,
    application_submit,
    budget_line_add,
    budget_line_remove,
    indicator_add,
    result_add,
    team_member_add,
    team_member_remove,
)
from .calls import CALL_FACTS, call_close, call_create, call_open, call_update
from .decisions import (
    application_grant,
    application_reject,
    decision_exception_answer,
    decision_exception_request,
)
from .demo_history import application_history_write
from .letters import decision_letters_write
from .review import REVIEWABLE, application_move, review_assign, review_submit
from .signoffs import application_sign_off, application_sign_off_withdraw, signoffs_clear

__all__ = [
    "CALL_FACTS",
    "REVIEWABLE",
    "TEAM_SNAPSHOT",
    "DraftResult",
    "agreement_accept",
    "agreement_generate",
    "application_draft_save",
    "application_grant",
    "application_history_write",
    "application_letter_upload",
    "application_move",
    "application_reject",
    "application_resubmit",
    "application_sign_off",
    "application_sign_off_withdraw",
    "application_start",
    "application_submit",
    "budget_line_add",
    "budget_line_remove",
    "call_close",
    "call_create",
    "call_open",
    "call_update",
    "decision_exception_answer",
    "decision_exception_request",
    "decision_letters_write",
    "indicator_actual_record",
    "indicator_add",
    "partnership_activate",
    "partnership_for_grant",
    "result_add",
    "review_assign",
    "review_submit",
    "signoffs_clear",
    "team_member_add",
    "team_member_remove",
]
