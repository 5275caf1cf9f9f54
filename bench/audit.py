"""Bench: the access ledger's cost.

1. Appending chained events (ledger.append: lock the head, hash, insert) against
   plain inserts of the same rows into an identical table without chain or
   triggers, each event in its own transaction, in alternating rounds of one run.
2. `verify` speed, in events per second, over a ledger of 1,000,000 events.

Everything happens in a scratch database (jigsaw_bench_<pid>) created on the
server named by DATABASE_URL, migrated, and dropped at the end, also on error:
the real ledger is never touched. Progress goes to stderr; the last line on
stdout is the JSON report (bench protocol, DESIGN.md section 8).

    source /tmp/env.sh && .venv/bin/python bench/audit.py [--events 1000000] [--appends 5000]
"""

import argparse
import datetime
import hashlib
import hmac
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.scratch import report_in_scratch, say, set_up_django  # noqa: E402

APPEND_GOAL = 0.7
VERIFY_GOAL = 200_000
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="ledger size for verify")
    parser.add_argument("--appends", type=int, default=5_000, help="events per way for the ratio")
    parser.add_argument("--rounds", type=int, default=10, help="alternating rounds for the ratio")
    parser.add_argument("--verify-runs", type=int, default=3, help="verify timings to take")
    options = parser.parse_args()

    report_in_scratch("bench/audit.py", run, options)


def run(options, scratch: str) -> dict:
    set_up_django(scratch)
    import django
    from django.db import connection

    append = bench_append(options.appends, options.rounds)
    verify = bench_verify(options.events, options.verify_runs)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
        cursor.execute("SHOW synchronous_commit")
        (synchronous_commit,) = cursor.fetchone()
    return {
        "bench": "audit",
        "checks": [
            {
                "name": "chained append vs plain insert (throughput ratio)",
                "value": append["ratio"],
                "goal": APPEND_GOAL,
                "better": "higher",
                "unit": "ratio",
                "chained_per_second": append["chained_per_second"],
                "plain_per_second": append["plain_per_second"],
            },
            {
                "name": f"verify speed over {options.events:,} events",
                "value": verify["events_per_second"],
                "goal": VERIFY_GOAL,
                "better": "higher",
                "unit": "events/s",
                "verify_ok": verify["ok"],
            },
        ],
        "detail": {
            "append": append,
            "verify": verify,
            "python": platform.python_version(),
            "django": django.get_version(),
            "psycopg": psycopg.__version__,
            "psycopg_impl": psycopg.pq.__impl__,
            "postgresql": server_version,
            "synchronous_commit": synchronous_commit,
            "cpus": os.cpu_count(),
            "load_average": [round(value, 2) for value in os.getloadavg()],
        },
    }


# --- 1. Chained append vs plain insert -----------------------------------------------------------

PLAIN_INSERT = (
    "INSERT INTO bench_plain (seq, occurred_at, user_id, actor_label, api_key_id, organisation_id, "
    "action, object_type, object_id, person_id, purpose, ip_address, detail, prev_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::inet, %s::jsonb, %s, %s)"
)
PURPOSES = ["Strategy discussion", "Checking the chronology", "Preparing for the conference", ""]
ACTORS = ["Alice Adams (Riverside School)", "Dan Dyer (Westbridge Council)", "Erin Evans (DPO)"]


def event_specs(count: int) -> list[dict]:
    """Varied but typical events; the same list is appended and inserted plainly."""
    return [
        {
            "action": ("view", "search", "update", "export")[n % 4],
            "actor_label": ACTORS[n % len(ACTORS)],
            "object_type": "people.person",
            "object_id": 1000 + n % 997,
            "purpose": PURPOSES[n % len(PURPOSES)],
            "ip_address": f"10.{n % 7}.{n % 251}.{n % 241}" if n % 5 else "2001:db8::42",
            "detail": {"path": f"/people/{1000 + n % 997}/", "fields": ["name", "date_of_birth"]},
        }
        for n in range(count)
    ]


