"""Writes for reviews and the results plan (logical framework) of an application."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.accounts.models import Role, RoleAssignment
from partnernet.audit.services import audit_record

from . import rules
from .models import (
    RUBRIC,
    SCORE_MAX,
    SCORE_MIN,
    Application,
    Indicator,
    IndicatorActual,
    ResultStatement,
    Review,
    State,
)
from .services import _editable

REVIEWABLE = {State.SCREENING, State.IN_REVIEW, State.RESUBMITTED}


def review_assign(*, application_id: int, reviewer, actor) -> Review:
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
    actor,
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


def result_add(*, application_id: int, actor, level: str, text: str) -> ResultStatement:
    with transaction.atomic():
        application = _editable(application_id)
        result = ResultStatement.objects.create(application=application, level=level, text=text)
        audit_record(actor=actor, action="add_result", obj=application, after={"level": level})
    return result


def indicator_add(
    *,
    result_id: int,
    actor,
    name: str,
    unit: str,
    baseline: Decimal,
    target: Decimal,
    baseline_year: int | None = None,
    target_year: int | None = None,
) -> Indicator:
    result = ResultStatement.objects.get(pk=result_id)
    with transaction.atomic():
        application = _editable(result.application_id)
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
    return indicator


def indicator_actual_record(
    *, indicator_id: int, actor, period: str, value: Decimal
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
