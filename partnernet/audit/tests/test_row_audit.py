"""Row-level audit on PostgreSQL: every write to a tracked table leaves an audit row."""

import pytest
from django.db import DatabaseError, connection, transaction

from partnernet.accounts.models import User
from partnernet.audit.completeness import snapshot
from partnernet.audit.models import RowChange
from partnernet.audit.triggers import tracked_tables
from partnernet.partnerships.models import Partnership, Tag

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row-level audit triggers exist on PostgreSQL only (SQLite keeps the domain events)",
)


def changes(table: str, pk, since: int = 0) -> list[RowChange]:
    rows = RowChange.objects.filter(table_name=table, row_pk=str(pk), id__gt=since)
    return list(rows.order_by("id"))


def last_id() -> int:
    return RowChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


@postgres_only
def test_every_tracked_table_has_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'partnernet_row_audit'"
        )
        with_trigger = {row[0] for row in cursor.fetchall()}
    assert set(tracked_tables()) <= with_trigger
    assert {
        "partnerships_partnership",
        "accounts_user",
        "partnerships_partnership_goals",
    } <= with_trigger


@postgres_only
def test_orm_saves_bulk_updates_raw_sql_and_deletes_are_recorded():
    partnership = Partnership.objects.get(slug="falun-kolomyia")
    start = last_id()
    partnership.summary = "changed through the ORM"
    partnership.save()
    Partnership.objects.filter(pk=partnership.pk).update(status="paused")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE partnerships_partnership SET status = 'active' WHERE id = %s", [partnership.pk]
        )
    tag = Tag.objects.create(slug="audit-test", name="audit test")
    tag.delete()
    rows = changes("partnerships_partnership", partnership.pk, since=start)
    assert [r.op for r in rows] == ["UPDATE", "UPDATE", "UPDATE"]
    assert rows[0].after["summary"] == "changed through the ORM"
    assert (rows[1].before["status"], rows[1].after["status"]) == ("active", "paused")
    assert rows[2].after["status"] == "active"
    tag_rows = RowChange.objects.filter(table_name="partnerships_tag", id__gt=start).order_by("id")
    assert [r.op for r in tag_rows] == ["INSERT", "DELETE"]
    assert tag_rows.last().before["slug"] == "audit-test" and tag_rows.last().after is None


@postgres_only
def test_personal_columns_never_reach_the_audit_trail():
    User.objects.create_user(
        email="secret.person@example.org", password="x" * 20, full_name="Secret Person"
    )
    row = RowChange.objects.filter(table_name="accounts_user", op="INSERT").latest("id")
    assert not {"email", "password", "full_name"} & set(row.after)


@postgres_only
def test_the_audit_table_is_append_only():
    User.objects.create_user(email="someone@example.org")
    with pytest.raises(DatabaseError), transaction.atomic():
        RowChange.objects.all().update(op="X")
    with pytest.raises(DatabaseError), transaction.atomic():
        RowChange.objects.all().delete()


@postgres_only
def test_the_person_behind_a_request_is_recorded(client):
    person = User.objects.get(email="member@demo.example")
    client.force_login(person)
    client.post("/accounts/", {"full_name": "New Name", "preferred_language": "uk"})
    row = RowChange.objects.filter(table_name="accounts_user", row_pk=str(person.pk)).latest("id")
    assert row.actor_id == person.pk and row.after["preferred_language"] == "uk"
    # The setting does not leak into writes made outside the request.
    Tag.objects.create(slug="after-request", name="x")
    assert RowChange.objects.filter(table_name="partnerships_tag").latest("id").actor_id is None


@postgres_only
def test_every_kind_of_write_is_counted_and_none_is_missing():
    before = snapshot()
    partnerships = list(Partnership.objects.all())
    for p in partnerships:
        p.summary = p.summary + " "
    Partnership.objects.bulk_update(partnerships, ["summary"])
    Partnership.objects.update(status="active")
    partnerships[0].goals.clear()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE partnerships_tag SET name = name")
    User.objects.bulk_create([User(email=f"bulk{n}@example.org") for n in range(25)])
    User.objects.filter(email__startswith="bulk").delete()
    delta = snapshot() - before
    assert delta.writes > 60
    assert delta.audit_rows == delta.writes
