"""Benchmark: every insights report over at least 200,000 cases' fact rows on PostgreSQL, against the same
aggregation in DuckDB over the same rows.

The fact rows are fictional and bulk-loaded straight into the tables (COPY): this is a data set for timing, not
a demo. They are made once and reused on later runs (a service named "Benchmark PSU (fictional)"). Each report
is timed as the page calls it (``supportpath.insights.reports`` and ``equity``: the database's GROUP BY and
percentile_cont, then the disclosure rule), best of 3; DuckDB runs the same aggregations in SQL over a copy of
the same rows, best of 3.

Needs PostgreSQL: DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/sp_insights_bench (created and
migrated if missing). Run: .venv/bin/python benchmarks/insights.py [cases]
"""

import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sp_insights_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "supportpath.settings.test"

import django  # noqa: E402
import duckdb  # noqa: E402
import psycopg  # noqa: E402

CASES = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
SERVICE_NAME = "Benchmark PSU (fictional)"
MONTHS = 24
TODAY = dt.date(2026, 12, 6)
REPEATS = 3
FACT_COLUMNS = [
    "id",
    "service_id",
    "employer_id",
    "employer_kind",
    "career_stage",
    "contract_type",
    "qualification_region",
    "age_band",
    "gender",
    "ethnic_group",
    "referred_month",
    "route",
    "self_referred",
    "mandated",
    "urgent",
    "days_to_first_contact",
    "days_to_case_opened",
    "days_to_first_conversation",
    "days_to_plan_agreed",
    "days_to_first_session",
    "days_to_ended",
    "first_contact_due_days",
    "first_conversation_due_days",
    "plan_agreed_due_days",
    "stage",
    "is_case",
    "ended_month",
    "ending",
    "handed_over_to",
    "goals",
    "gas_start",
    "gas_end",
    "sessions_held",
    "sessions_cancelled",
    "sessions_missed",
    "reviews_held",
]


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def month_back(n: int) -> dt.date:
    index = TODAY.year * 12 + TODAY.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def generate(service, employers) -> None:
    """COPY ``CASES`` fictional facts (and their measures and feedback) into the tables."""
    from django.db import connection

    rng = random.Random("insights-benchmark")
    facts, measures, feedback = io.StringIO(), io.StringIO(), io.StringIO()
    pick = rng.choices
    statements = ["safe_to_be_open", "knew_what_next", "understood", "my_goals", "would_recommend"]
    for _ in range(CASES):
        fid = uuid.UUID(int=rng.getrandbits(128), version=4)
        employer = pick(employers, weights=[50, 40, 10])[0]
        region = pick(["uk", "eea", "international"], weights=[86, 7, 7])[0]
        route = pick(
            ["self", "supervisor", "appraiser", "responsible_officer", "occupational_health", "signposted"],
            weights=[55, 15, 8, 7, 10, 5],
        )[0]
        month = month_back(rng.randint(1, MONTHS))
        first_contact = rng.randint(0, 9)
        ended = rng.random() < 0.8
        is_case = rng.random() < 0.85
        end_days = rng.randint(40, 300)
        ended_month = min(month + dt.timedelta(days=end_days), TODAY).replace(day=1) if ended else None
        ending = (
            (
                pick(["goals_met", "doctor_withdrew", "other", "handed_over"], weights=[65, 20, 10, 5])[0]
                if is_case
                else pick(["withdrawn", "no_response", "request_handed_over"])[0]
            )
            if ended
            else ""
        )
        gas_start = 37.5 + rng.random() * 5 if is_case else None
        row = [
            fid,
            service.pk,
            employer.pk,
            employer.kind,
            pick(["foundation", "specialty_trainee", "sas", "consultant", "gp"], weights=[10, 60, 8, 12, 10])[0],
            pick(["resident", "sas", "consultant", "gp", "locum"])[0],
            region,
            pick(["25_to_35", "36_to_45", "46_to_55", ""])[0],
            pick(["female", "male", "another", ""], weights=[50, 42, 1, 7])[0],
            pick(["white", "asian", "black", "mixed", "other", ""], weights=[60, 20, 6, 4, 3, 7])[0],
            month,
            route,
            route in ("self", "signposted"),
            route == "responsible_officer",
            rng.random() < 0.05,
            first_contact,
            first_contact + 2 if is_case else None,
            first_contact + rng.randint(5, 20) if is_case else None,
            first_contact + rng.randint(15, 45) if is_case else None,
            first_contact + rng.randint(25, 60) if is_case else None,
            end_days if ended else None,
            7,
            14 if is_case else None,
            35 if is_case else None,
            "ended" if ended else pick(["received", "contacted", "initial_conversation", "planning", "support"])[0],
            is_case,
            ended_month,
            ending,
            "",
            2 if is_case else 0,
            gas_start,
            gas_start + rng.gauss(12, 8) if is_case and ended else None,
            rng.randint(0, 10) if is_case else 0,
            rng.randint(0, 2) if is_case else 0,
            rng.randint(0, 1) if is_case else 0,
            rng.randint(0, 3) if is_case else 0,
        ]
        facts.write("\t".join(text(v) for v in row) + "\n")
        if is_case and ended and rng.random() < 0.7:
            for measure, high in (("phq-9", 27), ("gad-7", 21), ("who-5", 25)):
                start = rng.randint(0, high)
                change = round(rng.gauss(-3 if measure != "who-5" else 3, 4))
                end = max(0, min(high, start + change))
                measures.write(f"{fid}\t{measure}\t{start}\t{end}\t\\N\t\\N\n")
        if is_case and ended and rng.random() < 0.5:
            for statement in statements:
                feedback.write(f"{fid}\t{statement}\t{rng.randint(1, 5)}\n")
    raw = connection.connection
    with raw.cursor() as cursor:
        for table, columns, data in (
            ("insights_fact", FACT_COLUMNS, facts),
            (
                "insights_factmeasure",
                ["fact_id", "measure", "first_score", "closure_score", "after_3_months_score", "after_6_months_score"],
                measures,
            ),
            ("insights_factfeedback", ["fact_id", "statement", "agreement"], feedback),
        ):
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(data.getvalue())
        cursor.execute("ANALYZE insights_fact; ANALYZE insights_factmeasure; ANALYZE insights_factfeedback;")
    raw.commit()


