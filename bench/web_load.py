"""Load benchmark of the web app: concurrent signed-in users viewing the dashboard and saving follow-ups.

    .venv/bin/python bench/web_load.py [--users 20] [--requests 2000] [--duration 120] [--think 0]
                                      [--workers 2] [--threads 8] [--contenders 5] [--servers 1]

What it does:
1. Database: PostgreSQL when DATABASE_URL points at one (the demo is loaded into
   that database; use a database meant for it), else a fresh SQLite file in a
   temporary folder (the output says which).
2. Migrates, loads the Södertörn demo, reopens 2020 (audited, actor "bench")
   and creates one user per simulated person, each owning one activity of 2020.
3. Serves the app on 127.0.0.1 with a small pre-forking WSGI server
   (`--workers` processes sharing one listening socket, each with a pool of
   `--threads` threads; wsgiref underneath, since no production WSGI server
   is installed). Only the loopback address is used. `--servers 2` starts two
   such servers, each with a data folder of its own, as on two machines that
   share nothing but the database; every person's requests then alternate
   between them (no sticky sessions), so each request may land on the server
   that did not serve the one before.
4. First one person works alone (150 requests): the latency of each kind of
   request without queueing. Then `--users` threads sign in through the login
   form (not timed) and, until `--requests` requests or `--duration` seconds
   are used up, each repeatedly views the dashboard, views an activity, or
   saves its own follow-up with the version the form carries (45/15/40 %).
   `--contenders` of them also save one shared follow-up, racing each other
   on purpose. The first person is the secretariat, the others network leads.
5. Prints, per phase, latency percentiles per kind of request and overall,
   requests per second, errors, conflicts, and the lost-update check: for
   every follow-up, successful saves == final version - initial version, the
   audit trail has one entry per successful save, and the final text is the
   text of the save with the highest version.

Plain script: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import BaseServer
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
BASELINE_REQUESTS = 150
HOST = "127.0.0.1"
PASSWORD = "bench-lösenord-som-är-långt"
COOP = "sodertorn"
YEAR = 2020
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')


# --- the server ---------------------------------------------------------------------------------


def serve(port: int, workers: int, threads: int) -> None:
    """Run the WSGI app on 127.0.0.1:port in `workers` processes with `threads` threads each."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

    import django
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    django.setup()

    class QuietHandler(WSGIRequestHandler):
        # Buffer the response and send it without Nagle's delay: wsgiref writes the
        # headers and the body separately, which otherwise waits for a delayed ACK.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class PooledServer(WSGIServer):
        """Hands each connection to a fixed pool, so database connections are reused per thread."""

        request_queue_size = 256
        allow_reuse_address = True
        pool: ThreadPoolExecutor

        def process_request(self, request: Any, client_address: Any) -> None:
            self.pool.submit(self._handle, request, client_address)

        def _handle(self, request: Any, client_address: Any) -> None:
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    server = PooledServer((HOST, port), QuietHandler)
    server.set_app(get_wsgi_application())
    # After the app is built (building it configures logging again): the expected 409s would fill the output.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    connections.close_all()  # nothing opened before the fork may be shared
    children: list[int] = []
    for _ in range(workers - 1):
        pid = os.fork()
        if pid == 0:
            children = []
            break
        children.append(pid)

    def stop(signum: int, frame: Any) -> None:
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    server.pool = ThreadPoolExecutor(max_workers=threads)
    BaseServer.serve_forever(server, poll_interval=0.1)


# --- the database -----------------------------------------------------------------------------------


