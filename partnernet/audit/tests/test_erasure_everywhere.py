"""Erasure leaves a person's name and contacts nowhere in the database.

The scenario makes a person do what people do (sign in, fail a sign-in, create a token and an
authenticator, write an interest profile with themselves as contact, move queue entries, sit on
an application's team, be named in application texts, review, be logged in the admin); then
EVERY model that declares personal fields gets a distinctive name, e-mail address and telephone
number written into each declared field; then the person is erased, and a raw SQL search over
every text and JSON column of every table (the row history and the domain audit trail
included) must find none of them.
"""

import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.accounts.services import (
    login_failure_record,
    person_erase,
    profile_update,
    recovery_codes_generate,
)
from partnernet.api.services import api_token_create
from partnernet.audit.personal import declared_models
from partnernet.audit.services import audit_record
from partnernet.grants import services as grants
from partnernet.grants.models import DecisionException, DecisionLetter, Review
from partnernet.grants.tests import factories as f
from partnernet.matchmaking import joining
from partnernet.matchmaking import services as matchmaking
from partnernet.matchmaking.models import LetterOfIntent, MatchProposal
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea

pytestmark = pytest.mark.django_db

NAME = "Zoriana Hnatyshyn-Vovk"
CYRILLIC = "Зоряна Гнатишин-Вовк"
EMAIL = "zoriana.vovk@hromada.example"
PHONE = "+380 67 555 01 23"
PROSE = f"Contact {NAME} ({EMAIL}, tel. {PHONE}; {CYRILLIC}), or Vovk's deputy."
# What must be found nowhere afterwards (case-insensitive, JSON escapes included).
SEARCHED = [NAME, CYRILLIC, EMAIL, "Hnatyshyn", "Гнатишин", "555 01 23", "5550123"]