def best(fn) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def duck_queries(service_id: int, start: dt.date, end: dt.date, employers: list[int]) -> dict[str, list[str]]:
    period = f"service_id = {service_id} AND referred_month BETWEEN DATE '{start}' AND DATE '{end}'"
    ended = f"service_id = {service_id} AND ended_month BETWEEN DATE '{start}' AND DATE '{end}'"
    steps = [
        ("days_to_first_contact", "first_contact_due_days"),
        ("days_to_first_conversation", "first_conversation_due_days"),
        ("days_to_plan_agreed", "plan_agreed_due_days"),
        ("days_to_first_session", None),
    ]
    waits = ", ".join(
        f"count({d}), quantile_cont({d}, [0.5, 0.9])" + (f", count(*) FILTER ({d} <= {due})" if due else "")
        for d, due in steps
    )
    dims = ["career_stage", "contract_type", "qualification_region", "ethnic_group", "gender", "age_band"]
    in_files = f"{period} AND employer_id IN ({', '.join(map(str, employers))})"
    return {
        "refusal": [f"SELECT count(*), count(*) FILTER (referred_month = DATE '{start}') FROM fact WHERE {period}"],
        "requests": [f"SELECT referred_month, route, count(*) FROM fact WHERE {period} GROUP BY 1, 2"],
        "waits": [f"SELECT {waits} FROM fact WHERE {period}"],
        "open": [f"SELECT stage, count(*) FROM fact WHERE service_id = {service_id} AND stage <> 'ended' GROUP BY 1"],
        "closures": [f"SELECT ending, count(*) FROM fact WHERE {ended} GROUP BY 1"],
        "engagement": [
            f"SELECT count(*), sum(sessions_held), sum(sessions_cancelled), sum(sessions_missed), "
            f"avg(sessions_held), stddev_samp(sessions_held) FROM fact WHERE {ended} AND is_case"
        ],
        "goal attainment": [
            f"SELECT count(*), avg(gas_start), avg(gas_end), avg(gas_end - gas_start), "
            f"stddev_samp(gas_end - gas_start) FROM fact WHERE {ended} AND gas_start IS NOT NULL "
            f"AND gas_end IS NOT NULL"
        ],
        "measures": [
            f"SELECT measure, count(*), avg(first_score), avg(closure_score), "
            f"avg(closure_score - first_score), "
            f"stddev_samp(closure_score - first_score) FROM factmeasure m JOIN fact f ON f.id = m.fact_id "
            f"WHERE {ended} AND first_score IS NOT NULL AND closure_score IS NOT NULL GROUP BY 1"
        ],
        "talking therapies": [
            "SELECT count(*), count(*) FILTER ((p.closure_score <= p.first_score - 6 "
            "OR g.closure_score <= g.first_score - 4) "
            "AND NOT (p.closure_score >= p.first_score + 6) AND NOT (g.closure_score >= g.first_score + 4)), "
            "count(*) FILTER (p.first_score >= 10 OR g.first_score >= 8), "
            "count(*) FILTER ((p.first_score >= 10 OR g.first_score >= 8) "
            "AND p.closure_score < 10 AND g.closure_score < 8) "
            "FROM fact f JOIN factmeasure p ON p.fact_id = f.id AND p.measure = 'phq-9' "
            f"JOIN factmeasure g ON g.fact_id = f.id AND g.measure = 'gad-7' WHERE {ended}"
        ],
        "feedback": [
            f"SELECT statement, agreement, count(*) FROM factfeedback b JOIN fact f ON f.id = b.fact_id "
            f"WHERE {ended} GROUP BY 1, 2"
        ],
        "equity": [
            f"SELECT {d}, count(*), count(*) FILTER (NOT self_referred OR mandated), "
            f"count(*) FILTER (is_case AND ended_month IS NOT NULL), count(*) FILTER (ending = 'goals_met') "
            f"FROM fact WHERE {in_files} GROUP BY 1"
            for d in dims
        ],
    }


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from supportpath.accounts.models import Organisation
    from supportpath.insights import capacity, equity, reports, workforce
    from supportpath.insights.models import Fact
    from supportpath.insights.selection import Selection

    if connection.vendor != "postgresql":
        sys.exit("insights: needs PostgreSQL (DATABASE_URL)")
    call_command("migrate", verbosity=0)
    service, _ = Organisation.objects.get_or_create(name=SERVICE_NAME, defaults={"kind": "regional_psu"})
    employers = [
        Organisation.objects.get_or_create(
            name=f"Benchmark {name} (fictional)", defaults={"kind": kind, "support_service": service}
        )[0]
        for name, kind in (("Trust A", "acute_trust"), ("Trust B", "acute_trust"), ("Practice", "gp_practice"))
    ]
    have = Fact.objects.filter(service=service).count()
    if have < CASES:
        Fact.objects.filter(service=service).delete()
        started = time.perf_counter()
        generate(service, employers)
        print(f"made {CASES:,} fact rows in {time.perf_counter() - started:.1f} s")
    n = Fact.objects.filter(service=service).count()
    header = ",".join(workforce.COLUMNS) + "\n"
    for organisation, doctors in zip(employers, (40_000, 30_000, 8_000), strict=True):
        if not organisation.workforce_files.exists():
            data = header + f"specialty_trainee,resident,uk,white,female,25_to_35,{doctors // 2}\n"
            data += f"consultant,consultant,international,asian,male,46_to_55,{doctors - doctors // 2}\n"
            workforce.load(service=service, organisation=organisation, data=data.encode(), by=None)

    selection = Selection(service, month_back(MONTHS), month_back(1))
    pg = {
        "refusal": lambda: selection.refusal(),
        "requests": lambda: reports.requests_by_month(selection),
        "waits": lambda: reports.waits(selection),
        "open": lambda: reports.open_by_stage(selection),
        "closures": lambda: reports.closures(selection),
        "engagement": lambda: reports.engagement(selection),
        "goal attainment": lambda: reports.goal_attainment(selection),
        "measures": lambda: reports.measure_change(selection),
        "talking therapies": lambda: reports.talking_therapies(selection),
        "feedback": lambda: reports.feedback(selection),
        "equity": lambda: equity.equity_report(selection),
        "capacity": lambda: capacity.inputs(selection, TODAY),
    }
    pg_times = {name: best(fn) for name, fn in pg.items()}

    # The same rows in DuckDB, copied out of PostgreSQL.
    folder = Path(tempfile.mkdtemp(prefix="insights-bench-"))
    raw = connection.connection
    for table in ("insights_fact", "insights_factmeasure", "insights_factfeedback"):
        path = folder / f"{table}.csv"
        query = f"COPY {table} TO STDOUT WITH (FORMAT csv, HEADER true)"
        with raw.cursor() as cursor, path.open("wb") as out, cursor.copy(query) as copy:
            for chunk in copy:
                out.write(chunk)
    duck = duckdb.connect()
    for table, name in (
        ("insights_fact", "fact"),
        ("insights_factmeasure", "factmeasure"),
        ("insights_factfeedback", "factfeedback"),
    ):
        duck.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto('{folder / (table + '.csv')}')")
    queries = duck_queries(service.pk, selection.start, selection.end, [e.pk for e in employers])
    queries["capacity"] = [
        f"SELECT count(*) FILTER (is_case AND referred_month >= DATE '{month_back(6)}'), "
        "avg((days_to_ended - days_to_first_session) / 7.0) FILTER (ending IN ('goals_met', 'handed_over', "
        f"'doctor_withdrew', 'other') AND days_to_first_session IS NOT NULL) FROM fact WHERE service_id = {service.pk}"
    ]
    duck_times = {name: best(lambda qs=qs: [duck.execute(q).fetchall() for q in qs]) for name, qs in queries.items()}

    print(f"{'report':<20}{'PostgreSQL s':>14}{'DuckDB s':>12}{'ratio':>8}")
    for name in pg:
        print(f"{name:<20}{pg_times[name]:>14.3f}{duck_times[name]:>12.3f}{pg_times[name] / duck_times[name]:>8.1f}")
    worst = max(pg_times, key=pg_times.get)
    ratio = pg_times[worst] / duck_times[worst]
    print(
        f"slowest: {worst}; within 1 s: {all(t < 1 for t in pg_times.values())}; "
        f"all within 10x DuckDB: {all(pg_times[k] / duck_times[k] <= 10 for k in pg)}"
    )
    print(f"insights: {pg_times[worst]:.3f} s at {n} cases, {ratio:.1f}x DuckDB")


if __name__ == "__main__":
    main()
