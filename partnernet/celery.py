"""The Celery application: `celery -A partnernet worker` / `beat`, or `partnernet worker` and
`partnernet scheduler`. Its settings are the `CELERY_*` names in `partnernet.settings`; the jobs
are the apps' `@job` functions, run through `partnernet.jobs.tasks`."""

import os

from celery import Celery, signals
from django.conf import settings

from partnernet.lib import requestlog

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")

app = Celery("partnernet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["partnernet.jobs"])
app.set_default()


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _structured_logs(logger, **_kwargs):
    """The worker's and the scheduler's lines in the site's form (`LOG_FORMAT`), with the
    request id of the job they run (`partnernet.lib.requestlog`)."""
    requestlog.adopt_handlers(logger, json_lines=getattr(settings, "LOG_FORMAT", "") == "json")
