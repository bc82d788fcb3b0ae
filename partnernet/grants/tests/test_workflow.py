from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnernet.audit.models import AuditEntry
from partnernet.lib.systemtext import render
from partnernet.partnerships.models import FundingTransaction, Partnership

from .. import selectors, services
from ..drafts import FieldEdit
from ..models import Application, State
from ..rules import INCEPTION_TEAM
from . import factories as f

pytestmark = pytest.mark.django_db


def _audits(application, action):
    return AuditEntry.objects.filter(
        object_type="grants.application", object_id=str(application.pk), action=action
    )


def test_every_transition_leaves_an_audit_entry_and_an_email(django_capture_on_commit_callbacks):
    call = f.call()
    application, writer = f.complete_application(call)
    partner_writer = f.coordinator(application.partner)
    staff, other = f.officer(), f.reviewer()
    steps = [
        (
            "submit",
            lambda: services.application_submit(application_id=application.pk, actor=writer),
        ),
        (
            "screen",
            lambda: services.application_move(
                application_id=application.pk, actor=staff, action="screen"
            ),
        ),
        (
            "request_information",
            lambda: services.application_move(
                application_id=application.pk,
                actor=staff,
                action="request_information",
                reason="Budget?",
            ),
        ),
        (
            "resubmit",
            lambda: services.application_resubmit(application_id=application.pk, actor=writer),
        ),
        (
            "screen",
            lambda: services.application_move(
                application_id=application.pk, actor=staff, action="screen"
            ),
        ),
        (
            "start_review",
            lambda: (
                services.application_move(
                    application_id=application.pk, actor=staff, action="start_review"
                ),
                f.review_done(application),  # the one completed review the call asks for
            ),
        ),
        (
            "grant",
            lambda: services.application_grant(
                application_id=application.pk,
                actor=staff,
                amount=Decimal(150_000),
                reasons="Strong plan",
            ),
        ),
        (
            "sign_agreement",
            lambda: (
                services.agreement_accept(
                    application_id=application.pk, actor=writer, side="swedish"
                ),
                services.agreement_accept(
                    application_id=application.pk, actor=partner_writer, side="partner"
                ),
            ),
        ),
        (
            "close",
            lambda: services.application_move(
                application_id=application.pk, actor=staff, action="close"
            ),
        ),
    ]
    assert other  # a reviewer exists but was never assigned: the officer may decide
    for action, step in steps:
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            step()
        assert _audits(application, action).exists(), action
        assert len(mail.outbox) > before, f"no e-mail for {action}"
    assert _audits(application, "activate").exists()
    application.refresh_from_db()
    assert application.state == State.CLOSED
    addresses = {address for message in mail.outbox for address in message.to}
    assert {writer.email, partner_writer.email, staff.email} <= addresses


def test_emails_are_sent_only_after_commit():
    call = f.call()
    application, writer = f.complete_application(call)
    mail.outbox.clear()
    services.application_submit(application_id=application.pk, actor=writer)
    assert mail.outbox == []  # the test transaction has not committed


def test_a_late_submission_is_refused_with_the_closing_time():
    call = f.call(
        opens_at=timezone.now() - timezone.timedelta(days=30),
        closes_at=timezone.now() - timezone.timedelta(hours=1),
    )
    application, writer = f.complete_application(call)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application_id=application.pk, actor=writer)
    assert "late applications cannot be submitted" in " ".join(error.value.messages)
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_an_incomplete_inception_team_keeps_the_application_in_draft():
    call = f.call()
    application, writer = f.complete_application(call)
    application.team.filter(side="partner", role="politician_opposition").delete()
    with pytest.raises(ValidationError) as error:
        services.application_submit(application_id=application.pk, actor=writer)
    assert any("opposition" in message for message in error.value.messages)
    assert len(INCEPTION_TEAM) == 4


def test_a_decision_must_state_reasons_and_the_decider_must_not_be_a_reviewer():
    application = f.in_review(f.call())
    staff = f.officer()
    with pytest.raises(ValidationError, match="reasons"):
        services.application_grant(
            application_id=application.pk, actor=staff, amount=Decimal(100_000), reasons="  "
        )
    from partnernet.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=staff, role=Role.REVIEWER, organisation=f.funder())
    services.review_assign(application_id=application.pk, reviewer=staff, actor=staff)
    with pytest.raises(ValidationError, match="someone else"):
        services.application_grant(
            application_id=application.pk, actor=staff, amount=Decimal(100_000), reasons="Good"
        )
    with pytest.raises(ValidationError, match="someone else"):
        services.application_reject(application_id=application.pk, actor=staff, reasons="Weak")


