"""The scheduler's timetable names jobs that exist, and celery beat can run it."""

from datetime import UTC, datetime, timedelta

import pytest
from celery.beat import ScheduleEntry
from celery.schedules import crontab
from django.conf import settings

from partnernet.celery import app as celery_app
from partnernet.jobs.registry import REGISTRY
from partnernet.jobs.schedule import TIMETABLE, beat_schedule


def test_every_timed_job_is_a_registered_job():
    unknown = sorted(set(TIMETABLE) - set(REGISTRY))
    assert unknown == []


@pytest.mark.parametrize("name", sorted(TIMETABLE))
def test_each_beat_entry_runs_its_job_through_a_task_the_worker_knows(name):
    entry = beat_schedule()[name]
    assert entry["task"] == "partnernet.jobs.scheduled"
    assert entry["task"] in celery_app.tasks
    assert entry["args"] == (name,)
    assert isinstance(entry["schedule"], crontab)
    beat_entry = ScheduleEntry(name=name, app=celery_app, **entry)
    due, next_check = beat_entry.is_due()
    assert isinstance(due, bool) and 0 <= next_check <= 24 * 60 * 60


def test_the_relay_runs_every_minute_and_the_settings_carry_the_timetable():
    relay = TIMETABLE["jobs.relay"]
    start = datetime(2026, 3, 1, 12, 0, 30, tzinfo=UTC)
    assert relay.remaining_estimate(start) <= timedelta(minutes=1)
    assert beat_schedule() == settings.CELERY_BEAT_SCHEDULE
    assert celery_app.conf.beat_schedule == beat_schedule()
