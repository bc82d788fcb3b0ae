"""Open data's background work (`partnernet.jobs`; the scheduler runs it nightly)."""

from partnernet.jobs.registry import job

from .stored import opendata_regenerate


@job("opendata.regenerate")
def regenerate() -> dict[str, int]:
    """Write the datasets' downloads for the current data version (`stored`)."""
    return opendata_regenerate()