def text_columns() -> list[tuple[str, str]]:
    """(table, column) of every text-like column of every table, read from the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND data_type IN "
                "('text', 'character varying', 'character', 'json', 'jsonb')"
            )
            return list(cursor.fetchall())
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [row[0] for row in cursor.fetchall()]
        found = []
        for table in tables:
            cursor.execute(f'PRAGMA table_info("{table}")')
            found += [(table, row[1]) for row in cursor.fetchall()]
        return found


def search_everywhere(terms: list[str]) -> dict[tuple[str, str], int]:
    variants = set()
    for term in terms:
        for v in {term, term.lower(), term.upper(), term.title()}:
            variants |= {v, json.dumps(v)[1:-1]}
    where = " OR ".join(["CAST({col} AS TEXT) LIKE %s"] * len(variants))
    params = [f"%{v}%" for v in sorted(variants)]
    hits = {}
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE ' + where.format(col=f'"{column}"'),
                params,
            )
            count = cursor.fetchone()[0]
            if count:
                hits[(table, column)] = count
    return hits


def value_for(field: models.Field):
    if isinstance(field, models.JSONField):
        return {"who": NAME, "mail": EMAIL, "phone": PHONE, "note": PROSE}
    name = field.name
    if isinstance(field, models.EmailField) or "email" in name:
        value = EMAIL
    elif "phone" in name:
        value = PHONE
    elif isinstance(field, models.TextField):
        value = PROSE
    else:
        value = NAME
    return value[: field.max_length] if field.max_length else value


def queryset(model):
    rows = model._base_manager.all()
    return rows.rewrite(False) if hasattr(rows, "rewrite") else rows


def fill_every_declared_field(person) -> dict[str, int]:
    """Write the person's name/e-mail/telephone into every declared text field of every model
    with a declaration: identity fields of the rows about the person, texts of every row.
    Returns the rows filled per model; a declared model without a row fails the test."""
    from partnernet.audit.personal import SELF, columns

    filled = {}
    for model, declared in declared_models():
        text_kinds = (models.CharField, models.TextField, models.JSONField)
        own = [f for f in columns(model, declared.identity + declared.attributes)]
        prose = [f for f in columns(model, declared.mentions + declared.derived)]
        own = [f for f in own if isinstance(f, text_kinds)]
        prose = [f for f in prose if isinstance(f, text_kinds)]
        if not own and not prose:
            continue  # only secrets (tested by the export test) or no text at all
        about = queryset(model)
        if declared.subject == SELF:
            about = about.filter(pk=person.pk)
        elif declared.subject is not None:
            about = about.filter(**{declared.subject: person})
        count = 0
        for fields, rows in ((own, about), (prose, queryset(model))):
            if not fields:
                continue
            pks = list(rows.order_by("pk").values_list("pk", flat=True)[:3])
            assert pks, f"the scenario creates no {model._meta.label} row: extend it"
            changes = {f.attname: value_for(f) for f in fields}
            if model is User:
                changes["email"] = EMAIL  # unique: the person's own address
            count += queryset(model).filter(pk__in=pks).update(**changes)
        filled[model._meta.label_lower] = count
    return filled


def scenario():
    """The person does what people do; their traces are everywhere."""
    from django.test import Client

    swedish, partner = f.pair(11)
    person = f.coordinator(partner, full_name=NAME, email=EMAIL)
    officer = f.officer()
    Client().force_login(person)  # a session and its record
    login_failure_record(email=EMAIL.upper(), ip_address="10.0.0.7")
    joining.join_attempt_record(ip_address="10.0.0.8", email=EMAIL.upper())
    api_token_create(user=person, name="laptop")
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    recovery_codes_generate(user=person)
    profile_update(user=person, full_name=NAME, preferred_language="uk")
    network = f.network()
    matchmaking.profile_save(
        municipality=partner,
        network=network,
        actor=person,
        text=f"Потрібна допомога з водопостачанням. Контакт: {CYRILLIC}, {PHONE}.",
        source_language="uk",
        areas=[CooperationArea.objects.get(slug="education")],
        contact_name=NAME,
        contact_email=EMAIL,
        contact_phone=PHONE,
    )
    other = Municipality.objects.filter(country_id="UA").exclude(pk=partner.pk).order_by("code")[3]
    matchmaking.profile_save(  # written by someone else, naming her in another spelling
        municipality=other,
        network=network,
        actor=officer,
        text="Water and waste.",
        source_language="en",
        areas=[],
        contact_name="  zoriana   HNATYSHYN-vovk ",
        contact_phone="+380675550123",
    )
    matchmaking.queue_entry_move(
        municipality=other, network=network, stage="matched", actor=person, reason="Matched"
    )
    joined = Municipality.objects.filter(country_id="UA").exclude(pk=partner.pk).order_by("code")[4]
    joining.join_request_start(  # she asks for another hromada to join, too
        municipality=joined,
        network=network,
        email=EMAIL,
        full_name=NAME,
        language="uk",
        areas=[],
        text=PROSE,
    )
    application, _writer = f.complete_application(f.call(), index=11)
    grants.team_member_add(
        application_id=application.pk,
        actor=person,
        side="partner",
        role="coordinator",
        name=NAME,
        position="Head of the youth department",
    )
    Review.objects.create(application=application, reviewer=person, comments="Fine.")
    DecisionException.objects.create(
        application=application, amount=1, reason=f"Asked by {NAME}", requested_by=officer
    )
    DecisionLetter.objects.create(
        application=application, side="partner", language="uk", body=f"<p>{CYRILLIC}</p>"
    )
    MatchProposal.objects.create(
        network=network, swedish_partner=swedish, partner=partner, note="x"
    )
    LetterOfIntent.objects.create(
        network=network, swedish_partner=swedish, partner=partner, text="x"
    )
    RoleAssignment.objects.create(
        user=person, role=Role.REVIEWER, organisation=Organisation.objects.filter(kind="funder")[0]
    )
    audit_record(actor=person, action="note", obj=application, reason=f"Asked by {NAME}")
    LogEntry.objects.create(
        user=officer,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["email"]}}]),
    )
    workspace_traces(person)
    report_traces(person)
    return person, officer


def report_traces(person) -> None:
    """Issue 14's reports: she is named in a results plan's change note and statement, writes a
    report's section, comments on an indicator value, imports expenditures (her name in the
    uploaded rows), describes a cost after herself, and comments on a report as an officer."""
    from datetime import date
    from decimal import Decimal

    from partnernet.grants.models import CostCategory
    from partnernet.partnerships.models import Partnership
    from partnernet.reports.models import (
        Expenditure,
        ExpenditureImport,
        IndicatorValue,
        PlanIndicator,
        PlanStatement,
        Report,
        ReportSection,
        ResultsPlan,
        ReviewComment,
    )

    own = Partnership.objects.get(slug="falun-kolomyia")
    plan = ResultsPlan.objects.create(
        partnership=own, component="project", change_note=f"Asked by {NAME}", created_by=person
    )
    statement = PlanStatement.objects.create(plan=plan, level="objective", text=PROSE)
    indicator = PlanIndicator.objects.create(
        statement=statement, name="Households served", baseline_value=Decimal(1)
    )
    report = Report.objects.create(
        partnership=own,
        kind="adhoc",
        component="project",
        title="Erasure scenario",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        due_on=date(2027, 2, 28),
        created_by=person,
    )
    section = ReportSection.objects.create(report=report, key="summary", source_language="en")
    section.set_text("text", "en", PROSE)
    section.save()
    IndicatorValue.objects.create(
        report=report, indicator=indicator, value=Decimal(2), comment=PROSE, updated_by=person
    )
    upload = ExpenditureImport.objects.create(
        report=report, file_name="costs.csv", rows=[{"description": PROSE}], created_by=person
    )
    Expenditure.objects.create(
        report=report,
        category=CostCategory.objects.filter(eligible=True).order_by("pk")[0],
        description=f"Train ticket for {NAME}",
        paid_on=date(2026, 5, 1),
        amount=Decimal(100),
        rate_date=date(2026, 5, 1),
        amount_sek=Decimal(100),
        imported_from=upload,
        created_by=person,
    )
    ReviewComment.objects.create(
        report=report, part="summary", text=PROSE, decision="returned", author=person
    )


def workspace_traces(person) -> None:
    """Issue 13's apps: she joins Falun–Kolomyia's team (and is named once more, in another
    spelling, without an address), is named in a visit, uploads minutes under her name, writes
    in the visit's conversation and is mentioned there, reads it, registers for a network
    meeting named after her, has a calendar address, notifications and a preference."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import TestCase
    from django.utils import timezone

    from partnernet.conversations import selectors as conversation_selectors
    from partnernet.conversations.services import message_post, thread_mark_read
    from partnernet.documents.services import document_upload
    from partnernet.events import services as events
    from partnernet.events.tests import factories as event_factories
    from partnernet.notifications.services import notification_preference_set
    from partnernet.partnerships.models import Partnership
    from partnernet.workspace import services as workspace
    from partnernet.workspace.models import TeamRole

    own = Partnership.objects.select_related("swedish_partner", "partner").get(
        slug="falun-kolomyia"
    )
    falun = User.objects.get(email="falun@demo.example")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the notifications are stored then
        member = workspace.team_member_invite(
            actor=None,
            partnership=own,
            side="partner",
            team_role=TeamRole.PROJECT_MEMBER,
            name=NAME,
            email=EMAIL,
            position="Head of the youth department",
        )
        assert member.user_id == person.pk  # her account, linked by its address
        workspace.team_member_invite(  # named only, by someone who spelt her otherwise
            actor=None,
            partnership=own,
            side="partner",
            team_role=TeamRole.CIVIL_SERVANT,
            name="  zoriana   HNATYSHYN-vovk ",
        )
        visit = workspace.activity_create(
            actor=falun,
            partnership=own,
            facts=workspace.ActivityFacts(
                kind="visit",
                title=f"Visit to {NAME}",
                starts_on=timezone.localdate(),
                travelling_side="swedish",
                place=f"{CYRILLIC}, міськрада",
                purpose=PROSE,
                participants=(member,),
            ),
        )
        workspace.activity_mark_done(
            actor=falun,
            activity=visit,
            report=f"{NAME} showed us the water works; call {PHONE}.",
            report_language="en",
            version=None,
            is_public=True,
        )
        document_upload(
            actor=person,
            partnership=own,
            title=f"Minutes by {NAME}",
            category="minutes",
            language="uk",
            file=SimpleUploadedFile(f"{NAME} minutes.pdf", f.PDF),
        )
        thread = conversation_selectors.thread_of(partnership=own, activity_id=visit.pk)
        message_post(
            actor=person,
            thread=thread,
            body=f"Дякую! {CYRILLIC}, {PHONE}",
            language="uk",
        )
        message_post(
            actor=falun,
            thread=thread,
            body=f"Thank you, {NAME}: see you in Falun.",
            language="en",
            mentions=[person],
        )
        thread_mark_read(person=person, thread=thread)
        meeting = event_factories.event(
            title_en=f"Meeting hosted by {NAME}", agenda_uk=f"Доповідає {CYRILLIC}"
        )
        events.registration_create(actor=person, event_id=meeting.pk, partnership=own)
        events.calendar_feed_reset(actor=person)
        notification_preference_set(user=person, email="daily")


