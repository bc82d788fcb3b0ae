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
# Commands that serve web requests keep the web's statement timeout (DATABASE_STATEMENT_TIMEOUT_MS);
# every other command (migrate, backup, restore, reindexing, the worker) may run long statements:
# its limit is DATABASE_COMMAND_STATEMENT_TIMEOUT_MS, none by default.
WEB_COMMANDS = {"serve", "runserver"}


def command_statement_timeout(argv: list[str], environ) -> None:
    command = argv[1] if len(argv) > 1 else "help"
    if command not in WEB_COMMANDS:
        environ["DATABASE_STATEMENT_TIMEOUT_MS"] = environ.get(
            "DATABASE_COMMAND_STATEMENT_TIMEOUT_MS", "0"
        )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
    command_statement_timeout(sys.argv, os.environ)
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
