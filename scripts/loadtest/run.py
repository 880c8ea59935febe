"""The load test and its fault drills, end to end (``scripts/load``; docs/operations.md, "Load test").

Everything runs on this machine, on loopback only, against a private PostgreSQL cluster made for the run (its
own data directory, its own port, 5439 by default) so that restarting it harms nobody, and removed after:

1. the cluster, the demo data (``seed_demo``) and the people to play (``supportpath.testing.load.prepare``);
2. two gunicorn app servers and one worker (``manage.py worker``), email going to a stand-in mail server
   (``supportpath.testing.mail_sink``);
3. the load: ``--users`` simulated people for ``--minutes`` (locust, ``locustfile.py``), then the count of what
   was submitted against what was stored;
4. drill 1: a worker killed (SIGKILL) while it sends an email, a new one started; every email must still go,
   each to the mail server once;
5. drill 2: PostgreSQL stopped and started again mid-load; ``/healthz`` must answer 503 then 200, the app must
   recover by itself, and nothing acknowledged may be lost, duplicated or half-written.

It prints the figures, and as its last line a summary; it exits non-zero if any check fails.
"""

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"


def pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        sys.exit("load: PostgreSQL server binaries not found under /usr/lib/postgresql")
    return str(versions[-1] / name)


def as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Cluster:
    """A private PostgreSQL cluster in a temporary directory: nothing shared is ever touched, or restarted."""

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="supportpath-load-"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")

    def initdb(self) -> None:
        subprocess.run(
            as_postgres([pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # Loopback only; the memory settings docs/deployment.md gives, scaled to this machine.
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = '{self.dir}'\n"
                "max_connections = 100\nshared_buffers = 256MB\nwork_mem = 8MB\neffective_cache_size = 1GB\n"
            )

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            as_postgres([pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "postgres.log"), "-w", *args]),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        self.pg_ctl("start")

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "fast")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Run:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.cluster = Cluster(args.pg_port)
        self.out = Path(args.output or tempfile.mkdtemp(prefix="supportpath-load-results-"))
        self.out.mkdir(parents=True, exist_ok=True)
        self.database = self.cluster.url("supportpath_load")
        self.hosts = [f"http://127.0.0.1:{port}" for port in args.app_ports]
        self.mail = self.out / "mail.jsonl"
        self.people = self.out / "people.json"
        self.servers: list[subprocess.Popen] = []
        self.worker: subprocess.Popen | None = None
        self.results: dict = {}

    def env(self, **extra: str) -> dict:
        return {
            **os.environ,
            # The local settings (the demo app, whose people the load test plays) made production-like: no debug
            # pages, persistent health-checked connections.
            "DJANGO_ENV": "local",
            "DEBUG": "false",
            "DATABASE_URL": self.database,
            "DATABASE_CONN_MAX_AGE": "60",
            "DATABASE_CONN_HEALTH_CHECKS": "true",
            "SUPPORTPATH_DATA_DIR": str(self.out / "data"),
            "SITE_URL": self.hosts[0],
            "EMAIL_BACKEND": "supportpath.testing.mail_sink.LoadTestMailSink",
            "LOAD_MAIL_SINK": str(self.mail),
            "TASK_WORKER_HEARTBEAT_SECONDS": "5",
            "TASK_WORKER_LOST_AFTER_SECONDS": "15",
            "LOG_LEVEL": "WARNING",
            **extra,
        }

    def manage(self, *args: str, quiet: bool = False) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env(), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            print(result.stdout, result.stderr, file=sys.stderr)
            raise SystemExit(f"load: manage.py {args[0]} failed")
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code)

    # Setting up

    def set_up(self) -> None:
        log(f"private PostgreSQL cluster in {self.cluster.dir}, port {self.cluster.port}")
        self.cluster.initdb()
        self.cluster.start()
        subprocess.run(
            [pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.cluster.port), "-U", "postgres", "supportpath_load"],
            check=True,
        )
        log("migrate and seed the demo")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("seed_demo")
        print(self.shell(f"from supportpath.testing.load import prepare; prepare({str(self.people)!r})").strip())
        for port in self.args.app_ports:
            self.servers.append(
                subprocess.Popen(
                    [str(BIN / "gunicorn"), "supportpath.wsgi", "--bind", f"127.0.0.1:{port}"]
                    + ["--workers", str(self.args.gunicorn_workers), "--threads", str(self.args.gunicorn_threads)]
                    # Keep idle connections open longer than anyone waits between pages (as behind a proxy: longer
                    # than its upstream idle timeout), or a server closing one as the next request arrives resets it.
                    + ["--graceful-timeout", "10", "--timeout", "60", "--keep-alive", "75"],
                    cwd=ROOT,
                    env=self.env(),
                    stdout=open(self.out / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
                    stderr=subprocess.STDOUT,
                )
            )
        self.start_worker()
        for host in self.hosts:
            self.wait_for(lambda h=host: health(h) == 200, 60, f"{host}/healthz")
        log(f"app servers {', '.join(self.hosts)} and a worker are up")

    def start_worker(self, mail_delay: float = 0) -> None:
        self.worker = subprocess.Popen(
            [PYTHON, "manage.py", "worker", "--interval", "0.5"],
            cwd=ROOT,
            env=self.env(LOAD_MAIL_DELAY=str(mail_delay)),
            stdout=open(self.out / "worker.log", "a"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )

    def stop_worker(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.send_signal(signal.SIGTERM)
            try:
                self.worker.wait(30)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        self.worker = None

    def tear_down(self) -> None:
        self.stop_worker()
        for server in self.servers:
            server.send_signal(signal.SIGTERM)
        for server in self.servers:
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
        if self.args.keep:
            log(f"kept: {self.cluster.dir} (PostgreSQL still running on port {self.cluster.port})")
        else:
            self.cluster.remove()

    @staticmethod
    def wait_for(condition, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if condition():
                    return
            except Exception:  # noqa: BLE001 - not up yet
                pass
            time.sleep(0.5)
        raise SystemExit(f"load: {what} not ready after {seconds:.0f}s")

    def query(self, sql: str, params: tuple = ()):
        with psycopg.connect(self.database.replace("postgres://", "postgresql://"), connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()

    def outbox_drained(self) -> bool:
        return self.query("SELECT count(*) FROM notifications_sentemail WHERE status <> 'sent'")[0][0] == 0

    # Phases

    def locust(self, name: str, users: int, seconds: int, spawn_rate: float, background: bool = False):
        submissions = self.out / f"{name}-submissions.jsonl"
        command = [str(BIN / "locust"), "-f", str(ROOT / "scripts" / "loadtest" / "locustfile.py")]
        command += ["--headless", "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{seconds}s"]
        command += ["--csv", str(self.out / name), "--only-summary", "--stop-timeout", "30"]
        env = {
            **os.environ,
            "LOAD_PEOPLE": str(self.people),
            "LOAD_HOSTS": ",".join(self.hosts),
            "LOAD_SUBMISSIONS": str(submissions),
            "LOAD_PAGE_TIMES": str(self.out / f"{name}-page-times.json"),
        }
        log_file = open(self.out / f"{name}-locust.log", "w")  # noqa: SIM115
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        return process if background else process.wait()

    def stats(self, name: str) -> dict:
        with open(self.out / f"{name}_stats.csv", encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
        total = next(r for r in rows if r["Name"] == "Aggregated")
        pages = [r for r in rows if r["Name"] != "Aggregated" and not r["Name"].startswith("sign in")]
        worst = max(pages, key=lambda r: float(r["95%"] or 0)) if pages else None
        page_times = self.out / f"{name}-page-times.json"
        pages_only = json.loads(page_times.read_text()) if page_times.exists() else {}
        return {
            "pages_without_sign_in": pages_only,
            "requests": int(total["Request Count"]),
            "errors": int(total["Failure Count"]),
            "p50_ms": float(total["50%"] or 0),
            "p95_ms": float(total["95%"] or 0),
            "p99_ms": float(total["99%"] or 0),
            "requests_per_second": round(float(total["Requests/s"] or 0), 2),
            "worst_p95_page": f"{worst['Name']} {worst['95%']} ms" if worst else "",
        }

    def count(self, name: str, since: dt.datetime) -> dict:
        self.wait_for(self.outbox_drained, self.args.drain_seconds, "every email sent")
        output = self.shell(
            "from supportpath.testing.load import count; "
            f"count({str(self.out / f'{name}-submissions.jsonl')!r}, {since.isoformat()!r}, {str(self.mail)!r})"
        )
        line = next(line for line in output.splitlines() if line.startswith("count: "))
        return json.loads(line.removeprefix("count: "))

    def load(self) -> bool:
        users, minutes = self.args.users, self.args.minutes
        log(f"load: {users} users for {minutes} minutes against {len(self.hosts)} app servers and a worker")
        since = now()
        self.locust("load", users, int(minutes * 60), self.args.spawn_rate)
        figures = {**self.stats("load"), **self.count("load", since)}
        self.results["load"] = figures
        print("load figures: " + json.dumps(figures))
        return figures["errors"] == 0 and figures["ok"]

    def worker_drill(self) -> bool:
        log("drill 1: kill -9 a worker while it sends email")
        self.stop_worker()
        self.start_worker(mail_delay=2)  # a slow mail server: each email takes 2 seconds to be accepted
        since = now()
        process = self.locust("worker-drill", self.args.drill_users, self.args.drill_seconds, 5, background=True)
        killed = None
        deadline = time.monotonic() + self.args.drill_seconds
        while time.monotonic() < deadline and killed is None:
            sending = self.query("SELECT key FROM notifications_sentemail WHERE status = 'sending' LIMIT 1")
            if sending:
                os.kill(self.worker.pid, signal.SIGKILL)
                self.worker.wait()
                killed = sending[0][0]
                log(f"killed the worker (pid {self.worker.pid}) while it sent {killed}")
            else:
                time.sleep(0.2)
        self.start_worker()
        process.wait()
        figures = {**self.stats("worker-drill"), **self.count("worker-drill", since)}
        if killed:
            message_id, status = self.query(
                "SELECT message_id, status FROM notifications_sentemail WHERE key = %s", (killed,)
            )[0]
            lines = self.mail.read_text().splitlines()
            deliveries = sum(1 for line in lines if json.loads(line)["message_id"] == message_id)
            figures["killed_while_sending"] = {"key": killed, "status_after": status, "delivered": deliveries}
        self.results["worker_drill"] = figures
        print("worker drill figures: " + json.dumps(figures))
        return bool(killed) and figures["ok"] and figures["killed_while_sending"]["delivered"] == 1

    def restart_drill(self) -> bool:
        log("drill 2: restart PostgreSQL mid-load")
        since = now()
        seen: list[tuple[float, int]] = []
        stop = threading.Event()

        def poll() -> None:
            while not stop.is_set():
                seen.append((time.monotonic(), health(self.hosts[0])))
                time.sleep(0.1)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        process = self.locust("restart-drill", self.args.drill_users, self.args.drill_seconds, 5, background=True)
        time.sleep(self.args.drill_seconds / 3)
        down_at = time.monotonic()
        self.cluster.stop()
        log("PostgreSQL stopped")
        time.sleep(5)
        self.cluster.start()
        up_at, up_wall = time.monotonic(), now()
        log("PostgreSQL started again")
        process.wait()
        stop.set()
        poller.join()
        # A probe with no answer within its 2 seconds (0) says the machine is busy, not what the app answered.
        statuses = [status for _, status in seen if status]
        transitions = [statuses[0]] + [s for prev, s in zip(statuses, statuses[1:], strict=False) if s != prev]
        first_503 = next((t for t, s in seen if s == 503 and t >= down_at), None)
        back = next((t for t, s in seen if s == 200 and t >= up_at), None)
        figures = {**self.stats("restart-drill"), **self.count("restart-drill", since)}
        figures["healthz"] = " -> ".join(str(s) for s in transitions)
        figures["healthz_probes"] = len(seen)
        figures["healthz_unanswered_in_2s"] = sum(1 for _, status in seen if not status)
        figures["healthz_503_after_stop_s"] = round(first_503 - down_at, 2) if first_503 else None
        figures["healthz_200_after_start_s"] = round(back - up_at, 2) if back else None
        # Errors only while the database was away: the last one seen no later than a few seconds after it was back.
        with open(self.out / "restart-drill_failures.csv", encoding="utf-8") as file:
            last_seen = [dt.datetime.fromisoformat(r["Last Seen"].replace("Z", "+00:00")) for r in csv.DictReader(file)]
        last_error = max(last_seen, default=None)
        figures["last_error_after_start_s"] = round((last_error - up_wall).total_seconds(), 1) if last_error else None
        # Recovered unaided: a short run after the restart, with nothing restarted by hand, has no errors.
        self.locust("after-restart", 5, 30, 5)
        after = self.stats("after-restart")
        figures["errors_after_recovery"] = after["errors"]
        self.results["restart_drill"] = figures
        print("restart drill figures: " + json.dumps(figures))
        return (
            transitions[:3] == [200, 503, 200]
            and (last_error is None or (last_error - up_wall).total_seconds() <= 10)
            and statuses[-1] == 200
            and figures["ok"]
            and after["errors"] == 0
            and after["requests"] > 0
        )


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def health(host: str) -> int:
    try:
        with urllib.request.urlopen(f"{host}/healthz", timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # no answer at all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--spawn-rate", type=float, default=1, help="users started per second")
    parser.add_argument("--drill-users", type=int, default=10)
    parser.add_argument("--drill-seconds", type=int, default=90)
    parser.add_argument("--drain-seconds", type=int, default=180, help="how long to wait for the outbox to empty")
    parser.add_argument("--pg-port", type=int, default=5439)
    parser.add_argument("--app-ports", type=int, nargs=2, default=[8105, 8106])
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-drills", action="store_true")
    parser.add_argument("--output", help="folder for the logs, CSVs and results.json (default: a new one in /tmp)")
    parser.add_argument("--keep", action="store_true", help="leave the cluster and its data for inspection")
    args = parser.parse_args()

    run = Run(args)
    passed = {}
    try:
        run.set_up()
        if not args.skip_load:
            passed["load"] = run.load()
        if not args.skip_drills:
            passed["worker_drill"] = run.worker_drill()
            passed["restart_drill"] = run.restart_drill()
    finally:
        run.tear_down()
    (run.out / "results.json").write_text(json.dumps(run.results, indent=1))
    parts = []
    if "load" in run.results:
        load, kinds = run.results["load"], run.results["load"]["kinds"]
        parts.append(
            f"{load['requests']} requests, {load['errors']} errors, p95 {load['p95_ms']:.0f} ms "
            f"(pages without sign-in: p95 {load['pages_without_sign_in'].get('p95_ms', 0):.0f} ms); submitted "
            f"{sum(k['submitted'] for k in kinds.values())}, stored {sum(k['stored'] for k in kinds.values())}, "
            f"lost {sum(k['lost'] for k in kinds.values())}, duplicated {sum(k['duplicated'] for k in kinds.values())}"
        )
    for drill in ("worker_drill", "restart_drill"):
        if drill in passed:
            parts.append(f"{drill.replace('_', ' ')} {'passed' if passed[drill] else 'FAILED'}")
    print(f"load: figures, logs and CSVs in {run.out}")
    print(f"load: {'; '.join(parts)}{'' if all(passed.values()) else ' (FAILED)'}")
    return 0 if passed and all(passed.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