def test_erasing_a_person_leaves_their_name_and_contacts_nowhere_in_the_database():
    person, officer = scenario()
    filled = fill_every_declared_field(person)
    # Hand-written: the models the scenario must reach (a new declaration extends this list).
    assert set(filled) >= {
        "accounts.user",
        "accounts.loginfailure",
        "accounts.sessionrecord",
        "api.apitoken",
        "audit.auditentry",
        "matchmaking.interestprofile",
        "matchmaking.queuemove",
        "matchmaking.matchproposal",
        "matchmaking.letterofintent",
        "matchmaking.joinrequest",
        "matchmaking.joinattempt",
        "grants.application",
        "grants.applicationsection",
        "grants.teammember",
        "grants.review",
        "grants.decisionexception",
        "grants.decisionletter",
        "admin.logentry",
        "workspace.teammember",
        "workspace.activity",
        "documents.document",
        "documents.documentversion",
        "conversations.message",
        "events.event",
        "notifications.notification",
        "notifications.outgoingemail",
        "reports.resultsplan",
        "reports.planstatement",
        "reports.reportsection",
        "reports.reviewcomment",
        "reports.indicatorvalue",
        "reports.expenditureimport",
        "reports.expenditure",
    }, filled
    assert search_everywhere(SEARCHED), "the search finds nothing: it would prove nothing"

    person_erase(
        user=person, actor=officer, reason=f"Asked by {NAME} by phone", also_known_as=[CYRILLIC]
    )

    assert search_everywhere(SEARCHED) == {}
    person.refresh_from_db()
    assert person.email == f"erased-{person.pk}@invalid" and not person.is_active
    assert RoleAssignment.objects.filter(user=person).exists()  # what they did stays
    assert not TOTPDevice.objects.filter(user=person).exists()


