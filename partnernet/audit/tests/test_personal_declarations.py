"""Personal data is declared once and every reader obeys the declaration: no personal-looking
field goes undeclared, the export leaves out every secret, audit snapshots and the row history
leave out what is declared, and a wrong declaration stops the project at start-up."""

import json
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnernet.accounts.services import profile_update, recovery_codes_generate
from partnernet.api.services import api_token_create
from partnernet.audit import personal
from partnernet.audit.checks import personal_data_declarations
from partnernet.audit.models import AuditEntry, RowChange
from partnernet.grants import services as grants
from partnernet.grants.tests import factories as f
from partnernet.matchmaking import services as matchmaking

pytestmark = pytest.mark.django_db

# Fields that look personal (by name) or hold free prose (every TextField), and are not: each
# with the reason, written by hand. A new field of either kind must be declared or added here.
NOT_PERSONAL = {
    "accounts.organisation.name": "an organisation (the funder, a municipality)",
    "municipalities.country.name": "a country",
    "municipalities.region.name": "a region",
    "municipalities.region.name_latin": "a region",
    "municipalities.municipality.name": "a municipality",
    "municipalities.municipality.official_name": "a municipality",
    "municipalities.municipality.name_latin": "a municipality",
    "municipalities.municipality.alt_names": "spellings of a municipality's name",
    "municipalities.municipality.search_text": "folded names of a municipality",
    "partnerships.network.name": "a network",
    "partnerships.network.description": "public text about a network",
    "partnerships.cooperationarea.name": "a vocabulary term",
    "partnerships.goal.short_name": "a global goal",
    "partnerships.goal.title": "a global goal",
    "partnerships.tag.name": "a vocabulary term",
    "partnerships.partnership.summary": "public text, published through the public projection",
    "partnerships.partnership.description": "public text, published through the projection",
    "catalogue.searchdocument.names": "municipality names of a published partnership",
    "catalogue.searchdocument.body": "stems of a published partnership's public text",
    "catalogue.indexchange.partnership_id": "the id of a changed partnership (facet index log)",
    "grants.costcategory.name": "a vocabulary term",
    "grants.costcategory.explanation": "the funder's rule",
    "grants.call.guidelines": "the funder's public text of a call",
    "grants.call.eligibility": "the funder's public text of a call",
    "grants.call.criteria": "the funder's public text of a call",
    "grants.resultstatement.text": "an objective, outcome or output of a results plan",
    "grants.indicator.name": "an indicator of a results plan",
    "reports.planindicator.name": "an indicator of a results plan",
    "audit.rowchange.table_name": "a database table",
    "jobs.job.name": "the registered name of a background job (jobs.relay)",
}
PERSONAL_LOOKING = re.compile(
    r"name|mail|phone|contact|person|address|ip_|agent|position|label|signat|repr|comment"
    r"|note|reason|message|text"
)
SECRET_LOOKING = re.compile(r"(^|_)(password|secret|token|hash|key|session|otp|recovery)(_|$)")
NOT_SECRET = {
    "grants.applicationsection.key": "which section of an application (summary, background…)",
    "reports.reportsection.key": "which section of a report (summary, activities…)",
}


def base_name(model, field) -> str:
    """`text_sv` → `text` for a modeltranslation language column."""
    for code, _name in settings.LANGUAGES:
        suffix = f"_{code}"
        if field.name.endswith(suffix):
            try:
                model._meta.get_field(field.name[: -len(suffix)])
                return field.name[: -len(suffix)]
            except Exception:  # noqa: BLE001
                continue
    return field.name


def declared_names(model) -> set[str]:
    declared = personal.declaration(model)
    return set(declared.names) if declared else set()


def undeclared_fields() -> tuple[int, list[str]]:
    checked, undeclared = 0, []
    for model in apps.get_models():
        if not model._meta.app_config.name.startswith("partnernet."):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            name = base_name(model, field)
            if not (PERSONAL_LOOKING.search(name) or isinstance(field, models.TextField)):
                continue
            checked += 1
            key = f"{model._meta.label_lower}.{name}"
            if name not in declared_names(model) and key not in NOT_PERSONAL:
                undeclared.append(key)
    return checked, sorted(set(undeclared))


def test_every_personal_looking_or_prose_field_of_our_models_is_declared_or_allowed():
    checked, undeclared = undeclared_fields()
    assert checked > 60  # the walk saw the fields (it would pass vacuously otherwise)
    assert undeclared == []


