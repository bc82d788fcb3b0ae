"""The Celery application: `celery -A partnernet worker` / `beat`, or `partnernet worker` and
`partnernet scheduler`. Its settings are the `CELERY_*` names in `partnernet.settings`; the jobs
are the apps' `@job` functions, run through `partnernet.jobs.tasks`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")

app = Celery("partnernet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["partnernet.jobs"])
app.set_default()
