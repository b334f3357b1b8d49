"""Benchmark of the check-in desk over real HTTP: 2,000 delegates arriving at the doors.

Builds a fresh database (SQLite in a temporary DAIHOI_DATA_DIR, or a new PostgreSQL database with
`--db postgres`), loads a congress of 2,000 delegates through the ORM, starts `daihoi serve` on a free
loopback port, signs a desk clerk in, and has `--desks` concurrent clients scan every card once, as a
USB scanner does (the card's URL, with a fresh nonce; a network error is retried with the same nonce).
A projector screen listens on the live WebSocket throughout.

Arrivals follow "2,000 in 5 minutes" compressed by `--compress` (60: the 300 s schedule is played in
5 s, i.e. ~400 arrivals/s offered); `--compress 0` sends as fast as the desks can.

Usage: .venv/bin/python bench/checkin.py [--db sqlite|postgres] [--delegates 2000] [--desks 8] [--compress 60]
The last line is JSON: {"delegates", "per_s", "p50_ms", "p99_ms", "errors", "server_cpu_ms_per_checkin",
...}: the server process's CPU time (user + system, from /proc) during the scans, per check-in, is
less noisy than wall time on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
WINDOW_SECONDS = 300  # "2,000 delegates in 5 minutes"
MAX_ATTEMPTS = 5
PASSWORD = "bench-password-1"  # noqa: S105 (a throwaway clerk in a temporary database)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


# --- database ------------------------------------------------------------------------------------


def prepare_environment(db: str, data_dir: Path) -> dict[str, str]:
    """The environment both this process and the server use; a fresh database for `db`."""
    env = {"DAIHOI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "daihoi.web.settings"}
    for key in ("DATABASE_URL", "DAIHOI_USE_TEST_DATABASE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        os.environ.pop(key, None)
    if db == "postgres":
        import psycopg

        name = f"bench_checkin_{os.getpid()}"
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ.update(env)
    return env


def drop_postgres(env: dict[str, str]) -> None:
    url = env.get("DATABASE_URL")
    if not url:
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load_congress(n_delegates: int) -> tuple[str, str, str, list[str]]:
    """Migrate and load a congress of `n_delegates` in ~40 sub-units; return slug, token, clerk, codes."""
    import datetime as dt

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from daihoi.congress.models import Congress, Delegate, Organization, StaffRole, new_card_code
    from daihoi.congress.names import normalize_name, search_key

    call_command("migrate", verbosity=0)
    org = Organization.objects.create(name="Đảng bộ Quận Thử nghiệm", code="bench", member_count=0)
    units = [
        Organization.objects.create(name=f"Chi bộ {u + 1}", code=f"cb-{u + 1}", parent=org, order=u)
        for u in range(40)
    ]
    congress = Congress.objects.create(
        organization=org,
        slug="bench",
        name="Đại hội đại biểu Đảng bộ Quận Thử nghiệm lần thứ XV",
        ordinal=15,
        term_start=2025,
        term_end=2030,
        starts_on=dt.date(2025, 6, 20),
        ends_on=dt.date(2025, 6, 21),
        state=Congress.State.IN_SESSION,
        total_seats=n_delegates,
    )
    rng = random.Random(2000)
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    given = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Sơn"]
    codes: set[str] = set()
    while len(codes) < n_delegates:
        codes.add(new_card_code())
    delegates = []
    for i, code in enumerate(sorted(codes)):
        name = normalize_name(
            f"{rng.choice(family)} {rng.choice(['Văn', 'Thị', 'Minh'])} {rng.choice(given)}"
        )
        delegates.append(
            Delegate(
                congress=congress,
                number=i + 1,
                full_name=name,
                search_name=search_key(name),
                unit=units[i % len(units)],
                credential=Delegate.Credential.ACCEPTED,
                seat_number=f"{chr(65 + i // 100 % 26)}{i % 100 + 1:02d}",
                code=code,
            )
        )
    Delegate.objects.bulk_create(delegates, batch_size=500)
    user = get_user_model().objects.create_user(username="banthamtra", password=PASSWORD)
    StaffRole.objects.create(user=user, congress=congress, role=StaffRole.Role.CREDENTIALS)
    return congress.slug, congress.screen_token, user.username, sorted(codes)


def present_in_database(slug: str) -> int:
    from django.db import connections

    from daihoi.congress.models import Delegate

    connections.close_all()  # a fresh connection sees everything the server committed
    return Delegate.objects.filter(congress__slug=slug, attendance=Delegate.Attendance.PRESENT).count()


# --- server --------------------------------------------------------------------------------------


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
    server_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "daihoi.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--quiet"],
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"the server did not start:\n{err}")
        time.sleep(0.2)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` (and its waited-for children) so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def sign_in(base: str, username: str) -> httpx.Cookies:
    with httpx.Client(base_url=base, timeout=30) as client:
        client.get("/login/")
        token = client.cookies["csrftoken"]
        answer = client.post(
            "/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"},
        )
        if answer.status_code != 302 or "sessionid" not in client.cookies:
            raise SystemExit(f"the desk clerk could not sign in ({answer.status_code})")
        return client.cookies


# --- the run -------------------------------------------------------------------------------------


class Screen(threading.Thread):
    """A projector on the live socket: counts the states it receives and keeps the last one."""

    def __init__(self, url: str, origin: str) -> None:
        super().__init__(daemon=True)
        self.url, self.origin = url, origin
        self.states = 0
        self.last: dict[str, Any] | None = None
        self.ready = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        from websockets.sync.client import connect

        from daihoi.congress.live import apply_events

        with connect(self.url, origin=self.origin, open_timeout=10) as ws:
            while not self.stop.is_set():
                try:
                    message = json.loads(ws.recv(timeout=0.5))
                except TimeoutError:
                    continue
                if message.get("type") == "state":
                    self.states += 1
                    self.last = message["state"]
                    self.ready.set()
                elif message.get("type") == "events" and self.last is not None:
                    # a check-in's small attendance event, applied as the pages' live.js applies it
                    self.states += 1
                    self.last = apply_events(self.last, message["events"])


def run_desks(
    base: str, slug: str, cookies: httpx.Cookies, codes: list[str], desks: int, compress: float
) -> tuple[list[float], int, float]:
    """Scan every card once; return latencies (ms), errors and the wall time (s)."""
    rng = random.Random(5)
    window = WINDOW_SECONDS / compress if compress > 0 else 0.0
    arrivals = sorted((rng.uniform(0, window), code) for code in codes)
    lock = threading.Lock()
    latencies: list[float] = []
    errors = 0
    done = 0
    cursor = iter(arrivals)
    start = time.perf_counter()

    def desk() -> None:
        nonlocal errors, done
        with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
            headers = {"X-CSRFToken": cookies["csrftoken"], "Accept": "application/json"}
            while True:
                with lock:
                    item = next(cursor, None)
                if item is None:
                    return
                at, code = item
                wait = start + at - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                nonce = uuid.uuid4().hex
                body = {"code": f"{base}/d/{code}/", "nonce": nonce}
                began = time.perf_counter()
                ok = False
                for _attempt in range(MAX_ATTEMPTS):  # bounded: a retry carries the same nonce
                    try:
                        answer = client.post(f"/c/{slug}/desk/scan", json=body, headers=headers)
                    except httpx.TransportError:
                        continue
                    ok = answer.status_code == 200 and answer.json().get("ok") is True
                    break
                elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    latencies.append(elapsed)
                    errors += 0 if ok else 1
                    done += 1
                    if done % 250 == 0:
                        rate = done / (time.perf_counter() - start)
                        print(f"  {done}/{len(codes)} scanned, {rate:.0f}/s, errors {errors}", flush=True)

    threads = [threading.Thread(target=desk) for _ in range(desks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(latencies), errors, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--delegates", type=int, default=2000)
    parser.add_argument("--desks", type=int, default=8, help="concurrent desk clients")
    parser.add_argument(
        "--compress", type=float, default=60, help="schedule compression; 0 = as fast as possible"
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="daihoi-bench-checkin-"))
    env = prepare_environment(args.db, data_dir)
    proc: subprocess.Popen[bytes] | None = None
    try:
        print(f"loading {args.delegates} delegates into a fresh {args.db} database …", flush=True)
        slug, token, clerk, codes = load_congress(args.delegates)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(env, port)
        cookies = sign_in(base, clerk)
        screen = Screen(f"ws://127.0.0.1:{port}/ws/c/{slug}/live/?screen={token}", base)
        screen.start()
        if not screen.ready.wait(15):
            raise SystemExit("the screen's socket got no state")
        mode = (
            f"×{args.compress:g} ({WINDOW_SECONDS / args.compress:.1f} s)"
            if args.compress
            else "as fast as possible"
        )
        print(f"server on {base}; {args.desks} desks; arrivals: 5 minutes compressed {mode}", flush=True)
        cpu_before = cpu_seconds(proc.pid)
        latencies, errors, wall = run_desks(base, slug, cookies, codes, args.desks, args.compress)
        server_cpu = cpu_seconds(proc.pid) - cpu_before

        # Check the outcome three ways: the database, state.json and the screen's last pushed state.
        with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
            fetched = client.get(f"/c/{slug}/state.json").json()["attendance"]["present"]
        in_db = present_in_database(slug)
        deadline = time.monotonic() + 30
        while (screen.last or {}).get("attendance", {}).get("present") != args.delegates:
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        screen.stop.set()
        screen.join(timeout=5)
        on_screen = (screen.last or {}).get("attendance", {}).get("present")
        print(f"present: database {in_db}, state.json {fetched}, screen {on_screen} ({screen.states} pushes)")
        for label, value in (("database", in_db), ("state.json", fetched), ("screen", on_screen)):
            if value != args.delegates:
                print(f"ERROR: {label} shows {value} present, expected {args.delegates}")
                errors += 1
        result = {
            "delegates": args.delegates,
            "db": args.db,
            "desks": args.desks,
            "compress": args.compress,
            "seconds": round(wall, 2),
            "per_s": round(args.delegates / wall, 1),
            "p50_ms": round(percentile(latencies, 0.50), 1),
            "p99_ms": round(percentile(latencies, 0.99), 1),
            "max_ms": round(latencies[-1], 1) if latencies else 0,
            "server_cpu_ms_per_checkin": round(server_cpu * 1000 / args.delegates, 2),
            "screen_pushes": screen.states,
            "loadavg": Path("/proc/loadavg").read_text().split()[:3],
            "errors": errors,
        }
        print(json.dumps(result))
    finally:
        if proc is not None:
            stop_server(proc)
        if args.db == "postgres":
            drop_postgres(env)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
