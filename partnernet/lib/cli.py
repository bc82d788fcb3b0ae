"""Helpers for management commands: they speak the language of the terminal (LANG), English
by default."""

import os

SUPPORTED = ("sv", "uk", "en")


def cli_language() -> str:
    for variable in ("PARTNERNET_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        code = os.environ.get(variable, "")[:2].lower()
        if code in SUPPORTED:
            return code
    return "en"
