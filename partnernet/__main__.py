"""The `partnernet` command: Django's management entry point (what manage.py is elsewhere)."""

import os
import sys

# Commands that must run on a database that is not set up yet.
SETUP_COMMANDS = {
    "migrate",
    "setup_demo",
    "restore",
    "makemigrations",
    "help",
    "check",
    "showmigrations",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError, connection

    try:
        execute_from_command_line(sys.argv)
    except DatabaseError:
        # A command run before `setup_demo` met missing tables: say what to do, not a traceback.
        command = sys.argv[1] if len(sys.argv) > 1 else "help"
        if (
            command in SETUP_COMMANDS
            or "django_migrations" in connection.introspection.table_names()
        ):
            raise
        sys.stderr.write(
            "The database is not set up yet: run `partnernet setup_demo` "
            "(or `partnernet migrate`) first.\n"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
