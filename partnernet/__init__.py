# The Celery application is loaded with the package, so a job published from the web process
# and the worker's tasks use the one app (`partnernet.celery`).
from .celery import app as celery_app

__all__ = ["celery_app"]
