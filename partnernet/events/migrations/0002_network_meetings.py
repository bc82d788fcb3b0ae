"""The network meetings of `partnerships.NetworkMeeting` become events (the one meeting model):
title and summary in three languages (the summary becomes the agenda), the start, the place; a
meeting had no end, so it is given three hours, in Stockholm time, public as it was."""

from datetime import timedelta

from django.db import migrations

LANGUAGES = ("sv", "uk", "en")


def copy_meetings(apps, schema_editor):
    Meeting = apps.get_model("partnerships", "NetworkMeeting")
    Event = apps.get_model("events", "Event")
    for meeting in Meeting.objects.order_by("pk"):
        texts = {}
        for lang in LANGUAGES:
            texts[f"title_{lang}"] = getattr(meeting, f"title_{lang}", "") or ""
            texts[f"agenda_{lang}"] = getattr(meeting, f"summary_{lang}", "") or ""
        Event.objects.create(
            network_id=meeting.network_id,
            title=meeting.title,
            agenda=meeting.summary,
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at + timedelta(hours=3),
            time_zone="Europe/Stockholm",
            place=meeting.place,
            is_public=True,
            status="scheduled",
            source_language="sv",
            **texts,
        )


def copy_back(apps, schema_editor):
    """Back to meetings: each event becomes a meeting again and leaves the events table (so
    going forward again does not copy it twice)."""
    Meeting = apps.get_model("partnerships", "NetworkMeeting")
    Event = apps.get_model("events", "Event")
    for event in Event.objects.order_by("pk"):
        texts = {}
        for lang in LANGUAGES:
            texts[f"title_{lang}"] = getattr(event, f"title_{lang}", "") or ""
            texts[f"summary_{lang}"] = getattr(event, f"agenda_{lang}", "") or ""
        Meeting.objects.create(
            network_id=event.network_id,
            title=event.title,
            summary=event.agenda,
            starts_at=event.starts_at,
            place=event.place,
            **texts,
        )
    Event.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("partnerships", "0003_publication_lifecycle"),
    ]

    operations = [migrations.RunPython(copy_meetings, copy_back)]