def prepare_database(n_users: int, contenders: int) -> dict[str, Any]:
    """Migrate, load the demo, reopen 2020, create the users; returns what the clients need.

    The first person is the secretariat; every other one leads a network that
    owns their activity (and, for the contenders, the shared activity too),
    as in a cooperation where most people at work are network leads.
    """
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from samverkan.accounts.models import Role
    from samverkan.accounts.services import grant_role
    from samverkan.demo import demo_files
    from samverkan.members.models import Cooperation, Year
    from samverkan.members.services import reopen_year
    from samverkan.plan.models import FollowUp
    from samverkan.yearfile.services import load_files

    call_command("migrate", verbosity=0, interactive=False)
    load_files(demo_files(), actor="bench")
    coop = Cooperation.objects.get(slug=COOP)
    year = Year.objects.get(cooperation=coop, year=YEAR)
    if year.is_locked:
        year = reopen_year(year, actor="bench", reason="load benchmark")
    follow_ups = list(
        FollowUp.objects.filter(activity__focus_area__year=year).order_by(
            "activity__focus_area__order", "activity__order"
        )
    )
    if len(follow_ups) < n_users + 1:
        raise SystemExit(
            f"the demo year has {len(follow_ups)} activities; use at most {len(follow_ups) - 1} users"
        )
    shared = follow_ups[-1]
    users = []
    for n, follow_up in zip(range(n_users), follow_ups, strict=False):
        username = f"bench-{n:02d}"
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.set_password(PASSWORD)
        user.save()
        if n == 0:
            grant_role(user, coop, Role.SECRETARIAT, actor="bench")
        else:
            networks = {follow_up.activity.owners()[0]}
            if n < contenders:
                networks.add(shared.activity.owners()[0])
            for network in networks:
                grant_role(user, coop, Role.NETWORK_LEAD, network=network, actor="bench")
        users.append(username)
    return {
        "users": users,
        "own": {u: (f.activity_id, f.pk) for u, f in zip(users, follow_ups, strict=False)},
        "shared": (shared.activity_id, shared.pk),
    }


def current_versions() -> dict[int, int]:
    from samverkan.plan.models import FollowUp

    return dict(
        FollowUp.objects.filter(
            activity__focus_area__year__year=YEAR,
            activity__focus_area__year__cooperation__slug=COOP,
        ).values_list("pk", "version")
    )


# --- the clients ----------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    status: int
    seconds: float
    ok: bool


@dataclass
class Shared:
    budget: int
    deadline: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: list[Sample] = field(default_factory=list)
    saved_texts: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    failures: Counter[str] = field(default_factory=Counter)
    signed_in: int = 0
    people: int = 0
    ready: threading.Event = field(default_factory=threading.Event)
    go: threading.Event = field(default_factory=threading.Event)

    def arrived(self) -> None:
        """One more person is signed in (or gave up); the last one releases the start."""
        with self.lock:
            self.signed_in += 1
            if self.signed_in >= self.people:
                self.ready.set()

    def take(self) -> bool:
        with self.lock:
            if self.budget <= 0 or time.monotonic() > self.deadline:
                return False
            self.budget -= 1
            return True


class Browser:
    """A signed-in person: cookies kept by hand, one short connection per request (wsgiref closes them).

    With several servers the requests go to each in turn, as a load balancer without sticky sessions sends them.
    """

    def __init__(self, ports: list[int], first: int = 0) -> None:
        self.ports = ports
        self.turn = first
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[int, str, str]:
        self.port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": HOST}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location") or "", text
        finally:
            connection.close()


def timed(
    shared: Shared, kind: str, call: Any, ok_statuses: tuple[int, ...]
) -> tuple[int, str, str]:
    start = time.perf_counter()
    try:
        status, location, text = call()
    except OSError as exc:
        with shared.lock:
            shared.failures[f"{kind}: {type(exc).__name__}"] += 1
            shared.samples.append(Sample(kind, 0, time.perf_counter() - start, False))
        return 0, "", ""
    with shared.lock:
        shared.samples.append(
            Sample(kind, status, time.perf_counter() - start, status in ok_statuses)
        )
        if status not in ok_statuses:
            shared.failures[f"{kind}: HTTP {status}"] += 1
    return status, location, text


