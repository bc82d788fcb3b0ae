"""The outbox of background work: a job is written in the transaction of the change that asks
for it (rolled back with it), published to the broker after the commit, and marked done in the
same transaction as its effect, so a crash anywhere makes it run again, never twice."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    PENDING = "pending", _("waiting")
    DONE = "done", _("done")
    FAILED = "failed", _("given up")


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    # Plain JSON values only: ids, ISO dates, language codes (never personal data or secrets).
    arguments = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    run_after = models.DateTimeField(default=timezone.now)
    # When it was last handed to the broker; a pending job handed over long ago is handed again.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # The exception's class only: a message could carry an address or a name.
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "run_after"], name="jobs_due")]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"


class SelftestRun(models.Model):
    """The effect of the diagnostic job `jobs.selftest` (`partnernet run_jobs --selftest`): one
    row per completed run, marked with the token it was given, so a run that happened twice shows
    as two rows. Operational: no personal data."""

    marker = models.CharField(max_length=64, db_index=True)
    ran_at = models.DateTimeField(default=timezone.now)
    # The process that ran it (the worker's pool child, or the web process without a broker).
    pid = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"selftest {self.marker}"
