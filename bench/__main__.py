"""`make bench`: run every `bench/bench_*.py`, print a table with each figure's goal and
verdict, write bench/results.json, and exit 1 when a bench failed or any goal is missed.

Each module defines `run(ctx) -> dict[name, metric(...)]` (`bench.goals.metric`). The database:
`DATABASE_URL` when set, else `BENCH_DATABASE_URL`, else PostgreSQL's `partnernet_bench` when
it can be reached, else SQLite in var/; the runner says which. It is migrated and given the
demo data; modules that need bulk data call `bench.data.ensure_generated_partnerships` with
`ctx["size"]` (`BENCH_SIZE`, 10 000 by default). Django runs as in production: DEBUG=0, the
static files collected (`partnernet.lib.testing_services.production_var_dir`).

`python -m bench scale gunicorn` runs only those modules. Figures are kept in results.json per
dataset size (`"sizes": {"10000": {...}, "100000": {...}}`), so a run at one size compares its
cost and queries per request with the other size's last run.
"""

import importlib
import json
import os
import socket
import sys
import time
import traceback
from pathlib import Path

from bench.goals import exit_code, missed, table

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
DEFAULT_SIZE = 10_000


def postgres_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


def bench_database_url() -> str:
    """DATABASE_URL wins; else BENCH_DATABASE_URL; else the bench's own database."""
    for name in ("DATABASE_URL", "BENCH_DATABASE_URL"):
        if os.environ.get(name):
            return os.environ[name]
    if postgres_reachable():
        return "postgres://postgres@127.0.0.1:5432/partnernet_bench"
    return f"sqlite:///{HERE.parent / 'var' / 'bench.sqlite3'}"


def bench_size() -> int:
    return int(os.environ.get("BENCH_SIZE") or DEFAULT_SIZE)


def create_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def production_environment() -> None:
    """DEBUG=0 as in production, with what settings.py then demands (a strong key, hosts) and
    the collected static files; plain HTTP on the loopback address."""
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    # The page cache in process memory (as `partnernet serve` without Redis): the bench
    # clears it before every uncached request, which must never flush a shared Redis.
    os.environ["CACHE_URL"] = ""
    from partnernet.lib.testing_services import production_var_dir

    os.environ.setdefault("PARTNERNET_VAR_DIR", str(production_var_dir()))


def setup_django(url: str, *, production: bool = False) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    if production:
        production_environment()
    if url.startswith("postgres"):
        create_postgres_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # The demo once: run again over many partnerships, its reference-data step re-indexes
    # every partnership one by one (minutes at 10 000, hours at 100 000).
    from partnernet.partnerships.models import Network

    if not Network.objects.filter(slug="democratic-resilience").exists():
        call_command("setup_demo", skip_migrate=True, verbosity=0)


def save_results(results: dict, size: int) -> None:
    """This run's figures under its size; the other sizes' and the load drill's stay."""
    kept = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    sizes = kept.get("sizes", {}) if isinstance(kept.get("sizes"), dict) else {}
    sizes[str(size)] = {**sizes.get(str(size), {}), **results}
    out = {key: kept[key] for key in ("loadtest",) if key in kept} | {"sizes": sizes}
    RESULTS.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")


def previous_sizes() -> dict[str, dict]:
    if not RESULTS.exists():
        return {}
    sizes = json.loads(RESULTS.read_text()).get("sizes", {})
    return sizes if isinstance(sizes, dict) else {}


def main(argv: list[str]) -> int:
    url, size = bench_database_url(), bench_size()
    shown = url.split("@")[-1] if "@" in url else url
    print(f"Bench database: {shown} (size {size}, DEBUG=0)", file=sys.stderr)
    setup_django(url, production=True)
    ctx = {
        "database_url": url,
        "vendor": "postgresql" if url.startswith("postgres") else "sqlite",
        "size": size,
        "previous": previous_sizes(),
    }
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
    print(f"\nBenchmarks on {ctx['vendor']} ({shown}), {size} generated partnerships\n")
    print("\n".join(table(results)))
    save_results(results, size)
    if failed:
        print(f"\nFAILED: {', '.join(failed)}", file=sys.stderr)
    if missed(results):
        print(f"\nGoals MISSED: {len(missed(results))} of {len(results)} figures", file=sys.stderr)
    return exit_code(results, failed)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
