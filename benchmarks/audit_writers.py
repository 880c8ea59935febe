"""Benchmark: logging reads from many writers at once, with the access log in lanes and as one chain.

Every read of a doctor's record by someone else writes a row to the tamper-evident access log. With one chain,
every writer in the installation queued for one lock; with lanes (``supportpath.audit.log``), writers wait only
for others logging a doctor in the same lane. Each writer logs reads of its own doctors, either on their own
(a page view) or inside a transaction that goes on for 5 ms after the read is logged (a form that logs the read
and then saves), which is where one lock hurts most: the lock lasts until the transaction ends.

Needs PostgreSQL (SQLite has one writer at a time whatever we do): DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/supportpath_bench_audit (created and migrated if missing; fictional rows).
Run: .venv/bin/python benchmarks/audit_writers.py
"""

import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/supportpath_bench_audit")
os.environ["DJANGO_SETTINGS_MODULE"] = "supportpath.settings.test"

import django  # noqa: E402
import psycopg  # noqa: E402

SECONDS = 2.0
WRITERS = (1, 8, 32)
HOLD_MS = 5


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    from supportpath.audit import log
    from supportpath.audit.chain import verify_chain
    from supportpath.testing import factories as f

    if connection.vendor != "postgresql":
        sys.exit("audit_writers: needs PostgreSQL (DATABASE_URL)")
    call_command("migrate", verbosity=0)
    service = f.ServiceFactory()
    actor = f.MembershipFactory(organisation=service, role="case_manager").user
    doctors = [f.DoctorFactory() for _ in range(max(WRITERS) * 4)]
    request = f.SupportRequestFactory(doctor=doctors[0], service=service)

    def writer(index: int, writers: int, hold: bool, stop: float, counts: list[int]) -> None:
        mine = doctors[index::writers]
        n = 0
        try:
            while time.perf_counter() < stop:
                doctor = mine[n % len(mine)]
                with transaction.atomic():
                    log.record_access(
                        actor=actor,
                        role="case_manager",
                        organisation=service.name,
                        doctor=doctor,
                        action="viewed",
                        what="Support request (benchmark)",
                        obj=request,
                        purpose="benchmark",
                    )
                    if hold:
                        with connection.cursor() as cursor:
                            cursor.execute("SELECT pg_sleep(%s)", [HOLD_MS / 1000])
                n += 1
        finally:
            counts[index] = n
            connections.close_all()

    def rate(writers: int, hold: bool) -> float:
        counts = [0] * writers
        stop = time.perf_counter() + SECONDS
        threads = [threading.Thread(target=writer, args=(i, writers, hold, stop, counts)) for i in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sum(counts) / SECONDS

    lanes = log.LANES
    results = {}
    for hold in (False, True):
        for design, n_lanes in (("one chain", 1), ("lanes", lanes)):
            log.LANES = n_lanes  # one lane: every writer queues for one lock, as before lanes
            for writers in WRITERS:
                results[design, hold, writers] = rate(writers, hold)
                print(
                    f"{design:9} {'inside a 5 ms transaction' if hold else 'a read on its own':26} "
                    f"{writers:2} writers: {results[design, hold, writers]:7.0f} rows/s"
                )
    log.LANES = lanes
    intact = verify_chain().intact
    one, many = results["one chain", True, 32], results["lanes", True, 32]
    print(f"chain intact after the run: {intact}")
    print(
        f"audit_writers: 32 writers {many:.0f} rows/s with {lanes} lanes vs {one:.0f} with one chain "
        f"({many / one:.1f}x), inside 5 ms transactions"
    )


if __name__ == "__main__":
    main()
