"""The named jobs: each app's `tasks.py` registers its functions with `@job("app.name")`.

A job function takes plain JSON values as keyword arguments (ids, dates as ISO text, language
codes; never a model instance or personal data) and must be idempotent: it may run again after
a crash, so its effect is keyed by what it is given (a notification sends its e-mail once, a
digest run sends what is still due). Nothing here imports a Partnernet app: the apps import it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JobFunction = Callable[..., Any]

REGISTRY: dict[str, JobFunction] = {}


class UnknownJob(LookupError):
    pass


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register `function` as the job `name` (once; a second function under one name is a
    programming error found at start-up)."""

    def register(function: JobFunction) -> JobFunction:
        existing = REGISTRY.get(name)
        if existing is not None and existing is not function:
            raise ValueError(f"job {name!r} is registered twice")
        REGISTRY[name] = function
        return function

    return register


def job_function(name: str) -> JobFunction:
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownJob(name) from None