def person(
    ports: list[int],
    username: str,
    own: tuple[int, int],
    shared_follow_up: tuple[int, int] | None,
    shared: Shared,
    think: float,
    seed: int,
) -> None:
    rng = random.Random(seed)
    browser = Browser(ports, first=seed)
    _status, _location, page = browser.request("GET", "/konto/logga-in/")
    token = CSRF_INPUT.search(page)
    status, location, _text = browser.request(
        "POST",
        "/konto/logga-in/",
        {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": username,
            "password": PASSWORD,
        },
    )
    signed_in = status == 302 and "sessionid" in browser.cookies
    if not signed_in:
        with shared.lock:
            shared.failures["login"] += 1
    shared.arrived()
    shared.go.wait()
    if not signed_in:
        return
    base = f"/app/{COOP}/{YEAR}/"
    counter = 0
    while shared.take():
        roll = rng.random()
        if roll < 0.45:
            timed(shared, "dashboard", lambda: browser.request("GET", base), (200,))
        elif roll < 0.60:
            timed(
                shared,
                "activity",
                lambda: browser.request("GET", f"{base}aktiviteter/{own[0]}/"),
                (200,),
            )
        else:
            target = shared_follow_up if (shared_follow_up and roll >= 0.85) else own
            kind = "save shared" if target is shared_follow_up else "save own"
            _s, _l, form = timed(
                shared,
                "activity",
                lambda t=target: browser.request("GET", f"{base}aktiviteter/{t[0]}/"),
                (200,),
            )
            version, csrf = VERSION_INPUT.search(form), CSRF_INPUT.search(form)
            if not (version and csrf) or not shared.take():
                continue
            counter += 1
            text = f"{username} sparar {counter} ({time.time_ns()})"
            ok = (302, 409) if kind == "save shared" else (302,)
            form_data = {
                "csrfmiddlewaretoken": csrf.group(1),
                "version": version.group(1),
                "status": "ongoing",
                "text": text,
                "status_reason": "",
            }
            status, _l, _t = timed(
                shared,
                kind,
                lambda t=target, d=form_data: browser.request(
                    "POST", f"{base}aktiviteter/{t[0]}/", d
                ),
                ok,
            )
            if status == 302:
                with shared.lock:
                    shared.saved_texts[target[1]].append(text)
        if think:
            time.sleep(rng.expovariate(1 / think))


# --- the run ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for(port: int, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def lost_update_check(
    initial_versions: dict[int, int], shared: Shared, since_audit_id: int
) -> tuple[int, list[str]]:
    """(follow-ups checked, problems): successes, versions, audit entries and final texts must agree."""
    from samverkan.audit.models import AuditEntry
    from samverkan.plan.models import FollowUp

    problems = []
    for pk, texts in shared.saved_texts.items():
        stored = FollowUp.objects.get(pk=pk)
        steps = stored.version - initial_versions[pk]
        entries = list(
            AuditEntry.objects.filter(
                action="plan.follow_up.update",
                object_id=str(pk),
                actor__username__startswith="bench-",
                id__gt=since_audit_id,
            )
        )
        audited = {e.changes["text"]["after"] for e in entries}
        last = max(entries, key=lambda e: e.changes["version"]["after"]) if entries else None
        if steps != len(texts):
            problems.append(
                f"follow-up {pk}: {len(texts)} successful saves but the version moved {steps}"
            )
        if len(entries) != len(texts) or audited != set(texts):
            problems.append(f"follow-up {pk}: the audit trail does not match the successful saves")
        if last is None or stored.text != last.changes["text"]["after"] or stored.text not in texts:
            problems.append(f"follow-up {pk}: the stored text is not the last successful save")
    return len(shared.saved_texts), problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds, at most")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause between a person's requests in seconds (0: none, the worst case)",
    )
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per server process")
    parser.add_argument(
        "--contenders", type=int, default=5, help="users who also save one shared follow-up"
    )
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="separate servers, each with its own data folder (2: as two machines sharing the database)",
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    if args.serve:
        serve(args.serve, args.workers, args.threads)
        return

    tmp = None
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        database = f"PostgreSQL ({url.rsplit('@', 1)[-1]})"
        # Persistent connections per server thread, as in production.
        os.environ.setdefault("SAMVERKAN_CONN_MAX_AGE", "60")
    else:
        tmp = tempfile.TemporaryDirectory(prefix="samverkan-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
        database = "SQLite (no PostgreSQL DATABASE_URL given; a fresh file in a temporary folder)"
    os.environ.setdefault(
        "SAMVERKAN_LOGIN_THROTTLING", "false"
    )  # 20 logins from one address are not an attack

    print(f"database: {database}")
    print(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the run "
        "(server, clients and anything else running share them)"
    )
    started = time.perf_counter()
    setup = prepare_database(args.users, args.contenders)
    print(
        f"setup: migrate, load the demo, {args.users} users: {time.perf_counter() - started:.1f} s"
    )

    from django.db import connections

    connections.close_all()
    ports = [free_port() for _ in range(args.servers)]
    folders = [tempfile.TemporaryDirectory(prefix="samverkan-bench-data-") for _ in ports]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--serve",
                str(port),
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
            ],
            cwd=REPO,
            # Each server its own data folder: nothing shared but the database.
            env={**os.environ, "SAMVERKAN_DATA_DIR": folder.name},
        )
        for port, folder in zip(ports, folders, strict=True)
    ]
    try:
        for port in ports:
            wait_for(port)
            print(
                f"server: http://{HOST}:{port}/ ({args.workers} processes x {args.threads} threads, "
                "wsgiref, a data folder of its own)"
            )
        # One person alone first: the latency of each kind of request without queueing.
        alone = run_phase(
            ports, setup, setup["users"][1:2], 0, BASELINE_REQUESTS, args.duration, 0.0
        )
        report(f"one person alone, no pause, {BASELINE_REQUESTS} requests", *alone)
        crowd = run_phase(
            ports, setup, setup["users"], args.contenders, args.requests, args.duration, args.think
        )
        report(
            f"{args.users} people at once ({args.contenders} racing on one follow-up), "
            f"pause {args.think:g} s on average, {args.servers} server(s)",
            *crowd,
        )
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
        for folder in folders:
            folder.cleanup()
    if tmp is not None:
        tmp.cleanup()