def bench_append(total: int, rounds: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from jigsaw.audit import ledger

    with connection.cursor() as cursor:
        # Same columns, defaults, identity and indexes; no triggers, no chain.
        cursor.execute("CREATE TABLE bench_plain (LIKE audit_accessevent INCLUDING ALL)")
    per_round = max(1, total // rounds)
    specs = event_specs(per_round)
    fake_hash = "f" * 64
    plain_seq = 0

    def chained(batch):
        for spec in batch:
            ledger.append(**spec)

    def plain(batch):
        nonlocal plain_seq
        for spec in batch:
            plain_seq += 1
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    PLAIN_INSERT,
                    [
                        plain_seq, timezone.now(), None, spec["actor_label"], None, None,
                        spec["action"], spec["object_type"], str(spec["object_id"]), None,
                        spec["purpose"], spec["ip_address"], json.dumps(spec["detail"]),
                        fake_hash, fake_hash,
                    ],
                )

    # Warm both paths up (connections, caches) before timing.
    chained(specs[:50])
    plain(specs[:50])
    chained_seconds, plain_seconds = [], []
    for round_ in range(rounds):
        order = [("chained", chained), ("plain", plain)]
        if round_ % 2:
            order.reverse()
        for name, way in order:
            t = time.perf_counter()
            way(specs)
            (chained_seconds if name == "chained" else plain_seconds).append(time.perf_counter() - t)
    result = ledger.verify()
    chained_rate = per_round * rounds / sum(chained_seconds)
    plain_rate = per_round * rounds / sum(plain_seconds)
    # The ratio of the rounds' medians too, less swayed by one noisy round.
    median_ratio = statistics.median(plain_seconds) / statistics.median(chained_seconds)
    say(
        f"Append: chained {chained_rate:,.0f}/s, plain {plain_rate:,.0f}/s, "
        f"ratio {chained_rate / plain_rate:.3f} (median of rounds {median_ratio:.3f})"
    )
    return {
        "ratio": round(chained_rate / plain_rate, 3),
        "median_round_ratio": round(median_ratio, 3),
        "chained_per_second": round(chained_rate),
        "plain_per_second": round(plain_rate),
        "events_each_way": per_round * rounds,
        "rounds": rounds,
        "chained_round_seconds": [round(s, 3) for s in chained_seconds],
        "plain_round_seconds": [round(s, 3) for s in plain_seconds],
        "chain_verified_ok": result.ok,
        "round_trips": {
            "plain": "BEGIN, INSERT, COMMIT",
            "chained": "BEGIN, lock head + render, INSERT + move head, COMMIT",
        },
    }


# --- 2. verify speed ----------------------------------------------------------------------------


def copy_text(value: str) -> str:
    """A text value as COPY's text format writes it (the canonical form)."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def fill(events: int) -> None:
    """Write EVENTS chained events straight in with COPY, computing the chain here.

    The canonical lines are built in Python the way PostgreSQL renders them (the
    values are chosen so that is easy: jsonb with keys already in its order and
    spacing); if they were wrong, verify would say so and the report shows it.
    """
    from django.conf import settings
    from django.db import connection

    from jigsaw.audit.ledger import GENESIS

    key = settings.AUDIT_KEY
    start_us = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z
    prev = GENESIS
    columns = (
        "seq, occurred_at, user_id, actor_label, api_key_id, organisation_id, action, object_type, "
        "object_id, person_id, purpose, ip_address, detail, prev_hash, hash"
    )
    actors = [copy_text(a) for a in [*ACTORS, "Zoë Ng (Hillside Academy)", "API: Westbridge MASH"]]
    chunk = []
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER ALL")
        cursor.execute("TRUNCATE audit_accessevent")
        with cursor.cursor.copy(f"COPY audit_accessevent ({columns}) FROM STDIN") as copy:
            for seq in range(1, events + 1):
                micros = start_us + seq * 1_234_567 + seq % 1000
                at = (EPOCH + datetime.timedelta(microseconds=micros)).isoformat()
                person = 1000 + seq % 4999
                user = str(1 + seq % 500)
                api_key = "\\N" if seq % 10 else str(seq % 7 + 1)
                ip = "\\N" if seq % 13 == 0 else f"10.{seq % 7}.{seq % 251}.{seq % 241}"
                detail = f'{{"path": "/people/{person}/", "fields": ["name", "address"]}}'
                tail = "\t".join(
                    [
                        user, actors[seq % len(actors)], api_key, str(1 + seq % 40), "view",
                        "people.person", str(person), str(person), PURPOSES[seq % len(PURPOSES)],
                        ip, detail,
                    ]
                )
                line = f"{seq}\t{micros}\t{tail}\t{prev}".encode()
                digest = hmac.new(key, line, hashlib.sha256).hexdigest()
                chunk.append(f"{seq}\t{at}\t{tail}\t{prev}\t{digest}\n")
                prev = digest
                if len(chunk) == 20_000:
                    copy.write("".join(chunk))
                    chunk.clear()
            copy.write("".join(chunk))
        cursor.execute("UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1", [events, prev])
        cursor.execute("ALTER TABLE audit_accessevent ENABLE TRIGGER ALL")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) audit_accessevent")  # as an old ledger would be


def bench_verify(events: int, runs: int) -> dict:
    from django.db import connection

    from jigsaw.audit import ledger

    t = time.perf_counter()
    fill(events)
    fill_seconds = time.perf_counter() - t
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('audit_accessevent')")
        (size,) = cursor.fetchone()
    say(f"Filled {events:,} events in {fill_seconds:.1f} s ({size / 2**20:.0f} MiB)")

    seconds, results = [], []
    for _ in range(runs):
        t = time.perf_counter()
        result = ledger.verify()
        seconds.append(time.perf_counter() - t)
        results.append(result)
        say(f"verify: {result.checked:,} events in {seconds[-1]:.2f} s, ok={result.ok}")
    median = statistics.median(seconds)
    ok = all(result.ok and result.checked == events for result in results)
    return {
        "events": events,
        "events_per_second": round(events / median) if ok else 0,
        "ok": ok,
        "reasons": sorted({result.reason for result in results if not result.ok}),
        "run_seconds": [round(s, 3) for s in seconds],
        "best_events_per_second": round(events / min(seconds)),
        "fill_seconds": round(fill_seconds, 1),
        "table_bytes": size,
    }


if __name__ == "__main__":
    main()
