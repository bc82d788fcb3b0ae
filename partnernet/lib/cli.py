"""Helpers for management commands: they speak the language of the terminal (LANG), English
by default."""

import os

from partnernet.lib.languages import LANGUAGES


def cli_language() -> str:
    for variable in ("PARTNERNET_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        code = os.environ.get(variable, "")[:2].lower()
        if code in LANGUAGES:
            return code
    return "en"
