"""celery beat, started here against a private Redis, publishes the timetable's jobs: the relay
(every minute) is handed to the broker as `partnernet.jobs.scheduled("jobs.relay")`."""

import json
from datetime import timedelta

import redis
from celery.beat import PersistentScheduler

from partnernet.celery import app as celery_app
from partnernet.lib.testing_services import (
    CeleryBeat,
    RedisServer,
    drill_marks,
    running,
    server_environment,
    wait_until,
)

pytestmark = drill_marks("redis-server")


def published(url: str) -> list[tuple[str, str]]:
    """(task, arguments) of every message waiting in the default queue."""
    messages = redis.Redis.from_url(url).lrange("celery", 0, -1)
    headers = [json.loads(message)["headers"] for message in messages]
    return [(header["task"], header["argsrepr"]) for header in headers]


def test_beat_publishes_the_relay(tmp_path):
    schedule_file = tmp_path / "celerybeat-schedule"
    # The relay last ran 90 s ago (beat remembers last runs in this file): due at once, instead
    # of at the next whole minute.
    scheduler = PersistentScheduler(app=celery_app, schedule_filename=str(schedule_file))
    entries = scheduler.schedule
    entries["jobs.relay"].last_run_at = celery_app.now() - timedelta(seconds=90)
    scheduler._store["entries"] = entries  # a shelf stores what is assigned, not what changed
    scheduler.close()
    broker = RedisServer()
    with running(broker):
        environment = server_environment(CELERY_BROKER_URL=broker.url)
        assert published(broker.url) == []
        with running(CeleryBeat(environment, schedule_file)) as (beat,):
            wait_until(
                lambda: any(
                    task == "partnernet.jobs.scheduled" and "jobs.relay" in arguments
                    for task, arguments in published(broker.url)
                ),
                timeout=20,
                what=beat.output()[-2000:],
            )
