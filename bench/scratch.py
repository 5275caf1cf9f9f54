"""What every bench shares: progress on stderr, and a scratch database that is always dropped.

A bench runs against its own database, created on the server named by DATABASE_URL (or the one
./run and ./test set up), migrated, and dropped at the end, also on error, so the demo data and
the real ledger are never touched.
"""

import contextlib
import json
import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def scratch_database(script: str, name: str):
    """Point DATABASE_URL at a new database `name` for the duration, then drop it."""
    from jigsaw.cli import load_local_env

    load_local_env()  # the database ./run or ./test set up, when DATABASE_URL is not set
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit(f"{script}: set DATABASE_URL, or run ./run --no-serve first")
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    say(f"Created scratch database {name}")
    try:
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
        yield name
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as error:  # dropping the database matters more
            say(f"(closing connections: {error})")
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        say(f"Dropped scratch database {name}")


def set_up_django(name: str) -> None:
    """Start Django on the scratch database and migrate it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jigsaw.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    assert connection.settings_dict["NAME"] == name  # never the demo data or the real ledger
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    say(f"Migrated in {time.perf_counter() - started:.1f} s")


def report_in_scratch(script: str, run, options) -> None:
    """Run `run(options, scratch_name)` in a scratch database and print its report, timed, as the last line."""
    started = time.perf_counter()
    stem = script.removeprefix("bench/").removesuffix(".py")
    with scratch_database(script, f"jigsaw_bench_{stem}_{os.getpid()}") as scratch:
        report = run(options, scratch)
    report["detail"]["total_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report))
