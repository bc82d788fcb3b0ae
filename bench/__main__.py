"""`make bench`: run every `bench/bench_*.py`, print a table, write bench/results.json.

Each module defines `run(ctx) -> dict[name, {"value", "unit", "lower_is_better"}]`. The runner
prepares one bench database with the demo data: PostgreSQL (`partnernet_bench`) when it can
be reached (or `BENCH_DATABASE_URL`), SQLite in var/ otherwise. Modules that need bulk data
(10 000 generated partnerships) call `bench.data.ensure_generated_partnerships`.
"""

import importlib
import json
import os
import socket
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def postgres_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


def bench_database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if postgres_reachable():
        return "postgres://postgres@127.0.0.1:5432/partnernet_bench"
    return f"sqlite:///{HERE.parent / 'var' / 'bench.sqlite3'}"


def create_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    if url.startswith("postgres"):
        create_postgres_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("setup_demo", verbosity=0)


def main(argv: list[str]) -> int:
    url = bench_database_url()
    setup_django(url)
    ctx = {"database_url": url, "vendor": "postgresql" if url.startswith("postgres") else "sqlite"}
    only = set(argv)
    results: dict[str, dict] = {}
    failed = []
    for path in sorted(HERE.glob("bench_*.py")):
        if only and path.stem not in only and path.stem.removeprefix("bench_") not in only:
            continue
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{path.stem}")
            results.update(module.run(ctx))
        except Exception:
            traceback.print_exc()
            failed.append(path.stem)
        print(f"  {path.stem}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(f"\nBenchmarks on {ctx['vendor']}\n")
    print(f"{'name':<52} {'value':>12}  unit")
    for name, row in results.items():
        print(f"{name:<52} {row['value']:>12.3f}  {row['unit']}")
    previous = HERE / "results.json"
    if previous.exists():  # the load drill's figures (`make loadtest`) stay
        kept = json.loads(previous.read_text())
        results = {key: kept[key] for key in ("loadtest",) if key in kept} | results
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    if failed:
        print(f"\nFAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