def test_erasure_keeps_what_the_person_did_and_says_who_they_were_by_number_only():
    person, officer = scenario()
    team_member = f.TeamMember.objects.get(name=NAME)
    counts = person_erase(user=person, actor=officer, reason="request")
    team_member.refresh_from_db()
    assert team_member.name == f"erased person #{person.pk}" and team_member.position == ""
    assert Review.objects.filter(reviewer=person).exists()
    moves = person.__class__.objects.get(pk=person.pk)
    assert moves.full_name == ""
    from partnernet.matchmaking.models import InterestProfile, QueueMove

    assert set(QueueMove.objects.filter(actor=person).values_list("actor_label", flat=True)) == {
        f"erased person #{person.pk}"
    }
    profiles = InterestProfile.objects.filter(contact_phone="").filter(contact_name="")
    assert profiles.count() >= 2  # her own profile and the one naming her in another spelling
    assert counts["matchmaking.interestprofile"] >= 2 and counts["grants.teammember"] == 1
    from partnernet.conversations.models import Message, ReadState
    from partnernet.documents.models import DocumentVersion
    from partnernet.events.models import CalendarFeed, Registration
    from partnernet.notifications.models import Notification, NotificationPreference
    from partnernet.workspace.models import TeamMember as WorkspaceMember

    # Her place in the team and the one naming her without an address: both pseudonymised.
    members = WorkspaceMember.objects.filter(partnership__slug="falun-kolomyia")
    erased = members.filter(name=f"erased person #{person.pk}")
    assert set(erased.values_list("email", "user")) == {("", None), ("", person.pk)}
    assert counts["workspace.teammember"] == 2
    # What she did stays, by number; her sign-in means and her own notices go.
    assert Message.objects.filter(author=person).count() == 1
    assert DocumentVersion.objects.filter(uploaded_by=person).count() == 1
    assert Registration.objects.filter(person=person).count() == 1
    for gone in (ReadState, CalendarFeed, NotificationPreference):
        assert not gone.objects.filter(**{gone.PERSONAL_DATA.subject: person}).exists()
    assert not Notification.objects.filter(recipient=person).exists()


def test_erasing_someone_else_leaves_this_person_untouched():
    person, officer = scenario()
    bystander = f.coordinator(f.pair(12)[1], full_name="Petro Melnyk", email="petro@x.example")
    person_erase(user=bystander, actor=officer, reason="request")
    person.refresh_from_db()
    assert person.full_name == NAME and person.email == EMAIL and person.is_active
    assert f.TeamMember.objects.filter(name=NAME).exists()