def test_the_allow_list_names_only_fields_that_exist_and_are_not_declared():
    for key in NOT_PERSONAL:
        label, name = key.rsplit(".", 1)
        model = apps.get_model(label)
        model._meta.get_field(name)
        assert name not in declared_names(model), f"{key} is declared: remove it from the list"


def test_a_field_named_like_a_person_fails_the_walk(monkeypatch):
    """The walk is not blind: a model with an undeclared contact field is reported."""
    from partnernet.grants.models import TeamMember

    monkeypatch.setattr(TeamMember, "PERSONAL_DATA", personal.PersonalData())
    assert undeclared_fields()[1] == ["grants.teammember.name", "grants.teammember.position"]


def test_every_secret_looking_field_near_a_person_is_declared_secret():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    checked, undeclared = 0, []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        points_at_person = model is user_model or any(
            f.is_relation and f.related_model is user_model for f in model._meta.concrete_fields
        )
        if not points_at_person and personal.declaration(model) is None:
            continue
        declared = personal.declaration(model)
        secrets = set(declared.secrets) if declared else set()
        for field in model._meta.concrete_fields:
            if field.is_relation or not SECRET_LOOKING.search(field.name):
                continue
            if not isinstance(field, models.CharField | models.TextField | models.BinaryField):
                continue
            checked += 1
            key = f"{model._meta.label_lower}.{field.name}"
            if field.name not in secrets and key not in NOT_SECRET:
                undeclared.append(key)
    assert checked >= 5
    assert undeclared == []


def test_the_export_leaves_out_every_secret_and_includes_what_names_the_person():
    person = f.UserFactory(full_name="Marta Sydorenko-Lys", email="marta.lys@hromada.example")
    person.password = make_password("a long test password 123")
    person.save()
    token, raw = api_token_create(user=person, name="reports")
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    codes = recovery_codes_generate(user=person)
    client = Client()
    client.force_login(person)
    session_key = client.session.session_key
    application, _writer = f.complete_application(f.call(), index=13)
    grants.team_member_add(
        application_id=application.pk,
        actor=person,
        side="partner",
        role="coordinator",
        name="Marta Sydorenko-Lys",
    )
    section = application.sections.get(key="background")
    type(section).objects.filter(pk=section.pk).update(
        text_en="Ask Marta Sydorenko-Lys about the water plant."
    )
    other_contact = "someone.else@hromada.example"
    swedish, partner = f.pair(13)
    matchmaking.profile_save(  # she edits a profile whose contact is someone else
        municipality=partner,
        network=f.network(),
        actor=person,
        text="Water.",
        source_language="en",
        areas=[],
        contact_name="Someone Else",
        contact_email=other_contact,
    )

    response = client.get("/accounts/export/")
    assert response.status_code == 200
    body = response.content.decode()
    secrets = [person.password, token.token_hash, raw, device.key, session_key, *codes]
    assert all(len(s) >= 10 for s in secrets)
    assert [s for s in secrets if s in body] == []
    assert [t.token for t in StaticToken.objects.filter(device__user=person)] == codes
    data = json.loads(body)
    assert "password" not in data["person"] and data["person"]["email"] == person.email
    assert "token_hash" not in data["related"]["api.apitoken.user"][0]
    assert data["related"]["api.apitoken.user"][0]["prefix"] == token.prefix
    assert "key" not in data["related"]["otp_totp.totpdevice.user"][0]
    assert "session_key" not in data["related"]["accounts.sessionrecord.user"][0]
    assert [r["name"] for r in data["named"]["grants.teammember"]] == ["Marta Sydorenko-Lys"]
    assert {(m["model"], m["field"]) for m in data["mentioned"]} >= {
        ("grants.applicationsection", "text_en")
    }
    assert other_contact not in body  # another person's contact is not hers to download
    assert "Water." in body or data["related"]["matchmaking.interestprofile.updated_by"]


