"""Benchmark: every role's key pages at national scale, against the floor page, with 8 users at once.

Signs in one demo person per role (the national-scale seed, ``manage.py seed_scale``, gives them national-sized
lists), and measures each key page: 8 threads, each with Django's test Client in this process against the
database (the full middleware and templates, no HTTP server), each loading the page ``--repeat`` times. The floor
page ("Your account": a signed-in page that reads almost nothing) is measured the same way at the start and again
before every page, and its p95 is taken over all of those loads: a shared machine's speed drifts within a run,
and a floor taken in the run's first seconds alone moved every multiple with it (docs/scale.md). Reports each
page's p50 and p95 and its p95 as a multiple of the floor's (and, on one line, the worst multiple against the
first floor alone, as it was measured before), and its query count (counted on a second load, when the day's list
sightings are already logged) against the demo's (``benchmarks/pages_demo_counts.json``, written by
``--save-counts`` on a database with the demo only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/supportpath_scale .venv/bin/python benchmarks/pages.py
    DATABASE_URL=postgres://.../supportpath_demo .venv/bin/python benchmarks/pages.py --save-counts

The database must hold the demo (``seed_demo``) and, for the national figures, ``seed_scale``; it runs with the
local (demo) settings and their encryption keys, with DEBUG off. Last line:
``pages: worst <page> <ratio>x floor p95 at <N> doctors``.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/supportpath_scale")
os.environ["DJANGO_SETTINGS_MODULE"] = "supportpath.settings.local"
os.environ["DEBUG"] = "false"

import django  # noqa: E402

COUNTS_FILE = Path(__file__).resolve().parent / "pages_demo_counts.json"
USERS = 8


def signed_in(email: str):
    from django.test import Client

    from supportpath.accounts.models import User
    from supportpath.testing.auth import login_as

    return login_as(Client(), User.objects.get(email=email))


def load(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    took = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"pages: {path} answered {response.status_code}")
    return took


def count_queries(client, path: str) -> tuple[int, int]:
    """The page's queries and the encrypted values it decrypts, on one load (not timed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from supportpath.core import encryption

    load(client, path)  # the first load of the day logs list sightings; the count is of every load after it
    decrypted = 0
    real = encryption.decrypt

    def counted(stored: str) -> str:
        nonlocal decrypted
        decrypted += 1
        return real(stored)

    encryption.decrypt = counted
    try:
        with CaptureQueriesContext(connection) as captured:
            load(client, path)
    finally:
        encryption.decrypt = real
    return len(captured), decrypted


def timed(email: str, path: str, repeat: int) -> list[float]:
    """``USERS`` threads at once, each signed in as the same person in its own session, each loading the page
    ``repeat`` times."""
    from django.db import connection

    clients = [signed_in(email) for _ in range(USERS)]
    for client in clients:
        load(client, path)
    times: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(USERS)

    def user(client) -> None:
        mine = []
        try:
            barrier.wait()
            for _ in range(repeat):
                mine.append(load(client, path))
        finally:
            connection.close()
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=user, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="loads per user per page (default 20)")
    parser.add_argument("--save-counts", action="store_true", help=f"write the query counts to {COUNTS_FILE.name}")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    args = parser.parse_args()
    django.setup()
    from django.conf import settings

    from supportpath.accounts.models import DoctorProfile

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    doctors = DoctorProfile.objects.count()
    demo_counts = json.loads(COUNTS_FILE.read_text()) if COUNTS_FILE.exists() and not args.save_counts else {}
    from supportpath.demo.scale_pages import FLOOR_PATH, key_pages, personas

    pages = [p for p in key_pages() if args.only in p.name]
    floor_email = personas()["case manager"]
    floor_path = FLOOR_PATH

    print(f"pages: {doctors:,} doctors; {USERS} users at once, {args.repeat} loads each per page")
    # The floor is measured before every page, not once at the start, and its p95 taken over all of those loads:
    # the machine's speed drifts over a run (other work on a shared host), and each page is then measured
    # against the floor of the whole run rather than against a few seconds at its start.
    first_floor = timed(floor_email, floor_path, args.repeat)
    floor = list(first_floor)
    floor_queries, floor_decrypted = count_queries(signed_in(floor_email), floor_path)
    counts = {"your account": floor_queries}
    measured = []
    for page in pages:
        key = f"{page.role}: {page.name}"
        queries, decrypted = count_queries(signed_in(page.email), page.path)
        counts[key] = queries
        floor += timed(floor_email, floor_path, args.repeat)
        measured.append((page, key, queries, decrypted, timed(page.email, page.path, args.repeat)))
        print(f"  measured {key}", file=sys.stderr)
    floor_p95 = p95(floor)
    print(
        f"{'role':<20} {'page':<28} {'queries':>7} {'demo':>5} {'decrypts':>8} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'x floor':>8}"
    )
    print(
        f"{'(floor)':<20} {'your account':<28} {floor_queries:>7} {demo_counts.get('your account', '-'):>5} "
        f"{floor_decrypted:>8} "
        f"{statistics.median(floor) * 1000:>8.1f} {floor_p95 * 1000:>8.1f} {1:>8.2f}"
    )
    worst = ("your account", 1.0)
    worst_by_first = ("your account", 1.0)
    differ = []
    for page, key, queries, decrypted, times in measured:
        ratio = p95(times) / floor_p95
        demo = demo_counts.get(key, "-")
        if demo != "-" and demo != queries:
            differ.append(f"{key} {queries} (demo {demo})")
        print(
            f"{page.role:<20} {page.name:<28} {queries:>7} {demo:>5} {decrypted:>8} "
            f"{statistics.median(times) * 1000:>8.1f} {p95(times) * 1000:>8.1f} {ratio:>8.2f}"
        )
        if ratio > worst[1]:
            worst = (key, ratio)
        if p95(times) / p95(first_floor) > worst_by_first[1]:
            worst_by_first = (key, p95(times) / p95(first_floor))
    print(
        f"pages: the floor's p95 over the run {floor_p95 * 1000:.1f} ms; at the start alone "
        f"{p95(first_floor) * 1000:.1f} ms, against which the worst is {worst_by_first[0]} {worst_by_first[1]:.2f}x"
    )
    if args.save_counts:
        COUNTS_FILE.write_text(json.dumps(counts, indent=2, sort_keys=True) + "\n")
        print(f"pages: query counts written to {COUNTS_FILE.name}")
    elif demo_counts:
        if differ:
            print("pages: query counts differ from the demo's: " + "; ".join(differ))
        else:
            print("pages: query counts equal the demo's")
    print(f"pages: worst {worst[0]} {worst[1]:.1f}x floor p95 at {doctors:,} doctors")


if __name__ == "__main__":
    main()