def test_a_grant_above_the_calls_remaining_budget_is_refused():
    call = f.call(budget=Decimal(250_000))
    first, second = f.in_review(call, 0), f.in_review(call, 1)
    staff = f.officer()
    services.application_grant(
        application_id=first.pk, actor=staff, amount=Decimal(150_000), reasons="Good"
    )
    with pytest.raises(ValidationError, match="budget cannot cover"):
        services.application_grant(
            application_id=second.pk, actor=staff, amount=Decimal(150_000), reasons="Good"
        )
    second.refresh_from_db()
    assert second.state == State.IN_REVIEW


def test_a_grant_above_the_component_ceiling_is_refused():
    application = f.in_review(f.call())
    with pytest.raises(ValidationError, match="ceiling"):
        services.application_grant(
            application_id=application.pk,
            actor=f.officer(),
            amount=Decimal(220_001),
            reasons="Good",
        )


def test_grant_commits_money_and_agreement_publishes_a_new_partnership():
    application = f.in_review(f.call(), amount=Decimal(200_000))
    staff = f.officer()
    services.application_grant(
        application_id=application.pk, actor=staff, amount=Decimal(200_000), reasons="Good"
    )
    application.refresh_from_db()
    partnership = application.partnership
    assert partnership.granted_amount == Decimal(200_000) and not partnership.is_published
    assert FundingTransaction.objects.get(partnership=partnership).kind == "commitment"
    assert [d.kind for d in application.agreement.deadlines.all()] == ["final"]
    swedish, partner = (
        f.coordinator(application.swedish_partner),
        f.coordinator(application.partner),
    )
    with pytest.raises(ValidationError) as other:
        services.agreement_accept(application_id=application.pk, actor=swedish, side="partner")
    assert other.value.code == "other_side"
    services.agreement_accept(application_id=application.pk, actor=swedish, side="swedish")
    with pytest.raises(ValidationError) as twice:
        services.agreement_accept(application_id=application.pk, actor=swedish, side="swedish")
    assert twice.value.code == "twice"
    application.refresh_from_db()
    assert application.state == State.GRANTED
    services.agreement_accept(application_id=application.pk, actor=partner, side="partner")
    partnership = Partnership.objects.get(pk=partnership.pk)
    assert partnership.is_published and partnership.status == "active"
    assert partnership.summary_sv == "Demokratiska skolor"
    assert Application.objects.get(pk=application.pk).state == State.ACTIVE


def test_submitting_twice_leaves_one_submission():
    application, writer = f.complete_application(f.call())
    services.application_submit(application_id=application.pk, actor=writer)
    services.application_submit(application_id=application.pk, actor=writer)
    assert _audits(application, "submit").count() == 1
    again = services.application_start(
        call=application.call,
        swedish_partner=application.swedish_partner,
        partner=application.partner,
        area=None,
        title="x",
        actor=writer,
    )
    assert again.pk == application.pk


def test_the_demo_seed_partnerships_are_granted_inception_applications():
    granted = Application.objects.filter(
        partnership__slug__in=[
            "falun-kolomyia",
            "karlskrona-chortkiv",
            "lidingo-slavuta",
            "ronneby-ternopil",
            "umea-kherson",
            "vaxjo-kalush",
        ],
        state=State.GRANTED,
        call__component="inception",
    )
    assert granted.count() == 6
    one = granted.first()
    actions = set(
        AuditEntry.objects.filter(
            object_type="grants.application", object_id=str(one.pk)
        ).values_list("action", flat=True)
    )
    assert {"create", "submit", "screen", "start_review", "grant"} <= actions
    # The demo's reasons are a system text, read in each reader's language.
    assert one.decided_by is not None and render(one.decision_reasons, "sv").startswith("Demodata")
    assert render(one.decision_reasons, "en").startswith("Demo data")
    assert one.granted_amount is None  # the announcement gives no amount: left empty
    from ..demo import grants_demo_load

    grants_demo_load()  # idempotent
    assert Application.objects.filter(state=State.GRANTED).count() == 6


def test_an_application_without_a_cooperation_area_cannot_be_submitted():
    application, writer = f.complete_application(f.call())
    services.application_draft_save(
        application_id=application.pk,
        actor=writer,
        sections={},
        fields={"area": FieldEdit(None, base=selectors.field_base(application, "area"))},
    )
    with pytest.raises(ValidationError, match="cooperation area"):
        services.application_submit(application_id=application.pk, actor=writer)