def test_audit_snapshots_and_labels_leave_out_declared_fields():
    person = f.UserFactory(full_name="Ivan Tkachuk", email="ivan.t@hromada.example")
    profile_update(user=person, full_name="Ivan Tkachuk-Bilyi", preferred_language="uk")
    entry = AuditEntry.objects.filter(object_id=str(person.pk), action="update").latest("id")
    assert entry.before["full_name"] == entry.after["full_name"] == personal.REDACTED
    assert entry.after["preferred_language"] == "uk"
    assert entry.object_label == f"user #{person.pk}"
    application, writer = f.complete_application(f.call(), index=14)
    grants.team_member_add(
        application_id=application.pk,
        actor=writer,
        side="swedish",
        role="coordinator",
        name="Ivan Tkachuk",
        position="Mayor",
    )
    added = AuditEntry.objects.filter(action="add_team_member").latest("id")
    assert added.after == {"side": "swedish", "role": "coordinator", "name": personal.REDACTED}
    assert "Ivan" not in json.dumps(added.after) + added.object_label


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level audit exists on PostgreSQL only"
)
def test_the_row_history_never_receives_a_declared_column():
    start = RowChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    application, writer = f.complete_application(f.call(), index=15)
    grants.team_member_add(
        application_id=application.pk,
        actor=writer,
        side="swedish",
        role="coordinator",
        name="Olha Kravets",
        position="Head of planning",
    )
    _swedish, partner = f.pair(15)
    matchmaking.profile_save(
        municipality=partner,
        network=f.network(),
        actor=None,
        text="Contact Olha Kravets",
        source_language="en",
        areas=[],
        contact_name="Olha Kravets",
        contact_email="olha@hromada.example",
        contact_phone="+380 50 111 22 33",
    )
    api_token_create(user=writer, name="script")
    rows = {
        r.table_name: r for r in RowChange.objects.filter(id__gt=start, op="INSERT").order_by("id")
    }
    # Hand-written: what each table's history must not hold, and something it must still hold.
    expected = {
        "grants_teammember": ({"name", "position"}, "role"),
        "matchmaking_interestprofile": (
            {
                "contact_name",
                "contact_email",
                "contact_phone",
                "text",
                "text_en",
                "text_sv",
                "text_uk",
                "priorities",
                "keywords",
                "embedded_text",
                "embedding",
            },
            "capacity",
        ),
        "api_apitoken": ({"token_hash", "name"}, "prefix"),
        "accounts_user": (
            {"email", "password", "full_name", "first_name", "last_name"},
            "preferred_language",
        ),
    }
    for table, (hidden, kept) in expected.items():
        assert not hidden & set(rows[table].after), table
        assert kept in rows[table].after, table
    assert "Olha" not in json.dumps([r.after for r in rows.values()], ensure_ascii=False)


def test_a_declaration_naming_a_missing_field_or_a_wrong_subject_stops_the_checks(monkeypatch):
    assert personal_data_declarations() == []
    monkeypatch.setitem(
        personal.THIRD_PARTY,
        "contenttypes.contenttype",
        personal.PersonalData(subject="model", identity=("nickname",)),
    )
    ids = {problem.id for problem in personal_data_declarations()}
    assert ids == {"partnernet.E101", "partnernet.E104"}


@pytest.mark.parametrize(
    ("values", "text", "expected"),
    [
        (["Olena Kovalenko"], "Ask olena  KOVALENKO today", "Ask […] today"),
        (["Olena Kovalenko"], "Kovalenko Olena signed", "[…] signed"),
        (["Олена Коваленко"], "Підпис: Олена Коваленко", "Підпис: […]"),
        (["Олена Коваленко"], "Signed by Olena Kovalenko", "Signed by […]"),
        (["+380 67 555 01 23"], "call +380675550123 or 380-67-555-01-23", "call […] or […]"),
        (["o.k@x.example"], "Mail O.K@X.EXAMPLE now", "Mail […] now"),
        (
            ["Olena Kovalenko"],
            "Olena alone is not her full name",
            "Olena alone is not her full name",
        ),
        (["Bo"], "Bo and Anna", "Bo and Anna"),  # too short to search for safely
    ],
)
def test_identifiers_match_other_spellings_orders_and_separators(values, text, expected):
    compiled = personal.pattern(personal.identifiers(*values))
    assert (personal.scrub(text, compiled) if compiled else text) == expected


def test_scrubbing_walks_json_keys_and_values():
    compiled = personal.pattern(personal.identifiers("Olena Kovalenko"))
    data = {"Olena Kovalenko": ["met Olena Kovalenko", 3, None], "n": {"x": "olena kovalenko"}}
    assert personal.scrub(data, compiled) == {"[…]": ["met […]", 3, None], "n": {"x": "[…]"}}
