"""Signals grants sends for the apps above it (which grants may not import).

`agreement_accepted(sender=Agreement, agreement_id=…, actor_id=…)`: both partners have accepted
the agreement and the grant is active; sent after the commit. `reports` schedules the
agreement's reports on it."""

from django.dispatch import Signal

agreement_accepted = Signal()
