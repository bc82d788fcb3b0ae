"""Writes of the review: the officer's steps (screening, review, asking for information,
closing), assigning reviewers and their reviews."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.accounts.models import Role, RoleAssignment, User
from partnernet.audit.services import audit_record

from .. import rules
from ..models import RUBRIC, SCORE_MAX, SCORE_MIN, Application, Review, State
from .workflow import application_locked, transition_apply, transition_check

REVIEWABLE = {State.SCREENING, State.IN_REVIEW, State.RESUBMITTED}


def review_assign(*, application_id: int, reviewer: User, actor: User) -> Review:
    """Ask a reviewer (someone holding the reviewer role) to assess an application."""
    if not RoleAssignment.objects.filter(user=reviewer, role=Role.REVIEWER).exists():
        raise ValidationError(_("This person is not a reviewer."))
    application = Application.objects.get(pk=application_id)
    if application.decided_by_id and application.decided_by_id == reviewer.pk:
        raise ValidationError(_("The person who decided cannot review."))
    with transaction.atomic():
        review, created = Review.objects.get_or_create(application=application, reviewer=reviewer)
        if created:
            audit_record(actor=actor, action="assign", obj=review)
    return review


def review_submit(
    *,
    review_id: int,
    actor: User,
    scores: dict[str, int | None],
    comments: str,
    conflict_of_interest: bool,
    conflict_explanation: str = "",
) -> Review:
    """Submit one's own review once. A declared conflict of interest replaces the scores."""
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related("application").get(pk=review_id)
        if review.reviewer_id != actor.pk:
            raise ValidationError(_("Only the assigned reviewer can submit this review."))
        if review.submitted_at:
            raise ValidationError(_("This review has already been submitted."))
        if review.application.state not in REVIEWABLE:
            raise ValidationError(_("This application is not open for review."))
        if conflict_of_interest:
            if not conflict_explanation.strip():
                raise ValidationError(_("Explain the conflict of interest."))
            scores = {}
        else:
            problems = rules.score_problems(scores, [k for k, _l in RUBRIC], SCORE_MIN, SCORE_MAX)
            if problems:
                raise ValidationError(problems)
        review.scores, review.comments = scores, comments.strip()
        review.conflict_of_interest = conflict_of_interest
        review.conflict_explanation = conflict_explanation.strip()
        review.submitted_at = timezone.now()
        review.save()
        audit_record(
            actor=actor,
            action="submit",
            obj=review,
            after={"scores": scores, "conflict_of_interest": conflict_of_interest},
        )
    return review


MOVES = {"screen", "start_review", "request_information", "close"}


def application_move(
    *, application_id: int, actor: User, action: str, reason: str = ""
) -> Application:
    """An officer's workflow step: `screen`, `start_review`, `request_information`, `close`."""
    if action not in MOVES:
        raise ValidationError(_("Unknown step."))
    if action == "request_information" and not reason.strip():
        raise ValidationError(_("Say what information is needed."))
    with transaction.atomic():
        application = application_locked(application_id)
        transition_check(application, action)
        transition_apply(application=application, action=action, actor=actor, reason=reason.strip())
    return application
