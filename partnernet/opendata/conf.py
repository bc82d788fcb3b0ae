"""Open-data configuration, read from Django settings or the environment.

`IATI_REPORTING_ORG` is the funder's IATI organisation identifier. ICLD's identifier is not in
our data, so the default is a deliberately fake placeholder (schema-valid, obviously not a
real registration number): set the real one before publishing to the IATI Registry.
"""

import os

from django.conf import settings

from partnernet.accounts.models import Organisation

IATI_PLACEHOLDER_ORG = "SE-ON-CONFIGURE-IATI-REPORTING-ORG"
DEFAULT_ORG_NAME = "ICLD – Swedish International Centre for Local Democracy"


def _value(name: str, default: str) -> str:
    return getattr(settings, name, None) or os.environ.get(name, "") or default


def iati_reporting_org() -> str:
    """The setting, else the funder organisation's recorded IATI identifier, else the
    placeholder."""
    recorded = (
        Organisation.objects.filter(kind="funder")
        .exclude(iati_identifier="")
        .order_by("id")
        .values_list("iati_identifier", flat=True)
        .first()
    )
    return _value("IATI_REPORTING_ORG", recorded or IATI_PLACEHOLDER_ORG)


def iati_reporting_org_name() -> str:
    return _value("IATI_REPORTING_ORG_NAME", DEFAULT_ORG_NAME)


def iati_reporting_org_type() -> str:
    """OrganisationType code; 10 Government (ICLD is part of the Swedish state's aid)."""
    return _value("IATI_REPORTING_ORG_TYPE", "10")