def run_phase(
    ports: list[int],
    setup: dict[str, Any],
    usernames: list[str],
    contenders: int,
    requests: int,
    duration: float,
    think: float,
) -> tuple[Shared, float, dict[int, int], int]:
    """Let the people work until the requests or the time run out; (samples, seconds, versions before, audit id)."""
    from django.db import connections

    from samverkan.audit.models import AuditEntry

    versions = current_versions()
    audit_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    connections.close_all()
    shared = Shared(budget=requests, deadline=time.monotonic() + duration, people=len(usernames))
    people = [
        threading.Thread(
            target=person,
            args=(
                ports,
                username,
                setup["own"][username],
                setup["shared"] if n < contenders else None,
                shared,
                think,
                n,
            ),
        )
        for n, username in enumerate(usernames)
    ]
    # Sign-ins (Argon2 on purpose) happen before the clock starts.
    for thread in people:
        thread.start()
    shared.ready.wait()
    start = time.perf_counter()
    shared.deadline = time.monotonic() + duration
    shared.go.set()
    for thread in people:
        thread.join()
    return shared, time.perf_counter() - start, versions, audit_id


def report(
    title: str, shared: Shared, elapsed: float, versions: dict[int, int], audit_id: int
) -> None:
    samples = shared.samples
    print(
        f"\n{title}: {len(samples)} requests in {elapsed:.1f} s, {len(samples) / elapsed:.1f} requests/s "
        "(sign-ins excluded)"
    )
    print(f"{'kind':<14}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    groups: dict[str, list[float]] = defaultdict(list)
    for sample in samples:
        groups[sample.kind].append(sample.seconds * 1000)
        groups["all"].append(sample.seconds * 1000)
    for kind in ("dashboard", "activity", "save own", "save shared", "all"):
        values = groups.get(kind)
        if values:
            print(
                f"{kind:<14}{len(values):>7}{statistics.median(values):>9.1f}{percentile(values, 95):>9.1f}"
                f"{percentile(values, 99):>9.1f}{max(values):>9.1f}"
            )
    statuses = Counter((s.kind, s.status) for s in samples if s.kind.startswith("save"))
    print(
        f"saves: own {statuses[('save own', 302)]} ok; shared {statuses[('save shared', 302)]} ok, "
        f"{statuses[('save shared', 409)]} refused as conflicts (409, expected when racing)"
    )
    errors = sum(shared.failures.values())
    print(f"errors: {errors}" + (f" {dict(shared.failures)}" if errors else ""))
    checked, problems = lost_update_check(versions, shared, audit_id)
    print(
        f"lost updates: {len(problems)} (checked {checked} follow-ups: successful saves = version steps = "
        f"audit entries, final text = last successful save)"
    )
    for problem in problems:
        print(f"  {problem}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
